"""Recorders that keep a learner's exercises: in the records store, or for this page only.

`StoreRecorder.record()` opens the store, writes the event and, when it completes every exercise on its page,
the module completion, then closes the store again: a page left open for hours holds no lock and notices a
file that was moved or damaged meanwhile. On any problem it raises RecordsError in the page's language;
ExerciseView.safely shows that in the page while the exercise's feedback stays.
"""
from __future__ import annotations

import logging
import os
from typing import Callable, Mapping

from ..recording import ExerciseEvent, MemoryRecorder, set_recorder
from . import identity as ident
from .errors import RecordsError
from .store import RecordStore, check_learner_id, check_workshop

log = logging.getLogger(__name__)

Listener = Callable[[ExerciseEvent], None]


def open_store(path=None) -> RecordStore:
    """The records store: the SQLite file in the data folder (or at `path`)."""
    from .sqlite import SQLiteStore

    return SQLiteStore(path)


class StoreRecorder:
    """Records a learner's exercises in the store (fmse_widgets.recording's Recorder protocol)."""

    def __init__(self, learner_id: str, *, workshop: str | None = None,
                 store_factory: Callable[[], RecordStore] = open_store) -> None:
        self.learner_id = check_learner_id(learner_id)
        self.workshop = check_workshop(workshop)
        self.store_factory = store_factory
        self.listeners: list[Listener] = []

    def record(self, event: ExerciseEvent) -> None:
        try:
            store = self.store_factory()
            try:
                store.record_event(self.learner_id, event, workshop=self.workshop)
                self._complete_module(store, event.page)
            finally:
                store.close()
        except RecordsError as exc:
            log.warning("recording %s for %s failed: %s", event.exercise_id, self.learner_id, exc)
            raise exc.in_language(event.lang) from None
        for listener in list(self.listeners):
            listener(event)

    def _complete_module(self, store: RecordStore, page: str) -> None:
        """Record the module's completion once it is complete by the course's definition (records.progress)."""
        from .progress import PageListError, completion_rule, module_state

        try:
            requirement = next((r for r in completion_rule() if r.page == page), None)
        except PageListError as exc:  # the event is saved; only the module check waits for readable notebooks
            log.warning("cannot tell whether module %s is complete: %s", page, exc)
            return
        if requirement is None:
            return
        state = module_state(requirement, [e for e in store.events(learner_id=self.learner_id)
                                           if e.workshop == self.workshop])
        if state.completed_at:
            store.record_completion(self.learner_id, page, workshop=self.workshop, completed_at=state.completed_at)

    def done_exercises(self, page: str | None = None) -> set[str]:
        """Exercise ids this learner has completed (on `page`), read from the store."""
        return {e.exercise_id for e in self.answers(page)}

    def answers(self, page: str | None = None) -> list:
        """This learner's events (on `page`), read from the store: what progress and completion are worked from."""
        store = self.store_factory()
        try:
            return [e for e in store.events(learner_id=self.learner_id) if page is None or e.page == page]
        finally:
            store.close()


class PageRecorder(MemoryRecorder):
    """For a learner the course does not know (a Voilà page opened without a learner in its link): answers are
    kept for this page only, so its progress still shows, and nothing is written to disk."""

    def __init__(self) -> None:
        super().__init__()
        self.listeners: list[Listener] = []

    def record(self, event: ExerciseEvent) -> None:
        super().record(event)
        for listener in list(self.listeners):
            listener(event)

    def done_exercises(self, page: str | None = None) -> set[str]:
        return {e.exercise_id for e in self.answers(page)}

    def answers(self, page: str | None = None) -> list[ExerciseEvent]:
        return [e for e in self.events if page is None or e.page == page]


def start_records(environ: Mapping[str, str] | None = None, *,
                  store_factory: Callable[[], RecordStore] = open_store) -> tuple[ident.Identity | None,
                                                                               StoreRecorder | PageRecorder]:
    """Find who is learning in this kernel and install the recorder for them; returns (identity, recorder).

    Never raises for a records problem. If the store cannot be opened, the problem is logged; a learner the page
    knows still gets a StoreRecorder, whose answers (and the page's progress) show the problem in the page while it
    lasts; a page opened without a learner keeps answers for this page only, as it always does.
    """
    if environ is None:
        # A warm kernel learns who its visitor is from the page's request: nothing is read or recorded before.
        from ..course_page import wait_for_visitor

        wait_for_visitor()
    environ = os.environ if environ is None else environ
    recorder: StoreRecorder | PageRecorder = PageRecorder()
    found = None
    try:
        store = store_factory()
    except RecordsError as exc:
        log.warning("learner records unavailable: %s", exc)
        # Someone the page knows (from its link, the hub or the remembered name) keeps a recorder for the store:
        # each answer tries the store again, and while it cannot be used the page says why, in its language
        # (the answer's feedback stays), instead of keeping answers on this page only without a word.
        try:
            found = ident.resolve(environ, known=lambda _i: True,
                                  saved=None if ident.in_voila(environ) else ident.read_saved())
            if found is not None:
                recorder = StoreRecorder(found.learner_id, workshop=found.workshop, store_factory=store_factory)
        except RecordsError:
            found = None
        set_recorder(recorder)
        return found, recorder
    try:
        found = ident.resolve(environ, known=lambda i: store.learner(i) is not None,
                              saved=None if ident.in_voila(environ) else ident.read_saved())
        if found is not None:
            if store.learner(found.learner_id) is None:
                # A hub user's first visit, or a remembered JupyterLab learner whose records were purged.
                store.add_learner(found.name, learner_id=found.learner_id)
            recorder = StoreRecorder(found.learner_id, workshop=found.workshop, store_factory=store_factory)
    except RecordsError as exc:
        log.warning("learner records unavailable: %s", exc)
        found = None
    finally:
        store.close()
    set_recorder(recorder)
    return found, recorder
