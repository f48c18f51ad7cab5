"""The workshop server's front door: who may open what, the join page and the trainer's way in.

`fmse-course workshop` listens on the network, so every route Voilà has is wrapped in a gate:
- anyone may open the join page and static files (styles, scripts, fonts), and nothing else;
- a participant (someone who typed the join code; a signed cookie remembers it) may open the room page, the
  modules and the reference pages, always with their own participant id and the workshop code in the link, so
  their answers go under the workshop code and never into staff training records; never the landing page's
  list of learners, the dashboard (records) or the trainer's page;
- the trainer (whose browser came in with the long trainer token; a separate signed cookie) may open everything;
- the callback by which a preheated kernel fetches its request (`/voila/query/`) is taken only from this
  computer's own addresses; the login pages are gone.
Every route is classified by its handler class itself (`KINDS`): a route whose class is not there stops the
server at start (`UnclassifiedRoute`), so a new or renamed handler upstream can never be open by default.
Cookies are signed with the server's own secret (widgets/session.py); the trainer's cookie names this run's
token, so it lasts one workshop.
"""
from __future__ import annotations

import asyncio
import hashlib
import inspect
import math
import time
from collections import deque
from typing import Any
from urllib.parse import urlencode

import tornado.web
from jupyter_server.utils import url_path_join
from tornado import template

from ..bilingual import both, marked
from ..course import PageInfo, pages
from ..languages import LANGS
from ..paths import workshop_templates_dir
from ..records.errors import RecordsError
from ..records.store import LEARNER_ID, clean_nickname
from .room import PARTICIPANT_PAGE, TRAINER_PAGE, local_addresses, normalise_code, same_secret

PARTICIPANT_COOKIE = "fmse_workshop"
TRAINER_COOKIE = "fmse_trainer"
COOKIE_DAYS = 1
MAX_FAILURES = 20          # wrong codes or tokens from one address ...
FAILURE_WINDOW = 600.0     # ... within this many seconds, then that address must wait (never this laptop's own
                           # addresses for the trainer's token: a page in the trainer's browser cannot lock it out)
MAX_JOINS = 5              # successful joins from one address (not this laptop's own) ...
JOIN_WINDOW = 60.0         # ... within this many seconds
PARTICIPANT_KINDS = ("module", "reference")
TEMPLATES = template.Loader(str(workshop_templates_dir()))

# The join page's wording: English here, Welsh in the gettext catalogue (context CONTEXT), both shown at once.
CONTEXT = "workshop join page"
JOIN_TITLE = marked("workshop join page", "Join the workshop")
TRAINER_TITLE = marked("workshop join page", "The trainer's page")
NEEDS_TOKEN = marked("workshop join page", "This address needs the trainer's token. Use the address shown when the "
                                           "workshop started.")
JOIN_WORDING = {
    "intro": marked("workshop join page", "Type the code on the trainer's screen."),
    "code": marked("workshop join page", "Join code"),
    "nickname": marked("workshop join page", "Nickname (optional)"),
    "nickname_hint": marked("workshop join page", "Only the trainer sees it, in the list of who has joined. You do not "
                                                  "need to use your real name."),
    "language": marked("workshop join page", "Course language"),
    "join": marked("workshop join page", "Join"),
    "privacy": marked("workshop join page", "Your answers are kept on the trainer's laptop under the workshop code, "
                                            "apart from staff training records. The screen shows only how many gave "
                                            "each answer, never names."),
}


def page_wording() -> dict[str, tuple[str, str]]:
    """The join page's fixed text as (Welsh, English) pairs."""
    return {key: both("workshop join page", english) for key, english in JOIN_WORDING.items()}


# What the gate does with each handler class (exactly these classes: a subclass is a new class, unclassified).
PUBLIC, LOCAL_ONLY, GONE, PAGE, MEMBERS, ROOM_REDIRECT = "public", "local", "gone", "page", "members", "redirect"


