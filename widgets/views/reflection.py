"""A reflection prompt: free text that stays on the page. Nothing is stored; the learner can download their own
notes as a text file, built in the kernel and offered as a data: link (no round trip to a file server)."""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import ReflectionExercise
from ..exercises.reflection import MAX_CHARS, as_file_text, data_url, file_name
from .base import ExerciseView, esc
from .markup import field, hint, mark, question, rich


class ReflectionView(ExerciseView):
    def __init__(self, exercise: ReflectionExercise, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        points = "".join(f"<li>{rich(p(lang))}</li>" for p in exercise.points)
        self.question = question(exercise.prompt(lang))
        self.points = w.HTML(value=f'<ul class="fmse-points">{points}</ul>' if points else "")
        self.hint = hint(tr.gettext("Your notes stay on this page: the course does not store them or send them "
                                    "anywhere. To keep them, press Finish and download them as a text file."))
        # continuous_update=False: see CoachView (the text must reach the kernel before the button press).
        self.text = w.Textarea(value="", rows=6, continuous_update=False, layout=w.Layout(width="100%"))
        label = tr.gettext("Your notes")
        self.box = field(f'<p class="fmse-label-text"><strong>{esc(label)}</strong></p>', self.text,
                         classes=("fmse-text-field",))
        self.finish_button = w.Button(description=tr.gettext("Finish"), button_style="primary")
        self.finish_button.on_click(self.safely(self._on_finish))
        self.children = [self.question, self.points, self.hint, self.box, self.finish_button, self.feedback,
                         self.errors]

    def _on_finish(self, _button=None) -> None:
        tr, lang = self.tr, self.lang
        text = self.text.value
        finished, not_stored = tr.gettext("Finished."), tr.gettext("Nothing you wrote has been stored.")
        parts = [f'<p class="fmse-verdict fmse-right"><strong>{mark(True)}{esc(finished)}</strong> '
                 f"{esc(not_stored)}</p>"]
        if not text.strip():
            nothing = tr.gettext("You did not write any notes, so there is nothing to download.")
            parts.append(f"<p>{esc(nothing)}</p>")
        else:
            cut = len(text) > MAX_CHARS
            content = as_file_text(self.exercise.prompt(lang), text[:MAX_CHARS],
                                   heading=tr.gettext("My notes (not stored by the course)"))
            link = tr.gettext("Download my notes (text file)")
            parts.append(f'<p><a class="fmse-download" href="{esc(data_url(content))}" '
                         f'download="{esc(file_name(self.exercise.id, lang))}">{esc(link)}</a></p>')
            if cut:
                parts.append("<p>" + esc(tr.ngettext(
                    "The file keeps the first {n} character of your notes.",
                    "The file keeps the first {n} characters of your notes.", MAX_CHARS).format(n=MAX_CHARS)) + "</p>")
        first_time = not self.completed
        self.say("".join(parts))
        if first_time:  # one event: a reflection has nothing to mark; pressing Finish again only renews the link
            self.finish((), 1.0, passed=None)
