"""Stability: load every page of the course many times in a row, as a browser does, and look for hangs and for
page processes (kernels) left behind. Prints its figures; exits 1 when a target is missed.

  python benchmarks/stability.py                 # every page 100 times (hours on a 2-core machine)
  python benchmarks/stability.py --loads 5       # every page 5 times (the tests run this)
  python benchmarks/stability.py --http          # plain HTTP instead of Chromium (server-side render only)

It starts the real `fmse-course serve` on a spare port of 127.0.0.1 with a short idle cull (`--cull-idle`,
default 20 s), with a throwaway data folder. Each load opens the page in Debian's headless Chromium (a new tab),
waits until the course template says the page is ready (`data-fmse-ready`, set once Voilà has run every cell
and the widgets are on the page), and closes the tab, as a learner moving on would. Targets (issue 8):

  - hangs: a page not fully rendered within 30 s  [0]
  - kernels left once the cull interval has passed after the last load, besides the warm kernels the server
    keeps waiting for the likely next pages (`--warm`, widgets/warm.py)  [0]

Kernels are counted as the server's child processes running ipykernel (Voilà 0.5 has no kernel-listing API).
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fmse_widgets.processes import free_port, kernel_processes, stop_server  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]  # nothing from outside this computer
READY = "() => document.documentElement.dataset.fmseReady === 'true'"



class Server:
    """The real course server, started and stopped by process id (its kernels too)."""

    def __init__(self, cull_idle: int, data_dir: Path, warm: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "serve.log"
        self._log = self.log_path.open("w")
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "FMSE_DATA_DIR": str(data_dir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fmse_widgets.cli", "serve", "--port", str(self.port), "--no-browser",
             "--cull-idle", str(cull_idle), "--warm", str(warm)], stdout=self._log, stderr=subprocess.STDOUT,
            env=env, cwd=ROOT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the course server stopped at start:\n{self.log_path.read_text()}")
            try:
                urllib.request.urlopen(self.base + "/voila/static/nothing", timeout=5)
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("the course server did not answer within 120 s")

    def kernels(self) -> list[int]:
        return [k.pid for k in kernel_processes(self.process.pid)]

    def memory_mib(self) -> float:
        import psutil

        try:
            return psutil.Process(self.process.pid).memory_info().rss / 2**20
        except psutil.Error:
            return 0.0

    def stop(self) -> None:
        stop_server(self.process)
        self._log.close()


class BrowserLoader:
    def __init__(self, timeout: float):
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise SystemExit(f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH, apt-get install chromium, or use --http)")
        self.timeout_ms = int(timeout * 1000)
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # One context, its HTTP cache on, as a learner's browser (CHROMIUM_ARGS keeps every other host away:
        # Playwright's context.route() would turn the cache off).
        self.context = self.browser.new_context()

    def load(self, url: str) -> tuple[bool, str]:
        page = self.context.new_page()
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=self.timeout_ms)
            page.wait_for_function(READY, timeout=self.timeout_ms)
            errors = page.locator(".fmse-cell-error").count()
            return True, ("page shows an error" if errors else "")
        except Exception as exc:  # playwright's TimeoutError and navigation errors: a hang or a failure
            return False, type(exc).__name__
        finally:
            page.close()  # the tab closes, as when a learner moves on: Voilà's kernel is left for the cull

    def close(self) -> None:
        self.context.close()
        self.browser.close()
        self._playwright.stop()


class HttpLoader:
    """Voilà 0.5 runs every cell before it answers the page's GET, so the answer is the server-side render."""

    def __init__(self, timeout: float):
        self.timeout = timeout

    def load(self, url: str) -> tuple[bool, str]:
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                body = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return True, f"HTTP {error.code}"
        except OSError as exc:
            return False, type(exc).__name__
        return True, ("page shows an error" if "fmse-cell-error" in body else "")

    def close(self) -> None:
        pass


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def kernel_ids(pids: list[int]) -> list[str]:
    """The kernel ids of these kernel processes (from their connection file's name, kernel-<id>.json)."""
    import psutil

    ids = []
    for pid in pids:
        try:
            found = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(psutil.Process(pid).cmdline()))
        except psutil.Error:
            found = None
        ids.append(found.group(1) if found else f"pid {pid}")
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=100, help="loads of each page (default 100)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a load counts as a hang (30)")
    parser.add_argument("--cull-idle", type=int, default=20, help="the server's --cull-idle, in seconds (20)")
    parser.add_argument("--http", action="store_true", help="load with plain HTTP GETs instead of Chromium")
    parser.add_argument("--pages", nargs="*", help="only these pages (paths under notebooks/), for a quick look")
    parser.add_argument("--logs", type=Path, help="keep the server's log in this folder (serve.log)")
    parser.add_argument("--warm", type=int, default=None,
                        help="the server's --warm: warm kernels kept for the likely next pages (its default)")
    args = parser.parse_args(argv)
    from fmse_widgets.warm import DEFAULT_WARM, WarmPlan

    warm = DEFAULT_WARM if args.warm is None else args.warm
    waiting = len(WarmPlan(warm).warm())  # warm kernels the server keeps waiting once its pools are full

    from fmse_widgets.course import pages

    paths = args.pages or [p.path for p in pages()]
    cull_interval = max(1, min(60, args.cull_idle // 2))  # what `fmse-course serve` sets
    data_dir = Path(tempfile.mkdtemp(prefix="fmse-stability-"))
    print(f"stability: {len(paths)} pages x {args.loads} loads, {'HTTP' if args.http else 'Chromium'}, "
          f"hang = not ready within {args.timeout:g} s, cull idle {args.cull_idle} s (interval {cull_interval} s), "
          f"--warm {warm}")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", flush=True)
    server = Server(args.cull_idle, data_dir, warm)
    loader = None
    times: list[float] = []
    hangs: list[str] = []
    failures: list[str] = []
    peak_kernels, peak_memory = 0, 0.0
    started = time.monotonic()
    try:
        loader = HttpLoader(args.timeout) if args.http else BrowserLoader(args.timeout)
        for round_number in range(1, args.loads + 1):
            for path in paths:
                url = f"{server.base}/voila/render/{path}"
                t0 = time.monotonic()
                finished, problem = loader.load(url)
                took = time.monotonic() - t0
                if not finished or took > args.timeout:
                    hangs.append(f"round {round_number}: {path} ({problem or f'{took:.1f} s'})")
                else:
                    times.append(took)
                    if problem:
                        failures.append(f"round {round_number}: {path}: {problem}")
            peak_kernels = max(peak_kernels, len(server.kernels()))
            peak_memory = max(peak_memory, server.memory_mib())
            print(f"  round {round_number}/{args.loads}: {len(times)} loads done, {len(hangs)} hangs, "
                  f"{len(server.kernels())} kernels alive, {time.monotonic() - started:.0f} s", flush=True)
        loader.close()
        loader = None
        wait = args.cull_idle + 2 * cull_interval + 10
        print(f"  waiting {wait} s for the cull (idle {args.cull_idle} s + two intervals of {cull_interval} s + 10)",
              flush=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and len(server.kernels()) > waiting:
            time.sleep(1)
        # Idle means no activity for cull_idle seconds: allow the full wait before judging.
        time.sleep(max(0.0, deadline - time.monotonic()) if len(server.kernels()) > waiting else 0)
        # Warm kernels wait for their pages by design (never culled): what is left beyond them are page kernels.
        left = server.kernels()[waiting:]
        alive = kernel_ids(server.kernels()) if left else []
    finally:
        if loader is not None:
            loader.close()
        server.stop()
    total = len(times) + len(hangs)
    print(f"loads: {total} ({len(paths)} pages x {args.loads}) in {time.monotonic() - started:.0f} s")
    if times:
        print(f"load time: median {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s, "
              f"max {max(times):.2f} s")
    print(f"kernels alive at most (sampled after each round): {peak_kernels}; server memory at most "
          f"{peak_memory:.0f} MiB")
    print(f"hangs (not ready within {args.timeout:g} s): {len(hangs)}  [target 0]")
    for hang in hangs[:20]:
        print(f"  {hang}")
    print(f"pages that showed an error: {len(failures)}")
    for failure in failures[:20]:
        print(f"  {failure}")
    print(f"kernels left after the cull interval: {len(left)}  [target 0] (besides the {waiting} warm kernels "
          f"waiting for pages, by design)")
    if left:
        # Which they are: the server's log names each kernel id as it starts, is taken and is shut down.
        print(f"  kernels alive then ({len(alive)}; the {waiting} warm ones among them): {', '.join(alive)}")
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
        shutil.copy(server.log_path, args.logs / "serve.log")
        print(f"server log kept: {args.logs / 'serve.log'}")
    shutil.rmtree(data_dir, ignore_errors=True)
    missed = bool(hangs or left or failures)
    print("result: " + ("a target was missed" if missed else "both targets met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
