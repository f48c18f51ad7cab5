"""Small HTML helpers shared by the exercise views: escaping with quoted examples kept, verdicts, fields.

Everything shown goes through `esc` (learner text) or `rich` (course text): the only markup course text may
carry is the quoted-example element of the language coach (`<q class="fmse-avoid">`), restored after escaping.
"""
from __future__ import annotations

import re

import ipywidgets as w

from ..exercises.coach import QUOTE_CLOSE, QUOTE_OPEN, strip_marks
from .base import esc

_OPEN, _CLOSE = esc(QUOTE_OPEN), esc(QUOTE_CLOSE)


def rich(text: str) -> str:
    """Course text as HTML: escaped, with balanced quoted-example marks turned back into <q> elements."""
    escaped = esc(text)
    if escaped.count(_OPEN) and escaped.count(_OPEN) == escaped.count(_CLOSE):
        escaped = escaped.replace(_OPEN, QUOTE_OPEN).replace(_CLOSE, QUOTE_CLOSE)
        # The <q> element draws its own quotation marks: drop any the text also carries, so none are doubled.
        escaped = re.sub(re.escape(QUOTE_OPEN) + r"[“‘\"]", QUOTE_OPEN, escaped)
        escaped = re.sub(r"[”’\"]" + re.escape(QUOTE_CLOSE), QUOTE_CLOSE, escaped)
    return escaped


def plain(text: str) -> str:
    """Course text for places that show plain text only (option labels): quoted-example marks removed."""
    return strip_marks(text)


def verdict(tr, right: bool, right_text: str | None = None, wrong_text: str | None = None) -> str:
    """A verdict paragraph: a tick or a cross with words, never colour alone."""
    words = (right_text or tr.gettext("Correct.")) if right else (wrong_text or tr.gettext("Not quite."))
    mark = "✓" if right else "✗"
    return (f'<p class="fmse-verdict fmse-{"right" if right else "wrong"}"><strong>{mark} {esc(words)}'
            f'</strong></p>')


def mark(right: bool) -> str:
    """A tick or cross for one line of feedback (the words around it say what it means)."""
    return f'<span class="fmse-mark fmse-{"right" if right else "wrong"}">{"✓" if right else "✗"}</span> '


def html(value: str, *classes: str) -> w.HTML:
    widget = w.HTML(value=value)
    for name in classes:
        widget.add_class(name)
    return widget


def question(text: str) -> w.HTML:
    """The exercise's prompt: course.js labels the exercise group with it."""
    return html(f'<p class="fmse-question-text">{rich(text)}</p>', "fmse-question")


def hint(text: str) -> w.HTML:
    return html(f'<p class="fmse-hint">{esc(text)}</p>', "fmse-hint-box")


def field(label_html: str, *controls: w.Widget, classes: tuple[str, ...] = ()) -> w.VBox:
    """A labelled group: course.js names the controls inside (radio group, select, text box) after the label."""
    label = html(label_html, "fmse-field-label")
    box = w.VBox([label, *controls])
    box.add_class("fmse-field")
    for name in classes:
        box.add_class(name)
    box.label = label  # for tests and views
    return box


def set_message(live: w.HTML, *parts: str) -> None:
    """Replace the live region's text (screen readers announce the change)."""
    live.value = "".join(parts)


def fill(template: str, **parts: str) -> str:
    """An interface string with HTML parts put into it: the template is escaped, the parts are already HTML."""
    return esc(template).format(**parts)
