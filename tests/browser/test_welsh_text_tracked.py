"""Every piece of Welsh a Welsh page shows (after its exercises are answered with the keyboard) is tracked: it is
a string with a draft/reviewed status and an English hash (content files, interface catalogue, notebook prose,
data card), its placeholders filled, or part of one (tests/browser/welsh_text.py). Text inside lang="en" is
the other language's and is left out. Every Welsh page (and the landing page) is checked from the page load of
test_every_page_accessibility.py (welsh_text.tracks_welsh); here, a planted untracked sentence must be caught."""
from __future__ import annotations

import pytest

from pagekit import open_page
from welsh_text import VISIBLE_TEXT_JS, untracked

pytestmark = pytest.mark.browser

PLANTED = "Dyma frawddeg Gymraeg newydd nad yw neb wedi'i thracio."


def test_a_planted_untracked_sentence_is_caught(visit, course_server):
    v = open_page(visit, course_server, "cy/geirfa.ipynb")
    before = v.page.evaluate(VISIBLE_TEXT_JS)
    assert untracked(before) == []
    v.page.evaluate("""(text) => {
        const cells = document.getElementById('rendered_cells');
        const p = document.createElement('p'); p.textContent = text; cells.appendChild(p);
        const q = document.createElement('p'); q.lang = 'en'; q.textContent = 'An English sentence nobody tracked.';
        cells.appendChild(q);
    }""", PLANTED)
    assert untracked(v.page.evaluate(VISIBLE_TEXT_JS)) == [PLANTED]
