"""The content format: good files load as frozen dataclasses; bad files name the file, exercise and field."""
from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.exercises import ChoiceExercise
from fmse_widgets.content.loader import load, load_all, load_file
from fmse_widgets.content.text import english_hash

GOOD = """
id: sample-question
type: single-choice
section: context
prompt: {en: Which is right?, cy: Pa un sy'n gywir?}
options:
- id: right
  correct: true
  text: {en: This one, cy: Hwn}
  feedback: {en: Yes., cy: Ie.}
- id: wrong
  correct: false
  text: {en: That one, cy: Hwnnw}
  feedback: {en: No., cy: Na.}
why: {en: Because., cy: Oherwydd.}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_file_loads_as_frozen_dataclasses(tmp_path):
    exercise = load_file(write(tmp_path, "sample-question.yaml", GOOD))
    assert isinstance(exercise, ChoiceExercise)
    assert exercise.correct_ids == {"right"}
    assert exercise.prompt("cy") == "Pa un sy'n gywir?"
    assert exercise.options[1].feedback("en") == "No."
    with pytest.raises(dataclasses.FrozenInstanceError):
        exercise.id = "other"  # type: ignore[misc]


def test_every_committed_exercise_is_valid():
    exercises = load_all()
    assert len(exercises) >= 3
    assert all(e.id == key for key, e in exercises.items())


def test_load_by_id_and_missing_id_names_the_fix():
    assert load("context-who-is-targeted").type == "single-choice"
    with pytest.raises(ContentError, match="no exercise with id 'not-there'"):
        load("not-there")


@pytest.mark.parametrize(("change", "field", "problem"), [
    (("prompt: {en: Which is right?, cy: Pa un sy'n gywir?}", "prompt: {en: Which is right?}"),
     "prompt", "non-empty 'cy'"),
    (("prompt: {en: Which is right?, cy: Pa un sy'n gywir?}", "prompt: {en: Which is right?, cy: '  '}"),
     "prompt", "non-empty 'cy'"),
    (("prompt: {en: Which is right?, cy: Pa un sy'n gywir?}", "prompt: Which is right?"),
     "prompt", "mapping with 'en' and 'cy'"),
    (("  feedback: {en: No., cy: Na.}", "  feedback: {en: No., cy: 7}"),
     "options[1].feedback", "non-empty 'cy'"),
    (("type: single-choice", "type: essay"), "type", "must be one of"),
    (("section: context", "section: elsewhere"), "section", "must be one of"),
    (("- id: wrong\n  correct: false", "- id: right\n  correct: false"), "options[1].id", "used twice"),
    (("- id: wrong\n  correct: false", "- id: wrong\n  correct: true"), "options", "exactly one correct"),
    (("- id: wrong\n  correct: false", "- id: wrong\n  correct: 'no'"), "options[1].correct", "true or false"),
    (("why: {en: Because., cy: Oherwydd.}", "why: {en: Because., cy: Oherwydd., cy_status: done}"),
     "why", "cy_status 'done'"),
    (("why: {en: Because., cy: Oherwydd.}", "why: {en: Because., cy: Oherwydd.}\nhint: {en: a, cy: b}"),
     None, "unknown field(s) hint"),
    (("why: {en: Because., cy: Oherwydd.}\n", ""), "why", "is missing"),
])
def test_malformed_file_names_file_exercise_and_field(tmp_path, change, field, problem):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, "sample-question.yaml", GOOD.replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        load_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert "exercise 'sample-question'" in message
    if field:
        assert f"field '{field}'" in message
    assert problem in message


def test_invalid_yaml_gives_line_and_column(tmp_path):
    path = write(tmp_path, "broken.yaml", "id: broken\nprompt: {en: [unclosed\n")
    with pytest.raises(ContentError, match=r"broken\.yaml: is not valid YAML at line \d+, column \d+"):
        load_file(path)


def test_not_utf8_and_not_a_mapping(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: caf\xe9".encode("latin-1"))
    with pytest.raises(ContentError, match="not UTF-8"):
        load_file(latin)
    with pytest.raises(ContentError, match="must be a mapping of fields"):
        load_file(write(tmp_path, "list.yaml", "- just\n- a list\n"))


def test_file_name_must_match_id(tmp_path):
    with pytest.raises(ContentError, match="rename it to sample-question.yaml"):
        load_file(write(tmp_path, "other-name.yaml", GOOD))


def test_english_hash_ignores_layout_but_not_words():
    assert english_hash("Some  text\nhere") == english_hash("Some text here")
    assert english_hash("Some text here") != english_hash("Some text there")
    assert len(english_hash("x")) == 12
