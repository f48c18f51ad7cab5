"""Language coach: the learner writes what they would say; the coach flags wording from a phrase list."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import ID_PATTERN, Fields
from ..text import HasTexts, Text
from .common import SECTIONS


@dataclass(frozen=True, slots=True)
class CoachExercise(HasTexts):
    """The learner writes what they would say; the coach flags victim-blaming wording from a phrase list."""
    id: str
    type: str
    section: str
    prompt: Text
    situation: Text
    phrase_list: str           # a file data/language/<phrase_list>.yaml
    model_answer: Text
    why: Text


def parse_coach(f: Fields, exercise_id: str, kind: str) -> CoachExercise:
    from ..phrases import load_phrases

    phrase_list = f.string("phrase_list", pattern=ID_PATTERN)
    load_phrases(phrase_list)  # a missing or malformed list fails here, naming its own file
    return CoachExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                         prompt=f.text("prompt"), situation=f.text("situation"), phrase_list=phrase_list,
                         model_answer=f.text("model_answer"), why=f.text("why"))
