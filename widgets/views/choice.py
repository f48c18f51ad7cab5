"""Single- and multiple-choice questions: radio buttons or checkboxes, a check button, spoken feedback.

On a self-study page the feedback comes at once. In a workshop the view is made with `deferred=True`: the
answer is sent and kept, the page says only that it is in, and the verdict comes when the trainer reveals the
answer to the room (`reveal()`, called by the room page).
"""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import ChoiceExercise
from ..exercises.choice import check
from .base import ExerciseView, esc
from .sections import source_label


class ChoiceView(ExerciseView):
    def __init__(self, exercise: ChoiceExercise, lang: str, *, deferred: bool = False, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        self.deferred, self.revealed = deferred, False
        self.sent: tuple[str, ...] | None = None  # the answer sent while feedback is deferred
        self.question = w.HTML(value=f'<p class="fmse-question-text">{esc(exercise.prompt(lang))}</p>')
        self.question.add_class("fmse-question")
        labels = [(o.text(lang), o.id) for o in exercise.options]
        if exercise.type == "single-choice":
            self.radio = w.RadioButtons(options=labels, value=None, layout=w.Layout(width="auto"))
            self.checkboxes: list[w.Checkbox] = []
            controls: list[w.Widget] = [self.radio]
            hint = (tr.gettext("Choose one answer, then send it.") if deferred
                    else tr.gettext("Choose one answer, then check it."))
        else:
            self.radio = None
            self.checkboxes = [w.Checkbox(value=False, description=label, indent=False,
                                          layout=w.Layout(width="auto")) for label, _ in labels]
            controls = self.checkboxes
            hint = (tr.gettext("Choose every answer that applies, then send them.") if deferred
                    else tr.gettext("Choose every answer that applies, then check them."))
        self.hint = w.HTML(value=f'<p class="fmse-hint">{esc(hint)}</p>')
        label = tr.gettext("Send my answer") if deferred else tr.gettext("Check answer")
        self.check_button = w.Button(description=label, button_style="primary")
        self.check_button.on_click(self.safely(self._on_check))
        self.add_class("fmse-choice")
        self.children = [self.question, self.hint, *controls, self.check_button, self.feedback, self.errors]

    def chosen_ids(self) -> list[str]:
        if self.radio is not None:
            return [] if self.radio.value is None else [self.radio.value]
        return [o.id for o, box in zip(self.exercise.options, self.checkboxes) if box.value]

    def _on_check(self, _button=None) -> None:
        chosen = self.chosen_ids()
        if not chosen:
            again = self.tr.gettext("Choose an answer first.")
            self.say(f'<p class="fmse-prompt-again">{esc(again)}</p>')
            return
        result = check(self.exercise, chosen)
        if self.deferred and not self.revealed:
            self.sent = tuple(chosen)
            self.say(self._sent_html())
        else:
            self.say(self._verdict_html(chosen, why=True))
        self.finish(tuple(chosen), result.score, passed=result.correct)

    def reveal(self, shown: bool = True) -> None:
        """The trainer has revealed (or hidden again) the answer: show (or withhold) the verdict on what was sent.

        The right answer and why are shown by the room page under the question, so the verdict here leaves out
        the "Why" line; answering again after the reveal gets the full feedback at once.
        """
        if not self.deferred or shown == self.revealed:
            return
        self.revealed = shown
        if self.sent is None:
            return
        self.feedback.value = self._verdict_html(list(self.sent), why=False) if shown else self._sent_html()

    def _sent_html(self) -> str:
        said = self.tr.gettext("Your answer is in. The trainer will show the answer to the room.")
        return f'<p class="fmse-sent">{esc(said)}</p>'

    def _verdict_html(self, chosen: list[str], *, why: bool) -> str:
        tr, lang = self.tr, self.lang
        result = check(self.exercise, chosen)
        verdict = ("✓ " + tr.gettext("Correct.")) if result.correct else ("✗ " + tr.gettext("Not quite."))
        parts = [f'<p class="fmse-verdict fmse-{"right" if result.correct else "wrong"}"><strong>'
                 f'{esc(verdict)}</strong></p>']
        parts += [f"<p>{esc(o.feedback(lang))}</p>" for o in result.chosen]
        if result.missed and self.exercise.type == "multiple-choice":
            missed = tr.ngettext("You missed {n} answer that applies.", "You missed {n} answers that apply.",
                                 len(result.missed)).format(n=len(result.missed))
            parts.append(f"<p>{esc(missed)}</p>")
        if why:
            reason = tr.gettext("Why: {reason} ({source})").format(
                reason=self.exercise.why(lang), source=source_label(self.exercise.section, lang))
            parts.append(f'<p class="fmse-why">{esc(reason)}</p>')
        return "".join(parts)
