"""The course inside a user's Jupyter server (JupyterHub's single-user server, or `jupyter server`).

Under a hub each user's server is a Jupyter server, not the standalone Voilà app of `fmse-course serve`, so the
course is also a Jupyter server extension. It takes Voilà's own server extension (which must be switched off:
`single_user_config()`), records the routes Voilà would add, and adds them the way `fmse-course serve` serves
them (widgets/server.py's `REPLACED`, `course_routes()`, `clean_file_errors`):

- pages at `<base>/voila/render/<path>` with the course template; template and theme fixed, tracebacks off;
- no Voilà file tree or contents listing (the tree goes to the landing page, the contents API is gone);
- a page's kernel belongs to the browser session that opened it; the course's limits per session and its culling
  (widgets/kernels.py) hold; the kernel's websocket checks every frame and keeps tracebacks and error output
  from the page (widgets/kernel_channel.py), for page kernels only: JupyterLab's own kernels, which the user
  opened in `<base>/lab`, behave as in any JupyterLab (the user sees their own errors there);
- bilingual refusals and error pages (the course template's error page; `server.REFUSALS`).

What stays Jupyter's: the server's sign-in (under a hub: the hub's OAuth, so only the user reaches their server),
JupyterLab at `<base>/lab` with its own file browser (no Welsh language pack exists for it), and the landing page
as the default URL (`single_user_config()`).
"""
from __future__ import annotations

import os

from jupyter_server.utils import url_path_join

from .file_routes import clean_file_errors
from .kernel_channel import CourseKernelConnection
from .kernels import CourseKernelManager, OwnedPageHandler
from .learner_cookie import SETTING as LEARNER_COOKIE_SETTING
from .server import LANDING, RedirectToLanding, course_routes, replaced, use_course_template

EXTENSION = "fmse_widgets.server_extension"


def _jupyter_server_extension_points():
    return [{"module": EXTENSION}]


def single_user_config(*, cull_idle: int = 600, cull_interval: int = 60) -> dict:
    """The Jupyter server settings the course needs, as a traitlets config dict (section -> trait -> value):
    Voilà's own extension off and this one on, the course's kernel manager and websocket connection, the
    template locks, culling, and the landing page as the default URL. `jupyter server` takes them as
    `--Section.trait=value` (`single_user_argv()`); the hub passes them to each user's server."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"voila.server_extension": False, EXTENSION: True},
            "kernel_manager_class": "fmse_widgets.kernels.CourseKernelManager",
            "kernel_websocket_connection_class": "fmse_widgets.server_extension.PageKernelConnection",
            "default_url": "/" + LANDING,
        },
        "VoilaConfiguration": {
            "template": "fmse",
            "allow_template_override": "NO",
            "allow_theme_override": "NO",
            "show_tracebacks": False,
        },
        "MappingKernelManager": {"cull_idle_timeout": cull_idle, "cull_interval": cull_interval},
        **({"KernelManager": {"transport": "ipc"}} if os.name == "posix" else {}),
    }


def single_user_argv(**kwargs) -> list[str]:
    """`single_user_config()` as command-line options for `jupyter server` / `jupyterhub-singleuser`."""
    argv = []
    for section, traits in single_user_config(**kwargs).items():
        for trait, value in traits.items():
            if isinstance(value, dict):  # a Dict trait: one `key=value` option per item
                argv += [f"--{section}.{trait}={key}={item}" for key, item in value.items()]
            else:
                argv.append(f"--{section}.{trait}={value}")
    return argv


class _Recorder:
    """Stands in for the server's web application while Voilà's extension adds its routes, so they can be
    replaced before any is served. The settings are the real ones (Voilà puts its template environment there)."""

    def __init__(self, web_app) -> None:
        self.settings = web_app.settings
        self.routes: list = []

    def add_handlers(self, host_pattern: str, handlers: list) -> None:
        self.routes.extend(handlers)


def voila_routes(server_app) -> list:
    """The routes Voilà's own server extension would add to `server_app`, unchanged."""
    from voila.server_extension import _load_jupyter_server_extension as load_voila

    web_app = server_app.web_app
    recorder = _Recorder(web_app)
    server_app.web_app = recorder
    try:
        load_voila(server_app)
    finally:
        server_app.web_app = web_app
    return recorder.routes


def _locked(routes: list) -> list:
    """Voilà's configuration object, shared by its routes, with the course's locks whatever a voila.json in a
    Jupyter path says (the user's own files must not swap the template or bring tracebacks back)."""
    for _, _, *rest in routes:
        conf = rest[0].get("voila_configuration") if rest and isinstance(rest[0], dict) else None
        if conf is not None:
            conf.template = "fmse"
            conf.allow_template_override = "NO"
            conf.allow_theme_override = "NO"
            conf.show_tracebacks = False
    return routes


