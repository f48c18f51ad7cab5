"""Interface strings (buttons, feedback words, progress) through gettext, with `lang` passed explicitly.

The Welsh catalogue is the committed `.po` file, compiled in memory when first used (no `.mo` in the
repository). English is the source language, so English needs no catalogue.
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from .paths import locale_dir

DOMAIN = "fmse"
PLURALS = {"cy": 6}  # zero, one, two, few, many, other


class CatalogueError(RuntimeError):
    """The Welsh catalogue is missing or unreadable."""


def catalogue_path(lang: str, folder: Path | None = None) -> Path:
    return (folder or locale_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compile(po_path: Path) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    try:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except FileNotFoundError:
        raise CatalogueError(f"the interface catalogue {po_path} is missing: restore it from the "
                             f"repository (git checkout -- {po_path.name})") from None
    except Exception as exc:  # babel raises several types for malformed files
        raise CatalogueError(f"the interface catalogue {po_path} cannot be read: {exc}") from None
    if catalog.num_plurals != PLURALS[po_path.parent.parent.name]:
        raise CatalogueError(f"the interface catalogue {po_path} cannot be read: its Plural-Forms header must give "
                             f"{PLURALS[po_path.parent.parent.name]} forms, and gives {catalog.num_plurals}")
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=None)
def translator(lang: str, folder: Path | None = None) -> gettext.NullTranslations:
    """The translations for `lang`: gettext(), ngettext(), pgettext() and npgettext() on the result."""
    if lang == "en":
        return gettext.NullTranslations()
    if lang == "cy":
        return _compile(catalogue_path(lang, folder))
    raise ValueError(f"unknown language {lang!r}: use 'en' or 'cy'")
