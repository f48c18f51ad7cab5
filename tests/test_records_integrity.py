"""A damaged records file is found before anything reads or writes it, refused with a message saying what to do,
never replaced silently, and repaired into a new file that keeps the damaged one (issue 13, item 1).

SQLite-only: a damaged file, `records repair` and the file's integrity check are SQLite notions; PostgreSQL checks
its own pages and reports damage as an error (PostgresStore.integrity_check reads every table instead).
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from fmse_widgets.check import Say, check_records
from fmse_widgets.cli import main
from fmse_widgets.content.loader import load
from fmse_widgets.recording import ExerciseEvent, set_recorder
from fmse_widgets.records import RecordsError, StoreRecorder, start_records
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.records.store import Bundle
from fmse_widgets.views.choice import ChoiceView

EXERCISE = "context-who-is-targeted"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


ANSWER = "boys-most-cases"  # each answer's choice: stored in its row only, so it marks the answers' pages


def an_event(n: int = 0, lang: str = "en") -> ExerciseEvent:
    return ExerciseEvent(EXERCISE, "context", lang, (ANSWER,), 1.0, True,
                         f"2026-03-01T09:{n % 60:02d}:00+00:00", f"2026-03-01T10:{n % 60:02d}:00+00:00")


@pytest.fixture(scope="module")
def sound_records(tmp_path_factory) -> Path:
    """Records of 40 learners and 2,000 answers (a file of many pages), written once for the file's tests."""
    path = tmp_path_factory.mktemp("sound") / "records.sqlite3"
    with SQLiteStore(path) as store:
        learners = [store.add_learner(f"Aelod {n}").learner_id for n in range(40)]
        for n in range(2000):
            store.record_event(learners[n % 40], an_event(n))
    assert not Path(f"{path}-wal").exists()  # closed: everything is in the main file
    return path


@pytest.fixture
def store_path(sound_records, tmp_path, monkeypatch):
    """A data folder of this test's own whose records are a copy of the sound 40 learners and 2,000 answers."""
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "data" / "records.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(sound_records, path)
    return path


