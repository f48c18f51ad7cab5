"""The records store: schema and settings, what it accepts and refuses, export/import, purge, delete, versions."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date

import pytest

from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import RecordsError, RecordStore, open_store
from fmse_widgets.records.exchange import read_bundle, to_csv, to_json
from fmse_widgets.records.sqlite import APPLICATION_ID, LATEST, MIGRATIONS, SQLiteStore
from fmse_widgets.records.store import Certificate


def event(exercise="context-who-is-targeted", *, page="context", lang="en", choices=("boys-most-cases",),
          score=1.0, passed=True, when="2026-03-10T10:00:00+00:00") -> ExerciseEvent:
    return ExerciseEvent(exercise_id=exercise, page=page, lang=lang, choices=choices, score=score, passed=passed,
                         started_at=when, finished_at=when)


@pytest.fixture
def store(records_backend, tmp_path):
    """An empty store on each backend (an SQLite file of the test's own, or a fresh PostgreSQL database)."""
    with (open_store() if records_backend == "postgresql" else SQLiteStore(tmp_path / "records.sqlite3")) as opened:
        yield opened


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_file_is_in_the_data_folder_with_wal_foreign_keys_and_the_latest_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    with open_store() as store:
        assert isinstance(store, RecordStore)
        assert store.location == str(tmp_path / "data" / "records.sqlite3")
        db = store._db
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store.schema_version() == LATEST == 5
        versions = [row[0] for row in db.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == [1, 2, 3, 4, 5]


def test_learners_have_random_ids_and_optional_clean_names(store):
    named = store.add_learner("  Siân   Ŵyn ")
    anonymous = store.add_learner()
    assert len(named.learner_id) == 32 and named.learner_id != anonymous.learner_id
    assert named.name == "Siân Ŵyn" and anonymous.name is None and anonymous.label.startswith("(")
    store.rename_learner(anonymous.learner_id, "Ann")
    assert store.learner(anonymous.learner_id).name == "Ann"
    for bad in ("x" * 81, "two\nlines", "bell\x07"):
        with pytest.raises(RecordsError) as caught:
            store.add_learner(bad)
        assert caught.value.kind == "invalid"
    assert len(store.learners()) == 2


def test_an_event_round_trips_and_workshop_records_are_kept_apart(store):
    staff = store.add_learner("Staff Member").learner_id
    event_id = store.record_event(staff, event(passed=None, score=0.5))
    store.record_event(staff, event("context-what-staff-do"), workshop="CARDIFF1")
    [stored] = store.events(include_workshops=False)
    assert stored.event_id == event_id and stored.choices == ("boys-most-cases",) and stored.passed is None
    assert stored.score == 0.5 and stored.workshop is None and stored.finished_at == "2026-03-10T10:00:00+00:00"
    assert {e.workshop for e in store.events()} == {None, "CARDIFF1"}
    assert store.record_completion(staff, "context") is True
    assert store.record_completion(staff, "context") is False  # the first completion is kept
    assert store.record_completion(staff, "context", workshop="CARDIFF1") is True
    assert len(store.completions(include_workshops=False)) == 1 and len(store.completions()) == 2


@pytest.mark.parametrize(("fields", "named"), [
    ({"choices": ("I would tell them off",)}, "free text is never recorded"),   # a sentence is not an id
    ({"choices": ("ok", "<script>")}, "free text is never recorded"),
    ({"exercise": "two words"}, "free text is never recorded"),
    ({"page": "Not A Page"}, "is not a page id"),
])
def test_free_text_is_never_recorded(store, fields, named):
    learner = store.add_learner().learner_id
    fields = dict(fields)  # the parameters are shared by both backends
    exercise = fields.pop("exercise", "context-who-is-targeted")
    with pytest.raises(RecordsError) as caught:
        store.record_event(learner, event(exercise, **fields))
    assert caught.value.kind == "invalid" and named in str(caught.value)
    assert store.events() == []


def test_events_need_a_learner_the_store_knows(store):
    with pytest.raises(RecordsError, match="not in the records"):
        store.record_event("0" * 32, event())
    with pytest.raises(RecordsError, match="32 lowercase hex"):
        store.record_event("not-an-id", event())


def fill(store) -> tuple[str, str]:
    alys = store.add_learner("Alys Ŷ").learner_id
    ben = store.add_learner().learner_id
    store.record_event(alys, event(when="2026-01-05T09:00:00+00:00"))
    store.record_event(alys, event("context-what-staff-do", when="2026-02-05T09:00:00+00:00"))
    store.record_event(ben, event(lang="cy", choices=("girls-only",), score=0.0, passed=False,
                                  when="2026-03-05T09:00:00+00:00"), workshop="WRKSHP")
    store.record_completion(alys, "context", completed_at="2026-02-05T09:00:00+00:00")
    store.record_certificate(Certificate(code="A" * 20, learner_id=alys, contents='{"name":"Alys Ŷ"}',
                                         key_id="0" * 16, issued_at="2026-02-06T09:00:00+00:00"))
    return alys, ben


def same(a, b) -> bool:
    return (a.learners() == b.learners() and a.events() == b.events() and a.completions() == b.completions()
            and a.certificates() == b.certificates())


@pytest.mark.parametrize("suffix", ["json", "csv"])
def test_importing_the_same_export_twice_adds_nothing_the_second_time(store, tmp_path, suffix):
    fill(store)
    exported = tmp_path / f"export.{suffix}"
    exported.write_text((to_json if suffix == "json" else to_csv)(store.export()), encoding="utf-8")
    with SQLiteStore(tmp_path / "dsp.sqlite3") as dsp:
        first = dsp.merge(read_bundle(exported))
        second = dsp.merge(read_bundle(exported))
        assert first.events == 3 and first.learners == 2
        assert second.total() == 0
        assert dsp.events() == store.events()
        if suffix == "json":
            assert same(dsp, store)
    assert store.merge(read_bundle(exported)).total() == 0  # importing into the computer it came from


def test_exports_from_two_laptops_merge_into_one(tmp_path):
    with SQLiteStore(tmp_path / "a.sqlite3") as a, SQLiteStore(tmp_path / "b.sqlite3") as b, \
            SQLiteStore(tmp_path / "dsp.sqlite3") as dsp:
        fill(a)
        fill(b)
        for source in (a, b, a):
            dsp.merge(source.export())
        assert len(dsp.learners()) == 4 and len(dsp.events()) == 6 and len(dsp.certificates()) == 1


def test_a_bad_import_file_is_refused_naming_the_record_and_nothing_is_merged(store, tmp_path):
    alys, _ = fill(store)
    data = json.loads(to_json(store.export()))
    data["events"][1]["score"] = 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RecordsError, match=r"bad\.json: events\[1\]: .*score 2"):
        read_bundle(bad)
    data["events"][1]["score"] = 1
    data["events"][1]["choices"] = ["I said it was their fault"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RecordsError, match="free text is never recorded"):
        read_bundle(bad)
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(RecordsError, match="not a records file"):
        read_bundle(other)


def test_purge_deletes_records_before_the_date_and_an_older_export_does_not_bring_them_back(store, tmp_path):
    alys, ben = fill(store)
    before = store.export()
    counts = store.purge(date(2026, 2, 1))
    assert counts == {"events": 1, "completions": 0, "certificates": 0, "workshops": 0, "learners": 0}
    assert [e.finished_at[:10] for e in store.events()] == ["2026-02-05", "2026-03-05"]
    merged = store.merge(before)
    assert merged.events == 0 and merged.skipped == 1
    counts = store.purge(date(2026, 12, 31))
    assert counts["events"] == 2 and counts["completions"] == 1 and counts["certificates"] == 1
    assert counts["learners"] == 2 and store.learners() == []


def test_deleting_a_person_removes_everything_of_theirs_and_imports_do_not_restore_it(store):
    alys, ben = fill(store)
    old = store.export()
    counts = store.delete_learner(alys)
    assert counts == {"events": 2, "completions": 1, "certificates": 1, "learners": 1}
    assert store.learner(alys) is None and {e.learner_id for e in store.events()} == {ben}
    assert store.completions() == [] and store.certificates() == []
    merged = store.merge(old)
    assert merged.learners == 0 and merged.events == 0 and merged.skipped == 4
    assert store.learner(alys) is None
    # If they study again later, their new records are theirs to keep.
    store.add_learner("Alys Ŷ", learner_id=alys)
    store.record_event(alys, event(when="2099-01-01T00:00:00+00:00"))
    assert len(store.events(learner_id=alys)) == 1


def make_version_1(path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    db.executescript(MIGRATIONS[1])
    db.execute("INSERT INTO schema_version VALUES (1, '2025-09-01T00:00:00+00:00')")
    db.execute("INSERT INTO learners VALUES (?, 'Old Learner', '2025-09-01T00:00:00+00:00')", ("a" * 32,))
    db.execute("INSERT INTO events VALUES (?, ?, '', 'context-who-is-targeted', 'context', 'en', '[\"x\"]', 1.0, 1, "
               "'2025-09-01T00:00:00+00:00', '2025-09-01T00:00:00+00:00')", ("b" * 32, "a" * 32))
    db.close()


def test_an_older_records_file_is_migrated_and_keeps_its_records(tmp_path):
    path = tmp_path / "records.sqlite3"
    make_version_1(path)
    with SQLiteStore(path) as store:
        assert store.schema_version() == LATEST
        assert store.learner("a" * 32).name == "Old Learner"
        assert [e.event_id for e in store.events()] == ["b" * 32]
        assert store.certificates() == []  # a table version 2 added
        assert store.integrity_check() == ["ok"]


def test_a_newer_records_file_is_refused_with_a_clear_message_and_left_unchanged(tmp_path):
    path = tmp_path / "records.sqlite3"
    SQLiteStore(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("INSERT INTO schema_version VALUES (99, '2030-01-01T00:00:00+00:00')")
    db.close()
    before = digest(path)
    with pytest.raises(RecordsError) as caught:
        SQLiteStore(path)
    assert caught.value.kind == "newer"
    assert f"newer version of the course (records version 99; this version knows up to {LATEST})" in str(caught.value)
    assert "fersiwn fwy diweddar" in caught.value.message("cy")
    assert digest(path) == before


def test_a_database_of_another_program_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "records.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.commit()
    db.close()
    before = digest(path)
    with pytest.raises(RecordsError) as caught:
        SQLiteStore(path)
    assert caught.value.kind == "foreign" and "is not a learning records file" in str(caught.value)
    assert digest(path) == before
