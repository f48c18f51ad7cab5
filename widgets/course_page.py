"""One page of the course in a kernel: who is learning, where their answers go, and the page's header.

A notebook's first cell calls `COURSE = start_page(PAGE, LANG)`; a later one-line cell `COURSE.header()` shows
the navigation (carrying the learner to the next page in Voilà) and the page's progress.
"""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from .languages import LANGS


class CoursePage:
    def __init__(self, page: str, lang: str, *, start: Callable | None = None):
        from .records import start_records

        self.page, self.lang = page, lang
        self.identity, self.recorder = (start or start_records)()  # type: ignore[var-annotated]

    @property
    def learner_id(self) -> str | None:
        return self.identity.learner_id if self.identity else None

    def link(self, href: str) -> str:
        """A link to another page that keeps this learner (Voilà carries them in the link)."""
        from .records.identity import with_learner

        if self.identity is None:
            return href
        return with_learner(href, self.identity.learner_id, self.identity.workshop)

    def header(self) -> w.VBox:
        """Navigation links, the draft marker (Welsh pages whose Welsh is draft), then this page's progress (for
        pages with exercises).

        The navigation also carries, as inert JSON, the other language's names and terms that this page's
        prose may use: the course template marks them with their own `lang` (see other_language.py).
        """
        from .draft_marker import page_marker
        from .other_language import phrases_script
        from .page import nav_html
        from .records.progress import page_exercises
        from .records.progress_view import ProgressView

        from .prebuild import marker as prepared_marker

        parts: list[w.Widget] = [w.HTML(nav_html(self.page, self.lang, link=self.link) + phrases_script(self.lang))]
        marker = prepared_marker(self.page, self.lang)  # worked out before the visitor (warm kernels), else now
        if marker is None:
            marker = page_marker(self.page, self.lang)  # Welsh pages whose Welsh is still draft say so
        if marker:
            parts.append(w.HTML(marker))
        if page_exercises().get(self.page):
            parts.append(ProgressView(self.page, self.lang, self.recorder))
        box = w.VBox(parts)
        box.add_class("fmse-page-header")
        return box

    def certificate(self):
        """The certificate: what is still to do, or the button that makes it."""
        from .records.certificate_view import CertificateView

        return CertificateView(self.lang, self.learner_id, recorder=self.recorder)


_visitor_known = False


def wait_for_visitor() -> None:
    """In a warm (preheated) Voilà kernel, wait here until someone opens the page: only then is its address, and
    so who is learning, known. Everywhere else this returns at once (see voila_request.py).

    Called before anything reads who is learning (`start_page()`, `records.start_records()`, the landing page);
    the request arrives once, so only the first call in a kernel waits."""
    global _visitor_known
    if _visitor_known:
        return
    from .voila_request import wait_for_request

    wait_for_request()
    _visitor_known = True


def before_visitor() -> bool:
    """Whether this is a warm kernel whose visitor is not known yet: the time to build what a page shows to anyone
    (prebuild.py), while nobody waits for it."""
    if _visitor_known:
        return False
    from .voila_request import preheated

    return preheated()


def start_page(page: str, lang: str) -> CoursePage:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
    if before_visitor():
        from .prebuild import prepare

        prepare(page, lang)
    wait_for_visitor()
    return CoursePage(page, lang)
