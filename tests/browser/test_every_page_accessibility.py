"""Every page of the course, in Welsh and in English, as a learner has it after answering all its exercises with
the keyboard alone, in real Chromium against the real server:

* axe-core (npm `axe-core`, no rule disabled) finds no WCAG 2.0/2.1/2.2 A or AA violation, and nothing serious or
  critical among its best practices (landmarks, skip link, heading order, table headers);
* the other language's names and quoted terms in the page's text carry their own `lang` (WCAG 3.1.2);
* at 200% zoom (a viewport 640 CSS px wide) nothing scrolls sideways and every control stays in view (WCAG 1.4.10);
* first, as it has just rendered, that it works offline (pagekit.OfflineWatch; see test_offline.py);
* that the HTML the server sent is what `fmse-course check` accepts (check.page_problem: status 200, no cell
  error) and shows none of the notebook's code and no traceback (page_source.source_shown; the same check over
  plain HTTP for a module and a dashboard is in test_security.py);
* then, for a module, that it prints whole on A4 without navigation or buttons (printing.check_module_printout;
  the checklist's printout: test_print.py);
* and, on a Welsh page or the landing page after answering, that every piece of Welsh it shows is tracked
  (welsh_text.untracked; the planted-sentence check: test_welsh_text_tracked.py).

One page load serves all these checks, so that every page of the course (whatever pages are added later) is
opened once; each page is its own test.
"""
from __future__ import annotations

import json

import pytest

from fmse_widgets.check import page_problem
from fmse_widgets.content.services import services
from fmse_widgets.course import pages
from fmse_widgets.other_language import other, phrases
from fmse_widgets.page import ACCESSIBILITY_PAGE
from page_source import source_shown
from pagekit import CONTROLS_JS, ROOT, OfflineWatch, answer_all, axe_failures, open_page, run_axe
from printing import check_module_printout
from welsh_text import VISIBLE_TEXT_JS, tracks_welsh, untracked

pytestmark = pytest.mark.browser

ZOOMED = {"width": 640, "height": 800}   # 1280 px at 200%

# Text in the page (outside form controls, whose plain-text labels are exempt) that holds one of `phrases`:
# each occurrence, and the language of its nearest element with a lang attribute.
OTHER_LANGUAGE_JS = """(phrases) => {
    const exempt = 'script, style, textarea, select, option, .widget-radio-box, .widget-checkbox, button';
    const cells = document.getElementById('rendered_cells');
    const walker = document.createTreeWalker(cells, NodeFilter.SHOW_TEXT);
    const found = [];
    let node;
    while ((node = walker.nextNode())) {
        const parent = node.parentElement;
        if (!parent || parent.closest(exempt)) continue;
        for (const phrase of phrases) {
            if (!node.nodeValue.includes(phrase)) continue;
            const owner = parent.closest('[lang]');
            found.push({phrase, lang: owner ? owner.getAttribute('lang') : null,
                        context: (parent.textContent || '').trim().slice(0, 80)});
        }
    }
    return found;
}"""

# How wide the page and its scrolling column are, and the controls that stick out of the viewport sideways.
REFLOW_JS = """(controls) => {
    const cells = document.getElementById('rendered_cells');
    const doc = document.scrollingElement || document.documentElement;
    const outside = controls.filter(c => c.left < -0.5 || c.right > window.innerWidth + 0.5);
    return {innerWidth: window.innerWidth,
            page: [doc.scrollWidth, doc.clientWidth], body: [document.body.scrollWidth, document.body.clientWidth],
            cells: cells ? [cells.scrollWidth, cells.clientWidth] : null, outside};
}"""

ALL_PAGES = pages()
# One page load is among the tests run against the newest upstream releases (scripts/check-newest).
UPSTREAM_PAGE = "cy/01-cyd-destun.ipynb"


