"""The shared PostgreSQL records store under a setting's and an authority's load, on a cluster this benchmark starts.

1. Writing: LEARNERS learners in SETTINGS settings, each a separate process calling the code a page uses
   (StoreRecorder with store_at(url), which opens the store for each answer), each saving ANSWERS answers spread
   over WINDOW seconds, at a phase of its own (seeded), so the answers arrive independently, not in bursts.
   Reports every save's time (p50, p95, p99, max) against the target p95 <= 50 ms, the cluster's
   max_connections and the open connections, and the memory (PSS) of the learners' processes and the cluster.
2. Reading a large store: BIG_LEARNERS learners and BIG_ANSWERS answers loaded with COPY (not timed), then the
   DSP's staff training for a STAFF-member setting (target <= 300 ms) and the la-lead's summary (target <= 1 s),
   each the median of five runs, through the role-scoped interface (records/roles.py).

The shape of the writing stage, and why: every learner is its own OS process, as the issue asks, with its own
connection to the cluster (no pool shared between learners: each process keeps its one connection idle between
answers, as a page's kernel does; max_connections is raised to LEARNERS + 20). Started one by one with
`python -c`, a learner's process is 42 MiB resident, 25 MiB of it its own (measured 2026-12-07): 500 of them
with their 500 server processes would not fit comfortably on a 24 GB machine. So one launcher process imports
what a page imports for its records (psycopg, the store, StoreRecorder) and reads the page list and completion
rule, as a page does when it loads, then forks the learners' processes, which share that imported code
(copy-on-write, after gc.freeze()): 4-6 MiB each (PSS) in the full runs. Each learner's process then does
what a page does: opens the store and finds its learner on "load", and saves each answer with StoreRecorder.record.

Usage: python benchmarks/records.py [--learners 500 --settings 50 --answers 60 --window 600
                                     --big-learners 50000 --big-answers 3000000 --staff 120]
Prints one JSON object. The suite runs it tiny (tests/test_records_benchmark.py); record the full run's figures
in docs/benchmarks.md with the date, the machine and what else was running.
"""
from __future__ import annotations

import argparse
import json
import shutil
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

# The learners' processes: the launcher, forked once per learner (see the module docstring).
LAUNCHER = textwrap.dedent("""
    import gc, json, os, random, sys, time, traceback
    from fmse_widgets.recording import ExerciseEvent, utc_now
    from fmse_widgets.records import StoreRecorder
    from fmse_widgets.records import postgres
    from fmse_widgets.records.progress import completion_rule, page_exercises
    from fmse_widgets.records.recorder import store_at

    url, out, answers, window, start, learners = (sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
                                                  float(sys.argv[5]), sys.argv[6:])
    flat = [(page, exercise) for page, ids in page_exercises().items() for exercise in ids]  # the page's load:
    completion_rule()  # its exercises' content read, as its progress bar and exercises read it
    assert not postgres._IDLE, "the launcher holds no connection: each learner's process makes its own"
    gc.freeze()  # the imported code stays shared with the forked processes instead of being copied by the collector


    def learner_process(n, learner):
        recorder = StoreRecorder(learner, store_factory=lambda: store_at(url))
        with store_at(url) as store:  # the page's load: its records are opened and its learner found
            assert store.learner(learner) is not None
        open(os.path.join(out, learner + ".ready"), "w").close()
        phase = random.Random(n).random()  # learners answer independently: each at its own moment of the interval
        times = []
        for i in range(answers):
            due = start + window * (i + phase) / answers
            if time.time() < due:
                time.sleep(due - time.time())
            page, exercise = flat[i % len(flat)]
            event = ExerciseEvent(exercise, page, "en", ("a",), 1.0, True, utc_now(), utc_now())
            began = time.perf_counter()
            recorder.record(event)
            times.append((time.perf_counter() - began) * 1000)
        with open(os.path.join(out, learner + ".part"), "w") as f:
            json.dump(times, f)
        os.rename(os.path.join(out, learner + ".part"), os.path.join(out, learner + ".json"))
        while not os.path.exists(os.path.join(out, "release")):  # alive, with its connection, until the
            time.sleep(0.5)                                      # benchmark has measured memory


    children = {}
    for n, learner in enumerate(learners):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                learner_process(n, learner)
            except BaseException:
                with open(os.path.join(out, learner + ".error"), "w") as f:
                    f.write(traceback.format_exc())
                code = 1
            finally:
                postgres._close_idle()
                os._exit(code)
        children[pid] = learner
    failed = 0
    while children:
        pid, status = os.wait()
        if children.pop(pid, None) is not None and status != 0:
            failed += 1
    print(json.dumps({"processes": len(learners), "failed": failed}))
""")