def room_capacity(participants: int) -> int:
    """How many may join a workshop run for `participants`: that many plus 10% (at least one more)."""
    return participants + max(1, math.ceil(participants / 10))


def handler_kinds() -> dict[type, str]:
    from jupyter_server.auth.login import LegacyLoginHandler, LoginFormHandler
    from jupyter_server.auth.logout import LogoutHandler
    from jupyter_server.base.handlers import FileFindHandler
    from jupyterlab_server.themes_handler import ThemesHandler
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.static_file_handler import AllowListFileHandler, MultiStaticFileHandler, TemplateStaticFileHandler
    from voila.voila_identity_provider import VoilaLoginHandler

    from .. import kernels, learner_cookie
    from ..server import RedirectToLanding
    from ..static_cache import CachedLabExtensions, VersionedStatic

    return {
        MultiStaticFileHandler: PUBLIC, TemplateStaticFileHandler: PUBLIC, FileFindHandler: PUBLIC,
        VersionedStatic: PUBLIC, CachedLabExtensions: PUBLIC,
        RequestInfoSocketHandler: LOCAL_ONLY,
        VoilaLoginHandler: GONE, LoginFormHandler: GONE, LegacyLoginHandler: GONE, LogoutHandler: GONE,
        kernels.OwnedPageHandler: PAGE,
        kernels.OwnedKernelHandler: MEMBERS, kernels.OwnedKernelWebsocketHandler: MEMBERS,
        kernels.OwnedShutdownHandler: MEMBERS, kernels.KernelStatusHandler: MEMBERS,
        ThemesHandler: MEMBERS, AllowListFileHandler: MEMBERS,
        RedirectToLanding: ROOM_REDIRECT,
        # The learner remembered by the browser is the course's own, not the workshop's: no such routes here.
        learner_cookie.RememberLearnerHandler: GONE, learner_cookie.ForgetLearnerHandler: GONE,
    }


class UnclassifiedRoute(RuntimeError):
    """A route whose handler class the gate does not know: the workshop must not start."""

    def __init__(self, routes: list[tuple[str, type]]):
        listed = ", ".join(f"{pattern} ({cls.__module__}.{cls.__qualname__})" for pattern, cls in routes)
        super().__init__(
            f"The workshop gate does not know what to do with: {listed}. Add each class to handler_kinds() in "
            f"widgets/workshop/gate.py. / Nid yw giât y gweithdy yn gwybod beth i'w wneud â: {listed}. "
            f"Ychwanegwch bob dosbarth at handler_kinds() yn widgets/workshop/gate.py.")
        self.routes = routes


