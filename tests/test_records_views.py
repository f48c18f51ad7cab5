"""The records' widgets: the "Staff training" tab, the certificate on the page, the landing page's progress."""
from __future__ import annotations

import base64
import csv
import io
import re
from datetime import date
from html import escape

import pytest
from pypdf import PdfReader

from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import PageRecorder, RecordsError, open_store
from fmse_widgets.records import certificate as cert
from fmse_widgets.records.certificate_view import CertificateView
from fmse_widgets.records.identity import Identity
from fmse_widgets.records.identity_view import IdentityView
from fmse_widgets.records.progress import page_exercises
from fmse_widgets.records.progress_view import CourseProgressView
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.records.training_view import StaffTraining

CONTEXT = ("context-who-carries-it-out", "context-who-is-targeted", "context-what-staff-do")


def event(exercise: str, when: str = "2026-04-01", *, page: str = "context", passed: bool | None = True,
          score: float = 1.0) -> ExerciseEvent:
    return ExerciseEvent(exercise, page, "en", ("a",), score, passed, f"{when}T09:00:00+00:00",
                         f"{when}T09:00:00+00:00")


@pytest.fixture
def store_factory(records_backend, tmp_path, monkeypatch, course_copy):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    if records_backend == "postgresql":
        return open_store
    path = tmp_path / "data" / "records.sqlite3"
    SQLiteStore(path).close()
    return lambda: SQLiteStore(path)


def fill(store_factory) -> dict[str, str]:
    with store_factory() as store:
        ids = {"alys": store.add_learner("Alys <b>Ŵ</b>").learner_id, "bryn": store.add_learner("Bryn").learner_id,
               "visitor": store.add_learner("Visitor").learner_id}
        for exercise in page_exercises()["context"]:
            store.record_event(ids["alys"], event(exercise))
        store.record_completion(ids["alys"], "context", completed_at="2026-04-01T09:00:00+00:00")
        store.record_event(ids["bryn"], event(CONTEXT[0]))
        store.record_event(ids["visitor"], event(CONTEXT[0]), workshop="WS2026")
    return ids


def download(html: str) -> bytes:
    return base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', html).group(1))


def test_the_staff_training_tab_is_a_grid_of_people_and_modules(store_factory):
    ids = fill(store_factory)
    with store_factory() as store:
        anonymous = store.add_learner(None).learner_id
        store.record_event(anonymous, event(CONTEXT[1], "2026-04-03"))
    tab = StaffTraining("cy", store_factory=store_factory, today=date(2026, 12, 1))
    assert tab.errors.value == ""
    grid = tab.table.value
    assert '<div class="fmse-grid-scroll" role="region" tabindex="0" aria-labelledby="fmse-grid-caption">' in grid
    assert '<caption id="fmse-grid-caption">Hyfforddiant staff: cyflwr pob person ym mhob modiwl</caption>' in grid
    assert '<th scope="row">Alys &lt;b&gt;Ŵ&lt;/b&gt;</th>' in grid and "<b>Ŵ" not in grid
    assert all(i not in grid for i in (*ids.values(), anonymous))  # ids are never on screen
    assert "Visitor" not in grid  # workshop participants only when asked
    person = next(p for p in tab.people if p.learner_id == anonymous)
    assert f"dysgwr dienw {person.reference}" in grid and person.reference not in anonymous.upper()
    # Welsh plurals: "Mae 0 o 3 aelod o staff wedi cwblhau'r cwrs"
    assert "Mae 0 o 3 aelod o staff wedi cwblhau&#x27;r cwrs." in tab.summary.value
    alys = next(p for p in tab.people if p.learner_id == ids["alys"])
    assert alys.cells["01"].state == "completed" and alys.cells["00"].state == "not-started"
    assert '✓</span> Wedi cwblhau <span class="fmse-cell-detail">1 Ebr 2026</span>' in grid
    assert "○</span> Heb ddechrau</td>" in grid
    bryn = next(p for p in tab.people if p.learner_id == ids["bryn"])
    assert bryn.cells["01"].state == "in-progress" and '◐</span> Ar y gweill <span class="fmse-cell-detail">1 o 4</span>' in grid
    # Filters: module and state; sorting.
    tab.module.value = "01"
    tab.state.value = "completed"
    assert [p.learner_id for p in tab.shown()] == [ids["alys"]]
    assert "<th scope=\"col\"><span class=\"fmse-grid-number\">02" not in tab.table.value
    rows = list(csv.reader(io.StringIO(download(tab.download.value).decode("utf-8-sig"))))
    assert rows[0][0] == "ID y dysgwr" and {r[0] for r in rows[1:]} == {ids["alys"]}  # ids only in the CSV
    tab.state.value = "not-started"
    assert tab.shown() == [] and "Does neb yn cyfateb" in tab.table.value
    tab.state.value = ""
    tab.module.value = ""
    tab.sort.value = "progress"
    assert [p.learner_id for p in tab.shown()][-1] == ids["alys"]  # the most progress last
    tab.workshops.value = True
    assert "Visitor" in tab.table.value and "(gweithdy)" in tab.table.value


