"""Exercise definitions as frozen dataclasses, and the parser (schema) for each exercise type."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .fields import ID_PATTERN, Fields
from .text import Text

# The alert's sections, which a "why" cites; "course" marks material drawn from shared/reference sources.
SECTIONS = ("context", "what-it-looks-like", "preventative-education", "supporting-victims",
            "adult-victims", "parents-letter", "course")


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    text: Text
    correct: bool
    feedback: Text


@dataclass(frozen=True, slots=True)
class ChoiceExercise:
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

    def texts(self) -> list[tuple[str, Text]]:
        """Every learner-visible string with the field it sits in (for parity and translation checks)."""
        found = [("prompt", self.prompt), ("why", self.why)]
        for i, option in enumerate(self.options):
            found += [(f"options[{i}].text", option.text), (f"options[{i}].feedback", option.feedback)]
        return found


Exercise = ChoiceExercise


def parse_choice(f: Fields, exercise_id: str, kind: str) -> ChoiceExercise:
    options = []
    seen: set[str] = set()
    for entry in f.items("options", minimum=2):
        option_id = entry.string("id", pattern=ID_PATTERN)
        if option_id in seen:
            entry.fail(f"option id {option_id!r} is used twice in this exercise", "id")
        seen.add(option_id)
        options.append(Option(id=option_id, text=entry.text("text"), correct=entry.boolean("correct"),
                              feedback=entry.text("feedback")))
        entry.no_other_keys()
    correct = sum(o.correct for o in options)
    if kind == "single-choice" and correct != 1:
        f.fail(f"a single-choice exercise needs exactly one correct option, has {correct}", "options")
    if kind == "multiple-choice" and correct < 1:
        f.fail("a multiple-choice exercise needs at least one correct option", "options")
    return ChoiceExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                          prompt=f.text("prompt"), options=tuple(options), why=f.text("why"))


PARSERS: dict[str, Callable[[Fields, str, str], Exercise]] = {
    "single-choice": parse_choice,
    "multiple-choice": parse_choice,
}
