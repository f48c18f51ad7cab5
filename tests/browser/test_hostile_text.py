"""Hostile text typed into every free-text control of the course comes back as text, and no script runs
(issue 8, part 3), in real Chromium against the real server.

The free-text controls are: the language coach's and the reflection's text boxes (every page that shows those
exercise types uses the same two views, so the gallery, which has one of each, covers them), and the name box
on the landing page (the name then appears in the landing page's other language, in the links, and in the
dashboard's Staff training tab and its person filter). The letter builder and the dashboard filters have no
free text: they are lists to choose from, whose labels come from the course's own files.
"""
from __future__ import annotations

import re

import pytest

from exercise_keys import complete_coach, complete_reflection, focus_on, live_text, press_button, \
    wait_for_live_change
from fmse_widgets.content.loader import load
from fmse_widgets.exercises.reflection import MAX_CHARS as REFLECTION_MAX
from fmse_widgets.i18n import translator
from fmse_widgets.views.coach import MAX_CHARS as COACH_MAX
from pagekit import RENDERED

pytestmark = pytest.mark.browser

GALLERY = {"en": "en/99-gallery.ipynb", "cy": "cy/99-oriel.ipynb"}
DASHBOARD = {"en": "en/dashboard.ipynb", "cy": "cy/dangosfwrdd.ipynb"}
SHOW = re.compile(r'show\("([a-z0-9-]+)"')

# Markup and script, template syntax (Jinja, JS template literals), right-to-left override, zero-width
# characters, combined emoji, and Welsh letters.
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "\"'><svg onload=alert(3)>",
    "<a href=\"javascript:alert(4)\">link</a>",
    "{{7*7}} ${7*7} {% raw %}",
    "\u202eevil\u202c zero\u200bwidth\u200djoin \ufeff",
    "👩🏽‍🏫 🏴󠁧󠁢󠁷󠁬󠁳󠁿 ŵŷ",
]
# The coach shows the learner's words back only when it flags a phrase, so each text starts with one.
FLAGGED = {"en": "It's your fault. ", "cy": "Ti sydd ar fai. "}
# Elements that would exist only if typed markup had become HTML.
# (The course's own inert JSON, <script type="application/json">, is not script.)
INJECTED = ", ".join(["img[src='x']", "[onerror*='alert']", "[onload*='alert']", "a[href^='javascript']"] +
                     [f"{where} script:not([type='application/json'])"
                      for where in (".jupyter-widgets", ".fmse-exercise", ".fmse-identity")])
NAME = "<img src=x onerror=alert(5)> {{7*7}} \u202eŵ\u200b👩🏽‍🏫"
# As the records keep it: the right-to-left override and the zero-width space taken out (records/store.py).
SHOWN = "<img src=x onerror=alert(5)> {{7*7}} ŵ👩🏽‍🏫"


def ids_on(path: str) -> list[str]:
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[2] / "notebooks" / path).read_text(encoding="utf-8"))
    return [m for c in nb["cells"] if c["cell_type"] == "code" for m in SHOW.findall("".join(c["source"]))]


def guarded(visit):
    """A page that records any dialog (alert, confirm, prompt) instead of letting it block."""
    v = visit()
    v.dialogs = []
    v.page.on("dialog", lambda d: (v.dialogs.append(d.message), d.dismiss()))
    return v


def open_page(v, server, path: str, expected: int = 0) -> None:
    v.page.goto(f"{server.base}/voila/render/{path}" if not path.startswith("http") else path,
                wait_until="domcontentloaded", timeout=60_000)
    v.page.wait_for_function(RENDERED, timeout=60_000)
    if expected:
        v.page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === {expected}",
                                 timeout=60_000)


def injected(page) -> list[str]:
    return page.evaluate(f"() => [...document.querySelectorAll({INJECTED!r})].map(e => e.outerHTML.slice(0, 120))")


