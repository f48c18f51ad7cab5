"""Shared fixtures: paths of the course, a temporary copy of it, and sample content."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Nothing a test does may touch the user's own course data (setting file, learner records): every process the
# tests start (servers, nbval kernels) inherits this throwaway data folder.
os.environ["FMSE_DATA_DIR"] = tempfile.mkdtemp(prefix="fmse-test-data-")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/servers.py
# Nor the records store a deployment points at: tests choose their backend (records_backend, pg_url).
os.environ.pop("FMSE_RECORDS_URL", None)

from postgres_db import pg_url, records_backend  # noqa: E402,F401  (fixtures for every test file)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def course_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway copy of data/ and notebooks/, with FMSE_COURSE_ROOT pointing at it."""
    copy = tmp_path / "course"
    for folder in ("data", "notebooks"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    monkeypatch.setenv("FMSE_COURSE_ROOT", str(copy))
    _clear_caches()
    yield copy
    _clear_caches()


def _clear_caches() -> None:
    from fmse_widgets.content import course_text, loader, services

    loader._load.cache_clear()
    services._services.cache_clear()
    course_text._course_text.cache_clear()


@pytest.fixture(scope="session")
def course_server(tmp_path_factory):
    """The real `fmse-course serve` on a free port of 127.0.0.1, for the whole test session."""
    from servers import CourseServer

    server = CourseServer(tmp_path_factory.mktemp("server"))
    yield server
    server.stop()
