"""The course's Voilà server: Voilà serving notebooks/ with the course template, behind a course front door.

Differences from stock `voila notebooks/`:
- `/` and the file-tree pages redirect to the landing page; the contents API (a listing of every file) is off;
  any address no route serves gets the course's bilingual "page not found" page (`NotFoundPage`);
- the template is the course's `fmse` and cannot be swapped from the URL (`?template=`) or the theme changed;
- it listens on 127.0.0.1 only, on exactly the port asked for (no silent move to another port);
- a request sent to a host name other than this computer's own is refused (DNS rebinding);
- cookies are signed with the server's own secret, kept in the per-user data folder (widgets/session.py);
- each kernel belongs to the browser session that opened its page, stays while the page is open and closes when
  it goes; a session has at most 8 (widgets/kernels.py). Idle kernels nobody is connected to are culled.
- the learner is remembered by the browser in a signed cookie, and a page opened without `?learner=` is sent to
  the same address with it (widgets/learner_cookie.py); not under `workshop`.
- the pages a learner is most likely to open next have a warm kernel waiting, at most `--warm N` of them
  (widgets/warm.py).

Every route is one of Voilà's handler classes replaced by the course's own (`REPLACED`, by class), then wrapped
(`CourseVoila.wrap`): the host check first, and in a workshop the room's gate (widgets/workshop/gate.py).
"""
from __future__ import annotations

import inspect
import os
import signal
import webbrowser

import tornado.web
from jupyter_server.auth.logout import LogoutHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.handler import BaseVoilaHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .bilingual import joined, marked
from .file_routes import clean_file_errors
from .kernels import (CourseKernelManager, KernelStatusHandler, OwnedKernelHandler, OwnedKernelWebsocketHandler,
                      OwnedPageHandler, OwnedShutdownHandler)
from .paths import notebooks_dir, template_dir
from .learner_cookie import FORGET_ROUTE, ROUTE, SETTING as LEARNER_COOKIE_SETTING, ForgetLearnerHandler, \
    RememberLearnerHandler
from .session import load_secret

LANDING = "voila/render/index.ipynb"

class RedirectToLanding(tornado.web.RequestHandler):
    def get(self, *args):
        self.redirect(url_path_join(self.settings.get("base_url", "/"), LANDING))


class NotFoundPage(BaseVoilaHandler):
    """Any address no route serves (`/logout`, `/api/contents`, a mistyped page): the course's bilingual "page
    not found" page, Welsh first, as a mistyped `/voila/render/…` address gets, instead of Tornado's bare English
    "404: Not Found". Jupyter's `prepare()` runs first (so the error page has its user and XSRF is checked as on
    every other route); then every method is not found."""

    def _not_found(self, *args, **kwargs):
        raise tornado.web.HTTPError(404)

    get = head = post = put = patch = delete = options = _not_found


LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def request_host(handler: tornado.web.RequestHandler) -> str:
    """The host name a request was sent to (its Host header without the port), lower case."""
    host = (handler.request.host or "").lower()
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


REFUSALS = {403: marked("server refusal", "Refused: this is not available here."),
            404: marked("server refusal", "Not found.")}


def refusal(status: int) -> str:
    """The one-line bilingual answer (Welsh first) for a refused request with `status`."""
    return joined("server refusal", REFUSALS.get(status, REFUSALS[403]))


def refuse(handler: tornado.web.RequestHandler, status: int) -> None:
    """Stop a request in `prepare()`: pages get the course's bilingual error page for `status`; Jupyter's API,
    websocket and file handlers (whose own error page needs settings Voilà does not have) a one-line answer.

    Before Jupyter's own `prepare()` has run there is no user yet, and an error page would ask jupyter_server for
    one the deprecated way (an exception in the log and an empty page): say there is none."""
    from jupyter_server.base.handlers import JupyterHandler
    from voila.handler import VoilaHandler

    handler.current_user = None
    if handler._finished:
        return
    if isinstance(handler, VoilaHandler) or not isinstance(handler, JupyterHandler):
        raise tornado.web.HTTPError(status)
    handler.set_status(status)
    handler.set_header("Content-Type", "text/plain; charset=UTF-8")
    handler.finish(refusal(status) + "\n")


