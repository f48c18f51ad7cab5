"""The one interface through which a completed exercise is reported (a later store plugs in here).

Widgets emit an ExerciseEvent; the recorder adds who the learner is. Free text never goes into an event.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Protocol

from .languages import LANGS

log = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class ExerciseEvent:
    exercise_id: str
    page: str
    lang: str
    choices: tuple[str, ...]   # option or node ids, in the order chosen
    score: float               # 0.0 to 1.0
    passed: bool | None        # None where the type has no pass mark
    started_at: str            # UTC ISO 8601
    finished_at: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be between 0 and 1, not {self.score}")
        if self.lang not in LANGS:
            raise ValueError(f"lang must be 'en' or 'cy', not {self.lang!r}")

    def as_dict(self) -> dict:
        return asdict(self)


class Recorder(Protocol):
    def record(self, event: ExerciseEvent) -> None: ...


class MemoryRecorder:
    """Keeps events in memory for this kernel only (the default until a store is connected)."""

    def __init__(self) -> None:
        self.events: list[ExerciseEvent] = []

    def record(self, event: ExerciseEvent) -> None:
        self.events.append(event)
        log.debug("recorded %s", event)


_recorder: Recorder = MemoryRecorder()


def get_recorder() -> Recorder:
    return _recorder


def set_recorder(recorder: Recorder) -> Recorder:
    """Install a recorder for this process; returns the previous one."""
    global _recorder
    previous, _recorder = _recorder, recorder
    return previous
