"""Where the course's folders are: one place, so notebooks, commands and tests agree.

Two layouts, one function per folder:

- a checkout of the repository (an editable install, `pip install -e .`): the package is `widgets/` and the
  course's folders sit beside it (`notebooks/`, `data/`);
- an installed wheel: the build maps `notebooks/` and `data/` into the package (`fmse_widgets/notebooks`,
  `fmse_widgets/data`; see `[tool.setuptools]` in pyproject.toml and docs/decisions.md).

The template (`jupyter/`), the catalogue (`locale/`) and the workshop's join page (`workshop/templates/`) live
inside the package in both layouts.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def installed() -> bool:
    """True when running from an installed wheel (its package holds the notebooks), False in a checkout."""
    return (PACKAGE / "notebooks").is_dir()


def course_root() -> Path:
    """The folder holding notebooks/ and data/ (FMSE_COURSE_ROOT overrides it, e.g. for tests)."""
    override = os.environ.get("FMSE_COURSE_ROOT")
    if override:
        return Path(override).resolve()
    return PACKAGE if installed() else PACKAGE.parent


def notebooks_dir() -> Path:
    """The course's pages, as the server reads them (read-only is fine: Voilà never writes them)."""
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


def lab_settings_dir() -> Path:
    """The course's JupyterLab application settings (overrides.json) for `fmse-course lab`."""
    return PACKAGE / "jupyter" / "lab" / "settings"


def workshop_templates_dir() -> Path:
    """The workshop's join page (tornado templates)."""
    return PACKAGE / "workshop" / "templates"


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("fmse-course")
    except PackageNotFoundError:  # a checkout used without installing it (PYTHONPATH)
        return "0+checkout"


def lab_notebooks_dir() -> Path:
    """The notebooks JupyterLab opens: it saves them, so they must be writable.

    In a checkout (or with FMSE_COURSE_ROOT) they are the course's own notebooks. From an installed wheel
    they are copied once per course version into the user's data folder (`notebooks-<version>`, beside the
    records), and a copy already there is kept as it is, with any changes the trainer made.
    """
    if os.environ.get("FMSE_COURSE_ROOT") or not installed():
        return notebooks_dir()
    from .userdata import data_folder

    target = data_folder() / f"notebooks-{version()}"
    if not target.is_dir():
        partial = target.with_name(f".{target.name}.copying-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(notebooks_dir(), partial, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        for path in partial.rglob("*"):  # site-packages may be read-only: the copy must not be
            path.chmod(path.stat().st_mode | 0o200)
        partial.chmod(partial.stat().st_mode | 0o200)
        try:
            os.replace(partial, target)
        except OSError:  # another `fmse-course lab` made the copy first
            shutil.rmtree(partial, ignore_errors=True)
            if not target.is_dir():
                raise
    return target
