"""The course's Voilà server: Voilà serving notebooks/ with the course template, behind a course front door.

Differences from stock `voila notebooks/`:
- `/` and the file-tree pages redirect to the landing page; the contents API (a listing of every file) is off;
- the template is the course's `fmse` and cannot be swapped from the URL (`?template=`) or the theme changed;
- it listens on 127.0.0.1 only, on exactly the port asked for (no silent move to another port);
- idle kernels are culled, because Voilà never shuts a kernel down when a tab closes (voila#1458).
"""
from __future__ import annotations

import os
import webbrowser

import tornado.web
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .paths import notebooks_dir, template_dir

LANDING = "voila/render/index.ipynb"


class RedirectToLanding(tornado.web.RequestHandler):
    def get(self, *args):
        self.redirect(url_path_join(self.settings.get("base_url", "/"), LANDING))


class CourseVoila(Voila):
    """Voilà with the course's front door; everything else is stock Voilà."""

    start_path = LANDING  # what the browser opens; set from --lang

    def init_handlers(self):
        handlers = [h for h in super().init_handlers()
                    if h[1] not in (TornadoVoilaTreeHandler, VoilaContentsHandler)]
        return [
            (self.server_url, RedirectToLanding),
            (url_path_join(self.server_url, r"/voila/tree(.*)"), RedirectToLanding),
            (url_path_join(self.server_url, r"/voila/render/?"), RedirectToLanding),
            *handlers,
        ]

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
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
    ]


def use_course_template() -> None:
    """Put the course template's folder first on JUPYTER_PATH, where Voilà looks for templates."""
    existing = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(template_dir()), existing]))


def serve(port: int, *, start_path: str = LANDING, open_browser: bool = True,
          cull_idle: int = 600, cull_interval: int = 60) -> None:
    use_course_template()
    CourseVoila.start_path = start_path
    CourseVoila.launch_instance(argv=voila_argv(port, cull_idle=cull_idle, cull_interval=cull_interval,
                                                open_browser=open_browser))
