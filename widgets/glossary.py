"""The glossary pages: the termbase's English and Welsh terms (data/termbase.yaml), in each language's alphabetical
order."""
from __future__ import annotations

import html
from pathlib import Path

from IPython.display import HTML

from .exercises.coach import QUOTE_CLOSE, QUOTE_OPEN
from .i18n import translator
from .languages import LANGS
from .termbase import Term, parse_termbase, termbase
from .welsh import sort_key

# Jupyter's own styles right-align table cells; words in a glossary read from the start of the line.
LEFT = ' style="text-align: start"'


def parse_glossary(data: object, file: Path | str) -> tuple[Term, ...]:
    """The terms of a termbase file (data/termbase.yaml), checked."""
    return parse_termbase(data, file).terms


def terms(path: Path | None = None) -> tuple[Term, ...]:
    """Every term, in the order of the file."""
    return termbase(path).terms


def sorted_terms(lang: str, path: Path | None = None) -> list[Term]:
    """The terms in `lang`'s alphabetical order of the term in `lang` (Welsh: ch, dd, ff, ng, ll, ph, rh, th)."""
    key = sort_key(lang)
    other = "en" if lang == "cy" else "cy"
    return sorted(terms(path), key=lambda t: (key(t.term(lang)), key(t.term(other))))


def _rich(text: str) -> str:
    """Escaped text, with the language coach's quoted-example marks (<q class="fmse-avoid">) kept."""
    escaped = html.escape(text)
    opening, closing = html.escape(QUOTE_OPEN), html.escape(QUOTE_CLOSE)
    if escaped.count(opening) and escaped.count(opening) == escaped.count(closing):
        escaped = escaped.replace(opening, QUOTE_OPEN).replace(closing, QUOTE_CLOSE)
    return escaped


def _source_label(source: str, lang: str) -> str:
    tr = translator(lang)
    return {"alert": tr.gettext("the alert's Welsh text"),
            "hwb": tr.gettext("Hwb (Welsh Government)"),
            "course": tr.gettext("the course team (draft Welsh)")}[source]


def glossary_html(lang: str, path: Path | None = None) -> str:
    tr = translator(lang)
    other = "en" if lang == "cy" else "cy"
    heads = {"en": tr.gettext("English"), "cy": tr.gettext("Welsh")}
    caption = html.escape(tr.gettext("English and Welsh terms used in this course"))
    source_head = html.escape(tr.gettext("Where the Welsh comes from"))
    rows = []
    for term in sorted_terms(lang, path):
        note = f"<br><small>{_rich(term.note(lang))}</small>" if term.note else ""
        rows.append(f'<tr id="term-{term.id}"><th scope="row" lang="{lang}"{LEFT}>{html.escape(term.term(lang))}</th>'
                    f'<td lang="{other}"{LEFT}>{html.escape(term.term(other))}</td>'
                    f'<td{LEFT}>{html.escape(_source_label(term.source, lang))}{note}</td></tr>')
    return (f'<table class="fmse-glossary"><caption>{caption}</caption><thead><tr>'
            f'<th scope="col"{LEFT}>{html.escape(heads[lang])}</th><th scope="col"{LEFT}>{html.escape(heads[other])}</th>'
            f'<th scope="col"{LEFT}>{source_head}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def glossary(lang: str) -> HTML:
    """The glossary table for a notebook cell, sorted in `lang`'s alphabetical order."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
    return HTML(glossary_html(lang))
