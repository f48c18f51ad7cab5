"""The shared PostgreSQL store: chosen by FMSE_RECORDS_URL or the setting file, migrated only by `records migrate`,
refused when older or newer, filled from a laptop by `records copy` without duplicates; the driver stays out of a
laptop's kernel."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg
import pytest

from fmse_widgets.cli import main
from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import RecordsError, open_store
from fmse_widgets.records.postgres import PostgresStore, public_location
from fmse_widgets.records.recorder import store_at
from fmse_widgets.records.sqlite import LATEST, SQLiteStore
from fmse_widgets.setting import save_values
from postgres_db import create_database, drop_database


def answer(exercise="context-who-is-targeted", when="2026-03-10T10:00:00+00:00", lang="en") -> ExerciseEvent:
    return ExerciseEvent(exercise, "context", lang, ("boys-most-cases",), 1.0, True, when, when)


@pytest.fixture
def empty_url():
    """A database with nothing in it: not yet migrated."""
    url = create_database(migrate=False)
    yield url
    drop_database(url)


def count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def test_the_url_chooses_postgresql_and_messages_never_show_its_password(pg_url, monkeypatch, tmp_path):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FMSE_RECORDS_URL", pg_url)
    with open_store() as store:
        assert isinstance(store, PostgresStore) and store.schema_version() == LATEST
        learner = store.add_learner("Siân").learner_id
        store.record_event(learner, answer())
    assert count(pg_url, "events") == 1
    assert not (tmp_path / "data" / "records.sqlite3").exists()  # nothing written on the laptop
    assert public_location("postgresql://fmse:s3cret@db.example:5433/records") == \
        "postgresql://fmse@db.example:5433/records"


def test_records_url_in_the_setting_file_chooses_the_store_and_the_environment_wins(pg_url, monkeypatch,
                                                                                      tmp_path):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)
    save_values({"name": "Ysgol y Bryn", "records_url": pg_url})
    with open_store() as store:
        assert isinstance(store, PostgresStore)
    monkeypatch.setenv("FMSE_RECORDS_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    with open_store() as store:
        assert isinstance(store, SQLiteStore) and store.location == str(tmp_path / "elsewhere.sqlite3")


def test_an_unknown_records_url_is_refused_naming_the_forms_it_can_take(monkeypatch):
    monkeypatch.setenv("FMSE_RECORDS_URL", "mysql://root:pw@host/db")
    with pytest.raises(RecordsError) as caught:
        open_store()
    assert caught.value.kind == "invalid" and "postgresql://user@host:port/dbname" in str(caught.value)
    assert "pw" not in str(caught.value)


def test_a_database_not_yet_migrated_is_refused_naming_the_command_then_migrate_makes_it_usable(
        empty_url, monkeypatch, capsys):
    monkeypatch.setenv("FMSE_RECORDS_URL", empty_url)
    for lang, command in (("en", "fmse-course records migrate"), ("cy", "fmse-course records migrate")):
        with pytest.raises(RecordsError) as caught:
            open_store()
        assert caught.value.kind == "schema" and command in caught.value.message(lang)
    assert "fersiwn" in caught.value.message("cy")  # said in Welsh too
    with psycopg.connect(empty_url) as conn:  # refusing changed nothing: still no tables
        assert conn.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_schema = 'public'").fetchone()[0] == 0
    assert main(["records", "migrate"]) == 0
    assert f"version {LATEST} (were at 0)" in capsys.readouterr().out
    assert main(["records", "migrate"]) == 0  # twice: nothing to change
    assert "nothing to change" in capsys.readouterr().out
    with open_store() as store:
        store.add_learner("Alys")
    assert count(empty_url, "schema_version") == LATEST


def test_a_newer_or_older_database_is_refused_and_left_unchanged(pg_url, monkeypatch):
    monkeypatch.setenv("FMSE_RECORDS_URL", pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (%s, 'later')", (LATEST + 1,))
    with pytest.raises(RecordsError) as caught:
        open_store()
    assert caught.value.kind == "schema" and f"version {LATEST + 1}" in str(caught.value)
    with pytest.raises(RecordsError):
        store_at(pg_url, migrate=True)  # `records migrate` will not touch a newer database either
    assert count(pg_url, "schema_version") == LATEST + 1
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DELETE FROM schema_version WHERE version >= %s", (LATEST,))
    with pytest.raises(RecordsError) as caught:
        open_store()
    assert caught.value.kind == "schema" and "records migrate" in str(caught.value)


def test_a_database_of_another_program_is_refused(empty_url, monkeypatch):
    with psycopg.connect(empty_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    for migrate in (False, True):
        with pytest.raises(RecordsError) as caught:
            store_at(empty_url, migrate=migrate)
        assert caught.value.kind == "foreign"
    assert count(empty_url, "invoices") == 0


def test_copy_moves_a_laptops_records_into_the_shared_store_and_twice_adds_nothing(pg_url, tmp_path, monkeypatch,
                                                                                   capsys):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "laptop"))
    monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)
    with open_store() as laptop:
        alys = laptop.add_learner("Alys").learner_id
        for i, exercise in enumerate(("context-who-is-targeted", "context-what-staff-do")):
            laptop.record_event(alys, answer(exercise, f"2026-03-1{i}T10:00:00+00:00"))
        laptop.record_completion(alys, "context", completed_at="2026-03-11T10:00:00+00:00")
        laptop.trust_key("a" * 64, "Bryn's laptop")
        expected = laptop.export()
    assert main(["records", "copy", "--to", pg_url]) == 1  # which setting? not asked without a terminal
    assert "--setting ID" in capsys.readouterr().err
    assert main(["records", "copy", "--to", pg_url, "--setting", "ysgol-y-bryn", "--name-en", "Ysgol y Bryn"]) == 0
    out = capsys.readouterr().out
    assert "1 learner(s), 2 answer(s), 1 module completion(s), 0 certificate(s), 1 trusted key(s)" in out
    assert main(["records", "copy", "--to", pg_url]) == 0  # the setting id is in the setting file now
    assert "0 learner(s), 0 answer(s), 0 module completion(s), 0 certificate(s), 0 trusted key(s)" in \
        capsys.readouterr().out
    with store_at(pg_url) as shared:
        copied = shared.export()
        assert copied.learners == expected.learners and copied.events == expected.events
        assert copied.completions == expected.completions
        assert [k.public_key for k in shared.trusted_keys()] == ["a" * 64]
        assert shared.setting_of(alys) == "ysgol-y-bryn"
        assert [(s.setting_id, s.name_en, s.name_cy) for s in shared.education_settings()] == [
            ("ysgol-y-bryn", "Ysgol y Bryn", "Ysgol y Bryn")]
    assert count(pg_url, "events") == 2


def test_migrate_on_a_laptop_assigns_its_records_to_the_setting(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "laptop"))
    monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)
    with open_store() as laptop:
        alys = laptop.add_learner("Alys").learner_id
    assert main(["records", "migrate"]) == 1 and "--setting ID" in capsys.readouterr().err
    assert main(["records", "migrate", "--setting", "Not An Id"]) == 1  # named and refused, nothing changed
    assert "lowercase letters" in capsys.readouterr().err
    assert main(["records", "migrate", "--setting", "ysgol-y-bryn", "--name-en", "Bryn School",
                 "--name-cy", "Ysgol y Bryn"]) == 0
    assert "1 learner(s) without a setting assigned" in capsys.readouterr().out
    with open_store() as laptop:
        assert laptop.setting_of(alys) == "ysgol-y-bryn"
        assert laptop.education_settings()[0].name_cy == "Ysgol y Bryn"
    assert "setting_id: ysgol-y-bryn" in (tmp_path / "laptop" / "setting.yaml").read_text(encoding="utf-8")


@pytest.mark.slow  # a process of its own
def test_without_a_setting_migrate_asks_at_a_terminal_and_says_what_to_give_elsewhere_in_welsh(tmp_path,
                                                                                                monkeypatch, capsys):
    """The question (at a terminal) and the refusal (anywhere else) are in the terminal's language."""
    import pty
    import select

    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "laptop"))
    monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)
    with open_store() as laptop:
        alys = laptop.add_learner("Alys").learner_id
    assert main(["--lang", "cy", "records", "migrate"]) == 1  # pytest's stdin is not a terminal
    err = capsys.readouterr().err
    assert "nid oes lleoliad gan y cofnodion hyn eto: rhowch ef gyda --setting ID" in err and "no setting" not in err
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "fmse_widgets.cli", "--lang", "cy", "records", "migrate"]
    with subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, env=os.environ.copy()) as run:
        os.close(terminal)
        said, answers = b"", [b"Not An Id\n", b"ysgol-y-bryn\n"]  # a bad id is asked again, not saved
        deadline = time.monotonic() + 60
        while run.poll() is None and time.monotonic() < deadline:
            if select.select([controller], [], [], 0.5)[0]:
                try:
                    said += os.read(controller, 4096)
                except OSError:  # the program has finished and closed the terminal
                    break
            if answers and said.count("I ba leoliad".encode()) > 2 - len(answers):
                os.write(controller, answers.pop(0))
        assert run.wait(timeout=60) == 0, said.decode(errors="replace")
    os.close(controller)
    text = said.decode()
    assert text.count("I ba leoliad y mae'r cofnodion hyn yn perthyn?") == 2 and "Which setting" not in text
    assert "Lleoliad ysgol-y-bryn: neilltuwyd 1 dysgwr heb leoliad iddo." in text
    with open_store() as laptop:
        assert laptop.setting_of(alys) == "ysgol-y-bryn"


