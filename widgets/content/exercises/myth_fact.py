"""Myth or fact: cards the learner marks as myth or fact; each answer is explained."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import Fields
from ..text import HasTexts, Text
from .common import SECTIONS, unique_id


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    statement: Text
    fact: bool                 # True: the statement is a fact; False: it is a myth
    explanation: Text


@dataclass(frozen=True, slots=True)
class MythFactExercise(HasTexts):
    """Cards the learner marks as myth or fact; each answer is explained."""
    id: str
    type: str
    section: str
    prompt: Text
    cards: tuple[Card, ...]


def parse_myth_fact(f: Fields, exercise_id: str, kind: str) -> MythFactExercise:
    cards: list[Card] = []
    seen: set[str] = set()
    for entry in f.items("cards", minimum=2):
        cards.append(Card(id=unique_id(entry, seen, "card"), statement=entry.text("statement"),
                          fact=entry.boolean("fact"), explanation=entry.text("explanation")))
        entry.no_other_keys()
    if len({c.fact for c in cards}) == 1:
        f.fail("needs at least one myth (fact: false) and one fact (fact: true), so that no answer is "
               "right for every card", "cards")
    return MythFactExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                            prompt=f.text("prompt"), cards=tuple(cards))
