"""Learners at `fmse-course hub`: what one learner costs the machine, for the capacity table in docs/deploy.md.

What it does (HTTP and websocket clients, not browsers; needs root, as `fmse-course hub` does):
1. starts `fmse-course hub` on free ports of 127.0.0.1 with its own state folder (stopped by process id at the
   end, with the accounts it made); an administrator and N learners sign up, the administrator approves them;
2. the N learners sign in spread over `--spread` seconds (default 60: "within a minute"); each then, as a
   browser would: starts their server (the hub's spawn), opens a module page (Voilà renders it in a kernel),
   connects to that kernel's websocket and asks for the widgets' states until the page's widgets exist
   ("ready"), then answers the page's first choice exercise through the widgets' own comm messages (chooses an
   option, presses its check button) and waits for the kernel's feedback;
3. with every learner's module page open, the learners' process trees (their servers and kernels, found by
   their Unix accounts) are measured: resident memory and CPU seconds per learner; then each opens the
   dashboard page too, and the same is measured again (the dashboard is the DSP's: every learner here is also in
   the hub's fmse-dsp group, so this measures each as a DSP of their setting; staff are refused the page);
4. the hub's, the proxy's and the records service's own CPU seconds and memory over the whole run.

Usage (as root): python benchmarks/hub.py [--users 50] [--spread 60] [--module 01-context] [--tiny] [--json F]
--tiny: 2 learners, 5 s spread (the tests' run). Prints its figures; exit status 0 if every learner got a ready
module page, an answer's feedback and a ready dashboard and every answer is in the records, 1 if not, 2 if the hub cannot run here.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # hub_client: the hub and its people, as tests/test_hub.py drives them

from hub_client import Hub, HubPerson  # noqa: E402
from workshop import Participant, percentile  # noqa: E402  (benchmarks/workshop.py: a page over its websocket)

PASSWORD = "correct-horse-battery-9"
HANG_AFTER = 600.0  # seconds from sign-in: a learner still waiting by then is counted as failed
# Many servers starting at once on a small machine: let the hub start them all, and wait for them.
BENCH_CONFIG = """
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.active_server_limit = 0
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 600
"""


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def processes_by_part(hub: Hub) -> dict[str, list[psutil.Process]]:
    """The hub's process tree split by what each process is: learners' (their `fmse-u-*` accounts), the proxy,
    the records service (account `fmse-records`), the hub itself (the rest, `fmse-course hub` included)."""
    parts: dict[str, list[psutil.Process]] = {"learners": [], "proxy": [], "records": [], "hub": []}
    try:
        root = psutil.Process(hub.process.pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return parts
    for process in tree:
        try:
            user = process.username()
            command = " ".join(process.cmdline())
        except psutil.Error:
            continue
        if user.startswith("fmse-u-"):
            parts["learners"].append(process)
        elif "configurable-http-proxy" in command:
            parts["proxy"].append(process)
        elif user == "fmse-records":
            parts["records"].append(process)
        else:
            parts["hub"].append(process)
    return parts


def measure(hub: Hub) -> dict[str, dict[str, float]]:
    """Resident memory (MiB) and CPU seconds used so far, summed over each part's live processes."""
    figures = {}
    for part, processes in processes_by_part(hub).items():
        rss = cpu = 0.0
        accounts = set()
        for process in processes:
            try:
                rss += process.memory_info().rss / 2**20
                cpu += process.cpu_times().user + process.cpu_times().system
                accounts.add(process.username())
            except psutil.Error:
                pass
        figures[part] = {"rss_mib": rss, "cpu_s": cpu, "processes": len(processes), "accounts": len(accounts)}
    return figures


def recorded_answers(hub: Hub) -> int:
    """How many answers the records service saved (its SQLite file in the hub's state folder)."""
    import sqlite3

    with sqlite3.connect(hub.state / "records" / "records.sqlite3") as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


def join_settings(hub: Hub, admin: HubPerson, names: list[str], per_setting: int = 10) -> None:
    """Staff belong to a setting (the records service refuses staff without one): hub groups
    fmse-setting-bench<k><suffix> of `per_setting` learners each, made through the hub's API as an administrator;
    and all of them in fmse-dsp (the dashboard step measures a DSP's dashboard)."""
    token = admin.api_token()
    # A hub user exists once they first sign in; the benchmark times that sign-in, so it makes them now.
    status, _, body = admin.request("/hub/api/users", method="POST", body=json.dumps({"usernames": names}).encode(),
                                    headers={"Authorization": f"token {token}"})
    if status not in (201, 409):
        raise RuntimeError(f"could not make the hub's users: {status} {body[:300]!r}")
    for k in range(0, len(names), per_setting):
        group = f"fmse-setting-bench{k // per_setting}{hub.suffix}"
        status, _, body = admin.request(f"/hub/api/groups/{group}", method="POST",
                                        body=json.dumps({"users": names[k:k + per_setting]}).encode(),
                                        headers={"Authorization": f"token {token}"})
        if status != 201:
            raise RuntimeError(f"could not make the hub group {group}: {status} {body[:300]!r}")
    # Each learner opens the dashboard too, which is the DSP's (staff are refused it): all are DSPs here.
    body_users = json.dumps({"users": names}).encode()
    headers = {"Authorization": f"token {token}"}
    status, _, body = admin.request("/hub/api/groups/fmse-dsp", method="POST", body=body_users, headers=headers)
    if status == 409:  # made by an earlier hub in the same database: add to it
        status, _, body = admin.request("/hub/api/groups/fmse-dsp/users", method="POST", body=body_users,
                                        headers=headers)
    if status not in (200, 201):
        raise RuntimeError(f"could not put the learners in the hub group fmse-dsp: {status} {body[:300]!r}")


