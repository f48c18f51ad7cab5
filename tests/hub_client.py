"""A real `fmse-course hub` and a person at it over plain HTTP (cookies, the hub's _xsrf fields): sign up, sign in,
approve (an administrator), start their server, run code in their own kernel. Shared by tests/test_hub.py and
benchmarks/hub.py (which puts tests/ on its path, as benchmarks/records.py does for pg_cluster), so that the
benchmark drives the hub exactly as the tests do."""
from __future__ import annotations

import http.cookiejar
import json
import os
import pwd
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

XSRF = re.compile(r'name="_xsrf"\s+value="([^"]+)"')


TEST_CONFIG = """
c.JupyterHub.log_level = "INFO"
c.Spawner.start_timeout = 240
c.Spawner.http_timeout = 240
"""


class Hub:
    """`fmse-course hub` (as root) on a free port of 127.0.0.1 with its own state folder; stopped by process id,
    with what it started and the `fmse-u-*<suffix>` accounts it made. `extra_config` is appended to the hub's
    configuration (the benchmark raises the spawner's limits); `records_url` is `--records-url` (PostgreSQL tests)."""

    def __init__(self, tmp: Path, extra_config: str = "", records_url: str | None = None):
        from fmse_widgets.processes import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.state = Path(tempfile.mkdtemp(prefix="fmse-hub-test-"))  # under /tmp: the service must enter it
        self.state.chmod(0o711)
        config = tmp / "test_hub_config.py"
        config.write_text(TEST_CONFIG + extra_config, encoding="utf-8")
        self.suffix = secrets.token_hex(3)
        self.admin = f"head{self.suffix}"
        self.log_path = self.state / "test-hub.log"  # kept after the run (pytest's tmp folders rotate)
        self._log = self.log_path.open("w")
        env = {**os.environ, "FMSE_HUB_STATE": str(self.state), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fmse_widgets.cli", "hub", "--port", str(self.port), "--no-browser",
             "--admin", self.admin, "--config", str(config),
             *(["--records-url", records_url] if records_url else [])],
            stdout=self._log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:  # it stopped at start: clean up (its proxy, the log file), then say
                text = self.log()
                self.stop()
                raise AssertionError(f"the hub stopped at start:\n{text}")
            if "JupyterHub is now running" in self.log():
                return
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"the hub did not start:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def name(self, role: str) -> str:
        return f"{role}{self.suffix}"

    def stop(self) -> None:
        import psutil

        from fmse_widgets.hub import accounts

        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for proc in psutil.process_iter(["pid", "cmdline"]):  # what the hub started and left, by process id
            if str(self.state) in " ".join(proc.info["cmdline"] or []) or (
                    f"--port {self.port}" in " ".join(proc.info["cmdline"] or [])):
                try:
                    proc.kill()
                except psutil.Error:
                    pass
        self._log.close()
        for entry in pwd.getpwall():
            if entry.pw_name.startswith(accounts.PREFIX) and entry.pw_name.endswith(self.suffix):
                subprocess.run(["userdel", "--remove", entry.pw_name], capture_output=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HubPerson:
    def __init__(self, base: str, name: str, password: str):
        self.base, self.name, self.password = base, name, password
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.no_redirect = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, *, follow: bool = True, headers: dict | None = None,
                method: str | None = None, body: bytes | None = None, timeout: float = 120):
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {}, method=method)
        opener = self.opener if follow else self.no_redirect
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers.get("Location", ""), error.read().decode("utf-8", "replace")

    def xsrf(self, path: str) -> str:
        status, _, page = self.request(path)
        found = XSRF.search(page)
        assert found, f"{path} ({status}) has no _xsrf field:\n{page[:600]}"
        return found.group(1)

    def sign_up(self) -> tuple[int, str]:
        token = self.xsrf("/hub/signup")
        status, _, page = self.request("/hub/signup", {"_xsrf": token, "username": self.name,
                                                       "signup_password": self.password,
                                                       "signup_password_confirmation": self.password})
        return status, page

    def sign_in(self) -> tuple[int, str, str]:
        token = self.xsrf("/hub/login")
        return self.request("/hub/login?next=", {"_xsrf": token, "username": self.name, "password": self.password})

    def approve(self, other: str) -> int:
        status, _, _ = self.request(f"/hub/authorize/{other}")
        return status

    def api_token(self) -> str:
        """A hub API token of this person's own (made on the hub's token page, as a person would)."""
        self.request("/hub/token")
        page_xsrf = [c.value for c in self.jar if c.name == "_xsrf" and c.path.startswith("/hub")]
        assert page_xsrf, "the hub's token page set no _xsrf cookie"
        token = page_xsrf[0]
        status, _, body = self.request("/hub/api/users/" + self.name + "/tokens", method="POST",
                                       body=json.dumps({"note": "test", "expires_in": 3600}).encode(),
                                       headers={"X-XSRFToken": token, "Content-Type": "application/json",
                                                "Referer": self.base + "/hub/token"})
        assert status == 201, body
        return json.loads(body)["token"]

    def start_server(self, timeout: float = 180) -> None:
        status, url, body = self.request("/hub/spawn/" + self.name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, url, body = self.request(f"/user/{self.name}/")
            if status == 200 and url.startswith(self.base + f"/user/{self.name}/voila/render/"):
                self.landing = body
                return
            time.sleep(1)
        raise AssertionError(f"{self.name}'s server did not start: {status} {url} {body[:400]}")


def put_in_groups(admin: HubPerson, hub: Hub, groups: dict[str, list[str]]) -> None:
    """The administrator puts people (by role, `hub.name(role)`) in hub groups through the hub's API, making each
    group, or adding to it where an earlier hub in the same database made it (fmse-dsp, fmse-la-lead)."""
    token = admin.api_token()
    for group, roles in groups.items():
        body = json.dumps({"users": [hub.name(r) for r in roles]}).encode()
        headers = {"Authorization": f"token {token}"}
        status, _, answer = admin.request(f"/hub/api/groups/{group}", method="POST", body=body, headers=headers)
        if status == 409:
            status, _, answer = admin.request(f"/hub/api/groups/{group}/users", method="POST", body=body,
                                              headers=headers)
        assert status in (200, 201), (group, status, answer)


def run_in_own_kernel(person: HubPerson, code: str, timeout: float = 120) -> str:
    """Run `code` in a new kernel of `person`'s own server (as they could in JupyterLab) and return what it
    printed (stdout), or the error's name and value."""
    import asyncio

    import tornado.httpclient
    import tornado.websocket

    api = f"/user/{person.name}/api/kernels"
    token = person.api_token()
    auth = {"Authorization": f"token {token}"}
    status, _, body = person.request(api, method="POST", body=b"{}", headers={**auth,
                                                                            "Content-Type": "application/json"})
    assert status == 201, body
    kernel = json.loads(body)["id"]

    async def run() -> str:
        url = person.base.replace("http://", "ws://") + f"{api}/{kernel}/channels"
        socket = await tornado.websocket.websocket_connect(tornado.httpclient.HTTPRequest(url, headers=auth))
        msg_id = uuid.uuid4().hex
        socket.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": person.name,
                       "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out: list[str] = []
        async with asyncio.timeout(timeout):
            while True:
                raw = await socket.read_message()
                if raw is None:
                    break
                if isinstance(raw, bytes):
                    continue
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "stream" and msg["content"]["name"] == "stdout":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
        from servers import close_websocket

        await close_websocket(socket)
        return "".join(out)

    try:
        from servers import run_async

        return run_async(run)
    finally:
        person.request(f"{api}/{kernel}", method="DELETE", headers=auth)
