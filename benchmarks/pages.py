"""Pages in Chromium: `fmse-course serve` (warm pages) against stock Voilà, with and without its own preheated pools.

  python benchmarks/pages.py                  # 7 loads of each page on each server, both cache modes
  python benchmarks/pages.py --loads 1 --tiny # one load of two pages, warm cache only (the tests run this)

Three servers run at once on spare ports of 127.0.0.1, on the same notebooks/ and the same throwaway data folder,
all with idle kernels culled after 20 s:

  course   `fmse-course serve --warm N` (default N: the server's own default, widgets/warm.py)
  stock    `voila notebooks/` (a kernel started for each page view)
  preheat  `voila notebooks/` with Voilà's preheated pools (`preheat_kernel`, a `voila.json` giving one warm
           kernel to each of the N pages `fmse-course serve --warm N` keeps warm when it starts: the same total)

Each load opens the page in Debian's headless Chromium and takes the time from navigation until every widget is
drawn, read in the page (`performance.now()`, whose zero is the navigation): Voilà's spinner gone, the cells
shown, every cell output turned into DOM, every widget output holding its view and at least one widget on the
page. The same test runs on all three servers (the course template's own `data-fmse-ready` waits 300 ms more for
the page to settle, so it is not used). Loads alternate between the servers (the server that goes first turns
round each time). Each load starts once the machine is quiet (`--settle`: at least 4 s after the load before it,
when the servers have begun replacing a used warm kernel (they wait 1 s, the course 3 s), and then all cores
together under 10 % busy over half a second, waited for at most that many seconds): three servers share this
machine, and without the wait a measured load competed with whatever the load before it left running on another
server (a used warm kernel being replaced, a stock kernel starting its notebook), which no learner's server does
with the others' pages. Loads one straight after another, as before 7 December 2026, are `--settle 0`. Two
cache modes:

  warm cache  one browser context per server that has already loaded a course page (the glossary), each
              load in a new tab of it, as a learner moving through the course
  fresh       a new browser context (empty cache, no cookies) for every load

Pages: the landing page, the first module in English and in Welsh (where the landing page's Start links go), the
dashboard (sample data), and the next module opened from a module's "Next" link after `--read` seconds on it
(a learner reads a module before going on; the time is from the click). Targets (issue 22):

  module pages and the landing page: median <= 0.5 x stock, and below preheat
  dashboard: median <= 0.6 x stock
  next module from the "Next" link: median <= 1.0 s
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
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

from fmse_widgets.processes import free_port, stop_server  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Nothing from outside this computer (the stock template links Font Awesome from a CDN): every host name but
# 127.0.0.1 fails to resolve. Not Playwright's `context.route()`, which turns the browser's HTTP cache off (so
# "warm cache" would not be: before 7 December 2026 every load fetched all 4.7 MB of scripts again).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
CULL_IDLE = 20
WARM_UP = "en/glossary.ipynb"  # the page each warm-cache context loads first (not measured)
# Every widget drawn: the same test on the course template and on stock Voilà's lab template.
DRAWN = """() => {
  const cells = document.getElementById("rendered_cells");
  if (!cells || document.getElementById("loading") || cells.style.display === "none") return false;
  if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
  const outputs = cells.querySelectorAll(".jp-OutputArea-output.lm-Panel");
  if (Array.prototype.some.call(outputs, el => el.children.length === 0)) return false;
  if (!cells.querySelector(".jupyter-widgets")) return false;
  return performance.now();
}"""
# Bytes of scripts and style sheets that came over the network (not from the browser's cache) for the page.
FETCHED = """() => performance.getEntriesByType('resource')
  .filter(r => r.initiatorType === 'script' || r.initiatorType === 'link')
  .reduce((sum, r) => sum + r.transferSize, 0)"""
SERVERS = ("course", "stock", "preheat")
TARGETS = {"landing": ("stock", 0.5), "module-en": ("stock", 0.5), "module-cy": ("stock", 0.5),
           "dashboard": ("stock", 0.6)}


class Server:
    """One server, started and stopped by process id (its kernels too)."""

    def __init__(self, name: str, argv: list[str], env: dict, cwd: Path, log: Path):
        self.name, self.port = name, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = log.open("w")
        argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.process = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=cwd)

    def wait(self, pools: int = 0, timeout: float = 300) -> None:
        """Until the server answers and (`pools`) that many warm-kernel pools say they are full."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped at start:\n{self.log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.base + "/voila/static/nothing", timeout=5)
            except urllib.error.HTTPError:
                self._log.flush()
                if self.log_path.read_text(errors="replace").count("Kernel pool of") >= pools:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"{self.name} was not ready within {timeout:.0f} s:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        stop_server(self.process)
        self._log.close()