async def open_ready(page: Participant, path: str) -> dict:
    """Open a course page and wait until its widgets exist in its kernel (as the page's widget manager asks)."""
    kernel_id = await page.open_page(path)
    await page.connect(kernel_id)
    return await page.widget_states()


async def answer_first_choice(page: Participant, states: dict) -> None:
    """Choose the first option of the page's first choice exercise and press its check button; return when the
    kernel sends the feedback (a widget's state changes)."""
    from fmse_widgets.i18n import translator

    check = translator("en").gettext("Check answer")
    await page.press(states, check, radio_index=0)
    while True:
        raw = await asyncio.wait_for(page.socket.read_message(), timeout=300)
        if raw is None:
            raise RuntimeError("the kernel's websocket closed before the answer's feedback")
        if isinstance(raw, bytes):
            continue
        message = json.loads(raw)
        if message.get("msg_type") == "comm_msg" and message["content"].get("data", {}).get("method") == "update":
            return


class Page(Participant):
    """The workshop benchmark's page client, whose kernel websocket waits as long as a learner would: tornado's
    20 s connect timeout failed 22 of 50 learners on a machine with a load average of 30."""

    async def connect(self, kernel_id: str) -> None:
        import uuid

        import tornado.httpclient
        import tornado.websocket

        url = self.base.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}"
        request = tornado.httpclient.HTTPRequest(url, headers=self._cookie(), connect_timeout=HANG_AFTER,
                                                 request_timeout=HANG_AFTER)
        self.socket = await tornado.websocket.websocket_connect(request, max_message_size=64 * 2**20)
        self.session = uuid.uuid4().hex


class Learner:
    def __init__(self, hub: Hub, name: str):
        self.person = HubPerson(hub.base, name, PASSWORD)
        self.base = f"{hub.base}/user/{name}"
        self.module: Page | None = None
        self.dashboard: Page | None = None

    def page_client(self) -> Participant:
        """A page client with this learner's hub cookies (the hub's cookie for their server among them)."""
        client = Page(self.base)
        client.cookies = {cookie.name: cookie.value for cookie in self.person.jar}
        return client

    async def to_module(self, module: str) -> dict:
        start = time.monotonic()
        await asyncio.to_thread(self.person.sign_in)
        await asyncio.to_thread(self.person.start_server, HANG_AFTER)
        spawned = time.monotonic() - start
        self.module = self.page_client()
        states = await open_ready(self.module, f"/voila/render/en/{module}.ipynb")
        ready = time.monotonic() - start
        await answer_first_choice(self.module, states)
        return {"spawned": spawned, "ready": ready, "answered": time.monotonic() - start}

    async def to_dashboard(self) -> float:
        start = time.monotonic()
        self.dashboard = self.page_client()
        await open_ready(self.dashboard, "/voila/render/en/dashboard.ipynb")
        return time.monotonic() - start

    async def leave(self) -> None:
        for page in (self.module, self.dashboard):
            if page is not None:
                await page.leave()


async def guarded(coroutine, delay: float = 0.0):
    await asyncio.sleep(delay)
    try:
        return await asyncio.wait_for(coroutine, HANG_AFTER)
    except Exception as exc:  # noqa: BLE001 - a learner who fails is counted and named, the others go on
        return {"failed": f"{type(exc).__name__}: {exc}"[:300]}


def per_learner(before: dict, after: dict, part: str) -> dict:
    """Per learner whose server is running (their account has processes): a learner who failed later on still
    has a server, which counts."""
    learners = max(1, after[part]["accounts"])
    return {"rss_mib": round(after[part]["rss_mib"] / learners, 1),
            "cpu_s": round((after[part]["cpu_s"] - before[part]["cpu_s"]) / learners, 2)}


