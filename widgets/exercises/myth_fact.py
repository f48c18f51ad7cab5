"""Marking myth-or-fact cards."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..content.exercises import Card, MythFactExercise

MYTH, FACT = "myth", "fact"


@dataclass(frozen=True, slots=True)
class CardResult:
    card: Card
    answer: str               # "myth" or "fact"
    right: bool


@dataclass(frozen=True, slots=True)
class MythFactResult:
    cards: tuple[CardResult, ...]
    score: float

    @property
    def right(self) -> int:
        return sum(c.right for c in self.cards)

    @property
    def choices(self) -> tuple[str, ...]:
        """For the recording interface: "<card id>.<myth|fact>" in the exercise's order."""
        return tuple(f"{c.card.id}.{c.answer}" for c in self.cards)


def check(exercise: MythFactExercise, answers: Mapping[str, str]) -> MythFactResult:
    """Mark answers given as {card id: "myth" | "fact"}; every card must be answered."""
    known = {c.id for c in exercise.cards}
    unknown = set(answers) - known
    if unknown:
        raise ValueError(f"exercise '{exercise.id}' has no card(s) {', '.join(sorted(unknown))}")
    bad = {k: v for k, v in answers.items() if v not in (MYTH, FACT)}
    if bad:
        raise ValueError(f"exercise '{exercise.id}': answers must be 'myth' or 'fact', not {bad}")
    missing = [c.id for c in exercise.cards if c.id not in answers]
    if missing:
        raise ValueError(f"exercise '{exercise.id}': answer every card first (missing: {', '.join(missing)})")
    results = tuple(CardResult(c, answers[c.id], (answers[c.id] == FACT) == c.fact) for c in exercise.cards)
    return MythFactResult(results, round(sum(r.right for r in results) / len(results), 4))
