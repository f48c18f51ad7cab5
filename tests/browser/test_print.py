"""Printing: the dashboard's response checklist, printed to PDF by real Chromium (print media, as the browser's
Print does) has the whole text of the page and the address of each outside link, and none of what does nothing on
paper (the skip link, the links between pages, the progress bar, buttons), on white. Every module is printed and
checked the same way (printing.check_module_printout) from the page load of test_every_page_accessibility.py."""
from __future__ import annotations

import pytest

from fmse_widgets.course import pages
from fmse_widgets.i18n import translator
from pagekit import open_page
from printing import check_printout, words

pytestmark = pytest.mark.browser

DASHBOARDS = [p for p in pages() if p.kind == "dashboard"]


def choose_tab(page, name: str) -> None:
    """Move to the dashboard tab called `name` with the keyboard: Tab to the tab bar, then the arrow keys."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.lm-TabBar')"):
            break
    for _ in range(6):
        if page.evaluate("() => document.activeElement.textContent.trim()") == name:
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function("name => document.querySelector('.lm-TabBar-tab.lm-mod-current').textContent.trim() === name",
                           arg=name)


@pytest.mark.parametrize("info", DASHBOARDS, ids=[p.path for p in DASHBOARDS])
def test_the_response_checklist_prints_on_its_own(visit, course_server, info):
    tr = translator(info.lang)
    v = open_page(visit, course_server, info.path)
    page = v.page
    choose_tab(page, tr.gettext("Response checklist"))
    page.wait_for_timeout(300)
    text, count = check_printout(page, info.lang)
    checklist = page.evaluate("() => document.querySelector('.fmse-checklist-widget').innerText")
    said = words(checklist).split(" ")
    # The whole checklist, from its first words to its last, and none of the other tabs or the tab bar.
    assert " ".join(said[:8]) in text and " ".join(said[-8:]) in text
    assert tr.gettext("Staff training") not in text.split(" ".join(said[:8]))[1]
    assert page.evaluate("() => getComputedStyle(document.querySelector('.fmse-dashboard .lm-TabBar')).display") == "none"
    assert count >= 2
