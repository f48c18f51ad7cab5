"""Choice exercises: the pure logic, and the widget view driven as a learner would (values and clicks)."""
from __future__ import annotations

import pytest

from fmse_widgets.content.loader import load
from fmse_widgets.exercises.choice import check
from fmse_widgets.recording import MemoryRecorder
from fmse_widgets.views.choice import ChoiceView

SINGLE = "context-who-carries-it-out"
MULTI = "context-what-staff-do"


def test_single_choice_right_and_wrong():
    exercise = load(SINGLE)
    right = check(exercise, ["overseas-groups"])
    assert right.correct and right.score == 1.0 and right.missed == ()
    wrong = check(exercise, ["other-pupils"])
    assert not wrong.correct and wrong.score == 0.0
    assert [o.id for o in wrong.chosen] == ["other-pupils"]


def test_single_choice_refuses_two_answers_and_unknown_ids():
    exercise = load(SINGLE)
    with pytest.raises(ValueError, match="exactly one"):
        check(exercise, ["overseas-groups", "other-pupils"])
    with pytest.raises(ValueError, match="no option"):
        check(exercise, ["made-up"])
    with pytest.raises(ValueError, match="choose at least one"):
        check(exercise, [])


def test_multiple_choice_partial_credit_and_penalty():
    exercise = load(MULTI)
    full = check(exercise, ["refer-concerns", "avoid-blame", "help-remove-images"])
    assert full.correct and full.score == 1.0
    partial = check(exercise, ["refer-concerns", "avoid-blame"])
    assert not partial.correct and partial.score == pytest.approx(2 / 3, abs=1e-4)
    assert [o.id for o in partial.missed] == ["help-remove-images"]
    penalised = check(exercise, ["refer-concerns", "ask-to-see-image"])
    assert penalised.score == 0.0


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_single_choice_view_gives_feedback_in_its_language_and_records(lang):
    recorder = MemoryRecorder()
    view = ChoiceView(load(SINGLE), lang, page="context", recorder=recorder)
    assert view.score is None and not view.completed
    view.check_button.click()
    prompt = {"en": "Choose an answer first.", "cy": "Dewiswch ateb yn gyntaf."}[lang]
    assert prompt in view.feedback.value and recorder.events == []
    view.radio.value = "overseas-groups"
    view.check_button.click()
    verdict = {"en": "✓ Correct.", "cy": "✓ Cywir."}[lang]
    assert verdict in view.feedback.value
    assert view.completed and view.score == 1.0
    [event] = recorder.events
    assert (event.exercise_id, event.page, event.lang, event.choices, event.passed) == (
        SINGLE, "context", lang, ("overseas-groups",), True)
    assert event.started_at <= event.finished_at and event.finished_at.endswith("+00:00")


def test_wrong_answer_shows_cross_and_words_not_colour_alone():
    view = ChoiceView(load(SINGLE), "cy", recorder=MemoryRecorder())
    view.radio.value = "other-pupils"
    view.check_button.click()
    assert "✗ Ddim yn hollol." in view.feedback.value
    assert "Pam:" in view.feedback.value and "Cyd-destun" in view.feedback.value
    assert view.score == 0.0


def test_multiple_choice_view_counts_missed_answers():
    recorder = MemoryRecorder()
    view = ChoiceView(load(MULTI), "en", recorder=recorder)
    view.checkboxes[0].value = True
    view.check_button.click()
    assert "You missed 2 answers that apply." in view.feedback.value
    assert recorder.events[0].choices == ("refer-concerns",)


def test_feedback_is_escaped_and_live_region_present():
    view = ChoiceView(load(SINGLE), "en", recorder=MemoryRecorder())
    assert "fmse-live" in view.feedback._dom_classes
    assert view.feedback in view.children and view.errors in view.children
    assert "<script" not in view.question.value


def test_a_failing_callback_is_shown_not_swallowed(caplog):
    class Broken:
        def record(self, event):
            raise RuntimeError("the store is locked")

    view = ChoiceView(load(SINGLE), "en", recorder=Broken())
    view.radio.value = "overseas-groups"
    view.check_button.click()
    assert "the store is locked" in caplog.text
    assert "Sorry, something went wrong with this exercise: the store is locked" in view.errors.value
    assert "fmse-alert" in view.errors._dom_classes