def host_checked(cls: type, allowed: frozenset[str]) -> type:
    """`cls` refusing (403) any request sent to a host name not in `allowed`.

    Voilà answers whatever Host a request names (`allow_remote_access`), so a web page whose own name has been
    pointed at 127.0.0.1 (DNS rebinding) could otherwise read course pages in the user's browser, the
    dashboard's staff records included.
    """
    async def prepare(self):
        if request_host(self) not in allowed:
            refuse(self, 403)
            return  # nothing else runs: not Jupyter's prepare (its XSRF check), not the handler
        result = super(checked, self).prepare()
        if inspect.isawaitable(result):
            await result

    checked = type(cls.__name__, (cls,), {"prepare": prepare, "__doc__": cls.__doc__,
                                         "__module__": cls.__module__})
    return checked


# What the course server does with each of Voilà's handler classes: replaces it with its own (None: no route).
REPLACED: dict[type, type | None] = {
    TornadoVoilaTreeHandler: None,
    VoilaContentsHandler: None,
    TornadoVoilaHandler: OwnedPageHandler,
    KernelHandler: OwnedKernelHandler,
    VoilaKernelWebsocketHandler: OwnedKernelWebsocketHandler,
    VoilaShutdownKernelHandler: OwnedShutdownHandler,
    # The course has no sign-in, so nothing to sign out of; jupyter_server's page for it needs a template Voilà
    # does not have (a GET answered 500).
    LogoutHandler: None,
}


def replaced(handlers: list) -> list:
    """Voilà's routes with each handler class replaced as `REPLACED` says (dropped where it says None), and its
    JavaScript served so that the browser keeps it (widgets/static_cache.py)."""
    from .static_cache import static_routes

    kept = []
    for pattern, cls, *rest in static_routes(handlers):
        cls = REPLACED.get(cls, cls)
        if cls is not None:
            kept.append((pattern, cls, *rest))
    return kept


def course_routes(base_url: str) -> list:
    """The course's own routes in front of Voilà's, under `base_url`: the file tree and the bare render
    address go to the landing page; a page's kernel notice; the remembered learner (widgets/learner_cookie.py).
    Shared by `fmse-course serve` and the Jupyter server extension (widgets/server_extension.py)."""
    return [
        (url_path_join(base_url, r"/voila/tree(.*)"), RedirectToLanding),
        (url_path_join(base_url, r"/voila/render/?"), RedirectToLanding),
        (url_path_join(base_url, r"/fmse/api/kernel/([0-9a-f-]{36})"), KernelStatusHandler),
        (url_path_join(base_url, ROUTE), RememberLearnerHandler),
        (url_path_join(base_url, FORGET_ROUTE), ForgetLearnerHandler),
    ]


