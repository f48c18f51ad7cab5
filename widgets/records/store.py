"""The learner-records store: one small interface, so a server deployment can run it on PostgreSQL.

What a store keeps, and nothing else: learners (a random id and an optional display name), exercise events
(option or node ids chosen, score, pass, dates, page, language, exercise id, an optional workshop code),
module completions, certificates issued (with their signature and public key), the public keys this data folder
trusts, and workshops (the room's current question, and each participant's
optional nickname, which never leaves the store in an export). Never free text; never anything about a child. Every value is
checked here, before any store sees it, so every implementation keeps the same promise.

`SQLiteStore` (records/sqlite.py) is the implementation used by default; `PostgresStore` (records/postgres.py) keeps
a shared store; `open_store()` opens the one FMSE_RECORDS_URL (or the setting file) names. On a shared store every
call is made by someone: records/roles.py's `scoped(store, who)` returns nothing outside their role.
"""
from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable, Protocol, overload, runtime_checkable

from ..recording import ExerciseEvent
from .errors import RecordsError

LEARNER_ID = re.compile(r"^[0-9a-f]{32}$")
EVENT_ID = LEARNER_ID
# Option, node and exercise ids are short tokens with no spaces, so no sentence a learner types can pass.
TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:=-]{0,199}$")
PAGE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WORKSHOP = re.compile(r"^[A-Z0-9]{4,12}$")
CODE = re.compile(r"^[A-Z2-7]{20}$")
MAX_NAME = 80
MAX_NICKNAME = 40
MAX_CHOICES = 200
EXPORT_FORMAT = "fmse-records"
EXPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Learner:
    learner_id: str
    name: str | None
    created_at: str

    @property
    def label(self) -> str:
        """The name, or a short form of the id for a learner who stayed anonymous."""
        return self.name or f"({self.learner_id[:8]})"


@dataclass(frozen=True, slots=True)
class StoredEvent:
    event_id: str
    learner_id: str
    workshop: str | None
    exercise_id: str
    page: str
    lang: str
    choices: tuple[str, ...]
    score: float
    passed: bool | None
    started_at: str
    finished_at: str


@dataclass(frozen=True, slots=True)
class Completion:
    learner_id: str
    page: str
    workshop: str | None
    completed_at: str


@dataclass(frozen=True, slots=True)
class Certificate:
    code: str
    learner_id: str
    contents: str      # the canonical JSON the code was computed from
    key_id: str        # which key signed it (a short hash of the key, not the key)
    issued_at: str
    public_key: str = ""   # the Ed25519 public key that signed it (64 hex); "" for the first certificates (HMAC)
    signature: str = ""    # the Ed25519 signature over `contents` (base64); the code is made from it


@dataclass(frozen=True, slots=True)
class EducationSetting:
    """A school or other education setting: an id (lowercase letters, digits, hyphens) and a name in each language."""

    setting_id: str
    name_en: str
    name_cy: str


