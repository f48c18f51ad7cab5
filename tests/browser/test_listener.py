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

from exercise_keys import (choose_radio, complete_knowledge_check, focused, live_text, press_button,
                           wait_for_live_change)
from fmse_widgets.content.loader import load
from fmse_widgets.exercises.coach import strip_marks
from fmse_widgets.exercises.scenario import ScenarioRun
from fmse_widgets.i18n import translator
from pagekit import RENDERED, exercise_ids, open_page

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


# --- the skip link, and scrolling before anything has focus ---------------------------------------------------

MODULE_04 = {"en": "en/04-supporting-victims.ipynb", "cy": "cy/04-cefnogi-dioddefwyr.ipynb"}

# Where focus is: the element, whether it is the page's h1, inside the links between pages, and after the h1.
FOCUS_PLACE_JS = """() => {
    const el = document.activeElement;
    const h1 = document.querySelector('#rendered_cells h1');
    return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 60), isH1: el === h1,
            inNav: !!el.closest('.fmse-nav'), inMain: !!el.closest('#rendered_cells'),
            afterH1: !!(h1 && el !== h1 && (h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING))};
}"""


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_skip_link_lands_on_the_main_heading_and_tab_goes_on_into_the_content(visit, course_server, lang):
    v = open_page(visit, course_server, MODULE_04[lang])
    page = v.page
    page.keyboard.press("Tab")
    link = page.evaluate("() => [document.activeElement.id, document.activeElement.textContent.trim()]")
    assert link[0] == "fmse-skip-link"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement === document.querySelector('#rendered_cells h1')",
                           timeout=10_000)
    heading = page.evaluate(FOCUS_PLACE_JS)
    assert heading["isH1"] and heading["inMain"]
    # The heading is in view (the document scrolled to it), and the next Tab is past it, not "Course home".
    assert page.evaluate("() => document.querySelector('#rendered_cells h1').getBoundingClientRect().top") >= 0
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUS_PLACE_JS)
    assert after["afterH1"] and not after["inNav"] and after["inMain"], after
    # The landmarks the heading is followed by are named, so screen-reader users can pass them by.
    unnamed = page.evaluate("""() => [...document.querySelectorAll('#rendered_cells nav, #rendered_cells aside')]
        .filter(el => !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
        .map(el => el.outerHTML.slice(0, 80))""")
    assert unnamed == []
    assert link[1] == {"en": "Skip to content", "cy": "Neidio i'r cynnwys"}[lang]


SCROLL_JS = "() => [document.scrollingElement.scrollTop, document.activeElement === document.body]"
# Counts the document's scrollend events: a key's scroll is animated, and a key pressed while the previous
# animation is still settling can be dropped by Chromium, so each key waits for the last one's scroll to end.
COUNT_SCROLL_ENDS_JS = """() => { window.fmseScrollEnds = 0;
    document.addEventListener('scrollend', () => { window.fmseScrollEnds += 1; }); }"""
AT_END_JS = "() => { const d = document.scrollingElement; return d.scrollTop + d.clientHeight >= d.scrollHeight - 2; }"


def scroll_with(page, key: str, condition: str) -> None:
    """Press `key` with nothing focused; wait for its scroll to end and `condition` to hold."""
    ends = page.evaluate("window.fmseScrollEnds")
    page.keyboard.press(key)
    try:
        page.wait_for_function(f"() => window.fmseScrollEnds > {ends} && ({condition})()", timeout=20_000)
    except Exception as error:  # say where the page is, not only that the wait timed out
        state = page.evaluate("() => { const d = document.scrollingElement; return {top: d.scrollTop, "
                              "height: d.scrollHeight, client: d.clientHeight, "
                              "active: document.activeElement.tagName}; }")
        raise AssertionError(f"after {key}: {state}") from error
    assert page.evaluate("document.activeElement === document.body"), key  # nothing took focus


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_page_scrolls_with_the_keyboard_before_anything_has_focus(visit, course_server, lang):
    v = open_page(visit, course_server, MODULE_04[lang])
    page = v.page
    assert page.evaluate(SCROLL_JS) == [0, True]
    assert page.evaluate("() => document.scrollingElement.scrollHeight > 2 * innerHeight")
    page.evaluate(COUNT_SCROLL_ENDS_JS)
    last = 0
    for key in ("PageDown", "Space", "ArrowDown"):
        scroll_with(page, key, f"() => document.scrollingElement.scrollTop > {last}")
        last = page.evaluate(SCROLL_JS)[0]
    scroll_with(page, "End", AT_END_JS)
    scroll_with(page, "Home", "() => document.scrollingElement.scrollTop === 0")
    # The first Tab still goes to the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "fmse-skip-link"


