"""Marking a knowledge check: each question as a choice question, then a score and a pass mark."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..content.exercises import KnowledgeCheck
from .choice import ChoiceResult
from .choice import check as check_choice


@dataclass(frozen=True, slots=True)
class KnowledgeResult:
    questions: tuple[tuple[str, ChoiceResult], ...]   # (question id, result), in the check's order
    right: int                                         # questions answered fully right
    score: float                                       # right / questions
    passed: bool

    @property
    def choices(self) -> tuple[str, ...]:
        """For the recording interface: "<question id>.<option id>" for every option chosen, in order."""
        return tuple(f"{qid}.{o.id}" for qid, result in self.questions for o in result.chosen)


def unanswered(exercise: KnowledgeCheck, answers: Mapping[str, Sequence[str]]) -> list[str]:
    return [q.id for q in exercise.questions if not answers.get(q.id)]


def check(exercise: KnowledgeCheck, answers: Mapping[str, Sequence[str]]) -> KnowledgeResult:
    """Mark answers given as {question id: [option ids]}; every question must be answered."""
    unknown = set(answers) - {q.id for q in exercise.questions}
    if unknown:
        raise ValueError(f"exercise '{exercise.id}' has no question(s) {', '.join(sorted(unknown))}")
    missing = unanswered(exercise, answers)
    if missing:
        raise ValueError(f"exercise '{exercise.id}': answer every question first (missing: {', '.join(missing)})")
    results = tuple((q.id, check_choice(q, answers[q.id])) for q in exercise.questions)
    right = sum(r.correct for _, r in results)
    score = round(right / len(results), 4)
    # A small tolerance so that, e.g., 4 of 5 passes a pass mark written as 0.8.
    return KnowledgeResult(results, right, score, passed=score + 1e-9 >= exercise.pass_mark)
