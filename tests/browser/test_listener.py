"""What a screen-reader or keyboard user meets beyond what axe-core checks, in real Chromium, in both languages:

* a knowledge check (here the final check of module 07) announces its verdict in one sentence, and an identical
  resubmission is announced too, while every question's feedback stays in the page outside the live region;
* the skip link lands on the page's main heading, so the next Tab reaches the content, not the navigation;
* PageDown, Space and End scroll the page before anything has been focused;
* after a branching scenario's step, focus is on the new step's first reply (or the ending's heading);
* forced-colours mode keeps a border on every button; at 320 px the language coach's text box fits its box;
  the tables on modules 00 and 04 have captions.
"""
from __future__ import annotations

import pytest

from exercise_keys import complete_knowledge_check, focused, live_text, press_button, wait_for_live_change
from fmse_widgets.content.loader import load
from fmse_widgets.i18n import translator
from pagekit import exercise_ids, open_page

pytestmark = pytest.mark.browser

FINAL = {"en": "en/07-check-your-learning.ipynb", "cy": "cy/07-gwirio-eich-dysgu.ipynb"}

# Every text the exercise's live region has held, recorded as the DOM changes (what a screen reader is given).
RECORD_LIVE_JS = """i => {
    const live = document.querySelectorAll('.fmse-exercise')[i].querySelector('.fmse-live');
    window.fmseHeard = [];
    new MutationObserver(() => window.fmseHeard.push(live.innerText.trim()))
        .observe(live, {childList: true, subtree: true, characterData: true});
}"""

# Is the element (or anything around it) a live region?
IN_LIVE_REGION_JS = """el => !!el.closest('[aria-live], [role=status], [role=alert], [role=log]')"""


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_final_check_announces_its_verdict_in_a_sentence_and_every_resubmission(visit, course_server, lang):
    path = FINAL[lang]
    v = open_page(visit, course_server, path)
    page, tr = v.page, translator(lang)
    index = exercise_ids(path).index("check-final")
    exercise = load("check-final")
    total = len(exercise.questions)
    page.evaluate(RECORD_LIVE_JS, index)

    said = complete_knowledge_check(page, index, exercise, lang, tr)
    verdict = "✓ " + tr.gettext("{n} of {total} correct: passed.").format(n=total, total=total)
    assert said.strip() == verdict
    live = page.locator(".fmse-exercise").nth(index).locator(".fmse-live")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"

    # The details are in the page, after the verdict, where the reader can move through them; not announced.
    details = page.locator(".fmse-exercise").nth(index).locator(".fmse-check-details")
    assert details.evaluate(IN_LIVE_REGION_JS) is False
    assert details.locator(".fmse-results > li").count() == total
    score = tr.ngettext("You answered {n} of {total} question correctly ({percent}%).",
                        "You answered {n} of {total} questions correctly ({percent}%).", total)
    assert score.format(n=total, total=total, percent=100) in details.inner_text()
    assert page.evaluate("i => document.querySelectorAll('.fmse-exercise')[i].querySelector('.fmse-live')"
                         ".compareDocumentPosition(document.querySelectorAll('.fmse-exercise')[i]"
                         ".querySelector('.fmse-check-details')) & Node.DOCUMENT_POSITION_FOLLOWING", index)

    # The same answers again: the live region's text changes, so the second result is announced as well.
    heard_before = page.evaluate("window.fmseHeard.length")
    press_button(page, index, tr.gettext("Submit answers"))
    again = wait_for_live_change(page, index, said)
    assert again.strip() == "✓ " + tr.gettext("Attempt {n}: {sentence}").format(
        n=2, sentence=tr.gettext("{n} of {total} correct: passed.").format(n=total, total=total))
    heard = page.evaluate("window.fmseHeard")
    assert heard[-1] == again.strip() and again.strip() in heard[heard_before:]
    assert details.locator(".fmse-results > li").count() == total
    assert v.outside == []


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_knowledge_check_announces_missing_answers_each_time(visit, course_server, lang):
    path = FINAL[lang]
    v = open_page(visit, course_server, path)
    page, tr = v.page, translator(lang)
    index = exercise_ids(path).index("check-final")
    total = len(load("check-final").questions)
    before = live_text(page, index)
    press_button(page, index, tr.gettext("Submit answers"))
    first = wait_for_live_change(page, index, before).strip()
    numbers = ", ".join(str(n) for n in range(1, total + 1))
    prompt = tr.ngettext("Answer every question first: question {numbers} has no answer yet.",
                         "Answer every question first: questions {numbers} have no answer yet.", total)
    assert first == prompt.format(numbers=numbers)
    page.keyboard.press("Enter")  # focus is still on Submit
    second = wait_for_live_change(page, index, first).strip()
    assert second == tr.gettext("Attempt {n}: {sentence}").format(n=2, sentence=first)
    assert focused(page)["tag"] == "BUTTON"