def prose(path: str) -> str:
    """The text of a notebook's markdown cells."""
    nb = json.loads((ROOT / "notebooks" / path).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_the_accessibility_statement_is_a_page_in_both_languages():
    assert {p.lang for p in ALL_PAGES if p.page == ACCESSIBILITY_PAGE and p.kind == "reference"} == {"en", "cy"}


def test_every_english_only_service_name_is_marked_on_welsh_pages():
    english_only = {s.name("cy") for s in services().values() if s.name_lang == "en"}
    assert english_only and english_only <= set(phrases("cy"))
    assert other("cy") == "en" and other("en") == "cy"


@pytest.mark.parametrize("info", [pytest.param(p, id=p.path, marks=[pytest.mark.upstream] if p.path == UPSTREAM_PAGE
                                               else []) for p in ALL_PAGES])
def test_page_works_offline_and_is_accessible_after_answering_and_at_200_percent_zoom(visit, course_server, info):
    offline = OfflineWatch()
    v = open_page(visit, course_server, info.path, before=offline)
    offline.check(info, course_server.base)
    html = v.response.text()  # the page as the server sent it, before any script ran
    assert page_problem(v.response.status, html) is None, (info.path, v.response.status)
    assert source_shown(info.path, html) == {}, f"{info.path} shows its code or a traceback"
    page = v.page
    problems: dict[str, object] = {}
    if info.kind == "module":
        try:
            check_module_printout(page, info.lang)
        except AssertionError as exc:
            problems["print"] = str(exc)
        finally:
            page.emulate_media(media="null")  # back to the screen for the checks that follow

    answer_all(page, info.path, info.lang)
    page.wait_for_timeout(300)  # the last announcements settle
    if tracks_welsh(info):  # before axe adds its script: the text a learner sees
        texts = page.evaluate(VISIBLE_TEXT_JS)
        if not texts:
            problems["Welsh text: no text collected"] = info.path
        elif untracked(texts):
            problems["Welsh text not tracked"] = untracked(texts)
    wcag, serious = axe_failures(run_axe(page))
    if wcag:
        problems["axe: WCAG A/AA"] = wcag
    if serious:
        problems["axe: serious best practice"] = serious

    # Language of parts: the landing page is both languages, each part marked, and carries no list.
    if info.kind != "landing":
        assert page.locator("script.fmse-other-language").count() == 1, "the page header is missing"
        found = page.evaluate(OTHER_LANGUAGE_JS, list(phrases(info.lang)))
        unmarked = [f for f in found if f["lang"] != other(info.lang)]
        if unmarked:
            problems["other language not marked"] = unmarked
        in_prose = [p for p in phrases(info.lang) if p in prose(info.path)]
        if in_prose and not any(f["lang"] == other(info.lang) for f in found):
            problems["prose names other-language terms, none marked in the page"] = in_prose
    assert page.evaluate("document.documentElement.lang") == info.lang

    # Every page reaches the accessibility statement (the landing page in both languages).
    statements = [p for p in ALL_PAGES if p.page == ACCESSIBILITY_PAGE and p.path != info.path
                  and (info.kind == "landing" or p.lang == info.lang)]
    hrefs = page.evaluate("() => [...document.querySelectorAll('#rendered_cells a[href]')].map(a => a.href)")
    unlinked = [s.path for s in statements if not any(h.split("?")[0].endswith(s.path) for h in hrefs)]
    if unlinked:
        problems["no link to the accessibility statement"] = unlinked

    page.set_viewport_size(ZOOMED)
    page.wait_for_function(f"() => window.innerWidth === {ZOOMED['width']}")
    page.wait_for_timeout(500)  # Voilà's Lumino shell resizes its panels on the resize event
    reflow = page.evaluate(REFLOW_JS, page.evaluate(CONTROLS_JS, True))
    for name in ("page", "body", "cells"):
        scroll, client = reflow[name]
        if scroll > client + 1:
            problems[f"640px: {name} scrolls sideways"] = reflow[name]
    if reflow["outside"]:
        problems["640px: controls outside the viewport"] = reflow["outside"]

    assert v.outside == [], v.outside
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
