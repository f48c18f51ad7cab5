"""The exercise views driven as a learner would, without a browser: set widget values, call .click(), read the
feedback; one event per completion through the recording interface, never with free text; errors shown."""
from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest

from fmse_widgets.content.loader import load
from fmse_widgets.content.exercises import PARSERS
from fmse_widgets.page import show
from fmse_widgets.recording import MemoryRecorder
from fmse_widgets.views.chat import ChatView
from fmse_widgets.views.coach import CoachView
from fmse_widgets.views.knowledge import KnowledgeCheckView
from fmse_widgets.views.myth_fact import MythFactView
from fmse_widgets.views.order import OrderView
from fmse_widgets.views.reflection import ReflectionView
from fmse_widgets.views.registry import VIEWS, view_for
from fmse_widgets.views.scenario import ScenarioView
from fmse_widgets.views.sort import SortView

LANGS = ["en", "cy"]
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def view(cls, exercise_id: str, lang: str = "en"):
    recorder = MemoryRecorder()
    return cls(load(exercise_id), lang, page="gallery", recorder=recorder), recorder


def said(widget) -> str:
    """What a screen reader reads from an HTML widget: its text, tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", widget.value))


def tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from tree(child)


def test_every_type_has_a_view():
    assert set(VIEWS) == set(PARSERS)


@pytest.mark.parametrize("kind", sorted(PARSERS))
@pytest.mark.parametrize("lang", LANGS)
def test_first_render_is_widget_values_with_an_empty_live_region(kind, lang):
    """No Output widgets (Voilà can hang when they are written during the first render); live region ready."""
    v = show(f"gallery-{kind}", lang=lang, page="gallery")
    widgets = list(tree(v))
    assert not any(isinstance(x, w.Output) for x in widgets)
    assert v.feedback.value == "" and "fmse-live" in v.feedback._dom_classes
    assert "fmse-alert" in v.errors._dom_classes and v.errors.value == ""
    assert v.score is None and not v.completed
    assert "fmse-exercise" in v._dom_classes and v.page == "gallery"


# --- myth or fact ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_myth_or_fact(lang):
    v, recorder = view(MythFactView, "gallery-myth-or-fact", lang)
    v.check_button.click()
    assert {"en": "4 statements have no answer yet", "cy": "mae 4 datganiad heb ateb eto"}[lang] in said(v.feedback)
    assert recorder.events == []
    for card in v.exercise.cards:
        v.radios[card.id].value = "myth"
    v.check_button.click()
    assert {"en": "2 of 4 statements right.", "cy": "2 o 4 datganiad yn gywir."}[lang] in said(v.feedback)
    assert {"en": "✗ 2 of 4", "cy": "✗ 2 o 4"}[lang] in said(v.feedback)
    [event] = recorder.events
    assert event.choices == tuple(f"{c.id}.myth" for c in v.exercise.cards) and event.score == 0.5
    assert event.passed is None and event.lang == lang and event.page == "gallery"


def test_welsh_counted_text_uses_the_right_plural_form():
    v, _ = view(MythFactView, "gallery-myth-or-fact", "cy")
    v.radios["paying-stops-it"].value = "myth"
    v.radios["pretend-to-be-young"].value = "fact"
    v.check_button.click()
    assert "mae 2 ddatganiad heb ateb eto" in said(v.feedback)  # soft mutation after "dau"


# --- sort ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_sort(lang):
    v, recorder = view(SortView, "gallery-sort", lang)
    assert v.selects["plays-games"].options[0][1] == ""  # "Choose a category" first, not a category
    v.check_button.click()
    assert recorder.events == [] and "fmse-prompt-again" in v.feedback.value
    for item in v.exercise.items:
        v.selects[item.id].value = item.category
    v.check_button.click()
    assert {"en": "✓ Correct.", "cy": "✓ Cywir."}[lang] in said(v.feedback)
    assert {"en": "Why:", "cy": "Pam:"}[lang] in said(v.feedback)
    [event] = recorder.events
    assert event.score == 1.0 and "plays-games.not-on-its-own" in event.choices


# --- order -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_order_moves_announce_and_check(lang):
    v, recorder = view(OrderView, "gallery-order", lang)
    steps = {s.id: s.text(lang) for s in v.exercise.steps}
    assert v.order == ("take-it-down", "report-to-platform", "report-remove")
    assert "1.</span> " + steps["take-it-down"][:20] in v.texts[0].value
    v.up[0].click()
    assert {"en": "is already first.", "cy": "eisoes yn gyntaf."}[lang] in said(v.feedback)
    v.up[2].click()
    assert v.order == ("take-it-down", "report-remove", "report-to-platform")
    assert {"en": "moved to position 2 of 3.", "cy": "wedi symud i safle 2 o 3."}[lang] in said(v.feedback)
    assert steps["report-remove"][:20] in v.texts[1].value  # the rows stay, their text changes
    v.check_button.click()
    assert {"en": "1 of 3 steps are in the right place.",
            "cy": "Mae 1 o 3 cham yn y lle iawn."}[lang] in said(v.feedback)
    v.up[1].click()
    v.check_button.click()
    assert {"en": "✓ Right order.", "cy": "✓ Y drefn gywir."}[lang] in said(v.feedback)
    assert [e.score for e in recorder.events] == [0.3333, 1.0]
    assert recorder.events[-1].choices == ("report-remove", "take-it-down", "report-to-platform")


# --- scenario --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_scenario_walks_to_a_debrief_and_starts_again(lang):
    v, recorder = view(ScenarioView, "gallery-scenario", lang)
    assert [value for _, value in v.radio.options] == ["thank-and-reassure", "ask-to-see", "ask-why"]
    assert v.radio.value is None
    v.choose_button.click()
    assert {"en": "Choose a reply first.", "cy": "Dewiswch ymateb yn gyntaf."}[lang] in said(v.feedback)
    v.radio.value = "ask-to-see"
    v.choose_button.click()
    assert "✗" in v.feedback.value and 'class="fmse-sr-only"' in v.feedback.value
    assert v.radio.value is None and [o for _, o in v.radio.options] == ["stop-and-reassure", "look-anyway"]
    v.radio.value = "stop-and-reassure"
    v.choose_button.click()
    v.radio.value = "do-not-pay-pass-on"
    v.choose_button.click()
    assert v.radio.layout.display == "none"
    assert v.choose_button.description == {"en": "Start again", "cy": "Dechrau eto"}[lang]
    assert {"en": "2 of your 3 choices were what the guidance recommends.",
            "cy": "Roedd 2 o'ch 3 dewis yn cyfateb"}[lang] in said(v.feedback)
    assert "fmse-debrief" in v.feedback.value
    [event] = recorder.events
    assert event.choices == ("ask-to-see", "stop-and-reassure", "do-not-pay-pass-on")
    assert event.score == pytest.approx(0.6667) and event.passed is None
    v.choose_button.click()  # start again
    assert v.run.path == [] and v.radio.layout.display is None and len(recorder.events) == 1
    assert v.choose_button.description == {"en": "Choose", "cy": "Dewis"}[lang]


def test_scenario_numbers_each_step_it_shows_for_the_page_to_move_focus():
    """course.js moves focus into a new step when its radio group's fmse-step-N class changes; it changes with every
    step shown (an ending and a restart included), and not when nothing was chosen."""
    v, _ = view(ScenarioView, "gallery-scenario")

    def steps():
        return [c for c in v.radio._dom_classes if c.startswith("fmse-step-")]

    assert steps() == ["fmse-step-0"]
    v.choose_button.click()  # nothing chosen: same step
    assert steps() == ["fmse-step-0"]
    seen = []
    for choice in ("ask-to-see", "stop-and-reassure", "do-not-pay-pass-on"):
        v.radio.value = choice
        v.choose_button.click()
        seen += steps()
    assert seen == ["fmse-step-1", "fmse-step-2", "fmse-step-3"] and v.run.finished
    v.choose_button.click()  # start again
    assert steps() == ["fmse-step-4"] and not v.run.finished


def test_scenario_shows_quoted_examples_as_quotes_and_plain_labels():
    v, _ = view(ScenarioView, "gallery-scenario")
    label = dict((value, text) for text, value in v.radio.options)["ask-why"]
    assert label.startswith("“Why did you") and "<q" not in label
    v.radio.value = "ask-why"
    v.choose_button.click()
    assert '<q class="fmse-avoid">why did you</q>' in v.feedback.value


# --- chat spotter ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_chat_spotter(lang):
    v, recorder = view(ChatView, "gallery-chat-spotter", lang)
    assert set(v.boxes) == {m.id for m in v.exercise.markable}  # the young person's messages have no box
    v.check_button.click()
    assert recorder.events == []
    for message_id in ("hello", "which-games"):
        v.boxes[message_id].value = True
    v.check_button.click()
    assert {"en": "You found 1 of 6 warning signs.",
            "cy": "Daethoch o hyd i 1 o 6 arwydd rhybudd."}[lang] in said(v.feedback)
    assert {"en": "1 message you ticked is not a warning sign on its own.",
            "cy": "Nid yw 1 neges a diciwyd gennych yn arwydd rhybudd ar ei phen ei hun."}[lang] in said(v.feedback)
    [event] = recorder.events
    assert event.choices == ("hello", "which-games") and event.score == 0.0


def test_chat_messages_show_invented_handles_escaped():
    v, _ = view(ChatView, "gallery-chat-spotter")
    html = "".join(x.value for x in tree(v) if isinstance(x, w.HTML))
    assert "invented_kai_15" in html and "invented_sam" in html and "[asks for a photo]" in html


# --- language coach --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text", "flagged"), [
    ("en", "Why did you send it? It's your fault.", ("why-did-you", "fault")),
    ("cy", "A pham wnest ti ei anfon? Ti sydd ar fai, a fy mai i hefyd.", ("why-did-you", "fault")),
])
def test_language_coach_flags_and_records_phrase_ids_only(lang, text, flagged):
    v, recorder = view(CoachView, "gallery-language-coach", lang)
    v.check_button.click()
    assert {"en": "Write what you would say first.", "cy": "Ysgrifennwch yr hyn"}[lang] in said(v.feedback)
    v.text.value = text + " " + HOSTILE
    v.check_button.click()
    assert v.feedback.value.count('<mark class="fmse-flagged">') == {"en": 2, "cy": 3}[lang]  # "fy mai": nasal
    assert "<script>" not in v.feedback.value and "<img" not in v.feedback.value
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in v.feedback.value
    assert {"en": "The coach found 2 phrases to rethink.",
            "cy": "Daeth yr hyfforddwr iaith o hyd i 3 ymadrodd"}[lang] in said(v.feedback)
    assert v.feedback.value.count("<li>") == 2  # each phrase explained once, even when used twice ("fy mai")
    [event] = recorder.events
    assert event.choices == flagged and event.score == 0.0  # each phrase once
    assert text not in repr(event) and "fai" not in repr(event.as_dict())  # no free text in the event
    v.text.value = v.exercise.model_answer(lang)
    v.check_button.click()
    # No tick for a clean list check: the feedback says what no list can catch (issue 24).
    assert "✓" not in said(v.feedback) and recorder.events[-1].score == 1.0 and recorder.events[-1].choices == ()
    assert {"en": "promise no secrecy", "cy": "nad ydych chi'n addo cyfrinachedd"}[lang] in said(v.feedback)
    assert {"en": "straight away", "cy": "ar unwaith"}[lang] in said(v.feedback)


def test_language_coach_refuses_very_long_text():
    v, recorder = view(CoachView, "gallery-language-coach")
    v.text.value = "word " * 2000
    v.check_button.click()
    assert "up to 5000 characters" in said(v.feedback) and recorder.events == []


# --- reflection ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_reflection_offers_a_download_and_records_nothing_of_the_text(lang):
    from urllib.parse import unquote

    v, recorder = view(ReflectionView, "gallery-reflection", lang)
    v.finish_button.click()
    assert {"en": "nothing to download", "cy": "dim byd i'w lawrlwytho"}[lang] in said(v.feedback)
    assert "fmse-download" not in v.feedback.value
    v.text.value = "My own thoughts ŵ " + HOSTILE
    v.finish_button.click()
    assert 'class="fmse-download"' in v.feedback.value and "<script>" not in v.feedback.value
    href = v.feedback.value.split('href="', 1)[1].split('"', 1)[0]
    assert "My own thoughts ŵ " + HOSTILE in unquote(href)
    [event] = recorder.events  # one event, at the first Finish; pressing again only renews the link
    assert event.choices == () and event.score == 1.0 and "thoughts" not in repr(event)


# --- knowledge check -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_knowledge_check(lang):
    v, recorder = view(KnowledgeCheckView, "gallery-knowledge-check", lang)
    assert {"en": "answer at least 3 of 4 questions correctly",
            "cy": "atebwch o leiaf 3 o 4 cwestiwn yn gywir"}[lang] in said(v.hint)
    v.boxes[0].radio.value = "dsp"
    v.submit_button.click()
    assert {"en": "questions 2, 3, 4 have no answer yet", "cy": "does dim ateb i gwestiynau 2, 3, 4 eto"}[lang] \
        in said(v.feedback)
    v.boxes[1].radio.value = "report-remove"
    v.boxes[2].checkboxes[0].value = True  # money, but not the gift card: not fully right
    v.boxes[3].radio.value = "offender"
    v.submit_button.click()
    # The live region says the verdict in one sentence (numbered: this is the second press of Submit) ...
    assert said(v.feedback) == {"en": "✓ Attempt 2: 3 of 4 correct: passed.",
                                "cy": "✓ Ymgais 2: 3 o 4 yn gywir: wedi pasio."}[lang]
    # ... and the score and every question's feedback stay in the page, outside the live region.
    assert "fmse-live" not in v.details._dom_classes and v.details in v.children
    assert {"en": "You answered 3 of 4 questions correctly (75%).",
            "cy": "Rydych chi wedi ateb 3 o 4 cwestiwn yn gywir (75%)."}[lang] in said(v.details)
    assert said(v.details).count({"en": "Question ", "cy": "Cwestiwn "}[lang]) == 4
    v.boxes[0].radio.value = "the-young-person"
    v.submit_button.click()
    assert said(v.feedback) == {"en": "✗ Attempt 3: 2 of 4 correct: not passed yet (you need 3).",
                                "cy": "✗ Ymgais 3: 2 o 4 yn gywir: heb basio eto (mae angen 3 arnoch chi)."}[lang]
    assert {"en": "Not passed yet: you need 3 right answers.", "cy": "Heb basio eto"}[lang] in said(v.details)
    first, second = recorder.events
    assert (first.passed, first.score, second.passed, second.score) == (True, 0.75, False, 0.5)
    assert first.choices == ("who-refers.dsp", "iwf-childline-tool.report-remove", "demands.money",
                             "who-is-responsible.offender")


@pytest.mark.parametrize("lang", LANGS)
def test_knowledge_check_announces_an_identical_resubmission(lang):
    """A live region is silent when its text stays the same: the same answers submitted again say so."""
    v, _ = view(KnowledgeCheckView, "gallery-knowledge-check", lang)
    v.submit_button.click()
    nothing = said(v.feedback)
    v.submit_button.click()
    assert said(v.feedback) == {"en": "Attempt 2: ", "cy": "Ymgais 2: "}[lang] + nothing
    for box, answer in zip(v.boxes, ["dsp", "report-remove", None, "offender"]):
        if box.radio is not None:
            box.radio.value = answer
    v.boxes[2].checkboxes[0].value = True
    v.submit_button.click()
    first = said(v.feedback)
    assert first.startswith("✓ " + {"en": "Attempt 3: ", "cy": "Ymgais 3: "}[lang])
    v.submit_button.click()
    second = said(v.feedback)
    assert second != first
    assert second == first.replace("3", "4", 1)
    assert said(v.details) and "fmse-results" in v.details.value


@pytest.mark.parametrize("kind", sorted(set(PARSERS) - {"knowledge-check", "scenario"}))
@pytest.mark.parametrize("lang", LANGS)
def test_every_check_button_announces_the_same_answer_checked_again(kind, lang):
    """The same answer (or none) checked twice: the live region's text changes ("Attempt 2: ..."), so a screen
    reader says it again; the rest of the feedback is unchanged. (Knowledge checks: the test above; a scenario's
    steps always change the text.)"""
    exercise = load(f"gallery-{kind}")
    v = view_for(exercise)(exercise, lang, page="gallery", recorder=MemoryRecorder())
    button = getattr(v, "check_button", None) or v.finish_button
    button.click()
    first = said(v.feedback)
    assert first and v.errors.value == ""
    button.click()
    assert said(v.feedback) == {"en": "Attempt 2: ", "cy": "Ymgais 2: "}[lang] + first
    button.click()
    assert said(v.feedback) == {"en": "Attempt 3: ", "cy": "Ymgais 3: "}[lang] + first


# --- errors are shown, never swallowed -------------------------------------------------------------------------

class Broken:
    def record(self, event):
        raise RuntimeError("the store is locked")


@pytest.mark.parametrize("lang", LANGS)
def test_a_failing_callback_is_shown_and_logged(lang, caplog):
    v = SortView(load("gallery-sort"), lang, recorder=Broken())
    for item in v.exercise.items:
        v.selects[item.id].value = item.category
    v.check_button.click()
    assert "the store is locked" in caplog.text
    assert "the store is locked" in said(v.errors)
    assert {"en": "Sorry, something went wrong", "cy": "Mae'n ddrwg gennym"}[lang][:8] in said(v.errors)


def test_view_for_every_gallery_exercise():
    for kind in PARSERS:
        exercise = load(f"gallery-{kind}")
        assert view_for(exercise) is VIEWS[kind]
