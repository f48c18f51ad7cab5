"""Start and stop the real course server (`fmse-course serve`) for tests, by process id."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from fmse_widgets.processes import free_port


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, *, follow: bool = True, timeout: float = 60) -> tuple[int, dict, str]:
    """GET a URL; returns (status, headers, body) for any status, without raising on 4xx/5xx."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        with error:  # closes the connection it holds
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


class CourseServer:
    command = "serve"

    def __init__(self, log_dir: Path, *extra: str, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{self.command}-{self.port}.log"
        self._log = self.log_path.open("w")
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        if self.command == "serve" and "--warm" not in extra:
            # Tests start a kernel per page view unless they ask for warm pages: eight warm kernels per server
            # would cost the suite CPU on two cores, and the kernel-counting tests count page kernels only.
            # Warm pages are tested by tests/test_warm_pages.py and the benchmarks.
            extra = ("--warm", "0", *extra)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fmse_widgets.cli", self.command, "--port", str(self.port), "--no-browser",
             *extra], stdout=self._log, stderr=subprocess.STDOUT, env=env)
        self._wait()

    def _wait(self, timeout: float = 180) -> None:  # a start takes seconds; minutes on a machine others share
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the course server stopped at start:\n{self.log()}")
            try:
                status, _, _ = fetch(self.base + "/", follow=False, timeout=5)
                if status in (200, 302):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the course server did not answer within {timeout}s:\n{self.log()}")

    def log(self) -> str:
        if not self._log.closed:  # stop() closes it; the log is still there to read
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


class WorkshopServer(CourseServer):
    """`fmse-course workshop` on 127.0.0.1 (tests never listen on the network); reads the code and token it
    prints, as a trainer would."""

    command = "workshop"

    def __init__(self, log_dir: Path, *extra: str, participants: int = 2, env: dict | None = None):
        super().__init__(log_dir, "--bind", "127.0.0.1", "--participants", str(participants), *extra, env=env)
        text = self.log()
        code = re.search(r"Cod y gweithdy:\s+([A-Z0-9]+)", text)
        token = re.search(r"/workshop/trainer\?token=([A-Za-z0-9_-]+)", text)
        if not (code and token):
            self.stop()
            raise RuntimeError(f"the workshop did not print its code and token:\n{text}")
        self.code, self.token = code.group(1), token.group(1)

    def wait_for_pools(self, timeout: float = 120) -> None:
        """Wait until Voilà says every warm-kernel pool is full."""
        deadline = time.monotonic() + timeout
        wanted = 2  # one pool per language
        while time.monotonic() < deadline:
            if self.log().count("Kernel pool of") >= wanted:
                return
            time.sleep(0.5)
        raise RuntimeError(f"the kernel pools did not fill within {timeout}s:\n{self.log()}")


def run_async(make_coroutine):
    """Run a coroutine to the end in a thread of its own and return its result (or raise its exception).

    `asyncio.run()` refuses to start in the main thread once Playwright's sync API has run there (the browser
    tests leave its event loop running for the session), so the websocket tests run their clients here."""
    import asyncio
    import threading

    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="test-asyncio")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


async def close_websocket(socket, timeout: float = 5.0) -> None:
    """Close a tornado websocket client and wait until the server has closed it too, so its connection is not
    left for the garbage collector (an unclosed-socket ResourceWarning, an error in this suite)."""
    import asyncio

    socket.close()
    try:
        async with asyncio.timeout(timeout):
            while await socket.read_message() is not None:
                pass
    except TimeoutError:
        pass
