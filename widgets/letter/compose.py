"""Composing the letter for parents and carers, and the social media posts: no ipywidgets here.

The text comes from data/letter.yaml, the setting's details from the setting file, and every service's name,
address and number from data/services.yaml. The result is a language-neutral list of blocks of runs, which
`export` writes as .docx or HTML and the view previews.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from ..content.services import Service, services
from ..content.text import Text
from ..languages import WELSH_FIRST
from ..setting import Setting, load_setting
from .data import PLACEHOLDER, LetterText, detail_value, letter_text

# The learner's choice of language; "both" puts the Welsh first, as Welsh public bodies place it.
CHOICES = ("en", "cy", "both")
PART_LANGS = {"en": ("en",), "cy": ("cy",), "both": WELSH_FIRST}
BABEL_LOCALES = {"en": "en_GB", "cy": "cy"}


def part_langs(choice: str) -> tuple[str, ...]:
    """The languages of a letter, in order: ("cy", "en") for both."""
    try:
        return PART_LANGS[choice]
    except KeyError:
        raise ValueError(f"the letter's language must be one of {', '.join(CHOICES)}, not {choice!r}") from None


def format_date(day: dt.date, lang: str) -> str:
    """A date written out in `lang`: "28 November 2026", "28 Tachwedd 2026" (Welsh month names from CLDR)."""
    from babel.dates import format_date as babel_format

    return babel_format(day, "d MMMM y", locale=BABEL_LOCALES[lang])


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with how it shows: a link, bold, or a placeholder the setting has still to fill in."""
    text: str
    href: str | None = None
    strong: bool = False
    placeholder: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    # title, sender, date, greeting, heading, paragraph, bullet, closing, sign_off, signature, note
    kind: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Part:
    lang: str
    blocks: tuple[Block, ...]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True, slots=True)
class Letter:
    choice: str                    # en, cy or both
    day: dt.date
    parts: tuple[Part, ...]        # one per language, Welsh first when both
    title: str                     # the document's title (both titles, Welsh first, for a bilingual letter)
    file_stem: str                 # e.g. "llythyr-i-rieni-a-gofalwyr-2026-11-28"
    draft_welsh: tuple[str, ...]   # where the Welsh in this letter is still draft (empty for an English letter)
    unset: tuple[str, ...] = ()    # setting fields shown as placeholders

    @property
    def lang(self) -> str:
        """The letter's main language (the first part's)."""
        return self.parts[0].lang

    @property
    def welsh_is_draft(self) -> bool:
        return bool(self.draft_welsh)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.parts)


def tel_href(number: str) -> str:
    return "tel:" + re.sub(r"\D", "", number)


def shown_address(url: str) -> str:
    """An address as printed in a letter: without https:// and a trailing slash."""
    return re.sub(r"^https://", "", url).rstrip("/")


def is_unset(value: str) -> bool:
    """The setting module shows values that are not set as [bracketed placeholders]."""
    return value.startswith("[") and value.endswith("]")


@dataclass
class _Writer:
    """Fills placeholders for one language, and remembers which Welsh strings it used (for the draft check)."""
    lang: str
    setting: Setting
    known: dict[str, Service]
    day: dt.date | None
    letter: LetterText
    used: dict[str, Text] = field(default_factory=dict)

    def runs(self, where: str, text: Text) -> tuple[Run, ...]:
        self.used[where] = text
        source = text(self.lang)
        runs: list[Run] = []
        end = 0
        for match in PLACEHOLDER.finditer(source):
            if match.start() > end:
                runs.append(Run(source[end:match.start()]))
            runs.append(self.placeholder(*match.groups()))
            end = match.end()
        if end < len(source):
            runs.append(Run(source[end:]))
        return tuple(runs)

    def placeholder(self, name: str, detail: str | None) -> Run:
        if detail is None:
            if name == "date":
                if self.day is None:
                    raise ValueError("{date} is only for the letter, which has a date")
                return Run(format_date(self.day, self.lang))
            if name == "letter_link":
                self.used["labels.letter_link"] = self.letter.labels["letter_link"]
                return Run(self.letter.labels["letter_link"](self.lang), placeholder=True)
            raise ValueError(f"unknown placeholder {{{name}}}")
        if name == "setting":
            value = getattr(self.setting, detail)
            return Run(value, placeholder=is_unset(value))
        return self.service_run(self.known[name], detail)

    def service_run(self, service: Service, detail: str) -> Run:
        value = detail_value(service, detail, self.lang)
        if value is None:
            raise ValueError(f"service '{service.id}' has no {detail} in data/services.yaml")
        if detail == "name":
            self.used[f"services.{service.id}.name"] = service.name
            return Run(value)
        if detail == "web":
            return Run(shown_address(value), href=value)
        if detail in ("phone", "phone2"):
            return Run(value, href=tel_href(value))
        if detail == "email":
            return Run(value, href=f"mailto:{value}")
        return Run(value)

    def service_line(self, service: Service) -> tuple[Run, ...]:
        """One service in the support list: name, what it is for, and how to reach it."""
        self.used[f"services.{service.id}.name"] = service.name
        self.used[f"services.{service.id}.purpose"] = service.purpose
        runs = [Run(service.name(self.lang), strong=True), Run(": " + service.purpose(self.lang))]
        reach: list[list[Run]] = []
        labels = self.letter.labels
        for number in service.phones:
            before, _, after = labels["phone"](self.lang).partition("{number}")
            reach.append([Run(before), Run(number, href=tel_href(number)), Run(after)])
        if service.sms:
            before, _, after = labels["text"](self.lang).partition("{number}")
            reach.append([Run(before), Run(service.sms), Run(after)])
        if service.email:
            reach.append([Run(service.email, href=f"mailto:{service.email}")])
        url = service.url(self.lang)
        if url:
            reach.append([Run(shown_address(url), href=url)])
        for i, item in enumerate(reach):
            runs.append(Run(" " if i == 0 else " · "))
            runs.extend(r for r in item if r.text)
        if reach:
            self.used["labels.phone"] = labels["phone"]
            self.used["labels.text"] = labels["text"]
        return tuple(runs)


