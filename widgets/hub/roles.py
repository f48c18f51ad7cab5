"""Roles from hub groups, which an administrator creates on the hub's admin page (or with its API):

- `fmse-setting-<id>`: the user works in setting `<id>` (a school or other education setting; `<id>` is
  1-40 lower-case letters, digits and hyphens, starting with a letter or digit: the records store's limit). A
  user is in at most one setting; in two, neither counts (refused until an administrator fixes it, rather than
  guessing). A group whose id is longer or has other characters counts as no setting, and the refusal says so
  (`setting_problem`).
- `fmse-dsp`: the user is their setting's designated safeguarding person (sees their setting's staff training).
- `fmse-la-lead`: the user leads for the local authority (sees counts per setting and module, never a name).

Everyone else is staff (their own records only). Staff and dsp need a setting (the records service refuses
their records without one: the store keeps every learner in a setting); la-lead does not. A user in both
`fmse-dsp` and `fmse-la-lead` is la-lead (the wider view has no names, so nothing more is shown by the choice).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

SETTING_PREFIX = "fmse-setting-"
DSP_GROUP = "fmse-dsp"
LA_LEAD_GROUP = "fmse-la-lead"
SETTING_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")  # the store's own rule (records.store.SETTING_ID)
MAX_SETTING_ID = 40
STAFF, DSP, LA_LEAD = "staff", "dsp", "la-lead"


@dataclass(frozen=True, slots=True)
class Asker:
    """Who is asking the records service: the hub user (proven by the hub), their setting and role."""

    user: str
    setting: str | None
    role: str
    # Why there is no setting (setting_problem) and the setting groups concerned: for the refusal's message only.
    problem: str | None = field(default=None, compare=False)
    group: str = field(default="", compare=False)


def setting_of(groups: Iterable[str]) -> str | None:
    settings = {g[len(SETTING_PREFIX):] for g in groups if g.startswith(SETTING_PREFIX)}
    settings = {s for s in settings if SETTING_ID.match(s)}
    return settings.pop() if len(settings) == 1 else None


def setting_problem(groups: Iterable[str]) -> str | None:
    """Why `groups` give no setting, or None when they give one: "no-setting" (no `fmse-setting-…` group),
    "several-settings", "setting-too-long" (an id over MAX_SETTING_ID characters) or "setting-invalid" (other
    characters than a-z, 0-9 and -)."""
    settings = {g[len(SETTING_PREFIX):] for g in groups if g.startswith(SETTING_PREFIX)}
    if not settings:
        return "no-setting"
    if len(settings) > 1:
        return "several-settings"
    (setting,) = settings
    if SETTING_ID.match(setting):
        return None
    return "setting-too-long" if len(setting) > MAX_SETTING_ID else "setting-invalid"


def asker(user: str, groups: Iterable[str]) -> Asker:
    groups = set(groups)
    setting = setting_of(groups)
    problem = setting_problem(groups) if setting is None else None
    group = ", ".join(sorted(g for g in groups if g.startswith(SETTING_PREFIX)))
    if LA_LEAD_GROUP in groups:
        return Asker(user, setting, LA_LEAD, problem, group)
    if DSP_GROUP in groups and setting is not None:
        return Asker(user, setting, DSP)
    return Asker(user, setting, STAFF, problem, group)
