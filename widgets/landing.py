"""The landing page: Welsh first, then English; who is learning (once), and the way into each language.

Each language's part has its own name form, start link, course progress and other pages; the two forms are
one learner, so choosing in one updates the other. Links carry the learner id between Voilà pages.
"""
from __future__ import annotations

import os
from html import escape

import ipywidgets as w

from .content.course_text import course_text
from .course import pages, start_page as first_module
from .i18n import translator
from .languages import WELSH_FIRST



def _title() -> w.HTML:
    landing = course_text().landing
    spans = "".join(f'<span lang="{lang}" style="display: block">{escape(landing.title(lang))}</span>'
                    for lang in WELSH_FIRST)
    return w.HTML(f'<h1 class="fmse-landing-title">{spans}</h1>')


class LanguagePart(w.VBox):
    """One language's part of the landing page."""

    def __init__(self, lang: str, identity, remember: bool):
        from .records.identity_view import IdentityView
        from .records.progress_view import CourseProgressView

        super().__init__()
        self.lang = lang
        tr = translator(lang)
        landing = course_text().landing
        self.add_class("fmse-language-choice")
        self.add_class(f"fmse-lang-{lang}")
        self.who = IdentityView(lang, identity=identity, remember=remember,
                                continue_to=lambda learner_id: resume_path(lang, learner_id))
        self.start = w.HTML()
        self.progress = CourseProgressView(lang, self.who)
        self.more = w.HTML()
        intro = w.HTML(f'<p lang="{lang}">{escape(landing.intro(lang))}</p>')
        name_heading = tr.gettext("Your name and progress")
        self.children = [self.start, intro,
                         w.HTML(f'<h3 lang="{lang}">{escape(name_heading)}</h3>'), self.who, self.progress,
                         self.more]
        self.who.observe(lambda _change: self.redraw(), names="learner_id")
        self.redraw()

    def redraw(self) -> None:
        tr = translator(self.lang)
        landing = course_text().landing
        start = first_module(self.lang)
        self.start.value = (f'<h2 lang="{self.lang}"><a class="fmse-start" href="{escape(self.who.link(start.path))}">'
                            f'{escape(landing.start(self.lang))}</a></h2>')
        others = [p for p in pages() if p.lang == self.lang and p.kind in ("reference", "dashboard", "gallery")]
        heading = tr.gettext("Other pages")
        items = "".join(f'<li><a href="{escape(self.who.link(p.path))}">{escape(p.title)}</a></li>' for p in others)
        self.more.value = f'<h3 lang="{self.lang}">{escape(heading)}</h3><ul lang="{self.lang}">{items}</ul>'


def resume_path(lang: str, learner_id: str, store_factory=None) -> str:
    """The page "Continue as <name>" opens: the learner's next unfinished module in `lang` (records/progress.py),
    or the first module when their records cannot be read (the progress view says why)."""
    from .records.progress import resume_module
    from .records.recorder import open_store
    from .records.errors import RecordsError

    try:
        store = (store_factory or open_store)()
        try:
            answers = store.events(learner_id=learner_id, include_workshops=False)
        finally:
            store.close()
        return resume_module(lang, answers).path
    except RecordsError:
        return first_module(lang).path


def landing(environ=None) -> w.VBox:
    """The whole landing page as one widget."""
    from .records import start_records
    from .records.identity import in_voila

    if environ is None:
        from .course_page import before_visitor, wait_for_visitor

        if before_visitor():
            from .prebuild import prepare_landing

            prepare_landing()  # what the page shows to anyone, while nobody waits for it (prebuild.py)
        wait_for_visitor()  # a warm landing page waits here for its visitor (widgets/warm.py)
    environ = os.environ if environ is None else environ
    identity, _recorder = start_records(environ)
    parts = [LanguagePart(lang, identity, remember=not in_voila(environ)) for lang in WELSH_FIRST]
    welsh, english = parts
    _keep_in_step(welsh, english)
    _keep_in_step(english, welsh)
    page = w.VBox([_title(), *parts])
    page.add_class("fmse-landing")
    return page


def _keep_in_step(source: LanguagePart, other: LanguagePart) -> None:
    """When the learner chooses in one language, the other language's part shows the same learner."""
    def follow(_change) -> None:
        if other.who.learner_id != source.who.learner_id or other.who.name != source.who.name:
            other.who.show_learner(source.who.learner_id, source.who.name)
    source.who.observe(follow, names=["learner_id", "name"])