class Room:
    """What the server knows of the workshop it runs: the secrets, who has joined, wrong attempts."""

    def __init__(self, code: str, token: str, lang: str, *, base_url: str = "/", store_factory=None,
                 capacity: int | None = None):
        from ..records import open_store

        self.code, self.token, self.lang, self.base_url = code, token, lang, base_url
        self.store_factory = store_factory or open_store
        self.capacity = capacity                    # most people who may join (None: no limit)
        self.participants: dict[str, str] = {}      # learner id -> language chosen when joining
        self.failures: dict[str, deque[float]] = {}
        self.joins: dict[str, deque[float]] = {}
        self.joining = 0                            # joins under way (counted against the capacity)
        self.local = local_addresses()
        self.pages: dict[str, PageInfo] = {p.path: p for p in pages()}

    def page_url(self, page: str, lang: str, learner_id: str | None = None) -> str:
        info = next((p for p in self.pages.values() if p.page == page and p.lang == lang), None)
        if info is None:
            info = next(p for p in self.pages.values() if p.page == page)
        url = url_path_join(self.base_url, "voila/render", info.path)
        if learner_id:
            url += "?" + urlencode({"learner": learner_id, "workshop": self.code})
        return url

    def trainer_url(self, lang: str | None = None) -> str:
        return self.page_url(TRAINER_PAGE, lang or self.lang)

    # ---- wrong attempts --------------------------------------------------------------------------------

    def blocked(self, address: str) -> bool:
        recent = self.failures.get(address)
        if not recent:
            return False
        while recent and recent[0] < time.monotonic() - FAILURE_WINDOW:
            recent.popleft()
        return len(recent) >= MAX_FAILURES

    def failed(self, address: str) -> None:
        self.failures.setdefault(address, deque()).append(time.monotonic())

    # ---- joins -------------------------------------------------------------------------------------------------

    def full(self) -> bool:
        return self.capacity is not None and len(self.participants) + self.joining >= self.capacity

    def joins_exhausted(self, address: str) -> bool:
        """Has `address` (not this laptop) joined MAX_JOINS times within the last JOIN_WINDOW seconds?"""
        if address in self.local:
            return False
        recent = self.joins.get(address)
        if not recent:
            return False
        while recent and recent[0] < time.monotonic() - JOIN_WINDOW:
            recent.popleft()
        return len(recent) >= MAX_JOINS

    def joined(self, address: str) -> None:
        self.joins.setdefault(address, deque()).append(time.monotonic())

    # ---- who is asking -----------------------------------------------------------------------------------

    def trainer_cookie_value(self) -> str:
        """What the trainer's cookie says: this workshop, and this run's token (a digest of it, never the token)."""
        digest = hashlib.sha256(self.token.encode("utf-8")).hexdigest()[:32]
        return f"trainer:{self.code}:{digest}"

    def is_trainer(self, handler: tornado.web.RequestHandler) -> bool:
        value = handler.get_signed_cookie(TRAINER_COOKIE, max_age_days=COOKIE_DAYS)
        return value is not None and same_secret(value.decode("utf-8", "replace"), self.trainer_cookie_value())

    def participant(self, handler: tornado.web.RequestHandler) -> str | None:
        """The participant id in the request's cookie, if it is one who joined this workshop."""
        value = handler.get_signed_cookie(PARTICIPANT_COOKIE, max_age_days=COOKIE_DAYS)
        if value is None:
            return None
        code, _, learner_id = value.decode("utf-8", "replace").partition(":")
        if code == self.code and LEARNER_ID.match(learner_id) and learner_id in self.participants:
            return learner_id
        return None

    # ---- the decision --------------------------------------------------------------------------------------

    def decide(self, handler: tornado.web.RequestHandler, kind: str) -> tuple[str, str | int] | None:
        """None to let the request through; ("redirect", url) or ("status", code) otherwise."""
        if kind == PUBLIC:
            return None
        if kind == GONE:
            return ("status", 404)
        if kind == LOCAL_ONLY:
            return None if handler.request.remote_ip in self.local else ("status", 403)
        trainer = self.is_trainer(handler)
        learner_id = None if trainer else self.participant(handler)
        if kind == PAGE:
            return self._render(handler, trainer, learner_id)
        if kind == MEMBERS and (trainer or learner_id):
            return None
        return ("status", 403)  # and anything else, whatever it is

    def _render(self, handler, trainer: bool, learner_id: str | None) -> tuple[str, str | int] | None:
        path = handler.path_args[0] if handler.path_args else ""
        info = self.pages.get(path)
        if trainer:
            return None if info is not None else ("status", 404)
        if learner_id is None:
            return ("redirect", url_path_join(self.base_url, "workshop/join"))
        lang = self.participants.get(learner_id, self.lang)
        if info is None:
            return ("status", 404)
        if info.kind == "landing":
            return ("redirect", self.page_url(PARTICIPANT_PAGE, lang, learner_id))
        if info.page != PARTICIPANT_PAGE and info.kind not in PARTICIPANT_KINDS:
            return ("status", 403)
        query = handler.request.query_arguments
        if query.get("learner") != [learner_id.encode()] or query.get("workshop") != [self.code.encode()] \
                or len(query) != 2:
            return ("redirect", self.page_url(info.page, info.lang, learner_id))
        return None


