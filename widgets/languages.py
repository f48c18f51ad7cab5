"""The course's two languages: the one place that says which they are and in what order.

`LANGS` is the canonical order (English is gettext's source language, so it comes first in catalogues and
content files); `WELSH_FIRST` is the order in which both are shown together (the landing page, a certificate
or letter in both languages), because Welsh is never second.
"""
from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "cy")
WELSH_FIRST: tuple[str, ...] = ("cy", "en")