def start_servers(warm: int, work: Path) -> dict[str, Server]:
    from fmse_widgets.paths import notebooks_dir
    from fmse_widgets.warm import WarmPlan

    notebooks = str(notebooks_dir())
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "FMSE_DATA_DIR": str(work / "data")}
    cull = [f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
            f"--MappingKernelManager.cull_interval={CULL_IDLE // 2}"]
    voila = str(Path(sys.executable).with_name("voila"))
    stock_argv = [voila, notebooks, "--no-browser", "--port={port}", "--Voila.ip=127.0.0.1",
                  "--Voila.port_retries=0", *cull]
    plain, pooled = work / "stock", work / "preheat"
    plain.mkdir()
    pooled.mkdir()
    warm_pages = WarmPlan(warm).warm()
    (pooled / "voila.json").write_text(json.dumps({
        "VoilaConfiguration": {"preheat_kernel": True, "default_pool_size": 0},
        "VoilaKernelManager": {"kernel_pools_config": {"default": {"pool_size": 0},
                                                       **{p: {"pool_size": 1} for p in warm_pages}}}}))
    servers = {
        "course": Server("course", [sys.executable, "-m", "fmse_widgets.cli", "serve", "--port", "{port}",
                                    "--no-browser", "--cull-idle", str(CULL_IDLE), "--warm", str(warm)],
                         env, ROOT, work / "course.log"),
        "stock": Server("stock", stock_argv, env, plain, work / "stock.log"),
        "preheat": Server("preheat", stock_argv, env, pooled, work / "preheat.log"),
    }
    servers["course"].wait(pools=len(warm_pages))
    servers["stock"].wait()
    servers["preheat"].wait(pools=len(warm_pages))
    return servers


class Browser:
    def __init__(self, timeout: float):
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise SystemExit(f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)")
        self.timeout_ms = int(timeout * 1000)
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.warm_contexts: dict[str, object] = {}

    def context(self):
        return self.browser.new_context()

    def warm_context(self, server: Server):
        """The server's own context, which has already loaded a course page (cache warm): the glossary, a page no
        server keeps warm, so the measured pages find their warm kernels where they were."""
        if server.name not in self.warm_contexts:
            context = self.context()
            page = context.new_page()
            page.goto(f"{server.base}/voila/render/{WARM_UP}", timeout=self.timeout_ms)
            page.wait_for_function(DRAWN, timeout=self.timeout_ms, polling="raf")
            page.close()
            self.warm_contexts[server.name] = context
        return self.warm_contexts[server.name]

    def load(self, context, url: str, then_next: float | None = None) -> tuple[float, int]:
        """Seconds from navigation until every widget is drawn, and the bytes of scripts and style sheets fetched
        over the network for it; with `then_next`, wait that long on the page, follow its "Next" link and time
        the next page from the click instead."""
        page = context.new_page()
        try:
            page.goto(url, timeout=self.timeout_ms)
            took = page.wait_for_function(DRAWN, timeout=self.timeout_ms, polling="raf").json_value() / 1000
            if then_next is not None:
                time.sleep(then_next)
                with page.expect_navigation(timeout=self.timeout_ms):
                    page.locator("a[rel=next]").first.click()
                took = page.wait_for_function(DRAWN, timeout=self.timeout_ms, polling="raf").json_value() / 1000
            return took, int(page.evaluate(FETCHED))
        finally:
            page.close()

    def close(self) -> None:
        for context in self.warm_contexts.values():
            context.close()
        self.browser.close()
        self._playwright.stop()


QUIET_PERCENT = 10.0
QUIET_AFTER = 4.0  # seconds after a load before the next: a used warm kernel's replacement has begun by then


