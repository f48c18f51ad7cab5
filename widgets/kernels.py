"""Kernels belong to the browser session that opened their page, live while their page is open, and close when
it goes.

- Ownership: the page handler (`OwnedPageHandler`) notes which kernel it started (or took from the warm pool) for
  which browser session (widgets/session.py) and page. The kernel's websocket, its `/api/kernels/<id>` routes,
  its shutdown route and the page's notice route (`KernelStatusHandler`) answer only that session; to any other
  the kernel does not exist (404).
- Closing: the page's own shutdown (`navigator.sendBeacon` on leaving, which Voilà sends without an `_xsrf` field:
  voila#1458) is taken from the owner on the same site without it; and a kernel whose websockets have all closed
  is shut down after `GRACE` seconds, in case the beacon never came. A kernel with an open websocket is never
  culled, nor one whose page has not had `CONNECT_WAIT` seconds to connect.
- Limits: at most `MAX_PER_SESSION` live kernels per browser session (the least recently used closes first);
  reopening a page closes the same session's earlier kernel of that page if nothing is connected to it; a page
  request from another site that is not a top-level navigation starts nothing.
- A page whose kernel was closed while it was open learns why from `KernelStatusHandler` (static/kernel-notice.js
  shows the notice).
"""
from __future__ import annotations

import asyncio
import collections
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .bilingual import joined
from .session import browser_session

MAX_PER_SESSION = 8
MAX_PER_ADDRESS = 16    # under `workshop`, for a device on the network (a client that drops its cookies is a new
                        # browser session on every request; this still bounds it)
GRACE = 20.0            # seconds a kernel lives on after its last websocket closed
CONNECT_WAIT = 15.0     # seconds a new page has to connect to its kernel before culling may take it
CLOSED_MEMORY = 2000    # closed kernels remembered, for their pages' notices
CLOSED_CODE = 4001      # websocket close code when the server closes a page's kernel

# Why a kernel was closed (kernel-notice.js chooses its wording by these).
IDLE, LIMIT, REOPENED, LEFT, SHUTDOWN = "idle", "limit", "reopened", "left", "shutdown"

CROSS_SITE = joined("server refusal", "Refused: another website asked for this page. Open it from the course "
                                       "itself.", sep="\n") + "\n"


@dataclass
class Owned:
    session: str
    page: str
    address: str = ""
    used: float = field(default_factory=time.monotonic)
    claimed: float = field(default_factory=time.monotonic)
    sockets: set = field(default_factory=set)
    connected_once: bool = False


