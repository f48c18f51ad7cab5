"""A branching scenario: the current situation, a radio group of replies and one Choose button that stays put
(focus is never lost when the situation changes); at an ending, a debrief of the path taken. After each step the
page's script (course.js) moves focus to the new step's first reply, or to the ending's heading."""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import ScenarioExercise
from ..exercises.scenario import ScenarioRun
from ..recording import utc_now
from .base import ExerciseView, esc
from .markup import field, fill, hint, html, mark, plain, question, rich
from .sections import source_label


class ScenarioView(ExerciseView):
    def __init__(self, exercise: ScenarioExercise, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        self.run = ScenarioRun(exercise)
        self.question = question(exercise.prompt(lang))
        self.notice = html(f'<p class="fmse-notice">{rich(exercise.notice(lang))}</p>', "fmse-notice-box")
        self.hint = hint(tr.gettext("Choose what you would say or do, then press Choose. "
                                    "At the end you will see a debrief of the path you took."))
        self.radio = w.RadioButtons(options=[], value=None, layout=w.Layout(width="auto"))
        self.situation = field("", self.radio, classes=("fmse-situation",))
        self.choose_button = w.Button(description=tr.gettext("Choose"), button_style="primary")
        self.choose_button.on_click(self.safely(self._on_choose))
        self._shown = -1  # how many steps have been shown (course.js watches the number change)
        self._show_node()
        self.children = [self.question, self.notice, self.hint, self.situation, self.choose_button, self.feedback,
                         self.errors]

    def _node_html(self) -> str:
        node = self.run.node
        heading = self.tr.gettext("How it ends") if node.ending else self.tr.gettext("What happens")
        return (f'<p class="fmse-situation-heading"><strong>{esc(heading)}</strong></p>'
                f"<p>{rich(node.text(self.lang))}</p>")

    def _show_node(self) -> None:
        """Show the current step. The replies' radio group carries the step's number as a class, sent in the same
        message as its new options and after everything else, so that course.js, which moves focus into a new
        step, knows the step is complete in the page when the number changes."""
        node = self.run.node
        self.radio.layout.display = "none" if node.ending else None
        self.situation.label.value = self._node_html()
        self._shown += 1
        with self.radio.hold_sync():
            self.radio.options = [(plain(c.text(self.lang)), c.id) for c in node.choices]
            self.radio.value = None
            self.radio._dom_classes = tuple(c for c in self.radio._dom_classes if not c.startswith("fmse-step-")) + (
                f"fmse-step-{self._shown}",)

    def _on_choose(self, _button=None) -> None:
        tr = self.tr
        if self.run.finished:
            self.run.restart()
            self._started_at = utc_now()
            self._show_node()
            self.choose_button.description = tr.gettext("Choose")
            restarted = tr.gettext("The scenario has started again.")
            self.feedback.value = f"<p>{esc(restarted)}</p>{self._sr_only(self._node_html())}"
            return
        if self.radio.value is None:
            again = tr.gettext("Choose a reply first.")
            self.feedback.value = f'<p class="fmse-prompt-again">{esc(again)}</p>'
            return
        step = self.run.choose(self.radio.value)
        said = self._step_html(step)
        self._show_node()
        if not self.run.finished:
            self.feedback.value = said + self._sr_only(self._node_html())
            return
        self.choose_button.description = tr.gettext("Start again")
        self.feedback.value = said + self._sr_only(self._node_html()) + self._debrief()
        self.finish(self.run.choices, self.run.score, passed=None)

    def _step_html(self, step) -> str:
        tr = self.tr
        words = tr.gettext("A good choice.") if step.choice.best else tr.gettext("Think again about this one.")
        chose = fill(tr.gettext("You chose: {choice}"), choice=rich(step.choice.text(self.lang)))
        return (f'<p class="fmse-verdict fmse-{"right" if step.choice.best else "wrong"}">'
                f'<strong>{mark(step.choice.best)}{esc(words)}</strong> {chose}</p>'
                f"<p>{rich(step.choice.feedback(self.lang))}</p>")

    @staticmethod
    def _sr_only(inner: str) -> str:
        """Text for screen readers only: the new situation, which sighted learners see above the replies."""
        return f'<div class="fmse-sr-only">{inner}</div>'

    def _debrief(self) -> str:
        tr, lang, run = self.tr, self.lang, self.run
        total = len(run.path)
        heading = tr.gettext("Debrief")
        summary = tr.ngettext("{n} of your {total} choice was what the guidance recommends.",
                              "{n} of your {total} choices were what the guidance recommends.",
                              total).format(n=run.best_taken, total=total)
        chose = tr.gettext("You chose: {choice}")
        steps = "".join(f"<li><p>{rich(s.node.text(lang))}</p><p>{mark(s.choice.best)}"
                        f"{fill(chose, choice=rich(s.choice.text(lang)))}</p>"
                        f"<p>{rich(s.choice.feedback(lang))}</p></li>" for s in run.path)
        source = f"({source_label(self.exercise.section, lang)})"
        again = tr.gettext("Press Start again to try other choices.")
        return (f'<div class="fmse-debrief"><p><strong>{esc(heading)}</strong></p><p>{esc(summary)}</p>'
                f'<ol class="fmse-results">{steps}</ol><p>{rich(self.exercise.debrief(lang))}</p>'
                f'<p class="fmse-why">{esc(source)}</p><p>{esc(again)}</p></div>')
