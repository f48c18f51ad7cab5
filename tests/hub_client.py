"""A person at the hub over plain HTTP (cookies, the hub's _xsrf fields), for the hub tests: sign up, sign in,
approve (an administrator), start their server, run code in their own kernel."""
from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

XSRF = re.compile(r'name="_xsrf"\s+value="([^"]+)"')


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