def settle(most: float, last_load: float | None = None) -> float | None:
    """Wait until the machine is quiet: QUIET_AFTER seconds after `last_load` (time.monotonic() when the load
    before ended), then every core together under QUIET_PERCENT busy over half a second, for at most `most`
    seconds in all; the seconds waited, or None when it was not quiet by then."""
    import psutil

    if most <= 0:
        return 0.0
    started = time.monotonic()
    if last_load is not None:
        time.sleep(max(0.0, min(most, last_load + QUIET_AFTER - started)))
    while True:
        if psutil.cpu_percent(interval=0.5) < QUIET_PERCENT:
            return time.monotonic() - started
        if time.monotonic() - started >= most:
            return None


def page_paths(tiny: bool) -> dict[str, str]:
    from fmse_widgets.course import modules, pages

    first_en, first_cy = modules("en")[0].path, modules("cy")[0].path
    dashboard = next(p.path for p in pages() if p.kind == "dashboard" and p.lang == "en")
    found = {"landing": "index.ipynb", "module-en": first_en, "module-cy": first_cy, "dashboard": dashboard,
             "next": first_en}
    return {k: found[k] for k in ("landing", "module-cy")} if tiny else found


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def spread(course: list[float], preheat: list[float]) -> str:
    """How far apart two medians are, against how far one server's own loads spread (fastest to slowest): a
    difference smaller than the spread is not one the run can tell."""
    gap = abs(median(course) - median(preheat))
    widths = [max(v) - min(v) for v in (course, preheat) if len(v) > 1]
    if not widths:
        return f"{gap:.2f} s apart; one load each, so no spread"
    inside = gap < min(widths)
    return (f"{gap:.2f} s apart, the loads of each spread {widths[0]:.2f} s and {widths[-1]:.2f} s: "
            + ("inside the spread" if inside else "beyond the spread"))


def report(results: dict, modes: list[str], pages: dict[str, str]) -> list[str]:
    """The table and each target's distance, as lines."""
    lines = []
    for mode in modes:
        lines.append(f"\n{mode} cache: median seconds until every widget is drawn (loads)")
        lines.append(f"{'page':12}{'course':>14}{'stock':>14}{'preheat':>14}{'course/stock':>14}"
                     f"{'course/preheat':>16}")
        for key in pages:
            m = {s: median(results[mode][key][s]) for s in SERVERS}
            n = len(results[mode][key]["course"])
            cells = "".join(f"{m[s]:>10.2f} ({len(results[mode][key][s])})" if m[s] is not None else f"{'-':>14}"
                            for s in SERVERS)
            ratio = (f"{m['course'] / m['stock']:>14.2f}{m['course'] / m['preheat']:>16.2f}"
                     if None not in m.values() and n else "")
            lines.append(f"{key:12}{cells}{ratio}")
        for key, (against, most) in TARGETS.items():
            if key not in pages:
                continue
            m = {s: median(results[mode][key][s]) for s in SERVERS}
            if None in m.values():
                continue
            ratio = m["course"] / m[against]
            verdict = "met" if ratio <= most else f"missed by {ratio - most:.2f}"
            lines.append(f"target {mode} {key}: course <= {most} x {against}: {ratio:.2f} x ({verdict})")
            if key != "dashboard":
                below = m["course"] < m["preheat"]
                lines.append(f"target {mode} {key}: course below preheat: {m['course']:.2f} s against "
                             f"{m['preheat']:.2f} s ({'met' if below else 'missed'}; "
                             f"{spread(results[mode][key]['course'], results[mode][key]['preheat'])})")
        if "next" in pages and results[mode]["next"]["course"]:
            m = median(results[mode]["next"]["course"])
            lines.append(f"target {mode} next: course <= 1.0 s: {m:.2f} s "
                         f"({'met' if m <= 1.0 else f'missed by {m - 1.0:.2f} s'})")
    return lines


