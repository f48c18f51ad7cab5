"""`fmse-course records ...`: export and import without duplicates, purge, delete, the staff-training report.

Each test runs on both backends (`records_backend`): the commands work on the records, wherever they are kept.
"""
from __future__ import annotations

import csv
import io
import json
import os

import pytest

from fmse_widgets.cli import main
from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import signing
from fmse_widgets.records.postgres import public_location
from fmse_widgets.records.progress import page_exercises
from fmse_widgets.records.recorder import open_store, store_at
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.records.store import RecordStore

CONTEXT = ("context-who-carries-it-out", "context-who-is-targeted", "context-what-staff-do")  # on page "context"


def event(exercise: str, when: str, score: float = 1.0, passed: bool | None = True) -> ExerciseEvent:
    return ExerciseEvent(exercise, "context", "en", ("boys-most-cases",), score, passed, f"{when}T09:00:00+00:00",
                         f"{when}T09:30:00+00:00")


@pytest.fixture
def data(records_backend, tmp_path, monkeypatch, course_copy):
    """Records (in the data folder's SQLite file, or in the PostgreSQL database FMSE_RECORDS_URL names) with two
    members of staff and one workshop participant (the course is a copy)."""
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    with stored() as store:
        ids = {"alys": store.add_learner("Alys Ŵ").learner_id, "bryn": store.add_learner("=HYPERLINK(1)").learner_id,
               "visitor": store.add_learner("Visitor").learner_id}
        for n, exercise in enumerate(CONTEXT):
            store.record_event(ids["alys"], event(exercise, f"2026-01-1{n}", score=0.5 + n * 0.25))
        assert set(CONTEXT) <= set(page_exercises()["context"])
        store.record_completion(ids["alys"], "context", completed_at="2026-01-12T09:30:00+00:00")
        store.record_event(ids["bryn"], event(CONTEXT[0], "2026-02-01", score=0.0, passed=False))
        store.record_event(ids["visitor"], event(CONTEXT[0], "2026-02-02"), workshop="WREXHAM1")
    return ids


def stored() -> RecordStore:
    """The records the commands use: the data folder's file, or the database FMSE_RECORDS_URL names."""
    return open_store()


def test_path_prints_where_the_records_are(data, records_backend, tmp_path, capsys):
    assert main(["records", "path"]) == 0
    shown = capsys.readouterr().out.strip()
    if records_backend == "sqlite":
        assert shown == str(tmp_path / "data" / "records.sqlite3")
    else:
        assert shown == public_location(os.environ["FMSE_RECORDS_URL"]) and shown.startswith("postgresql://")


def test_export_then_import_twice_on_another_computer_adds_each_record_once(data, tmp_path, monkeypatch, capsys):
    out = tmp_path / "laptop.json"
    assert main(["records", "export", "--out", str(out)]) == 0
    assert "Wrote 5 exercise record(s) of 3 learner(s)" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "fmse-records"
    here = os.environ.get("FMSE_RECORDS_URL") or str(tmp_path / "data" / "records.sqlite3")
    monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)  # the other computer keeps its records in a file
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "dsp"))
    assert main(["records", "trust-key", str(out), "--label", "Alys's laptop"]) == 0  # the DSP trusts the laptop
    assert "Now trusting" in capsys.readouterr().out
    assert main(["records", "import", str(out)]) == 0
    assert "added 3 learner(s), 5 exercise record(s), 1 module completion(s)" in capsys.readouterr().out
    assert main(["records", "import", str(out), str(out)]) == 0
    assert capsys.readouterr().out.count("(nothing new)") == 2
    with SQLiteStore(tmp_path / "dsp" / "records.sqlite3") as dsp, store_at(here) as laptop:
        assert dsp.events() == laptop.events() and dsp.learners() == laptop.learners()


