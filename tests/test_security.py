"""Probing the running course server as a hostile visitor would (issue 8, part 3).

- path traversal, plain, %-encoded and double-encoded, on every route prefix the server registers (read from the
  app's own handler list, so a new route is covered without editing this file) and on common Jupyter prefixes
  that are not routed at all: none returns /etc/passwd, the project's pyproject.toml or the records database;
- no error page shows a traceback or the notebooks' code, including a page whose notebook raises or is garbled;
  nor does a page that renders: a module and a dashboard here, over HTTP; every page of the course in
  tests/browser/test_every_page_accessibility.py, on the raw HTML of the load it already makes (page_source.py);
- over a page's kernel websocket, requests that run, inspect or complete code get no reply, while a
  kernel_info_request does (so the socket itself works);
- `?template=` and `?theme=` do not swap the course template;
- the installed Voilà is 0.5.6 or newer (CVE-2024-30265), and pyproject.toml requires it.
"""
from __future__ import annotations

import asyncio
import http.client
import json
import re
import subprocess
import sys
import time
import tomllib
import uuid
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from fmse_widgets.records.recorder import open_store
from page_source import LEAKS, source_shown
from servers import CourseServer, close_websocket, fetch, run_async
from workshop_client import Client

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parents[1]
# Jupyter prefixes a stock server would route; this one must not serve files through any of them either.
UNROUTED = ["/static/", "/files/", "/nbextensions/", "/api/contents/", "/voila/nbextensions/", "/tree/",
            "/notebooks/", "/edit/", "/view/", "/api/"]
HANDLERS_SCRIPT = """
import json
from fmse_widgets.server import CourseVoila, use_course_template, voila_argv

use_course_template()
app = CourseVoila()
app.initialize(argv=voila_argv(8, cull_idle=600, cull_interval=60, open_browser=False))
app.init_settings()
print(json.dumps([h[0] for h in app.init_handlers()]))
"""


@lru_cache(maxsize=1)
def handler_patterns() -> tuple[str, ...]:
    """The URL patterns the course server registers, read from CourseVoila itself (in a child process)."""
    done = subprocess.run([sys.executable, "-c", HANDLERS_SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))


def literal_prefix(pattern: str) -> str:
    """'/voila/static/(.*)' -> '/voila/static/'; '/api/kernels/(?P<id>...)/channels' -> '/api/kernels/';
    an escaped character is itself: '/voila/static/v\\-0\\.5\\.13/(.*)' -> '/voila/static/v-0.5.13/'."""
    prefix, i = "", 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            prefix, i = prefix + pattern[i + 1], i + 2
            continue
        if char in "(?*+[\\$":
            break
        prefix, i = prefix + char, i + 1
    return prefix if prefix.endswith("/") else prefix + "/"


def route_prefixes() -> list[str]:
    return sorted({literal_prefix(p) for p in handler_patterns()} | set(UNROUTED))


def raw_get(base: str, path: str, *, method: str = "GET", hops: int = 4) -> tuple[int, str]:
    """Send `path` exactly as written (no dot-segment clean-up, unlike urllib), following redirects the same way."""
    split = urlsplit(base)
    for _ in range(hops):
        conn = http.client.HTTPConnection(split.hostname, split.port, timeout=120)
        try:
            conn.request(method, path, headers={"Host": split.netloc})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            location = response.getheader("Location")
        finally:
            conn.close()
        if response.status in (301, 302, 303, 307, 308) and location:
            path = urlsplit(location).path + (f"?{urlsplit(location).query}" if urlsplit(location).query else "")
            continue
        return response.status, body
    return response.status, body


# ---- path traversal ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def targets(course_server) -> dict[str, str]:
    """Absolute paths of files that must never be served -> a string found only in that file."""
    store = open_store()  # the server shares the tests' FMSE_DATA_DIR: make sure its records file exists
    try:
        records = Path(store.location)
    finally:
        store.close()
    assert records.exists()
    return {"/etc/passwd": "root:", str(ROOT / "pyproject.toml"): 'name = "fmse-course"',
            str(records): "SQLite format 3"}


