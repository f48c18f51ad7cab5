"""The course's termbase (data/termbase.yaml): its English and Welsh terms, the forms its Welsh must not use, and
the names kept in the other language inside a page's text.

One file serves three readers: the glossary pages (widgets/glossary.py), the termbase test that checks every
Welsh string the course shows (tests/test_termbase.py, through `violations`), and the language-of-parts marking
(widgets/other_language.py, through `names`). Keeping them in one file means a term changed for one is changed
for all.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .content.fields import ID_PATTERN, Fields
from .content.loader import read_yaml
from .content.text import Text
from .languages import LANGS
from .paths import data_dir

# Where a term's Welsh comes from, in order of authority.
SOURCES = ("alert", "hwb", "course")
SCOPES = ("everywhere", "unquoted")
# Quotations and glosses, where an avoided form may be mentioned (scope "unquoted"): <q>…</q>, “…”, ‘…’, "…",
# '…' (not an apostrophe inside a word: mae'r, i'w) and (…).
QUOTED = re.compile(r"<q\b[^>]*>.*?</q>|“[^”]*”|‘[^’]*’|\"[^\"\n]*\"|(?<!\w)'[^'\n]{1,120}?'(?!\w)|\([^()\n]*\)",
                    re.DOTALL)


@dataclass(frozen=True, slots=True)
class Avoid:
    form: str
    scope: str
    english: str | None
    note: str

    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w)(?:{self.form})(?!\w)", re.IGNORECASE)

    def found_in(self, welsh: str, english: str | None) -> list[str]:
        """The avoided forms in `welsh`, given the English it translates (None when there is no twin)."""
        if self.english and not (english and re.search(self.english, english, re.IGNORECASE)):
            return []
        text = QUOTED.sub(" ", welsh) if self.scope == "unquoted" else welsh
        return [m.group(0) for m in self.pattern().finditer(text)]


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    term: Text
    source: str
    note: Text | None
    termcymru: bool = False
    avoid: tuple[Avoid, ...] = ()


@dataclass(frozen=True, slots=True)
class Termbase:
    terms: tuple[Term, ...]
    names: dict[str, tuple[str, ...]]   # page language -> names of the other language its text keeps


def _avoid(entry: Fields) -> Avoid:
    form = entry.string("form")
    try:
        re.compile(form)
    except re.error as exc:
        entry.fail(f"is not a valid regular expression ({exc})", "form")
    english = entry.string("english", required=False)
    if english:
        try:
            re.compile(english)
        except re.error as exc:
            entry.fail(f"is not a valid regular expression ({exc})", "english")
    found = Avoid(form=form, scope=entry.string("scope", choices=SCOPES), english=english, note=entry.string("note"))
    entry.no_other_keys()
    return found


def parse_termbase(data: object, file: Path | str) -> Termbase:
    top = Fields(data, file=file, item=None, kind="term")
    terms: list[Term] = []
    seen: set[str] = set()
    for entry in top.items("terms"):
        term_id = entry.string("id", pattern=ID_PATTERN)
        entry.item = term_id
        if term_id in seen:
            entry.fail(f"term id {term_id!r} is used twice", "id")
        seen.add(term_id)
        termcymru = entry.string("termcymru", required=False, choices=("check",)) == "check"
        avoid = tuple(_avoid(a) for a in entry.items("avoid", minimum=0)) if "avoid" in entry.data else ()
        entry.read.add("avoid")
        terms.append(Term(id=term_id, term=entry.text("term"), source=entry.string("source", choices=SOURCES),
                          note=entry.text("note", required=False), termcymru=termcymru, avoid=avoid))
        entry.no_other_keys()
    names: dict[str, tuple[str, ...]] = {lang: () for lang in LANGS}
    if "names" in top.data:
        top.read.add("names")
        value = top.data["names"]
        if not isinstance(value, dict) or not set(value) <= set(names):
            top.fail("must be a mapping with a 'cy' list and an 'en' list of names", "names")
        for lang, listed in value.items():
            if not isinstance(listed, list) or not all(isinstance(n, str) and n.strip() for n in listed):
                top.fail("needs a list of names as strings", f"names.{lang}")
            names[lang] = tuple(listed)
    top.no_other_keys()
    return Termbase(terms=tuple(terms), names=names)


def default_path() -> Path:
    return data_dir() / "termbase.yaml"


@lru_cache(maxsize=4)
def _load(path: Path) -> Termbase:
    return parse_termbase(read_yaml(path), path)


def termbase(path: Path | None = None) -> Termbase:
    return _load((path or default_path()).resolve())


@dataclass(frozen=True, slots=True)
class Violation:
    where: str
    term: str
    form: str
    note: str

    def __str__(self) -> str:
        return f"{self.where}: {self.form!r} (term {self.term}: {self.note})"


def violations(texts: Iterable[tuple[str, str, str | None]], base: Termbase | None = None) -> list[Violation]:
    """Every avoided form in (where, Welsh, English or None) texts, in its scope."""
    base = base or termbase()
    found = []
    for where, welsh, english in texts:
        for term in base.terms:
            for avoid in term.avoid:
                found += [Violation(where, term.id, form, avoid.note) for form in avoid.found_in(welsh, english)]
    return found