def gate(cls: type, room: Room, kind: str) -> type:
    """`cls` with the room's decision made before anything else it does."""
    from ..server import refuse

    async def prepare(self):
        verdict = room.decide(self, kind)
        if verdict is not None:
            what, value = verdict
            if what == "redirect":
                self.redirect(str(value))
            else:
                refuse(self, int(value))
            return  # nothing else runs after a refusal
        result = super(gated, self).prepare()
        if inspect.isawaitable(result):
            await result

    gated = type(f"Workshop{cls.__name__}", (cls,), {"prepare": prepare, "__doc__": cls.__doc__,
                                                    "__module__": cls.__module__})
    return gated


def classify(handlers: list) -> list[tuple[str, type, str]]:
    """(pattern, class, kind) for every route; raises UnclassifiedRoute naming every route it cannot place."""
    kinds = handler_kinds()
    unknown = [(spec[0], spec[1]) for spec in handlers if spec[1] not in kinds]
    if unknown:
        raise UnclassifiedRoute(unknown)
    return [(spec[0], spec[1], kinds[spec[1]]) for spec in handlers]


class RoomPage(tornado.web.RequestHandler):
    """Base of the workshop's own pages (bilingual, Welsh first, from templates/join.html)."""

    def initialize(self, room: Room) -> None:
        self.room = room

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")

    def page(self, status: int = 200, *, problems=(), show_form: bool = True, code: str = "", nickname: str = "",
             lang: str | None = None, code_wrong: bool = False, nickname_wrong: bool = False,
             title: str = JOIN_TITLE) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(TEMPLATES.load("join.html").generate(
            base_url=self.room.base_url, title=both(CONTEXT, title), t=page_wording(), problems=list(problems),
            show_form=show_form, code=code, nickname=nickname, lang=lang or self.room.lang, code_wrong=code_wrong,
            nickname_wrong=nickname_wrong, xsrf_form_html=self.xsrf_form_html))

    def write_error(self, status_code: int, **kwargs) -> None:
        # Never a traceback: the same bilingual page, with what happened in plain words.
        self.page(status_code, show_form=False, problems=[
            both("workshop join page", "This page could not be opened. Ask the trainer for the join address.")])


class JoinHandler(RoomPage):
    """GET: the join form (the QR code's address fills the code in). POST: join, then go to the room page."""

    def get(self) -> None:
        learner_id = self.room.participant(self)
        if learner_id is not None:
            self.redirect(self.room.page_url(PARTICIPANT_PAGE, self.room.participants[learner_id], learner_id))
            return
        lang = self.get_query_argument("lang", self.room.lang)
        self.page(code=normalise_code(self.get_query_argument("code", "")), lang=lang if lang in LANGS
                  else self.room.lang)

    async def post(self) -> None:
        self.check_xsrf_cookie()
        address = self.request.remote_ip or ""
        code = normalise_code(self.get_body_argument("code", ""))
        nickname: str | None = self.get_body_argument("nickname", "")[:200]
        lang = self.get_body_argument("lang", self.room.lang)
        lang = lang if lang in LANGS else self.room.lang
        shown: dict[str, Any] = {"code": code, "nickname": nickname, "lang": lang}
        if self.room.joins_exhausted(address):
            self.page(429, **shown, problems=[both(
                "workshop join page",
                "Too many people have joined from this device in the last minute. Wait a minute, then try again.")])
            return
        if self.room.blocked(address):
            self.page(429, **shown, code_wrong=True, problems=[both(
                "workshop join page",
                "Too many wrong codes have come from this device. Wait ten minutes, then try again.")])
            return
        if not same_secret(code, self.room.code):
            self.room.failed(address)
            problem = (both("workshop join page", "Type the join code that is on the trainer's screen.") if not code
                       else both("workshop join page", "That code is not right. Check the code on the trainer's "
                                                       "screen and try again."))
            self.page(400, **shown, code_wrong=True, problems=[problem])
            return
        try:
            nickname = clean_nickname(nickname)
        except RecordsError:
            self.page(400, **shown, nickname_wrong=True, problems=[both(
                "workshop join page",
                "A nickname can have up to 40 characters, with no line breaks or control characters. Change it, or "
                "leave it empty.")])
            return
        if self.room.full():
            self.page(403, **shown, problems=[both(
                "workshop join page", "The workshop is full: {n} people have joined. Tell the trainer.",
                n=len(self.room.participants))])
            return
        self.room.joining += 1
        try:
            participant = await asyncio.get_running_loop().run_in_executor(None, self._join, nickname)
        except RecordsError as exc:
            self.page(503, **shown, problems=[(exc.message("cy"), exc.message("en")), both(
                "workshop join page", "Tell the trainer. Nothing saved already has been lost.")])
            return
        finally:
            self.room.joining -= 1
        self.room.joined(address)
        self.room.participants[participant] = lang
        self.set_signed_cookie(PARTICIPANT_COOKIE, f"{self.room.code}:{participant}", expires_days=COOKIE_DAYS,
                               httponly=True, samesite="Lax")
        self.redirect(self.room.page_url(PARTICIPANT_PAGE, lang, participant), status=303)

    def _join(self, nickname: str | None) -> str:
        store = self.room.store_factory()
        try:
            return store.join_workshop(self.room.code, nickname).learner_id
        finally:
            store.close()


