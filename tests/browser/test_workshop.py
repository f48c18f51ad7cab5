"""A workshop in real Chromium: the trainer's page projected at 1280 px, participants on 360 px phones joining
and answering with the keyboard alone, the room following the trainer, and a hostile nickname shown as text."""
from __future__ import annotations

import re

import pytest

from exercise_keys import choose_radio, live_text, press_button, wait_for_live_change
from fmse_widgets.exercises.coach import strip_marks
from fmse_widgets.i18n import translator
from fmse_widgets.workshop.room import questions
from servers import WorkshopServer
from pagekit import RENDERED as READY

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
PHONE = (360, 740)

# Sideways scrolling anywhere, and controls that stick out of the viewport or cannot be seen.
OVERFLOW_JS = """() => {
    const cells = document.querySelector('#rendered_cells');
    const wide = [document.documentElement, document.body, cells].filter(Boolean)
        .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.id || el.tagName);
    const controls = [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href]')]
        .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
        .filter(el => { const b = el.getBoundingClientRect(); return b.left < -1 || b.right > innerWidth + 1; })
        .map(el => el.outerHTML.slice(0, 80));
    return {wide, outside: controls};
}"""

# Every operable control in the room (the question and its button): each must be reached by Tab.
ROOM_CONTROLS_JS = """() => [...document.querySelectorAll('.fmse-room button, .fmse-room input')]
    .filter(el => el.getClientRects().length).length"""


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    server = WorkshopServer(tmp_path_factory.mktemp("workshop-browser"), participants=2)
    server.wait_for_pools()
    yield server
    server.stop()


def open_trainer(visit, workshop):
    v = visit()
    v.page.goto(f"{workshop.base}/workshop/trainer?token={workshop.token}")
    v.page.wait_for_function(READY, timeout=90_000)
    assert workshop.token not in v.page.url
    return v


def join_by_keyboard(visit, workshop, nickname: str, lang: str):
    """Join on a phone with the keyboard alone: the QR code's address fills in the code."""
    v = visit(viewport=PHONE)
    dialogs: list[str] = []
    v.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    v.page.goto(f"{workshop.base}/workshop/join?code={workshop.code}")
    assert v.page.evaluate(OVERFLOW_JS) == {"wide": [], "outside": []}
    page = v.page
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "nickname":
            break
    page.keyboard.type(nickname)
    page.keyboard.press("Tab")  # the language radio group
    if page.evaluate("() => document.activeElement.value") != lang:
        page.keyboard.press("ArrowDown" if lang == "en" else "ArrowUp")
    assert page.evaluate("() => document.querySelector('input[name=lang]:checked').value") == lang
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/voila/render/"), timeout=60_000)
    page.wait_for_function(READY, timeout=90_000)
    v.dialogs = dialogs
    return v


def wait_for_text(page, selector: str, text: str, timeout: float = 20_000) -> None:
    page.wait_for_function("([s, t]) => [...document.querySelectorAll(s)].some(e => e.textContent.includes(t))",
                           arg=[selector, text], timeout=timeout)


def send_answer(page, exercise, lang: str, right: bool) -> str:
    """Answer the room's question with the keyboard (a right or a wrong option) and send it; what the page says."""
    tr = translator(lang)
    option = next(o for o in exercise.options if o.correct == right)
    before = live_text(page, 0)
    choose_radio(page, 0, 0, strip_marks(option.text(lang)))
    press_button(page, 0, tr.gettext("Send my answer"))
    return wait_for_live_change(page, 0, before, tr.gettext("Your answer is in. The trainer will show the answer "
                                                            "to the room."))


def test_a_room_joins_answers_and_follows_the_trainer(visit, workshop, tmp_path):
    trainer = open_trainer(visit, workshop)
    tp = trainer.page
    trainer_dialogs: list[str] = []
    tp.on("dialog", lambda d: (trainer_dialogs.append(d.message), d.dismiss()))
    assert tp.evaluate("() => document.documentElement.lang") == "en"
    assert workshop.code in tp.inner_text(".fmse-room-code")

    english = join_by_keyboard(visit, workshop, HOSTILE, "en")
    welsh = join_by_keyboard(visit, workshop, "Siân", "cy")
    for v, lang in ((english, "en"), (welsh, "cy")):
        assert v.page.evaluate("() => document.documentElement.lang") == lang
        assert v.page.evaluate(OVERFLOW_JS) == {"wide": [], "outside": []}

    # The trainer sees who has joined; the nickname's HTML is text, and nothing ran.
    wait_for_text(tp, ".fmse-room-joined", "Siân")
    assert HOSTILE in tp.inner_text(".fmse-room-joined")
    assert tp.locator(".fmse-room-joined img").count() == 0

    tp.get_by_role("button", name="Next question").click()
    first = questions()[0]
    for v, lang in ((english, "en"), (welsh, "cy")):
        wait_for_text(v.page, ".fmse-room .fmse-question-text", first.prompt(lang).split()[0])
        # At 360 px nothing scrolls sideways, and every control in the room is reachable by Tab.
        assert v.page.evaluate(OVERFLOW_JS) == {"wide": [], "outside": []}
        assert v.page.evaluate(ROOM_CONTROLS_JS) >= len(first.options) + 1
        # The answer is collected, with no verdict and no explanation until the trainer reveals it.
        said = send_answer(v.page, first, lang, right=(lang == "en"))
        room_text = v.page.inner_text(".fmse-room")
        assert "✓" not in room_text and "✗" not in room_text
        assert first.why(lang)[:40] not in room_text and translator(lang).gettext("Why: {reason} ({source})")[:4] \
            not in room_text, said

    wait_for_text(tp, ".fmse-room-answered", "2 of 2 have answered")
    counts = [int(c) for c in tp.locator(".fmse-room-count").all_inner_texts()]
    assert sum(counts) >= 2 and len(counts) == len(first.options)
    tp.screenshot(path=str(tmp_path / "trainer.png"))

    tp.get_by_role("button", name="Reveal the answer").click()
    wait_for_text(english.page, ".fmse-room-answer", "The answer")
    wait_for_text(welsh.page, ".fmse-room-answer", "Yr ateb")
    assert tp.locator("tr.fmse-room-right").count() == sum(o.correct for o in first.options)
    wait_for_text(tp, ".fmse-room-why", first.why("en")[:40])  # the projector shows why, with the counts
    # Every participant now sees the right answer and why in their own language, and their own verdict.
    for v, lang, verdict in ((english, "en", "✓"), (welsh, "cy", "✗")):
        wait_for_text(v.page, ".fmse-room .fmse-live", verdict)
        answer = v.page.inner_text(".fmse-room-answer")
        assert first.why(lang)[:40] in answer
        assert all(strip_marks(o.text(lang)) in strip_marks(answer) for o in first.options if o.correct)
    welsh.page.screenshot(path=str(tmp_path / "participant-revealed-cy.png"))

    tp.get_by_role("button", name="Next question").click()
    second = questions()[1]
    wait_for_text(english.page, ".fmse-room .fmse-question-text", second.prompt("en").split()[0])
    # The last question's answer is gone (read in one step: the element may be removed between two reads).
    assert english.page.evaluate("() => (document.querySelector('.fmse-room-answer') || {innerText: ''})"
                                 ".innerText.trim()") == ""
    english.page.screenshot(path=str(tmp_path / "participant.png"))
    assert english.dialogs == [] and welsh.dialogs == [] and trainer_dialogs == []
    for v in (trainer, english, welsh):
        assert v.outside == [], v.outside
