"""Reflection: a free-text prompt. What the learner writes stays on the page; nothing is stored."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import Fields, parse_text
from ..text import HasTexts, Text
from .common import SECTIONS


@dataclass(frozen=True, slots=True)
class ReflectionExercise(HasTexts):
    """A free-text prompt. What the learner writes stays on the page; they may download it, nothing is stored."""
    id: str
    type: str
    section: str
    prompt: Text
    points: tuple[Text, ...]   # things to think about


def parse_reflection(f: Fields, exercise_id: str, kind: str) -> ReflectionExercise:
    points: list[Text] = []
    if "points" in f.data:
        f.read.add("points")
        raw = f.data["points"]
        if not isinstance(raw, list):
            f.fail("must be a list of {en, cy} texts", "points")
        points = [parse_text(v, file=f.file, item=f.item, field=f"points[{i}]") for i, v in enumerate(raw)]
    return ReflectionExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                              prompt=f.text("prompt"), points=tuple(points))
