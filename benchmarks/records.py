"""The shared PostgreSQL records store under a setting's and an authority's load, on a cluster this benchmark starts.

1. Writing: LEARNERS learners in SETTINGS settings, each a separate process calling the code a page uses
   (StoreRecorder, which opens the store for each answer), each saving ANSWERS answers spread over WINDOW seconds.
   Reports every save's time (p50, p95, max) against the target p95 <= 50 ms, and the cluster's max_connections.
2. Reading a large store: BIG_LEARNERS learners and BIG_ANSWERS answers loaded with COPY (not timed), then the
   DSP's staff training for a STAFF-member setting (target <= 300 ms) and the la-lead's summary (target <= 1 s),
   each the median of five runs, through the role-scoped interface (records/roles.py).

Usage: python benchmarks/records.py [--learners 500 --settings 50 --answers 60 --window 600
                                     --big-learners 50000 --big-answers 3000000 --staff 120]
Prints one JSON object. The suite runs it tiny (tests/test_records_benchmark.py); record the full run's figures
in docs/benchmarks.md with the date, the machine and what else was running.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # pg_cluster: the throwaway cluster the tests use too

WRITER = textwrap.dedent("""
    import json, sys, time
    from fmse_widgets.recording import ExerciseEvent, utc_now
    from fmse_widgets.records import StoreRecorder
    from fmse_widgets.records.recorder import store_at

    url, learner, answers, window, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    recorder = StoreRecorder(learner, store_factory=lambda: store_at(url))
    times = []
    while time.time() < start:
        time.sleep(0.01)
    for i in range(answers):
        due = start + window * i / answers
        if time.time() < due:
            time.sleep(due - time.time())
        event = ExerciseEvent(f"exercise-{i}", "context", "en", ("a",), 1.0, True, utc_now(), utc_now())
        began = time.perf_counter()
        recorder.record(event)
        times.append((time.perf_counter() - began) * 1000)
    print(json.dumps(times))
""")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def new_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def writing(admin_url: str, args) -> dict:
    from fmse_widgets.records.recorder import store_at

    url = new_database(admin_url, "writing")
    with store_at(url, migrate=True) as store:
        learners = []
        for s in range(args.settings):
            store.add_setting(f"setting-{s}", f"Setting {s}", f"Lleoliad {s}")
        for n in range(args.learners):
            learner = store.add_learner(f"Learner {n}").learner_id
            store.assign_setting(f"setting-{n % args.settings}", [learner])
            learners.append(learner)
    start = time.time() + 5 + args.learners * 0.05  # every process started and waiting before the first answer
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, url, learner, str(args.answers), str(args.window),
                                 str(start)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for learner in learners]
    times: list[float] = []
    for writer in writers:
        out, err = writer.communicate(timeout=args.window + 600)
        if writer.returncode:
            raise RuntimeError(f"a writer failed: {err[-800:]}")
        times += json.loads(out)
    with store_at(url) as store:
        saved = len(store.events())
    return {"processes": len(writers), "answers_saved": saved, "answers_expected": args.learners * args.answers,
            "window_s": args.window, "save_ms_p50": round(statistics.median(times), 1),
            "save_ms_p95": round(percentile(times, 0.95), 1), "save_ms_max": round(max(times), 1),
            "target_p95_ms": 50}


def load_big_store(url: str, args) -> tuple[str, str]:
    """BIG_LEARNERS learners in settings of STAFF people each, BIG_ANSWERS answers, completions: with COPY."""
    import psycopg

    from fmse_widgets.records.progress import page_exercises

    pages = {page: ids for page, ids in page_exercises().items() if ids}
    flat = [(page, exercise) for page, ids in pages.items() for exercise in ids]
    per_learner = max(1, args.big_answers // args.big_learners)
    settings = max(1, args.big_learners // args.staff)
    now = "2026-05-01T09:00:00+00:00"
    with psycopg.connect(url, autocommit=True) as conn:
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy("COPY education_settings (setting_id, name_en, name_cy, created_at) FROM STDIN") as copy:
                for s in range(settings):
                    copy.write_row((f"setting-{s}", f"Setting {s}", f"Lleoliad {s}", now))
            learners = [uuid.uuid4().hex for _ in range(args.big_learners)]
            with cur.copy("COPY learners (learner_id, name, created_at, setting_id) FROM STDIN") as copy:
                for n, learner in enumerate(learners):
                    copy.write_row((learner, f"Learner {n}", now, f"setting-{n % settings}"))
            with cur.copy("COPY events (event_id, learner_id, workshop, exercise_id, page, lang, choices, score, "
                          "passed, started_at, finished_at) FROM STDIN") as copy:
                for learner in learners:
                    for i in range(per_learner):
                        page, exercise = flat[i % len(flat)]
                        when = f"2026-04-{1 + i % 28:02d}T10:{i % 60:02d}:00+00:00"
                        copy.write_row((uuid.uuid4().hex, learner, "", exercise, page, "en", '["a"]', 1.0, 1,
                                        when, when))
            with cur.copy("COPY completions (learner_id, page, workshop, completed_at) FROM STDIN") as copy:
                for n, learner in enumerate(learners):
                    for page in list(pages)[: n % (len(pages) + 1)]:
                        copy.write_row((learner, page, "", now))
        conn.execute("ANALYZE")
    dsp = learners[0]  # setting-0's first member
    return dsp, "setting-0"


def timed(call, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 1)


def reading(admin_url: str, args) -> dict:
    from fmse_widgets.records.recorder import store_at
    from fmse_widgets.records.roles import Asker, scoped

    url = new_database(admin_url, "reading")
    store_at(url, migrate=True).close()
    began = time.perf_counter()
    dsp, setting = load_big_store(url, args)
    loaded = time.perf_counter() - began
    with store_at(url) as store:
        as_dsp = scoped(store, Asker("dsp", dsp, setting))
        as_lead = scoped(store, Asker("la-lead"))

        def staff_training():  # what the Staff training tab reads: the setting's people, answers, completions
            people = as_dsp.learners()
            assert len(people) >= min(args.staff, args.big_learners)
            as_dsp.events(include_workshops=False)
            as_dsp.completions(include_workshops=False)
            as_dsp.certificates()

        with store._conn.cursor() as cur:  # noqa: SLF001 - figures only
            events = cur.execute("SELECT count(*) FROM events").fetchone()[0]
        return {"learners": args.big_learners, "answers": events, "load_s_not_timed": round(loaded, 1),
                "staff_in_setting": len(as_dsp.learners()), "dsp_staff_training_ms": timed(staff_training),
                "target_dsp_ms": 300, "la_lead_summary_ms": timed(as_lead.summary), "target_la_lead_ms": 1000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--settings", type=int, default=50)
    parser.add_argument("--answers", type=int, default=60)
    parser.add_argument("--window", type=float, default=600, help="seconds over which each learner answers")
    parser.add_argument("--big-learners", type=int, default=50_000)
    parser.add_argument("--big-answers", type=int, default=3_000_000)
    parser.add_argument("--staff", type=int, default=120, help="staff in the DSP's setting")
    parser.add_argument("--max-connections", type=int, default=100)
    args = parser.parse_args(argv)
    from pg_cluster import Cluster

    # Enough connections for every writing process (each keeps its one connection): stated in the output.
    max_connections = max(args.max_connections, args.learners + 20)
    cluster = Cluster(tempfile.mkdtemp(prefix="fmse-bench-cluster-"), max_connections=max_connections)
    cluster.start()
    try:
        result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "max_connections": max_connections,
                  "writing": writing(cluster.url, args), "reading": reading(cluster.url, args)}
    finally:
        cluster.remove()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
