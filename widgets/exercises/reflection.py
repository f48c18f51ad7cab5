"""A reflection's text as a file the learner can keep: built in the kernel, offered as a data: link.

Nothing here stores or sends the text anywhere; the link carries it straight back to the learner's browser.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_CHARS = 20_000  # a generous page of notes; longer text is cut (and the learner told)


def as_file_text(prompt: str, text: str, *, heading: str) -> str:
    """The file's contents: a heading, the prompt, and the learner's text, with Windows-friendly line ends."""
    body = f"{heading}\n\n{prompt}\n\n{text.strip()}\n"
    return body.replace("\r\n", "\n").replace("\n", "\r\n")


def data_url(content: str) -> str:
    """A data: URL for a UTF-8 text file (with a byte-order mark so that Windows Notepad shows Welsh letters)."""
    return "data:text/plain;charset=utf-8," + quote("\ufeff" + content, safe="")


def file_name(exercise_id: str, lang: str) -> str:
    base = {"en": "my-notes", "cy": "fy-nodiadau"}[lang]
    slug = re.sub(r"[^a-z0-9-]", "", unicodedata.normalize("NFKD", exercise_id).lower())
    return f"{base}-{slug}.txt"


def too_long(text: str) -> bool:
    return len(text) > MAX_CHARS
