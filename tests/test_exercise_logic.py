"""Pure logic of the exercise types (no widgets): marking, moving, scoring, pass marks, the reflection file."""
from __future__ import annotations

from urllib.parse import unquote

import pytest

from fmse_widgets.content.loader import load
from fmse_widgets.exercises import chat, knowledge, myth_fact, order, reflection, sort


# --- myth or fact ---------------------------------------------------------------------------------------

def right_cards(exercise) -> dict[str, str]:
    return {c.id: "fact" if c.fact else "myth" for c in exercise.cards}


def test_myth_or_fact_marks_each_card():
    exercise = load("gallery-myth-or-fact")
    answers = right_cards(exercise)
    result = myth_fact.check(exercise, answers)
    assert result.right == len(exercise.cards) and result.score == 1.0
    assert result.choices == tuple(f"{c.id}.{answers[c.id]}" for c in exercise.cards)
    answers["paying-stops-it"] = "fact"
    result = myth_fact.check(exercise, answers)
    assert result.score == 0.75 and [c.right for c in result.cards] == [False, True, True, True]


def test_myth_or_fact_refuses_partial_or_unknown_answers():
    exercise = load("gallery-myth-or-fact")
    with pytest.raises(ValueError, match="answer every card first"):
        myth_fact.check(exercise, {"paying-stops-it": "myth"})
    with pytest.raises(ValueError, match="no card"):
        myth_fact.check(exercise, {**right_cards(exercise), "invented": "myth"})
    with pytest.raises(ValueError, match="'myth' or 'fact'"):
        myth_fact.check(exercise, {**right_cards(exercise), "only-girls": "maybe"})


# --- sort --------------------------------------------------------------------------------------------------

def test_sort_marks_each_item_and_records_item_category_pairs():
    exercise = load("gallery-sort")
    placed = {i.id: i.category for i in exercise.items}
    result = sort.check(exercise, placed)
    assert result.correct and result.score == 1.0
    assert result.choices[0] == "unknown-account.warning-sign"
    placed["plays-games"] = "warning-sign"
    result = sort.check(exercise, placed)
    assert not result.correct and result.right == len(exercise.items) - 1
    assert result.score == pytest.approx((len(exercise.items) - 1) / len(exercise.items), abs=1e-4)


def test_sort_refuses_unplaced_items_and_unknown_categories():
    exercise = load("gallery-sort")
    with pytest.raises(ValueError, match="place every item first"):
        sort.check(exercise, {"plays-games": "not-on-its-own"})
    with pytest.raises(ValueError, match="no category 'maybe'"):
        sort.check(exercise, {i.id: "maybe" for i in exercise.items})


# --- order ---------------------------------------------------------------------------------------------------

def test_move_swaps_neighbours_and_stops_at_the_ends():
    assert order.move(("a", "b", "c"), 2, -1) == ("a", "c", "b")
    assert order.move(("a", "b", "c"), 0, +1) == ("b", "a", "c")
    assert order.move(("a", "b", "c"), 0, -1) == ("a", "b", "c")
    assert order.move(("a", "b", "c"), 2, +1) == ("a", "b", "c")
    with pytest.raises(ValueError, match="one place at a time"):
        order.move(("a", "b"), 0, 2)
    with pytest.raises(IndexError, match="no step at position 4 of 2"):
        order.move(("a", "b"), 3, -1)


def test_order_starts_wrong_and_is_marked_by_position():
    exercise = load("gallery-order")
    assert exercise.start != exercise.answer and sorted(exercise.start) == sorted(exercise.answer)
    assert exercise.answer == ("report-remove", "take-it-down", "report-to-platform")  # the alert's three steps
    result = order.check(exercise, exercise.start)
    assert not result.correct and result.score == 0.0
    result = order.check(exercise, ("report-remove", "report-to-platform", "take-it-down"))
    assert result.in_place == (True, False, False) and result.score == pytest.approx(1 / 3, abs=1e-4)
    assert order.check(exercise, exercise.answer).correct
    with pytest.raises(ValueError, match="each step once"):
        order.check(exercise, ("report-remove", "report-remove", "take-it-down"))


