"""Voilà's JavaScript kept by the browser between pages (issue 22: pages ready at once).

Since 7 December 2026 course pages no longer load Voilà's application at all (they load the course's own front
end, static/fmse-page.js in the fmse template, whose address carries its hash); what follows still holds for
anything else that loads Voilà's files from this server. Before that, a course page loaded about 95 JavaScript files (Voilà's application in ~75 chunks, the widget extensions' chunks).
Stock Voilà lets the browser keep none of them for sure: its own chunks (`/voila/static/1601.voila.js`) carry no
cache header, so the browser guesses (a tenth of the time since the file last changed: seconds after an
install, days on a laptop installed weeks ago) and asks again when the guess runs out; the widget extensions'
files are sent with `no-cache`, so every page asks the server about each of them again (a round trip each, in
chains: an extension's entry file, then the chunks it names). On this machine that was 50-100 ms of every page.

Here:
- the labextension files whose names carry their content's hash (`remoteEntry.5cbb9d23….js`,
  `568.1e2faa2b….js?v=1e2faa2b…`) are sent as immutable for a year: a changed file has a new name;
- Voilà's own chunks have no hash in their names, so the course serves them at an address that carries Voilà's
  version as well (`/voila/static/v-0.5.13/1601.voila.js`, `VersionedStatic`), immutable for a year; the course
  template points the page there (its `fullStaticUrl`, which Voilà's loader takes its chunks from). An upgraded
  Voilà has a new address, so no browser mixes an old chunk with a new page. The unversioned `/voila/static/`
  route stays as Voilà serves it (the course's other pages and anything else still use it).

Everything else (pages, kernels, the course's own CSS and JavaScript, which Voilà already addresses with a
`?v=<hash>`) is unchanged. Used by `fmse-course serve`, `workshop` and the hub's single-user servers alike, through
`server.replaced()`.
"""
from __future__ import annotations

import re

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from voila import __version__ as VOILA_VERSION
from voila.static_file_handler import MultiStaticFileHandler

# The path segment the course template adds to Voilà's static address (index.html.j2 builds the same from
# page_config.appVersion, which is Voilà's version).
STATIC_TAG = "v-" + VOILA_VERSION
FOREVER = "public, max-age=31536000, immutable"
# A file name that carries its content's hash (webpack's [contenthash]: 16 to 20 hex digits), before the type.
HASHED_NAME = re.compile(r"\.[0-9a-f]{16,32}\.(?:js|css|woff2?|ttf|eot|svg|png|wasm)$")


class VersionedStatic(MultiStaticFileHandler):
    """Voilà's static files at an address that names Voilà's version: the browser may keep them for good."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", FOREVER)


class CachedLabExtensions(FileFindHandler):
    """Voilà's labextension files: those whose names carry their content's hash are immutable; the rest
    (`package.json`, unhashed style files) are revalidated each time, as Voilà has them."""

    def set_headers(self) -> None:
        super().set_headers()
        if HASHED_NAME.search(self.request.path):
            self.set_header("Cache-Control", FOREVER)


def static_routes(handlers: list) -> list:
    """Voilà's routes with the two above in place: a versioned copy of the `/voila/static/` route in front of it
    (same files, same arguments), and the labextensions route served by `CachedLabExtensions`."""
    out = []
    for spec in handlers:
        pattern, cls, *rest = spec
        if cls is MultiStaticFileHandler and pattern.endswith("/voila/static/(.*)"):
            versioned = url_path_join(pattern[: -len("(.*)")], re.escape(STATIC_TAG), "(.*)")
            out.append((versioned, VersionedStatic, *rest))
        elif cls is FileFindHandler and pattern.endswith("/voila/labextensions/(.*)"):
            spec = (pattern, CachedLabExtensions, *rest)
        out.append(spec)
    return out
