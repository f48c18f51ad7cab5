"""The records' widgets: the "Staff training" tab, the certificate on the page, the landing page's progress."""
from __future__ import annotations

import base64
import csv
import io
import re

import pytest
from pypdf import PdfReader

from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import PageRecorder, RecordsError
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
def store_factory(tmp_path, monkeypatch, course_copy):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
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


def test_the_staff_training_tab_filters_and_downloads_what_it_shows(store_factory):
    ids = fill(store_factory)
    tab = StaffTraining("cy", store_factory=store_factory)
    assert tab.errors.value == ""
    names = [label for label, _ in tab.person.options]
    assert names[0] == "Y cyfan" and "Alys <b>Ŵ</b>" in names and "Visitor" not in names
    assert "Alys &lt;b&gt;Ŵ&lt;/b&gt;" in tab.table.value and "<b>Ŵ" not in tab.table.value
    assert "<caption>Hyfforddiant staff: cwblhau fesul modiwl a pherson</caption>" in tab.table.value
    tab.module.value = "01"
    assert "2 berson, 2 res" in tab.summary.value  # Welsh plurals: dau berson, dwy res
    tab.status.value = "yes"
    assert [r.learner_id for r in tab.shown()] == [ids["alys"]]
    rows = list(csv.reader(io.StringIO(download(tab.download.value).decode("utf-8-sig"))))
    assert rows[0][0] == "ID y dysgwr" and [r[0] for r in rows[1:]] == [ids["alys"]]
    tab.status.value = ""
    tab.workshops.value = True
    assert "Visitor" in [label for label, _ in tab.person.options] and "WS2026" in tab.table.value
    tab.person.value = ids["bryn"]
    assert [r.learner_id for r in tab.shown()] == [ids["bryn"]]


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