def traversals(target: str) -> dict[str, str]:
    """Ways to climb to `target` (an absolute path): plain, %-encoded and double %-encoded."""
    climb = "../" * 12 + target.lstrip("/")
    forms = {"plain": climb, "absolute": "/" + target.lstrip("/"), "backslash": climb.replace("/", "\\")}
    if target.endswith("pyproject.toml"):
        forms["one level"] = "../pyproject.toml"
    encoded = {f"{name}, %-encoded": quote(path, safe="") for name, path in forms.items()}
    encoded["dots %-encoded"] = climb.replace("..", "%2e%2e")
    double = {f"{name}, double-encoded": quote(quote(path, safe=""), safe="") for name, path in forms.items()}
    return {**forms, **encoded, **double}


def test_the_route_list_comes_from_the_server_and_covers_voilas_file_routes():
    prefixes = route_prefixes()
    for needed in ("/voila/render/", "/voila/files/", "/voila/static/", "/voila/templates/",
                   "/voila/labextensions/", "/voila/api/themes/", "/api/kernels/"):
        assert needed in prefixes, prefixes


def test_path_traversal_fails_on_every_route(course_server, targets):
    leaks, tracebacks, probes = [], [], 0
    for prefix in route_prefixes():
        for target, marker in targets.items():
            for form, path in traversals(target).items():
                url = prefix + path
                status, body = raw_get(course_server.base, url)
                probes += 1
                if marker in body:
                    leaks.append(f"{url} ({form}) -> {status}")
                if any(leak in body for leak in LEAKS):
                    tracebacks.append(f"{url} -> {status}")
    assert probes > 200
    assert leaks == [], "files served through path traversal:\n" + "\n".join(leaks)
    assert tracebacks == [], "traceback or source paths on:\n" + "\n".join(tracebacks)


def test_notebooks_and_data_are_not_downloadable(course_server):
    """Voilà serves only images from the notebooks folder: not the notebooks, nor anything beside them."""
    for path in ("/voila/files/index.ipynb", "/voila/files/en/01-context.ipynb", "/voila/files/../data/services.yaml",
                 "/voila/render/en/01-context.ipynb?download=1", "/voila/files/en/"):
        status, body = raw_get(course_server.base, path)
        assert '"cell_type"' not in body and "from fmse_widgets" not in body, (path, status)
        assert "services:" not in body, (path, status)


# ---- error pages ----------------------------------------------------------------------------------------

BAD_PATHS = [
    "/voila/render/en/99-nothing.ipynb", "/voila/render/en/01-context.ipynb/extra", "/voila/render/en/%00.ipynb",
    "/voila/render/en/%ff%fe.ipynb", "/voila/render/en/..ipynb", "/voila/render/en/01-context", "/voila/render/cy",
    "/voila/render/" + "a" * 4000 + ".ipynb", "/voila/render/en/01-context.ipynb?kernel_name=../../x",
    "/voila/templates/fmse/static/nothing.css", "/voila/templates/nothing", "/voila/static/nothing.js",
    "/voila/api/themes/nothing", "/voila/api/shutdown/nothing", "/api/kernels/00000000-0000-0000-0000-000000000000",
    "/api/kernels/00000000-0000-0000-0000-000000000000/channels", "/nothing", "/logout", "/login",
]


@pytest.mark.parametrize("path", BAD_PATHS)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_error_pages_show_no_traceback_or_source(course_server, path, method):
    status, body = raw_get(course_server.base, path, method=method)
    if path.endswith("?kernel_name=../../x") and method == "GET":
        assert status == 200 and "fmse" in body, (path, status)  # the page, in the course's own kernel
    else:
        assert status in {400, 403, 404, 405}, (path, method, status)  # refused: not a page, not a 5xx
    assert not any(leak in body for leak in LEAKS), (path, status, body[:2000])
    assert "from fmse_widgets" not in body and "start_page(" not in body, (path, status)