# --- chat spotter -----------------------------------------------------------------------------------------

def test_chat_counts_found_missed_and_false_alarms():
    exercise = load("gallery-chat-spotter")
    signs = sorted(exercise.sign_ids)
    full = chat.check(exercise, signs)
    assert full.correct and full.score == 1.0 and full.missed == 0
    partial = chat.check(exercise, [*signs[:-1], "which-games"])
    assert (partial.found, partial.missed, partial.false_alarms) == (len(signs) - 1, 1, 1)
    assert partial.score == pytest.approx((len(signs) - 2) / len(signs), abs=1e-4)
    assert chat.check(exercise, ["which-games"]).score == 0.0  # never below zero
    with pytest.raises(ValueError, match="cannot be marked"):
        chat.check(exercise, ["who-are-you"])  # the young person's own message is not markable


# --- knowledge check --------------------------------------------------------------------------------------

def right_answers(exercise) -> dict[str, list[str]]:
    return {q.id: sorted(q.correct_ids) for q in exercise.questions}


def test_knowledge_check_scores_and_applies_the_pass_mark():
    exercise = load("gallery-knowledge-check")
    assert exercise.pass_mark == 0.75 and len(exercise.questions) == 4
    answers = right_answers(exercise)
    result = knowledge.check(exercise, answers)
    assert (result.right, result.score, result.passed) == (4, 1.0, True)
    answers["who-refers"] = ["the-young-person"]
    result = knowledge.check(exercise, answers)
    assert (result.right, result.score, result.passed) == (3, 0.75, True)  # exactly the pass mark passes
    answers["demands"] = ["money"]  # half of a multiple-choice question is not a right answer
    result = knowledge.check(exercise, answers)
    assert (result.right, result.score, result.passed) == (2, 0.5, False)
    assert "demands.money" in result.choices and "who-refers.the-young-person" in result.choices


def test_knowledge_check_needs_every_question_answered():
    exercise = load("gallery-knowledge-check")
    answers = right_answers(exercise)
    answers["demands"] = []
    assert knowledge.unanswered(exercise, answers) == ["demands"]
    with pytest.raises(ValueError, match="answer every question first"):
        knowledge.check(exercise, answers)
    with pytest.raises(ValueError, match="no question"):
        knowledge.check(exercise, {**right_answers(exercise), "invented": ["x"]})


def test_four_of_five_passes_a_pass_mark_of_80_percent():
    import dataclasses

    from fmse_widgets.views.knowledge import needed

    gallery = load("gallery-knowledge-check")
    assert needed(gallery) == 3
    first = gallery.questions[0]
    five = dataclasses.replace(gallery, pass_mark=0.8, questions=tuple(
        dataclasses.replace(first, id=f"q{i}") for i in range(5)))
    assert needed(five) == 4
    answers = {f"q{i}": ["dsp"] for i in range(5)}
    assert knowledge.check(five, answers).passed
    answers["q0"] = answers["q1"] = ["the-young-person"]
    result = knowledge.check(five, answers)
    assert (result.right, result.score, result.passed) == (3, 0.6, False)


# --- reflection -------------------------------------------------------------------------------------------

def test_reflection_file_is_a_utf8_data_url_with_the_learners_own_text():
    text = reflection.as_file_text("Prompt?", "Nodiadau ŵ ŷ <script>x</script>\n", heading="My notes")
    url = reflection.data_url(text)
    assert url.startswith("data:text/plain;charset=utf-8,%EF%BB%BF")
    assert "<" not in url and '"' not in url and " " not in url  # safe inside an HTML attribute
    decoded = unquote(url.split(",", 1)[1])
    assert decoded == "\ufeffMy notes\r\n\r\nPrompt?\r\n\r\nNodiadau ŵ ŷ <script>x</script>\r\n"
    assert reflection.file_name("gallery-reflection", "cy") == "fy-nodiadau-gallery-reflection.txt"
    assert reflection.too_long("x" * (reflection.MAX_CHARS + 1)) and not reflection.too_long("x")
