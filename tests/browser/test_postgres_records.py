"""In the real Voilà server and headless Chromium: a course server pointed at PostgreSQL (FMSE_RECORDS_URL) keeps a
learner's answer there, and writes no SQLite file (issue 19)."""
from __future__ import annotations

import time

import pytest
from pagekit import RENDERED, exercise_ids

from exercise_keys import complete
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator
from fmse_widgets.records.recorder import store_at
from postgres_db import create_database, drop_database

pytestmark = pytest.mark.browser
PAGE = "en/01-context.ipynb"


@pytest.fixture(scope="module")
def postgres_server(tmp_path_factory):
    from servers import CourseServer

    url = create_database()
    root = tmp_path_factory.mktemp("postgres-records")
    with store_at(url) as store:
        learner = store.add_learner("Alys Postgres").learner_id
    server = CourseServer(root, env={"FMSE_DATA_DIR": str(root / "data"), "FMSE_RECORDS_URL": url})
    yield server, url, learner, root
    server.stop()
    drop_database(url)


def test_an_answer_on_a_page_is_kept_in_postgresql_and_no_sqlite_file_is_written(visit, postgres_server):
    server, url, learner, root = postgres_server
    page = visit().page
    page.goto(f"{server.base}/voila/render/{PAGE}?learner={learner}", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)
    page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === {len(exercise_ids(PAGE))}",
                           timeout=60_000)
    first = exercise_ids(PAGE)[0]
    assert complete(page, 0, load(first), "en", translator("en"))  # the exercise's feedback is there
    deadline, found = time.monotonic() + 30, []
    while not found and time.monotonic() < deadline:
        with store_at(url) as store:
            found = [e for e in store.events(learner_id=learner) if e.exercise_id == first]
        time.sleep(0.3)
    assert found and found[0].page == "context" and found[0].lang == "en"
    assert not list(root.rglob("*.sqlite3*"))  # nothing on the server's disk
