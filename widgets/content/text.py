"""A learner-visible string in both languages, with the state of its Welsh translation."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

LANGS = ("en", "cy")
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
