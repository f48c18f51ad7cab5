"""The workshop server's gate, probed over HTTP and websockets on a real `fmse-course workshop` (bound to 127.0.0.1
in tests; the gate does not depend on the address it listens on).

Visitors without the join code reach only the join page; participants reach the room page, the modules and the
reference pages, always under their own id and the workshop code, never the dashboard, the landing page's
learners or the trainer's page; the trainer's page needs the long token; path traversal fails on every route;
no page shows a traceback; wrong codes are rate-limited.
"""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import tornado.httpclient
import tornado.websocket

from fmse_widgets.course import pages
from fmse_widgets.records import open_store
from fmse_widgets.workshop.gate import MAX_FAILURES
from fmse_widgets.static_cache import STATIC_TAG
from servers import WorkshopServer, close_websocket, fetch, run_async
from workshop_client import Client

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

MODULE = "/voila/render/en/01-context.ipynb"
ROOM = "/voila/render/en/workshop.ipynb"
TRAINER = "/voila/render/en/workshop-results.ipynb"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
SECRET_FILES = ("etc/passwd", "pyproject.toml", "data/workshop.yaml")
LEAKS = ("root:x:0:0", "[project]", "questions:", "Traceback", 'File "/', "COURSE = start_page")


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    server = WorkshopServer(tmp_path_factory.mktemp("workshop"), participants=1)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def participant(workshop):
    client = Client(workshop.base)
    status, headers, _ = client.join(workshop.code, nickname="Ceri", lang="en")
    assert status == 303, headers
    return client


@pytest.fixture(scope="module")
def trainer(workshop):
    client = Client(workshop.base)
    status, headers, _ = client.get(f"/workshop/trainer?token={workshop.token}")
    assert status == 302 and headers["Location"] == TRAINER
    return client


def every_page_path() -> list[str]:
    return [p.url for p in pages()]


# ---- visitors without the code ------------------------------------------------------------------------------

def test_the_join_page_is_open_to_everyone_in_both_languages_and_prefills_the_qr_codes_code(workshop):
    status, headers, body = Client(workshop.base).get(f"/workshop/join?code={workshop.code}")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'value="{workshop.code}"' in body
    assert '<html lang="cy">' in body and 'lang="en"' in body
    assert "Ymuno â'r gweithdy" in html.unescape(body) and "Join the workshop" in body
    assert headers.get("X-Frame-Options") == "DENY" and headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize("path", ["/", "/voila/tree", "/voila/render/", *every_page_path()])
def test_every_page_without_the_code_goes_to_the_join_page(workshop, path):
    status, headers, body = Client(workshop.base).get(path)
    assert status == 302 and headers["Location"] == "/workshop/join", (path, status)


@pytest.mark.parametrize("path", ["/api/kernels/00000000-0000-0000-0000-000000000000",
                                  "/api/kernels/00000000-0000-0000-0000-000000000000/channels",
                                  "/voila/api/shutdown/00000000-0000-0000-0000-000000000000",
                                  "/voila/api/themes/light/index.css", "/voila/files/en/01-context.ipynb"])
def test_api_requests_without_the_code_are_refused(workshop, path):
    status, _, body = Client(workshop.base).get(path)
    assert status == 403, (path, status)
    assert not any(leak in body for leak in LEAKS)


def test_the_login_pages_are_gone(workshop):
    for path in ("/login", "/logout"):
        assert Client(workshop.base).get(path)[0] == 404


def test_a_websocket_to_a_kernel_without_the_code_is_refused(workshop, participant):
    _, _, body, _ = participant.follow(ROOM)
    kernel = KERNEL_ID.search(body).group(1)
    url = workshop.base.replace("http", "ws") + f"/api/kernels/{kernel}/channels"

    async def connect(cookie: str | None):
        request = tornado.httpclient.HTTPRequest(url, headers={"Cookie": cookie} if cookie else {})
        socket = await tornado.websocket.websocket_connect(request)
        await close_websocket(socket)

    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        run_async(lambda: connect(None))
    assert refused.value.code == 403
    run_async(lambda: connect(participant.cookie_header()))  # the participant's own page may connect


def test_a_wrong_code_is_refused_with_a_message_in_both_languages(workshop):
    client = Client(workshop.base)
    status, _, body = client.join("WRONG1")
    assert status == 400
    assert "That code is not right" in body and "Nid yw'r cod hwnnw'n gywir" in html.unescape(body)
    assert 'aria-invalid="true"' in body and 'role="alert"' in body
    assert client.get(MODULE)[0] == 302  # still outside


def test_a_nickname_too_long_is_refused_and_kept_in_the_form(workshop):
    status, _, body = Client(workshop.base).join(workshop.code, nickname="Ŵ" * 41)
    assert status == 400 and "A nickname can have up to 40 characters" in body
    assert 'value="' + "Ŵ" * 41 + '"' in body and f'value="{workshop.code}"' in body


