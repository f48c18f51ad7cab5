"""The participant's room page: the question the trainer is showing, answered on the participant's own device.

The page follows the room by itself: when the trainer moves to the next question it appears here. Answers are
collected without a verdict (the question view is made with `deferred=True`); when the trainer reveals the
answer, the participant's own answer gets its verdict and the right answer and why are shown under the question. Answers go through the page's recorder, so they
are kept under the workshop code (the participant's link carries it), never in staff training records.
"""
from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import translator
from ..records import RecordsError, open_store
from ..views.choice import ChoiceView
from ..views.guard import alert_box
from ..views.registry import view_for
from .room import PARTICIPANT_PAGE, questions, running_code
from .watch import KeptStore, Poll, PolledPage

POLL_SECONDS = 2.0


def answer_html(exercise, lang: str) -> str:
    """The revealed answer: the correct option(s), and why (with the alert section it comes from)."""
    from ..views.sections import source_label

    tr = translator(lang)
    right = [o.text(lang) for o in exercise.options if o.correct]
    heading = tr.ngettext("The answer", "The answers", len(right))
    why = tr.gettext("Why: {reason} ({source})").format(reason=exercise.why(lang),
                                                         source=source_label(exercise.section, lang))
    return (f'<div class="fmse-room-answer"><p><strong>{escape(heading)}:</strong></p><ul>'
            + "".join(f"<li>{escape(text)}</li>" for text in right)
            + f'</ul><p class="fmse-why">{escape(why)}</p></div>')


class RoomView(PolledPage, w.VBox):
    """The room as one participant sees it (see the module docstring)."""

    def __init__(self, course, *, code: str | None = None, store_factory=open_store, poll: float | None = POLL_SECONDS,
                 **kwargs):
        super().__init__(**kwargs)
        self.course, self.lang, self.tr = course, course.lang, translator(course.lang)
        self.code = code if code is not None else running_code()
        self.stores = KeptStore(store_factory)
        self.questions = questions()
        self.shown: tuple[int, bool] | None = None
        self.view: ChoiceView | None = None  # a workshop question is a choice question (room.QUESTION_TYPES)
        self.status = w.HTML(value="")
        self.status.add_class("fmse-live")
        self.status.add_class("fmse-room-status")
        self.slot = w.VBox()
        self.answer = w.HTML(value="")
        self.errors = alert_box()
        self.add_class("fmse-room")
        self.children = [self.status, self.slot, self.answer, self.errors]
        self.poll = None
        if self.code is None:
            self._say(self.tr.gettext(
                "No workshop is running on this server. A trainer starts one with the command "
                "fmse-course workshop; participants then open the join address the trainer shows."))
        elif course.identity is None or course.identity.workshop != self.code:
            self._say(self.tr.gettext(
                "Join the workshop first: open the join address on the trainer's screen and type the code."))
        else:
            self.refresh()
            if poll:
                self.poll = Poll(poll, self.refresh, self._show_error, name="room", owner=self,
                                 on_stop=self.stores.close).start()

    def _say(self, text: str) -> None:
        self.status.value = f"<p>{escape(text)}</p>"

    def _show_error(self, exc: Exception) -> None:
        problem = exc.message(self.lang) if isinstance(exc, RecordsError) else str(exc)
        message = self.tr.gettext("The room could not be updated: {problem}").format(problem=problem)
        self.errors.value = f'<p class="fmse-error">{escape(message)}</p>'

    def refresh(self) -> None:
        """Read where the room is and redraw if it moved (called by the poll every few seconds)."""
        with self.stores.use() as store:
            state = store.room(self.code)
        if self.errors.value:
            self.errors.value = ""
        where = (state.question, state.revealed) if state is not None else (-2, False)
        if where == self.shown:
            return
        question, revealed = where
        tr, total = self.tr, len(self.questions)
        if state is None:
            self._say(tr.gettext("This workshop has ended. Thank you for taking part."))
            self._show(None)
        elif question < 0:
            self._say(tr.gettext("You have joined. The first question appears here when the trainer starts."))
            self._show(None)
        elif question >= total:
            self._say(tr.gettext("That was the last question. Thank you for taking part."))
            self._show(None)
        else:
            exercise = self.questions[question]
            if self.shown is None or self.shown[0] != question:
                self._show(exercise)
            status = tr.gettext("Question {number} of {total}").format(number=question + 1, total=total)
            if revealed:
                status += " · " + tr.gettext("The trainer has shown the answer below the question.")
            self._say(status)
            self.answer.value = answer_html(exercise, self.lang) if revealed else ""
            if self.view is not None:
                self.view.reveal(revealed)
        self.shown = where

    def _show(self, exercise) -> None:
        if exercise is None:
            self.view = None
            self.slot.children = ()
            self.answer.value = ""
            return
        self.view = view_for(exercise)(exercise, self.lang, page=PARTICIPANT_PAGE, recorder=self.course.recorder,
                                       deferred=True)
        self.slot.children = (self.view,)
        self.answer.value = ""


def room_view(course) -> RoomView:
    """The room page's one widget (notebooks/<lang>/ workshop page)."""
    return RoomView(course)
