"""Text that serves both languages at once (Welsh first), taken from the gettext catalogue.

Server refusals, the workshop's join page and error pages speak to someone whose language the server does not
know, so they say everything in Welsh and in English. The English is written here in the code (extracted into
fmse.pot with its context, like every interface string) and the Welsh comes from the catalogue, so that each
Welsh sentence has one home with a draft/reviewed status, the spelling test and the termbase test.
"""
from __future__ import annotations

from .i18n import CatalogueError, translator


def welsh(context: str, english: str) -> str:
    """The Welsh of one catalogue message; the English when the catalogue cannot be read (the server must still
    answer; `fmse-course check` reports the damaged catalogue)."""
    try:
        return translator("cy").pgettext(context, english)
    except CatalogueError:
        return english


def both(context: str, english: str, **values) -> tuple[str, str]:
    """(Welsh, English) of one message, with {placeholders} filled in."""
    return welsh(context, english).format(**values), english.format(**values)


def joined(context: str, english: str, sep: str = " / ", **values) -> str:
    """One message in both languages on one line (or `sep` between them), Welsh first."""
    return sep.join(both(context, english, **values))


def marked(context: str, english: str) -> str:
    """Marks a message for extraction where it is defined; it is translated later, where it is used."""
    return english