# --- a branching scenario's steps -------------------------------------------------------------------------------

GALLERY = {"en": "en/99-gallery.ipynb", "cy": "cy/99-oriel.ipynb"}

# The reply labels of the exercise's radio group, and which of them has focus (-1: none; "heading": the ending's).
STEP_FOCUS_JS = """i => {
    const ex = document.querySelectorAll('.fmse-exercise')[i];
    const labels = [...ex.querySelectorAll('.widget-radio-box label')];
    const el = document.activeElement;
    const heading = ex.querySelector('.fmse-situation-heading');
    return {labels: labels.map(l => l.textContent.trim()),
            focused: heading && el === heading ? 'heading' : labels.findIndex(l => l.contains(el))};
}"""


RADIO_NAMES_JS = """i => [...document.querySelectorAll('.fmse-exercise')[i]
    .querySelectorAll('.widget-radio-box input[type=radio]')].map(r => r.name)"""


def wait_for_step(page, index: int, labels: list[str], focused_on) -> None:
    page.wait_for_function("""([i, labels, want]) => {
        const ex = document.querySelectorAll('.fmse-exercise')[i];
        const found = [...ex.querySelectorAll('.widget-radio-box label')];
        const el = document.activeElement;
        const heading = ex.querySelector('.fmse-situation-heading');
        const at = heading && el === heading ? 'heading' : found.findIndex(l => l.contains(el));
        return JSON.stringify(found.map(l => l.textContent.trim())) === JSON.stringify(labels) && at === want;
    }""", arg=[index, labels, focused_on], timeout=20_000)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_focus_follows_a_scenario_to_its_next_step(visit, course_server, lang):
    v = open_page(visit, course_server, GALLERY[lang])
    page, tr = v.page, translator(lang)
    index = exercise_ids(GALLERY[lang]).index("gallery-scenario")
    exercise = load("gallery-scenario")
    run = ScenarioRun(exercise)
    first_labels = [strip_marks(c.text(lang)) for c in run.node.choices]
    steps = 0
    while not run.finished:
        best = next(c for c in run.node.choices if c.best)
        choose_radio(page, index, 0, strip_marks(best.text(lang)))
        before = live_text(page, index)
        press_button(page, index, tr.gettext("Choose"))
        run.choose(best.id)
        said = wait_for_live_change(page, index, before, "✓")
        steps += 1
        # The new situation is still announced; focus is on the new step's first reply (or the ending's heading).
        assert strip_marks(run.node.text(lang)).split("“")[0][:40] in said
        if run.finished:
            wait_for_step(page, index, [], "heading")
            assert focused(page)["label"] == tr.gettext("How it ends")
            page.keyboard.press("Tab")
            assert focused(page)["label"] == tr.gettext("Start again")
        else:
            wait_for_step(page, index, [strip_marks(c.text(lang)) for c in run.node.choices], 0)
            # The moment focus lands, the new replies already share one group name (course.js names them before
            # focusing; its observer's pass can come later). Without it, Tab walks from reply to reply.
            names = page.evaluate(RADIO_NAMES_JS, index)
            assert len(names) == len(run.node.choices) and len(set(names)) == 1 and names[0], names
            # Tab and Shift+Tab from there stay with the step: the replies are one radio group, then Choose.
            page.keyboard.press("Tab")
            assert focused(page)["label"] == tr.gettext("Choose")
            page.keyboard.press("Shift+Tab")
            assert page.evaluate(STEP_FOCUS_JS, index)["focused"] == 0
    assert steps >= 2
    # Start again: focus goes back to the first step's first reply.
    page.keyboard.press("Enter")
    wait_for_step(page, index, first_labels, 0)


