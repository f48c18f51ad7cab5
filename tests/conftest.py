"""Shared fixtures: paths of the course, a temporary copy of it, and sample content."""
from __future__ import annotations

import os
import shutil
import subprocess
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


# The quick run (scripts/test --quick: not slow, not browser) must stay within a minute as the suite grows, so a test
# that starts a process (a server, a kernel, the command line in a process of its own, a hub) or uses PostgreSQL is
# marked slow: by hand for processes (the guard below fails a test that forgets), and here for the fixtures that
# start one. The gettext tools and chattr are small C programs quick tests may use.
QUICK_PROGRAMS = {"msgcat", "msgattrib", "msgfmt", "msgmerge", "msgconv", "msginit", "msggrep", "msgfilter", "chattr"}
SLOW_FIXTURES = {"pg_url", "course_server", "browser"}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        uses_postgres = callspec is not None and callspec.params.get("records_backend") == "postgresql"
        if fixtures & SLOW_FIXTURES or uses_postgres or not isinstance(item, pytest.Function):
            item.add_marker(pytest.mark.slow)  # notebooks (nbval) start a kernel each
    # The longest files first, so that in two processes (scripts/test: --dist loadfile, --no-loadscope-reorder)
    # no long file starts last while the other process sits idle. A file's order inside stays as written.
    weight: dict[str, float] = {}
    for item in items:
        weight[item.path] = weight.get(item.path, 0.0) + _expected_seconds(item)
    for path in {item.path for item in items if item.get_closest_marker("slow") or item.get_closest_marker("browser")}:
        weight[path] += 20.0  # its servers, kernels or installs start: every such file before the quick-only ones
    first_seen = {path: n for n, path in reversed(list(enumerate(item.path for item in items)))}
    items.sort(key=lambda item: (-_file_seconds(item.path, weight[item.path]), first_seen[item.path]))


def _expected_seconds(item) -> float:
    """A rough cost (seconds on two idle cores) from a test's marks: enough to put the long files first."""
    if item.get_closest_marker("browser"):
        return 6.0
    if not isinstance(item, pytest.Function):
        return 0.3  # a notebook cell (nbval)
    if item.get_closest_marker("slow"):
        return 3.0
    return 0.05


def _file_seconds(path: Path, from_marks: float) -> float:
    """The file's measured cost where scripts/test recorded one (tests/durations.json), else the marks' guess."""
    return _MEASURED.get(path.relative_to(ROOT).as_posix(), from_marks) if path.is_relative_to(ROOT) else from_marks


def _measured() -> dict[str, float]:
    import json

    try:
        return json.loads((ROOT / "tests" / "durations.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


_MEASURED = _measured()


_quick_test: list[str] = []  # the node id of the running test when it is not marked slow or browser


def _watched(item):
    quick = item.get_closest_marker("slow") is None and item.get_closest_marker("browser") is None
    if quick:
        _quick_test.append(item.nodeid)
    try:
        yield
    finally:
        if quick:
            _quick_test.pop()


# Setup and the test itself (not teardown: the last test of a file may be quick while its file's slow fixture
# stops a server it started for the slow tests before it).
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from _watched(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from _watched(item)


_popen_init = subprocess.Popen.__init__


def _guarded_popen_init(self, args, *rest, **kwargs):
    if _quick_test:
        argv = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
        program = Path(os.fsdecode(argv[0]).split()[0]).name if argv else ""
        if program not in QUICK_PROGRAMS:
            raise AssertionError(
                f"{_quick_test[-1]} starts a process ({program}) but is not marked slow: the quick run "
                f"(scripts/test --quick) starts none. Add @pytest.mark.slow  # a process of its own")
    _popen_init(self, args, *rest, **kwargs)


subprocess.Popen.__init__ = _guarded_popen_init  # type: ignore[method-assign]
