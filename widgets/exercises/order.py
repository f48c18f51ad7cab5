"""Putting steps in order: moving one step up or down, and marking the order."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..content.exercises import OrderExercise


def move(order: Sequence[str], index: int, delta: int) -> tuple[str, ...]:
    """The order with the step at `index` moved by `delta` (-1 up, +1 down); unchanged at either end."""
    if delta not in (-1, 1):
        raise ValueError(f"a step moves one place at a time (delta -1 or 1, not {delta})")
    if not 0 <= index < len(order):
        raise IndexError(f"there is no step at position {index + 1} of {len(order)}")
    target = index + delta
    if not 0 <= target < len(order):
        return tuple(order)
    swapped = list(order)
    swapped[index], swapped[target] = swapped[target], swapped[index]
    return tuple(swapped)


@dataclass(frozen=True, slots=True)
class OrderResult:
    order: tuple[str, ...]
    in_place: tuple[bool, ...]   # per position: is the right step there?
    correct: bool
    score: float                 # the share of steps in their right place


def check(exercise: OrderExercise, order: Sequence[str]) -> OrderResult:
    if sorted(order) != sorted(exercise.answer):
        raise ValueError(f"exercise '{exercise.id}': the order must list each step once "
                         f"({', '.join(exercise.answer)}), not {', '.join(order)}")
    in_place = tuple(a == b for a, b in zip(order, exercise.answer))
    return OrderResult(tuple(order), in_place, all(in_place), round(sum(in_place) / len(in_place), 4))
