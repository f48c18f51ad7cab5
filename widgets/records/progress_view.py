"""A page's progress as a widget: "3 of 5 exercises done", updated as the learner completes exercises."""
from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as w

from .errors import RecordsError
from .progress import course_progress_html, page_progress_html


class ProgressView(w.HTML):
    """Shows a page's progress; refreshes each time the recorder reports an exercise completed on this page.

    `recorder` is a StoreRecorder or PageRecorder (records.recorder): anything with `answers(page)` and a
    `listeners` list.
    """

    def __init__(self, page: str, lang: str, recorder, root: Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.page, self.lang, self.recorder, self.root = page, lang, recorder, root
        self.add_class("fmse-progress-view")
        self.refresh()
        recorder.listeners.append(self._on_recorded)

    def _on_recorded(self, event) -> None:
        if event.page == self.page:
            self.refresh()

    def refresh(self) -> None:
        try:
            answers = self.recorder.answers(self.page)
        except RecordsError as exc:
            self.value = f'<p class="fmse-error">{escape(exc.message(self.lang))}</p>'
            return
        self.value = page_progress_html(self.lang, self.page, answers, self.root)


class CourseProgressView(w.HTML):
    """The landing page's whole-course progress for the learner chosen in an IdentityView, with links that carry
    them to each module; it redraws when they choose (or change) who they are."""

    def __init__(self, lang: str, identity_view, *, store_factory=None, root: Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        from .recorder import open_store

        self.lang, self.identity_view, self.root = lang, identity_view, root
        self.store_factory = store_factory or open_store
        self.add_class("fmse-course-progress-view")
        identity_view.observe(lambda _change: self.refresh(), names="learner_id")
        self.refresh()

    def refresh(self) -> None:
        learner_id = self.identity_view.learner_id
        answers: list = []
        try:
            if learner_id:
                store = self.store_factory()
                try:
                    answers = store.events(learner_id=learner_id, include_workshops=False)
                finally:
                    store.close()
        except RecordsError as exc:
            self.value = f'<p class="fmse-error">{escape(exc.message(self.lang))}</p>'
            return
        self.value = course_progress_html(self.lang, answers, link=self.identity_view.link, root=self.root)