class TrainerHandler(RoomPage):
    """The trainer's way in: `?token=` with the trainer token sets the trainer's cookie, then the results page
    opens without the token in its address (the projector never shows it)."""

    def get(self) -> None:
        lang = self.get_query_argument("lang", self.room.lang)
        lang = lang if lang in LANGS else self.room.lang
        address = self.request.remote_ip or ""
        token = self.get_query_argument("token", None)
        if token is not None:
            # From this laptop's own addresses the token is never locked out, and wrong tokens are not counted:
            # any web page open in the trainer's browser can send requests here.
            here = address in self.room.local
            if (not here and self.room.blocked(address)) or not same_secret(token, self.room.token):
                if not here:
                    self.room.failed(address)
                self.page(403, show_form=False, title=TRAINER_TITLE, problems=[both(CONTEXT, NEEDS_TOKEN)])
                return
            self.set_signed_cookie(TRAINER_COOKIE, self.room.trainer_cookie_value(), expires_days=COOKIE_DAYS,
                                   httponly=True, samesite="Lax")
            self.redirect(self.room.trainer_url(lang))
            return
        if self.room.is_trainer(self):
            self.redirect(self.room.trainer_url(lang))
            return
        self.page(403, show_form=False, title=TRAINER_TITLE, problems=[both(CONTEXT, NEEDS_TOKEN)])


class RedirectToRoom(tornado.web.RequestHandler):
    """`/`, the file tree and bare `/voila/render/`: the join page, the room page or the trainer's page."""

    def initialize(self, room: Room) -> None:
        self.room = room

    def get(self, *args) -> None:
        if self.room.is_trainer(self):
            self.redirect(self.room.trainer_url())
            return
        learner_id = self.room.participant(self)
        if learner_id is not None:
            self.redirect(self.room.page_url(PARTICIPANT_PAGE, self.room.participants[learner_id], learner_id))
            return
        self.redirect(url_path_join(self.room.base_url, "workshop/join"))


def gated_handlers(handlers: list, room: Room, wrap) -> list:
    """The server's routes (unwrapped handler classes) behind the room's gate, each then wrapped by `wrap` (the
    host check, which runs first), with the workshop's own pages first. Refuses (UnclassifiedRoute) any route it
    cannot classify."""
    gated = []
    for spec, (pattern, cls, kind) in zip(handlers, classify(handlers)):
        if kind == ROOM_REDIRECT:
            gated.append(wrap((pattern, RedirectToRoom, {"room": room})))
        else:
            gated.append(wrap((pattern, gate(cls, room, kind), *spec[2:])))
    base = room.base_url
    return [wrap((url_path_join(base, "workshop/join"), JoinHandler, {"room": room})),
            wrap((url_path_join(base, "workshop/trainer"), TrainerHandler, {"room": room})),
            *gated]