def memory_mib(processes) -> float:
    """The processes' proportional set size (shared pages divided among their sharers), MiB."""
    import psutil

    total = 0
    for process in processes:
        try:
            total += process.memory_full_info().pss
        except psutil.Error:
            pass
    return round(total / 2**20)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def new_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def writing(admin_url: str, cluster_pid: int, args) -> dict:
    import psutil

    from fmse_widgets.records.postgres import _close_idle
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
    _close_idle()  # the benchmark's own connection is not one of the learners'
    out = Path(tempfile.mkdtemp(prefix="fmse-bench-writers-"))
    start = time.time() + 10 + args.learners * 0.1  # every process forked and connected before the first answer
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, url, str(out), str(args.answers),
                                 str(args.window), str(start), *learners],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server = psutil.Process(cluster_pid)

    def measure() -> dict:
        writers = [psutil.Process(launcher.pid), *psutil.Process(launcher.pid).children()]
        return {"learner_processes": len(writers) - 1, "learners_mib": memory_mib(writers),
                "cluster_mib": memory_mib([server, *server.children()]), "connections": connections(admin_url)}

    def wait_for(suffix: str, deadline: float) -> None:
        while (len(list(out.glob("*" + suffix))) < len(learners) and not list(out.glob("*.error"))
               and launcher.poll() is None and time.time() < deadline):
            time.sleep(0.5)

    wait_for(".ready", start - 1)
    before = measure()   # every learner's process connected (unless the start came first), none answering yet
    before["ready_before_start"] = len(list(out.glob("*.ready")))
    wait_for(".json", start + args.window + 600)
    after = measure()    # every learner has saved every answer; their processes are still alive
    (out / "release").touch()
    out_text, err = launcher.communicate(timeout=600)
    failures = [p.read_text()[-800:] for p in out.glob("*.error")]
    if launcher.returncode or failures:
        raise RuntimeError(f"a writer failed: {(failures or [err])[0][-800:]}")
    report = json.loads(out_text)
    times: list[float] = []
    for learner in learners:
        times += json.loads((out / f"{learner}.json").read_text())
    shutil.rmtree(out, ignore_errors=True)
    with store_at(url) as store:
        saved = len(store.events())
        completions = len(store.completions())
    _close_idle()
    return {"processes": report["processes"], "failed_processes": report["failed"], "answers_saved": saved,
            "answers_expected": args.learners * args.answers, "answers_timed": len(times),
            "completions_recorded": completions, "window_s": args.window,
            "save_ms_p50": round(statistics.median(times), 1), "save_ms_p95": round(percentile(times, 0.95), 1),
            "save_ms_p99": round(percentile(times, 0.99), 1), "save_ms_max": round(max(times), 1),
            "target_p95_ms": 50, "memory_before_first_answer": before, "memory_after_last_answer": after}


def connections(admin_url: str) -> int:
    """Client connections the cluster has open now (the benchmark's own included)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                            ).fetchone()[0]


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
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])  # the server's memory is measured
        result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "max_connections": max_connections,
                  "writing": writing(cluster.url, postmaster, args), "reading": reading(cluster.url, args)}
    finally:
        cluster.remove()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
