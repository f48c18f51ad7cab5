"""Reliability: concurrent writers, a writer killed mid-write, and a locked, read-only, missing or corrupt file.

In every failure the learner sees a clear message in the page's language, the exercise still gives its
feedback, and nothing already saved is lost.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from fmse_widgets.content.loader import load
from fmse_widgets.recording import ExerciseEvent, utc_now
from fmse_widgets.records import RecordsError, StoreRecorder
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.views.choice import ChoiceView

WRITER = textwrap.dedent("""
    import sys
    from fmse_widgets.recording import ExerciseEvent, utc_now
    from fmse_widgets.records import StoreRecorder
    from fmse_widgets.records.recorder import store_at
    from fmse_widgets.records.sqlite import SQLiteStore

    path, learner, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    def opened():  # the SQLite file, or a PostgreSQL database (path is then its URL)
        return store_at(path) if path.startswith("postgresql://") else SQLiteStore(path, busy_timeout=60)
    if count:  # like a page: the recorder opens the store for each answer
        recorder = StoreRecorder(learner, store_factory=opened)
        for i in range(count):
            recorder.record(ExerciseEvent(f"exercise-{i}", "concurrency", "en", ("a", "b"), 0.5, None,
                                          utc_now(), utc_now()))
    else:  # until killed, printing each event's id once it is committed
        store = opened()
        i = 0
        while True:
            event_id = store.record_event(learner, ExerciseEvent(f"exercise-{i}", "kill", "cy", ("a",), 1.0, True,
                                                                 utc_now(), utc_now()))
            print(event_id, flush=True)
            i += 1
""")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def an_event(lang: str = "en") -> ExerciseEvent:
    return ExerciseEvent("context-who-is-targeted", "context", lang, ("boys-most-cases",), 1.0, True, utc_now(),
                         utc_now())


@pytest.fixture
def saved(tmp_path):
    """A records file holding one learner and one event; returns (path, learner id, event id)."""
    path = tmp_path / "data" / "records.sqlite3"
    with SQLiteStore(path) as store:
        learner = store.add_learner("Gwenllïan Ŵ").learner_id
        event_id = store.record_event(learner, an_event())
    return path, learner, event_id


def still_there(path: Path, learner: str, event_id: str) -> bool:
    with SQLiteStore(path) as store:
        return store.integrity_check() == ["ok"] and [e.event_id for e in store.events(learner_id=learner)] == [
            event_id] and store.learner(learner).name == "Gwenllïan Ŵ"


@pytest.fixture
def target(records_backend, tmp_path) -> str:
    """Where the writers write: an SQLite file, or a fresh PostgreSQL database (its URL)."""
    return os.environ["FMSE_RECORDS_URL"] if records_backend == "postgresql" else str(tmp_path / "records.sqlite3")


def opened(target: str):
    from fmse_widgets.records.recorder import store_at

    return store_at(target) if target.startswith("postgresql://") else SQLiteStore(target)


def sound(store) -> bool:
    return store.integrity_check() == ["ok"]


@pytest.mark.slow  # a process of its own
def test_twenty_processes_writing_a_hundred_events_each_lose_nothing(target):
    path = target
    with opened(path) as store:
        learners = [store.add_learner(f"Learner {n}").learner_id for n in range(20)]
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), learner, "100"], stderr=subprocess.PIPE)
               for learner in learners]
    for writer in writers:
        _, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err.decode()
    with opened(path) as store:
        events = store.events()
        assert len(events) == 2000 and len({e.event_id for e in events}) == 2000
        for learner in learners:
            assert len(store.events(learner_id=learner)) == 100
        assert sound(store)


@pytest.mark.slow  # a process of its own
def test_a_writer_killed_mid_write_leaves_a_sound_file_with_every_committed_record(target):
    path = target
    with opened(path) as store:
        learner = store.add_learner().learner_id
    committed: list[str] = []
    for stop_after in (40, 150, 75):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), learner, "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        assert writer.stdout is not None
        for _ in range(stop_after):
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else "the writer stopped"
            committed.append(line.strip())
        writer.send_signal(signal.SIGKILL)  # while it is writing the next one
        # Whatever it printed before dying was committed too.
        committed.extend(line.strip() for line in writer.stdout.read().splitlines() if line.strip())
        writer.wait(timeout=30)
        writer.stdout.close()
        writer.stderr.close()
        assert writer.returncode == -signal.SIGKILL
        with opened(path) as store:
            assert sound(store)
    with opened(path) as store:
        stored = {e.event_id for e in store.events()}
        assert len(stored) == len(store.events())  # nothing doubled
    assert set(committed) <= stored and len(committed) >= 265


@contextmanager
def held_lock(path: Path):
    """Another program in the middle of a write to the records file."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_locked_file_gives_a_clear_message_and_a_later_answer_is_saved(saved):
    path, learner, event_id = saved
    recorder = StoreRecorder(learner, store_factory=lambda: SQLiteStore(path, busy_timeout=0.2))
    with held_lock(path):
        with pytest.raises(RecordsError) as caught:
            recorder.record(an_event("cy"))
    assert caught.value.kind == "locked"
    assert "Mae ffeil y cofnodion dysgu yn brysur" in str(caught.value)  # in the page's language
    assert still_there(path, learner, event_id)
    recorder.record(an_event())  # once the other program is done, answers are saved again
    with SQLiteStore(path) as store:
        assert len(store.events(learner_id=learner)) == 2


