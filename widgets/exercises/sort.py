"""Marking items sorted into categories."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..content.exercises import SortExercise, SortItem


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: SortItem
    placed: str              # the category id the learner chose
    right: bool


@dataclass(frozen=True, slots=True)
class SortResult:
    items: tuple[ItemResult, ...]
    score: float

    @property
    def right(self) -> int:
        return sum(i.right for i in self.items)

    @property
    def correct(self) -> bool:
        return all(i.right for i in self.items)

    @property
    def choices(self) -> tuple[str, ...]:
        """For the recording interface: "<item id>.<category id>" in the exercise's order."""
        return tuple(f"{i.item.id}.{i.placed}" for i in self.items)


def check(exercise: SortExercise, placed: Mapping[str, str]) -> SortResult:
    """Mark a sorting given as {item id: category id}; every item must be placed."""
    unknown = set(placed) - {i.id for i in exercise.items}
    if unknown:
        raise ValueError(f"exercise '{exercise.id}' has no item(s) {', '.join(sorted(unknown))}")
    categories = {c.id for c in exercise.categories}
    bad = sorted(v for v in placed.values() if v not in categories)
    if bad:
        raise ValueError(f"exercise '{exercise.id}' has no category {bad[0]!r}")
    missing = [i.id for i in exercise.items if i.id not in placed]
    if missing:
        raise ValueError(f"exercise '{exercise.id}': place every item first (missing: {', '.join(missing)})")
    results = tuple(ItemResult(i, placed[i.id], placed[i.id] == i.category) for i in exercise.items)
    return SortResult(results, round(sum(r.right for r in results) / len(results), 4))
