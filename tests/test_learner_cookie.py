"""The learner remembered by the browser (issue 14, widgets/learner_cookie.py), against the real course server:
the cookie is set only for a grant the kernel could make (signed with the server's secret, for a learner the
records know); a page asked for without `?learner=` goes to the same address with the cookie's learner; the
forget route needs its own token and clears the cookie; none of it exists under `workshop`."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from fmse_widgets import learner_cookie, session
from fmse_widgets.records import open_store
from servers import CourseServer
from workshop_client import Client

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

PAGE = "/voila/render/en/01-context.ipynb"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = CourseServer(tmp_path_factory.mktemp("learner-cookie"))
    yield running
    running.stop()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def new_learner(name: str = "Mererid") -> str:
    with open_store() as store:  # the same data folder as the server (tests/conftest.py)
        return store.add_learner(name).learner_id


def test_a_grant_sets_the_signed_learner_cookie_and_pages_then_carry_the_learner(server):
    learner_id = new_learner()
    client = Client(server.base)
    status, headers, _ = client.get(path_of(learner_cookie.grant_url(learner_id)))
    assert status == 204 and headers.get("Cache-Control") == "no-store"
    cookies = {c.name: c for c in client.jar}
    cookie = cookies[learner_cookie.LEARNER_COOKIE]
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.expires is not None  # lasts beyond the browser
    assert session.verify(session.load_secret(), learner_cookie.LEARNER_COOKIE, cookie.value,
                          max_age_days=learner_cookie.LEARNER_DAYS) == learner_id
    # A page (and `/`, through the landing page) asked for without a learner goes to the same address with it.
    status, headers, _ = client.get(PAGE + "?x=1")
    assert status == 302 and headers["Location"] == f"{PAGE}?x=1&learner={learner_id}"
    status, headers, _ = client.get("/voila/render/index.ipynb")
    assert status == 302 and headers["Location"].endswith(f"index.ipynb?learner={learner_id}")
    # A learner in the address wins (a bookmark): no redirect.
    other = new_learner("Arall")
    assert client.get(f"{PAGE}?learner={other}")[0] == 200
    # "I'm someone else": the cookie goes, and pages are no longer sent anywhere.
    status, headers, _ = client.get(path_of(learner_cookie.forget_url()))
    assert status == 302 and headers["Location"].endswith("/voila/render/index.ipynb")
    assert learner_cookie.LEARNER_COOKIE not in {c.name for c in client.jar}
    assert client.get(PAGE)[0] == 200


def test_grants_that_the_kernel_did_not_make_are_refused(server):
    learner_id = new_learner()
    client = Client(server.base)
    forged = session.sign(b"f" * 64, learner_cookie.GRANT, learner_id)
    wrong_name = session.sign(session.load_secret(), learner_cookie.FORGET, learner_id)
    unknown = "0" * 32
    for query in (f"learner={learner_id}&token={forged}", f"learner={learner_id}&token={wrong_name}",
                  f"learner={learner_id}", f"learner={new_learner('B')}&token="
                                           f"{session.sign(session.load_secret(), learner_cookie.GRANT, learner_id)}",
                  f"learner={unknown}&token={session.sign(session.load_secret(), learner_cookie.GRANT, unknown)}"):
        status, _, body = client.get(f"/fmse/learner?{query}")
        assert status == 403 and "Refused: this link is not valid" in body and "Gwrthodwyd" in body, query
    assert list(client.jar) == []
    status, _, body = client.get(f"/fmse/learner/forget?token={forged}")
    assert status == 403


def test_a_cookie_for_a_learner_the_records_do_not_know_is_ignored(server):
    client = Client(server.base)
    unknown = "1" * 32
    client.jar.set_cookie(_cookie(learner_cookie.LEARNER_COOKIE,
                                  session.sign(session.load_secret(), learner_cookie.LEARNER_COOKIE, unknown)))
    assert client.get(PAGE)[0] == 200  # rendered as it is, no learner added
    # The same cookie made the same way, for a learner the records know, is read (so the one above was sent).
    known = new_learner("Hysbys")
    client.jar.clear("127.0.0.1", "/", learner_cookie.LEARNER_COOKIE)
    client.jar.set_cookie(_cookie(learner_cookie.LEARNER_COOKIE,
                                  session.sign(session.load_secret(), learner_cookie.LEARNER_COOKIE, known)))
    status, headers, _ = client.get(PAGE)
    assert status == 302 and headers["Location"] == f"{PAGE}?learner={known}"


def _cookie(name: str, value: str):
    import http.cookiejar

    return http.cookiejar.Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None,
                                 False, None, None, {})