def damage(path: Path) -> None:
    """Random bytes over two neighbouring pages of answers in the middle of the file (the adversarial test's
    damage), each page's type byte one no b-tree page has, so the damage always shows and always costs answers.
    (Random bytes at a fixed offset sometimes hit only an index's pages, which `repair` can rebuild in full.)"""
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big") or 65536  # the page size, from the file's header
    pages = sorted({m.start() // size for m in re.finditer(re.escape(ANSWER.encode()), data)} - {0})
    first = next(p for p in pages[len(pages) // 2:] if p + 1 in pages)
    junk = bytearray(os.urandom(2 * size))
    junk[0] = junk[size] = 1
    with path.open("r+b") as handle:
        handle.seek(first * size)
        handle.write(junk)


def first_learner(path: Path) -> str:
    import sqlite3
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT learner_id FROM learners ORDER BY rowid LIMIT 1").fetchone()[0]
    finally:
        db.close()


def test_every_command_and_every_page_write_refuses_a_damaged_file_and_changes_nothing(store_path, tmp_path,
                                                                                       capsys):
    learner = first_learner(store_path)
    damage(store_path)
    before = digest(store_path)
    export = tmp_path / "other.json"
    export.write_text(json.dumps(Bundle().as_json()), encoding="utf-8")
    for command in (["records", "export", "--out", str(tmp_path / "out.json")], ["records", "report"],
                    ["records", "verify", "ABCDE-FGHIJ-KLMNO-PQRST"], ["records", "purge", "--before", "2020-01-01"],
                    ["records", "import", str(export)]):
        assert main(command) == 1, command
        err = capsys.readouterr().err
        assert "damaged" in err and "fmse-course records repair" in err and "Traceback" not in err, command
    with pytest.raises(RecordsError) as caught:  # a page's answer
        StoreRecorder(learner, store_factory=lambda: SQLiteStore(store_path)).record(an_event(lang="cy"))
    assert caught.value.kind == "corrupt"
    assert "fmse-course records repair" in str(caught.value) and "wedi'i difrodi" in str(caught.value)
    assert digest(store_path) == before
    assert not Path(f"{store_path}-wal").exists() or Path(f"{store_path}-wal").stat().st_size == 0


def test_a_page_opened_on_a_damaged_file_shows_the_refusal_in_its_language(store_path):
    learner = first_learner(store_path)
    damage(store_path)
    before = digest(store_path)
    environ = {"SERVER_SOFTWARE": "voila/0.5", "QUERY_STRING": f"learner={learner}"}
    identity, recorder = start_records(environ)
    try:
        assert identity is not None and identity.learner_id == learner and isinstance(recorder, StoreRecorder)
        view = ChoiceView(load(EXERCISE), "cy", page="context", recorder=recorder)
        view.radio.value = "boys-most-cases"
        view.check_button.click()
        assert view.completed and view.feedback.value  # the exercise still gives its feedback
        shown = html.unescape(view.errors.value)
        assert "Mae ffeil y cofnodion dysgu wedi'i difrodi" in shown and "fmse-course records repair" in shown
    finally:
        set_recorder(None)
    assert digest(store_path) == before


def swap_bytes_behind_the_index(path: Path) -> None:
    """Change one answer's page in the table only, so its index no longer matches: a file whose structure is
    sound (the quick check passes) but whose contents are not (the full check fails)."""
    data = bytearray(path.read_bytes())
    at = data.find(f"{EXERCISE}context".encode())
    assert at > 0
    data[at + len(EXERCISE):at + len(EXERCISE) + 7] = b"contfxt"
    path.write_bytes(bytes(data))


def test_the_full_check_in_fmse_course_check_and_before_an_import_finds_what_the_quick_check_does_not(
        store_path, tmp_path):
    swap_bytes_behind_the_index(store_path)
    with SQLiteStore(store_path) as store:  # opening (the quick check) still works ...
        assert store.integrity_check() != ["ok"]
        with pytest.raises(RecordsError) as caught:  # ... but an import checks everything first
            store.merge(Bundle())
    assert caught.value.kind == "corrupt"
    for lang, words in (("en", "is damaged"), ("cy", "wedi'i difrodi")):
        findings = check_records(Say(lang))
        assert len(findings) == 1 and not findings[0].ok
        assert words in findings[0].text and "fmse-course records repair" in findings[0].text


def test_a_sound_file_passes_the_check(store_path):
    findings = check_records(Say("en"))
    assert findings[0].ok and "can be read and written" in findings[0].text


def test_an_empty_file_is_damaged_not_a_new_store(tmp_path):
    path = tmp_path / "records.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(RecordsError) as caught:
        SQLiteStore(path)
    assert caught.value.kind == "corrupt"
    assert path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["records.sqlite3"]


def test_a_new_store_is_made_whole_before_it_has_its_name(tmp_path):
    path = tmp_path / "records.sqlite3"
    with SQLiteStore(path) as store:
        assert store.schema_version() >= 3
    assert path.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.sqlite3"]  # no temporary file left behind
    with SQLiteStore(path) as again:  # the second opener finds the first one's store
        assert again.learners() == []


def test_repair_saves_what_can_be_read_and_keeps_the_damaged_file(store_path, capsys):
    damage(store_path)
    original = store_path.read_bytes()
    assert main(["records", "repair"]) == 0
    out = capsys.readouterr().out
    kept = [p for p in store_path.parent.iterdir() if p.name.startswith("records-damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == original and str(kept[0]) in out
    with SQLiteStore(store_path) as store:  # the new file is sound and holds most of the answers
        assert store.integrity_check() == ["ok"]
        events = store.events()
        assert 1500 <= len(events) < 2000
        assert {e.exercise_id for e in events} == {EXERCISE}
        assert len(store.learners()) == 40
        store.add_learner("Newydd")  # and it can be written again
    assert "Saved" in out and "Could not save" in out
    assert main(["records", "repair"]) == 0
    assert "nothing to repair" in capsys.readouterr().out


def test_repair_of_an_empty_file_starts_an_empty_store_and_keeps_the_empty_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path))
    (tmp_path / "records.sqlite3").write_bytes(b"")
    assert main(["records", "repair"]) == 0
    assert [p.stat().st_size for p in tmp_path.glob("records-damaged-*.sqlite3")] == [0]
    with SQLiteStore(tmp_path / "records.sqlite3") as store:
        assert store.learners() == []
