"""The quick run (scripts/test --quick) stays quick as the suite grows: a test not marked slow that starts a process
fails saying so, PostgreSQL, server and browser fixtures mark their tests slow, and the files are ordered longest
first without splitting a file (tests/conftest.py)."""
from __future__ import annotations

import subprocess
import sys

import pytest


def test_a_quick_test_that_starts_a_process_fails_saying_to_mark_it_slow():
    with pytest.raises(AssertionError, match=r"starts a process \(python[\d.]*\) but is not marked slow"):
        subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_the_gettext_tools_are_quick_enough_to_start():
    done = subprocess.run(["msgfmt", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "msgfmt" in done.stdout


@pytest.mark.slow
def test_a_slow_test_may_start_one():
    done = subprocess.run([sys.executable, "-c", "print('started')"], capture_output=True, text=True, check=True)
    assert done.stdout == "started\n"


def test_the_postgresql_case_of_a_test_on_both_backends_is_slow(request, records_backend):
    assert (request.node.get_closest_marker("slow") is not None) == (records_backend == "postgresql")


def test_every_collected_test_with_postgresql_a_server_or_a_browser_is_slow(request):
    heavy = [item for item in request.session.items
             if {"pg_url", "course_server", "browser"} & set(getattr(item, "fixturenames", ()))
             or getattr(getattr(item, "callspec", None), "params", {}).get("records_backend") == "postgresql"]
    assert [item.nodeid for item in heavy if not item.get_closest_marker("slow")] == []


def test_each_file_runs_as_one_block(request):
    files = [item.path for item in request.session.items]
    blocks = [path for n, path in enumerate(files) if n == 0 or files[n - 1] != path]
    assert len(blocks) == len(set(files)), "a file's tests are split: its module fixtures would start twice"
