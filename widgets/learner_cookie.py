"""The learner remembered by this browser (issue 14): a signed cookie set by the server, read by the page handler.

- The cookie `fmse_learner` holds a learner id, signed with the server's secret (widgets/session.py), and lasts
  `LEARNER_DAYS` days: opening the course again on the same computer and browser, even after the server has
  restarted, finds the same learner.
- A page's kernel cannot set a cookie. When the learner saves their name (or says which learner they are), the
  landing page's kernel makes a grant: the learner id signed with the same secret file for the name `GRANT`,
  valid for `GRANT_DAYS`. The page (course.js, `.fmse-remember`) sends it to `GET /fmse/learner`, which checks it
  and the learner, sets the cookie and answers 204; course.js then puts `?learner=` in the address bar, so that a
  bookmark keeps the learner too.
- `GET /fmse/learner/forget?token=…` ("I'm someone else") clears the cookie and goes back to the landing page. Its
  token is made by the kernel too (another site cannot make one).
- The page handler (widgets/kernels.py, OwnedPageHandler) sends a page asked for without `?learner=` to the same
  address with the cookie's learner, if the records know them: that is how the page's kernel learns who it is.
- Not under `workshop`: participants get their ids from the workshop gate, and neither route nor the cookie is
  used there (settings["fmse_learner_cookie"] is False; the gate refuses both routes).
"""
from __future__ import annotations

import os
from urllib.parse import urlencode

import tornado.web

from .bilingual import joined
from .session import cookie, load_secret, set_cookie, sign, verify

LEARNER_COOKIE = "fmse_learner"
LEARNER_DAYS = 365
GRANT = "fmse_learner_grant"
FORGET = "fmse_learner_forget"
GRANT_DAYS = 1
SETTING = "fmse_learner_cookie"
ROUTE = "fmse/learner"
FORGET_ROUTE = "fmse/learner/forget"

REFUSED = joined("server refusal", "Refused: this link is not valid (or has expired). Open the course again.",
                 sep="\n") + "\n"


def _valid_id(value: str | None) -> bool:
    from .records.store import LEARNER_ID

    return value is not None and bool(LEARNER_ID.match(value))


def base_url(environ=None) -> str:
    env = os.environ if environ is None else environ
    base = env.get("VOILA_BASE_URL") or "/"
    return base if base.endswith("/") else base + "/"


def grant_url(learner_id: str, secret: bytes | None = None, environ=None) -> str:
    """The address that makes the server remember `learner_id` in this browser (made in the kernel)."""
    if not _valid_id(learner_id):
        raise ValueError("not a learner id")
    token = sign(secret or load_secret(), GRANT, learner_id)
    return base_url(environ) + ROUTE + "?" + urlencode({"learner": learner_id, "token": token})


def forget_url(secret: bytes | None = None, environ=None) -> str:
    """The address that makes the server forget the learner in this browser ("I'm someone else")."""
    token = sign(secret or load_secret(), FORGET, "forget")
    return base_url(environ) + FORGET_ROUTE + "?" + urlencode({"token": token})


def known_learner(learner_id: str) -> bool:
    from .records.recorder import open_store

    try:
        store = open_store()
    except Exception:  # noqa: BLE001 - no readable records: nobody is known
        return False
    try:
        return store.learner(learner_id) is not None
    except Exception:  # noqa: BLE001
        return False
    finally:
        store.close()


def remembered(handler: tornado.web.RequestHandler) -> str | None:
    """The learner this browser remembers, if the cookie is valid, it is on, and the records know them."""
    if not handler.settings.get(SETTING):
        return None
    learner_id = cookie(handler, LEARNER_COOKIE, max_age_days=LEARNER_DAYS)
    return learner_id if learner_id is not None and _valid_id(learner_id) and known_learner(learner_id) else None


def _landing(handler: tornado.web.RequestHandler) -> str:
    from jupyter_server.utils import url_path_join

    from .server import LANDING

    return url_path_join(handler.settings.get("base_url", "/") or "/", LANDING)


class _Route(tornado.web.RequestHandler):
    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def refuse(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(REFUSED)


class RememberLearnerHandler(_Route):
    """GET /fmse/learner?learner=<id>&token=<grant>: set the learner cookie (204)."""

    def get(self) -> None:
        learner_id = self.get_query_argument("learner", "")
        token = self.get_query_argument("token", "")
        secret = self.settings.get("cookie_secret")
        if not self.settings.get(SETTING) or not secret or not _valid_id(learner_id) \
                or verify(secret, GRANT, token, max_age_days=GRANT_DAYS) != learner_id \
                or not known_learner(learner_id):
            self.refuse()
            return
        set_cookie(self, LEARNER_COOKIE, learner_id, expires_days=LEARNER_DAYS)
        self.set_status(204)
        self.finish()


class ForgetLearnerHandler(_Route):
    """GET /fmse/learner/forget?token=<token>: clear the learner cookie, then the landing page."""

    def get(self) -> None:
        token = self.get_query_argument("token", "")
        secret = self.settings.get("cookie_secret")
        if not self.settings.get(SETTING) or not secret or verify(secret, FORGET, token, max_age_days=GRANT_DAYS) \
                != "forget":
            self.refuse()
            return
        self.clear_cookie(LEARNER_COOKIE, path=self.settings.get("base_url", "/") or "/")
        self.redirect(_landing(self))
