"""Put steps in order with Move up / Move down buttons (no dragging). Rows stay in place and their text
changes, so focus never falls off the page; course.js moves focus along with the step that moved."""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import OrderExercise
from ..exercises.order import check, move
from .base import ExerciseView, esc
from .markup import fill, hint, html, mark, plain, question, rich, verdict
from .sections import source_label


class OrderView(ExerciseView):
    def __init__(self, exercise: OrderExercise, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        self.order: tuple[str, ...] = exercise.start
        self.question = question(exercise.prompt(lang))
        self.hint = hint(tr.gettext("Use the Move up and Move down buttons to put the steps in order, "
                                    "then check the order."))
        self.texts: list[w.HTML] = []
        self.up: list[w.Button] = []
        self.down: list[w.Button] = []
        rows = []
        for position in range(len(self.order)):
            text = html("", "fmse-step-text")
            up = w.Button(description=tr.gettext("Move up"), icon="arrow-up")
            down = w.Button(description=tr.gettext("Move down"), icon="arrow-down")
            up.add_class("fmse-move-up")
            down.add_class("fmse-move-down")
            up.on_click(self.safely(lambda _b, p=position: self._move(p, -1)))
            down.on_click(self.safely(lambda _b, p=position: self._move(p, +1)))
            row = w.HBox([text, w.HBox([up, down], layout=w.Layout(flex="0 0 auto"))])
            row.add_class("fmse-order-row")
            self.texts.append(text)
            self.up.append(up)
            self.down.append(down)
            rows.append(row)
        self.rows = w.VBox(rows)
        self.rows.add_class("fmse-order-list")
        self._show_order()
        self.check_button = w.Button(description=tr.gettext("Check the order"), button_style="primary")
        self.check_button.on_click(self.safely(self._on_check))
        self.children = [self.question, self.hint, self.rows, self.check_button, self.feedback, self.errors]

    def _step_text(self, step_id: str) -> str:
        return self.exercise.step(step_id).text(self.lang)

    def _show_order(self) -> None:
        for position, (text, step_id) in enumerate(zip(self.texts, self.order), start=1):
            text.value = (f'<p><span class="fmse-position">{position}.</span> '
                          f'{rich(self._step_text(step_id))}</p>')

    def _move(self, position: int, delta: int) -> None:
        tr = self.tr
        step = plain(self._step_text(self.order[position]))
        new = move(self.order, position, delta)
        if new == self.order:
            first, last = tr.gettext("“{step}” is already first."), tr.gettext("“{step}” is already last.")
            said = first if delta < 0 else last
            self.feedback.value = f"<p>{esc(said.format(step=step))}</p>"
            return
        self.order = new
        self._show_order()
        said = tr.gettext("“{step}” moved to position {position} of {total}.").format(
            step=step, position=position + delta + 1, total=len(self.order))
        self.feedback.value = f"<p>{esc(said)}</p>"

    def _on_check(self, _button=None) -> None:
        tr, lang, exercise = self.tr, self.lang, self.exercise
        result = check(exercise, self.order)
        total = len(self.order)
        right = sum(result.in_place)
        summary = tr.ngettext("{n} of {total} step is in the right place.",
                              "{n} of {total} steps are in the right place.", total).format(n=right, total=total)
        again = tr.gettext("Move the steps marked ✗ and check again.")
        items = "".join(f"<li>{mark(ok)}{rich(self._step_text(step_id))}</li>"
                        for step_id, ok in zip(self.order, result.in_place))
        why = fill(tr.gettext("Why: {reason} ({source})"), reason=rich(exercise.why(lang)),
                   source=esc(source_label(exercise.section, lang)))
        right_order = tr.gettext("Right order.")
        self.say((verdict(tr, result.correct, right_text=right_order, wrong_text=summary) +
                               f'<ol class="fmse-results">{items}</ol>' +
                               (f'<p class="fmse-why">{why}</p>' if result.correct else
                                f"<p>{esc(again)}</p>")))
        self.finish(result.order, result.score, passed=None)