@pytest.mark.parametrize("path", ["/logout", "/login", "/api/contents", "/api/contents/en", "/nothing/here",
                                  "/tree/", "/lab"])
def test_an_address_no_route_serves_gets_the_courses_bilingual_page_not_found(course_server, path):
    """Not Tornado's bare English "404: Not Found": the course's own page, Welsh first, with the way back."""
    status, body = raw_get(course_server.base, path)
    assert status == 404, (path, status)
    assert "<title>Tudalen heb ei chanfod / Page not found</title>" in body, body[:500]
    assert body.index('lang="cy"') < body.index('lang="en"')
    assert "Mynd i dudalen gyntaf y cwrs" in body and "Go to the course start page" in body
    assert "404: Not Found" not in body and not any(leak in body for leak in LEAKS)


NOT_FOUND_FILES = [
    "/voila/templates/nothing", "/voila/templates/a/b/c", "/voila/templates/fmse/nothing/x.css",
    "/voila/templates/fmse/static/nothing.css", "/voila/templates/x/static/../../../etc/passwd",
    "/voila/templates/fmse/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/voila/templates/",
    "/voila/api/themes/nothing", "/voila/api/themes/", "/voila/api/themes/../../etc/passwd",
    "/voila/labextensions/nothing", "/voila/labextensions/", "/voila/labextensions/@x/y/static/z.js",
]


def test_missing_files_answer_a_clean_bilingual_404(course_server):
    """Voilà's template route answered 500 (an AssertionError) for a path not of the form
    <template>/static/<file>, and the themes and labextensions routes logged "Uncaught exception in
    write_error" for every error; now each answers 404 with the course's one-line refusal, and logs no
    traceback."""
    already = len(course_server.log())
    answers = {}
    for path in NOT_FOUND_FILES:
        for method in ("GET", "HEAD"):
            answers[f"{method} {path}"] = raw_get(course_server.base, path, method=method, hops=1)
    wrong = {k: v for k, v in answers.items() if v[0] != 404}
    assert wrong == {}, wrong
    bodies = {body.strip() for key, (_, body) in answers.items() if key.startswith("GET")}
    assert bodies == {"Heb ei ganfod. / Not found."}, bodies
    refused = raw_get(course_server.base, "/voila/api/themes/nothing", method="POST", hops=1)
    assert refused[0] == 403 and "Gwrthodwyd" in refused[1] and "Refused" in refused[1]
    log = course_server.log()[already:]
    assert "404 GET /voila/templates/nothing" in log  # the requests were logged: this is their part of the log
    assert "Traceback" not in log and "Uncaught exception" not in log and "AssertionError" not in log, log[-3000:]


# A module (English) and a dashboard (Welsh) here; every page of the course, in Welsh and in English,
# is checked the same way (page_source.source_shown) on the HTML of its load in test_every_page_accessibility.py.
@pytest.mark.parametrize("path", ["en/01-context.ipynb", "cy/dangosfwrdd.ipynb"])
def test_rendered_pages_carry_no_source_code(course_server, path):
    status, _, body = fetch(f"{course_server.base}/voila/render/{path}")
    assert status == 200
    assert source_shown(path, body) == {}, f"{path} shows its code or a traceback"


RAISES = "raise RuntimeError('secret-marker: ' + open(__file__ if '__file__' in dir() else '/etc/hostname').name)"


