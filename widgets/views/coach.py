"""The language coach: the learner writes what they would say; wording from the phrase list is shown back
(escaped) with better wording. What the learner writes is never recorded: events carry phrase ids only."""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import CoachExercise
from ..content.phrases import load_phrases
from ..exercises.coach import CoachResult, check
from .base import ExerciseView, esc
from .markup import field, fill, hint, mark, question, rich
from .sections import source_label

MAX_CHARS = 5_000


class CoachView(ExerciseView):
    def __init__(self, exercise: CoachExercise, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        self.phrases = load_phrases(exercise.phrase_list)
        self.question = question(exercise.prompt(lang))
        self.situation = w.HTML(value=f'<p class="fmse-situation-text">{rich(exercise.situation(lang))}</p>')
        self.situation.add_class("fmse-situation-box")
        self.hint = hint(tr.gettext("Your words are used only to check them: the course does not store them or "
                                    "record them with your progress."))
        # continuous_update=False: the text syncs when focus leaves the box, before the button press arrives
        # (with typing synced live, ipywidgets throttles updates and a quick press could overtake them).
        self.text = w.Textarea(value="", rows=4, continuous_update=False, layout=w.Layout(width="100%"))
        label = tr.gettext("What you would say")
        self.box = field(f'<p class="fmse-label-text"><strong>{esc(label)}</strong></p>', self.text,
                         classes=("fmse-text-field",))
        self.check_button = w.Button(description=tr.gettext("Check my wording"), button_style="primary")
        self.check_button.on_click(self.safely(self._on_check))
        self.children = [self.question, self.situation, self.hint, self.box, self.check_button, self.feedback,
                         self.errors]

    def _on_check(self, _button=None) -> None:
        tr = self.tr
        text = self.text.value
        if not text.strip():
            again = tr.gettext("Write what you would say first.")
            self.say(f'<p class="fmse-prompt-again">{esc(again)}</p>')
            return
        if len(text) > MAX_CHARS:
            too_long = tr.ngettext("Please keep it shorter: the coach reads up to {n} character.",
                                   "Please keep it shorter: the coach reads up to {n} characters.",
                                   MAX_CHARS).format(n=MAX_CHARS)
            self.say(f'<p class="fmse-prompt-again">{esc(too_long)}</p>')
            return
        result = check(self.exercise, text, self.lang)
        self.say(self._result_html(result))
        self.finish(result.phrase_ids, 1.0 if result.clean else 0.0, passed=None)

    def _result_html(self, result: CoachResult) -> str:
        tr, lang = self.tr, self.lang
        parts = []
        if result.clean:
            # No tick: a list can only say what it did not find, never that the words are safe.
            none_found = tr.gettext("The coach found none of the phrases on its list.")
            parts.append(f'<p class="fmse-verdict"><strong>{esc(none_found)}</strong></p>')
        else:
            found = len(result.used)
            parts.append(f'<p class="fmse-verdict fmse-wrong"><strong>{mark(False)}' + esc(tr.ngettext(
                "The coach found {n} phrase to rethink.", "The coach found {n} phrases to rethink.",
                found).format(n=found)) + "</strong></p>")
            yours = tr.gettext("Your words, with the phrases to rethink marked:")
            parts.append(f'<p>{esc(yours)}</p><blockquote class="fmse-your-words">{self._marked(result)}</blockquote>')
            items = []
            instead_template = tr.gettext("Instead, try: {better}")
            for phrase_id in result.phrase_ids:  # each phrase explained once, with every place it was used
                phrase = self.phrases.phrase(phrase_id)
                said = ", ".join(f'<q class="fmse-avoid">{esc(h.text)}</q>' for h in result.used
                                 if h.phrase_id == phrase_id)
                items.append(f'<li>{said}: {rich(phrase.why(lang))} '
                             f'{fill(instead_template, better=f"<q>{rich(phrase.instead(lang))}</q>")}</li>')
            parts.append(f'<ul class="fmse-results">{"".join(items)}</ul>')
        limits = tr.gettext("No list can catch everything: read your words again as the young person would hear "
                            "them. Check that you promise no secrecy, ask to see or be sent nothing, and say that "
                            "you will pass it on to your designated safeguarding person straight away.")
        model = fill(tr.gettext("One way to say it: {words}"),
                     words=f"<q>{rich(self.exercise.model_answer(lang))}</q>")
        why = fill(tr.gettext("Why: {reason} ({source})"), reason=rich(self.exercise.why(lang)),
                   source=esc(source_label(self.exercise.section, lang)))
        parts.append(f"<p>{esc(limits)}</p><p>{model}</p><p class=\"fmse-why\">{why}</p>"
                     f'<p class="fmse-why">{esc(self.phrases.source(lang))}</p>')
        return "".join(parts)

    @staticmethod
    def _marked(result: CoachResult) -> str:
        """The learner's text, escaped, with each phrase to rethink in a <mark> (and a ✗ so colour is not alone)."""
        out, at = [], 0
        for hit in result.used:
            if hit.start < at:
                continue
            out.append(esc(result.text[at:hit.start]))
            out.append(f'<mark class="fmse-flagged">✗ {esc(result.text[hit.start:hit.end])}</mark>')
            at = hit.end
        out.append(esc(result.text[at:]))
        return "".join(out).replace("\n", "<br>")
