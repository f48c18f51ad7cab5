"""Sort into categories, with a select per item (no dragging: WCAG 2.2, 2.5.7)."""
from __future__ import annotations

from dataclasses import dataclass

from ..fields import Fields
from ..text import HasTexts, Text
from .common import SECTIONS, unique_id


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class SortItem:
    id: str
    text: Text
    category: str              # the id of the category it belongs in
    feedback: Text


@dataclass(frozen=True, slots=True)
class SortExercise(HasTexts):
    """Items the learner puts into categories with a select per item (no dragging: WCAG 2.2, 2.5.7)."""
    id: str
    type: str
    section: str
    prompt: Text
    categories: tuple[Category, ...]
    items: tuple[SortItem, ...]
    why: Text

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)


def parse_sort(f: Fields, exercise_id: str, kind: str) -> SortExercise:
    categories: list[Category] = []
    seen: set[str] = set()
    for entry in f.items("categories", minimum=2):
        categories.append(Category(id=unique_id(entry, seen, "category"), label=entry.text("label")))
        entry.no_other_keys()
    category_ids = tuple(c.id for c in categories)
    items: list[SortItem] = []
    seen_items: set[str] = set()
    for entry in f.items("items", minimum=2):
        items.append(SortItem(id=unique_id(entry, seen_items, "item"), text=entry.text("text"),
                              category=entry.string("category", choices=category_ids),
                              feedback=entry.text("feedback")))
        entry.no_other_keys()
    empty = [c for c in category_ids if not any(i.category == c for i in items)]
    if empty:
        f.fail(f"category {empty[0]!r} has no items: every category needs at least one", "items")
    return SortExercise(id=exercise_id, type=kind, section=f.string("section", choices=SECTIONS),
                        prompt=f.text("prompt"), categories=tuple(categories), items=tuple(items), why=f.text("why"))
