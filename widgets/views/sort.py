"""Sort into categories without dragging: a select per item (WCAG 2.2 asks for a non-drag alternative)."""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import SortExercise
from ..exercises.sort import check
from .base import ExerciseView, esc
from .markup import field, fill, hint, mark, plain, question, rich, verdict
from .sections import source_label

UNSORTED = ""


class SortView(ExerciseView):
    def __init__(self, exercise: SortExercise, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        self.question = question(exercise.prompt(lang))
        self.hint = hint(tr.gettext("For each item, choose a category from its list, then check your answers."))
        options = [(tr.gettext("Choose a category"), UNSORTED)] + [(plain(c.label(lang)), c.id)
                                                                   for c in exercise.categories]
        self.selects = {i.id: w.Dropdown(options=options, value=UNSORTED, layout=w.Layout(width="auto"))
                        for i in exercise.items}
        self.items = [field(f'<p class="fmse-item-text">{rich(i.text(lang))}</p>', self.selects[i.id],
                            classes=("fmse-sort-item",)) for i in exercise.items]
        self.check_button = w.Button(description=tr.gettext("Check answers"), button_style="primary")
        self.check_button.on_click(self.safely(self._on_check))
        self.children = [self.question, self.hint, *self.items, self.check_button, self.feedback, self.errors]

    def placed(self) -> dict[str, str]:
        return {item_id: s.value for item_id, s in self.selects.items() if s.value != UNSORTED}

    def _on_check(self, _button=None) -> None:
        tr, lang, exercise = self.tr, self.lang, self.exercise
        placed = self.placed()
        left = len(exercise.items) - len(placed)
        if left:
            again = tr.ngettext("Choose a category for every item first: {n} item has none yet.",
                                "Choose a category for every item first: {n} items have none yet.",
                                left).format(n=left)
            self.say(f'<p class="fmse-prompt-again">{esc(again)}</p>')
            return
        result = check(exercise, placed)
        total = len(result.items)
        summary = tr.ngettext("You sorted {n} of {total} item correctly.",
                              "You sorted {n} of {total} items correctly.", total).format(n=result.right, total=total)
        items = []
        for r in result.items:
            category = plain(exercise.category(r.item.category).label(lang))
            where = tr.gettext("It belongs in: {category}.").format(category=category)
            items.append(f"<li>{mark(r.right)}<strong>{rich(r.item.text(lang))}</strong> {esc(where)} "
                         f"{rich(r.item.feedback(lang))}</li>")
        why = fill(tr.gettext("Why: {reason} ({source})"), reason=rich(exercise.why(lang)),
                   source=esc(source_label(exercise.section, lang)))
        self.say((verdict(tr, result.correct, wrong_text=summary) +
                               (f"<p>{esc(summary)}</p>" if result.correct else "") +
                               f'<ul class="fmse-results">{"".join(items)}</ul><p class="fmse-why">{why}</p>'))
        self.finish(result.choices, result.score, passed=None)
