"""Kernels belong to the browser session that opened their page (issue 12, items 2, 4 and 5), on a real
`fmse-course serve`:

- another session (or none) gets 404 from the kernel's websocket, its /api/kernels/<id> routes, its shutdown
  route and its notice route; the owner gets them all, and the owner's shutdown works without `_xsrf` (voila#1458)
  but not from another site;
- a session has at most 8 live kernels (the least recently used closes, and its status says why); reopening a
  page closes the same session's earlier kernel of that page; another site's non-navigation request starts none;
- a refused request stops there: nothing after the refusal runs (unit test on the wrapper, and in the server's
  log: no XSRF check after a refused DELETE);
- the cookie secret is the server's own file, owner-only, and the same after a restart.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import stat
import time
import uuid
from pathlib import Path

import pytest
import tornado.httpclient
import tornado.web
from jupyter_server.base.handlers import JupyterHandler

from fmse_widgets import kernels, session
from fmse_widgets.processes import kernel_processes
from servers import CourseServer, close_websocket, run_async
from workshop_client import Client

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

PAGE = "/voila/render/en/glossary.ipynb"
# Light pages (no pandas), each a page of its own.
OTHER_PAGES = ["/voila/render/cy/geirfa.ipynb", "/voila/render/en/accessibility.ipynb",
               "/voila/render/cy/hygyrchedd.ipynb", "/voila/render/en/00-start-here.ipynb",
               "/voila/render/cy/00-dechrau-yma.ipynb", "/voila/render/en/01-context.ipynb",
               "/voila/render/cy/01-cyd-destun.ipynb", "/voila/render/index.ipynb"]
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = CourseServer(tmp_path_factory.mktemp("ownership"))
    yield running
    running.stop()


def open_page(client: Client, path: str = PAGE) -> str:
    status, _, body = client.get(path)
    assert status == 200, body[:500]
    found = KERNEL_ID.search(body)
    assert found
    return found.group(1)


def raw(base: str, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    port = int(base.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def status_of(server, client: Client, kernel: str) -> dict:
    code, body = raw(server.base, "GET", f"/fmse/api/kernel/{kernel}", {"Cookie": client.cookie_header()})
    return {"code": code, **json.loads(body)}


def shutdown(server, client: Client, kernel: str) -> int:
    """What a page's beacon sends when it is left: same origin, the session's cookie, an empty _xsrf field."""
    headers = {"Cookie": client.cookie_header(), "Origin": server.base, "Sec-Fetch-Site": "same-origin",
               "Content-Type": "application/x-www-form-urlencoded"}
    return raw(server.base, "POST", f"/voila/api/shutdown/{kernel}", headers, b"_xsrf=")[0]


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


async def connect(base: str, kernel: str, cookie: str | None):
    url = base.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
    socket = await tornado.websocket.websocket_connect(
        tornado.httpclient.HTTPRequest(url, headers={"Cookie": cookie} if cookie else {}))
    await close_websocket(socket)


# ---- the session cookie and its secret -----------------------------------------------------------------------

def test_a_page_sets_a_signed_http_only_session_cookie(server):
    client = Client(server.base)
    open_page(client)
    cookies = {c.name: c for c in client.jar}
    assert session.SESSION_COOKIE in cookies
    cookie = cookies[session.SESSION_COOKIE]
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.expires is None  # gone when the browser closes
    secret = session.load_secret()
    assert session.verify(secret, session.SESSION_COOKIE, cookie.value) is not None
    assert session.verify(b"x" * 64, session.SESSION_COOKIE, cookie.value) is None


def test_the_cookie_secret_is_an_owner_only_file_that_survives_restarts(tmp_path):
    path = tmp_path / "nested" / session.SECRET_FILE
    first = session.load_secret(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) == 64
    assert session.load_secret(path) == first
    path.chmod(0o644)
    assert session.load_secret(path) == first and stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("garbled", encoding="ascii")
    assert session.load_secret(path) != first
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary file left
    signed = session.sign(first, "fmse_learner", "abc")
    assert session.verify(first, "fmse_learner", signed) == "abc"
    assert session.verify(first, "fmse_other", signed) is None


def test_the_server_uses_the_secret_file_in_the_data_folder(server):
    path = Path(os.environ["FMSE_DATA_DIR"]) / session.SECRET_FILE
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600


# ---- ownership ------------------------------------------------------------------------------------------------

def test_only_the_session_that_opened_a_page_reaches_its_kernel(server):
    owner, stranger = Client(server.base), Client(server.base)
    kernel = open_page(owner)
    open_page(stranger, "/voila/render/cy/geirfa.ipynb")  # a session of its own, with a kernel of its own

    for cookie in (None, stranger.cookie_header()):
        with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
            run_async(lambda cookie=cookie: connect(server.base, kernel, cookie))
        assert refused.value.code == 404
        headers = {"Cookie": cookie} if cookie else {}
        assert raw(server.base, "GET", f"/api/kernels/{kernel}", headers)[0] == 404
        assert raw(server.base, "DELETE", f"/api/kernels/{kernel}", headers)[0] == 404
        assert raw(server.base, "POST", f"/voila/api/shutdown/{kernel}", headers, b"_xsrf=")[0] == 404
        assert raw(server.base, "GET", f"/fmse/api/kernel/{kernel}", headers)[0] == 404
    assert status_of(server, owner, kernel) == {"code": 200, "state": "open"}

    run_async(lambda: connect(server.base, kernel, owner.cookie_header()))  # the owner may connect
    assert raw(server.base, "GET", f"/api/kernels/{kernel}", {"Cookie": owner.cookie_header()})[0] == 200


def test_the_owners_shutdown_works_without_xsrf_but_not_from_another_site(server):
    owner = Client(server.base)
    kernel = open_page(owner)
    cookie = {"Cookie": owner.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"}
    evil = {**cookie, "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}
    assert raw(server.base, "POST", f"/voila/api/shutdown/{kernel}", evil, b"_xsrf=")[0] == 403
    assert status_of(server, owner, kernel)["state"] == "open"
    # What the page's beacon sends on leaving: same origin, an empty _xsrf field.
    beacon = {**cookie, "Origin": server.base, "Sec-Fetch-Site": "same-origin"}
    assert raw(server.base, "POST", f"/voila/api/shutdown/{kernel}", beacon, b"_xsrf=")[0] == 204
    assert status_of(server, owner, kernel) == {"code": 200, "state": "closed", "reason": "shutdown"}
    assert "_xsrf' argument missing" not in server.log()


# ---- limits ---------------------------------------------------------------------------------------------------

def test_a_session_keeps_at_most_eight_kernels_the_least_recently_used_closes(server):
    client = Client(server.base)
    opened = [open_page(client, path) for path in OTHER_PAGES[:kernels.MAX_PER_SESSION]]
    assert all(status_of(server, client, k)["state"] == "open" for k in opened)
    ninth = open_page(client, PAGE)
    wait_for(lambda: status_of(server, client, opened[0])["state"] == "closed", what="the oldest kernel to close")
    assert status_of(server, client, opened[0])["reason"] == "limit"
    assert all(status_of(server, client, k)["state"] == "open" for k in [*opened[1:], ninth])
    for k in [*opened[1:], ninth]:  # the owner closes them as its pages would (tidy for the rest of the module)
        assert shutdown(server, client, k) == 204


def test_reopening_a_page_closes_its_earlier_kernel_with_nothing_connected(server):
    client = Client(server.base)
    first = open_page(client)
    second = open_page(client)
    wait_for(lambda: status_of(server, client, first)["state"] == "closed", what="the earlier kernel to close")
    assert status_of(server, client, first)["reason"] == "reopened"
    assert status_of(server, client, second)["state"] == "open"
    other = Client(server.base)  # another browser's kernel of the same page is not touched
    theirs = open_page(other)
    open_page(client)
    assert status_of(server, other, theirs)["state"] == "open"


def kernel_count(server) -> int:
    return len(kernel_processes(server.process.pid))


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors",
     "Sec-Fetch-Dest": "empty"},
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe",
     "Referer": "http://evil.example/page"},
    {"Origin": "http://evil.example"},  # a browser without Sec-Fetch headers
])
def test_another_sites_request_for_a_page_starts_no_kernel(server, headers):
    before = kernel_count(server)
    status, body = raw(server.base, "GET", PAGE, headers)
    assert status == 403 and "another website asked for this page" in body
    assert "Gwrthodwyd: gofynnodd gwefan arall" in body
    assert kernel_count(server) <= before


def test_a_link_from_another_site_still_opens_the_page(server):
    headers = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document",
               "Referer": "https://mail.example/inbox"}
    status, body = raw(server.base, "GET", PAGE, headers)
    assert status == 200 and KERNEL_ID.search(body)


# ---- refusals stop the request --------------------------------------------------------------------------------

def test_a_refused_delete_with_a_foreign_host_runs_nothing_after_the_refusal(server):
    owner = Client(server.base)
    kernel = open_page(owner)
    mark = len(server.log())
    port = int(server.base.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("DELETE", f"/api/kernels/{kernel}", headers={"Host": "evil.example",
                                                                  "Cookie": owner.cookie_header()})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.status == 403
    def logged():
        text = server.log()[mark:]
        return text if f"DELETE /api/kernels/{kernel}" in text else None

    after = wait_for(logged, what="the refusal in the server's log")
    assert "_xsrf" not in after and "XSRF" not in after, after
    assert status_of(server, owner, kernel)["state"] == "open"


def test_nothing_runs_after_the_host_check_refuses():
    """In-process: the wrapped handler's own prepare() and its method never run after a refusal."""
    from fmse_widgets.server import host_checked

    ran: list[str] = []

    class Probe(JupyterHandler):  # refuse() answers Jupyter's handlers itself (no exception to stop them)
        def prepare(self):
            ran.append("prepare")

        def delete(self):
            ran.append("delete")
            self.finish("deleted")

    async def scenario():
        app = tornado.web.Application([(r"/x", host_checked(Probe, frozenset({"127.0.0.1"})))])
        server = app.listen(0, "127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        client = tornado.httpclient.AsyncHTTPClient()
        try:
            refused = await client.fetch(f"http://127.0.0.1:{port}/x", method="DELETE", raise_error=False,
                                         headers={"Host": "evil.example"})
            allowed = await client.fetch(f"http://127.0.0.1:{port}/x", method="DELETE", raise_error=False)
        finally:
            server.stop()
            await server.close_all_connections()
        return refused.code, allowed.code

    assert run_async(scenario) == (403, 200)
    assert ran == ["prepare", "delete"]  # from the allowed request only


def test_nothing_runs_after_the_workshop_gate_refuses():
    from fmse_widgets.workshop.gate import MEMBERS, Room, gate

    ran: list[str] = []

    class Probe(JupyterHandler):
        def prepare(self):
            ran.append("prepare")

        def get(self):
            ran.append("get")

    async def scenario():
        room = Room("ACD479", "t" * 43, "en", store_factory=lambda: None)
        app = tornado.web.Application([(r"/x", gate(Probe, room, MEMBERS))], cookie_secret="s" * 32)
        server = app.listen(0, "127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        try:
            response = await tornado.httpclient.AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/x",
                                                                        raise_error=False)
        finally:
            server.stop()
            await server.close_all_connections()
        return response.code

    assert run_async(scenario) == 403
    assert ran == []


def test_kernel_owners_choose_what_to_close():
    owners = kernels.KernelOwners()
    for i in range(8):
        owners.claim(f"k{i}", "s", f"/p{i}")
        owners.live[f"k{i}"].used = float(i)
    owners.live["k0"].used = 100.0  # recently used: not the one to go
    owners.claim("k8", "s", "/p8")
    assert owners.to_close_for("k8") == [("k1", "limit")]
    owners.claim("k9", "s", "/p3")
    owners.live["k5"].sockets.add(object())
    assert ("k3", "reopened") in owners.to_close_for("k9")
    owners.claim("k10", "s", "/p5")
    assert ("k5", "reopened") not in owners.to_close_for("k10")  # its page is open
    owners.claim("x", "other", "/p1")
    assert owners.to_close_for("x") == []


def test_culling_leaves_a_page_that_is_open_or_still_loading():
    owners = kernels.KernelOwners()
    owners.claim("k", "s", "/p")
    start = owners.live["k"].claimed
    assert owners.page_open("k", start + 1)  # rendered, its page not yet connected
    assert not owners.page_open("k", start + kernels.CONNECT_WAIT + 1)  # never connected: a plain request
    socket = object()
    owners.live["k"].sockets.add(socket)
    owners.live["k"].connected_once = True
    assert owners.page_open("k", start + 10_000)  # connected: open however long it is idle
    owners.live["k"].sockets.discard(socket)
    assert not owners.page_open("k", start + 10)  # left (the grace period then closes it)
    assert not owners.page_open("unknown")


def test_under_the_workshop_one_device_keeps_at_most_sixteen_kernels_whatever_its_cookies():
    """A client that drops its cookies is a new browser session on every request; its address still counts."""
    owners = kernels.KernelOwners()
    for i in range(kernels.MAX_PER_ADDRESS):
        owners.claim(f"k{i}", f"session{i}", "/p", "192.0.2.7")
        owners.live[f"k{i}"].used = float(i)
    owners.claim("new", "fresh", "/p", "192.0.2.7")
    assert owners.to_close_for("new", per_address=kernels.MAX_PER_ADDRESS) == [("k0", "limit")]
    assert owners.to_close_for("new") == []  # under `serve` (no per-address limit)
    assert owners.to_close_for("new", per_address=kernels.MAX_PER_ADDRESS, exempt=frozenset({"192.0.2.7"})) == []
    owners.claim("elsewhere", "other", "/p", "192.0.2.8")
    assert owners.to_close_for("elsewhere", per_address=kernels.MAX_PER_ADDRESS) == []
