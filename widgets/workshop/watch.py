"""The workshop pages' poll: every few seconds, read the room from the store and redraw, as a task on the
kernel's event loop.

Why a task and not a thread: ipykernel (7.x, tornado's IOLoop on asyncio) runs each cell and each widget
message, such as a button click, on one event loop in the kernel's main thread. A task on that loop runs between
them, never during one, so the poll and a click never change a widget or use the store at the same moment, and
a SQLite connection stays in the thread that opened it. Voilà executes a page's cells with ordinary execute
requests to that kernel (nbclient) and keeps the kernel running until the page is closed, so a task started in
a cell keeps running after the last cell has finished; when the page closes, its kernel and the task end.

One poll per page: a poll started under the name of a running one stops that one first (a cell run again in
JupyterLab makes a new widget; the old poll would otherwise go on reading the room for a page nobody sees). A
poll stops when its widget is closed. A failed read is shown in the page's error box and the poll carries on;
nothing is written by a poll.

`KeptStore` keeps the page's one store connection (the poll and the trainer's buttons share it), opened on first
use, and opened again after a failure or when the records file was replaced (e.g. by `records repair`).
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

_running: dict[str, Poll] = {}  # name -> the poll running under it in this kernel


class Poll:
    """Call `step` every `every` seconds on the running event loop until stopped, or until `owner` is closed."""

    def __init__(self, every: float, step: Callable[[], None], on_error: Callable[[Exception], None], *,
                 name: str = "workshop", owner=None, on_stop: Callable[[], None] | None = None):
        self.every, self.step, self.on_error = every, step, on_error
        self.name, self.owner, self.on_stop = name, owner, on_stop
        self._task: asyncio.Task | None = None
        self._stopped = False

    def start(self) -> Poll:
        """Start on the event loop running this code (in a kernel: the loop running the cell)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError("a workshop poll runs on an event loop: start it from a cell or a coroutine") from None
        previous = _running.get(self.name)
        if previous is not None and previous is not self:
            previous.stop()
        _running[self.name] = self
        self._task = loop.create_task(self._run(), name=f"fmse-workshop-poll-{self.name}")
        return self

    def stop(self) -> None:
        """Stop polling (the next wait is cancelled) and let go of what the page held open."""
        if self._stopped:
            return
        self._stopped = True
        if _running.get(self.name) is self:
            del _running[self.name]
        if self._task is not None and not self._task.done() and self._task is not _current_task():
            self._task.cancel()
        if self.on_stop is not None:
            try:
                self.on_stop()
            except Exception:  # noqa: BLE001 - stopping must not fail the close that asked for it
                log.exception("workshop poll could not let go of its store")

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done() and not self._stopped

    def tick(self) -> bool:
        """One round: run the step; a failure is logged and shown through `on_error`. True if the step ran."""
        try:
            self.step()
            return True
        except Exception as exc:  # noqa: BLE001 - shown in the page, logged, and the poll goes on
            log.warning("workshop poll failed: %s", exc)
            try:
                self.on_error(exc)
            except Exception:  # noqa: BLE001
                log.exception("workshop poll could not show its error")
            return False

    def _owner_closed(self) -> bool:
        # ipywidgets sets a widget's comm to None when it is closed (Widget.close, Widget.close_all).
        return self.owner is not None and getattr(self.owner, "comm", None) is None

    async def _run(self) -> None:
        try:
            while not self._stopped:
                await asyncio.sleep(self.every)
                if self._stopped:
                    break
                if self._owner_closed():
                    self.stop()
                    break
                self.tick()
        except asyncio.CancelledError:
            pass


def _current_task() -> asyncio.Task | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def running_polls() -> dict[str, Poll]:
    """The polls running in this kernel, by name (for tests and for `fmse-course check`-style diagnostics)."""
    return {name: poll for name, poll in _running.items() if poll.running}


class KeptStore:
    """One store connection for a page's life (see the module docstring)."""

    def __init__(self, factory: Callable[[], object]):
        self.factory = factory
        self.opened = 0  # how many connections this page has opened (tests check it stays at one)
        self._store = None
        self._file: tuple[int, int] | None = None

    @contextmanager
    def use(self) -> Iterator:
        """The open store; a failure inside closes it, so the next use opens it afresh."""
        store = self._open()
        try:
            yield store
        except BaseException:
            self.close()
            raise

    def _open(self):
        if self._store is not None and self._identity(self._store) != self._file:
            self.close()  # the records file was replaced or removed: read the one at the path now
        if self._store is None:
            self._store = self.factory()
            self.opened += 1
            self._file = self._identity(self._store)
        return self._store

    @staticmethod
    def _identity(store) -> tuple[int, int] | None:
        path = getattr(store, "path", None)  # a file store (SQLite); a server store has no path to watch
        if path is None:
            return None
        try:
            found = os.stat(path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def close(self) -> None:
        store, self._store, self._file = self._store, None, None
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - a connection that failed may fail to close too
                log.warning("workshop page could not close its store", exc_info=True)


class PolledPage:
    """What the trainer's and the participant's views share: a `poll` (or None) and a kept store connection
    (`stores`); closing the widget stops the poll and closes the connection. Mixed in before the widget class."""

    poll: Poll | None
    stores: KeptStore

    @property
    def store_factory(self):
        return self.stores.factory

    @store_factory.setter
    def store_factory(self, factory) -> None:
        self.stores.close()
        self.stores.factory = factory

    def close(self) -> None:
        """Closing the page's widget stops its poll and closes its store connection."""
        if self.poll is not None:
            self.poll.stop()
        self.stores.close()
        super().close()  # type: ignore[misc]  # the widget class this is mixed in before
