"""Benchmark of the safeguarding lead's dashboard, driving the real dashboard code. Prints its figures.

  python benchmarks/dashboard.py            # the full run: 1,000,000 generated rows (a few minutes)
  python benchmarks/dashboard.py --tiny     # every step at a tiny size, in seconds (the tests run this)

What it measures (targets from issue 5 in brackets):
  1. data work of a filter change (filter + aggregate, `CaseTable.summarise`), median and p95, beside the same
     query and aggregates written in plain pandas on the same DataFrame, in the same run  [median <= 50 ms and
     <= 3x plain pandas];
  2. the whole update of the "Case patterns" tab after a filter change: figures, charts, tables, everything
     the page shows (`CasePatterns`, the widget the page uses; the browser's drawing is not included)  [<= 250 ms];
  3. the dashboard kernel's memory: a real ipykernel runs the dashboard notebook's code on 10,000 and on
     1,000,000 rows  [<= 150 MiB at 10,000];
  4. time to first interactive widget: the real course server, Debian's Chromium, from navigation until the
     first filter can be used (skipped, and said so, when Chromium is missing).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from fmse_widgets.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Filter changes a DSP might make, one at a time (None: back to "all"); the sequence ends where it began.
CHANGES = [
    ("sex", "male"), ("age_band", "14-15"), ("sex", None), ("platform", "snapchat"), ("age_band", None),
    ("start", "2024-07"), ("local_authority", "cardiff"), ("demand_type", "gift-card"), ("local_authority", None),
    ("end", "2025-06"), ("platform", None), ("demand_type", None), ("start", None), ("end", None),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def plain_pandas(frame, f):
    """The same filter and aggregates as CaseTable.summarise, written as one would in plain pandas."""
    import pandas as pd

    from fmse_widgets.cases import schema as s

    mask = pd.Series(True, index=frame.index)
    if f.start:
        mask &= frame["month"] >= f.start
    if f.end:
        mask &= frame["month"] <= f.end
    if f.age_band:
        low, high = s.AGE_BANDS[f.age_band]
        mask &= frame["age"].between(low, high)
    for name, column in (("sex", "sex"), ("platform", "first_contact_platform"), ("demand_type", "demand_type"),
                         ("local_authority", "local_authority")):
        if getattr(f, name):
            mask &= frame[column] == getattr(f, name)
    q = frame[mask]
    bands = pd.cut(q["age"], bins=[10, 13, 15, 17], labels=list(s.AGE_BANDS))
    return {
        "cases": len(q), "male": int((q["sex"] == "male").sum()),
        "within_hour": int((q["minutes_to_threat"] < 60).sum()),
        "over_day": int((q["minutes_to_threat"] >= 1440).sum()),
        "paid": int(q["paid"].sum()), "asked_again": int((q["paid"] & q["asked_again"]).sum()),
        "median_minutes": q["minutes_to_threat"].median(), "median_demand": q["demand_gbp"].median(),
        "by_month": q["month"].value_counts(sort=False),
        "by_age_band": pd.crosstab(bands, q["sex"]),
        "by_platform": q["first_contact_platform"].value_counts(sort=False),
        "by_demand": q["demand_type"].value_counts(sort=False),
        "by_local_authority": q.groupby("local_authority", observed=False)[
            ["paid", "police_informed", "report_remove_used"]].agg(["size", "sum"]),
    }


def filters():
    """The sequence of CaseFilter values that CHANGES produce, starting from "all"."""
    from fmse_widgets.cases.query import CaseFilter

    state: dict = {}
    for name, value in CHANGES:
        state[name] = value
        yield CaseFilter(**{k: v for k, v in state.items() if v is not None})


def data_work(table, repeat: int) -> dict:
    ours, plain = [], []
    sequence = list(filters())
    for _ in range(repeat):
        for f in sequence:
            t = time.perf_counter()
            summary = table.summarise(f)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            reference = plain_pandas(table.frame, f)
            plain.append(time.perf_counter() - t)
            assert summary.cases == reference["cases"] and summary.paid == reference["paid"], f
    return {"ours": ours, "plain": plain}


def whole_update(table, repeat: int) -> list[float]:
    from fmse_widgets.dashboard.patterns import ALL, CasePatterns

    view = CasePatterns(table, "en")
    updates = []
    real_update = view.update
    view.update = lambda: (updates.append(1), real_update())   # count that each change redrew the tab
    times = []
    for _ in range(repeat):
        for name, value in CHANGES:
            if value is None:
                value = {"start": table.months[0], "end": table.months[-1]}.get(name, ALL)
            t = time.perf_counter()
            view.filters[name].value = value      # observe() runs the whole update, as in the page
            times.append(time.perf_counter() - t)
    assert len(updates) == len(times), "a filter change did not update the tab"
    return times


def kernel_memory(path: Path, workdir: Path) -> tuple[float, float]:
    """(resident, peak) MiB of a fresh ipykernel after running the dashboard notebook's code on `path`."""
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "FMSE_CASES": str(path), "FMSE_DATA_DIR": str(workdir)}
    notebook = json.loads((ROOT / "notebooks/en/dashboard.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks/en"), env=env)
    try:
        for source in cells:
            reply = client.execute_interactive(source, timeout=300, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"cell failed: {source[:60]!r}: {reply['content'].get('evalue')}")
        status = Path(f"/proc/{manager.provisioner.pid}/status").read_text().splitlines()
        found = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in status
                 if line.startswith(("VmRSS:", "VmHWM:"))}
        return found["VmRSS"], found["VmHWM"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)