def test_a_page_that_fails_shows_no_traceback_or_source(course_copy, tmp_path):
    """A notebook whose cell raises, and one whose file is garbled, served from a throwaway copy of the course."""
    good = json.loads((course_copy / "notebooks" / "en" / "01-context.ipynb").read_text(encoding="utf-8"))
    raising = json.loads(json.dumps(good))
    cell = next(c for c in raising["cells"] if c["cell_type"] == "code" and "content_note" in "".join(c["source"]))
    cell["source"] = RAISES
    raising["metadata"]["fmse"]["page"] = "raises"
    (course_copy / "notebooks" / "en" / "raises.ipynb").write_text(json.dumps(raising), encoding="utf-8")
    (course_copy / "notebooks" / "en" / "garbled.ipynb").write_text('{"cells": [', encoding="utf-8")
    not_a_notebook = {"nbformat": 4, "cells": "nope", "metadata": {}}
    (course_copy / "notebooks" / "en" / "wrong.ipynb").write_text(json.dumps(not_a_notebook), encoding="utf-8")
    server = CourseServer(tmp_path)
    try:
        for name in ("raises", "garbled", "wrong"):
            status, _, body = fetch(f"{server.base}/voila/render/en/{name}.ipynb")
            assert not any(leak in body for leak in LEAKS), (name, status, body[:3000])
            assert "secret-marker" not in body and "RuntimeError" not in body, name
            assert "raise RuntimeError" not in body and "from fmse_widgets" not in body, name
            if name == "raises":
                assert status == 200 and "fmse-cell-error" in body  # the course's own message, in its place
            else:
                assert status >= 400 and 'lang="cy"' in body and 'lang="en"' in body  # the bilingual error page
        assert "secret-marker" in server.log() or "RuntimeError" in server.log()  # the server did run it
    finally:
        server.stop()


# ---- the kernel websocket -------------------------------------------------------------------------------

def shell_message(msg_type: str, content: dict, channel: str = "shell") -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "probe", "session": uuid.uuid4().hex,
                       "msg_type": msg_type, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}


async def replies_to(base: str, kernel_id: str, messages: list[dict], wait: float,
                     cookie: str | None = None, until: str | None = None) -> dict[str, list[str]]:
    """Send the messages on the kernel's websocket (with the browser session's `cookie`), all at once, then listen
    for `wait` seconds: what came back for each (msg_type of every reply). `until`: stop listening once a reply of
    that msg_type has come (the kernel answers one channel's requests in order, so a reply to the last message sent
    means that every earlier one on that channel has had its turn)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    socket = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookie} if cookie else {}))
    sent = {m["header"]["msg_id"]: f"{m['channel']}:{m['header']['msg_type']}" for m in messages}
    answers: dict[str, list[str]] = {name: [] for name in sent.values()}
    try:
        for message in messages:
            await socket.write_message(json.dumps(message))
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            try:
                raw = await asyncio.wait_for(socket.read_message(), left)
            except asyncio.TimeoutError:
                break
            if raw is None:
                for got in answers.values():
                    got.append("(socket closed)")
                break
            reply = json.loads(raw)
            parent = reply.get("parent_header", {}).get("msg_id")
            if parent in sent:
                answers[sent[parent]].append(f"{reply['channel']}:{reply['header']['msg_type']}")
                if until is not None and reply["header"]["msg_type"] == until:
                    break
    finally:
        await close_websocket(socket)
    return answers


def kernel_of(base: str, path: str, client: Client | None = None) -> tuple[str, str]:
    """Open a page as a browser would (a cookie jar): its kernel id and the browser session's cookie header."""
    client = client or Client(base)
    status, _, body = client.get(f"/voila/render/{path}")
    assert status == 200
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', body)
    assert found, "the page names no kernel"
    return found.group(1), client.cookie_header()


