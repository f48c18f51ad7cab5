"""Warm pages under `fmse-course serve --warm N` (widgets/warm.py).

The plan (which pages keep a warm kernel) is pure logic and tested directly. The real server is tested on a
small course of its own (two probe modules and a landing page, FMSE_COURSE_ROOT): two learners open the same
warm page one after the other, each page's kernel learns its own visitor from the request before it records
anything, each answer lands under the right learner, each kernel belongs to the browser session that opened
its page (and to nobody before), and the server never keeps more than N kernels waiting.
"""
from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.request

import pytest

from fmse_widgets.course import PageInfo
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.warm import DEFAULT_WARM, MAX_NEXT, WarmPlan, next_module, notebook_of


def page(path: str, kind: str = "module") -> PageInfo:
    lang = "cy" if path.startswith("cy/") else "en"
    return PageInfo(path=path, page=path, lang=lang, kind=kind, title=path)


COURSE = [page("index.ipynb", "landing"),
          *(page(f"en/0{i}.ipynb") for i in range(4)), *(page(f"cy/0{i}.ipynb") for i in range(4)),
          page("en/dashboard.ipynb", "dashboard"), page("cy/dangosfwrdd.ipynb", "dashboard"),
          page("en/glossary.ipynb", "reference")]


def test_the_plan_starts_with_the_landing_page_the_first_modules_and_the_dashboards():
    plan = WarmPlan(5, COURSE)
    assert plan.warm() == ["index.ipynb", "cy/00.ipynb", "en/00.ipynb", "en/dashboard.ipynb",
                           "cy/dangosfwrdd.ipynb"]
    assert sum(plan.sizes().values()) == 5
    assert "en/glossary.ipynb" not in WarmPlan(100, COURSE).warm()  # reference pages are never warmed


@pytest.mark.parametrize("budget", [0, 1, 3, 8, 100])
def test_the_plan_never_keeps_more_than_its_budget(budget):
    plan = WarmPlan(budget, COURSE)
    for path in ["en/00.ipynb", "en/01.ipynb", "cy/02.ipynb", "index.ipynb", "en/02.ipynb", "cy/00.ipynb"]:
        plan.opened(path)
        sizes = plan.sizes()
        assert sum(sizes.values()) <= budget
        assert set(sizes.values()) <= {0, 1}


def test_opening_a_module_warms_the_next_one_in_its_language():
    plan = WarmPlan(3, COURSE)
    assert plan.warm() == ["index.ipynb", "cy/00.ipynb", "en/00.ipynb"]
    assert plan.opened("cy/01.ipynb") is True
    assert plan.warm() == ["index.ipynb", "cy/02.ipynb", "cy/00.ipynb"]  # Welsh module 2 next, not English
    plan.opened("cy/02.ipynb")  # the learner went on: module 3 now, module 2 no longer
    assert plan.warm() == ["index.ipynb", "cy/03.ipynb", "cy/00.ipynb"]
    assert plan.opened("cy/03.ipynb") is True  # the last module has no next
    assert plan.warm() == ["index.ipynb", "cy/00.ipynb", "en/00.ipynb"]


def test_only_the_most_recent_predictions_are_kept():
    plan = WarmPlan(20, COURSE)
    for path in ["en/00.ipynb", "cy/00.ipynb", "en/02.ipynb", "cy/02.ipynb"]:  # four learners, none moving on
        plan.opened(path)
    assert MAX_NEXT == 3
    assert plan.recent == ["cy/03.ipynb", "en/03.ipynb", "cy/01.ipynb"]  # en/01, the oldest, is dropped


def test_next_module_and_notebook_of_a_request():
    assert next_module("en/01.ipynb", COURSE) == "en/02.ipynb"
    assert next_module("en/03.ipynb", COURSE) is None
    assert next_module("en/dashboard.ipynb", COURSE) is None
    assert notebook_of("/voila/render/cy/01-cyd-destun.ipynb") == "cy/01-cyd-destun.ipynb"
    assert notebook_of("/voila/static/course.js") is None
    assert DEFAULT_WARM == 8


# ---- the real server ---------------------------------------------------------------------------------------------

PROBE = """from fmse_widgets import start_page
from fmse_widgets.recording import ExerciseEvent
COURSE = start_page(PAGE, "en")
COURSE.recorder.record(ExerciseEvent("probe-exercise", PAGE, "en", ("a",), 1.0, True,
                                     "2026-12-06T10:00:00+00:00", "2026-12-06T10:00:01+00:00"))
print("VISITOR", COURSE.learner_id)"""