def _load_jupyter_server_extension(server_app) -> None:
    if not isinstance(server_app.kernel_manager, CourseKernelManager):
        server_app.log.warning("fmse-course: the kernel manager is not the course's (start the server with "
                               "fmse_widgets.server_extension.single_user_argv()): page kernels have no owner, "
                               "limits or early culling.")
    use_course_template()  # before Voilà looks for the template
    web_app = server_app.web_app
    base_url = web_app.settings.get("base_url", "/")
    web_app.settings[LEARNER_COOKIE_SETTING] = False  # the learner is the hub user, not a remembered cookie
    routes = [(url_path_join(base_url, r"/voila/?"), RedirectToLanding), *course_routes(base_url)]
    routes += [(pattern, HubPageHandler if cls is OwnedPageHandler else cls, *rest)
               for pattern, cls, *rest in replaced(_locked(voila_routes(server_app)))]
    web_app.add_handlers(".*$", [(pattern, clean_file_errors(cls), *rest) for pattern, cls, *rest in routes])
    if "voila_jinja2_env" in web_app.settings and "jinja2_env" in web_app.settings:
        web_app.settings["jinja2_env"] = _CourseErrorPages(web_app.settings["jinja2_env"],
                                                           web_app.settings["voila_jinja2_env"])


load_jupyter_server_extension = _load_jupyter_server_extension

ERROR_PAGES = {"404.html": "404.html", "error.html": "error.html", "403.html": "refused.html"}


class _CourseErrorPages:
    """The server's template environment, except that its error pages are the course template's (bilingual,
    Welsh first, never the exception's text): jupyter_server renders `<status>.html`, else `error.html`, for
    any route it answers with an error, so an unknown address under the user's server gets the course's page.
    A refusal (403) gets the course's refusal page (refused.html: "Refused", and why where the course knows).
    Its other pages (login, logout) stay Jupyter's."""

    def __init__(self, server_env, course_env) -> None:
        self._server_env, self._course_env = server_env, course_env

    def get_template(self, name, *args, **kwargs):
        if name in ERROR_PAGES:
            return self._course_env.get_template(ERROR_PAGES[name], *args, **kwargs)
        return self._server_env.get_template(name, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._server_env, name)


class PageKernelConnection(CourseKernelConnection):
    """The kernel websocket of a user's Jupyter server: for a course page's kernel (one the page handler claimed)
    the course's checks and ownership, as `fmse-course serve` has them; for any other kernel (JupyterLab's),
    jupyter_server's own connection unchanged."""

    def _page_kernel(self) -> bool:
        manager = self.multi_kernel_manager
        return isinstance(manager, CourseKernelManager) and self.kernel_id in manager.owners.live

    async def prepare(self):
        if self._page_kernel():
            from tornado.web import HTTPError

            from .session import browser_session

            owner = self.multi_kernel_manager.owners.owner(self.kernel_id)
            if browser_session(self.websocket_handler) != owner:
                raise HTTPError(404)
        await super().prepare()

    def connect(self):
        if self._page_kernel():
            self.multi_kernel_manager.socket_opened(self.kernel_id, self.websocket_handler)
        return super().connect()

    def disconnect(self):
        if self._page_kernel():
            self.multi_kernel_manager.socket_closed(self.kernel_id, self.websocket_handler)
        return super().disconnect()

    def handle_incoming_message(self, incoming_msg) -> None:
        if self._page_kernel():
            super().handle_incoming_message(incoming_msg)
        else:
            super(CourseKernelConnection, self).handle_incoming_message(incoming_msg)

    def handle_outgoing_message(self, stream, outgoing_msg) -> None:
        if self._page_kernel():
            super().handle_outgoing_message(stream, outgoing_msg)
        else:
            super(CourseKernelConnection, self).handle_outgoing_message(stream, outgoing_msg)


def dashboard_paths() -> frozenset[str]:
    """The dashboard's pages (notebooks/ paths, e.g. "en/dashboard.ipynb"), in every language."""
    from .course import pages

    return frozenset(p.path for p in pages() if p.kind == "dashboard")


class HubPageHandler(OwnedPageHandler):
    """A course page in a user's server. On a hub with the records service, the dashboard is refused (403, the
    course's bilingual refusal page saying who it is for) to anyone the service finds to be staff (not in
    `fmse-dsp` or `fmse-la-lead`): the service alone decides what records anyone reads (widgets/hub/service.py),
    and this spares staff a page of refusals. Asked after Jupyter has checked the request is the server's own
    user's."""

    async def prepare(self):
        result = super().prepare()
        if result is not None:
            await result
        if self._finished or self.request.method != "GET":
            return
        from .hub.client import uses_service

        path = self.path_args[0] if self.path_args else ""
        # Refused when the service says "staff"; if it cannot be asked, the page opens and its Staff training
        # tab says the records cannot be reached (the service decides what is read either way).
        if uses_service() and path.strip("/") in dashboard_paths() and await self._role() == "staff":
            from tornado.web import HTTPError

            self.log.info("Refused the dashboard to %s: not a DSP or la-lead on the hub.", self.current_user)
            raise HTTPError(403, "fmse-dashboard")

    def get_template(self, name):
        """Voilà's template environment, with a refusal (403) rendered as the course's refusal page."""
        return super().get_template(ERROR_PAGES["403.html"] if name == "403.html" else name)

    async def _role(self) -> str | None:
        """This server's user's role, from the records service (None if it cannot be asked)."""
        import asyncio

        from .hub.client import ServiceError, whoami

        try:
            return (await asyncio.to_thread(whoami))["role"]
        except (ServiceError, KeyError, TypeError):
            return None