def test_too_many_wrong_codes_from_one_address_must_wait(tmp_path_factory):
    server = WorkshopServer(tmp_path_factory.mktemp("throttle"), participants=1)
    try:
        client = Client(server.base)
        statuses = [client.join("AAAAAA")[0] for _ in range(MAX_FAILURES)]
        assert set(statuses) == {400}
        status, _, body = client.join(server.code)  # even the right code now waits
        assert status == 429 and "Wait ten minutes" in body
    finally:
        server.stop()


# ---- participants ---------------------------------------------------------------------------------------------

def test_joining_records_the_participant_under_the_workshop_apart_from_staff(workshop, participant):
    store = open_store()
    try:
        people = store.participants(workshop.code)
        assert "Ceri" in [p.nickname for p in people]
        ceri = next(p for p in people if p.nickname == "Ceri")
        assert store.learner(ceri.learner_id).name is None  # the nickname is not a staff name
    finally:
        store.close()


def test_a_participant_lands_on_the_room_page_with_their_id_and_the_code_in_the_link(workshop, participant):
    status, headers, _ = participant.get("/")
    assert status == 302
    location = urlsplit(headers["Location"])
    query = parse_qs(location.query)
    assert location.path == ROOM and query["workshop"] == [workshop.code] and len(query["learner"][0]) == 32


def test_a_participant_opens_modules_always_under_their_own_id_and_the_workshop(workshop, participant):
    status, headers, _ = participant.get(MODULE + "?learner=" + "a" * 32)  # someone else's id is replaced
    assert status == 302
    query = parse_qs(urlsplit(headers["Location"]).query)
    assert query["workshop"] == [workshop.code] and query["learner"][0] != "a" * 32
    status, _, body, _ = participant.follow(MODULE)
    assert status == 200 and "fmse" in body


@pytest.mark.parametrize("path", [TRAINER, "/voila/render/cy/canlyniadau-gweithdy.ipynb",
                                  "/voila/render/en/dashboard.ipynb", "/voila/render/cy/dangosfwrdd.ipynb"])
def test_participants_cannot_reach_the_trainers_page_or_the_records(workshop, participant, path):
    status, _, body, _ = participant.follow(path)
    assert status == 403, path
    assert not any(leak in body for leak in LEAKS)


def test_the_landing_page_with_its_learners_sends_participants_to_the_room(workshop, participant):
    status, headers, _ = participant.get("/voila/render/index.ipynb")
    assert status == 302 and urlsplit(headers["Location"]).path == ROOM


def test_a_forged_participant_cookie_is_not_accepted(workshop, participant):
    forged = participant.cookie_header().replace("fmse_workshop=", "fmse_workshop=x")
    status, headers, _ = fetch_with_cookie(workshop.base + MODULE, forged)
    assert status == 302 and headers["Location"] == "/workshop/join"


def fetch_with_cookie(url: str, cookie: str):
    import urllib.error
    import urllib.request

    from servers import NoRedirect

    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:  # closes the connection it holds
            return error.code, dict(error.headers), error.read().decode()


# ---- the trainer ---------------------------------------------------------------------------------------------

def test_the_trainers_page_needs_the_token(workshop):
    client = Client(workshop.base)
    assert client.get(TRAINER)[0] == 302  # to the join page
    status, _, body = client.get("/workshop/trainer")
    assert status == 403 and "trainer's token" in html.unescape(body)
    status, _, body = client.get("/workshop/trainer?token=" + workshop.token[:-1] + "x")
    assert status == 403
    assert workshop.token not in body


def test_the_trainer_opens_the_results_page_and_every_page(workshop, trainer):
    status, _, body, _ = trainer.follow(TRAINER)
    assert status == 200 and workshop.token not in body
    assert trainer.follow("/voila/render/en/dashboard.ipynb")[0] == 200


# ---- traversal and tracebacks on every route -------------------------------------------------------------------

ROUTES = ["/voila/render/", "/voila/static/", f"/voila/static/{STATIC_TAG}/", "/voila/templates/fmse/static/", "/voila/templates/",
          "/voila/files/", "/voila/labextensions/", "/voila/api/themes/", "/workshop/join/", "/workshop/trainer/",
          "/static/", "/api/kernels/", "/voila/tree/", "/"]
FORMS = {"plain": "../", "encoded": "%2e%2e%2f", "double": "%252e%252e%252f", "backslash": "..%5c"}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("who", ["visitor", "participant", "trainer"])
def test_path_traversal_fails_on_every_route(workshop, participant, trainer, form, who):
    client = {"visitor": Client(workshop.base), "participant": participant, "trainer": trainer}[who]
    for route in ROUTES:
        for target in SECRET_FILES:
            path = route + FORMS[form] * 8 + target
            status, _, body = client.get(path)
            assert not (status == 200 and any(leak in body for leak in LEAKS)), (path, status)
            assert "Traceback" not in body and 'File "/' not in body, path


def test_error_pages_never_show_a_traceback(workshop, participant):
    expected = {"/voila/render/en/no-such-page.ipynb": 404, "/voila/render/%ff%fe.ipynb": 400,
                "/workshop/join?lang=%00": 200,  # the join page, in its default language
                "/voila/render/en/01-context.ipynb?learner=%ff": 200}  # the page, under the participant's own id
    for path, wanted in expected.items():
        status, _, body, _ = participant.follow(path)
        assert status == wanted, (path, status)
        assert not any(leak in body for leak in LEAKS), path
        if wanted == 200:
            assert 'lang="' in body and "fmse" in body, path  # a course page, not an empty answer
    status, _, body = Client(workshop.base).request("/workshop/join", {"code": "X"})  # no _xsrf
    assert status == 403 and "Traceback" not in body


