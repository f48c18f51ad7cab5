"""Progress: exercise ids read from the notebooks, "3 of 5 exercises done" in English and Welsh, the whole course,
the page's progress widget, and module completion recorded when a page's last exercise is done."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fmse_widgets.recording import ExerciseEvent, get_recorder, set_recorder, utc_now
from fmse_widgets.records import PageRecorder, RecordsError, StoreRecorder, open_store
from fmse_widgets.records.progress import (PageListError, course_progress_html, course_text, exercises_in,
                                           module_progress, page_exercises, page_progress_html, progress_text)
from fmse_widgets.records.progress_view import ProgressView


def notebook(path: Path, page: str, lang: str, title: str, ids: list[str], kind: str = "module") -> Path:
    cells = [{"cell_type": "code", "id": "setup", "metadata": {}, "outputs": [], "execution_count": None,
              "source": f'LANG = "{lang}"\nPAGE = "{page}"\nfrom fmse_widgets import show'},
             {"cell_type": "markdown", "id": "prose", "metadata": {}, "source": 'Not code: show("ignored")'}]
    cells += [{"cell_type": "code", "id": f"ex{n}", "metadata": {}, "outputs": [], "execution_count": None,
               "source": f'show("{exercise}", lang=LANG, page=PAGE)'} for n, exercise in enumerate(ids)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {"fmse": {"page": page, "lang": lang, "kind": kind,
                                                                       "title": title}},
                                "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


@pytest.fixture
def course(records_backend, tmp_path, monkeypatch):
    """A small course: two modules in each language and a reference page, with FMSE_COURSE_ROOT set to it."""
    root = tmp_path / "course"
    nb = root / "notebooks"
    notebook(nb / "en" / "01-one.ipynb", "one", "en", "Module 1: <One>", ["one-a", "one-b", "one-c"])
    notebook(nb / "cy" / "01-un.ipynb", "one", "cy", "Modiwl 1: Un", ["one-a", "one-b", "one-c"])
    notebook(nb / "en" / "02-two.ipynb", "two", "en", "Module 2: Two", ["two-a", "two-b"])
    notebook(nb / "cy" / "02-dau.ipynb", "two", "cy", "Modiwl 2: Dau", ["two-a", "two-b"])
    notebook(nb / "en" / "glossary.ipynb", "glossary", "en", "Glossary", [], kind="reference")
    monkeypatch.setenv("FMSE_COURSE_ROOT", str(root))
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    previous = get_recorder()
    yield nb
    set_recorder(previous)


def test_exercise_ids_are_the_show_calls_of_a_notebook(tmp_path):
    path = notebook(tmp_path / "x.ipynb", "x", "en", "X", ["a", "b", "a"])
    source = json.loads(path.read_text(encoding="utf-8"))
    source["cells"].append({"cell_type": "code", "id": "other", "metadata": {}, "outputs": [],
                            "source": "signposts(LANG)\nshow(name, lang=LANG)\nshow('c', lang=LANG)"})
    path.write_text(json.dumps(source), encoding="utf-8")
    assert exercises_in(path) == ["a", "b", "c"]
    source["cells"][-1]["source"] = "show('d'"
    path.write_text(json.dumps(source), encoding="utf-8")
    with pytest.raises(PageListError, match="x.ipynb: a code cell is not valid Python"):
        exercises_in(path)


def test_page_exercises_follow_the_notebooks_and_notice_changes(course):
    assert page_exercises() == {"one": ("one-a", "one-b", "one-c"), "two": ("two-a", "two-b"), "glossary": ()}
    changed = notebook(course / "cy" / "02-dau.ipynb", "two", "cy", "Modiwl 2: Dau", ["two-a", "two-b", "two-c"])
    os.utime(changed, ns=(1, 1))  # a different modification time, however fast the test runs
    assert page_exercises()["two"] == ("two-a", "two-b", "two-c")


@pytest.mark.parametrize(("lang", "done", "total", "text"), [
    ("en", 3, 5, "3 of 5 exercises done"),
    ("en", 1, 1, "1 of 1 exercise done"),
    ("en", 0, 0, "0 of 0 exercises done"),
    ("cy", 3, 5, "Wedi cwblhau 3 o 5 ymarfer"),
    ("cy", 0, 1, "Wedi cwblhau 0 o 1 ymarfer"),
    ("cy", 2, 2, "Wedi cwblhau 2 o 2 ymarfer"),
    ("cy", 1, 6, "Wedi cwblhau 1 o 6 ymarfer"),
])
def test_progress_text_in_each_language(lang, done, total, text):
    assert progress_text(lang, done, total) == text


@pytest.mark.parametrize(("lang", "total", "text"), [
    ("en", 1, "0 of 1 module complete"), ("en", 8, "0 of 8 modules complete"),
    ("cy", 0, "Wedi cwblhau 0 o 0 modiwl"), ("cy", 1, "Wedi cwblhau 0 o 1 modiwl"),
    ("cy", 2, "Wedi cwblhau 0 o 2 fodiwl"), ("cy", 3, "Wedi cwblhau 0 o 3 modiwl"),
    ("cy", 6, "Wedi cwblhau 0 o 6 modiwl"), ("cy", 8, "Wedi cwblhau 0 o 8 modiwl"),
])
def test_course_text_uses_every_welsh_plural_form(lang, total, text):
    assert course_text(lang, 0, total) == text


def test_module_and_course_progress(course):
    done = [an_event(i, "one") for i in ("one-a", "one-c")] + [an_event(i, "two") for i in ("two-a", "two-b")]
    done.append(an_event("elsewhere", "glossary"))
    assert [(p.page, p.done, p.total, p.complete) for p in module_progress("cy", done)] == [
        ("one", 2, 3, False), ("two", 2, 2, True)]
    html = course_progress_html("en", done, link=lambda path: path + "?learner=" + "a" * 32)
    assert "<strong>1 of 2 modules complete</strong>" in html
    assert "Module 1: &lt;One&gt;" in html and "<One>" not in html  # titles are escaped
    assert f'href="en/01-one.ipynb?learner={"a" * 32}"' in html and "2 of 3 exercises done" in html
    assert "Wedi cwblhau 1 o 2 fodiwl" in course_progress_html("cy", done)
    assert page_progress_html("en", "glossary", done) == ""


def an_event(exercise: str, page: str) -> ExerciseEvent:
    return ExerciseEvent(exercise, page, "cy", ("a",), 1.0, True, utc_now(), utc_now())


def test_the_progress_widget_follows_the_learner_through_a_page(course):
    recorder = PageRecorder()
    view = ProgressView("one", "cy", recorder)
    assert "Wedi cwblhau 0 o 3 ymarfer" in view.value and 'value="0"' in view.value
    recorder.record(an_event("one-b", "one"))
    recorder.record(an_event("two-a", "two"))
    assert "Wedi cwblhau 1 o 3 ymarfer" in view.value


def test_the_recorder_marks_a_module_complete_when_its_last_exercise_is_done(course):
    with open_store() as store:
        learner = store.add_learner("Mair").learner_id
    recorder = StoreRecorder(learner)
    view = ProgressView("two", "en", recorder)
    recorder.record(an_event("two-a", "two"))
    with open_store() as store:
        assert store.completions() == []
    recorder.record(an_event("two-b", "two"))
    assert "2 of 2 exercises done" in view.value
    with open_store() as store:
        [done] = store.completions()
    assert (done.learner_id, done.page, done.workshop) == (learner, "two", None)


def test_the_progress_widget_says_what_is_wrong_when_the_records_cannot_be_read(course, tmp_path):
    def broken():
        raise RecordsError("corrupt", path=tmp_path / "records.sqlite3")
    view = ProgressView("one", "cy", StoreRecorder("b" * 32, store_factory=broken))
    assert "Mae ffeil y cofnodion dysgu wedi&#x27;i difrodi" in view.value
