"""Visible, logged errors for dashboard callbacks (through the course's one mechanism, views.guard)."""
from __future__ import annotations

from ..i18n import translator
from ..views.guard import alert_box, guard


class ErrorBox:
    """An HTML widget (class fmse-alert, so role="alert") that shows a failed callback's message."""

    def __init__(self, lang: str, where: str):
        self.lang, self.where = lang, where
        self.widget = alert_box()

    def wrap(self, callback):
        def message(exc: Exception) -> str:
            return translator(self.lang).gettext("Sorry, something went wrong on the dashboard: {problem}").format(
                problem=exc)
        return guard(callback, self.widget, message, where=f"dashboard {self.where}")