CODE = "open('/tmp/fmse-probe-was-here', 'w').write('x')"
FORBIDDEN = [
    ("execute_request", {"code": CODE, "silent": False, "store_history": True, "user_expressions": {},
                         "allow_stdin": False, "stop_on_error": True}),
    ("inspect_request", {"code": "open", "cursor_pos": 4, "detail_level": 1}),
    ("complete_request", {"code": "import o", "cursor_pos": 8}),
    ("history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 100}),
    ("is_complete_request", {"code": CODE}),
]


def test_kernel_websocket_answers_no_code_requests(course_server):
    kernel, cookie = kernel_of(course_server.base, "en/glossary.ipynb")
    probe = Path("/tmp/fmse-probe-was-here")
    probe.unlink(missing_ok=True)
    messages = [shell_message(t, c) for t, c in FORBIDDEN]
    messages += [shell_message(t, c, "control") for t, c in FORBIDDEN]  # the control channel is no way round
    messages.append(shell_message("kernel_info_request", {}))  # last: answered once the shell has seen the rest
    # All sent at once and listened to for 6 s (one message at a time, 3 s each, took 34 s).
    answers = run_async(lambda: replies_to(course_server.base, kernel, messages, wait=6, cookie=cookie))
    assert "shell:kernel_info_reply" in answers["shell:kernel_info_request"], answers  # the socket works
    silent = {k: v for k, v in answers.items() if k != "shell:kernel_info_request"}
    assert all(v == [] for v in silent.values()), f"the kernel answered: {silent}"
    assert not probe.exists(), "code sent over the websocket ran"


def test_shutdown_over_the_websocket_reaches_only_that_pages_kernel(course_server):
    """Voilà lets a page close its own kernel (shutdown_request is among its allowed messages); only the browser
    session that opened a page reaches its kernel's websocket at all (test_kernel_ownership.py)."""
    (mine, my_cookie), (other, other_cookie) = (kernel_of(course_server.base, "en/glossary.ipynb"),
                                                kernel_of(course_server.base, "cy/geirfa.ipynb"))
    shutdown = [shell_message("shutdown_request", {"restart": False})]
    run_async(lambda: replies_to(course_server.base, mine, shutdown, wait=3, cookie=my_cookie))
    info = [shell_message("kernel_info_request", {})]
    answers = run_async(lambda: replies_to(course_server.base, other, info, wait=10, cookie=other_cookie,
                                           until="kernel_info_reply"))
    assert "shell:kernel_info_reply" in answers["shell:kernel_info_request"], answers


def test_a_made_up_kernel_id_gets_no_socket(course_server):
    from tornado.httpclient import HTTPClientError

    with pytest.raises(HTTPClientError):
        info = [shell_message("kernel_info_request", {})]
        run_async(lambda: replies_to(course_server.base, str(uuid.uuid4()), info, wait=3))


# ---- the Host header (DNS rebinding) --------------------------------------------------------------------

def get_with_host(base: str, path: str, host: str) -> int:
    split = urlsplit(base)
    conn = http.client.HTTPConnection(split.hostname, split.port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_local_host_names_are_served(course_server):
    port = urlsplit(course_server.base).port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert get_with_host(course_server.base, "/voila/render/en/glossary.ipynb", host) == 200, host


def test_a_foreign_host_name_is_refused(course_server):
    """A browser tricked by DNS rebinding sends the attacker's host name; the server must not answer it."""
    port = urlsplit(course_server.base).port
    assert get_with_host(course_server.base, "/voila/render/en/dashboard.ipynb", f"evil.example:{port}") >= 400


# ---- template lock, Voilà version ----------------------------------------------------------------------

@pytest.mark.parametrize("query", ["template=lab", "template=classic", "template=reveal", "theme=dark",
                                   "template=lab&theme=dark", "voila-template=lab", "template=../../lab"])
def test_the_url_cannot_swap_the_template(course_server, query):
    status, _, body = fetch(f"{course_server.base}/voila/render/en/01-context.ipynb?{query}")
    assert status == 200
    assert "course.css" in body and "course.js" in body, "the course template was replaced"
    assert 'data-jp-theme-name="JupyterLab Dark"' not in body and "theme-dark" not in body
    assert "reveal.js" not in body.lower()


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_installed_voila_has_the_cve_2024_30265_fix():
    assert _version_tuple(version("voila")) >= (0, 5, 6), version("voila")


def test_pyproject_requires_a_fixed_voila():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    voila = [d for d in deps if re.match(r"voila\b", d)]
    assert len(voila) == 1 and ">=0.5.6" in voila[0].replace(" ", ""), voila
