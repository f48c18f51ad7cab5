"""Voilà's file routes (`/voila/templates/`, `/voila/static/`, `/voila/api/themes/`, `/voila/labextensions/`,
`/voila/files/`) answering errors cleanly.

Stock Voilà 0.5 answers `/voila/templates/<anything not template/static/file>` with a 500 (an AssertionError or
ValueError while it splits the path, and a traceback in the log), and the themes and labextensions routes,
which are jupyter_server handlers, fail to render their error page without the settings of a full Jupyter
server ("Uncaught exception in write_error"). Here a path that cannot name a file is simply not found (404),
and every error on these routes is the course's one-line bilingual refusal (`server.refusal`), as
`server.refuse()` gives the Jupyter routes.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

import tornado.web
from voila.static_file_handler import TemplateStaticFileHandler


# Mixins placed before a StaticFileHandler subclass: type-checked as the handler they are mixed into.
if TYPE_CHECKING:
    _StaticFiles = tornado.web.StaticFileHandler
else:
    _StaticFiles = object


class _CleanFileErrors(_StaticFiles):
    """Mixed in before a `tornado.web.StaticFileHandler` subclass: errors as the one-line refusal."""

    def write_error(self, status_code: int, **kwargs) -> None:
        from .server import refusal

        self.clear_header("Content-Disposition")
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(refusal(status_code) + "\n")


class _TemplatePaths(_CleanFileErrors):
    """Voilà's template files are served only as `<template>/static/<file>`: any other path is not found, where
    Voilà's own handler asserts it (a 500 and a traceback in the log)."""

    def parse_url_path(self, url_path: str) -> str:
        for path in (url_path, os.path.normpath(url_path)):
            pieces = path.replace(os.path.sep, "/").split("/", 2)
            if len(pieces) != 3 or pieces[1] != "static" or not pieces[0] or pieces[0] == "..":
                raise tornado.web.HTTPError(404)
        return super().parse_url_path(url_path)


def clean_file_errors(cls: type) -> type:
    """`cls` answering errors as above if it serves files (a StaticFileHandler); any other handler unchanged.
    The class keeps its name and module (the workshop gate and the route list read them)."""
    if not (isinstance(cls, type) and issubclass(cls, tornado.web.StaticFileHandler)):
        return cls
    mixin = _TemplatePaths if issubclass(cls, TemplateStaticFileHandler) else _CleanFileErrors
    return type(cls.__name__, (mixin, cls), {"__doc__": cls.__doc__, "__module__": cls.__module__})
