"""Knowledge check: several choice questions answered together, with a score and a pass mark."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import Fields
from ..text import HasTexts, Text
from .choice import ChoiceExercise, parse_choice
from .common import SECTIONS, unique_id


@dataclass(frozen=True, slots=True)
class KnowledgeCheck(HasTexts):
    """Several choice questions answered together, with a score and a pass mark."""
    id: str
    type: str
    section: str
    prompt: Text
    questions: tuple[ChoiceExercise, ...]
    pass_mark: float           # 0.0-1.0: the share of questions answered right needed to pass

    def question(self, question_id: str) -> ChoiceExercise:
        return next(q for q in self.questions if q.id == question_id)


def parse_knowledge_check(f: Fields, exercise_id: str, kind: str) -> KnowledgeCheck:
    questions: list[ChoiceExercise] = []
    seen: set[str] = set()
    for entry in f.items("questions", minimum=2):
        question_id = unique_id(entry, seen, "question")
        question_kind = entry.string("type", choices=("single-choice", "multiple-choice"))
        questions.append(parse_choice(entry, question_id, question_kind))
        entry.no_other_keys()
    pass_mark = f.number("pass_mark", minimum=0.01, maximum=1.0)
    return KnowledgeCheck(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                          prompt=f.text("prompt"), questions=tuple(questions), pass_mark=pass_mark)
