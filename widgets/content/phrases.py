"""Phrase lists for the language coach (data/language/<name>.yaml): wording to avoid, why, and what to say instead.

Each phrase gives its patterns in both languages. A pattern is a few words; "*" stands for one to three words
(e.g. "putting * at risk"), and "a|b" for either word (e.g. "shouldn't have sent|shared"). Welsh patterns are
written in radical (dictionary) forms: the matcher also finds their mutated forms (fmse_widgets.exercises.welsh).
`not_after` lists words that cancel a match when they come just before it, so that "It's not your fault" is not
read as blaming.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import data_dir
from .errors import ContentError
from .fields import ID_PATTERN, Fields
from ..languages import LANGS
from .text import HasTexts, Text

KIND = "phrase list"
# One word as the coach reads it: English keeps apostrophes inside words ("didn't"), Welsh splits them off.
ONE_WORD = {"en": re.compile(r"[^\W_]+(?:'[^\W_]+)*"), "cy": re.compile(r"[^\W_]+")}


@dataclass(frozen=True, slots=True)
class Phrase:
    id: str
    avoid: dict[str, tuple[str, ...]]       # lang -> patterns
    not_after: dict[str, frozenset[str]]    # lang -> words that cancel a match just before it
    why: Text
    instead: Text

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True, slots=True)
class PhraseList(HasTexts):
    id: str
    title: Text
    source: Text
    phrases: tuple[Phrase, ...]

    def phrase(self, phrase_id: str) -> Phrase:
        return next(p for p in self.phrases if p.id == phrase_id)


def language_dir() -> Path:
    return data_dir() / "language"


def _word_lists(f: Fields, key: str, *, required: bool, patterns: bool) -> dict[str, tuple[str, ...]]:
    f.read.add(key)
    value = f.data.get(key)
    if value is None:
        if required:
            f.fail("is missing", key)
        return {lang: () for lang in LANGS}
    if not isinstance(value, dict) or set(value) != set(LANGS):
        f.fail("must be a mapping with an 'en' list and a 'cy' list", key)
    found = {}
    for lang in LANGS:
        entries = value[lang]
        if not isinstance(entries, list) or not entries or not all(isinstance(e, str) and e.strip() for e in entries):
            f.fail(f"needs a non-empty list of '{lang}' strings", f"{key}.{lang}")
        if patterns:
            for entry in entries:
                words = entry.split()
                if words[0] == "*" or words[-1] == "*":
                    f.fail(f"pattern {entry!r} may not start or end with '*'", f"{key}.{lang}")
                for word in words:
                    if "|" in word and not all(ONE_WORD[lang].fullmatch(a) for a in word.split("|")):
                        f.fail(f"pattern {entry!r}: each alternative in {word!r} must be one whole word",
                               f"{key}.{lang}")
        found[lang] = tuple(e.strip().lower() for e in entries)
    return found


def parse_phrases(data: object, file: Path | str) -> PhraseList:
    item = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    f = Fields(data, file=file, item=item, kind=KIND)
    list_id = f.string("id", pattern=ID_PATTERN)
    phrases, seen = [], set()
    for entry in f.items("phrases", minimum=1):
        phrase_id = entry.string("id", pattern=ID_PATTERN)
        if phrase_id in seen:
            entry.fail(f"phrase id {phrase_id!r} is used twice in this list", "id")
        seen.add(phrase_id)
        avoid = _word_lists(entry, "avoid", required=True, patterns=True)
        not_after = _word_lists(entry, "not_after", required=False, patterns=False)
        phrases.append(Phrase(id=phrase_id, avoid=avoid,
                              not_after={lang: frozenset(words) for lang, words in not_after.items()},
                              why=entry.text("why"), instead=entry.text("instead")))
        entry.no_other_keys()
    found = PhraseList(id=list_id, title=f.text("title"), source=f.text("source"), phrases=tuple(phrases))
    f.no_other_keys()
    return found


@lru_cache(maxsize=None)
def _load(folder: Path, name: str) -> PhraseList:
    from .loader import read_yaml

    path = folder / f"{name}.yaml"
    if not path.is_file():
        raise ContentError(path, f"no phrase list '{name}': check 'phrase_list' in the exercise, or add the file",
                           item=name, kind=KIND)
    found = parse_phrases(read_yaml(path), path)
    if found.id != name:
        raise ContentError(path, f"the file name must be the list's id: rename it to {found.id}.yaml",
                           item=found.id, field="id", kind=KIND)
    return found


def load_phrases(name: str, folder: Path | None = None) -> PhraseList:
    """The phrase list data/language/<name>.yaml, validated (cached per process)."""
    return _load((folder or language_dir()).resolve(), name)


def load_all_phrases(folder: Path | None = None) -> dict[str, PhraseList]:
    folder = folder or language_dir()
    return {p.stem: load_phrases(p.stem, folder) for p in sorted(folder.glob("*.yaml"))}
