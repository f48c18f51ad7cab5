""""Make my certificate" on module 07 shows that it is working (issue 14, item 4), in real Chromium against the
real server, in both languages: the status says so in the page's language and the button is disabled while
the PDFs are made, then a clear "ready" with the downloads; the PDF says in words how to check it."""
from __future__ import annotations

import base64
import io

import pytest
from pypdf import PdfReader

from fmse_widgets.i18n import translator
from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import certificate as cert
from fmse_widgets.records import open_store
from pagekit import RENDERED

pytestmark = pytest.mark.browser

MODULE_7 = {"en": "en/07-check-your-learning.ipynb", "cy": "cy/07-gwirio-eich-dysgu.ipynb"}
# Every status the certificate's live region shows, and whether its button could be pressed at that moment.
WATCH = """() => {
    window.fmseSaid = [];
    const box = document.querySelector('.fmse-certificate');
    const note = () => {
        const status = box.querySelector('.fmse-live');
        const button = [...box.querySelectorAll('button')][0];
        window.fmseSaid.push([status ? status.innerText.trim() : '', button ? button.disabled : null]);
    };
    new MutationObserver(note).observe(box, {subtree: true, childList: true, characterData: true,
                                             attributes: true});
}"""


def learner_who_earned_it(name: str) -> str:
    rule = cert.load_rule()
    with open_store() as store:  # the server's own records (the same data folder: tests/conftest.py)
        learner = store.add_learner(name).learner_id
        for requirement in rule.requirements:
            if requirement.required:
                for exercise in (*requirement.answer, *requirement.passes):
                    store.record_event(learner, ExerciseEvent(exercise, requirement.page, "en", ("a",), 1.0, True,
                                                              "2026-04-01T09:00:00+00:00",
                                                              "2026-04-01T09:00:00+00:00"))
    return learner


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_making_the_certificate_says_working_then_ready(visit, course_server, lang):
    tr = translator(lang)
    learner = learner_who_earned_it(f"Heledd Ŵyn {lang}")
    v = visit()
    page = v.page
    page.goto(f"{course_server.base}/voila/render/{MODULE_7[lang]}?learner={learner}",
              wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)
    box = page.locator(".fmse-certificate")
    button = box.locator("button", has_text=tr.gettext("Make my certificate"))
    button.wait_for(state="visible", timeout=30_000)
    page.evaluate(WATCH)
    button.click()
    ready = tr.gettext("Your certificate is ready: download it below.")
    page.wait_for_function("text => document.querySelector('.fmse-certificate .fmse-live')?.innerText.trim() "
                           "=== text", arg=ready, timeout=60_000)
    said = page.evaluate("() => window.fmseSaid")
    working = tr.gettext("Making your certificate: this takes a few seconds…")
    assert [working, True] in said, said  # said while it worked, with the button not pressable
    assert said.index([working, True]) < next(i for i, (text, _) in enumerate(said) if text == ready)
    assert not button.is_visible()  # made: no second certificate from a second press
    links = box.locator("a.fmse-download")
    assert links.count() == 3
    data = links.nth(0 if lang == "cy" else 1).get_attribute("href").split(",", 1)[1]
    text = " ".join(PdfReader(io.BytesIO(base64.b64decode(data))).pages[0].extract_text().split())
    assert "fmse-course" not in text
    assert " ".join(cert.how_to_check(lang).split())[:60] in text
    assert v.outside == []