class KernelOwners:
    """Which browser session and page each live kernel belongs to, its open websockets, and why closed kernels
    were closed."""

    def __init__(self) -> None:
        self.live: dict[str, Owned] = {}
        self.closed: collections.OrderedDict[str, tuple[str, str]] = collections.OrderedDict()

    def claim(self, kernel_id: str, session: str, page: str, address: str = "") -> None:
        self.live[kernel_id] = Owned(session, page, address)
        self.closed.pop(kernel_id, None)

    def owner(self, kernel_id: str) -> str | None:
        owned = self.live.get(kernel_id)
        return owned.session if owned else None

    def of_session(self, session: str) -> dict[str, Owned]:
        return {k: o for k, o in self.live.items() if o.session == session}

    def connected(self, kernel_id: str) -> bool:
        owned = self.live.get(kernel_id)
        return bool(owned and owned.sockets)

    def page_open(self, kernel_id: str, now: float | None = None) -> bool:
        """Is the kernel's page open: connected to it, or still loading (not yet had CONNECT_WAIT to connect)?"""
        owned = self.live.get(kernel_id)
        if owned is None:
            return False
        now = time.monotonic() if now is None else now
        return bool(owned.sockets) or (not owned.connected_once and now - owned.claimed < CONNECT_WAIT)

    def touch(self, kernel_id: str) -> None:
        owned = self.live.get(kernel_id)
        if owned:
            owned.used = time.monotonic()

    def forget(self, kernel_id: str, reason: str) -> Owned | None:
        owned = self.live.pop(kernel_id, None)
        if owned is not None:
            self.closed[kernel_id] = (owned.session, reason)
            while len(self.closed) > CLOSED_MEMORY:
                self.closed.popitem(last=False)
        return owned

    def to_close_for(self, kernel_id: str, limit: int = MAX_PER_SESSION, per_address: int | None = None,
                     exempt: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """After `kernel_id` was claimed: (kernel, reason) for the same session's earlier kernels of the same page
        with nothing connected, then its least recently used beyond `limit`; then, with `per_address`, the
        least recently used of the same address (unless it is in `exempt`) beyond that."""
        new = self.live[kernel_id]
        mine = {k: o for k, o in self.of_session(new.session).items() if k != kernel_id}
        closing = [(k, REOPENED) for k, o in mine.items() if o.page == new.page and not o.sockets]
        rest = sorted(((o.used, k) for k, o in mine.items() if (k, REOPENED) not in closing))
        excess = len(rest) + 1 - limit
        closing += [(k, LIMIT) for _, k in rest[:max(0, excess)]]
        if per_address is not None and new.address and new.address not in exempt:
            gone = {k for k, _ in closing}
            same = sorted((o.used, k) for k, o in self.live.items()
                          if o.address == new.address and k != kernel_id and k not in gone)
            excess = len(same) + 1 - per_address
            closing += [(k, LIMIT) for _, k in same[:max(0, excess)]]
        return closing


class CourseKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, told who owns each kernel (widgets/kernels.py's module notes)."""

    grace = GRACE
    max_per_session = MAX_PER_SESSION
    max_per_address: int | None = None          # set under `workshop` (MAX_PER_ADDRESS)
    own_addresses: frozenset[str] = frozenset()  # ... not counting this computer's own addresses
    warming = None                              # widgets/warm.py's Warming under `serve --warm N` (N > 0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.owners = KernelOwners()
        self._reasons: dict[str, str] = {}
        self._grace_timers: dict[str, asyncio.TimerHandle] = {}

    # ---- ownership ------------------------------------------------------------------------------------------

    def claim(self, kernel_id: str, session: str, page: str, address: str = "") -> None:
        """`kernel_id` now belongs to `session` (a warm kernel only from here on: it waited for its page unowned)."""
        self.owners.claim(kernel_id, session, page, address)
        if self.warming is not None:
            from .warm import notebook_of

            notebook = notebook_of(page)
            if notebook:
                self.warming.opened(notebook)  # the pages likely next get warm kernels (widgets/warm.py)
        for other, reason in self.owners.to_close_for(kernel_id, self.max_per_session, self.max_per_address,
                                                      self.own_addresses):
            self.log.info("Closing a kernel of the same browser session (%s).", reason)
            asyncio.ensure_future(self.close(other, reason))

    async def close(self, kernel_id: str, reason: str) -> None:
        """Shut a kernel down, remembering why (its page's notice says so)."""
        if kernel_id not in self:
            self.owners.forget(kernel_id, reason)
            return
        self._reasons.setdefault(kernel_id, reason)
        try:
            await ensure_async(self.shutdown_kernel(kernel_id))
        except (KeyError, RuntimeError):
            self.owners.forget(kernel_id, reason)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        reason = self._reasons.pop(kernel_id, SHUTDOWN)
        timer = self._grace_timers.pop(kernel_id, None)
        if timer is not None:
            timer.cancel()
        owned = self.owners.forget(kernel_id, reason)
        if owned is not None:
            for socket in list(owned.sockets):
                try:
                    socket.close(CLOSED_CODE, f"kernel closed: {reason}")
                except Exception:  # noqa: BLE001 - already closing
                    pass
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    # ---- open pages -------------------------------------------------------------------------------------------

    def socket_opened(self, kernel_id: str, socket) -> None:
        owned = self.owners.live.get(kernel_id)
        if owned is None:
            return
        owned.sockets.add(socket)
        owned.connected_once = True
        owned.used = time.monotonic()
        timer = self._grace_timers.pop(kernel_id, None)
        if timer is not None:
            timer.cancel()

    def socket_closed(self, kernel_id: str, socket) -> None:
        owned = self.owners.live.get(kernel_id)
        if owned is None:
            return
        owned.sockets.discard(socket)
        if not owned.sockets and kernel_id not in self._grace_timers:
            loop = asyncio.get_event_loop()
            self._grace_timers[kernel_id] = loop.call_later(self.grace, self._after_grace, kernel_id)

    def _after_grace(self, kernel_id: str) -> None:
        self._grace_timers.pop(kernel_id, None)
        if kernel_id in self.owners.live and not self.owners.connected(kernel_id) and kernel_id in self:
            self.log.info("A page left: closing its kernel.")
            asyncio.ensure_future(self.close(kernel_id, LEFT))

    async def cull_kernel_if_idle(self, kernel_id):
        if self.owners.page_open(kernel_id):
            return
        self._reasons[kernel_id] = IDLE
        try:
            await super().cull_kernel_if_idle(kernel_id)
        finally:
            if kernel_id in self:
                self._reasons.pop(kernel_id, None)


def kernel_owners(handler) -> CourseKernelManager | None:
    manager = handler.settings.get("kernel_manager")
    return manager if isinstance(manager, CourseKernelManager) else None


def same_site(handler: tornado.web.RequestHandler) -> bool:
    """Did this request come from the course's own pages (or from no page at all, like a typed address)?"""
    fetch_site = handler.request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = handler.request.headers.get("Origin") or handler.request.headers.get("Referer")
    if not origin or origin == "null":
        return origin != "null"
    return urlsplit(origin).netloc.lower() == (handler.request.host or "").lower()


def top_level_navigation(handler: tornado.web.RequestHandler) -> bool:
    headers = handler.request.headers
    mode, dest = headers.get("Sec-Fetch-Mode"), headers.get("Sec-Fetch-Dest")
    if mode is None and dest is None:
        return "Origin" not in headers  # older browsers: navigations send no Origin on GET
    return mode == "navigate" and dest == "document"


def kernel_id_of(handler: tornado.web.RequestHandler) -> str:
    return handler.path_kwargs.get("kernel_id") or (handler.path_args[0] if handler.path_args else "")


# ---- the page --------------------------------------------------------------------------------------------------

class _Claiming:
    """The kernel manager as the page handler sees it: the kernel it starts or takes from the pool is claimed for
    the request's browser session and page."""

    def __init__(self, manager, handler) -> None:
        self._manager, self._handler = manager, handler

    def __getattr__(self, name):
        return getattr(self._manager, name)

    def _claim(self, kernel_id: str) -> None:
        if isinstance(self._manager, CourseKernelManager):
            session = browser_session(self._handler, create=True)
            assert session is not None  # create=True always gives one
            self._manager.claim(kernel_id, session, self._handler.request.path,
                                self._handler.request.remote_ip or "")

    async def start_kernel(self, *args, **kwargs):
        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        self._claim(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args, **kwargs):
        render_task, rendered_cache, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._claim(kernel_id)
        return render_task, rendered_cache, kernel_id


class OwnedPageHandler(TornadoVoilaHandler):
    """Voilà's page: refused to other sites unless it is a top-level navigation; its kernel is claimed for the
    browser session (a session cookie is set when the browser has none). Asked for without `?learner=` by a
    browser that remembers a learner (widgets/learner_cookie.py), it sends the browser to the same address with
    that learner."""

    async def prepare(self):
        if not (same_site(self) or top_level_navigation(self)):
            self.log.warning("Refused a page request from another site (not a navigation).")
            self.current_user = None
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=UTF-8")
            self.finish(CROSS_SITE)
            return
        browser_session(self, create=True)
        if self.request.method == "GET" and "learner" not in self.request.query_arguments:
            from .learner_cookie import remembered

            learner_id = remembered(self)
            if learner_id is not None:  # the page's kernel learns who it is from the address (issue 14)
                self.current_user = None
                query = [(k, v.decode("utf-8", "replace")) for k, values in self.request.query_arguments.items()
                         for v in values]
                self.redirect(self.request.path + "?" + urlencode([*query, ("learner", learner_id)]))
                return
        result = super().prepare()
        if result is not None:
            await result

    @property
    def kernel_manager(self):
        return _Claiming(self.settings["kernel_manager"], self)


# ---- routes of one kernel --------------------------------------------------------------------------------------

# A mixin placed before a Jupyter handler class: type-checked as the handler it is mixed into.
if TYPE_CHECKING:
    _Handler = tornado.web.RequestHandler
else:
    _Handler = object


class _OwnerOnly(_Handler):
    """Mixin: the request's kernel must belong to the request's browser session, else 404 (for all it knows,
    there is no such kernel)."""

    def owner_refusal(self) -> bool:
        manager = kernel_owners(self)
        if manager is None:
            return False
        session = browser_session(self)
        kernel_id = kernel_id_of(self)
        if session is not None and manager.owners.owner(kernel_id) == session:
            return False
        from .server import refuse

        refuse(self, 404)
        return True

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        """Refuse anyone but the owner before the handler's own prepare() runs (nothing runs after a refusal)."""
        if self.owner_refusal():
            return
        result = super().prepare(*args, **kwargs)  # the Jupyter/Voilà handler's own, next in the subclass's MRO
        if result is not None:
            await result


class OwnedKernelHandler(_OwnerOnly, KernelHandler):
    """GET / DELETE /api/kernels/<id>: the owner's only."""

    async def delete(self, kernel_id):
        manager = kernel_owners(self)
        if manager is not None:
            manager._reasons.setdefault(kernel_id, SHUTDOWN)
        await super().delete(kernel_id)


class OwnedKernelWebsocketHandler(_OwnerOnly, VoilaKernelWebsocketHandler):
    """The kernel's websocket: the owner's only; while it is open the kernel stays (no culling), and the last one
    closing starts the grace period after which the kernel is shut down."""

    async def open(self, kernel_id):
        manager = kernel_owners(self)
        if manager is not None:
            manager.socket_opened(kernel_id, self)
        await super().open(kernel_id)

    def on_message(self, message):
        manager = kernel_owners(self)
        if manager is not None:
            manager.owners.touch(self.kernel_id)
        return super().on_message(message)

    def on_close(self):
        manager = kernel_owners(self)
        if manager is not None and getattr(self, "kernel_id", None):
            manager.socket_closed(self.kernel_id, self)
        if getattr(self, "connection", None) is not None:
            super().on_close()


class OwnedShutdownHandler(_OwnerOnly, VoilaShutdownKernelHandler):
    """POST /voila/api/shutdown/<id>, which the page sends when it is left (navigator.sendBeacon, with an empty
    `_xsrf`: voila#1458): taken from the kernel's owner on the same site, without the `_xsrf` field. The session
    cookie is SameSite=Lax, so another site's POST never carries it; the Origin check refuses the rest."""

    def check_xsrf_cookie(self):
        if not same_site(self):
            raise tornado.web.HTTPError(403, "shutdown from another site")

    async def post(self, kernel_id):
        manager = kernel_owners(self)
        if manager is not None:
            await manager.close(kernel_id, SHUTDOWN)
            self.set_status(204)
            self.finish()
            return
        await super().post(kernel_id)


class KernelStatusHandler(tornado.web.RequestHandler):
    """GET /fmse/api/kernel/<id>: {"state": "open"} or {"state": "closed", "reason": ...}, for the owner's page
    (kernel-notice.js asks when its websocket closes)."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")

    def get(self, kernel_id):
        manager = kernel_owners(self)
        session = browser_session(self)
        if manager is None or session is None:
            raise tornado.web.HTTPError(404)
        if manager.owners.owner(kernel_id) == session and kernel_id in manager:
            self.finish(json.dumps({"state": "open"}))
            return
        closed = manager.owners.closed.get(kernel_id)
        if closed and closed[0] == session:
            self.finish(json.dumps({"state": "closed", "reason": closed[1]}))
            return
        raise tornado.web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs) -> None:
        self.finish(json.dumps({"state": "unknown"}))
