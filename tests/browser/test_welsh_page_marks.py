"""Welsh pages in real Chromium (issue 18 item 3): no English "Loading widget..." while widgets load, and a
visible, accessible "draft" marker when the page's Welsh is draft. English pages keep neither."""
from __future__ import annotations

import pytest

from fmse_widgets.i18n import translator
from pagekit import open_page

pytestmark = pytest.mark.browser

PAGES = {"cy": "cy/01-cyd-destun.ipynb", "en": "en/01-context.ipynb"}

# Before the page's own scripts: at every frame (just before the browser paints) note any widget output that
# says "Loading widget", and whether the course's own loading words were on screen.
WATCH_LOADING = """
window.fmseSeen = {english: [], own: 0, frames: 0};
new MutationObserver(() => requestAnimationFrame(() => {
    window.fmseSeen.frames += 1;
    const text = document.body ? document.body.innerText : '';
    if (text.includes('Loading widget')) window.fmseSeen.english.push(location.pathname);
    if (text.includes("Wrthi'n llwytho\u2026")) window.fmseSeen.own += 1;
})).observe(document, {childList: true, subtree: true, characterData: true});
"""


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_no_english_loading_text_on_welsh_pages(visit, course_server, lang):
    v = visit()
    v.page.add_init_script(WATCH_LOADING)
    open_page(lambda **_: v, course_server, PAGES[lang])
    seen = v.page.evaluate("window.fmseSeen")
    assert seen["frames"] > 0
    assert seen["english"] == [], "English 'Loading widget...' was on screen"
    # The same text written into a widget output now is replaced before the next frame.
    said = v.page.evaluate("""() => new Promise((done) => {
        const el = document.createElement('div');
        el.className = 'jp-OutputArea-output lm-Panel';
        document.getElementById('rendered_cells').appendChild(el);
        el.textContent = 'Loading widget...';
        requestAnimationFrame(() => { const text = el.textContent; el.remove(); done(text); });
    })""")
    assert said == {"cy": "Wrthi'n llwytho\u2026", "en": "Loading\u2026"}[lang]


def test_welsh_pages_show_the_draft_marker(visit, course_server, tmp_path):
    cy, en = translator("cy"), translator("en")
    v = open_page(visit, course_server, PAGES["cy"])
    marker = v.page.locator(".fmse-draft-marker")
    assert marker.count() == 1 and marker.is_visible()
    assert marker.get_attribute("role") == "note"
    assert marker.get_attribute("aria-label") == cy.gettext("Status of the Welsh on this page")
    welsh, english = marker.locator("p").all()
    assert welsh.get_attribute("lang") is None and english.get_attribute("lang") == "en"
    assert welsh.inner_text().startswith(cy.pgettext("draft marker", "Draft"))
    assert cy.gettext("The course team wrote the Welsh on this page, and a Welsh speaker has not yet reviewed "
                      "it.") in welsh.inner_text()
    assert en.gettext("The course team wrote the Welsh on this page, and a Welsh speaker has not yet reviewed "
                      "it.") in english.inner_text()
    # Above the page's title, below the links between pages.
    assert v.page.evaluate("""() => {
        const marker = document.querySelector('.fmse-draft-marker');
        const nav = document.querySelector('.fmse-nav');
        const h1 = document.querySelector('#rendered_cells h1');
        return !!(nav.compareDocumentPosition(marker) & Node.DOCUMENT_POSITION_FOLLOWING)
            && !!(marker.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    # Its badge is legible: contrast of the badge's text on its background at least 4.5:1 (WCAG 1.4.3).
    ratio = v.page.evaluate("""() => {
        const el = document.querySelector('.fmse-draft-badge');
        const rgb = (c) => c.match(/\\d+/g).slice(0, 3).map(Number).map((x) => {
            x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
        const lum = (c) => { const [r, g, b] = rgb(c); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const s = getComputedStyle(el);
        const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }""")
    assert ratio >= 4.5
    marker.screenshot(path=str(tmp_path / "draft-marker.png"))
    english_page = open_page(visit, course_server, PAGES["en"])
    assert english_page.page.locator(".fmse-draft-marker").count() == 0
