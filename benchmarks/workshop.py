"""A room of participants on one laptop: `fmse-course workshop` against stock `voila`, with and without its own
preheated pools, in the same run.

What it does for each room size (HTTP and websocket clients, not browsers: two cores cannot run 30 browsers):
1. starts `fmse-course workshop` on 127.0.0.1 for N + 7 participants (N in the room, then 7 who answer alone)
   and waits for its warm-kernel pools; the trainer's page moves the room to the first question by pressing
   "Next question" through its widget's comm messages;
2. N participants join, then all open the room page within one second; each answers the question by sending
   the widget's own comm messages (the radio button's new index, then the button's click), never by writing
   to the store; the time for each is from asking for the page until the answer is in the records. One task
   reads the records once per 50 ms tick for everyone, in a worker thread (`AnswerWatch`), so the clients'
   event loop is not spent polling SQLite;
3. everyone leaves (websockets closed); after the cull interval, and once the used warm kernels have been
   replaced, the live kernels are counted: the target is the pool size again;
4. "one participant alone" is the median of 7 solo runs (one new participant at a time, nobody else active),
   on the same page and language as the room, after the room has gone;
5. the same (N at once, then 7 alone) on stock `voila notebooks/en/workshop.ipynb`: a kernel started for each
   page view; and again with Voilà's own preheated pool of the same total size as the course's
   (`--preheat_kernel=True --pool_size=P`, refilled one second after use, Voilà's default);
6. peak resident memory of each server with its kernels, and a quiz-page kernel beside a bare ipykernel.

Usage: python benchmarks/workshop.py [--participants 30 60] [--cull-idle 20] [--json FILE]
Targets (issue 22): p95 answer saved <= 3x one participant alone and <= 1.0 s; a quiz-page kernel <= 1.25x a bare
ipykernel; kernels back to the pool size after everyone leaves. Prints its figures; exits 1 if a target is
missed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

import psutil
import tornado.httpclient
import tornado.websocket

from fmse_widgets.processes import free_port, kernel_processes, stop_server

ROOT = Path(__file__).resolve().parents[1]
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')
ROOM = "/voila/render/en/workshop.ipynb"
ROOM_CY = "/voila/render/cy/gweithdy.ipynb"
TRAINER = "/voila/render/en/workshop-results.ipynb"



class PeakMemory:
    """Samples the resident memory of a process and all its children every 0.2 s; keeps the peak (MiB)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                root = psutil.Process(self.pid)
                total = root.memory_info().rss
                for child in root.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                continue
            self.peak = max(self.peak, total / 2**20)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


