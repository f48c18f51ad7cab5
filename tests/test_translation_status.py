"""Stale and draft Welsh: changing English flags its Welsh twin; stamping keeps files' layout."""
from __future__ import annotations

import json

from fmse_widgets import yaml_text
from fmse_widgets.cli import main
from fmse_widgets.content import translation
from fmse_widgets.content.loader import load


def test_changed_english_in_an_exercise_makes_its_welsh_stale(course_copy):
    path = course_copy / "data" / "exercises" / "context-who-is-targeted.yaml"
    assert not any(e.stale for e in translation.all_entries(course_copy))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Only girls are targeted.", "Only girls are ever targeted."), encoding="utf-8")
    stale = [e.where for e in translation.all_entries(course_copy) if e.stale]
    assert stale == ["data/exercises/context-who-is-targeted.yaml: options[girls-only].text"]
    assert load("context-who-is-targeted").options[1].text.stale


def test_changed_english_notebook_cell_makes_welsh_cell_stale(course_copy):
    path = course_copy / "notebooks" / "en" / "01-context.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["id"] == "key-points")
    cell["source"].append("\n- A new key point.")
    path.write_text(json.dumps(nb), encoding="utf-8")
    stale = [e.where for e in translation.all_entries(course_copy) if e.stale]
    assert stale == ["notebooks/cy/01-cyd-destun.ipynb: cell key-points"]


def test_status_command_lists_draft_and_stale(course_copy, capsys):
    path = course_copy / "data" / "text" / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Before you start", "Before you begin"),
                    encoding="utf-8")
    assert main(["content", "status", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "Stale Welsh (the English changed since it was written): 1" in out
    assert "data/text/course.yaml: content_note.heading" in out
    assert "Draft Welsh (awaiting review by a Welsh speaker):" in out
    assert "fmse.po: 'Check answer'" in out


def test_stamp_adds_missing_hashes_and_keeps_comments(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("# keep me\nfirst: {en: One, cy: Un}\nsecond:\n  en: >-\n    Two\n    lines\n"
                    "  cy: Dau\n  cy_status: draft\nthird: {en: Three, cy: Tri, cy_en_hash: 'aaaaaaaaaaaa'}\n",
                    encoding="utf-8")
    assert translation.stamp_yaml(path) == 2
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# keep me\n")
    data = yaml_text.safe_load(text)
    assert data["first"]["cy_en_hash"] == translation.english_hash("One")
    assert data["second"]["cy_en_hash"] == translation.english_hash("Two lines")
    assert data["third"]["cy_en_hash"] == "aaaaaaaaaaaa"  # stale stays stale until a person updates it
    assert translation.stamp_yaml(path) == 0
