"""Accessibility of the exercise gallery in real Chromium, in English and in Welsh, after every exercise has
been answered with the keyboard: axe-core (npm `axe-core`, no rules disabled) finds no WCAG 2.0/2.1/2.2 A or
AA violation and nothing serious or critical among its best practices; every control measures at least
24x24 CSS px (WCAG 2.2, 2.5.8) and has an accessible name."""
from __future__ import annotations

import json

import pytest

from exercise_keys import complete
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator
from pagekit import AXE, CONTROLS_JS, axe_failures, run_axe
from test_gallery import gallery_ids, open_gallery

pytestmark = pytest.mark.browser

MIN_TARGET = 24


def answer_everything(page, lang: str) -> None:
    tr = translator(lang)
    for index, exercise_id in enumerate(gallery_ids(lang)):
        complete(page, index, load(exercise_id), lang, tr)


def too_small(page) -> list[dict]:
    # The skip link is moved off screen until focused, but keeps its size: it is measured too.
    return [c for c in page.evaluate(CONTROLS_JS) if c["width"] < MIN_TARGET or c["height"] < MIN_TARGET]


def test_axe_core_is_installed():
    assert AXE.is_file(), "run `npm ci` in the project folder (scripts/test does this) to install axe-core"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_gallery_names_its_controls_keeps_them_24_px_and_passes_axe_after_answering(visit, course_server, lang):
    """One load of the gallery (every exercise type) per language: the controls' accessible names (axe checks
    names too; this also checks what the names are: the words a learner sees beside the control), every control
    at least 24 by 24 px before and after answering with the keyboard, and axe-core after answering."""
    v = open_gallery(visit, course_server, lang)
    page = v.page
    tr = translator(lang)

    # Accessible names, as the page is first shown.
    names = page.evaluate("""() => [...document.querySelectorAll(
            '.fmse-exercise select, .fmse-exercise textarea, .fmse-exercise .widget-radio-box')].map(el => {
        const ids = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
        return {tag: el.tagName, role: el.getAttribute('role'),
                name: ids.map(id => document.getElementById(id).textContent.trim()).join(' ')};
    })""")
    assert names and all(n["name"] for n in names), names
    assert all(n["role"] == "radiogroup" for n in names if n["tag"] == "DIV")
    sort = load("gallery-sort")
    selects = [n["name"] for n in names if n["tag"] == "SELECT"]
    assert selects == [i.text(lang) for i in sort.items]
    areas = [n["name"] for n in names if n["tag"] == "TEXTAREA"]
    assert areas == [tr.gettext("What you would say"), tr.gettext("Your notes")]
    groups = page.evaluate("""() => [...document.querySelectorAll('.fmse-exercise')].map(ex => {
        const label = document.getElementById(ex.getAttribute('aria-labelledby'));
        return ex.getAttribute('role') + ':' + (label ? label.textContent : 'undefined');
    })""")
    assert all(g.startswith("group:") and not g.endswith("undefined") for g in groups), groups

    # Target sizes before answering: every kind of control the exercise types use is on the page and measured.
    controls = page.evaluate(CONTROLS_JS)
    kinds = {(c["tag"], c["type"]) for c in controls if c["exercise"] >= 0}
    assert {("INPUT", "radio"), ("INPUT", "checkbox"), ("SELECT", "select-one"), ("TEXTAREA", "textarea"),
            ("BUTTON", "submit")} <= kinds, kinds
    assert too_small(page) == []

    answer_everything(page, lang)
    assert page.locator(".fmse-exercise a.fmse-download").count() == 1  # the reflection's link is measured too
    assert too_small(page) == []

    # Wait for the last announcements to settle, then check the page as a learner now has it.
    page.wait_for_timeout(300)
    wcag, serious = axe_failures(run_axe(page))
    assert wcag == [], json.dumps(wcag, indent=1, ensure_ascii=False)
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
    assert page.evaluate("document.documentElement.lang") == lang