def first_interactive(cases: Path | None, workdir: Path, loads: int) -> list[float]:
    """Seconds from navigation until the dashboard's first filter can be used, over `loads` cold page loads."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "FMSE_DATA_DIR": str(workdir), "PYTHONUNBUFFERED": "1"}
    if cases:
        env["FMSE_CASES"] = str(cases)
    log = (workdir / f"serve-{port}.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "fmse_widgets.cli", "serve", "--port", str(port),
                               "--no-browser", "--warm", "0"], stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/voila/static/course.css", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the course server did not start") from None
                time.sleep(0.3)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for _ in range(loads):
                context = browser.new_context()
                context.route("**/*", lambda route: route.continue_()
                              if route.request.url.startswith((base, "data:", "blob:")) else route.abort())
                page = context.new_page()
                t = time.perf_counter()
                page.goto(f"{base}/voila/render/en/dashboard.ipynb", wait_until="commit", timeout=120_000)
                page.wait_for_function(
                    "() => { const s = document.querySelector('.fmse-filters select');"
                    " return s && !s.disabled && s.offsetParent !== null; }", timeout=180_000, polling=20)
                times.append(time.perf_counter() - t)
                context.close()
            browser.close()
        return times
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="every step at a tiny size (for the tests)")
    parser.add_argument("--rows", type=int, help="rows for the data work and whole update (default 1,000,000)")
    parser.add_argument("--no-browser", action="store_true", help="skip the time to first interactive widget")
    args = parser.parse_args(argv)
    rows = args.rows or (3000 if args.tiny else 1_000_000)
    repeat = 1 if args.tiny else 5
    memory_sizes = (1000, 3000) if args.tiny else (10_000, 1_000_000)
    loads = 1 if args.tiny else 5

    from fmse_widgets.cases.generate import write
    from fmse_widgets.cases.query import CaseTable
    from fmse_widgets.cases.validate import load_cases

    print(f"Dashboard benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    with tempfile.TemporaryDirectory(prefix="fmse-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        big = write(rows, 1, work / f"cases-{rows}.csv", progress=False)
        generated = time.perf_counter() - t
        t = time.perf_counter()
        table = CaseTable(load_cases(big))
        loaded = time.perf_counter() - t
        print(f"\nRows: {rows:,} (generated in {generated:.1f} s, validated and loaded in {loaded:.2f} s)")

        work_times = data_work(table, repeat)
        ours, plain = work_times["ours"], work_times["plain"]
        ratio = statistics.median(ours) / statistics.median(plain)
        print(f"\n1. Data work of a filter change ({len(ours)} changes)")
        print(f"   dashboard (CaseTable.summarise): median {ms(statistics.median(ours))}, "
              f"p95 {ms(percentile(ours, 0.95))}")
        print(f"   plain pandas, same query:        median {ms(statistics.median(plain))}, "
              f"p95 {ms(percentile(plain, 0.95))}")
        print(f"   ratio (dashboard / plain pandas): {ratio:.2f}x    "
              f"[target: median <= 50 ms and <= 3x: "
              f"{'met' if statistics.median(ours) <= 0.050 and ratio <= 3 else 'NOT met'}]")

        updates = whole_update(table, repeat)
        print(f"\n2. Whole update after a filter change ({len(updates)} changes; figures, charts, tables)")
        print(f"   median {ms(statistics.median(updates))}, p95 {ms(percentile(updates, 0.95))}    "
              f"[target: <= 250 ms: {'met' if statistics.median(updates) <= 0.250 else 'NOT met'}]")
        del table

        print("\n3. Dashboard kernel memory (the dashboard notebook run in a fresh ipykernel)")
        for size in memory_sizes:
            path = big if size == rows else write(size, 1, work / f"cases-{size}.csv", progress=False)
            resident, peak = kernel_memory(path, work)
            target = ""
            if size == 10_000:
                target = f"    [target: <= 150 MiB: {'met' if resident <= 150 else 'NOT met'}]"
            print(f"   {size:>9,} rows: {resident:6.1f} MiB resident, {peak:6.1f} MiB peak{target}")

        print("\n4. Time to first interactive widget (course server + Chromium, cold kernel per load)")
        if args.no_browser:
            print("   skipped (--no-browser)")
        elif not Path(CHROMIUM).exists():
            print(f"   skipped: no Chromium at {CHROMIUM} (set CHROMIUM_PATH)")
        else:
            for label, cases in (("sample (4,000 rows)", None), (f"{rows:,} rows", big)):
                times = first_interactive(cases, work, loads)
                print(f"   {label:>20}: median {statistics.median(times):5.2f} s, "
                      f"max {max(times):5.2f} s over {len(times)} load(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
