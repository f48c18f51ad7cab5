"""A background poll for the workshop pages: every few seconds, read the room from the store and redraw.

A thread, not an asyncio task: ipykernel runs cells and comm messages on its own loop, and widget updates made
from a thread reach the browser through ipykernel's thread-safe IOPub channel. A failed read is shown in the
page's error box and the poll carries on; nothing is written by a poll.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Poll:
    def __init__(self, every: float, step: Callable[[], None], on_error: Callable[[Exception], None]):
        self.every, self.step, self.on_error = every, step, on_error
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fmse-workshop-poll", daemon=True)

    def start(self) -> Poll:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.step()
            except Exception as exc:  # noqa: BLE001 - shown in the page, logged, and the poll goes on
                log.warning("workshop poll failed: %s", exc)
                try:
                    self.on_error(exc)
                except Exception:  # noqa: BLE001
                    log.exception("workshop poll could not show its error")