def test_the_refresher_period_marks_old_completions_due_and_is_kept_in_the_setting_file(store_factory):
    from fmse_widgets.setting import read_values

    ids = fill(store_factory)  # Alys completed module 01 on 1 April 2026
    tab = StaffTraining("en", store_factory=store_factory, today=date(2027, 4, 1))
    assert tab.refresher.value == 12  # the default
    alys = next(p for p in tab.people if p.learner_id == ids["alys"])
    assert alys.cells["01"].state == "due" and '↻</span> Due for refresher <span class="fmse-cell-detail">completed 1 Apr 2026' in tab.table.value
    tab.refresher.value = 24
    tab.refresher_button.click()
    assert tab.errors.value == "" and read_values()["refresher_months"] == "24"
    assert "Saved: a refresher every 24 months." in tab.refresher_note.value
    assert next(p for p in tab.people if p.learner_id == ids["alys"]).cells["01"].state == "completed"
    tab.module.value, tab.state.value = "01", "due"
    assert tab.shown() == []
    again = StaffTraining("en", store_factory=store_factory, today=date(2028, 4, 2))  # read from the file
    assert again.refresher.value == 24 and "Due for refresher" in again.table.value


def test_a_whole_course_completion_counts_in_the_summary(store_factory):
    with store_factory() as store:
        learner = store.add_learner("Ceri").learner_id
        for requirement in cert.load_rule().requirements:
            if requirement.required:
                for exercise in (*requirement.answer, *requirement.passes):
                    store.record_event(learner, event(exercise, "2026-05-01", page=requirement.page))
        store.add_learner("Dai")  # no records: not in the grid
    tab = StaffTraining("en", store_factory=store_factory, today=date(2026, 6, 1))
    assert "1 of 1 member of staff has completed the course." in tab.summary.value
    [ceri] = tab.people
    assert ceri.course.state == "completed" and ceri.cells["08"].state == "not-started"  # 08 is optional


def test_the_staff_training_tab_with_no_records_and_with_a_broken_file(store_factory, tmp_path):
    tab = StaffTraining("en", store_factory=store_factory)
    assert "No training records yet" in tab.summary.value and tab.table.value == ""

    def broken():
        raise RecordsError("corrupt", path=tmp_path / "records.sqlite3")
    tab = StaffTraining("cy", store_factory=broken)
    assert "wedi&#x27;i difrodi" in tab.errors.value


