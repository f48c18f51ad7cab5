"""The course as a Jupyter server extension (issue 20, item 1), on a real `jupyter server` started the way the hub
starts each user's server (widgets/server_extension.py's `single_user_argv()`):

- the landing page is the default URL; the Voilà tree and contents listing are gone; the template cannot be
  swapped from the URL; errors are the course's bilingual page, Welsh first;
- JupyterLab is at /lab;
- a page's kernel belongs to the browser session that opened it (shutdown, notice and websocket routes refuse
  another session), as under `fmse-course serve`; JupyterLab's own kernels are the user's as usual.
"""
from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import tornado.httpclient
import tornado.websocket

from fmse_widgets.paths import notebooks_dir
from fmse_widgets.server_extension import single_user_argv
from servers import close_websocket, fetch, free_port, run_async
from workshop_client import Client

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
PAGE = "/voila/render/en/glossary.ipynb"


class JupyterServer:
    """`jupyter server` with the course extension, on 127.0.0.1, by process id. No token: the test is the only
    client (under the hub, the hub's OAuth signs each request in)."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"jupyter-server-{self.port}.log"
        self._log = self.log_path.open("w")
        argv = [sys.executable, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--ServerApp.root_dir={notebooks_dir()}",
                "--IdentityProvider.token=", "--ServerApp.open_browser=False", *single_user_argv()]
        if os.geteuid() == 0:
            argv.append("--allow-root")
        self.process = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                if fetch(self.base + "/api/status", timeout=5)[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter server did not answer:\n{self.log()}")

    def log(self) -> str:
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = JupyterServer(tmp_path_factory.mktemp("extension"))
    yield running
    running.stop()


def open_page(client: Client, path: str = PAGE) -> str:
    status, _, body = client.get(path)
    assert status == 200, body[:500]
    return KERNEL_ID.search(body).group(1)


def shutdown(server, client: Client, kernel: str) -> int:
    """What a page's beacon sends when it is left: same origin, the session's cookie, an empty _xsrf field."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("POST", f"/voila/api/shutdown/{kernel}", body=b"_xsrf=",
                     headers={"Cookie": client.cookie_header(), "Origin": server.base,
                              "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_the_landing_page_is_the_default_url(server):
    status, headers, _ = fetch(server.base + "/", follow=False)
    assert status == 302 and headers["Location"].split("?")[0].endswith("/voila/render/index.ipynb")


@pytest.mark.parametrize("path", ["/voila", "/voila/tree", "/voila/tree/en", "/voila/render/"])
def test_no_voila_file_tree(server, path):
    status, headers, _ = fetch(server.base + path, follow=False)
    assert status == 302 and headers["Location"].endswith("/voila/render/index.ipynb")


def test_no_contents_listing_through_voila(server):
    status, _, body = fetch(server.base + "/voila/api/contents")
    assert status == 404 and "01-context" not in body


def test_pages_have_the_course_template_whatever_the_url_asks(server):
    status, _, body = fetch(server.base + "/voila/render/en/01-context.ipynb?template=lab&theme=dark")
    assert status == 200
    assert re.search(r'<html[^>]*\blang="en"', body) and "course.css" in body
    assert "theme-dark.css" not in body and "Traceback" not in body


@pytest.mark.parametrize("path", ["/voila/render/nothing-here.ipynb", "/no/such/address"])
def test_errors_are_the_course_bilingual_page_welsh_first(server, path):
    status, _, body = fetch(server.base + path)
    assert status == 404
    assert "<title>Tudalen heb ei chanfod / Page not found</title>" in body
    assert body.index('lang="cy"') < body.index('lang="en"')
    assert "Traceback" not in body


def test_template_files_other_than_static_are_refused_plainly(server):
    status, _, body = fetch(server.base + "/voila/templates/fmse/page.html")
    assert status == 404 and body.strip() == "Heb ei ganfod. / Not found."


def test_jupyterlab_is_at_lab(server):
    status, _, body = fetch(server.base + "/lab")
    assert status == 200 and "JupyterLab" in body


def test_a_page_kernel_belongs_to_its_browser_session(server):
    owner, other = Client(server.base), Client(server.base)
    kernel = open_page(owner)
    other.get("/voila/render/index.ipynb")  # a browser session of its own
    assert other.get(f"/fmse/api/kernel/{kernel}")[0] == 404
    assert owner.get(f"/fmse/api/kernel/{kernel}")[0] == 200

    async def websocket(client):
        url = server.base.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
        try:
            socket = await tornado.websocket.websocket_connect(
                tornado.httpclient.HTTPRequest(url, headers={"Cookie": client.cookie_header()}))
        except tornado.httpclient.HTTPClientError as error:
            return error.code
        await close_websocket(socket)
        return 101

    assert run_async(lambda: websocket(other)) == 404
    assert run_async(lambda: websocket(owner)) == 101
    assert shutdown(server, other, kernel) == 404
    assert shutdown(server, owner, kernel) == 204
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and kernel in fetch(server.base + "/api/kernels")[2]:
        time.sleep(0.3)
    assert kernel not in fetch(server.base + "/api/kernels")[2]