class Server:
    def __init__(self, argv: list[str], env: dict, log: Path):
        self.log_path = log
        self._log = log.open("w")
        self.process = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{self.log()}")
            if len(re.findall(pattern, self.log())) >= count:
                return
            time.sleep(0.2)
        raise RuntimeError(f"waited {timeout}s for {pattern!r}:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        stop_server(self.process)
        self._log.close()


# ---- a participant, as HTTP and websocket messages --------------------------------------------------------------

class Participant:
    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.learner_id: str | None = None
        self.socket = None

    def _cookie(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _keep(self, response) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]

    async def fetch(self, path: str, **kwargs):
        client = tornado.httpclient.AsyncHTTPClient()
        response = await client.fetch(self.base + path, headers={**self._cookie(), **kwargs.pop("headers", {})},
                                      follow_redirects=False, raise_error=False, request_timeout=300, **kwargs)
        self._keep(response)
        return response

    async def join(self, code: str, lang: str = "en") -> None:
        form = await self.fetch("/workshop/join")
        token = XSRF.search(form.body.decode()).group(1)
        done = await self.fetch("/workshop/join", method="POST", body=urlencode(
            {"_xsrf": token, "code": code, "nickname": "", "lang": lang}))
        if done.code != 303:
            raise RuntimeError(f"joining failed with {done.code}")
        self.learner_id = re.search(r"learner=([0-9a-f]{32})", done.headers["Location"]).group(1)

    async def open_page(self, path: str) -> str:
        response = await self.fetch(path)
        if response.code != 200:
            raise RuntimeError(f"{path}: HTTP {response.code}")
        body = response.body.decode()
        found = KERNEL_ID.search(body)
        if not found:
            raise RuntimeError(f"{path}: no kernel id in the page")
        return found.group(1)

    async def connect(self, kernel_id: str) -> None:
        url = self.base.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}"
        request = tornado.httpclient.HTTPRequest(url, headers=self._cookie())
        self.socket = await tornado.websocket.websocket_connect(request, max_message_size=64 * 2**20)
        self.session = uuid.uuid4().hex

    def _message(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "username": "bench", "session": self.session,
                                      "msg_type": msg_type, "version": "5.3",
                                      "date": datetime.now(timezone.utc).isoformat()},
                           "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": "shell",
                           "buffers": []})

    async def widget_states(self) -> dict:
        """Every widget's state, asked for as the page's own widget manager does (ipywidgets 8)."""
        comm_id = uuid.uuid4().hex
        await self.socket.write_message(self._message("comm_open", {
            "comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}}, {"version": "1.0.0"}))
        await self.socket.write_message(self._message("comm_msg", {
            "comm_id": comm_id, "data": {"method": "request_states"}}))
        while True:
            raw = await asyncio.wait_for(self.socket.read_message(), timeout=120)
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            if isinstance(raw, bytes):
                continue  # binary frames carry buffers of other messages
            msg = json.loads(raw)
            data = msg.get("content", {}).get("data", {})
            if msg.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                return data["states"]

    async def press(self, states: dict, button_text: str, radio_index: int | None = None) -> None:
        """Choose a radio option (if asked), then press the button whose text is `button_text`."""
        if radio_index is not None:
            radio = next(i for i, s in states.items() if s["model_name"] == "RadioButtonsModel")
            await self.socket.write_message(self._message("comm_msg", {
                "comm_id": radio, "data": {"method": "update", "state": {"index": radio_index},
                                           "buffer_paths": []}}))
        button = next(i for i, s in states.items()
                      if s["model_name"] == "ButtonModel" and s["state"].get("description") == button_text)
        await self.socket.write_message(self._message("comm_msg", {
            "comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}))

    async def leave(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None


class AnswerWatch:
    """Which participants' answers are in the records: one read of the store per tick for everyone.

    Earlier each client opened SQLite every 50 ms on the one event loop that drives every client (about 2.4 ms a
    read, so 30 clients spent most of each tick reading the store): the benchmark slowed what it measured. Now one
    task reads the workshop's events once a tick, in a worker thread so the loop keeps driving the clients, and
    wakes the participants whose answers have arrived. The time a participant's answer is seen is the end of
    the tick that found it (at most `TICK` late, the same for every participant and for both servers)."""

    TICK = 0.05

    def __init__(self, code: str):
        self.code = code
        self.waiting: dict[str, asyncio.Future] = {}
        self.reads = 0
        self._task: asyncio.Task | None = None

    def _seen(self) -> set[str]:
        from fmse_widgets.records import open_store

        store = open_store()
        try:
            return {e.learner_id for e in store.workshop_events(self.code)}
        finally:
            store.close()

    async def _run(self) -> None:
        while self.waiting:
            seen = await asyncio.to_thread(self._seen)
            self.reads += 1
            for learner_id in [i for i in self.waiting if i in seen]:
                future = self.waiting.pop(learner_id)
                if not future.done():
                    future.set_result(time.monotonic())
            await asyncio.sleep(self.TICK)
        self._task = None

    async def saved(self, learner_id: str) -> float:
        """Wait until `learner_id`'s answer is in the records; the time it was seen (time.monotonic())."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[learner_id] = future
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        try:
            return await future
        finally:
            self.waiting.pop(learner_id, None)


async def one_answer(person: Participant, path: str, watch: AnswerWatch, question_index: int,
                     lang: str = "en") -> dict:
    """Open the room page and answer; times in seconds from asking for the page."""
    from fmse_widgets.i18n import translator

    start = time.monotonic()
    kernel_id = await person.open_page(path)
    page = time.monotonic() - start
    await person.connect(kernel_id)
    states = await person.widget_states()
    # The room page collects answers until the trainer reveals them, so its button is "Send my answer".
    await person.press(states, translator(lang).gettext("Send my answer"), radio_index=question_index)
    seen = await watch.saved(person.learner_id)
    return {"page": page, "recorded": seen - start}


async def room_at_first_question(base: str, token: str) -> Participant:
    trainer = Participant(base)
    await trainer.fetch(f"/workshop/trainer?token={token}")
    kernel_id = await trainer.open_page(TRAINER)
    await trainer.connect(kernel_id)
    await trainer.press(await trainer.widget_states(), "Next question")
    return trainer


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


HANG_AFTER = 120.0  # seconds: a participant still waiting by then is counted as hung


async def burst(people: list[Participant], path_for, code: str, spread_over: float = 1.0) -> list[dict]:
    watch = AnswerWatch(code)

    async def one(i: int, person: Participant):
        await asyncio.sleep(spread_over * i / max(1, len(people)))
        try:
            return await asyncio.wait_for(one_answer(person, path_for(person), watch, 0), HANG_AFTER)
        except (asyncio.TimeoutError, tornado.httpclient.HTTPError, OSError, RuntimeError) as exc:
            return {"failed": f"{type(exc).__name__}: {exc}"[:200]}
    return list(await asyncio.gather(*(one(i, p) for i, p in enumerate(people))))


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time used so far by the server process itself, and by all its kernels together (user + system)."""
    def used(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    try:
        server = psutil.Process(pid)
        own = used(server)
    except psutil.Error:
        return 0.0, 0.0
    kernels = 0.0
    for kernel in kernel_processes(pid):
        try:
            kernels += used(kernel)
        except psutil.Error:
            pass
    return own, kernels


def bare_kernel_mib() -> float:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("1 + 1", timeout=120, output_hook=lambda msg: None)
        return psutil.Process(manager.provisioner.pid).memory_info().rss / 2**20
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


SOLO_RUNS = 7  # "one participant alone" is the median of this many solo runs (one alone varied 0.11-0.16 s)


async def solo_runs(make_person, path_for, code: str, runs: int | None = None) -> dict:
    """`runs` (default SOLO_RUNS) participants, one after the other, each alone on the server: the median page and
    answer times."""
    runs = SOLO_RUNS if runs is None else runs
    watch = AnswerWatch(code)
    found = []
    for _ in range(runs):
        person = await make_person()
        found.append(await asyncio.wait_for(one_answer(person, path_for(person), watch, 0), HANG_AFTER))
        await person.leave()
        await asyncio.sleep(0.5)
    return {"page": statistics.median(t["page"] for t in found),
            "recorded": statistics.median(t["recorded"] for t in found),
            "runs": [round(t["recorded"], 3) for t in found]}


def summary(times: list[dict], alone: dict) -> dict:
    failed = [t["failed"] for t in times if "failed" in t]
    done = [t for t in times if "failed" not in t]
    if not done:
        raise RuntimeError(f"no participant got an answer saved: {failed[:3]}")
    # A participant who never got there counts as the slowest possible in the percentiles.
    recorded = [t["recorded"] for t in done] + [HANG_AFTER] * len(failed)
    pages = [t["page"] for t in done] + [HANG_AFTER] * len(failed)
    return {"failed": len(failed), "failures": failed[:5],
            "alone_s": round(alone["recorded"], 2), "alone_page_s": round(alone["page"], 2),
            "alone_runs_s": alone["runs"],
            "page_p50_s": round(statistics.median(pages), 2), "page_p95_s": round(percentile(pages, 0.95), 2),
            "p50_s": round(statistics.median(recorded), 2), "p95_s": round(percentile(recorded, 0.95), 2),
            "p95_vs_alone": round(percentile(recorded, 0.95) / alone["recorded"], 2)}


def room_opened_for(participants: int) -> int:
    """What the workshop is opened for: the room and its solo runs, within what one laptop serves."""
    from fmse_widgets.workshop.command import MAX_PARTICIPANTS

    return min(MAX_PARTICIPANTS, participants + SOLO_RUNS)


def solo_runs_for(participants: int, wanted: int) -> int:
    """Solo runs a room of `participants` leaves room for: the gate lets in the workshop's capacity (the number it
    is opened for, plus 10%), so a room of 60 (the most) leaves 6."""
    from fmse_widgets.workshop.command import MAX_PARTICIPANTS
    from fmse_widgets.workshop.gate import room_capacity

    return max(1, min(wanted, room_capacity(min(MAX_PARTICIPANTS, participants + wanted)) - participants))


async def run_course(args, participants: int, env: dict, work: Path) -> dict:
    port = free_port()
    # The room is opened for the N participants and the SOLO_RUNS who answer alone later: the gate lets only
    # about N + 10% join, and each solo run is a participant of its own. The pools are sized for N + SOLO_RUNS.
    server = Server([sys.executable, "-m", "fmse_widgets.cli", "workshop", "--bind", "127.0.0.1", "--port",
                     str(port), "--no-browser", "--participants", str(room_opened_for(participants)), "--cull-idle",
                     str(args.cull_idle), "--refill-delay", str(args.refill_delay)], env,
                    work / f"workshop-{participants}.log")
    base = f"http://127.0.0.1:{port}"
    try:
        server.wait_for(r"Kernel pool of .* is filled", count=2)
        text = server.log()
        code = re.search(r"Cod y gweithdy:\s+([A-Z0-9]+)", text).group(1)
        token = re.search(r"token=([A-Za-z0-9_-]+)", text).group(1)
        pool = sum(int(n) for n in re.findall(r"Kernel pool of .* is filled with (\d+) kernel", text)[:2])
        memory = PeakMemory(server.process.pid)
        trainer = await room_at_first_question(base, token)
        room_path = lambda p: f"{ROOM}?learner={p.learner_id}&workshop={code}"  # noqa: E731
        people = [Participant(base) for _ in range(participants)]
        for person in people:
            await person.join(code)
        before = cpu_seconds(server.process.pid)
        times = await burst(people, room_path, code)
        after = cpu_seconds(server.process.pid)
        peak = memory.stop()
        quiz = statistics.median(k.memory_info().rss / 2**20 for k in kernel_processes(server.process.pid)
                                 if k.is_running())
        for person in (*people, trainer):  # the room stays at its question: its state is in the records
            await person.leave()
        await asyncio.sleep(args.cull_idle + max(1, min(60, args.cull_idle // 2)) + 8)
        # The used warm kernels are replaced --refill-delay after use: count once the pools are full again.
        # (Voilà logs "filled" once at the start and once each time a used kernel has been replaced.)
        server.wait_for(r"Kernel pool of en/workshop.ipynb is filled", count=1 + participants, timeout=600)
        server.wait_for(r"Kernel pool of cy/gweithdy.ipynb is filled", count=1, timeout=600)
        await asyncio.sleep(3)
        left = len(kernel_processes(server.process.pid))
        # One participant alone, measured on the same page and language as the room, with the pools full again
        # and nobody else active: the median of SOLO_RUNS runs.
        async def joined():
            person = Participant(base)
            await person.join(code)
            return person
        alone = await solo_runs(joined, room_path, code)
        # Where the room's CPU went: the server (running the pages' last cells, turning output into HTML, relaying
        # messages) against the kernels (all of them, warm ones included).
        cpu = {"burst_cpu_server_s": round(after[0] - before[0], 2),
               "burst_cpu_kernels_s": round(after[1] - before[1], 2)}
        return {**summary(times, alone), **cpu, "peak_mib": round(peak), "quiz_kernel_mib": round(quiz, 1),
                "pool": pool, "kernels_after_cull": left, "code": code}
    finally:
        server.stop()


async def run_stock(args, participants: int, env: dict, work: Path, code: str, pool: int = 0) -> dict:
    """Stock `voila notebooks/en/workshop.ipynb`: a kernel per page view, or (`pool`) its own preheated pool of
    that many kernels (`--preheat_kernel=True --pool_size=N`, Voilà's default refill one second after use)."""
    from fmse_widgets.records import open_store

    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    preheat = ["--preheat_kernel=True", f"--pool_size={pool}"] if pool else []
    server = Server([str(voila), str(ROOT / "notebooks" / "en" / "workshop.ipynb"), "--no-browser",
                     f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", *preheat], env,
                    work / f"voila-{participants}-{pool}.log")
    base = f"http://127.0.0.1:{port}"
    try:
        server.wait_for(r"Voil. is running at")
        if pool:
            server.wait_for(r"Kernel pool of .* is filled", timeout=600)
        memory = PeakMemory(server.process.pid)
        path = lambda p: f"/?learner={p.learner_id}&workshop={code}"  # noqa: E731

        def new_people(count: int) -> list[Participant]:
            store = open_store()
            try:
                people = [Participant(base) for _ in range(count)]
                for person in people:
                    person.learner_id = store.join_workshop(code).learner_id
                return people
            finally:
                store.close()

        people = new_people(participants)
        times = await burst(people, path, code)
        peak = memory.stop()
        for person in people:
            await person.leave()
        if pool:  # let Voilà refill its pool (one second after each use) before the solo runs
            server.wait_for(r"Kernel pool of .* is filled", count=1 + participants, timeout=600)
            await asyncio.sleep(3)

        async def one_person():
            return new_people(1)[0]
        alone = await solo_runs(one_person, path, code)
        return {**summary(times, alone), "peak_mib": round(peak), "pool": pool}
    finally:
        server.stop()


COLUMNS = (("course", "fmse-course workshop"), ("stock_voila", "stock voila"),
           ("stock_preheat", "voila + preheat"))


def print_table(participants: int, result: dict) -> None:
    print(f"\n{participants} participants")
    print(f"{'':30}" + "".join(f"{title:>22}" for _, title in COLUMNS))
    rows = (("alone_page_s", "one alone: page ready (s)"), ("alone_s", "one alone: answer saved (s)"),
            ("page_p50_s", "page ready p50 (s)"), ("page_p95_s", "page ready p95 (s)"),
            ("p50_s", "answer saved p50 (s)"), ("p95_s", "answer saved p95 (s)"), ("p95_vs_alone", "p95 / alone"),
            ("failed", f"hung (nothing after {HANG_AFTER:.0f} s)"), ("peak_mib", "peak memory (MiB)"))
    for key, label in rows:
        print(f"{label:30}" + "".join(f"{result[column][key]:>22}" for column, _ in COLUMNS))
    course = result["course"]
    print(f"one alone, {len(course['alone_runs_s'])} runs (s): " + "; ".join(
        f"{title} {result[column]['alone_runs_s']}" for column, title in COLUMNS))
    print(f"CPU during the room's burst (course): server {course['burst_cpu_server_s']} s, kernels "
          f"{course['burst_cpu_kernels_s']} s (two cores give 2 s of CPU a second)")
    print(f"kernels after everyone left and the cull interval passed: {course['kernels_after_cull']} "
          f"(pool size {course['pool']})")


def main(argv: list[str] | None = None) -> int:
    global SOLO_RUNS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[30, 60],
                        help="room sizes, each run on fresh servers (default 30 60)")
    parser.add_argument("--cull-idle", type=int, default=20, help="seconds (the server's --cull-idle)")
    parser.add_argument("--refill-delay", type=int, default=60, help="seconds (the server's --refill-delay)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    parser.add_argument("--solo", type=int, default=SOLO_RUNS,
                        help=f"solo runs whose median is 'one alone' (default {SOLO_RUNS}; the tests use fewer)")
    args = parser.parse_args(argv)
    SOLO_RUNS = max(1, args.solo)
    tornado.httpclient.AsyncHTTPClient.configure(None, max_clients=max(args.participants) * 2 + 4)
    started = datetime.now(timezone.utc)
    result: dict = {"participants": args.participants, "machine": f"{os.cpu_count()} cores, "
                    f"{round(psutil.virtual_memory().total / 2**30)} GiB",
                    "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
                    "date": f"{started:%Y-%m-%d %H:%M} UTC", "rooms": {}}
    targets = {}
    with tempfile.TemporaryDirectory(prefix="fmse-workshop-bench-") as folder:
        work = Path(folder)
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
            work = args.logs
        os.environ["FMSE_DATA_DIR"] = str(Path(folder) / "data")  # a records store of its own
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        result["bare_kernel_mib"] = round(bare_kernel_mib(), 1)
        wanted = SOLO_RUNS
        for participants in args.participants:
            SOLO_RUNS = solo_runs_for(participants, wanted)  # 7, or fewer where the room is the most one laptop serves
            course = asyncio.run(run_course(args, participants, env, work))
            print(f"fmse-course workshop, {participants}: {json.dumps(course)}", flush=True)
            stock_env = {**env, "FMSE_WORKSHOP": course["code"]}
            stock = asyncio.run(run_stock(args, participants, stock_env, work, course["code"]))
            print(f"stock voila, {participants}: {json.dumps(stock)}", flush=True)
            preheat = asyncio.run(run_stock(args, participants, stock_env, work, course["code"],
                                            pool=course["pool"]))
            print(f"stock voila with preheat, {participants}: {json.dumps(preheat)}", flush=True)
            room = {"course": course, "stock_voila": stock, "stock_preheat": preheat,
                    "quiz_vs_bare": round(course["quiz_kernel_mib"] / result["bare_kernel_mib"], 2)}
            result["rooms"][str(participants)] = room
            targets[f"{participants}: p95 <= 3x alone"] = course["p95_vs_alone"] <= 3.0 and course["failed"] == 0
            targets[f"{participants}: p95 <= 1.0 s"] = course["p95_s"] <= 1.0 and course["failed"] == 0
            targets[f"{participants}: quiz kernel <= 1.25x bare"] = room["quiz_vs_bare"] <= 1.25
            targets[f"{participants}: kernels back to the pool size"] = course["kernels_after_cull"] == course["pool"]
    result["targets_met"] = targets
    print(f"Workshop benchmark: {', '.join(map(str, args.participants))} participants, {result['machine']}, "
          f"{result['date']}, load average at start {result['load_average_at_start']}")
    for participants in args.participants:
        print_table(participants, result["rooms"][str(participants)])
        room = result["rooms"][str(participants)]
        print(f"quiz-page kernel {room['course']['quiz_kernel_mib']} MiB; bare ipykernel "
              f"{result['bare_kernel_mib']} MiB ({room['quiz_vs_bare']}x)")
    for name, met in targets.items():
        print(f"target {name}: {'met' if met else 'MISSED'}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
