"""Myth-or-fact cards: a Myth / Fact radio group per statement, one check button, explanations for each."""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import MythFactExercise
from ..exercises.myth_fact import FACT, MYTH, check
from .base import ExerciseView, esc
from .markup import field, hint, mark, question, rich, verdict
from .sections import source_label


class MythFactView(ExerciseView):
    def __init__(self, exercise: MythFactExercise, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        self.question = question(exercise.prompt(lang))
        self.hint = hint(tr.gettext("For each statement, choose Myth or Fact, then check your answers."))
        labels = [(tr.gettext("Myth"), MYTH), (tr.gettext("Fact"), FACT)]
        self.radios = {c.id: w.RadioButtons(options=labels, value=None, layout=w.Layout(width="auto"))
                       for c in exercise.cards}
        self.cards = [field(f'<p class="fmse-statement">{rich(c.statement(lang))}</p>', self.radios[c.id],
                            classes=("fmse-card",)) for c in exercise.cards]
        self.check_button = w.Button(description=tr.gettext("Check answers"), button_style="primary")
        self.check_button.on_click(self.safely(self._on_check))
        self.children = [self.question, self.hint, *self.cards, self.check_button, self.feedback, self.errors]

    def answers(self) -> dict[str, str]:
        return {card_id: radio.value for card_id, radio in self.radios.items() if radio.value is not None}

    def _on_check(self, _button=None) -> None:
        tr, lang = self.tr, self.lang
        answers = self.answers()
        left = len(self.exercise.cards) - len(answers)
        if left:
            again = tr.ngettext("Answer every statement first: {n} statement has no answer yet.",
                                "Answer every statement first: {n} statements have no answer yet.",
                                left).format(n=left)
            self.say(f'<p class="fmse-prompt-again">{esc(again)}</p>')
            return
        result = check(self.exercise, answers)
        total = len(result.cards)
        summary = tr.ngettext("{n} of {total} statement right.", "{n} of {total} statements right.",
                              total).format(n=result.right, total=total)
        said = {(True, True): tr.gettext("Right: it is a fact."), (True, False): tr.gettext("Right: it is a myth."),
                (False, True): tr.gettext("Not quite: it is a fact."),
                (False, False): tr.gettext("Not quite: it is a myth.")}
        items = [f"<li>{mark(r.right)}<strong>{rich(r.card.statement(lang))}</strong> "
                 f"{esc(said[r.right, r.card.fact])} {rich(r.card.explanation(lang))}</li>" for r in result.cards]
        source = f"({source_label(self.exercise.section, lang)})"
        self.say((verdict(tr, result.right == total, wrong_text=summary) +
                               (f"<p>{esc(summary)}</p>" if result.right == total else "") +
                               f'<ul class="fmse-results">{"".join(items)}</ul><p class="fmse-why">{esc(source)}</p>'))
        self.finish(result.choices, result.score, passed=None)
