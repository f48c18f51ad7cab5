"""The one way a widget callback reports failure: shown in the page (an HTML widget with role="alert") and logged.

Used by the exercise views, the dashboard and the records widgets, so that no callback error is ever swallowed
and every page words and logs it the same way.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape

import ipywidgets as w

log = logging.getLogger(__name__)


def alert_box() -> w.HTML:
    """An empty error box; empty from the start so a screen reader announces it when a message appears."""
    box = w.HTML(value="")
    box.add_class("fmse-alert")
    return box


def guard(callback: Callable, errors: w.HTML, message: Callable[[Exception], str], *, where: str,
          catch: tuple[type[Exception], ...] = (Exception,),
          expected: tuple[type[Exception], ...] = ()) -> Callable:
    """Wrap `callback`: on success clear `errors`; on an exception in `catch` show `message(exc)` there.

    Exceptions in `expected` (a locked database, say) are logged as warnings; anything else with its traceback.
    """
    def run(*args, **kwargs):
        try:
            result = callback(*args, **kwargs)
        except catch as exc:
            if isinstance(exc, expected):
                log.warning("%s: %s", where, exc)
            else:
                log.exception("%s: callback failed", where)
            errors.value = f'<p class="fmse-error">{escape(message(exc))}</p>'
            return None
        if errors.value:
            errors.value = ""
        return result
    return run
