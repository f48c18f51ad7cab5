"""Checking and scoring single- and multiple-choice answers."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..content.exercises import ChoiceExercise, Option


@dataclass(frozen=True, slots=True)
class ChoiceResult:
    correct: bool
    score: float                      # 0.0 to 1.0
    chosen: tuple[Option, ...]        # in the order the exercise lists them
    missed: tuple[Option, ...]        # correct options not chosen (multiple choice)


def check(exercise: ChoiceExercise, chosen_ids: Iterable[str]) -> ChoiceResult:
    """Mark an answer. Unknown option ids are an error (they would mean a view/content mismatch)."""
    chosen_set = set(chosen_ids)
    known = {o.id for o in exercise.options}
    unknown = chosen_set - known
    if unknown:
        raise ValueError(f"exercise '{exercise.id}' has no option(s) {', '.join(sorted(unknown))}")
    if not chosen_set:
        raise ValueError(f"exercise '{exercise.id}': choose at least one option before checking")
    if exercise.type == "single-choice" and len(chosen_set) != 1:
        raise ValueError(f"exercise '{exercise.id}' takes exactly one option")
    right = exercise.correct_ids
    hits = len(chosen_set & right)
    false_alarms = len(chosen_set - right)
    score = max(0.0, (hits - false_alarms) / len(right))
    return ChoiceResult(
        correct=chosen_set == right,
        score=round(score, 4),
        chosen=tuple(o for o in exercise.options if o.id in chosen_set),
        missed=tuple(o for o in exercise.options if o.correct and o.id not in chosen_set),
    )