async def run(args) -> dict:
    import tornado.httpclient

    # Every learner's page requests at once (tornado's default is 10 at a time, the rest queued and timed out).
    tornado.httpclient.AsyncHTTPClient.configure(None, max_clients=10 * args.users + 10,
                                                 defaults={"connect_timeout": HANG_AFTER})
    hub = Hub(Path(tempfile.mkdtemp(prefix="fmse-hub-bench-")), BENCH_CONFIG)
    learners: list[Learner] = []
    try:
        admin = HubPerson(hub.base, hub.admin, PASSWORD)
        admin.sign_up()
        admin.sign_in()
        learners = [Learner(hub, hub.name(f"l{i:04d}x")) for i in range(args.users)]
        for learner in learners:
            learner.person.sign_up()
            admin.approve(learner.person.name)
        join_settings(hub, admin, [learner.person.name for learner in learners])
        idle = measure(hub)
        start = time.monotonic()
        spread = args.spread / max(1, args.users)
        times = await asyncio.gather(*(guarded(learner.to_module(args.module), i * spread)
                                       for i, learner in enumerate(learners)))
        module_phase = time.monotonic() - start
        on_module = measure(hub)
        ok = [learner for learner, t in zip(learners, times) if "failed" not in t]
        start = time.monotonic()
        dashboard_times = await asyncio.gather(*(guarded(learner.to_dashboard()) for learner in ok))
        dashboard_phase = time.monotonic() - start
        on_dashboard = measure(hub)
        for learner in learners:
            await learner.leave()
        answers = recorded_answers(hub)
    finally:
        hub.stop()
    done = [t for t in times if "failed" not in t]
    failed = [t["failed"] for t in times if "failed" in t] + [
        t["failed"] for t in dashboard_times if isinstance(t, dict)]
    dash_done = [t for t in dashboard_times if not isinstance(t, dict)]
    ready = [t["ready"] for t in done] + [HANG_AFTER] * (len(times) - len(done))
    load = os.getloadavg()
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()}, {psutil.cpu_count()} cores, "
                   f"{round(psutil.virtual_memory().total / 2**30, 1)} GiB",
        "load_average": [round(x, 2) for x in load],
        "users": args.users, "spread_s": args.spread, "module": args.module,
        "failed": len(failed), "failures": failed[:5], "answers_recorded": answers,
        "sign_in_to_ready_p50_s": round(statistics.median(ready), 1),
        "sign_in_to_ready_p95_s": round(percentile(ready, 0.95), 1),
        "spawn_p95_s": round(percentile([t["spawned"] for t in done] or [HANG_AFTER], 0.95), 1),
        "answered_p95_s": round(percentile([t["answered"] for t in done] or [HANG_AFTER], 0.95), 1),
        "dashboard_ready_p95_s": round(percentile(dash_done or [HANG_AFTER], 0.95), 1),
        "module_phase_s": round(module_phase, 1), "dashboard_phase_s": round(dashboard_phase, 1),
        "per_learner_module": per_learner(idle, on_module, "learners"),
        "servers_running": on_module["learners"]["accounts"],
        # The dashboard on top of the module page: its memory is the whole tree's then, less the module's.
        "per_learner_dashboard": {
            "rss_mib": round((on_dashboard["learners"]["rss_mib"] - on_module["learners"]["rss_mib"])
                             / max(1, len(dash_done)), 1),
            "cpu_s": per_learner(on_module, on_dashboard, "learners")["cpu_s"]},
        "learner_processes": on_dashboard["learners"]["processes"],
        "own": {part: {"rss_mib": round(on_dashboard[part]["rss_mib"], 1),
                       "cpu_s": round(on_dashboard[part]["cpu_s"] - idle[part]["cpu_s"], 2)}
                for part in ("hub", "proxy", "records")},
    }


def report(result: dict) -> str:
    module, dashboard, own = result["per_learner_module"], result["per_learner_dashboard"], result["own"]
    lines = [
        f"Hub benchmark: {result['users']} learners signing in over {result['spread_s']} s "
        f"({result['date']}; {result['machine']}; load average {result['load_average']})",
        f"failed: {result['failed']} {result['failures'] if result['failed'] else ''}".rstrip(),
        f"answers saved by the records service: {result['answers_recorded']}",
        f"sign-in to ready module page: p50 {result['sign_in_to_ready_p50_s']} s, "
        f"p95 {result['sign_in_to_ready_p95_s']} s (server started p95 {result['spawn_p95_s']} s; "
        f"answer's feedback p95 {result['answered_p95_s']} s)",
        f"dashboard ready p95: {result['dashboard_ready_p95_s']} s",
        f"servers running when measured: {result['servers_running']}",
        f"per learner on a module page: {module['rss_mib']} MiB RSS, {module['cpu_s']} CPU-s "
        f"(sign-in, server start, page, answer)",
        f"per learner on the dashboard: {dashboard['rss_mib']} MiB RSS more, {dashboard['cpu_s']} CPU-s",
    ]
    for part, label in (("hub", "hub"), ("proxy", "proxy"), ("records", "records service")):
        lines.append(f"{label} own: {own[part]['rss_mib']} MiB RSS, {own[part]['cpu_s']} CPU-s over the run")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="learners (default 50)")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which they sign in (default 60)")
    parser.add_argument("--module", default="01-context", help="the module page each opens (English notebook)")
    parser.add_argument("--tiny", action="store_true", help="2 learners over 5 s: the tests' run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.tiny:
        args.users, args.spread = 2, 5.0
    if os.geteuid() != 0:
        print("The hub benchmark needs root (fmse-course hub makes Unix accounts).", file=sys.stderr)
        return 2
    result = asyncio.run(run(args))
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 1 if result["failed"] or result["answers_recorded"] < result["users"] else 0


if __name__ == "__main__":
    sys.exit(main())
