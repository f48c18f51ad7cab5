"""In the real Voilà server, the learner id in a page's link reaches the page's kernel (QUERY_STRING) and
chooses whose records the page writes to; an unknown or malformed id is ignored.

SQLite-only: this is about the link reaching the kernel, not the store; a real Voilà page writing to PostgreSQL is
tests/browser/test_postgres_records.py.
"""
from __future__ import annotations

import json
import re

import pytest

from fmse_widgets.records.sqlite import SQLiteStore

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

PROBE = ("from fmse_widgets.records import start_records\n"
         "found, recorder = start_records()\n"
         "print('LEARNER', found.learner_id if found else None, found.source if found else None, "
         "type(recorder).__name__)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from servers import CourseServer

    root = tmp_path_factory.mktemp("voila-records")
    notebooks = root / "course" / "notebooks" / "en"
    notebooks.mkdir(parents=True)
    (notebooks / "probe.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "code", "id": "probe", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": PROBE}],
        "metadata": {"fmse": {"page": "probe", "lang": "en", "kind": "reference", "title": "Probe"},
                     "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    with SQLiteStore(root / "data" / "records.sqlite3") as store:
        learner = store.add_learner("Probe").learner_id
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FMSE_COURSE_ROOT", str(root / "course"))
        patch.setenv("FMSE_DATA_DIR", str(root / "data"))
        running = CourseServer(root)
    yield running, learner
    running.stop()


def seen(server, query: str) -> str:
    from servers import fetch

    running, _ = server
    status, _, body = fetch(f"{running.base}/voila/render/en/probe.ipynb?{query}")
    assert status == 200, running.log()
    found = re.search(r"LEARNER [^<\n]*", body)
    assert found, body[-2000:]
    return found.group(0)


def test_a_known_learner_in_the_link_gets_their_records(server):
    _, learner = server
    assert seen(server, f"learner={learner}") == f"LEARNER {learner} link StoreRecorder"


@pytest.mark.parametrize("query", ["learner=" + "f" * 32, "learner=%3Cscript%3Ealert(1)%3C/script%3E", ""])
def test_an_unknown_or_malformed_learner_is_ignored(server, query):
    assert seen(server, query) == "LEARNER None None PageRecorder"
