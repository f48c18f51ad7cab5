"""Recorders that keep a learner's exercises: in the records store, or for this page only.

`StoreRecorder.record()` opens the store, writes the event and, when it completes every exercise on its page,
the module completion, then closes the store again: a page left open for hours holds no lock and notices a
file that was moved or damaged meanwhile. On any problem it raises RecordsError in the page's language;
ExerciseView.safely shows that in the page while the exercise's feedback stays.
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Callable, Mapping

from ..recording import ExerciseEvent, MemoryRecorder, set_recorder
from . import identity as ident
from .errors import UNKEPT, RecordsError
from .store import RecordStore, check_learner_id, check_workshop, new_id

log = logging.getLogger(__name__)

Listener = Callable[[ExerciseEvent], None]


def records_url() -> str | None:
    """Where the records are, if not in the data folder's SQLite file: FMSE_RECORDS_URL, or else `records_url` in
    the setting file. None means the default (records.sqlite3 in the data folder)."""
    url = os.environ.get("FMSE_RECORDS_URL", "").strip()
    if url:
        return url
    from ..setting import SettingError, read_store_values

    try:
        return read_store_values().get("records_url") or None
    except SettingError as exc:  # the page says what is wrong with the setting file; records stay on the laptop
        log.warning("records_url in the setting file cannot be read: %s", exc)
        return None


def store_at(target, *, migrate: bool = False) -> RecordStore:
    """The store at `target`: a path or sqlite:///path (an SQLite file), or postgresql://user@host:port/dbname.

    `migrate` brings a PostgreSQL database to this version's schema (`fmse-course records migrate`); an SQLite
    file always migrates when it is opened."""
    text = str(target).strip()
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore  # only here: a laptop's page kernel never loads the driver

        return PostgresStore(text, migrate=migrate)
    from .sqlite import SQLiteStore

    if text.startswith("sqlite:///"):
        return SQLiteStore(text[len("sqlite:///"):] or None)
    if text.startswith("service:"):
        from ..hub.client import ServiceStore  # on a hub: the records service, with this user's own token

        return ServiceStore()
    if "://" in text:
        raise RecordsError("invalid", detail=f"the records URL {text.split('@')[-1][:60]!r} is not one the course "
                                             f"knows: use a file path, sqlite:///path or "
                                             f"postgresql://user@host:port/dbname")
    return SQLiteStore(text)


def open_store(path=None) -> RecordStore:
    """The records store: at `path` if given, else at records_url(), else the SQLite file in the data folder."""
    target = path if path is not None else records_url()
    if target is None:
        from .sqlite import SQLiteStore

        return SQLiteStore()
    return store_at(target)


RETRY_SECONDS = 5.0   # how often a page tries again to save answers held while the shared store cannot be reached


class StoreRecorder:
    """Records a learner's exercises in the store (fmse_widgets.recording's Recorder protocol).

    While a shared store cannot be reached (RecordsError "unreachable": a lost connection, a restarting server),
    answers are held here, in the page's kernel, in the order given, and tried again every RETRY_SECONDS and with
    the next answer; the page says "not saved yet" until they are committed (`when_saved` lets it clear that). Each
    held answer keeps the event id it was given first, so one whose commit went through just before the connection
    dropped is not saved twice. Any other problem (a locked file, a bad value) is not held: the page says the answer
    was not saved, as before."""

    def __init__(self, learner_id: str, *, workshop: str | None = None,
                 store_factory: Callable[[], RecordStore] = open_store, retry_seconds: float = RETRY_SECONDS) -> None:
        self.learner_id = check_learner_id(learner_id)
        self.workshop = check_workshop(workshop)
        self.store_factory = store_factory
        self.listeners: list[Listener] = []
        self.retry_seconds = retry_seconds
        self.pending: list[tuple[str, ExerciseEvent, bool]] = []   # (event id, answer, tried before)
        self._saved_callbacks: dict[str, list[Callable[[], None]]] = {}
        self._lock = threading.RLock()
        self._timer: threading.Timer | None = None

    def record(self, event: ExerciseEvent) -> None:
        with self._lock:
            self.pending.append((new_id(), event, False))
        self.flush(lang=event.lang)

    def when_saved(self, event: ExerciseEvent, callback: Callable[[], None]) -> None:
        """Call `callback` once `event`, held because the store could not be reached, is committed."""
        with self._lock:
            for event_id, held, _tried in self.pending:
                if held is event:
                    self._saved_callbacks.setdefault(event_id, []).append(callback)
                    return
        callback()  # saved already

    def flush(self, lang: str | None = None) -> None:
        """Save the held answers, oldest first; raises RecordsError (in `lang`) if one cannot be saved yet."""
        saved: list[tuple[str, ExerciseEvent]] = []
        try:
            with self._lock:
                if not self.pending:
                    return
                try:
                    store = self.store_factory()
                except RecordsError as exc:
                    if exc.kind != "unreachable":  # answers never tried are not held (see the class docstring)
                        self.pending = [p for p in self.pending if p[2]]
                    raise
                try:
                    while self.pending:
                        event_id, event, tried = self.pending[0]
                        try:
                            self._save(store, event_id, event, tried)
                        except RecordsError as exc:
                            if exc.kind == "unreachable":
                                self.pending[0] = (event_id, event, True)
                            else:
                                self.pending.pop(0)  # not held: the page says it was not saved, as before
                            raise
                        self.pending.pop(0)
                        saved.append((event_id, event))
                finally:
                    store.close()
        except RecordsError as exc:
            log.warning("recording for %s failed (%d answer(s) held): %s", self.learner_id, len(self.pending), exc)
            if exc.kind == "unreachable":
                self._retry_later()
            raise exc.in_language(lang or "en") from None
        finally:
            self._announce(saved)

    def _save(self, store: RecordStore, event_id: str, event: ExerciseEvent, tried: bool) -> None:
        if not (tried and any(e.event_id == event_id for e in store.events(learner_id=self.learner_id))):
            store.record_event(self.learner_id, event, workshop=self.workshop, event_id=event_id)
        self._complete_module(store, event.page)

    def _announce(self, saved: list[tuple[str, ExerciseEvent]]) -> None:
        for event_id, event in saved:
            with self._lock:
                callbacks = self._saved_callbacks.pop(event_id, [])
            for callback in callbacks:
                callback()
            for listener in list(self.listeners):
                listener(event)

    def _retry_later(self) -> None:
        with self._lock:
            if self._timer is not None and self._timer.is_alive():
                return
            self._timer = threading.Timer(self.retry_seconds, self._retry)
            self._timer.daemon = True
            self._timer.start()

    def _retry(self) -> None:
        with self._lock:
            self._timer = None  # this try is running: a failure asks for the next one
        try:
            self.flush()
        except RecordsError:
            pass  # flush logged it and, while the store cannot be reached, asked for another try
        except Exception:  # noqa: BLE001 - a listener's failure must not stop the retries
            log.exception("saving held answers for %s failed", self.learner_id)

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


class UnkeptRecorder(PageRecorder):
    """For a hub user whose records the records service will not keep (errors.UNKEPT: no setting group yet, a
    setting group whose name the course cannot use, an la-lead): each answer is kept for this page only, so its
    feedback and the page's progress still show, and then raises `problem` in the answer's language, so the
    exercise says it was not saved and why (never lost without a word)."""

    def __init__(self, problem: RecordsError) -> None:
        super().__init__()
        self.problem = problem

    def record(self, event: ExerciseEvent) -> None:
        super().record(event)
        raise self.problem.in_language(event.lang)


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
        if found is not None and exc.kind in UNKEPT:  # a hub user the service keeps no records for: say why
            recorder = UnkeptRecorder(exc)
        else:
            found = None
    finally:
        store.close()
    set_recorder(recorder)
    return found, recorder