# --- forced colours, the coach's text box at 320 px, table captions -------------------------------------------

# Every visible button's computed top border (width in px and style).
BUTTON_BORDERS_JS = """() => [...document.querySelectorAll('button, .jupyter-button')]
    .filter(b => b.getClientRects().length)
    .map(b => { const s = getComputedStyle(b);
                return {text: b.textContent.trim().slice(0, 30), width: parseFloat(s.borderTopWidth),
                        style: s.borderTopStyle, bottom: parseFloat(s.borderBottomWidth)}; })"""


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_buttons_keep_a_border_in_forced_colours(browser, course_server, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, forced_colors="active")
    try:
        page = context.new_page()
        page.goto(f"{course_server.base}/voila/render/{GALLERY[lang]}", wait_until="domcontentloaded",
                  timeout=60_000)
        page.wait_for_function(RENDERED, timeout=60_000)
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        buttons = page.evaluate(BUTTON_BORDERS_JS)
        assert len(buttons) >= 10  # every exercise type's buttons
        borderless = [b for b in buttons if b["width"] < 1 or b["bottom"] < 1 or b["style"] in ("none", "hidden")]
        assert borderless == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_coach_text_box_fits_its_box_at_320_px(visit, course_server, lang):
    v = open_page(visit, course_server, GALLERY[lang], viewport=(320, 700))
    page = v.page
    boxes = page.evaluate("""() => [...document.querySelectorAll('.fmse-language-coach, .fmse-reflection')].map(ex => {
        const area = ex.querySelector('.widget-textarea').getBoundingClientRect();
        const column = document.querySelector('#rendered_cells > div');
        const style = getComputedStyle(column);
        const outer = column.getBoundingClientRect();
        const own = ex.getBoundingClientRect();
        return {area: [area.left, area.right], exercise: [own.left, own.right],
                column: [outer.left + parseFloat(style.paddingLeft), outer.right - parseFloat(style.paddingRight)]};
    })""")
    assert len(boxes) == 2
    for box in boxes:
        assert box["area"][0] >= box["exercise"][0] - 0.5 and box["area"][1] <= box["exercise"][1] + 0.5, box
        assert box["area"][0] >= box["column"][0] - 0.5 and box["area"][1] <= box["column"][1] + 0.5, box


CAPTIONED = {
    "en/00-start-here.ipynb": ["The course's modules: what each one covers, and about how many minutes it takes"],
    "cy/00-dechrau-yma.ipynb": ["Modiwlau'r cwrs: beth mae pob un yn ei gynnwys, a thua faint o funudau mae'n ei "
                                "gymryd"],
    "en/04-supporting-victims.ipynb": ["Words that can sound like blame, and what to say instead"],
    "cy/04-cefnogi-dioddefwyr.ipynb": ["Geiriau a all swnio fel bai, a beth i'w ddweud yn lle hynny"],
}


@pytest.mark.parametrize("path", sorted(CAPTIONED))
def test_the_tables_of_modules_00_and_04_have_captions(visit, course_server, path):
    v = open_page(visit, course_server, path)
    captions = v.page.evaluate("""() => [...document.querySelectorAll('#rendered_cells .jp-RenderedHTMLCommon table')]
        .map(t => t.caption ? t.caption.textContent.trim() : null)""")
    assert captions == CAPTIONED[path]
    assert v.page.locator("#rendered_cells p.fmse-table-caption").count() == 0  # moved into the table
