"""The letter builder in the page: type the date (day/month/year) and pick the language, read the preview, download .docx or .html.

Everything is rendered into HTML widgets (no Output widgets: writing to those while Voilà first runs a page can
hang it, voila#1446), updated in callbacks; the downloads are data: links made in the kernel.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w
from IPython.display import HTML

from ..content.services import Service
from ..i18n import translator
from ..languages import LANGS
from ..setting import Setting, load_setting
from .compose import Letter, compose, compose_posts, format_date
from .data import LetterText
from .day_field import parse_day, show_day
from .export import DOCX_MIME, HTML_MIME, body_html, data_link, file_name, to_docx, to_html

log = logging.getLogger(__name__)

# Inside the page the letter sits under the module's h1 and the builder's h2.
PREVIEW_LEVEL = 3

PREVIEW_CSS = """<style>
.fmse-letter-preview { border: 1px solid #767676; border-radius: 4px; padding: 0.5em 1.5em; background: #fff;
  color: #111; max-width: 44em; }
.fmse-letter-preview .fmse-letter-sender, .fmse-letter-preview .fmse-letter-date { text-align: right; margin: 0; }
.fmse-letter-preview .fmse-letter-note { margin-top: 1.5em; }
.fmse-letter-preview mark.fmse-placeholder, .fmse-posts mark.fmse-placeholder { background: #fff3b0; color: #111; }
.fmse-letter-downloads a { display: inline-block; margin: 0.25em 1em 0.25em 0; padding: 0.5em 0.75em;
  min-height: 24px; border: 1px solid #0b4f9c; border-radius: 4px; }
.fmse-draft-note { border-left: 4px solid #b35900; padding: 0.25em 0.75em; background: #fff4e5; color: #111; }
.fmse-post { border: 1px solid #767676; border-radius: 4px; padding: 0.5em 1em; margin: 0.5em 0; max-width: 44em; }
.fmse-post-count { color: #333; font-size: 0.95em; }
</style>"""


def esc(text: str) -> str:
    return escape(text, quote=True)


class LetterBuilder(w.VBox):
    """The builder for one page language; `letter` holds the letter last composed."""

    def __init__(self, lang: str, *, today: dt.date | None = None,
                 settings: Callable[[str], Setting] = load_setting, text: LetterText | None = None,
                 known: dict[str, Service] | None = None, **kwargs):
        super().__init__(**kwargs)
        if lang not in LANGS:
            raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
        self.lang, self.tr, self.settings = lang, translator(lang), settings
        self._compose_options: dict[str, Any] = {"settings": settings, "text": text, "known": known}
        self.letter: Letter | None = None
        tr = self.tr
        # Typed day/month/year: a browser's date picker shows month/day in an English (US) browser
        # (widgets/letter/day_field.py). Read on Enter or when focus leaves the field.
        self.date_field = w.Text(description=tr.gettext("Date of the letter (day/month/year)"),
                                 value=show_day(today or dt.date.today()), placeholder=tr.gettext("DD/MM/YYYY"),
                                 continuous_update=False, style={"description_width": "initial"})
        self.date_field.add_class("fmse-letter-date-field")
        self.language = w.RadioButtons(
            options=[(tr.pgettext("letter language", "English"), "en"),
                     (tr.pgettext("letter language", "Welsh"), "cy"),
                     (tr.pgettext("letter language", "Welsh and English (Welsh first)"), "both")],
            value=lang, description=tr.gettext("Language of the letter"),
            style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.setting_note = w.HTML(value=self._setting_note())
        # A short live message ("Preview updated: ...") rather than the whole letter, for screen readers.
        self.status = w.HTML(value="")
        self.status.add_class("fmse-live")
        self.preview = w.HTML(value="")
        self.preview.add_class("fmse-letter-preview-box")
        self.draft_note = w.HTML(value="")
        self.downloads = w.HTML(value="")
        self.errors = w.HTML(value="")
        self.errors.add_class("fmse-alert")
        self.add_class("fmse-letter-builder")
        self.children = [w.HTML(value=PREVIEW_CSS), self.setting_note, self.date_field, self.language,
                         self.status, self.preview, self.draft_note, self.downloads, self.errors]
        self.date_field.observe(self._safely(self._on_change), names="value")
        self.language.observe(self._safely(self._on_change), names="value")
        self._render(announce=False)

    def _safely(self, callback):
        """Show a failure in the page (role=alert) and log it, never swallow it."""
        def run(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown to the learner, logged with traceback
                log.exception("letter builder: callback failed")
                message = self.tr.gettext("Sorry, something went wrong with the letter: {problem}")
                self.errors.value = f'<p class="fmse-error">{esc(message.format(problem=exc))}</p>'
        return run

    def _on_change(self, _change=None) -> None:
        self._render(announce=True)

    def _setting_note(self) -> str:
        tr = self.tr
        setting = self.settings(self.lang)
        parts = []
        if setting.problem:
            parts.append(esc(tr.gettext("The setting file could not be read: {problem}").format(
                problem=setting.problem)))
        if not setting.is_set:
            parts.append(esc(tr.gettext(
                "Your setting's details are not set, so the letter shows placeholders in [square brackets]. "
                "Set them once with the command {command}, or fill them in in the Word document.")).format(
                command="<code>fmse-course setting set</code>"))
        return "".join(f'<p class="fmse-setting-note">{p}</p>' for p in parts)

    def _render(self, *, announce: bool) -> None:
        tr = self.tr
        try:
            day = parse_day(self.date_field.value)
            message = tr.gettext("Choose a date for the letter.")
        except ValueError:
            day = None
            message = tr.gettext("Write the date as day/month/year, for example {example}.").format(
                example=show_day(dt.date.today()))
        if day is None:
            self.status.value = f"<p>{esc(message)}</p>"
            self.letter = None
            self.draft_note.value = self.downloads.value = ""
            return
        letter = compose(self.language.value, day, **self._compose_options)
        self.letter = letter
        self.errors.value = ""
        label = tr.gettext("Preview of the letter")
        self.preview.value = (f'<section class="fmse-letter-preview" aria-label="{esc(label)}">'
                              f"{body_html(letter, level=PREVIEW_LEVEL, new_tab=True)}</section>")
        self.draft_note.value = self._draft_note(letter)
        self.downloads.value = self._downloads(letter)
        if announce:
            languages = dict((v, k) for k, v in self.language.options)
            message = tr.gettext("Preview updated: {language}, {date}.").format(
                language=languages[letter.choice], date=format_date(day, self.lang))
            self.status.value = f"<p>{esc(message)}</p>"

    def _draft_note(self, letter: Letter) -> str:
        if not letter.welsh_is_draft:
            return ""
        note = self.tr.gettext("The Welsh in this letter is a draft: a Welsh speaker has not yet reviewed it. "
                               "Ask a Welsh speaker to check it before you send the letter.")
        return f'<p class="fmse-draft-note" role="note"><strong>{esc(note)}</strong></p>'

    def _downloads(self, letter: Letter) -> str:
        tr = self.tr
        docx_name, html_name = file_name(letter, "docx"), file_name(letter, "html")
        docx_label = tr.gettext("Download the letter as a Word document ({name})").format(name=docx_name)
        html_label = tr.gettext("Download the letter as a web page ({name})").format(name=html_name)
        docx_link = data_link(to_docx(letter), DOCX_MIME)
        html_link = data_link(to_html(letter).encode("utf-8"), HTML_MIME)
        return (f'<p class="fmse-letter-downloads">'
                f'<a class="fmse-download-docx" href="{docx_link}" download="{esc(docx_name)}">{esc(docx_label)}</a>'
                f'<a class="fmse-download-html" href="{html_link}" download="{esc(html_name)}">{esc(html_label)}</a>'
                f"</p>")


def letter_builder(lang: str, **kwargs) -> LetterBuilder:
    """The letter builder for a page in `lang`."""
    return LetterBuilder(lang, **kwargs)


def posts_html(lang: str, **kwargs) -> str:
    """The social media posts, each in Welsh then English, with their character counts."""
    tr = translator(lang)
    names = {"cy": tr.pgettext("letter language", "Welsh"), "en": tr.pgettext("letter language", "English")}
    parts = [PREVIEW_CSS, '<div class="fmse-posts">']
    posts = compose_posts(lang, **kwargs)
    for post in posts:
        parts.append(f'<section class="fmse-post" aria-label="{esc(post.title)}"><h3>{esc(post.title)}</h3>')
        for version in post.versions:
            text = "".join(f'<mark class="fmse-placeholder">{esc(r.text)}</mark>' if r.placeholder else esc(r.text)
                           for r in version.runs)
            n = version.characters
            count = tr.npgettext("post length", "{n} character", "{n} characters", n).format(n=n)
            parts.append(f'<p><strong>{esc(names[version.lang])}</strong> '
                         f'<span class="fmse-post-count">({esc(count)})</span><br>'
                         f'<span lang="{version.lang}" class="fmse-post-text">{text}</span></p>')
        parts.append("</section>")
    note = tr.gettext("Each count includes the placeholder in square brackets: your own link will change it.")
    parts.append(f'<p class="fmse-posts-note">{esc(note)}</p>')
    if any(v.draft for post in posts for v in post.versions):
        draft = tr.gettext("The Welsh in these posts is a draft: ask a Welsh speaker to check it before you post it.")
        parts.append(f'<p class="fmse-draft-note" role="note"><strong>{esc(draft)}</strong></p>')
    parts.append("</div>")
    return "".join(parts)


def social_posts(lang: str) -> HTML:
    """The posts as page output (they do not change, so plain HTML rather than a widget)."""
    return HTML(posts_html(lang))