def test_copy_to_a_database_not_yet_migrated_is_refused_naming_migrate(empty_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "laptop"))
    monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)
    assert main(["records", "copy", "--to", empty_url]) == 1
    assert "fmse-course records migrate" in capsys.readouterr().err


@pytest.mark.slow  # a process of its own
def test_a_laptop_kernel_never_imports_the_postgresql_driver(tmp_path):
    code = ("import sys\n"
            "from fmse_widgets.records import open_store\n"
            "from fmse_widgets.recording import ExerciseEvent\n"
            "with open_store() as store:\n"
            "    who = store.add_learner('A').learner_id\n"
            "    store.record_event(who, ExerciseEvent('x', 'context', 'en', ('a',), 1.0, True,\n"
            "                       '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00'))\n"
            "print(sorted(m for m in sys.modules if m.startswith('psycopg')))\n")
    env = {k: v for k, v in os.environ.items() if k != "FMSE_RECORDS_URL"}
    env["FMSE_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_lost_connection_says_not_saved_yet_in_the_pages_language(pg_url, monkeypatch):
    monkeypatch.setenv("FMSE_RECORDS_URL", pg_url)
    with open_store() as store:
        learner = store.add_learner().learner_id
        with psycopg.connect(pg_url, autocommit=True) as admin:  # the server ends this store's session
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        with pytest.raises(RecordsError) as caught:
            store.record_event(learner, answer(lang="cy"))
    assert caught.value.kind == "unreachable"
    assert "Not saved yet" in caught.value.message("en") and "Heb ei gadw eto" in caught.value.message("cy")
    with open_store() as store:  # the next open finds a working connection, not the dead one
        store.record_event(learner, answer())
        assert len(store.events()) == 1


def test_answers_are_held_while_the_store_cannot_be_reached_then_saved_once_in_order(pg_url):
    from servers import free_port

    from fmse_widgets.records.recorder import StoreRecorder

    with store_at(pg_url) as store:
        learner = store.add_learner().learner_id
    where = {"url": f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"}  # nothing answers there
    recorder = StoreRecorder(learner, store_factory=lambda: store_at(where["url"]), retry_seconds=0.2)
    first = answer("context-who-is-targeted", "2026-03-10T10:00:00+00:00", lang="cy")
    second = answer("context-what-staff-do", "2026-03-10T10:01:00+00:00")
    saved = []
    for event in (first, second):
        with pytest.raises(RecordsError) as caught:
            recorder.record(event)
        assert caught.value.kind == "unreachable"
        assert ("Heb ei gadw eto" if event is first else "Not saved yet") in str(caught.value)
        recorder.when_saved(event, lambda e=event: saved.append(e.exercise_id))
    assert len(recorder.pending) == 2 and saved == []
    where["url"] = pg_url  # the server answers again: the retry saves both, oldest first
    deadline = time.monotonic() + 10
    while recorder.pending and time.monotonic() < deadline:
        time.sleep(0.05)
    assert recorder.pending == [] and saved == ["context-who-is-targeted", "context-what-staff-do"]
    with store_at(pg_url) as store:
        assert [e.exercise_id for e in store.events()] == ["context-who-is-targeted", "context-what-staff-do"]


def test_an_answer_committed_just_before_the_connection_dropped_is_not_saved_twice(pg_url):
    from fmse_widgets.records.recorder import StoreRecorder

    class AckLost(PostgresStore):
        """Commits the answer, then loses the connection before the page hears so (as a server restart can)."""

        def record_event(self, *args, **kwargs):
            super().record_event(*args, **kwargs)
            raise RecordsError("unreachable", path=self.location, detail="connection lost")

    with store_at(pg_url) as store:
        learner = store.add_learner().learner_id
    factories = [lambda: AckLost(pg_url), lambda: store_at(pg_url)]
    recorder = StoreRecorder(learner, store_factory=lambda: factories[0](), retry_seconds=60)
    with pytest.raises(RecordsError):
        recorder.record(answer())
    factories.pop(0)
    recorder.flush()
    assert recorder.pending == []
    with store_at(pg_url) as store:
        assert len(store.events()) == 1


def test_certificates_on_a_shared_store_are_signed_with_the_deployments_key_and_verify_on_every_server(
        pg_url, tmp_path, monkeypatch):
    from fmse_widgets.records import certificate as cert
    from fmse_widgets.records import signing
    from test_certificate import NAME, RULE, earn

    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "server-a"))  # one course server of the deployment ...
    with store_at(pg_url) as store:
        learner = store.add_learner(NAME).learner_id
        earn(store, learner)
        issued = cert.issue(store, learner, rule=RULE)
        deployment = signing.public_bytes(signing.store_private_key(store)).hex()
    assert issued.certificate.public_key == deployment
    assert not (tmp_path / "server-a" / "signing.key").exists()  # not a per-folder key
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "server-b"))  # ... and another, with a data folder of its own
    with store_at(pg_url) as store:
        assert cert.verify(store, issued.code).status == "genuine"
        assert cert.issue(store, learner, rule=RULE).code == issued.code  # the same key: the same certificate
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM settings WHERE key = 'deployment_signing_key'").fetchone()[0] == 1
