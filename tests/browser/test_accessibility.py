"""Accessibility of the exercise gallery in real Chromium, in English and in Welsh, after every exercise has
been answered with the keyboard: axe-core (npm `axe-core`, no rules disabled) finds no WCAG 2.0/2.1/2.2 A or
AA violation and nothing serious or critical among its best practices; every control measures at least
24x24 CSS px (WCAG 2.2, 2.5.8) and has an accessible name."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from exercise_keys import complete
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator
from test_gallery import gallery_ids, open_gallery

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}
SERIOUS = {"serious", "critical"}
MIN_TARGET = 24

# Every control on the page that a learner can operate, with its box and accessible name. Links inside a
# sentence are exempt from the target size (WCAG 2.5.8 "inline" exception), so only links that stand on their
# own (not display:inline) are measured. Visually hidden helpers (.fmse-sr-only) hold no controls.
CONTROLS_JS = """() => {
    const found = [];
    const selector = 'button, input:not([type=hidden]), select, textarea, a[href], [role=button], [tabindex="0"]';
    for (const el of document.querySelectorAll(selector)) {
        const style = getComputedStyle(el);
        if (!el.getClientRects().length || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
        if (el.tagName === 'A' && style.display === 'inline' && !el.closest('.fmse-exercise')) continue;
        const box = el.getBoundingClientRect();
        const where = el.closest('.fmse-exercise');
        found.push({tag: el.tagName, type: el.type || '', cls: String(el.className || ''),
                    text: (el.textContent || el.value || '').trim().slice(0, 40),
                    exercise: where ? [...document.querySelectorAll('.fmse-exercise')].indexOf(where) : -1,
                    width: box.width, height: box.height});
    }
    return found;
}"""


def answer_everything(page, lang: str) -> None:
    tr = translator(lang)
    for index, exercise_id in enumerate(gallery_ids(lang)):
        complete(page, index, load(exercise_id), lang, tr)


def too_small(page) -> list[dict]:
    # The skip link is moved off screen until focused, but keeps its size: it is measured too.
    return [c for c in page.evaluate(CONTROLS_JS) if c["width"] < MIN_TARGET or c["height"] < MIN_TARGET]


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document);
        return result.violations.map(v => ({id: v.id, impact: v.impact, tags: v.tags, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")


def test_axe_core_is_installed():
    assert AXE.is_file(), "run `npm ci` in the project folder (scripts/test does this) to install axe-core"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_control_is_at_least_24_by_24_before_and_after_answering(visit, course_server, lang):
    v = open_gallery(visit, course_server, lang)
    page = v.page
    controls = page.evaluate(CONTROLS_JS)
    kinds = {(c["tag"], c["type"]) for c in controls if c["exercise"] >= 0}
    # Every kind of control the exercise types use is on the page and measured.
    assert {("INPUT", "radio"), ("INPUT", "checkbox"), ("SELECT", "select-one"), ("TEXTAREA", "textarea"),
            ("BUTTON", "submit")} <= kinds, kinds
    assert too_small(page) == []
    answer_everything(page, lang)
    assert page.locator(".fmse-exercise a.fmse-download").count() == 1  # the reflection's link is measured too
    assert too_small(page) == []


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_axe_finds_no_wcag_violations_after_answering(visit, course_server, lang):
    v = open_gallery(visit, course_server, lang)
    page = v.page
    answer_everything(page, lang)
    # Wait for the last announcements to settle, then check the page as a learner now has it.
    page.wait_for_timeout(300)
    violations = run_axe(page)
    wcag = [x for x in violations if WCAG_TAGS & set(x["tags"])]
    serious = [x for x in violations if "best-practice" in x["tags"] and x["impact"] in SERIOUS]
    assert wcag == [], json.dumps(wcag, indent=1, ensure_ascii=False)
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
    assert page.evaluate("document.documentElement.lang") == lang


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_exercise_control_has_an_accessible_name(visit, course_server, lang):
    """axe checks names too; this also checks what the names are: the words a learner sees beside the control."""
    v = open_gallery(visit, course_server, lang)
    page = v.page
    tr = translator(lang)
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