def test_the_server_says_what_is_running_where(workshop):
    text = workshop.log()
    assert f"/workshop/join?code={workshop.code}" in text
    status, _, _ = fetch(workshop.base + "/workshop/join")
    assert status == 200


def test_the_room_state_starts_before_the_first_question(workshop):
    store = open_store()
    try:
        assert store.room(workshop.code).question == -1
    finally:
        store.close()


def test_a_foreign_host_name_is_refused_even_with_the_code(workshop, participant):
    """DNS rebinding: a page whose own name points at the laptop must not reach the workshop either."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", int(workshop.base.rsplit(":", 1)[1]), timeout=60)
    try:
        for path in ("/workshop/join", MODULE):
            conn.request("GET", path, headers={"Host": "evil.example", "Cookie": participant.cookie_header()})
            response = conn.getresponse()
            response.read()
            assert response.status == 403, path
    finally:
        conn.close()


# ---- kernels belong to whoever opened them (issue 12) -----------------------------------------------------------

def test_a_participant_given_the_trainers_kernel_id_cannot_reach_it(workshop, participant, trainer):
    _, _, body, _ = trainer.follow(TRAINER)
    kernel = KERNEL_ID.search(body).group(1)
    url = workshop.base.replace("http", "ws") + f"/api/kernels/{kernel}/channels"

    async def connect(cookie: str):
        socket = await tornado.websocket.websocket_connect(tornado.httpclient.HTTPRequest(url, headers={"Cookie": cookie}))
        await close_websocket(socket)

    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        run_async(lambda: connect(participant.cookie_header()))
    assert refused.value.code == 404
    for method, path in (("GET", f"/api/kernels/{kernel}"), ("POST", f"/voila/api/shutdown/{kernel}")):
        status, _, _ = participant.request(path, {"_xsrf": ""} if method == "POST" else None)
        assert status == 404, (method, path)
    run_async(lambda: connect(trainer.cookie_header()))  # the trainer's own page still connects
    assert kernel not in workshop.log(), "the terminal (maybe on the projector) shows a kernel id"


def test_the_terminal_shows_no_kernel_id(workshop, participant):
    _, _, body, _ = participant.follow(ROOM)
    kernel = KERNEL_ID.search(body).group(1)
    url = workshop.base.replace("http", "ws") + f"/api/kernels/{kernel}/channels"

    async def connect():
        socket = await tornado.websocket.websocket_connect(
            tornado.httpclient.HTTPRequest(url, headers={"Cookie": participant.cookie_header()}))
        await close_websocket(socket)

    run_async(connect)
    text = workshop.log()
    assert kernel not in text and "<kernel>" in text


def test_wrong_tokens_from_this_laptop_never_lock_out_the_trainer(workshop):
    """Any web page open in the trainer's browser can send these (plain GETs): they must not lock the trainer out."""
    client = Client(workshop.base)
    for _ in range(MAX_FAILURES + 1):
        assert client.get("/workshop/trainer?token=wrong")[0] == 403
    status, headers, _ = client.get(f"/workshop/trainer?token={workshop.token}")
    assert status == 302 and headers["Location"] == TRAINER


def test_the_learner_cookie_routes_do_not_exist_in_a_workshop(workshop):
    for path in ("/fmse/learner?learner=" + "a" * 32 + "&token=x", "/fmse/learner/forget?token=x"):
        assert Client(workshop.base).get(path)[0] == 404


def test_a_learner_cookie_from_the_course_never_changes_whose_pages_a_workshop_shows(workshop, participant, trainer):
    """A browser that studied on its own with this computer's course keeps a learner cookie signed with the same
    secret: under `workshop` it is ignored (participants' ids come from the gate; the trainer's pages carry none)."""
    import http.cookiejar

    from fmse_widgets import learner_cookie, session
    from fmse_widgets.records import open_store

    with open_store() as store:
        solo = store.add_learner("Solo").learner_id
    signed = session.sign(session.load_secret(), learner_cookie.LEARNER_COOKIE, solo)
    for client in (trainer, participant):
        client.jar.set_cookie(http.cookiejar.Cookie(0, learner_cookie.LEARNER_COOKIE, signed, None, False,
                                                    "127.0.0.1", False, False, "/", True, False, None, False,
                                                    None, None, {}))
    try:
        status, headers, _ = trainer.get("/voila/render/en/01-context.ipynb")
        assert status == 200, headers.get("Location")
        status, headers, _ = participant.get("/voila/render/en/01-context.ipynb")
        assert status == 302 and solo not in headers["Location"] and "workshop=" in headers["Location"]
    finally:
        for client in (trainer, participant):
            client.jar.clear("127.0.0.1", "/", learner_cookie.LEARNER_COOKIE)
