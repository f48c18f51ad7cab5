"""A store interrupted while pages write: nothing acknowledged is lost, nothing is doubled.

PostgreSQL: the test starts a throwaway cluster of its own (tests/pg_cluster.py, never the shared server) and
restarts it while writers save answers the way a page does (StoreRecorder: held while the server is away, retried,
saved once). SQLite: the writing processes are killed and started again (a page's kernel that dies loses only
the answer it had not yet acknowledged, as the page showed).
"""
from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest

from fmse_widgets.records.recorder import store_at

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

WRITER = textwrap.dedent("""
    import sys, time
    from fmse_widgets.recording import ExerciseEvent
    from fmse_widgets.records import RecordsError, StoreRecorder
    from fmse_widgets.records.recorder import store_at

    target, learner, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    recorder = StoreRecorder(learner, store_factory=lambda: store_at(target), retry_seconds=0.3)
    for i in range(first, first + count):
        when = f"2026-05-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}+00:00"
        try:
            recorder.record(ExerciseEvent(f"exercise-{i}", "interrupt", "en", ("a",), 1.0, True, when, when))
        except RecordsError as exc:
            assert exc.kind == "unreachable", exc  # held: the recorder tries again
        while recorder.pending:   # a page goes on being answered; here, wait so the order is the page's
            time.sleep(0.1)
        print(i, flush=True)      # acknowledged: committed
""")


def start_writers(target: str, learners: list[str], first: int, count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", WRITER, target, learner, str(first), str(count)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for learner in learners]


def finish(writers: list[subprocess.Popen]) -> list[list[int]]:
    done = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        done.append([int(line) for line in out.split()])
    return done


@pytest.fixture
def cluster():
    from pg_cluster import Cluster

    # Not in tmp_path: as root the cluster runs as the postgres user, who cannot enter pytest's private folder.
    try:
        own = Cluster(tempfile.mkdtemp(prefix="fmse-test-cluster-"))
    except RuntimeError as exc:
        pytest.fail(f"{exc} (scripts/test installs it)")
    own.start()
    yield own
    own.remove()


def test_restarting_the_postgresql_server_while_pages_write_loses_and_doubles_nothing(cluster):
    import psycopg

    with psycopg.connect(cluster.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE records")
    url = cluster.url.rsplit("/", 1)[0] + "/records"
    with store_at(url, migrate=True) as store:
        learners = [store.add_learner().learner_id for _ in range(3)]
    writers = start_writers(url, learners, 0, 40)
    time.sleep(3)
    cluster.stop("immediate")   # as a crash would: no shutdown checkpoint
    time.sleep(2)
    cluster.start()
    acknowledged = finish(writers)
    with store_at(url) as store:
        for learner, done in zip(learners, acknowledged):
            events = store.events(learner_id=learner)
            assert done == list(range(40))
            assert sorted(int(e.exercise_id.split("-")[1]) for e in events) == list(range(40))  # once each


def test_killing_and_restarting_the_writers_of_an_sqlite_file_loses_and_doubles_nothing(tmp_path):
    target = str(tmp_path / "records.sqlite3")
    with store_at(target) as store:
        learners = [store.add_learner().learner_id for _ in range(3)]
    acknowledged: dict[str, list[int]] = {learner: [] for learner in learners}
    for first in (0, 1000):  # each round answers new exercises: an answer never acknowledged is not sent again
        writers = start_writers(target, learners, first, 1000)
        time.sleep(3)
        for learner, writer in zip(learners, writers):
            writer.send_signal(signal.SIGKILL)
            out, _ = writer.communicate(timeout=30)
            acknowledged[learner] += [int(line) for line in out.split()]
    for learner, done in zip(learners, finish(start_writers(target, learners, 2000, 5))):
        acknowledged[learner] += done
    with store_at(target) as store:
        for learner in learners:
            stored = [int(e.exercise_id.split("-")[1]) for e in store.events(learner_id=learner)]
            assert len(stored) == len(set(stored))                       # nothing doubled
            assert set(acknowledged[learner]) <= set(stored)             # nothing acknowledged lost