def _part(lang: str, day: dt.date, setting: Setting, letter: LetterText, known: dict[str, Service]):
    w = _Writer(lang=lang, setting=setting, known=known, day=day, letter=letter)
    blocks = [Block("title", w.runs("title", letter.title)),
              Block("sender", (Run(setting.name, placeholder=is_unset(setting.name)),)),
              Block("date", (Run(format_date(day, lang)),)),
              Block("greeting", w.runs("greeting", letter.greeting))]
    for i, block in enumerate(letter.body):
        if block.kind == "services":
            blocks += [Block("bullet", w.service_line(known[s])) for s in block.services]
            continue
        kind = "bullet" if block.kind == "bullets" else block.kind
        blocks += [Block(kind, w.runs(f"body[{i}][{j}]", t)) for j, t in enumerate(block.texts)]
    blocks += [Block("closing", w.runs("closing", letter.closing)),
               Block("sign_off", w.runs("sign_off", letter.sign_off)),
               Block("signature", (Run(setting.dsp_name, placeholder=is_unset(setting.dsp_name)),)),
               Block("signature", w.runs("signature_role", letter.signature_role)),
               Block("signature", (Run(setting.name, placeholder=is_unset(setting.name)),)),
               Block("note", w.runs("notes", letter.notes))]
    return Part(lang, tuple(blocks)), w.used


def compose(choice: str, day: dt.date, *, settings: Callable[[str], Setting] = load_setting,
            text: LetterText | None = None, known: dict[str, Service] | None = None) -> Letter:
    """The letter in `choice` (en, cy or both) dated `day`, with the setting's details in each language."""
    langs = part_langs(choice)
    if not isinstance(day, dt.date):
        raise ValueError("choose a date for the letter")
    text = text or letter_text()
    known = known if known is not None else services()
    parts, draft, unset = [], set(), set()
    for lang in langs:
        setting = settings(lang)
        part, used = _part(lang, day, setting, text, known)
        parts.append(part)
        unset |= {f for f in ("name", "dsp_name", "dsp_phone", "dsp_email", "deputy_name", "deputy_phone",
                              "deputy_email") if is_unset(getattr(setting, f))}
        if lang == "cy":
            draft |= {where for where, t in used.items() if t.draft}
    title = " / ".join(text.title(lang) for lang in langs)
    stem = "-".join(text.file_name(lang) for lang in langs) + f"-{day.isoformat()}"
    return Letter(choice=choice, day=day, parts=tuple(parts), title=title, file_stem=stem,
                  draft_welsh=tuple(sorted(draft)), unset=tuple(sorted(unset)))


# --- social media posts ---

@dataclass(frozen=True, slots=True)
class PostText:
    lang: str
    runs: tuple[Run, ...]
    draft: bool

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def characters(self) -> int:
        """Characters as a reader counts them: ŵ and ŷ are one each however they were typed (NFC)."""
        return count_characters(self.text)


@dataclass(frozen=True, slots=True)
class ComposedPost:
    id: str
    title: str                   # in the page's language
    versions: tuple[PostText, ...]   # Welsh first, then English


def count_characters(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def compose_posts(page_lang: str, *, settings: Callable[[str], Setting] = load_setting,
                  text: LetterText | None = None, known: dict[str, Service] | None = None) -> list[ComposedPost]:
    """Every post in both languages (Welsh first), with placeholders filled from the services file."""
    text = text or letter_text()
    known = known if known is not None else services()
    found = []
    for post in text.posts:
        versions = []
        for lang in WELSH_FIRST:
            w = _Writer(lang=lang, setting=settings(lang), known=known, day=None, letter=text)
            runs = w.runs(f"posts[{post.id}].text", post.text)
            draft = lang == "cy" and any(t.draft for t in w.used.values())
            versions.append(PostText(lang=lang, runs=runs, draft=draft))
        found.append(ComposedPost(id=post.id, title=post.title(page_lang), versions=tuple(versions)))
    return found