@contextmanager
def read_only(folder: Path):
    """Make the folder and the file in it read-only, as a real user would meet it (root ignores modes)."""
    files = list(folder.iterdir())
    if os.geteuid() == 0:
        if not shutil.which("chattr"):
            pytest.skip("running as root without chattr: no way to make a file read-only for root")
        subprocess.run(["chattr", "+i", *map(str, files), str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", *map(str, files), str(folder)], check=True)
    else:
        for f in files:
            f.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
            for f in files:
                f.chmod(0o644)


def test_a_read_only_file_gives_a_clear_message_and_loses_nothing(saved):
    path, learner, event_id = saved
    before = digest(path)
    recorder = StoreRecorder(learner, store_factory=lambda: SQLiteStore(path))
    with read_only(path.parent):
        with pytest.raises(RecordsError) as caught:
            recorder.record(an_event())
    assert caught.value.kind == "read-only" and "read-only" in str(caught.value)
    assert "FMSE_DATA_DIR" in str(caught.value)
    assert digest(path) == before
    assert still_there(path, learner, event_id)


def test_a_folder_that_cannot_be_created_gives_a_clear_message(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("FMSE_DATA_DIR", str(blocker / "fmse"))
    recorder = StoreRecorder("c" * 32)
    with pytest.raises(RecordsError) as caught:
        recorder.record(an_event("cy"))
    assert caught.value.kind == "missing"
    assert "Nid oes modd creu'r ffolder" in str(caught.value) and "FMSE_DATA_DIR" in str(caught.value)
    assert caught.value.message("en").startswith("The folder for the learning records cannot be created")


def test_a_file_that_is_not_a_database_gives_a_clear_message_and_is_not_overwritten(tmp_path):
    path = tmp_path / "records.sqlite3"
    path.write_bytes(b"this is not a database " * 400)
    before = digest(path)
    recorder = StoreRecorder("d" * 32, store_factory=lambda: SQLiteStore(path))
    with pytest.raises(RecordsError) as caught:
        recorder.record(an_event())
    assert caught.value.kind == "corrupt" and "is damaged" in str(caught.value)
    assert "fmse-course records repair" in str(caught.value)
    assert digest(path) == before


def test_a_damaged_database_gives_a_clear_message_and_is_not_overwritten(saved):
    path, learner, _ = saved
    with SQLiteStore(path) as store:  # enough records to fill several pages, then damage the middle of the file
        for _ in range(300):
            store.record_event(learner, an_event())
    with path.open("r+b") as handle:
        handle.seek(4096 + 100)
        handle.write(os.urandom(4096 * 3))
    before = digest(path)
    with pytest.raises(RecordsError) as caught:
        store = SQLiteStore(path)
        try:
            store.events()
            StoreRecorder(learner, store_factory=lambda: SQLiteStore(path)).record(an_event())
        finally:
            store.close()
    assert caught.value.kind == "corrupt"
    assert digest(path) == before


def test_the_exercise_still_gives_feedback_when_the_records_cannot_be_written(saved):
    path, learner, event_id = saved
    recorder = StoreRecorder(learner, store_factory=lambda: SQLiteStore(path, busy_timeout=0.2))
    view = ChoiceView(load("context-who-is-targeted"), "cy", page="context", recorder=recorder)
    view.radio.value = "boys-most-cases"
    with held_lock(path):
        view.check_button.click()
    assert "Cywir" in view.feedback.value or "✓" in view.feedback.value  # the feedback is there
    assert view.completed and view.score == 1.0
    assert "Mae ffeil y cofnodion dysgu yn brysur" in view.errors.value  # and the problem, in Welsh
    assert still_there(path, learner, event_id)
    view.errors.value = ""
    view.check_button.click()  # answering again once the file is free records it
    assert view.errors.value == ""
    with SQLiteStore(path) as store:
        assert len(store.events(learner_id=learner)) == 2