@dataclass(frozen=True, slots=True)
class RoomState:
    """Where a workshop room is: the question on every screen (-1 before the first) and whether its answer shows."""

    code: str
    question: int
    revealed: bool
    changed_at: str


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone who joined a workshop: a learner id of their own, and the nickname they chose (or None)."""

    learner_id: str
    workshop: str
    nickname: str | None
    joined_at: str


@dataclass(slots=True)
class MergeCounts:
    learners: int = 0
    events: int = 0
    completions: int = 0
    certificates: int = 0
    skipped: int = 0          # records of deleted learners or from before a purge, left out on purpose
    conflicts: list[str] = field(default_factory=list)  # ids already here for a different record: this one kept

    def total(self) -> int:
        return self.learners + self.events + self.completions + self.certificates


@dataclass(slots=True)
class Bundle:
    """Everything a store exports and imports, as plain data (JSON-ready)."""

    learners: list[Learner] = field(default_factory=list)
    events: list[StoredEvent] = field(default_factory=list)
    completions: list[Completion] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": utc_now(),
                "learners": [asdict(x) for x in self.learners],
                "events": [{**asdict(x), "choices": list(x.choices)} for x in self.events],
                "completions": [asdict(x) for x in self.completions],
                "certificates": [asdict(x) for x in self.certificates]}


@runtime_checkable
class RecordStore(Protocol):
    """What the course needs from a store. Writes are atomic; reads return frozen dataclasses."""

    location: str

    def add_learner(self, name: str | None = None, learner_id: str | None = None) -> Learner: ...
    def learner(self, learner_id: str) -> Learner | None: ...
    def learners(self) -> list[Learner]: ...
    def rename_learner(self, learner_id: str, name: str | None) -> None: ...
    def record_event(self, learner_id: str, event: ExerciseEvent, *, workshop: str | None = None,
                     event_id: str | None = None) -> str: ...
    def record_completion(self, learner_id: str, page: str, *, workshop: str | None = None,
                          completed_at: str | None = None) -> bool: ...
    def record_certificate(self, certificate: Certificate) -> None: ...
    def events(self, *, learner_id: str | None = None, include_workshops: bool = True) -> list[StoredEvent]: ...
    def completions(self, *, learner_id: str | None = None,
                    include_workshops: bool = True) -> list[Completion]: ...
    def certificates(self, *, learner_id: str | None = None) -> list[Certificate]: ...
    def certificate(self, code: str) -> Certificate | None: ...
    def export(self, learner_ids: Iterable[str] | None = None) -> Bundle: ...
    def merge(self, bundle: Bundle) -> MergeCounts: ...
    def purge(self, before: date) -> dict[str, int]: ...
    def delete_learner(self, learner_id: str) -> dict[str, int]: ...
    def open_workshop(self, code: str) -> RoomState: ...
    def room(self, code: str) -> RoomState | None: ...
    def set_room(self, code: str, *, question: int, revealed: bool) -> RoomState: ...
    def join_workshop(self, code: str, nickname: str | None = None) -> Participant: ...
    def participants(self, code: str) -> list[Participant]: ...
    def workshop_events(self, code: str, exercise_id: str | None = None) -> list[StoredEvent]: ...
    def trust_key(self, public_key: str, label: str = "") -> bool: ...
    def untrust_key(self, public_key: str) -> bool: ...
    def trusted_keys(self) -> list: ...
    def add_setting(self, setting_id: str, name_en: str, name_cy: str) -> EducationSetting: ...
    def education_settings(self) -> list[EducationSetting]: ...
    def assign_setting(self, setting_id: str, learner_ids: Iterable[str] | None = None) -> int: ...
    def setting_of(self, learner_id: str) -> str | None: ...
    def setting_learners(self, setting_id: str) -> list[Learner]: ...
    def summary(self) -> list[tuple[str, str, int]]: ...
    def schema_version(self) -> int: ...
    def close(self) -> None: ...


# ---- checks shared by every implementation ---------------------------------------------------------------

def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_id() -> str:
    """A random id (learners, events): 32 lowercase hex characters, unique without coordination."""
    return uuid.uuid4().hex


def check_learner_id(value: object) -> str:
    if not isinstance(value, str) or not LEARNER_ID.match(value):
        raise RecordsError("invalid", detail=f"learner id {str(value)[:40]!r} is not 32 lowercase hex characters")
    return value


def clean_name(value: object) -> str | None:
    """A display name: spaces collapsed, control characters refused, invisible formatting characters taken out
    (see visible_text), composed (NFC), at most MAX_NAME characters; '' is None. Names and workshop nicknames
    both pass here."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordsError("invalid", detail="a name must be text")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" for c in value):
        raise RecordsError("invalid", detail="a name cannot contain control characters")
    name = " ".join(visible_text(unicodedata.normalize("NFC", value)).split())
    if len(name) > MAX_NAME:
        raise RecordsError("invalid", detail=f"a name has at most {MAX_NAME} characters")
    return name or None


def visible_text(text: str) -> str:
    """`text` without Unicode's invisible "format" characters: right-to-left and left-to-right overrides, embeddings
    and isolates, zero-width spaces, joiners and non-joiners, word joiners, byte-order marks, soft hyphens.

    A name read in a report, a certificate or the trainer's list must show what it says: an override can make a
    name read backwards (or as another), a zero-width character make two different names look the same. Kept,
    because they are how emoji are written and change no letter: a joiner between two emoji (👩🏽‍🏫), and the tag
    characters of a flag such as Wales's (🏴 followed by tags)."""
    kept: list[str] = []
    for i, c in enumerate(text):
        if unicodedata.category(c) != "Cf":
            kept.append(c)
            continue
        before = kept[-1] if kept else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if c == "\u200d" and _emoji(before) and _emoji(after):
            kept.append(c)
        elif 0xE0020 <= ord(c) <= 0xE007F and before and (before == "\U0001F3F4" or 0xE0020 <= ord(before) <= 0xE007E):
            kept.append(c)
    return "".join(kept)


