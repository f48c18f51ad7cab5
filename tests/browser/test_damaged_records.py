"""In the real Voilà server and headless Chromium: with a damaged records file, a learner's Welsh page still
gives feedback, and says in Welsh that the answer was not saved and what to do (issue 13, item 1)."""
from __future__ import annotations

import hashlib
import os

import pytest
from pagekit import RENDERED, exercise_ids

from exercise_keys import complete
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator
from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records.sqlite import SQLiteStore

pytestmark = pytest.mark.browser
PAGE = "cy/01-cyd-destun.ipynb"


@pytest.fixture(scope="module")
def damaged_server(tmp_path_factory):
    from servers import CourseServer

    root = tmp_path_factory.mktemp("damaged-records")
    path = root / "data" / "records.sqlite3"
    with SQLiteStore(path) as store:
        learner = store.add_learner("Gwenllïan").learner_id
        for n in range(2000):
            store.record_event(learner, ExerciseEvent("context-who-is-targeted", "context", "cy",
                                                      ("boys-most-cases",), 1.0, True, "2026-03-01T09:00:00+00:00",
                                                      f"2026-03-01T10:{n % 60:02d}:00+00:00"))
    with path.open("r+b") as handle:  # 8 KB of random bytes into the middle of the file
        handle.seek(path.stat().st_size // 2 // 4096 * 4096 + 100)
        handle.write(os.urandom(8192))
    server = CourseServer(root, env={"FMSE_DATA_DIR": str(root / "data")})
    yield server, learner, path
    server.stop()


def test_a_page_on_a_damaged_records_file_says_so_in_welsh_and_still_gives_feedback(visit, damaged_server):
    server, learner, path = damaged_server
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    v = visit()
    page = v.page
    page.goto(f"{server.base}/voila/render/{PAGE}?learner={learner}", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)
    page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === {len(exercise_ids(PAGE))}",
                           timeout=60_000)
    # The page's progress says at once that the records cannot be used, in Welsh.
    page.wait_for_function("() => document.querySelector('.fmse-progress-view') && "
                           "document.querySelector('.fmse-progress-view').textContent.includes('wedi\\'i difrodi')",
                           timeout=30_000)
    first = exercise_ids(PAGE)[0]
    said = complete(page, 0, load(first), "cy", translator("cy"))
    assert said  # the exercise's feedback is there
    page.wait_for_function("() => [...document.querySelectorAll('.fmse-exercise')][0]"
                           ".querySelector('.fmse-alert').textContent.includes('fmse-course records repair')",
                           timeout=30_000)
    alert = page.evaluate("() => [...document.querySelectorAll('.fmse-exercise')][0]"
                          ".querySelector('.fmse-alert').textContent")
    assert "Mae ffeil y cofnodion dysgu wedi'i difrodi" in alert and "Ni chadwyd eich ateb" in alert
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # and nothing was written to it