def replace_text(page, index: int, text: str) -> None:
    """Select what the exercise's text box holds and put `text` in its place, as a paste would."""
    focus_on(page, index, "textarea", 0)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_hostile_text_in_the_coach_and_the_reflection_stays_text(visit, course_server, lang):
    v = guarded(visit)
    ids = ids_on(GALLERY[lang])
    open_page(v, course_server, GALLERY[lang], len(ids))
    page, tr = v.page, translator(lang)
    text = FLAGGED[lang] + "\n".join(HOSTILE)

    coach = ids.index("gallery-language-coach")
    complete_coach(page, coach, load("gallery-language-coach"), lang, tr, text)
    words = page.locator(".fmse-exercise").nth(coach).locator(".fmse-your-words")
    shown = words.text_content()
    for piece in HOSTILE:
        assert piece in shown, (piece, shown)

    reflection = ids.index("gallery-reflection")
    _, notes = complete_reflection(page, reflection, load("gallery-reflection"), lang, tr, text)
    for piece in HOSTILE:
        assert piece in notes, (piece, notes)

    # Far too long: both say so in words, and the page stays whole.
    before = live_text(page, coach)
    replace_text(page, coach, "A" * (COACH_MAX + 1000))
    press_button(page, coach, tr.gettext("Check my wording"))
    said = wait_for_live_change(page, coach, before)
    assert tr.ngettext("Please keep it shorter: the coach reads up to {n} character.",
                       "Please keep it shorter: the coach reads up to {n} characters.",
                       COACH_MAX).format(n=COACH_MAX) in said
    before = live_text(page, reflection)
    replace_text(page, reflection, "B" * (REFLECTION_MAX + 1000))
    press_button(page, reflection, tr.gettext("Finish"))
    said = wait_for_live_change(page, reflection, before)
    assert tr.ngettext("The file keeps the first {n} character of your notes.",
                       "The file keeps the first {n} characters of your notes.",
                       REFLECTION_MAX).format(n=REFLECTION_MAX) in said

    page.wait_for_timeout(500)  # any onerror/onload would have fired by now
    assert injected(page) == []
    assert v.dialogs == [], f"a dialog opened: {v.dialogs}"
    assert page.locator(".fmse-alert .fmse-error").count() == 0, page.locator(".fmse-alert").all_inner_texts()
    assert v.outside == []


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_hostile_name_stays_text_on_every_page_that_shows_it(visit, course_server, lang):
    v = guarded(visit)
    page, tr = v.page, translator(lang)
    open_page(v, course_server, "index.ipynb")
    part = page.locator(f".fmse-lang-{lang}")
    box = part.locator(".fmse-identity input[type=text]")
    box.focus()
    # One name per language: the same name typed again would be asked about ("is that you?", issue 14).
    page.keyboard.type(f"{NAME} {lang}")
    page.keyboard.press("Tab")  # the name reaches the kernel when the box loses focus
    save = part.locator(".fmse-identity button", has_text=tr.gettext("Save my name"))
    save.focus()
    page.wait_for_timeout(400)
    page.keyboard.press("Enter")
    other = "cy" if lang == "en" else "en"
    # The learner is known in both languages' parts once saved: the other part's box shows the name too.
    page.wait_for_function("""([lang, name]) => {
        const box = document.querySelector(`.fmse-lang-${lang} .fmse-identity input[type=text]`);
        return box && box.value === name;
    }""", arg=[other, f"{SHOWN} {lang}"], timeout=20_000)
    # The status line is a widget update of its own, which may arrive after the other part's box: wait for it.
    page.wait_for_function("""(lang) => {
        const live = document.querySelector(`.fmse-lang-${lang} .fmse-identity .fmse-live`);
        return live && live.textContent.trim() !== "";
    }""", arg=lang, timeout=20_000)
    status = part.locator(".fmse-identity .fmse-live").text_content()
    assert "<img src=x onerror=alert(5)>" in status, status
    assert injected(page) == [] and v.dialogs == []

    # Into the gallery through the landing page's own link (it carries the learner), and record an exercise.
    link = part.locator("a", has_text=re.compile("gallery|oriel", re.I)).first.get_attribute("href")
    assert link and "learner" in link, link
    ids = ids_on(GALLERY[lang])
    open_page(v, course_server, course_server.base + link if link.startswith("/") else link, len(ids))
    coach = ids.index("gallery-language-coach")
    complete_coach(page, coach, load("gallery-language-coach"), lang, tr, FLAGGED[lang] + HOSTILE[0])
    assert injected(page) == [] and v.dialogs == []

    # The dashboard's Staff training tab lists the learner by name, as text, in its grid's row header (the grid
    # has had no person filter since issue 15's rewrite).
    open_page(v, course_server, DASHBOARD[lang])
    page.wait_for_function("name => document.body.textContent.includes(name)", arg=f"{SHOWN} {lang}",
                           timeout=30_000)
    rows = page.evaluate("() => [...document.querySelectorAll('th[scope=row]')].map(h => h.textContent.trim())")
    assert any(r.startswith(f"{SHOWN} {lang}") for r in rows), [r for r in rows if "img" in r]
    page.wait_for_timeout(500)
    assert injected(page) == []
    assert v.dialogs == [], f"a dialog opened: {v.dialogs}"
    assert v.outside == []
