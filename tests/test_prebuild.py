"""Prebuilt exercise views in warm kernels (widgets/prebuild.py): built before the visitor for this page and
language only, each taken once, and answering under the learner who came, with the time they were shown it."""
from __future__ import annotations

import os

import pytest

from fmse_widgets import course_page, prebuild
from fmse_widgets.course import pages
from fmse_widgets.page import show
from fmse_widgets.paths import exercises_dir, notebooks_dir
from fmse_widgets.recording import get_recorder, set_recorder
from fmse_widgets.records import open_store
from fmse_widgets.records.progress import exercises_in


def page_ids(page: str, lang: str) -> list[str]:
    here = next(p for p in pages() if p.page == page and p.lang == lang)
    return exercises_in(notebooks_dir() / here.path)


@pytest.fixture(autouse=True)
def fresh_kernel(records_backend, tmp_path, monkeypatch):
    """As if in a new kernel: no visitor yet, nothing prebuilt, the recorder put back afterwards."""
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    for key in ("QUERY_STRING", "SERVER_SOFTWARE", "JUPYTERHUB_USER", "FMSE_RECORDS_URL", "VOILA_PREHEAT"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(course_page, "_visitor_known", False)
    monkeypatch.setattr(prebuild, "_views", {})
    monkeypatch.setattr(prebuild, "_prepared", False)
    monkeypatch.setattr(prebuild, "_answers", {})
    monkeypatch.setattr(prebuild, "_markers", {})
    previous = get_recorder()
    yield tmp_path / "data"
    set_recorder(previous)


def known_learner(name: str) -> str:
    with open_store() as store:
        return store.add_learner(name).learner_id


def warm_visit(monkeypatch, learner: str | None, during_wait=lambda: None) -> None:
    """A warm kernel's wait: VOILA_PREHEAT set; the request brings `learner` in the page's address."""
    from fmse_widgets import voila_request

    monkeypatch.setenv("VOILA_PREHEAT", "True")

    def request_arrives() -> None:
        during_wait()
        monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
        monkeypatch.setenv("QUERY_STRING", f"learner={learner}" if learner else "")

    monkeypatch.setattr(voila_request, "wait_for_request", request_arrives)


def test_a_warm_kernel_builds_its_pages_views_before_the_visitor_and_nothing_that_knows_them(monkeypatch):
    learner = known_learner("Alaw")
    expected = page_ids("context", "en")
    assert len(expected) >= 3
    seen = {}

    def while_waiting() -> None:
        seen["prebuilt"] = prebuild.waiting()
        seen["recorder"] = get_recorder()
        with open_store() as store:
            seen["events"] = list(store.events())

    sentinel = get_recorder()
    warm_visit(monkeypatch, learner, while_waiting)
    course = course_page.start_page("context", "en")
    # Before the visitor: every exercise of this page in this language, and nothing else; no recorder installed.
    assert seen["prebuilt"] == [(i, "en", "context") for i in expected]
    assert seen["recorder"] is sentinel and seen["events"] == []
    assert course.learner_id == learner
    built = {key[0]: prebuild._views[key][0] for key in prebuild._views}
    view = show(expected[0], lang="en", page="context")
    assert view is built[expected[0]]  # the prebuilt one
    view.finish(("a",), 1.0, True)  # answered: recorded under the learner who came, on this page
    with open_store() as store:
        events = [(e.learner_id, e.exercise_id, e.page, e.lang) for e in store.events()]
    assert events == [(learner, expected[0], "context", "en")]


def test_each_prebuilt_view_is_taken_once_and_only_for_its_page_and_language(monkeypatch):
    warm_visit(monkeypatch, None)
    course_page.start_page("context", "en")
    first = page_ids("context", "en")[0]
    built = prebuild._views[(first, "en", "context")][0]
    # Another language, or another page, never gets this page's view.
    welsh = show(first, lang="cy", page="context")
    elsewhere = show(first, lang="en", page="somewhere-else")
    assert welsh is not built and welsh.lang == "cy"
    assert elsewhere is not built and elsewhere.page == "somewhere-else"
    assert show(first, lang="en", page="context") is built
    again = show(first, lang="en", page="context")  # a page showing it twice: a second, new view
    assert again is not built and again.children[-1] is not built.children[-1]
    assert (first, "en", "context") not in prebuild.waiting()


def test_a_prebuilt_view_starts_when_the_learner_is_shown_it(monkeypatch):
    from fmse_widgets import recording
    from fmse_widgets.views import base

    monkeypatch.setattr(base, "utc_now", lambda: "2026-12-07T01:00:00+00:00")   # the kernel warmed at 1 a.m.
    warm_visit(monkeypatch, known_learner("Bryn"))
    course_page.start_page("context", "en")
    monkeypatch.setattr(recording, "utc_now", lambda: "2026-12-07T09:00:00+00:00")  # the learner came at 9
    first = page_ids("context", "en")[0]
    view = show(first, lang="en", page="context")
    assert view is not None and view._started_at == "2026-12-07T09:00:00+00:00"


def test_a_prebuilt_view_shows_the_learners_earlier_answer(monkeypatch):
    from fmse_widgets.recording import ExerciseEvent
    from fmse_widgets.records import StoreRecorder

    learner = known_learner("Ceri")
    first = page_ids("context", "cy")[0]
    StoreRecorder(learner).record(ExerciseEvent(first, "context", "cy", ("a",), 1.0, True,
                                                "2026-03-02T09:00:00+00:00", "2026-03-02T09:05:00+00:00"))
    warm_visit(monkeypatch, learner)
    course_page.start_page("context", "cy")
    built = prebuild._views[(first, "cy", "context")][0]
    view = show(first, lang="cy", page="context")
    assert view is built and "fmse-previous-answer" in view.children[0].value


def test_a_warm_pages_exercises_share_one_read_of_the_records_until_an_answer_is_recorded(monkeypatch):
    from fmse_widgets.recording import ExerciseEvent
    from fmse_widgets.records import StoreRecorder

    learner = known_learner("Dewi")
    ids = page_ids("context", "en")
    StoreRecorder(learner).record(ExerciseEvent(ids[1], "context", "en", ("a",), 1.0, True,
                                                "2026-03-02T09:00:00+00:00", "2026-03-02T09:05:00+00:00"))
    warm_visit(monkeypatch, learner)
    course = course_page.start_page("context", "en")
    reads = []
    real = StoreRecorder.answers
    monkeypatch.setattr(StoreRecorder, "answers", lambda self, page=None: reads.append(page) or real(self, page))
    views = [show(i, lang="en", page="context") for i in ids]
    assert reads == ["context"]  # one read for the whole page
    notes = ["fmse-previous-answer" in str(getattr(v.children[0], "value", "")) for v in views]
    assert notes == [i == ids[1] for i in ids]  # and each exercise still gets its own note
    views[0].finish(("a",), 1.0, True)  # an answer recorded in this kernel: read again next time
    assert course.recorder is get_recorder()
    again = show(ids[0], lang="en", page="context")
    assert reads[1:] == ["context"] and "fmse-previous-answer" in again.children[0].value


def test_outside_a_warm_kernel_each_exercise_reads_its_own(monkeypatch):
    from fmse_widgets import voila_request
    from fmse_widgets.records import StoreRecorder

    monkeypatch.setattr(voila_request, "wait_for_request", lambda: None)
    set_recorder(StoreRecorder(known_learner("Elin")))
    reads = []
    real = StoreRecorder.answers
    monkeypatch.setattr(StoreRecorder, "answers", lambda self, page=None: reads.append(page) or real(self, page))
    ids = page_ids("context", "en")
    for i in ids:
        show(i, lang="en", page="context")
    assert reads == ["context"] * len(ids)


def test_an_exercise_file_changed_while_the_kernel_waited_is_built_afresh(monkeypatch, tmp_path):
    warm_visit(monkeypatch, None)
    course_page.start_page("context", "en")
    first = page_ids("context", "en")[0]
    built = prebuild._views[(first, "en", "context")][0]
    path = exercises_dir() / f"{first}.yaml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        view = show(first, lang="en", page="context")
    finally:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert view is not built and view.exercise.id == first


def test_outside_a_warm_kernel_nothing_is_prebuilt(monkeypatch):
    from fmse_widgets import voila_request

    monkeypatch.setattr(voila_request, "wait_for_request", lambda: None)
    course_page.start_page("context", "en")  # VOILA_PREHEAT unset: JupyterLab, nbval, --warm 0
    assert prebuild.waiting() == []
    first = page_ids("context", "en")[0]
    assert show(first, lang="en", page="context").exercise.id == first


def test_every_module_prebuilds_what_its_notebook_shows():
    """The ids come from the notebook of this page and language (not the page's other twin)."""
    for info in pages():
        if info.kind != "module":
            continue
        prebuild._views.clear()
        prebuild._build_views(info.page, info.lang)
        assert [key[0] for key in prebuild.waiting()] == exercises_in(notebooks_dir() / info.path), info.path
        assert {key[1:] for key in prebuild.waiting()} <= {(info.lang, info.page)}


def test_a_welsh_pages_draft_marker_is_worked_out_before_the_visitor_and_again_if_its_files_change(monkeypatch):
    from fmse_widgets import draft_marker

    calls = []
    real = draft_marker.page_marker
    monkeypatch.setattr(draft_marker, "page_marker", lambda page, lang: calls.append((page, lang)) or real(page, lang))
    warm_visit(monkeypatch, None, during_wait=lambda: calls.append("request"))
    course = course_page.start_page("context", "cy")
    expected = real("context", "cy")
    assert expected  # module 1's Welsh is draft
    header = course.header()
    assert calls == [("context", "cy"), "request"]  # nothing worked out after the request
    assert any(getattr(c, "value", None) == expected for c in header.children)
    # One of the page's exercise files changes while the kernel waits: worked out again, from the files as they are.
    path = exercises_dir() / f"{page_ids('context', 'cy')[0]}.yaml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        course.header()
    finally:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert calls == [("context", "cy"), "request", ("context", "cy")]
