"""Every page in real Chromium: it renders, speaks its language, loads nothing from outside, and its
exercises can be answered with the keyboard alone (Tab, arrows, Space, Enter; no clicks)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exercise_keys import complete
from fmse_widgets.content.loader import load
from fmse_widgets.course import pages
from fmse_widgets.i18n import translator

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOW = re.compile(r'show\("([a-z0-9-]+)"')
VERDICT = {"en": ("✓ Correct.", "✗ Not quite."), "cy": ("✓ Cywir.", "✗ Ddim yn hollol.")}
# Set by the course template's course.js once Voilà has finished, outputs are in the DOM and it is quiet.
RENDERED = "() => document.documentElement.dataset.fmseReady === 'true'"


def exercise_ids(path: str) -> list[str]:
    nb = json.loads((ROOT / "notebooks" / path).read_text(encoding="utf-8"))
    return [m for c in nb["cells"] if c["cell_type"] == "code" for m in SHOW.findall("".join(c["source"]))]


def open_page(visit, server, path: str):
    v = visit()
    v.page.goto(f"{server.base}/voila/render/{path}", wait_until="domcontentloaded", timeout=60_000)
    v.page.wait_for_function(RENDERED, timeout=60_000)
    expected = len(exercise_ids(path))
    if expected:
        v.page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === {expected}",
                                 timeout=60_000)
    return v


ALL_PAGES = [p.path for p in pages()]


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_renders_in_its_language_without_errors_or_outside_requests(visit, course_server, path):
    info = next(p for p in pages() if p.path == path)
    v = open_page(visit, course_server, path)
    page = v.page
    assert page.evaluate("document.documentElement.lang") == info.lang
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .fmse-cell-error').count() == 0
    assert page.locator("text=ExecutionError").count() == 0
    assert page.title() == info.title
    assert v.outside == [], f"requests left 127.0.0.1: {v.outside}"
    assert all(u.startswith(course_server.base) or u.startswith(("data:", "blob:")) for u in v.requests)


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const ex = el && el.closest('.fmse-exercise');
        const all = [...document.querySelectorAll('.fmse-exercise')];
        const label = el && (el.closest('label') ? el.closest('label').textContent.trim() : el.textContent.trim());
        return {tag: el ? el.tagName : null, type: el ? el.type || null : null, label,
                exercise: ex ? all.indexOf(ex) : -1, checked: el ? !!el.checked : false};
    }""")


def tab_until(page, condition, limit: int = 120) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if condition(state):
            return state
    raise AssertionError(f"Tab never reached the control; last focus: {focused(page)}")


def answer_by_keyboard(page, index: int, exercise, lang: str) -> None:
    right = {o.text(lang) for o in exercise.options if o.correct}
    state = tab_until(page, lambda s: s["exercise"] == index and s["tag"] == "INPUT")
    if exercise.type == "single-choice":
        page.keyboard.press("Space")
        for _ in range(len(exercise.options)):
            state = focused(page)
            if state["label"] in right:
                break
            page.keyboard.press("ArrowDown")
        state = focused(page)
        assert state["label"] in right and state["checked"], state
    else:
        while state["tag"] == "INPUT" and state["exercise"] == index:
            if state["label"] in right:
                page.keyboard.press("Space")
            page.keyboard.press("Tab")
            state = focused(page)
    if not (state["tag"] == "BUTTON" and state["exercise"] == index):
        state = tab_until(page, lambda s: s["exercise"] == index and s["tag"] == "BUTTON")
    page.keyboard.press("Enter")


# The gallery pages are covered, type by type, by test_gallery.py.
@pytest.mark.parametrize("path", [p.path for p in pages() if exercise_ids(p.path) and p.kind != "gallery"])
def test_exercises_can_be_answered_with_the_keyboard_alone(visit, course_server, path):
    info = next(p for p in pages() if p.path == path)
    v = open_page(visit, course_server, path)
    page = v.page
    live = page.locator(".fmse-exercise .fmse-live")
    for index, exercise_id in enumerate(exercise_ids(path)):
        exercise = load(exercise_id)
        region = live.nth(index)
        assert region.get_attribute("aria-live") == "polite"
        before = region.inner_text()
        if exercise.type not in ("single-choice", "multiple-choice"):
            # Every other type: the exercise library's keyboard driver (tests/browser/exercise_keys.py).
            assert complete(page, index, exercise, info.lang, translator(info.lang)) != before
            continue
        answer_by_keyboard(page, index, exercise, info.lang)
        page.wait_for_function(
            f"() => document.querySelectorAll('.fmse-exercise .fmse-live')[{index}].innerText.includes('✓')",
            timeout=20_000)
        after = region.inner_text()
        assert after != before
        assert VERDICT[info.lang][0] in after, after
        assert exercise.why(info.lang)[:40] in after
    assert v.outside == []
