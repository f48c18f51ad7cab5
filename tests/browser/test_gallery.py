"""The exercise gallery in real Chromium: one exercise of every type, completed in English and in Welsh with
the keyboard alone (Tab, Shift+Tab, arrows, Space, Enter; letters only where the learner writes), and each
answer announced through the exercise's live region."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exercise_keys import (COACH_TEXT, REFLECTION_TEXT, complete, complete_reflection, focus_on, focused,
                           live_text, step_texts, wait_for_live_change)
from fmse_widgets.content.exercises import PARSERS
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator
from pagekit import RENDERED

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
GALLERY = {"en": "en/99-gallery.ipynb", "cy": "cy/99-oriel.ipynb"}
SHOW = re.compile(r'show\("([a-z0-9-]+)"')


def gallery_ids(lang: str) -> list[str]:
    nb = json.loads((ROOT / "notebooks" / GALLERY[lang]).read_text(encoding="utf-8"))
    return [m for c in nb["cells"] if c["cell_type"] == "code" for m in SHOW.findall("".join(c["source"]))]


def open_gallery(visit, server, lang: str):
    v = visit()
    v.page.goto(f"{server.base}/voila/render/{GALLERY[lang]}", wait_until="domcontentloaded", timeout=60_000)
    v.page.wait_for_function(RENDERED, timeout=60_000)
    v.page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === {len(gallery_ids(lang))}",
                             timeout=60_000)
    return v


def test_the_gallery_shows_one_exercise_of_every_type():
    for lang in GALLERY:
        types = [load(i).type for i in gallery_ids(lang)]
        assert sorted(types) == sorted(PARSERS), f"{GALLERY[lang]}: {types}"


CHECK_TOTAL = len(load("gallery-knowledge-check").questions)


# What each type's live region says once completed correctly by the driver (the coach flags phrases on purpose).
def expected(kind: str, tr) -> list[str]:
    return {
        "single-choice": ["✓ " + tr.gettext("Correct.")],
        "multiple-choice": ["✓ " + tr.gettext("Correct.")],
        "myth-or-fact": ["✓ " + tr.gettext("Correct.")],
        "sort": ["✓ " + tr.gettext("Correct.")],
        "order": ["✓ " + tr.gettext("Right order.")],
        "scenario": [tr.gettext("Debrief"), "✓ " + tr.gettext("A good choice.")],
        "chat-spotter": ["✓ " + tr.gettext("You found every warning sign.")],
        "language-coach": ["✗ ", tr.gettext("One way to say it: {words}").split("{")[0]],
        "reflection": ["✓ " + tr.gettext("Finished.")],
        "knowledge-check": ["✓ " + tr.gettext("{n} of {total} correct: passed.").format(n=CHECK_TOTAL,
                                                                                       total=CHECK_TOTAL)],
    }[kind]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_type_can_be_completed_with_the_keyboard_alone(visit, course_server, lang):
    v = open_gallery(visit, course_server, lang)
    page, tr = v.page, translator(lang)
    live = page.locator(".fmse-exercise .fmse-live")
    for index, exercise_id in enumerate(gallery_ids(lang)):
        exercise = load(exercise_id)
        assert live.nth(index).get_attribute("role") == "status"
        assert live.nth(index).get_attribute("aria-live") == "polite"
        before = live_text(page, index)
        after = complete(page, index, exercise, lang, tr)
        assert after != before, exercise_id
        for words in expected(exercise.type, tr):
            assert words in after, (exercise_id, words, after)
    assert page.locator(".fmse-alert .fmse-error").count() == 0, page.locator(".fmse-alert").all_inner_texts()
    assert v.outside == []


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_what_the_learner_types_comes_back_as_text(visit, course_server, lang):
    """The coach shows the learner's words again: markup in them is text, never HTML; Welsh mutations count."""
    v = open_gallery(visit, course_server, lang)
    page, tr = v.page, translator(lang)
    ids = gallery_ids(lang)
    coach = ids.index("gallery-language-coach")
    said = complete(page, coach, load("gallery-language-coach"), lang, tr)
    words = page.locator(".fmse-exercise").nth(coach).locator(".fmse-your-words")
    assert "<b>" in words.inner_text() and "<img src=x onerror=alert(1)>" in words.inner_text()
    assert words.locator("b, img, script").count() == 0
    flagged = words.locator("mark.fmse-flagged").all_inner_texts()
    expected_marks = {"en": ["✗ Why did you", "✗ your fault"], "cy": ["✗ Pam wnest ti", "✗ ar fai"]}
    assert flagged == expected_marks[lang], said
    reflection = ids.index("gallery-reflection")
    _, notes = complete_reflection(page, reflection, load("gallery-reflection"), lang, tr, REFLECTION_TEXT[lang])
    assert REFLECTION_TEXT[lang] in notes and notes.startswith("\ufeff")
    assert page.locator(".fmse-exercise script, .fmse-exercise img").count() == 0
    assert COACH_TEXT[lang] not in page.content()  # it is only ever shown escaped


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_order_focus_follows_the_moved_step_and_moves_are_announced(visit, course_server, lang):
    v = open_gallery(visit, course_server, lang)
    page, tr = v.page, translator(lang)
    index = gallery_ids(lang).index("gallery-order")
    first = step_texts(page, index)
    focus_on(page, index, ".fmse-move-down", 0)
    before = live_text(page, index)
    page.keyboard.press("Enter")
    said = wait_for_live_change(page, index, before)
    assert said.strip() == tr.gettext("“{step}” moved to position {position} of {total}.").format(
        step=first[0], position=2, total=len(first))
    # The rows stay put and their text changes; focus follows the step to its new row.
    page.wait_for_function("i => document.activeElement.closest('.fmse-order-row') === "
                           "document.querySelectorAll('.fmse-exercise')[i].querySelectorAll('.fmse-order-row')[1]",
                           arg=index, timeout=10_000)
    assert step_texts(page, index)[:2] == [first[1], first[0]]
    assert "fmse-move-down" in focused(page)["classes"]
    described = page.evaluate("() => document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
                              ".textContent")
    assert first[0] in described
    focus_on(page, index, ".fmse-move-up", 0)
    before = live_text(page, index)
    page.keyboard.press("Enter")
    said = wait_for_live_change(page, index, before)
    assert said.strip() == tr.gettext("“{step}” is already first.").format(step=first[1])
