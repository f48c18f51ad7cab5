"""A knowledge check: several choice questions, one Submit button, a score against a pass mark.

What a screen reader announces (the live region) is one short sentence, the verdict ("8 of 12 correct: passed."),
numbered from the second press of Submit so that an identical resubmission is announced too (a live region is
silent when its text does not change). The feedback on every question stays in the page below it, in a region
that is not live, where the reader can move through it at their own pace."""
from __future__ import annotations

import math

import ipywidgets as w

from ..content.exercises import ChoiceExercise, KnowledgeCheck
from ..exercises.knowledge import check, unanswered
from .base import ExerciseView, esc
from .markup import field, fill, hint, html, mark, plain, question, rich
from .sections import source_label


class QuestionBox:
    """One question's controls: a radio group (single choice) or checkboxes (multiple choice)."""

    def __init__(self, q: ChoiceExercise, number: int, lang: str, tr):
        self.question = q
        labels = [(plain(o.text(lang)), o.id) for o in q.options]
        if q.type == "single-choice":
            self.radio = w.RadioButtons(options=labels, value=None, layout=w.Layout(width="auto"))
            self.checkboxes: list[w.Checkbox] = []
            controls: list[w.Widget] = [self.radio]
            extra = ""
        else:
            self.radio = None
            self.checkboxes = [w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="auto"))
                               for label, _ in labels]
            controls = self.checkboxes
            applies = tr.gettext("(Choose every answer that applies.)")
            extra = f' <span class="fmse-hint">{esc(applies)}</span>'
        self.box = field(f'<p class="fmse-question-text"><span class="fmse-position">{number}.</span> '
                         f"{rich(q.prompt(lang))}{extra}</p>", *controls, classes=("fmse-check-question",))

    def chosen(self) -> list[str]:
        if self.radio is not None:
            return [] if self.radio.value is None else [self.radio.value]
        return [o.id for o, box in zip(self.question.options, self.checkboxes) if box.value]


class KnowledgeCheckView(ExerciseView):
    def __init__(self, exercise: KnowledgeCheck, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        total = len(exercise.questions)
        self.needed = needed(exercise)
        self.question = question(exercise.prompt(lang))
        self.hint = hint(tr.ngettext("Answer every question, then submit your answers. To pass, answer at least {n} "
                                     "of {total} question correctly.",
                                     "Answer every question, then submit your answers. To pass, answer at least {n} "
                                     "of {total} questions correctly.", total).format(n=self.needed, total=total))
        self.boxes = [QuestionBox(q, i, lang, tr) for i, q in enumerate(exercise.questions, start=1)]
        self.submit_button = w.Button(description=tr.gettext("Submit answers"), button_style="primary")
        self.submit_button.on_click(self.safely(self._on_submit))
        self.attempts = 0
        # Not live: the score, what to do next and every question's feedback, read at the learner's own pace.
        self.details = html("", "fmse-check-details")
        self.children = [self.question, self.hint, *(b.box for b in self.boxes), self.submit_button, self.feedback,
                         self.details, self.errors]

    def answers(self) -> dict[str, list[str]]:
        return {b.question.id: b.chosen() for b in self.boxes}

    def _on_submit(self, _button=None) -> None:
        tr, exercise = self.tr, self.exercise
        self.attempts += 1
        answers = self.answers()
        missing = unanswered(exercise, answers)
        if missing:
            numbers = ", ".join(str(i) for i, q in enumerate(exercise.questions, start=1) if q.id in missing)
            again = tr.ngettext("Answer every question first: question {numbers} has no answer yet.",
                                "Answer every question first: questions {numbers} have no answer yet.",
                                len(missing)).format(numbers=numbers)
            self.details.value = ""
            self.feedback.value = f'<p class="fmse-prompt-again">{esc(self._numbered(again))}</p>'
            return
        result = check(exercise, answers)
        total = len(exercise.questions)
        if result.passed:
            # TRANSLATORS: the one sentence a screen reader announces after Submit; the details follow in the page.
            verdict = tr.gettext("{n} of {total} correct: passed.").format(n=result.right, total=total)
        else:
            verdict = tr.gettext("{n} of {total} correct: not passed yet (you need {needed}).").format(
                n=result.right, total=total, needed=self.needed)
        self.feedback.value = (f'<p class="fmse-verdict fmse-{"right" if result.passed else "wrong"}"><strong>'
                               f"{mark(result.passed)}{esc(self._numbered(verdict))}</strong></p>")
        self.details.value = self._details_html(result)
        self.finish(result.choices, result.score, passed=result.passed)

    def _numbered(self, sentence: str) -> str:
        """From the second press of Submit on, the sentence says which attempt it answers, so it always changes."""
        if self.attempts < 2:
            return sentence
        # TRANSLATORS: {n} counts the presses of Submit (2, 3, ...); {sentence} is the announcement itself.
        return self.tr.gettext("Attempt {n}: {sentence}").format(n=self.attempts, sentence=sentence)

    def _details_html(self, result) -> str:
        tr, lang, exercise = self.tr, self.lang, self.exercise
        total = len(exercise.questions)
        score = tr.ngettext("You answered {n} of {total} question correctly ({percent}%).",
                            "You answered {n} of {total} questions correctly ({percent}%).", total).format(
            n=result.right, total=total, percent=round(result.score * 100))
        parts = [f"<p>{esc(score)}</p>"]
        if not result.passed:
            parts.append("<p>" + esc(tr.ngettext(
                "Not passed yet: you need {n} right answer. Read the feedback, change your answers and submit again.",
                "Not passed yet: you need {n} right answers. Read the feedback, change your answers and submit "
                "again.", self.needed).format(n=self.needed)) + "</p>")
        label = tr.gettext("Question {n}:")
        right_words, wrong_words = tr.gettext("Correct."), tr.gettext("Not quite.")
        why_template = tr.gettext("Why: {reason} ({source})")
        items = []
        for number, (q, (_, r)) in enumerate(zip(exercise.questions, result.questions), start=1):
            feedback = "".join(f"<p>{rich(o.feedback(lang))}</p>" for o in r.chosen)
            why = fill(why_template, reason=rich(q.why(lang)), source=esc(source_label(q.section, lang)))
            items.append(f"<li><p>{mark(r.correct)}<strong>{esc(label.format(n=number))} "
                         f"{esc(right_words if r.correct else wrong_words)}</strong></p>{feedback}"
                         f'<p class="fmse-why">{why}</p></li>')
        parts.append(f'<ul class="fmse-results">{"".join(items)}</ul>')
        return "".join(parts)


def needed(exercise: KnowledgeCheck) -> int:
    """How many questions must be right to reach the pass mark."""
    return max(1, math.ceil(exercise.pass_mark * len(exercise.questions) - 1e-9))
