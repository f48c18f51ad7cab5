"""What every exercise type shares: the alert sections a "why" cites, and unique ids within one exercise."""
from __future__ import annotations

from ..fields import ID_PATTERN, Fields

# The alert's sections, which a "why" cites; "course" marks material drawn from shared/reference sources.
SECTIONS = ("context", "what-it-looks-like", "preventative-education", "supporting-victims",
            "adult-victims", "parents-letter", "course")


def unique_id(entry: Fields, seen: set[str], what: str) -> str:
    """The entry's id, failing when another entry of the same exercise already has it."""
    item_id = entry.string("id", pattern=ID_PATTERN)
    if item_id in seen:
        entry.fail(f"{what} id {item_id!r} is used twice in this exercise", "id")
    seen.add(item_id)
    return item_id
