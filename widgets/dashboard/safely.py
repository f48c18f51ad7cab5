"""Visible, logged errors for dashboard callbacks (the same pattern as views.base.ExerciseView.safely)."""
from __future__ import annotations

import logging
from html import escape

import ipywidgets as w

from ..i18n import translator

log = logging.getLogger(__name__)


class ErrorBox:
    """An HTML widget (class fmse-alert, so role="alert") that shows a failed callback's message."""

    def __init__(self, lang: str, where: str):
        self.lang, self.where = lang, where
        self.widget = w.HTML(value="")
        self.widget.add_class("fmse-alert")

    def wrap(self, callback):
        def run(*args, **kwargs):
            try:
                result = callback(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown on the page and logged with its traceback
                log.exception("dashboard %s: callback failed", self.where)
                message = translator(self.lang).gettext("Sorry, something went wrong on the dashboard: {problem}")
                self.widget.value = f'<p class="fmse-error">{escape(message.format(problem=exc))}</p>'
                return None
            if self.widget.value:
                self.widget.value = ""
            return result
        return run