def _emoji(c: str) -> bool:
    return bool(c) and (unicodedata.category(c) in ("So", "Sk") or c == "\ufe0f") and ord(c) > 0x2000


def clean_nickname(value: object) -> str | None:
    """A workshop nickname: a name (see clean_name) of at most MAX_NICKNAME characters; '' is None."""
    name = clean_name(value)
    if name is not None and len(name) > MAX_NICKNAME:
        raise RecordsError("invalid", detail=f"a nickname has at most {MAX_NICKNAME} characters")
    return name


@overload
def check_workshop(value: str) -> str: ...
@overload
def check_workshop(value: object) -> str | None: ...


def check_workshop(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not WORKSHOP.match(value):
        raise RecordsError("invalid", detail=f"workshop code {str(value)[:20]!r} must be 4-12 capital letters "
                                             f"or digits")
    return value


def check_token(value: object, what: str) -> str:
    if not isinstance(value, str) or not TOKEN.match(value):
        raise RecordsError("invalid", detail=f"{what} {str(value)[:40]!r} is not an id (letters, digits, - _ . : =; "
                                             f"no spaces): free text is never recorded")
    return value


def check_page(value: object) -> str:
    if not isinstance(value, str) or not PAGE.match(value):
        raise RecordsError("invalid", detail=f"page {str(value)[:40]!r} is not a page id")
    return value


def check_time(value: object, what: str) -> str:
    """A UTC ISO 8601 time, normalised to seconds with +00:00, so times compare as text in every store."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise RecordsError("invalid", detail=f"{what} {str(value)[:40]!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        moment = moment.astimezone(timezone.utc)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 is before the first day there is
        raise RecordsError("invalid", detail=f"{what} {str(value)[:40]!r} is outside the years 1-9999 in UTC") from None
    if not 2000 <= moment.year <= 2200:
        raise RecordsError("invalid", detail=f"{what} {str(value)[:40]!r} is not a time the course could have "
                                             f"recorded (years 2000-2200)")
    return moment.isoformat(timespec="seconds")


def checked_event(learner_id: str, event: ExerciseEvent, workshop: str | None,
                  event_id: str | None) -> StoredEvent:
    """An event ready to store: every field checked, choices as ids only."""
    if not isinstance(event, ExerciseEvent):
        raise RecordsError("invalid", detail="only an ExerciseEvent can be recorded")
    choices = tuple(event.choices)
    if len(choices) > MAX_CHOICES:
        raise RecordsError("invalid", detail=f"at most {MAX_CHOICES} choices in one event")
    for choice in choices:
        check_token(choice, "choice")
    page = event.page or "unknown"
    return StoredEvent(
        event_id=check_event_id(event_id) if event_id else new_id(),
        learner_id=check_learner_id(learner_id), workshop=check_workshop(workshop),
        exercise_id=check_token(event.exercise_id, "exercise id"), page=check_page(page), lang=event.lang,
        choices=choices, score=float(event.score), passed=event.passed,
        started_at=check_time(event.started_at, "started_at"),
        finished_at=check_time(event.finished_at, "finished_at"))


SETTING_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def check_setting_id(value: object) -> str:
    if not isinstance(value, str) or not SETTING_ID.match(value):
        raise RecordsError("invalid", detail=f"setting id {str(value)[:40]!r} must be 1-40 lowercase letters, digits "
                                             f"and hyphens, e.g. ysgol-y-bryn")
    return value


def check_setting_name(value: object) -> str:
    name = (" ".join(visible_text(unicodedata.normalize("NFC", value)).split())
            if isinstance(value, str) and not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in value) else "")
    if not 1 <= len(name) <= 120:
        raise RecordsError("invalid", detail="a setting's name is 1-120 characters, in English and in Welsh")
    return name


def check_event_id(value: object) -> str:
    if not isinstance(value, str) or not EVENT_ID.match(value):
        raise RecordsError("invalid", detail=f"event id {str(value)[:40]!r} is not 32 lowercase hex characters")
    return value


def check_code(value: object) -> str:
    if not isinstance(value, str) or not CODE.match(value):
        raise RecordsError("invalid", detail="a certificate code is 20 letters and digits")
    return value


def day_start(day: date) -> str:
    """The first moment of `day` in UTC, as stored times are written (for purges)."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).isoformat(timespec="seconds")
