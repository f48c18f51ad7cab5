"""The alert's text as the course team received it, read at test time.

The repository keeps a copy (data/source/nca-alert-fmse-en-cy.txt) so a fresh clone can run every test; where
the team's shared folder sits beside the repository (../shared, or FMSE_SHARED_DIR), that is the text read, and
a test checks the copy has not drifted from it.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_NAME = "source/nca-alert-fmse-en-cy.txt"
WELSH_TITLE = "Blacmel rhywiol ag ysgogiad ariannol"
LOST_LINK = re.compile(r"\[([^\]]+)\]\(#\)")


def shared_dir() -> Path:
    return Path(os.environ.get("FMSE_SHARED_DIR") or ROOT.parent / "shared")


def repository_copy() -> Path:
    return ROOT / "data" / SOURCE_NAME


def source_path() -> Path:
    """The shared folder's text when it is there, else the repository's copy; fails (never skips) if neither."""
    for path in (shared_dir() / SOURCE_NAME, repository_copy()):
        if path.is_file():
            return path
    pytest.fail(f"the alert's text is missing: expected {repository_copy()} (or the team's shared folder beside "
                f"the repository, ../shared, or FMSE_SHARED_DIR).", pytrace=False)


@lru_cache(maxsize=1)
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def alert_text() -> str:
    return _text(source_path())


def alert_halves() -> dict[str, str]:
    """The English text (first) and the official Welsh text (second), split at the Welsh title."""
    text = alert_text()
    match = re.search(rf"^{re.escape(WELSH_TITLE)}$", text, re.M)
    if match is None:
        pytest.fail(f"{source_path()}: the Welsh title line {WELSH_TITLE!r} was not found", pytrace=False)
    return {"en": text[:match.start()], "cy": text[match.start():]}


def clean(text: str) -> str:
    """Text as a reader sees it: lost links shown as their words, no bold marks, single spaces."""
    text = LOST_LINK.sub(r"\1", text).replace("**", "")
    return " ".join(text.split())
