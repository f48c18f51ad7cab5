"""A workshop room, as plain logic: its join code and trainer token, the questions it answers together, the
spread of its answers, and where participants can reach the trainer's laptop.

The server (`fmse-course workshop`) makes the code and token and puts the code (never the token) in its
environment, which every kernel it starts inherits; the pages read it from there.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..content.errors import ContentError
from ..content.exercises import ChoiceExercise
from ..paths import data_dir

# Letters and digits that cannot be mistaken for one another when read off a projector (no 0/O, 1/I/L, 2/Z,
# 5/S, 8/B, 6/G) or misheard in English or Welsh.
JOIN_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
JOIN_CODE_LENGTH = 6
PARTICIPANT_PAGE = "workshop"
TRAINER_PAGE = "workshop-results"
ENV_CODE = "FMSE_WORKSHOP"            # the join code of the workshop this server runs
ENV_JOIN_URL = "FMSE_WORKSHOP_JOIN"   # the address participants open (for the trainer's page and its QR code)
QUESTION_TYPES = ("single-choice", "multiple-choice")


def new_join_code(length: int = JOIN_CODE_LENGTH) -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(length))


def new_trainer_token() -> str:
    """A long random token (256 bits) that only the trainer's browser is given."""
    return secrets.token_urlsafe(32)


def same_secret(given: str | None, expected: str) -> bool:
    """Compare a secret in constant time; anything not text is simply wrong."""
    return isinstance(given, str) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def normalise_code(text: str | None) -> str:
    """What a participant typed as the join code, in the code's own form (spaces and dashes dropped, capitals)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:20]


def running_code(environ=None) -> str | None:
    """The join code of the workshop this kernel's server runs, or None outside a workshop."""
    from ..records.store import WORKSHOP

    code = (os.environ if environ is None else environ).get(ENV_CODE, "")
    return code if WORKSHOP.match(code) else None


# ---- the questions ---------------------------------------------------------------------------------------

def questions_path() -> Path:
    return data_dir() / "workshop.yaml"


def questions(path: Path | None = None) -> tuple[ChoiceExercise, ...]:
    """The room's questions in order: single- and multiple-choice exercises named in data/workshop.yaml."""
    from ..content.fields import ID_PATTERN, Fields
    from ..content.loader import load, read_yaml

    path = path or questions_path()
    fields = Fields(read_yaml(path), file=path, item=None, kind="workshop question list")
    listed = fields.data.get("questions")
    if not isinstance(listed, list) or not listed:
        raise ContentError(path, "needs a list 'questions' with at least one exercise id",
                           kind="workshop question list")
    found: list[ChoiceExercise] = []
    for index, item in enumerate(listed):
        if not isinstance(item, str) or not ID_PATTERN.match(item):
            raise ContentError(path, f"questions[{index}] must be an exercise id such as context-check, "
                                     f"not {item!r}", kind="workshop question list")
        exercise = load(item)
        if not isinstance(exercise, ChoiceExercise) or exercise.type not in QUESTION_TYPES:
            raise ContentError(path, f"questions[{index}]: '{item}' is a {exercise.type} exercise; a workshop "
                                     f"question must be single-choice or multiple-choice",
                               kind="workshop question list")
        found.append(exercise)
    fields.read.add("questions")
    fields.no_other_keys()
    if len({q.id for q in found}) != len(found):
        raise ContentError(path, "names an exercise twice: each question once", kind="workshop question list")
    return tuple(found)


# ---- the spread of answers ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Spread:
    """How the room answered one question: how many chose each option, and how many people answered."""

    counts: dict[str, int]
    answered: int

    def share(self, option_id: str) -> float:
        return self.counts.get(option_id, 0) / self.answered if self.answered else 0.0


def spread(exercise: ChoiceExercise, events) -> Spread:
    """Each person's latest answer to `exercise` counted once; names never enter into it."""
    latest: dict[str, tuple[str, ...]] = {}
    for event in events:  # oldest first, so a later answer replaces an earlier one
        if event.exercise_id == exercise.id:
            latest[event.learner_id] = tuple(event.choices)
    counts = {o.id: 0 for o in exercise.options}
    for choices in latest.values():
        for choice in set(choices):
            if choice in counts:
                counts[choice] += 1
    return Spread(counts, len(latest))


# ---- where the trainer's laptop can be reached -------------------------------------------------------------

def network_addresses() -> list[str]:
    """This computer's IPv4 addresses other than loopback and link-local, private ranges first."""
    import psutil

    found: set[str] = set()
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            try:
                ip = ipaddress.ip_address(address.address.split("%")[0])
            except ValueError:
                continue
            if ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
                found.add(str(ip))
    return sorted(found, key=lambda a: (not ipaddress.ip_address(a).is_private, ipaddress.ip_address(a)))


def local_addresses() -> set[str]:
    """Every address of this computer, loopback included (requests from these come from the trainer's laptop)."""
    import psutil

    found = {"127.0.0.1", "::1"}
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            found.add(address.address.split("%")[0])
    return found


def join_url(host: str, port: int, code: str | None = None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/workshop/join" + (f"?code={code}" if code else "")
