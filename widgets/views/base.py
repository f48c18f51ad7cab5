"""What every exercise view shares: language, result traits, a live feedback region, visible errors."""
from __future__ import annotations

import logging
import re
from html import escape

import ipywidgets as w
import traitlets

from ..i18n import translator
from ..recording import ExerciseEvent, get_recorder, utc_now
from .guard import alert_box, guard

log = logging.getLogger(__name__)


class ExerciseView(w.VBox):
    """Base for exercise views. Subclasses build their controls and call `self.finish(...)` when answered."""

    score = traitlets.Float(None, allow_none=True, help="0.0-1.0 after the learner has answered").tag(sync=False)
    completed = traitlets.Bool(False).tag(sync=False)

    def __init__(self, exercise, lang: str, *, page: str = "", recorder=None, **kwargs):
        super().__init__(**kwargs)
        self.exercise, self.lang, self.page = exercise, lang, page
        self._recorder = recorder
        self.tr = translator(lang)
        self._started_at = utc_now()
        # The live region exists from the start (empty) so screen readers announce it when its text changes.
        self.feedback = w.HTML(value="")
        self.feedback.add_class("fmse-live")
        self.feedback.add_class("fmse-feedback")
        # An HTML widget, not an Output widget: Output widgets written during Voilà's first render can hang
        # the page (voila#1446), and this one exists empty from the start so screen readers announce it.
        self.errors = alert_box()
        self.presses = 0  # answers checked (and prompts given) through say(), for "Attempt N"
        self.add_class("fmse-exercise")
        self.add_class(f"fmse-{exercise.type}")

    def say(self, html: str) -> None:
        """Put `html` (the answer's feedback, or a prompt to answer first) in the live region. From the second
        press on, its first paragraph says which attempt it answers ("Attempt 2: ✓ Correct."), as the knowledge
        checks do: the same answer checked again would otherwise leave the region's text unchanged, and a screen
        reader would say nothing."""
        self.presses += 1
        if self.presses >= 2:
            # TRANSLATORS: {n} counts the presses of Submit (2, 3, ...); {sentence} is the announcement itself.
            template = esc(self.tr.gettext("Attempt {n}: {sentence}"))
            html = FIRST_PARAGRAPH.sub(lambda m: m.group(1) + template.format(n=self.presses, sentence=m.group(2))
                                       + m.group(3), html, count=1)
        self.feedback.value = html

    def safely(self, callback):
        """Wrap a widget callback so a failure is shown in the page and logged, never swallowed."""
        def message(exc: Exception) -> str:
            return self.tr.gettext("Sorry, something went wrong with this exercise: {problem}").format(problem=exc)
        return guard(callback, self.errors, message, where=f"exercise {self.exercise.id}")

    def finish(self, choices: tuple[str, ...], score: float, passed: bool | None) -> None:
        self.score = score
        self.completed = True
        recorder = self._recorder or get_recorder()
        event = ExerciseEvent(exercise_id=self.exercise.id, page=self.page, lang=self.lang, choices=choices,
                              score=score, passed=passed, started_at=self._started_at, finished_at=utc_now())
        try:
            recorder.record(event)
        except Exception as exc:
            # A shared store that cannot be reached: the recorder holds the answer and tries again; the page says
            # "not saved yet" (safely shows this exception) until it is committed, then the message goes.
            if getattr(exc, "kind", None) == "unreachable" and hasattr(recorder, "when_saved"):
                recorder.when_saved(event, self._saved_after_all)
            raise

    def _saved_after_all(self) -> None:
        self.errors.value = ""


FIRST_PARAGRAPH = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.S)


def esc(text: str) -> str:
    """Escape text for an HTML widget (content and anything a learner typed)."""
    return escape(text, quote=True)
