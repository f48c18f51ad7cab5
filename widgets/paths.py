"""Where the course's folders are: one place, so notebooks, commands and tests agree."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def course_root() -> Path:
    """The project folder holding notebooks/ and data/ (FMSE_COURSE_ROOT overrides it, e.g. for tests)."""
    override = os.environ.get("FMSE_COURSE_ROOT")
    return Path(override).resolve() if override else PACKAGE.parent


def notebooks_dir() -> Path:
    return course_root() / "notebooks"


def data_dir() -> Path:
    return course_root() / "data"


def exercises_dir() -> Path:
    return data_dir() / "exercises"


def locale_dir() -> Path:
    return PACKAGE / "locale"


def template_dir() -> Path:
    """The folder put on JUPYTER_PATH so Voilà finds the course template `fmse`."""
    return PACKAGE / "jupyter"
