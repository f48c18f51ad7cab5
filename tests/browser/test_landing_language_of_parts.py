"""The landing page (lang="cy") marks its English column, name form included, as English (WCAG 3.1.2 Language of
Parts): the privacy note, "Your name", the placeholder, "Save my name", "Stay anonymous" and, once a name is saved,
"Change my name" are read in an English voice, and the Welsh column's in a Welsh one. Real Chromium, real server.
"""
from __future__ import annotations

import pytest

from pagekit import RENDERED
from fmse_widgets.i18n import translator

pytestmark = pytest.mark.browser

# For each element: its text (or placeholder) and the lang of the nearest element that carries one.
LANG_OF_JS = """(selector) => Array.from(document.querySelectorAll(selector)).map(el => ({
    text: (el.innerText || el.getAttribute("placeholder") || "").trim(),
    lang: el.closest("[lang]") ? el.closest("[lang]").getAttribute("lang") : null}))"""


def _parts(page, lang: str) -> list[dict]:
    part = f".fmse-lang-{lang}"
    return page.evaluate(LANG_OF_JS, ", ".join(f"{part} {s}" for s in (
        ".fmse-privacy-note", ".fmse-identity label", ".fmse-identity input[type=text]",
        ".fmse-identity button")))


def test_each_column_of_the_landing_page_has_its_own_language(visit, course_server):
    v = visit()
    page = v.page
    page.goto(course_server.base + "/", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == "cy"
    for lang in ("en", "cy"):
        tr = translator(lang)
        found = _parts(page, lang)
        texts = {f["text"] for f in found}
        for expected in (tr.gettext("Your name"), tr.gettext("Save my name"), tr.gettext("Stay anonymous"),
                         tr.gettext("optional: as it should appear on a certificate")):
            assert expected in texts, (lang, expected, texts)
        assert [f for f in found if f["lang"] != lang] == [], lang

    # After saving a name, "Change my name" is in the column's language too.
    part = page.locator(".fmse-lang-en")
    box = part.locator(".fmse-identity input[type=text]")
    box.fill("Siân O'Brien")
    box.press("Tab")
    part.locator(".fmse-identity button", has_text="Save my name").click()
    change = part.locator(".fmse-identity button", has_text="Change my name")
    change.wait_for(timeout=30_000)
    assert change.evaluate("el => el.closest('[lang]').getAttribute('lang')") == "en"
