"""One definition of completion (records.progress), read everywhere: a part-way learner and a learner who has
completed the course look the same on the page's progress bar, the landing page, the certificate, the Staff
training tab, the CSV report and `records verify`."""
from __future__ import annotations

import csv
import io

import pytest

from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import certificate as cert
from fmse_widgets.records.identity import Identity
from fmse_widgets.records.identity_view import IdentityView
from fmse_widgets.records.progress import completion_rule, course_state, page_progress_html
from fmse_widgets.records.progress_view import CourseProgressView
from fmse_widgets.records.report import report_csv
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.records.training_view import StaffTraining


def event(exercise: str, page: str, day: str, *, passed: bool | None = True) -> ExerciseEvent:
    return ExerciseEvent(exercise, page, "en", ("a",), 1.0 if passed else 0.25, passed, f"{day}T09:00:00+00:00",
                         f"{day}T09:00:00+00:00")


@pytest.fixture
def store_factory(tmp_path, monkeypatch, course_copy):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "data" / "records.sqlite3"
    SQLiteStore(path).close()
    return lambda: SQLiteStore(path)


def requirement(number: int):
    return next(r for r in completion_rule() if r.number == number)


def answer_all(store, learner: str, number: int, day: str, *, check_passed: bool = True) -> None:
    found = requirement(number)
    for exercise in found.answer:
        store.record_event(learner, event(exercise, found.page, day, passed=None))
    for exercise in found.passes:
        store.record_event(learner, event(exercise, found.page, day, passed=check_passed))


def test_the_definition_in_code():
    rule = {r.number: r for r in completion_rule()}
    assert sorted(rule) == list(range(0, 9))
    assert rule[0].passes == () and rule[0].answer  # module 00: its exercises, answered
    for n in range(1, 7):  # 01-06: every exercise answered, and the knowledge check passed
        assert len(rule[n].passes) == 1 and rule[n].passes[0].endswith("-check") and rule[n].answer
    assert rule[7].answer == () and rule[7].passes == ("check-final",)  # 07: the final check passed
    assert [n for n, r in rule.items() if not r.required] == [8]      # 08: optional


def test_a_part_way_learner_looks_the_same_in_every_view(store_factory, capsys):
    from fmse_widgets.cli import main

    with store_factory() as store:
        part = store.add_learner("Part Way").learner_id
        done = store.add_learner("All Done").learner_id
        answer_all(store, part, 0, "2026-03-01")                       # 00 completed
        answer_all(store, part, 1, "2026-03-02", check_passed=False)   # 01 answered, check not passed
        answer_all(store, part, 2, "2026-03-03")                       # 02 completed
        first = requirement(3).answer[0]
        store.record_event(part, event(first, requirement(3).page, "2026-03-04", passed=None))  # 03 begun
        answer_all(store, part, 7, "2026-03-05")                       # 07: the final check passed
        for number in range(0, 8):
            answer_all(store, done, number, f"2026-02-0{number + 1}")
        answer_all(store, done, 1, "2026-02-10", check_passed=False)   # a later failed attempt changes nothing
        events = store.events(learner_id=part)
    course = course_state(completion_rule(), events)
    completed = {m.number for m in course.modules if m.completed}
    assert completed == {0, 2, 7} and not course.completed

    # The page's progress bar, on module 01 and module 02:
    context = requirement(1)
    bar = page_progress_html("en", context.page, events)
    steps = context.steps
    assert f"{steps - 1} of {steps} exercises done" in bar and "✓" not in bar and "knowledge check counts" in bar
    assert "✓" in page_progress_html("en", requirement(2).page, events)

    # The landing page:
    who = IdentityView("en", identity=Identity(part, "link"), store_factory=store_factory)
    landing = CourseProgressView("en", who, store_factory=store_factory).value
    assert "<strong>3 of 8 modules complete</strong>" in landing and landing.count("✓") == 3
    assert "What counts as complete" in landing

    # The certificate:
    rule = cert.load_rule()
    with store_factory() as store:
        standing = cert.standing(rule, store.events(learner_id=part))
        assert not standing.eligible and standing.final_passed
        assert set(standing.missing_modules) == {requirement(n).page for n in (1, 3, 4, 5, 6)}
        issued = cert.issue(store, done, rule=rule)
        report = report_csv(store, "en")
    assert issued.contents["completed_on"] == "2026-02-08"

    # The CSV report:
    header, *rows = list(csv.reader(io.StringIO(report)))
    mine = {r[header.index("Module")]: dict(zip(header, r)) for r in rows if r[0] == part}
    assert {m for m, r in mine.items() if r["Module completed on"]} == {"00", "02", "07"}
    assert mine["01"]["Module check passed"] == "no" and mine["07"]["Module check passed"] == "yes"
    assert mine["02"]["Module completed on"] == "2026-03-03" and mine["08"]["Module completed on"] == ""
    assert all(r["Certificate code"] == "" for r in mine.values())
    theirs = {r[header.index("Module")]: r for r in rows if r[0] == done}
    assert all(theirs[f"0{n}"][header.index("Module completed on")] for n in range(0, 8))

    # The Staff training tab:
    tab = StaffTraining("en", store_factory=store_factory)
    shown = {r.module: r for r in tab.rows if r.learner_id == part}
    assert {m for m, r in shown.items() if r.completed_on} == {"00", "02", "07"}

    # records verify: the certificate's date is the date the records show the course completed.
    assert main(["records", "verify", cert.format_code(issued.code)]) == 0
    said = capsys.readouterr().out
    assert "GENUINE" in said and "The records show the course completed on 2026-02-08." in said


def test_continue_as_opens_the_next_unfinished_module_in_the_learners_language(store_factory):
    """The landing page's "Continue as <name>" carries a returning learner on from where they are: the first
    required module not complete (a knowledge check answered but not passed keeps its module), then the optional
    module 08, then the first module to revisit; in each language its own page."""
    from fmse_widgets.course import pages
    from fmse_widgets.landing import resume_path

    modules = {lang: [p.path for p in pages() if p.lang == lang and p.kind == "module"] for lang in ("en", "cy")}
    with store_factory() as store:
        learner = store.add_learner("Nia").learner_id
    where = lambda lang: resume_path(lang, learner, store_factory)  # noqa: E731
    assert where("en") == modules["en"][0] and where("cy") == modules["cy"][0]  # nothing answered yet
    with store_factory() as store:
        answer_all(store, learner, 0, "2026-11-02")
        answer_all(store, learner, 1, "2026-11-03")
        answer_all(store, learner, 2, "2026-11-04", check_passed=False)
    assert where("en") == modules["en"][2] and where("cy") == modules["cy"][2]  # module 02's check not passed yet
    with store_factory() as store:
        for number in range(2, 8):
            answer_all(store, learner, number, "2026-11-05")
    assert where("en") == modules["en"][8] and where("cy") == modules["cy"][8]  # the course done: module 08
    with store_factory() as store:
        answer_all(store, learner, 8, "2026-11-06")
    assert where("en") == modules["en"][0]  # everything done: back to the start
    # The identity view's link follows the learner's records, with the learner in it.
    view = IdentityView("en", continue_to=lambda learner_id: resume_path("en", learner_id, store_factory))
    view.name_box.value = "Gwen"
    view.save_button.click()
    assert f'href="{modules["en"][0]}?learner={view.learner_id}"' in view.browser.value
