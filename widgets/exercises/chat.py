"""Marking the messages of a chat that a learner flagged as warning signs."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..content.exercises import ChatExercise, ChatMessage


@dataclass(frozen=True, slots=True)
class MessageResult:
    message: ChatMessage
    marked: bool
    right: bool                # marked a sign, or left a message that is not one


@dataclass(frozen=True, slots=True)
class ChatResult:
    messages: tuple[MessageResult, ...]   # the markable messages, in chat order
    found: int                            # signs marked
    missed: int                           # signs not marked
    false_alarms: int                     # marked messages that are not signs on their own
    score: float                          # (found - false alarms) / signs, at least 0

    @property
    def correct(self) -> bool:
        return self.missed == 0 and self.false_alarms == 0


def check(exercise: ChatExercise, marked_ids: Iterable[str]) -> ChatResult:
    marked = set(marked_ids)
    markable = {m.id for m in exercise.markable}
    unknown = marked - markable
    if unknown:
        raise ValueError(f"exercise '{exercise.id}': message(s) {', '.join(sorted(unknown))} cannot be marked")
    signs = exercise.sign_ids
    results = tuple(MessageResult(m, m.id in marked, (m.id in marked) == bool(m.sign)) for m in exercise.markable)
    found, false_alarms = len(marked & signs), len(marked - signs)
    return ChatResult(results, found, len(signs) - found, false_alarms,
                      round(max(0.0, (found - false_alarms) / len(signs)), 4))
