"""Single choice (exactly one correct option) and multiple choice (one or more correct)."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import Fields
from ..text import HasTexts, Text
from .common import SECTIONS, unique_id


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    text: Text
    correct: bool
    feedback: Text


@dataclass(frozen=True, slots=True)
class ChoiceExercise(HasTexts):
    """Single choice (exactly one correct option) or multiple choice (one or more correct)."""
    id: str
    type: str
    section: str
    prompt: Text
    options: tuple[Option, ...]
    why: Text

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)


def parse_choice(f: Fields, exercise_id: str, kind: str) -> ChoiceExercise:
    options: list[Option] = []
    seen: set[str] = set()
    for entry in f.items("options", minimum=2):
        options.append(Option(id=unique_id(entry, seen, "option"), text=entry.text("text"),
                              correct=entry.boolean("correct"), feedback=entry.text("feedback")))
        entry.no_other_keys()
    correct = sum(o.correct for o in options)
    if kind == "single-choice" and correct != 1:
        f.fail(f"a single-choice exercise needs exactly one correct option, has {correct}", "options")
    if kind == "multiple-choice" and correct < 1:
        f.fail("a multiple-choice exercise needs at least one correct option", "options")
    return ChoiceExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                          prompt=f.text("prompt"), options=tuple(options), why=f.text("why"))
