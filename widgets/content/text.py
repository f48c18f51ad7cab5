"""A learner-visible string in both languages, with the state of its Welsh translation."""
from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass

from ..languages import LANGS

__all__ = ["CY_STATUSES", "LANGS", "HasTexts", "Text", "english_hash", "texts_in"]
# official: the alert's own Welsh; reviewed: team Welsh signed off by a Welsh speaker; draft: not yet reviewed.
CY_STATUSES = ("official", "reviewed", "draft")


def english_hash(english: str) -> str:
    """Short fingerprint of the English a Welsh string was translated from (whitespace-insensitive)."""
    normal = " ".join(unicodedata.normalize("NFC", english).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    cy: str
    cy_status: str = "draft"
    cy_en_hash: str = ""

    def __call__(self, lang: str) -> str:
        """The text in `lang` ("en" or "cy")."""
        if lang == "en":
            return self.en
        if lang == "cy":
            return self.cy
        raise ValueError(f"unknown language {lang!r}: use 'en' or 'cy'")

    @property
    def stale(self) -> bool:
        """True when the English changed after the Welsh was written."""
        return self.cy_en_hash != english_hash(self.en)

    @property
    def draft(self) -> bool:
        return self.cy_status == "draft"


def texts_in(value: object, where: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text inside `value` (dataclasses, tuples, lists and dicts, walked in field order), with where it sits.

    The content classes' `texts()` come from here, so a text field added to a class is checked for parity,
    placeholders and staleness without anyone remembering to list it.
    """
    if isinstance(value, Text):
        yield where, value
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from texts_in(getattr(value, field.name), f"{where}.{field.name}" if where else field.name)
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from texts_in(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, f"{where}.{key}" if where else str(key))


class HasTexts:
    """Mixin for a content dataclass: `texts()` lists every learner-visible string in it (parity checks)."""
    __slots__ = ()

    def texts(self) -> list[tuple[str, Text]]:
        """Every learner-visible string with the field it sits in, derived from the dataclass's fields."""
        return list(texts_in(self))
