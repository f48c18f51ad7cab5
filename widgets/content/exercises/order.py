"""Put steps in order, with move-up and move-down buttons."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import Fields
from ..text import HasTexts, Text
from .common import SECTIONS, unique_id


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    text: Text


@dataclass(frozen=True, slots=True)
class OrderExercise(HasTexts):
    """Steps the learner puts in order with move-up and move-down buttons."""
    id: str
    type: str
    section: str
    prompt: Text
    steps: tuple[Step, ...]    # in the right order
    start: tuple[str, ...]     # step ids in the order first shown (never already right)
    why: Text

    @property
    def answer(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


def default_start(answer: tuple[str, ...]) -> tuple[str, ...]:
    """A first order that is never the answer and the same every time: the answer rotated by one."""
    return answer[1:] + answer[:1]


def parse_order(f: Fields, exercise_id: str, kind: str) -> OrderExercise:
    steps: list[Step] = []
    seen: set[str] = set()
    for entry in f.items("steps", minimum=2):
        steps.append(Step(id=unique_id(entry, seen, "step"), text=entry.text("text")))
        entry.no_other_keys()
    answer = tuple(s.id for s in steps)
    given = f.data.get("start")
    f.read.add("start")
    if given is None:
        start = default_start(answer)
    elif isinstance(given, list) and all(isinstance(s, str) for s in given) and sorted(given) == sorted(answer):
        start = tuple(given)
    else:
        f.fail(f"must list every step id once, in the order first shown: {', '.join(answer)}", "start")
    if start == answer:
        f.fail("shows the steps already in the right order: list them in another order", "start")
    return OrderExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                         prompt=f.text("prompt"), steps=tuple(steps), start=start, why=f.text("why"))
