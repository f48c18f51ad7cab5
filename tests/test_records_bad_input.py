"""Every bad input is a clear message, never a traceback; reading works in a read-only records folder; names
cannot hide what they say (issue 13, item 4).

The laptop here keeps its records in a file (the read-only tests are about its folder and stay SQLite-only);
the store's own refusals (an id already used by a different record, names that hide what they say) run on both
backends (`records_backend`).
"""
from __future__ import annotations

import json

import pytest
from test_records_reliability import read_only  # noqa: F401  (chattr for root, modes otherwise)

from fmse_widgets.cli import main
from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import RecordsError
from fmse_widgets.records import certificate as cert
from fmse_widgets.records.progress import Requirement
from fmse_widgets.records.recorder import open_store
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.records.store import clean_name, clean_nickname

EXERCISE, PAGE = "context-who-is-targeted", "context"


@pytest.fixture
def laptop(tmp_path, monkeypatch):
    """A data folder with one learner, one answer and a certificate; its signed export; the DSP's folder next."""
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "laptop"))
    with SQLiteStore(tmp_path / "laptop" / "records.sqlite3") as store:
        learner = store.add_learner("Alys").learner_id
        store.record_event(learner, ExerciseEvent(EXERCISE, PAGE, "en", ("boys-most-cases",), 1.0, True,
                                                  "2026-05-06T09:00:00+00:00", "2026-05-06T09:05:00+00:00"))
        issued = cert.issue(store, learner, rule=cert.Rule((Requirement(7, PAGE, (), (EXERCISE,), True),)))
    export = tmp_path / "laptop.json"
    assert main(["records", "export", "--out", str(export)]) == 0
    return {"folder": tmp_path / "laptop", "export": export, "learner": learner, "code": issued.code}


def import_says(capsys, path, *flags) -> str:
    capsys.readouterr()
    assert main(["records", "import", *flags, str(path)]) == 1
    said = capsys.readouterr()
    assert "Traceback" not in said.err + said.out
    return said.err + said.out


def test_json_nested_a_hundred_thousand_deep_is_a_clear_message(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": "fmse-records", "version": 1, "learners": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    assert "nested far too deeply" in import_says(capsys, deep, "--accept-untrusted")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00",
                                    "1066-10-14T09:00:00+00:00"])
def test_a_time_out_of_range_is_a_clear_message(laptop, tmp_path, capsys, moment):
    doc = json.loads(laptop["export"].read_text(encoding="utf-8"))
    doc["events"][0]["finished_at"] = moment
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    said = import_says(capsys, bad, "--accept-untrusted")
    assert "events[0]" in said and "finished_at" in said and moment in said


def test_an_event_with_more_choices_than_a_page_records_is_refused(laptop, tmp_path, capsys):
    doc = json.loads(laptop["export"].read_text(encoding="utf-8"))
    doc["events"][0]["choices"] = [f"c{n}" for n in range(100_000)]
    bad = tmp_path / "many.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    assert "100000 choices: an exercise records at most 200" in import_says(capsys, bad, "--accept-untrusted")


def test_two_events_with_one_id_but_different_contents_are_refused_or_reported(laptop, records_backend, tmp_path,
                                                                              capsys):
    # `laptop` comes first, so its records are in its file; the import then goes to the backend under test.
    doc = json.loads(laptop["export"].read_text(encoding="utf-8"))
    assert len(doc["events"]) == 1
    twin = {**doc["events"][0], "score": 0.0, "passed": False}
    bad = tmp_path / "twins.json"
    bad.write_text(json.dumps({**doc, "events": [doc["events"][0], twin]}), encoding="utf-8")
    assert "two events have the id" in import_says(capsys, bad, "--accept-untrusted")
    # The same id as a different record already in the store: the one there is kept, and the import says so.
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**doc, "events": [twin]}), encoding="utf-8")
    assert main(["records", "import", "--accept-untrusted", str(laptop["export"])]) == 0  # (already in the file)
    capsys.readouterr()
    assert main(["records", "import", "--accept-untrusted", str(other)]) == 0
    assert "1 record(s) have the id of a different record already here" in capsys.readouterr().out
    with open_store() as store:
        assert [e.score for e in store.events()] == [1.0]


def test_read_only_targets_are_clear_messages(tmp_path, capsys, monkeypatch):
    target = tmp_path / "locked"
    target.mkdir()
    (target / "keep.txt").write_text("x", encoding="utf-8")
    monkeypatch.setenv("FMSE_DATA_DIR", str(target))
    with read_only(target):
        for command in (["cases", "generate", "--rows", "10", "--out", str(target / "cases.csv"), "--no-progress"],
                        ["cases", "export", "--out", str(target / "out.csv")],
                        ["setting", "set", "--name", "Ysgol Enghraifft"]):
            capsys.readouterr()
            assert main(command) == 1, command
            err = capsys.readouterr().err
            assert "Problem: cannot" in err and str(target) in err and "Traceback" not in err, command
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_reading_commands_work_in_a_read_only_records_folder(laptop, tmp_path, capsys):
    with read_only(laptop["folder"]):
        capsys.readouterr()
        assert main(["records", "export", "--out", str(tmp_path / "again.json")]) == 0
        assert main(["records", "report"]) == 0
        assert "Alys" in capsys.readouterr().out
        assert main(["records", "verify", laptop["code"]]) == 0
        assert "GENUINE" in capsys.readouterr().out
        assert main(["records", "purge", "--before", "2020-01-01"]) == 1  # writing still says why it cannot
        assert "read-only" in capsys.readouterr().err


@pytest.mark.parametrize("typed, kept", [
    ("\u202eAlys\u202c", "Alys"), ("Al\u200bys", "Alys"), ("\u2067Siôn\u2069 \ufeffJones", "Siôn Jones"),
    ("\u200b\u200d\u2060", None), ("Gwenllïan 👩🏽‍🏫", "Gwenllïan 👩🏽‍🏫"), ("Rhys 🏴󠁧󠁢󠁷󠁬󠁳󠁿", "Rhys 🏴󠁧󠁢󠁷󠁬󠁳󠁿")])
def test_names_and_nicknames_lose_overrides_and_zero_width_characters(records_backend, tmp_path, typed, kept):
    assert clean_name(typed) == kept and clean_nickname(typed) == kept
    with (open_store() if records_backend == "postgresql" else SQLiteStore(tmp_path / "records.sqlite3")) as store:
        if kept is not None:
            assert store.add_learner(typed).name == kept
        store.open_workshop("WREXHAM1")
        assert store.join_workshop("WREXHAM1", typed).nickname == kept
        assert [p.nickname for p in store.participants("WREXHAM1")] == [kept]


def test_an_imported_name_loses_its_override(laptop, tmp_path, capsys):
    doc = json.loads(laptop["export"].read_text(encoding="utf-8"))
    doc["learners"][0]["name"] = "\u202eevil"
    bad = tmp_path / "rtl.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    from fmse_widgets.records.exchange import read_bundle
    assert read_bundle(bad).learners[0].name == "evil"
    with pytest.raises(RecordsError):
        clean_name("a\nb")  # control characters are still refused outright
