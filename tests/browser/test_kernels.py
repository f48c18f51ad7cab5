"""Kernels close when their page goes, and not while it is open (issue 12, items 3 and 4), in real Chromium:

- ten pages left one after the other, then the browser closed: the server's kernels come back down;
- a page held open past a short cull time still answers an exercise (an unconnected kernel is culled meanwhile);
- when a browser session opens more pages than it may keep, the least recently used page says, in its own
  language, that it was closed, with a real button (reached by Tab) that reloads it.
"""
from __future__ import annotations

import time

import pytest

from exercise_keys import complete
from fmse_widgets import kernels
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator
from fmse_widgets.processes import kernel_processes
from pagekit import RENDERED, exercise_ids
from servers import CourseServer

pytestmark = pytest.mark.browser

LEAVE = ["en/glossary.ipynb", "cy/geirfa.ipynb", "en/accessibility.ipynb", "cy/hygyrchedd.ipynb",
         "en/00-start-here.ipynb", "cy/00-dechrau-yma.ipynb", "en/01-context.ipynb", "cy/01-cyd-destun.ipynb",
         "index.ipynb", "en/glossary.ipynb"]
STATUS_JS = """async (id) => {
    const r = await fetch('/fmse/api/kernel/' + id, {credentials: 'same-origin', cache: 'no-store'});
    return (await r.json()).state;
}"""
REASON_JS = """async (id) => {
    const r = await fetch('/fmse/api/kernel/' + id, {credentials: 'same-origin', cache: 'no-store'});
    const answer = await r.json();
    return answer.state === 'closed' ? answer.reason : '';
}"""
KERNEL_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


def kernel_count(server) -> int:
    return len(kernel_processes(server.process.pid))


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = CourseServer(tmp_path_factory.mktemp("kernels-browser"))
    yield running
    running.stop()


def goto(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=90_000)
    page.wait_for_function(RENDERED, timeout=90_000)


def test_leaving_ten_pages_brings_the_kernels_back_down(visit, server):
    baseline = kernel_count(server)
    v = visit()
    most = 0
    for path in LEAVE:
        goto(v.page, f"{server.base}/voila/render/{path}")
        most = max(most, kernel_count(server))
    # Each page left shut its kernel down (the page's own request on leaving, or the grace period after its
    # websocket closed): the server never held one kernel per page visited.
    assert most - baseline < len(LEAVE) // 2, (baseline, most)
    v.close()
    wait_until(lambda: kernel_count(server) <= baseline, kernels.GRACE + 60, "the kernels to close")


def test_a_page_left_tells_the_server_which_closes_its_kernel_at_once(visit, server):
    # The course's front end (frontend/src/page.js) sends the page's shutdown beacon when it is left, as Voilà's
    # did: the kernel closes straight away ("shutdown"), not GRACE seconds after its websocket closed ("left").
    v = visit()
    goto(v.page, f"{server.base}/voila/render/en/glossary.ipynb")
    first = v.page.evaluate(KERNEL_JS)
    goto(v.page, f"{server.base}/voila/render/cy/geirfa.ipynb")
    assert v.page.evaluate(KERNEL_JS) != first
    deadline = time.monotonic() + kernels.GRACE / 2
    reason = ""
    while time.monotonic() < deadline and not reason:
        reason = v.page.evaluate(REASON_JS, first)
        time.sleep(0.25)
    assert reason == kernels.SHUTDOWN, reason
    v.close()


def test_a_page_held_open_past_the_cull_time_still_answers(visit, tmp_path):
    server = CourseServer(tmp_path, "--cull-idle", "4")
    try:
        path = "en/01-context.ipynb"
        v = visit()
        goto(v.page, f"{server.base}/voila/render/{path}")
        v.page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === "
                                 f"{len(exercise_ids(path))}", timeout=90_000)
        kernel = v.page.evaluate(KERNEL_JS)
        # A kernel nobody connects to (a plain request for a page, same browser session) is culled once idle for
        # 4 s and given its page's time to connect (kernels.CONNECT_WAIT): then the open page is past both too.
        idle = v.context.request.get(f"{server.base}/voila/render/en/glossary.ipynb", timeout=90_000)
        assert idle.ok
        wait_until(lambda: "Culling" in server.log(), kernels.CONNECT_WAIT + 60, "a kernel to be culled")
        assert v.page.evaluate(STATUS_JS, kernel) == "open"
        first = exercise_ids(path)[0]
        said = complete(v.page, 0, load(first), "en", translator("en"))
        assert said
        assert v.page.get_attribute("html", "data-fmse-kernel-closed") is None
    finally:
        server.stop()


CLOSED_JS = "() => document.documentElement.dataset.fmseKernelClosed || null"
WORDING = {"cy": "mwy nag 8 o dudalennau'r cwrs", "en": "more than 8 course pages"}


def test_a_page_whose_kernel_was_closed_says_so_in_its_language_and_reloads(visit, server, tmp_path):
    v = visit()
    tabs = {"cy": v.page, "en": v.context.new_page()}
    goto(tabs["cy"], f"{server.base}/voila/render/cy/geirfa.ipynb")
    goto(tabs["en"], f"{server.base}/voila/render/en/accessibility.ipynb")
    # More pages of the same browser session (its cookies), without a tab each, one at a time: the 9th kernel
    # closes the least recently used of the two open pages, the 10th the other one.
    others = iter(LEAVE[4:9] + ["en/02-what-it-looks-like.ipynb", "cy/02-sut-beth-yw-e.ipynb",
                                "en/03-preventative-education.ipynb"])
    for _ in range(kernels.MAX_PER_SESSION - 1):
        assert v.context.request.get(f"{server.base}/voila/render/{next(others)}", timeout=90_000).ok

    def closed_tab():
        for lang, page in tabs.items():
            if page.evaluate(CLOSED_JS):
                return lang
        return None

    first = wait_until(closed_tab, 60, "one of the open pages to say its kernel closed")
    second = "en" if first == "cy" else "cy"
    assert tabs[first].evaluate(CLOSED_JS) == "limit"
    notice = tabs[first].locator(".fmse-kernel-notice")
    assert notice.get_attribute("role") == "alert"
    assert WORDING[first] in notice.inner_text() and WORDING[second] not in notice.inner_text()
    assert tabs[second].evaluate(CLOSED_JS) is None  # still open
    tabs[first].screenshot(path=str(tmp_path / f"kernel-notice-{first}.png"))

    assert v.context.request.get(f"{server.base}/voila/render/{next(others)}", timeout=90_000).ok
    tabs[second].wait_for_function("() => document.documentElement.dataset.fmseKernelClosed === 'limit'",
                                   timeout=60_000)
    assert WORDING[second] in tabs[second].locator(".fmse-kernel-notice").inner_text()

    # The button is a real button, reached by Tab, and reloads the same page (with a kernel of its own again).
    welsh = tabs["cy"]
    welsh.bring_to_front()
    for _ in range(10):
        welsh.keyboard.press("Tab")
        if welsh.evaluate("() => document.activeElement.classList.contains('fmse-kernel-reload')"):
            break
    assert welsh.evaluate("() => document.activeElement.textContent") == "Ail-lwytho'r dudalen hon"
    old = welsh.evaluate(KERNEL_JS)
    welsh.keyboard.press("Enter")
    welsh.wait_for_function(f"() => document.documentElement?.dataset.fmseReady === 'true' && "
                            f"JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId "
                            f"!== '{old}'", timeout=90_000)
    assert welsh.url.endswith("/voila/render/cy/geirfa.ipynb")
    assert welsh.locator(".fmse-kernel-notice").count() == 0
    assert v.outside == []
