"""fmse_widgets: content, exercises and serving for the FMSE course (imported by the notebooks).

Notebooks use: `from fmse_widgets import attribution, content_note, show, signposts, start_page`.
"""
from __future__ import annotations

__all__ = ["attribution", "content_note", "show", "signposts", "start_page"]


def __getattr__(name: str):
    # Imported on first use, so `fmse-course --help` and the loader stay light.
    if name == "start_page":
        from .course_page import start_page
        return start_page
    if name in __all__:
        from . import page
        return getattr(page, name)
    raise AttributeError(name)
