"""Who the learner is, without accounts (pure logic, plus the small file that remembers a JupyterLab learner).

- Under JupyterHub with the records service the hub user proven by the server's token (widgets/hub/client.py),
  else the hub's user name (JUPYTERHUB_USER), gives a stable learner id.
- In Voilà each page is a new kernel: the learner id travels in the links between pages (`?learner=<id>`),
  which Voilà hands the kernel as QUERY_STRING. It is accepted only if it is 32 hex characters and the store
  already knows it, and it is used for nothing but choosing whose progress to show and record.
- In JupyterLab (or any other kernel) the learner sets a name once; the id and name are remembered in
  `learner.json` in the data folder.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from ..userdata import data_folder
from .errors import RecordsError
from .store import LEARNER_ID, WORKSHOP, clean_name

log = logging.getLogger(__name__)

SAVED_FILE = "learner.json"
# A fixed namespace: the same hub user name always gives the same learner id, on every server of a deployment.
HUB_NAMESPACE = uuid.UUID("6f3b1a52-2c1e-4d4e-9a57-0c7a3f6f9e21")
QUERY_KEY = "learner"
WORKSHOP_KEY = "workshop"


@dataclass(frozen=True, slots=True)
class Identity:
    learner_id: str
    source: str                  # "jupyterhub", "link" (Voilà) or "saved" (JupyterLab)
    name: str | None = None      # a name the source itself gives (the hub user name, the remembered name)
    workshop: str | None = None  # a workshop code carried in the link, which keeps these records apart


def in_voila(environ: Mapping[str, str]) -> bool:
    return environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def hub_learner_id(user: str) -> str:
    return uuid.uuid5(HUB_NAMESPACE, f"jupyterhub:{user}").hex


def hub_name(user: str) -> str | None:
    """The hub user name as a display name, if it is a plausible one (hub names are short and plain)."""
    try:
        return clean_name(user)
    except RecordsError:
        return None


def from_query(query_string: str, known: Callable[[str], bool]) -> tuple[str | None, str | None]:
    """The learner id and workshop code in a page's query string, each None unless exactly one valid value.

    The learner id must also be one the store knows: a made-up id is ignored, not created.
    """
    try:
        fields = parse_qs(query_string or "", keep_blank_values=True, max_num_fields=20, strict_parsing=False)
    except ValueError:
        return None, None
    learner = fields.get(QUERY_KEY, [])
    workshop = fields.get(WORKSHOP_KEY, [])
    learner_id = learner[0] if len(learner) == 1 and LEARNER_ID.match(learner[0]) else None
    if learner_id is not None and not known(learner_id):
        learner_id = None
    code = workshop[0] if len(workshop) == 1 and WORKSHOP.match(workshop[0]) else None
    return learner_id, code


def resolve(environ: Mapping[str, str], *, known: Callable[[str], bool],
            saved: tuple[str, str | None] | None = None) -> Identity | None:
    """Who is learning in this kernel, or None (a Voilà page opened without a learner in its link).

    On a hub with the records service (FMSE_RECORDS_URL=service:...), the hub user is the one the service finds
    for this server's token: nothing in the kernel's environment that its user could change decides it."""
    if environ.get("FMSE_RECORDS_URL", "").startswith("service:"):
        from ..hub.client import whoami

        who = whoami(environ)
        workshop = from_query(environ.get("QUERY_STRING", ""), known)[1] if in_voila(environ) else None
        return Identity(who["learner_id"], "jupyterhub", who["name"], workshop)
    user = environ.get("JUPYTERHUB_USER", "").strip()
    if user:
        workshop = from_query(environ.get("QUERY_STRING", ""), known)[1] if in_voila(environ) else None
        return Identity(hub_learner_id(user), "jupyterhub", hub_name(user), workshop)
    if in_voila(environ):
        learner_id, workshop = from_query(environ.get("QUERY_STRING", ""), known)
        return Identity(learner_id, "link", None, workshop) if learner_id else None
    if saved is not None:
        return Identity(saved[0], "saved", saved[1])
    return None


def with_learner(href: str, learner_id: str | None, workshop: str | None = None) -> str:
    """`href` with the learner (and workshop code) in its query string, replacing any there; other parts kept."""
    parts = urlsplit(href)
    query = [(k, v) for k, v in parse_qs(parts.query, keep_blank_values=True).items()
             if k not in (QUERY_KEY, WORKSHOP_KEY)]
    flat = [(k, v) for k, values in query for v in values]
    if learner_id:
        if not LEARNER_ID.match(learner_id):
            raise ValueError(f"learner id {learner_id[:40]!r} is not 32 hex characters")
        flat.append((QUERY_KEY, learner_id))
    if workshop:
        if not WORKSHOP.match(workshop):
            raise ValueError(f"workshop code {workshop[:20]!r} must be 4-12 capital letters or digits")
        flat.append((WORKSHOP_KEY, workshop))
    return urlunsplit(parts._replace(query=urlencode(flat)))


# ---- the remembered learner (JupyterLab) ----------------------------------------------------------------

def saved_path() -> Path:
    return data_folder() / SAVED_FILE


def read_saved(path: Path | None = None) -> tuple[str, str | None] | None:
    """The remembered learner id and name, or None if there is none or the file is not usable (logged)."""
    path = path or saved_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s): the learner is asked for their name again", path, exc)
        return None
    learner_id, name = (data.get("learner_id"), data.get("name")) if isinstance(data, dict) else (None, None)
    if not isinstance(learner_id, str) or not LEARNER_ID.match(learner_id):
        log.warning("%s has no valid learner id: the learner is asked for their name again", path)
        return None
    return learner_id, name if isinstance(name, str) and name else None


def save(learner_id: str, name: str | None, path: Path | None = None) -> Path:
    """Remember this learner for later sessions (readable by this user only)."""
    if not LEARNER_ID.match(learner_id):
        raise ValueError(f"learner id {learner_id[:40]!r} is not 32 hex characters")
    path = path or saved_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"learner_id": learner_id, "name": name}, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path


def forget(path: Path | None = None) -> None:
    (path or saved_path()).unlink(missing_ok=True)
