"""Chat spotter: an invented chat; the learner ticks "Warning sign" beside the messages that are warning signs."""
from __future__ import annotations

import ipywidgets as w

from ..content.exercises import ChatExercise
from ..exercises.chat import check
from .base import ExerciseView, esc
from .markup import fill, hint, html, mark, question, rich, verdict
from .sections import source_label


class ChatView(ExerciseView):
    def __init__(self, exercise: ChatExercise, lang: str, **kwargs):
        super().__init__(exercise, lang, **kwargs)
        tr = self.tr
        self.question = question(exercise.prompt(lang))
        self.notice = html(f'<p class="fmse-notice">{rich(exercise.notice(lang))}</p>', "fmse-notice-box")
        self.hint = hint(tr.gettext("Tick “Warning sign” beside each message that is a warning sign, "
                                    "then check your marks."))
        self.boxes: dict[str, w.Checkbox] = {}
        rows = []
        for number, message in enumerate(exercise.messages, start=1):
            sender = exercise.participant(message.sender)
            who = fill(tr.gettext("Message {n}, from {handle} ({role}):"), n=str(number),
                       handle=f'<span class="fmse-handle">{esc(sender.handle)}</span>', role=rich(sender.role(lang)))
            text = html(f'<p class="fmse-chat-from">{who}</p>'
                        f'<p class="fmse-chat-words">{rich(message.text(lang))}</p>', "fmse-chat-text")
            parts: list[w.Widget] = [text]
            if sender.markable:
                box = w.Checkbox(value=False, description=tr.gettext("Warning sign"), indent=False,
                                 layout=w.Layout(width="auto"))
                self.boxes[message.id] = box
                parts.append(box)
            row = w.VBox(parts)
            row.add_class("fmse-chat-message")
            row.add_class("fmse-chat-markable" if sender.markable else "fmse-chat-reply")
            rows.append(row)
        self.transcript = w.VBox(rows)
        self.transcript.add_class("fmse-chat")
        self.check_button = w.Button(description=tr.gettext("Check my marks"), button_style="primary")
        self.check_button.on_click(self.safely(self._on_check))
        self.children = [self.question, self.notice, self.hint, self.transcript, self.check_button, self.feedback,
                         self.errors]

    def marked(self) -> list[str]:
        return [message_id for message_id, box in self.boxes.items() if box.value]

    def _on_check(self, _button=None) -> None:
        tr, lang, exercise = self.tr, self.lang, self.exercise
        marked = self.marked()
        if not marked:
            again = tr.gettext("Tick at least one message first.")
            self.say(f'<p class="fmse-prompt-again">{esc(again)}</p>')
            return
        result = check(exercise, marked)
        signs = result.found + result.missed
        parts = [verdict(tr, result.correct,
                         right_text=tr.gettext("You found every warning sign."),
                         wrong_text=tr.gettext("Not quite."))]
        parts.append("<p>" + esc(tr.ngettext("You found {n} of {total} warning sign.",
                                             "You found {n} of {total} warning signs.",
                                             signs).format(n=result.found, total=signs)) + "</p>")
        if result.false_alarms:
            parts.append("<p>" + esc(tr.ngettext(
                "{n} message you ticked is not a warning sign on its own.",
                "{n} messages you ticked are not warning signs on their own.",
                result.false_alarms).format(n=result.false_alarms)) + "</p>")
        numbers = {m.id: n for n, m in enumerate(exercise.messages, start=1)}
        ticked, not_ticked = tr.gettext("ticked"), tr.gettext("not ticked")
        label = tr.gettext("Message {n} ({state}):")
        items = "".join(
            f"<li>{mark(r.right)}<strong>"
            f"{esc(label.format(n=numbers[r.message.id], state=ticked if r.marked else not_ticked))}</strong> "
            f"{rich(r.message.feedback(lang) if r.message.feedback else '')}</li>" for r in result.messages)
        why = fill(tr.gettext("Why: {reason} ({source})"), reason=rich(exercise.why(lang)),
                   source=esc(source_label(exercise.section, lang)))
        parts.append(f'<ul class="fmse-results">{items}</ul><p class="fmse-why">{why}</p>')
        self.say("".join(parts))
        self.finish(tuple(marked), result.score, passed=None)
