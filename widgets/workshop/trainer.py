"""The trainer's live results page: how to join, who has joined, and how the room is answering.

Projected on a screen, so large type and counts only: for the question on everyone's screen, how many chose
each answer (never who), refreshed every few seconds by itself (a task on the kernel's event loop, watch.py;
the page is redrawn only when the room changed). The trainer reveals the answer and moves the room on with
buttons; each participant's page follows within a couple of seconds. Nicknames appear only in the list of who
has joined, always as plain text.
"""
from __future__ import annotations

import os
from html import escape

import ipywidgets as w

from ..i18n import translator
from ..records import RecordsError, open_store
from ..views.guard import alert_box, guard
from .room import ENV_JOIN_URL, questions, running_code, spread
from .watch import KeptStore, Poll, PolledPage

POLL_SECONDS = 3.0


def qr_image(url: str, lang: str) -> str:
    """The join address as a QR code: an <img> of inline SVG (no file, nothing fetched), with the address as alt."""
    import segno

    svg = segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#000", light="#fff")
    alt = translator(lang).gettext("QR code for the join address {url}").format(url=url)
    return f'<img class="fmse-qr" src="{escape(svg)}" alt="{escape(alt)}">'


def url_html(url: str) -> str:
    """An address that may break over lines only after its "//", ":" and "/" (never inside a word)."""
    import re

    parts = re.split(r"(?<=//)|(?<=:)(?=\d)|(?<!/)(?=/(?!/))", url)
    return '<span class="fmse-room-url">' + "<wbr>".join(escape(p) for p in parts if p) + "</span>"


def spread_html(exercise, counts, lang: str, revealed: bool) -> str:
    """A table of answers and how many chose each (with a bar drawn beside the number)."""
    tr = translator(lang)
    caption = tr.gettext("How the room answered")
    answer, people, correct = tr.gettext("Answer"), tr.gettext("People"), tr.gettext("Correct")
    head = f'<tr><th scope="col">{escape(answer)}</th><th scope="col">{escape(people)}</th></tr>'
    rows = []
    for option in exercise.options:
        count = counts.counts.get(option.id, 0)
        share = round(100 * counts.share(option.id))
        mark = ""
        if revealed and option.correct:
            mark = f' <strong class="fmse-room-correct">✓ {escape(correct)}</strong>'
        cls = ' class="fmse-room-right"' if revealed and option.correct else ""
        rows.append(f'<tr{cls}><th scope="row">{escape(option.text(lang))}{mark}</th>'
                    f'<td><span class="fmse-room-count">{count}</span>'
                    f'<span class="fmse-room-bar" aria-hidden="true"><span style="width:{share}%"></span></span>'
                    f"</td></tr>")
    why = ""
    if revealed:  # the projector shows why, as every participant's page does
        from ..views.sections import source_label

        why = '<p class="fmse-why fmse-room-why">{}</p>'.format(escape(tr.gettext("Why: {reason} ({source})").format(
            reason=exercise.why(lang), source=source_label(exercise.section, lang))))
    return (f'<table class="fmse-room-spread"><caption>{escape(caption)}</caption><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table>{why}')


def joined_html(participants, lang: str) -> str:
    tr = translator(lang)
    named = [p.nickname for p in participants if p.nickname]
    unnamed = len(participants) - len(named)
    title = tr.ngettext("{n} person has joined", "{n} people have joined", len(participants)).format(
        n=len(participants))
    items = "".join(f"<li>{escape(name)}</li>" for name in named)
    if unnamed:
        items += "<li><em>{}</em></li>".format(escape(tr.ngettext(
            "{n} without a nickname", "{n} without a nickname", unnamed).format(n=unnamed)))
    return (f'<h2 class="fmse-room-joined-title">{escape(title)}</h2>'
            + (f'<ul class="fmse-room-joined">{items}</ul>' if items else ""))