def test_the_certificate_view_says_what_is_left_then_offers_the_pdfs(store_factory):
    RULE = cert.load_rule()  # the course's definition of completion
    assert "Add your name" in CertificateView("en", None, store_factory=store_factory, rule=RULE).status.value
    with store_factory() as store:
        learner = store.add_learner("Llŷr Ŵ").learner_id
    recorder = PageRecorder()
    view = CertificateView("cy", learner, store_factory=store_factory, rule=RULE, recorder=recorder)
    assert "Yr hyn sydd ar ôl i&#x27;w wneud" in view.status.value and "Modiwl 1: Cyd-destun" in view.status.value
    assert view.make_button.layout.display == "none"
    with store_factory() as store:
        for requirement in RULE.requirements:
            if requirement.required:
                for exercise in (*requirement.answer, *requirement.passes):
                    store.record_event(learner, event(exercise, page=requirement.page))
    recorder.record(event(CONTEXT[2]))  # the page's recorder tells the view to look again
    assert "Rydych chi wedi ennill eich tystysgrif." in view.status.value and view.make_button.layout.display is None
    view.make_button.click()
    assert view.errors.value == ""
    links = re.findall(r'download="([^"]+)" href="data:application/pdf;base64,([^"]+)"', view.downloads.value)
    assert [name for name, _ in links] == ["tystysgrif-2026-04-01.pdf", "certificate-2026-04-01.pdf",
                                          "tystysgrif-certificate-2026-04-01.pdf"]
    both = PdfReader(io.BytesIO(base64.b64decode(links[2][1])))
    assert "Tystysgrif cwblhau" in both.pages[0].extract_text() and "Llŷr Ŵ" in both.pages[1].extract_text()
    code = re.search(r"Cod dilysu: ([A-Z2-7-]+)", view.downloads.value).group(1)
    with store_factory() as store:
        assert cert.verify(store, code).genuine


def test_the_landing_page_progress_follows_the_learner_chosen(store_factory):
    identity = IdentityView("en", store_factory=store_factory)
    progress = CourseProgressView("en", identity, store_factory=store_factory)
    assert "0 of" in progress.value and "learner=" not in progress.value
    identity.name_box.value = "Ceri"
    identity.save_button.click()  # choosing who they are redraws it, with links that carry them
    assert f'en/01-context.ipynb?learner={identity.learner_id}' in progress.value
    with store_factory() as store:
        store.record_event(identity.learner_id, event(CONTEXT[0]))
    # On their next visit to the landing page (the link carries their id):
    again = IdentityView("en", identity=Identity(identity.learner_id, "link"), store_factory=store_factory)
    progress = CourseProgressView("en", again, store_factory=store_factory)
    assert "Ceri" in again.status.value
    assert f"1 of {len(page_exercises()['context'])} exercises done" in progress.value


def test_refresher_dates_count_whole_months():
    from fmse_widgets.records.grid import add_months, is_due

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 15), 14) == date(2027, 1, 15)
    assert is_due(date(2025, 3, 1), 12, date(2026, 3, 1)) and not is_due(date(2025, 3, 1), 12, date(2026, 2, 28))
    assert not is_due(date(2000, 1, 1), 0, date(2026, 1, 1))  # 0: no refresher


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_making_the_certificate_says_it_is_working_cannot_run_twice_and_says_ready(store_factory, lang):
    from fmse_widgets.i18n import translator

    tr = translator(lang)
    RULE = cert.load_rule()
    with store_factory() as store:
        learner = store.add_learner("Llŷr Ŵ").learner_id
        for requirement in RULE.requirements:
            if requirement.required:
                for exercise in (*requirement.answer, *requirement.passes):
                    store.record_event(learner, event(exercise, page=requirement.page))
    view = CertificateView(lang, learner, store_factory=store_factory, rule=RULE)
    said: list[tuple[str, bool]] = []  # what the page is sent while it works: status and whether the button works
    view.status.observe(lambda change: said.append((change["new"], view.make_button.disabled)), names="value")
    view.make_button.click()
    working = escape(tr.gettext("Making your certificate: this takes a few seconds…"))
    ready = escape(tr.gettext("Your certificate is ready: download it below."))
    assert said[0][0] == f'<p class="fmse-working">{working}</p>' and said[0][1] is True
    assert ready in view.status.value and view.make_button.layout.display == "none"
    assert view.downloads.value.count("data:application/pdf") == 3
    with store_factory() as store:
        issued = len(store.certificates(learner_id=learner))
    assert issued == 1
    first = view.downloads.value
    view.make_button.click()  # a second click that was queued while the first was made: nothing happens
    assert view.downloads.value == first and ready in view.status.value
    with store_factory() as store:
        assert len(store.certificates(learner_id=learner)) == issued
