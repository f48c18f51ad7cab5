"""Roles from hub groups, which an administrator creates on the hub's admin page (or with its API):

- `fmse-setting-<id>`: the user works in setting `<id>` (a school or other education setting; `<id>` is
  lower-case letters, digits and hyphens). A user is in at most one setting; in two, neither counts (refused
  until an administrator fixes it, rather than guessing).
- `fmse-dsp`: the user is their setting's designated safeguarding person (sees their setting's staff training).
- `fmse-la-lead`: the user leads for the local authority (sees counts per setting and module, never a name).

Everyone else is staff (their own records only). Staff and dsp need a setting (the records service refuses
their records without one: the store keeps every learner in a setting); la-lead does not. A user in both
`fmse-dsp` and `fmse-la-lead` is la-lead (the wider view has no names, so nothing more is shown by the choice).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

SETTING_PREFIX = "fmse-setting-"
DSP_GROUP = "fmse-dsp"
LA_LEAD_GROUP = "fmse-la-lead"
SETTING_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62})$")
STAFF, DSP, LA_LEAD = "staff", "dsp", "la-lead"


@dataclass(frozen=True, slots=True)
class Asker:
    """Who is asking the records service: the hub user (proven by the hub), their setting and role."""

    user: str
    setting: str | None
    role: str


def setting_of(groups: Iterable[str]) -> str | None:
    settings = {g[len(SETTING_PREFIX):] for g in groups if g.startswith(SETTING_PREFIX)}
    settings = {s for s in settings if SETTING_ID.match(s)}
    return settings.pop() if len(settings) == 1 else None


def asker(user: str, groups: Iterable[str]) -> Asker:
    groups = set(groups)
    setting = setting_of(groups)
    if LA_LEAD_GROUP in groups:
        return Asker(user, setting, LA_LEAD)
    if DSP_GROUP in groups and setting is not None:
        return Asker(user, setting, DSP)
    return Asker(user, setting, STAFF)