def test_export_of_one_learner_as_csv_is_spreadsheet_safe(data, tmp_path, capsys):
    out = tmp_path / "bryn.csv"
    assert main(["records", "export", "--learner", data["bryn"], "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["learner_id"], r["name"], r["passed"]) for r in rows] == [(data["bryn"], "'=HYPERLINK(1)", "no")]
    assert main(["records", "export", "--learner", "f" * 32, "--out", str(out)]) == 1
    assert "there is no learner" in capsys.readouterr().err


def test_a_bad_import_file_is_refused_and_nothing_is_merged(data, tmp_path, capsys):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    assert main(["records", "export", "--out", str(good)]) == 0
    payload = json.loads(good.read_text(encoding="utf-8"))
    payload["events"][0]["lang"] = "fr"
    bad.write_text(json.dumps(payload), encoding="utf-8")
    with stored() as store:
        store.delete_learner(data["alys"])
    capsys.readouterr()
    assert main(["records", "import", str(good), str(bad)]) == 1
    assert "bad.json: events[0]: lang 'fr'" in capsys.readouterr().err
    with stored() as store:
        assert store.learner(data["alys"]) is None


def test_purge_before_a_date(data, tmp_path, capsys):
    assert main(["records", "purge", "--before", "2026-01-12"]) == 0
    assert "2 exercise record(s), 0 module completion(s)" in capsys.readouterr().out
    with stored() as store:
        assert len(store.events()) == 3
    with pytest.raises(SystemExit) as stopped:
        main(["records", "purge", "--before", "last year"])
    assert stopped.value.code == 2 and "write it as YYYY-MM-DD" in capsys.readouterr().err


def test_delete_one_person_by_id_or_by_name(data, tmp_path, capsys):
    assert main(["records", "delete", "--name", "alys ŵ"]) == 0
    assert "3 exercise record(s), 1 module completion(s)" in capsys.readouterr().out
    assert main(["records", "delete", "--learner", data["bryn"]]) == 0
    assert main(["records", "delete", "--learner", data["bryn"]]) == 1
    assert "there is no learner" in capsys.readouterr().err
    with stored() as store:
        assert [x.name for x in store.learners()] == ["Visitor"]
        store.add_learner("Visitor")
    assert main(["records", "delete", "--name", "Visitor"]) == 1
    assert "2 learners are named 'Visitor'" in capsys.readouterr().err


def test_key_names_the_key_that_signs_certificates_here(data, records_backend, tmp_path, monkeypatch, capsys):
    """A laptop shows its data folder's key; a shared store shows the deployment's key held in the store (the one
    certificates are signed with on every course server), named as such, and then the data folder's own."""
    with stored() as store:
        signer = signing.public_bytes(signing.store_private_key(store)).hex()
    assert main(["records", "key"]) == 0
    out = capsys.readouterr().out
    own = signing.own_public_key()
    assert own is not None and signing.shown(signer) in out and signing.shown(own) in out
    if records_backend == "sqlite":
        assert signer == own and "This computer's public key" in out and "deployment" not in out
        return
    assert signer != own
    assert out.index("This deployment's public key") < out.index(signing.shown(signer)) < out.index(
        "This data folder's public key") < out.index(signing.shown(own))
    assert "held in the shared records store" in out and "This computer's public key" not in out
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "another-server"))  # another course server, same store
    assert main(["--lang", "cy", "records", "key"]) == 0
    elsewhere = capsys.readouterr().out
    other_own = signing.own_public_key()
    assert other_own not in (None, own) and signing.shown(signer) in elsewhere
    assert "Allwedd gyhoeddus y gosodiad hwn" in elsewhere and "This deployment" not in elsewhere


def report(args: list[str], capsys) -> list[list[str]]:
    assert main(["records", "report", *args]) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


def test_the_staff_report_in_english_leaves_workshop_participants_out(data, capsys):
    header, *rows = report([], capsys)
    assert header[:4] == ["Learner ID", "Name", "Module", "Module title"]
    assert "Workshop code" not in header
    people = {r[1] for r in rows}
    assert people == {"Alys Ŵ", "'=HYPERLINK(1)"}  # and a name cannot run as a spreadsheet formula
    [alys] = [dict(zip(header, r)) for r in rows if r[1] == "Alys Ŵ" and r[2] == "01"]
    total = str(len(page_exercises()["context"]))  # the module's exercises, as its notebook shows them
    assert alys == {**alys, "Module title": "Module 1: Context", "Exercises done": "3", "Exercises in module": total,
                    "Average score (%)": "75", "First activity": "2026-01-10", "Last activity": "2026-01-12",
                    "Module check passed": "no", "Module completed on": ""}
    # A completion row in the store (from an older rule) does not make the module complete: the knowledge check
    # has not been passed, and the report follows the course's one definition (records.progress).
    [bryn] = [dict(zip(header, r)) for r in rows if r[0] == data["bryn"] and r[2] == "01"]
    assert bryn["Exercises done"] == "1" and bryn["Average score (%)"] == "0" and bryn["Module completed on"] == ""


def test_the_staff_report_in_welsh_with_workshops_written_to_a_file(data, tmp_path, capsys):
    out = tmp_path / "hyfforddiant.csv"
    assert main(["records", "report", "--lang", "cy", "--include-workshops", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets then read ŵ and ŷ as UTF-8
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[:5] == ["ID y dysgwr", "Enw", "Cod y gweithdy", "Modiwl", "Teitl y modiwl"]
    assert "Cyfartaledd y sgoriau (%)" in header and "Dyddiad cwblhau'r modiwl" in header
    visitor = [r for r in rows if r[0] == data["visitor"] and r[3] == "01"]
    assert visitor and visitor[0][2] == "WREXHAM1" and visitor[0][4] == "Modiwl 1: Cyd-destun"