def main(argv: list[str] | None = None) -> int:
    from fmse_widgets.warm import DEFAULT_WARM

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=7, help="loads of each page on each server, per mode (7)")
    parser.add_argument("--warm", type=int, default=DEFAULT_WARM,
                        help=f"the course server's --warm, and the preheat pools' total (default {DEFAULT_WARM})")
    parser.add_argument("--read", type=float, default=5.0, help="seconds on a module before its Next link (5)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a load fails (60)")
    parser.add_argument("--settle", type=float, default=30,
                        help="before each load, wait at most this many seconds for the machine to be quiet "
                             f"(under {QUIET_PERCENT:.0f} %% busy); 0: loads straight after each other (30)")
    parser.add_argument("--tiny", action="store_true", help="two pages, warm cache only (the tests)")
    parser.add_argument("--modes", nargs="+", choices=("warm", "fresh"), default=["warm", "fresh"],
                        help="cache modes to run (default both)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    args = parser.parse_args(argv)

    pages = page_paths(args.tiny)
    modes = ["warm"] if args.tiny else args.modes
    # Stopped with SIGTERM (kill PID), still stop the three servers and their kernels (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(timezone.utc)
    print(f"pages: {args.loads} loads x {len(pages)} pages x {len(SERVERS)} servers x {len(modes)} cache modes, "
          f"Chromium; --warm {args.warm}")
    print(f"each load starts when the machine is quiet (under {QUIET_PERCENT:.0f} % busy), waiting at most "
          f"{args.settle:.0f} s" if args.settle > 0 else "loads straight after each other (--settle 0)")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"{started:%Y-%m-%d %H:%M} UTC, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
          flush=True)
    work = Path(tempfile.mkdtemp(prefix="fmse-pages-"))
    results = {mode: {key: {s: [] for s in SERVERS} for key in pages} for mode in modes}
    network: dict[str, dict[str, list[int]]] = {mode: {s: [] for s in SERVERS} for mode in modes}
    failures: list[str] = []
    waits: list[float | None] = []
    servers: dict[str, Server] = {}
    browser = None
    try:
        servers = start_servers(args.warm, work)
        browser = Browser(args.timeout)
        turn = 0
        last_load = None
        for round_number in range(1, args.loads + 1):
            for key, path in pages.items():
                for mode in modes:
                    order = SERVERS[turn % 3:] + SERVERS[:turn % 3]  # who goes first turns round
                    turn += 1
                    for name in order:
                        server = servers[name]
                        context = browser.warm_context(server) if mode == "warm" else browser.context()
                        waits.append(settle(args.settle, last_load))
                        try:
                            took, fetched = browser.load(context, f"{server.base}/voila/render/{path}",
                                                         then_next=args.read if key == "next" else None)
                            results[mode][key][name].append(took)
                            network[mode][name].append(fetched)
                        except Exception as exc:  # noqa: BLE001 - a timeout or a navigation error: a failure
                            failures.append(f"round {round_number} {mode} {key} {name}: {type(exc).__name__}")
                        finally:
                            last_load = time.monotonic()
                            if mode == "fresh":
                                context.close()
            print(f"  round {round_number}/{args.loads} done, load average "
                  f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    finally:
        if browser is not None:
            browser.close()
        for server in servers.values():
            server.stop()
    lines = report(results, modes, pages)
    for mode in modes:  # shows whether the cache was warm: a warm load fetches (almost) nothing
        lines.append(f"{mode} cache: scripts and style sheets fetched over the network per load, median: " + ", ".join(
            f"{name} {statistics.median(network[mode][name]) / 1024:.0f} KiB" for name in SERVERS
            if network[mode][name]))
    if args.settle > 0:
        waited = [w for w in waits if w is not None]
        lines.append(f"waits for a quiet machine before a load: median {median(waited) or 0:.1f} s, longest "
                     f"{max(waited, default=0):.1f} s; not quiet within {args.settle:.0f} s: "
                     f"{sum(w is None for w in waits)} of {len(waits)}")
    print("\n".join(lines))
    print(f"failed loads: {len(failures)}")
    for failure in failures[:20]:
        print(f"  {failure}")
    if args.json:
        args.json.write_text(json.dumps({"date": f"{started:%Y-%m-%d %H:%M} UTC", "pages": pages,
                                         "warm": args.warm, "settle": args.settle, "waits": waits,
                                         "results": results, "fetched_bytes": network,
                                         "failures": failures},
                                        indent=1))
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
        for log in work.glob("*.log"):
            shutil.copy(log, args.logs / log.name)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
