"""The letter's date as a text field written day/month/year, in both page languages.

A browser's own date field (`<input type="date">`, ipywidgets' DatePicker) shows its date in the order of the
browser's language, not the page's: an English (US) Chromium shows 06/12/2026 for 12 June on a Welsh page, and
no `lang` attribute or page setting changes that. Staff in Wales read 06/12/2026 as 6 December, so the field is
plain text with the order said in its label and placeholder.
"""
from __future__ import annotations

import datetime as dt
import re

DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})\s*$")
ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def show_day(day: dt.date) -> str:
    """12 June 2026 -> '12/06/2026'."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_day(text: str) -> dt.date | None:
    """The date written in `text` (day/month/year, with / . - or a space between; or 2026-06-12); None when the
    field is empty. ValueError when it is not a date written that way (or not a real date, such as 31/02)."""
    if not text.strip():
        return None
    found = DAY_MONTH_YEAR.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        return dt.date(year, month, day)
    found = ISO.match(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
        return dt.date(year, month, day)
    raise ValueError(f"{text!r} is not a date written day/month/year")
