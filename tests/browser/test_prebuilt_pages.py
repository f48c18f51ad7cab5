"""Warm pages whose exercises were built before the visitor came (widgets/prebuild.py), in real Chromium: the page
is the same as one run for its visitor from the start (--warm 0), its exercises answer, and every answer is
recorded under the learner who opened it, in both languages."""
from __future__ import annotations

import re
import sqlite3
import time

import pytest

from fmse_widgets.records.sqlite import SQLiteStore
from pagekit import RENDERED, answer_all, exercise_ids
from servers import CourseServer

pytestmark = pytest.mark.browser

MODULE_0 = {"en": "en/00-start-here.ipynb", "cy": "cy/00-dechrau-yma.ipynb"}

# What a learner meets: each exercise's classes, text and controls, and the page's whole text.
PAGE_JS = """() => ({
    exercises: [...document.querySelectorAll('.fmse-exercise')].map(e => [
        e.className, e.innerText, e.querySelectorAll('input, button, select, textarea, [role=radio]').length]),
    text: document.body.innerText,
})"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A server with warm pages and one without (every page run for its visitor from the start), sharing one data
    folder, so one learner can open the same page on each."""
    root = tmp_path_factory.mktemp("prebuilt")
    data = root / "data"
    data.mkdir()
    warm = CourseServer(root, "--warm", "6", env={"FMSE_DATA_DIR": str(data)})  # module 0 stays warm after a visit
    try:
        cold = CourseServer(root, env={"FMSE_DATA_DIR": str(data)})
        try:
            yield warm, cold, data / "records.sqlite3"
        finally:
            cold.stop()
    finally:
        warm.stop()


def wait_for_pool(server, path: str, count: int = 1, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while server.log().count(f"Kernel pool of {path} is filled") < count:
        assert time.monotonic() < deadline, server.log()[-4000:]
        time.sleep(0.5)


def open_as(visit, server, path: str, learner: str):
    v = visit()
    v.page.goto(f"{server.base}/voila/render/{path}?learner={learner}", wait_until="domcontentloaded",
                timeout=60_000)
    v.page.wait_for_function(RENDERED, timeout=60_000)
    v.page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === "
                             f"{len(exercise_ids(path))}", timeout=60_000)
    return v


def used_warm(server, path: str) -> int:
    return len(re.findall(rf"Using pre-heated kernel: \S+ for {re.escape(path)}", server.log()))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_prebuilt_page_is_the_same_page_and_records_under_its_visitor(visit, servers, lang):
    warm, cold, records = servers
    path = MODULE_0[lang]
    with SQLiteStore(records) as store:
        learner, other = (store.add_learner(name).learner_id for name in ("Alaw", "Bryn"))
    for turn in (1, 2):  # a first visit, then again with earlier answers (the notes on each exercise)
        wait_for_pool(warm, path, turn)
        before = used_warm(warm, path)
        shown = open_as(visit, warm, path, learner).page
        assert used_warm(warm, path) == before + 1  # the page came from a warm kernel, built before its visitor
        expected = open_as(visit, cold, path, learner).page.evaluate(PAGE_JS)
        assert len(expected["exercises"]) == len(exercise_ids(path)) >= 2
        assert shown.evaluate(PAGE_JS) == expected
        if turn == 1:
            assert "fmse-previous-answer" not in shown.content()
            answer_all(shown, path, lang)
            deadline = time.monotonic() + 30
            while not saved(records, learner, path) and time.monotonic() < deadline:
                time.sleep(0.3)
            with sqlite3.connect(records) as db:
                rows = db.execute("SELECT learner_id, exercise_id, page, lang FROM events WHERE lang = ?",
                                  (lang,)).fetchall()  # this language's page (the module fixture serves both)
            assert {r[1] for r in rows} == set(exercise_ids(path))
            assert {(r[0], r[2], r[3]) for r in rows} == {(learner, "start-here", lang)}  # nobody else's
        else:
            assert shown.locator(".fmse-previous-answer").count() == len(exercise_ids(path))
    assert other not in {r[0] for r in rows}


def saved(records, learner: str, path: str) -> bool:
    with sqlite3.connect(records) as db:
        done = {r[0] for r in db.execute("SELECT exercise_id FROM events WHERE learner_id = ? AND lang = ?",
                                         (learner, path.split("/")[0]))}
    return done == set(exercise_ids(path))