class TrainerView(PolledPage, w.VBox):
    """The trainer's page (see the module docstring)."""

    def __init__(self, lang: str, *, code: str | None = None, join_url: str | None = None,
                 store_factory=open_store, poll: float | None = POLL_SECONDS, **kwargs):
        super().__init__(**kwargs)
        self.lang, self.tr = lang, translator(lang)
        self.code = code if code is not None else running_code()
        self.join_url = join_url if join_url is not None else os.environ.get(ENV_JOIN_URL, "")
        self.stores = KeptStore(store_factory)
        self.questions = questions()
        self.state = None
        self._seen: tuple | None = None  # what the page was last drawn from: nothing is redrawn while the room is the same
        tr = self.tr
        self.join = w.HTML(value="")
        self.joined = w.HTML(value="")
        self.question = w.HTML(value="")
        self.results = w.HTML(value="")
        self.announce = w.HTML(value="")
        self.announce.add_class("fmse-live")
        self.errors = alert_box()
        self.previous_button = w.Button(description=tr.gettext("Previous question"))
        self.reveal_button = w.Button(description=tr.gettext("Reveal the answer"), button_style="primary")
        self.next_button = w.Button(description=tr.gettext("Next question"), button_style="primary")
        for button, action in ((self.previous_button, self.previous), (self.reveal_button, self.reveal),
                               (self.next_button, self.next)):
            button.on_click(self._guard(lambda _b, act=action: act()))
        controls = w.HBox([self.previous_button, self.reveal_button, self.next_button])
        controls.add_class("fmse-room-controls")
        self.add_class("fmse-trainer")
        self.poll = None
        if self.code is None:
            self.join.value = "<p>{}</p>".format(escape(tr.gettext(
                "No workshop is running on this server. Start one with the command fmse-course workshop: it "
                "prints the join code for participants and opens this page for you.")))
            self.children = [self.join]
            return
        # The question and its answers first (and largest); how to join and who has joined beside them.
        main = w.VBox([self.question, self.results, controls, self.announce, self.errors])
        main.add_class("fmse-trainer-main")
        side = w.VBox([self.join, self.joined])
        side.add_class("fmse-trainer-side")
        self.children = [main, side]
        self._join_html = self._join_box()  # the QR code is drawn once: the address and code never change
        self._guard(self.refresh)()
        if poll:
            self.poll = Poll(poll, self.refresh, self._show_error, name="trainer", owner=self,
                             on_stop=self.stores.close).start()

    def _guard(self, callback):
        def message(exc: Exception) -> str:
            text = exc.message(self.lang) if isinstance(exc, RecordsError) else str(exc)
            return self.tr.gettext("The room could not be updated: {problem}").format(problem=text)
        return guard(callback, self.errors, message, where="workshop trainer page", expected=(RecordsError,))

    def _show_error(self, exc: Exception) -> None:
        text = exc.message(self.lang) if isinstance(exc, RecordsError) else str(exc)
        self.errors.value = '<p class="fmse-error">{}</p>'.format(escape(
            self.tr.gettext("The room could not be updated: {problem}").format(problem=text)))

    # ---- reading the room ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the room (one kept connection) and redraw, only if anything in it changed since the last draw."""
        with self.stores.use() as store:
            state = store.room(self.code)
            people = store.participants(self.code)
            current = (self.questions[state.question]
                       if state is not None and 0 <= state.question < len(self.questions) else None)
            events = store.workshop_events(self.code, current.id) if current is not None else []
        if self.errors.value:
            self.errors.value = ""
        self.state = state
        seen = (state, tuple(people), current.id if current is not None else None, tuple(events))
        if seen == self._seen:
            return
        self._draw(state, people, current, events)
        self._seen = seen

    def _join_box(self) -> str:
        tr = self.tr
        shown = self.join_url.split("?")[0]  # the QR code carries the code too; people type the short address
        before, _, after = tr.gettext("Join at {url} with the code").partition("{url}")
        join = escape(before) + url_html(shown or "…") + escape(after)
        qr = qr_image(self.join_url, self.lang) if self.join_url else ""
        return (f'<div class="fmse-room-join"><p class="fmse-room-join-url">{join}</p>'
                f'<p class="fmse-room-code">{escape(self.code or "")}</p>{qr}</div>')

    def _draw(self, state, people, current, events) -> None:
        tr, lang = self.tr, self.lang
        self._set(self.join, self._join_html)
        self._set(self.joined, joined_html(people, lang))
        total = len(self.questions)
        if state is None:
            self._set(self.question, "<p>{}</p>".format(escape(tr.gettext("This workshop's records were deleted."))))
            self._set(self.results, "")
        elif current is None:
            text = (tr.gettext("When everyone has joined, press Next question to show the first question.")
                    if state.question < 0 else tr.gettext("That was the last question."))
            self._set(self.question, f'<h2 class="fmse-room-question-title">{escape(text)}</h2>')
            self._set(self.results, "")
        else:
            counts = spread(current, [e for e in events if e.page == "workshop"])
            number = tr.gettext("Question {number} of {total}").format(number=state.question + 1, total=total)
            answered = tr.ngettext("{n} of {joined} has answered", "{n} of {joined} have answered",
                                   counts.answered).format(n=counts.answered, joined=len(people))
            self._set(self.question, f'<p class="fmse-room-number">{escape(number)}</p>'
                                     f'<h2 class="fmse-room-question-title">{escape(current.prompt(lang))}</h2>'
                                     f'<p class="fmse-room-answered">{escape(answered)}</p>')
            self._set(self.results, spread_html(current, counts, lang, state.revealed))
        question = state.question if state is not None else -1
        self.previous_button.disabled = state is None or question < 0
        self.next_button.disabled = state is None or question >= total
        self.reveal_button.disabled = current is None
        self.reveal_button.description = (tr.gettext("Hide the answer") if state is not None and state.revealed
                                           else tr.gettext("Reveal the answer"))

    @staticmethod
    def _set(widget: w.HTML, value: str) -> None:
        if widget.value != value:  # unchanged values send nothing to the browser
            widget.value = value

    # ---- moving the room ---------------------------------------------------------------------------------

    def _move(self, question: int, revealed: bool) -> None:
        with self.stores.use() as store:
            store.set_room(self.code, question=question, revealed=revealed)
        self.refresh()
        tr, total = self.tr, len(self.questions)
        if revealed:
            said = tr.gettext("The answer is showing on every screen.")
        elif 0 <= question < total:
            said = tr.gettext("Every screen now shows question {number} of {total}.").format(number=question + 1,
                                                                                           total=total)
        elif question >= total:
            said = tr.gettext("The questions are finished.")
        else:
            said = tr.gettext("Back to the start: no question is showing.")
        self.announce.value = f"<p>{escape(said)}</p>"

    def next(self) -> None:
        question = self.state.question if self.state is not None else -1
        self._move(min(question + 1, len(self.questions)), False)

    def previous(self) -> None:
        question = self.state.question if self.state is not None else -1
        self._move(max(question - 1, -1), False)

    def reveal(self) -> None:
        if self.state is not None and 0 <= self.state.question < len(self.questions):
            self._move(self.state.question, not self.state.revealed)


def trainer_view(lang: str) -> TrainerView:
    """The trainer page's one widget."""
    return TrainerView(lang)
