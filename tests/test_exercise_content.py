"""The content format of every exercise type: the gallery's files load; malformed files name the file, the
exercise and the field to fix; answer keys are ids and booleans, never wording of one language."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from fmse_widgets import yaml_text
from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.exercises import PARSERS, SIGNS, default_start
from fmse_widgets.content.loader import load, parse_exercise

ROOT = Path(__file__).resolve().parents[1]
TYPES = sorted(PARSERS)


def raw(exercise_id: str) -> dict:
    return yaml_text.safe_load((ROOT / "data" / "exercises" / f"{exercise_id}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", TYPES)
def test_the_gallery_has_a_valid_exercise_of_every_type(kind):
    exercise = load(f"gallery-{kind}")
    assert exercise.type == kind and exercise.id == f"gallery-{kind}"
    texts = exercise.texts()
    assert texts and all(t.en.strip() and t.cy.strip() for _, t in texts)
    assert not [field for field, t in texts if t.stale], "run `fmse-course content stamp`"


def test_welsh_written_for_the_gallery_is_draft_and_the_alerts_own_welsh_is_official():
    statuses = {t.cy_status for kind in TYPES for _, t in load(f"gallery-{kind}").texts()}
    assert statuses == {"draft", "official"}
    assert {t.cy_status for _, t in load("gallery-order").texts() if "Report Remove" in t.en} == {"official"}


def broken(exercise_id: str, change) -> dict:
    data = copy.deepcopy(raw(exercise_id))
    change(data)
    return data


@pytest.mark.parametrize(("exercise_id", "change", "message"), [
    ("gallery-myth-or-fact", lambda d: [c.update(fact=True) for c in d["cards"]],
     r"field 'cards': needs at least one myth \(fact: false\) and one fact"),
    ("gallery-myth-or-fact", lambda d: d["cards"][0].update(fact="yes please"),
     r"cards\[0\]\.fact': must be true or false"),
    ("gallery-sort", lambda d: d["items"][0].update(category="maybe"),
     r"items\[0\]\.category': 'maybe' must be one of"),
    ("gallery-sort", lambda d: [i.update(category="warning-sign") for i in d["items"]],
     r"category 'not-on-its-own' has no items"),
    ("gallery-order", lambda d: d.update(start=[s["id"] for s in d["steps"]]), r"'start': shows the steps already in"),
    ("gallery-order", lambda d: d.update(start=["report-remove", "report-remove", "take-it-down"]),
     r"'start': must list every step id once"),
    ("gallery-chat-spotter", lambda d: d["participants"][0].update(handle="Real Name"),
     r"handle': 'Real Name' must be"),
    ("gallery-chat-spotter", lambda d: d["messages"][0].update(sign="looks-odd"), r"messages\[0\]\.sign': 'looks-odd'"),
    ("gallery-chat-spotter", lambda d: d["messages"][1].update(sign="blackmail"), r"only messages from a markable"),
    ("gallery-chat-spotter", lambda d: d["messages"][0].pop("feedback"), r"messages\[0\]\.feedback': is missing"),
    ("gallery-chat-spotter", lambda d: d["participants"][0].pop("markable"), r"needs 'markable: true'"),
    ("gallery-knowledge-check", lambda d: d.update(pass_mark=80), r"'pass_mark': must be a number from 0.01 to 1.0"),
    ("gallery-knowledge-check", lambda d: d["questions"][0].update(type="essay"),
     r"questions\[0\]\.type': 'essay' must be one of: single-choice, multiple-choice"),
    ("gallery-knowledge-check", lambda d: d["questions"][0]["options"][1].update(correct=True),
     r"single-choice exercise needs exactly one correct option"),
    ("gallery-reflection", lambda d: d.update(points="think"), r"'points': must be a list"),
    ("gallery-reflection", lambda d: d["points"][0].pop("cy"), r"points\[0\]': needs a non-empty 'cy' string"),
    ("gallery-language-coach", lambda d: d.pop("model_answer"), r"'model_answer': is missing"),
    ("gallery-scenario", lambda d: d["nodes"][0]["choices"][0].update(next="nowhere"),
     r"'nodes': the scenario's graph is broken: choice 'thank-and-reassure' in node 'disclosure' points to 'nowhere'"),
])
def test_a_malformed_exercise_names_its_file_exercise_and_field(exercise_id, change, message):
    with pytest.raises(ContentError, match=rf"{exercise_id}\.yaml: exercise '{exercise_id}': .*{message}"):
        parse_exercise(broken(exercise_id, change), f"{exercise_id}.yaml")


def test_an_unknown_type_lists_every_type():
    kinds = ("single-choice, multiple-choice, myth-or-fact, sort, order, scenario, chat-spotter, language-coach, "
             "reflection, knowledge-check")
    with pytest.raises(ContentError, match=f"must be one of: {kinds}"):
        parse_exercise({"id": "x", "type": "drag-and-drop"}, "x.yaml")


def test_order_without_a_start_is_shown_rotated():
    data = raw("gallery-order")
    data.pop("start", None)
    exercise = parse_exercise(data, "gallery-order.yaml")
    assert exercise.start == default_start(exercise.answer) != exercise.answer


def test_answer_keys_are_ids_and_booleans_the_same_in_both_languages():
    """An answer key never depends on wording: it is option, category, step, node or sign ids and true/false."""
    chat = load("gallery-chat-spotter")
    assert {m.sign for m in chat.messages if m.sign} <= set(SIGNS)
    assert all(p.handle.startswith("invented_") for p in chat.participants)  # obviously fictional user names
    sort = load("gallery-sort")
    assert {i.category for i in sort.items} == {c.id for c in sort.categories}
    scenario = load("gallery-scenario")
    assert all(sum(c.best for c in n.choices) == 1 for n in scenario.nodes if not n.ending)