class CourseVoila(Voila):
    """Voilà with the course's front door, kernel ownership and cookie secret."""

    start_path = LANDING  # what the browser opens; set from --lang
    learner_cookie = True  # widgets/learner_cookie.py; not under `workshop`
    warm = 0  # warm kernels kept for the likely next pages (widgets/warm.py); `serve` sets it from --warm

    def allowed_hosts(self) -> frozenset[str]:
        """Host names requests may be sent to: this computer's own names only."""
        return LOCAL_NAMES

    def initialize(self, argv=None):
        super().initialize(argv)
        # Ctrl+C stops the server at the event loop's next turn, as Voilà stops it on SIGTERM, instead of by a
        # KeyboardInterrupt raised wherever the main thread happens to be: raised while a warm kernel was being
        # started, it was lost and the server went on running (seen once in CI, test_first_run's Ctrl+C test).
        signal.signal(signal.SIGINT, self._stop_on_interrupt)

    def _stop_on_interrupt(self, signum, frame) -> None:
        loop = getattr(self, "ioloop", None)
        if loop is None or getattr(self, "_interrupted", False):
            raise KeyboardInterrupt  # not serving yet, or a second Ctrl+C while stopping: at once, as Python would
        self._interrupted = True
        self.log.info("Stopping...")
        loop.asyncio_loop.call_soon_threadsafe(loop.stop)

    def init_settings(self):
        # Set explicitly (never Voilà's default), and the same after a restart: widgets/session.py.
        self.cookie_secret = load_secret()
        self.voila_configuration.multi_kernel_manager_class = CourseKernelManager
        settings = super().init_settings()
        settings["cookie_secret"] = self.cookie_secret
        settings[LEARNER_COOKIE_SETTING] = self.learner_cookie  # the learner remembered by the browser (issue 14)
        # An address no route serves: the course's "page not found", checked and wrapped as every route is.
        settings["default_handler_class"] = self.wrap(("", NotFoundPage))[1]
        settings["default_handler_args"] = {"voila_configuration": self.voila_configuration}
        if self.warm > 0 and isinstance(self.kernel_manager, CourseKernelManager) \
                and hasattr(self.kernel_manager, "fill_if_needed"):
            from .warm import WarmPlan, Warming

            self.kernel_manager.warming = Warming(self.kernel_manager, WarmPlan(self.warm),
                                                  self.kernel_manager.fill_delay)
        return settings

    def stop(self):
        """Stop the warm kernels still waiting for a page outright, then the rest as Voilà does (a waiting kernel
        asked politely ends its cell after its sockets have closed: a traceback in the terminal for each)."""
        if getattr(self.kernel_manager, "_pools", None):
            from jupyter_core.utils import run_sync

            from .warm import drop_all_waiting

            run_sync(drop_all_waiting)(self.kernel_manager)
        super().stop()

    def course_handlers(self) -> list:
        """Every route of the course server with its unwrapped handler class."""
        return [(self.server_url, RedirectToLanding), *course_routes(self.server_url),
                *replaced(super().init_handlers())]

    def wrap(self, spec: tuple) -> tuple:
        """One route as served: its handler refusing foreign host names before anything else."""
        pattern, cls, *rest = spec
        return (pattern, host_checked(clean_file_errors(cls), self.allowed_hosts()), *rest)

    def init_handlers(self):
        return [self.wrap(spec) for spec in self.course_handlers()]

    def launch_browser(self):
        url = url_path_join(self.connection_url, self.base_url, self.start_path)
        try:
            webbrowser.open(url, new=2)
        except webbrowser.Error as exc:
            self.log.warning("No web browser found (%s): open %s yourself.", exc, url)


def voila_argv(port: int, *, cull_idle: int, cull_interval: int, open_browser: bool,
               ip: str = "127.0.0.1") -> list[str]:
    return [
        str(notebooks_dir()),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--Voila.open_browser=" + ("True" if open_browser else "False"),
        "--template=fmse",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        # Every frame from a page checked before jupyter_server reads it; no traceback sent to a page.
        "--Voila.kernel_websocket_connection_class=fmse_widgets.kernel_channel.CourseKernelConnection",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        # Kernels talk to the server over Unix sockets where there are any: with TCP, kernels started together
        # can pick the same free port, and one dies ("Address already in use"; seen in benchmarks/workshop.py
        # when 30 warm kernels were replaced at once).
        *(["--KernelManager.transport=ipc"] if os.name == "posix" else []),
    ]


def use_course_template() -> None:
    """Put the course template's folder first on JUPYTER_PATH, where Voilà looks for templates."""
    existing = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(template_dir()), existing]))


def serve(port: int, *, start_path: str = LANDING, open_browser: bool = True,
          cull_idle: int = 600, cull_interval: int = 60, warm: int | None = None) -> None:
    from .warm import DEFAULT_WARM, pool_config

    use_course_template()
    CourseVoila.start_path = start_path
    CourseVoila.warm = DEFAULT_WARM if warm is None else max(0, warm)
    CourseVoila.launch_instance(argv=voila_argv(port, cull_idle=cull_idle, cull_interval=cull_interval,
                                                open_browser=open_browser),
                                config=pool_config(CourseVoila.warm))