def notebook(path, source: str, page_id: str, kind: str = "module") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "id": "probe", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": f"PAGE = {page_id!r}\n" + source}],
        "metadata": {"fmse": {"page": page_id, "lang": "en", "kind": kind, "title": page_id},
                     "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


@pytest.fixture(scope="module")
def warm_server(tmp_path_factory):
    from servers import CourseServer

    root = tmp_path_factory.mktemp("warm-pages")
    course = root / "course" / "notebooks"
    notebook(course / "en" / "01-probe.ipynb", PROBE, "probe-one")
    notebook(course / "en" / "02-probe.ipynb", PROBE, "probe-two")
    notebook(course / "index.ipynb", "print('LANDING')", "index", kind="landing")
    with SQLiteStore(root / "data" / "records.sqlite3") as store:
        learners = [store.add_learner(name).learner_id for name in ("Alaw", "Bryn")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FMSE_COURSE_ROOT", str(root / "course"))
        patch.setenv("FMSE_DATA_DIR", str(root / "data"))
        running = CourseServer(root, "--warm", "3")  # landing, module 1, module 2 (next)
    try:
        wait_for_log(running, r"Kernel pool of en/01-probe.ipynb is filled", 1)
        yield running, learners, root / "data" / "records.sqlite3"
    finally:
        running.stop()


def wait_for_log(server, pattern: str, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(re.findall(pattern, server.log())) < count:
        assert time.monotonic() < deadline, f"waited {timeout} s for {pattern!r}:\n{server.log()[-4000:]}"
        time.sleep(0.3)


def browser(base: str):
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(opener, url: str) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8", "replace")


@pytest.mark.slow  # a process of its own
def test_two_learners_on_warm_pages_each_get_their_own_records(warm_server):
    server, (alaw, bryn), records = warm_server
    kernels = {}
    for turn, learner in enumerate((alaw, bryn), start=1):
        # The page's pool is full again (one warm kernel waiting) before each learner opens it.
        wait_for_log(server, r"Kernel pool of en/01-probe.ipynb is filled", turn)
        opener = browser(server.base)
        status, body = get(opener, f"{server.base}/voila/render/en/01-probe.ipynb?learner={learner}")
        assert status == 200, server.log()[-4000:]
        assert f"VISITOR {learner}" in body, body[-3000:]
        kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body).group(1)
        kernels[learner] = (opener, kernel_id)
    uses = re.findall(r"Using pre-heated kernel: \S+ for en/01-probe.ipynb", server.log())
    assert len(uses) == 2, server.log()[-4000:]  # both pages were warm ones, not kernels started for them
    with SQLiteStore(records) as store:
        events = {(e.learner_id, e.exercise_id, e.page) for e in store.events()}
    assert events == {(alaw, "probe-exercise", "probe-one"), (bryn, "probe-exercise", "probe-one")}
    # Each warm kernel belongs to the browser session whose page took it, and to no other.
    (alaw_browser, alaw_kernel), (bryn_browser, bryn_kernel) = kernels[alaw], kernels[bryn]
    assert get(alaw_browser, f"{server.base}/api/kernels/{alaw_kernel}")[0] == 200
    assert get(bryn_browser, f"{server.base}/api/kernels/{alaw_kernel}")[0] == 404
    assert get(alaw_browser, f"{server.base}/api/kernels/{bryn_kernel}")[0] == 404


@pytest.mark.slow  # a process of its own
def test_a_waiting_warm_kernel_belongs_to_nobody_and_the_budget_holds(warm_server):
    server, _, _ = warm_server
    stranger = browser(server.base)
    assert get(stranger, f"{server.base}/voila/render/index.ipynb")[0] == 200  # a browser session of its own
    wait_for_log(server, r"Kernel pool of index.ipynb is filled", 2)  # the landing page's warm kernel replaced
    wait_for_log(server, r"Kernel pool of en/02-probe.ipynb is filled", 1)
    started = re.findall(r"Kernel started: ([0-9a-f-]{36})", server.log())
    used = set(re.findall(r"Using pre-heated kernel: ([0-9a-f-]{36})", server.log()))
    waiting = [k for k in started if k not in used]
    assert waiting, server.log()[-3000:]
    for kernel_id in waiting:
        assert get(stranger, f"{server.base}/api/kernels/{kernel_id}")[0] == 404
        assert get(stranger, f"{server.base}/fmse/api/kernel/{kernel_id}")[0] == 404
    from fmse_widgets.processes import kernel_processes

    # At most the budget of 3 waiting, plus the 3 pages opened in this module's tests (not yet culled).
    assert len(kernel_processes(server.process.pid)) <= 3 + 3
