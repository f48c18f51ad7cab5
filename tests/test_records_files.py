"""Files as private as their folder, and keys written whole (issue 13, item 5).

SQLite-only: these are about the files in a data folder (records.sqlite3 and its journal, signing.key) and their
modes; a PostgreSQL store has no file here, and its access is the database user's (docs/deploy.md).
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from fmse_widgets.recording import ExerciseEvent
from fmse_widgets.records import signing
from fmse_widgets.records.identity import save
from fmse_widgets.records.sqlite import SQLiteStore
from fmse_widgets.setting import save_values
from fmse_widgets.userdata import data_folder

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_everything() -> None:
    with SQLiteStore() as store:  # records.sqlite3, with its -wal and -shm while open
        learner = store.add_learner("Alys").learner_id
        store.record_event(learner, ExerciseEvent("context-who-is-targeted", "context", "en", ("a",), 1.0, True,
                                                  "2026-05-06T09:00:00+00:00", "2026-05-06T09:05:00+00:00"))
        for part in ("records.sqlite3-wal", "records.sqlite3-shm"):
            assert mode(data_folder() / part) == expected_mode[0], part
    signing.own_public_key(create=True)
    save("a" * 32, "Alys")
    save_values({"name": "Ysgol Enghraifft"})


expected_mode = [0o600]


@pytest.fixture
def umask_022():
    old = os.umask(0o022)  # the usual umask, which would make new files readable by everyone
    yield
    os.umask(old)


def test_the_per_user_folder_and_its_files_are_owner_only(tmp_path, monkeypatch, umask_022):
    monkeypatch.delenv("FMSE_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    folder = data_folder()
    assert str(folder).startswith(str(tmp_path))
    expected_mode[0] = 0o600
    write_everything()
    assert mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert [p.name for p in files] == ["learner.json", "records.sqlite3", "setting.yaml", "signing.key"]
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


@pytest.mark.parametrize("folder_mode, file_mode", [(0o700, 0o600), (0o750, 0o640), (0o770, 0o660),
                                                     (0o755, 0o644), (0o777, 0o664)])
def test_files_in_a_shared_folder_take_its_permissions_never_wider(tmp_path, monkeypatch, umask_022, folder_mode,
                                                                   file_mode):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(folder_mode)
    monkeypatch.setenv("FMSE_DATA_DIR", str(shared))
    expected_mode[0] = file_mode
    write_everything()
    modes = {p.name: mode(p) for p in shared.iterdir()}
    assert modes == {"records.sqlite3": file_mode, "setting.yaml": file_mode,
                     "learner.json": 0o600, "signing.key": 0o600}  # a key or who you are: owner-only always


def test_an_existing_records_file_open_to_everyone_is_narrowed(tmp_path, monkeypatch):
    monkeypatch.delenv("FMSE_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    SQLiteStore().close()
    path = data_folder() / "records.sqlite3"
    path.chmod(0o666)
    SQLiteStore().close()
    assert mode(path) == 0o600


KEY_MAKER = textwrap.dedent("""
    import sys, time
    from fmse_widgets.records import signing
    while time.time() < float(sys.argv[1]):
        pass
    print(signing.own_public_key(create=True))
""")


@pytest.mark.slow  # a process of its own
def test_the_signing_key_is_written_whole_so_concurrent_first_users_agree(tmp_path):
    """Eight processes make the key at the same moment: none sees an empty or half-written key, and all end up
    with the one that was put in place first."""
    import time

    env = {**os.environ, "FMSE_DATA_DIR": str(tmp_path / "data")}
    start = time.time() + 3
    runs = [subprocess.Popen([sys.executable, "-c", KEY_MAKER, str(start)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(8)]
    results = [run.communicate(timeout=120) for run in runs]
    assert [r.returncode for r in runs] == [0] * 8, [err for _out, err in results]
    keys = {out.strip() for out, _err in results}
    assert len(keys) == 1 and signing.PUBLIC_KEY.match(keys.pop())
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["signing.key"]  # no temporary file left
