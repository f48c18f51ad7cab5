"""The language coach: find victim-blaming wording in a text, in English or Welsh, and tell quoting from using.

Matching works on words, case-insensitively. In Welsh a phrase is also found in its mutated forms ("ar fai" for
"bai", "fy mai", "a pham" for "pam"): see `welsh.py`. Course text can mark a phrase as a quoted example of
what not to say by wrapping it in QUOTE_OPEN ... QUOTE_CLOSE (an HTML <q> element that renders with quotation
marks in notebooks and in exercise feedback); a hit inside such a quote is reported with `quoted=True`, so a
check of the course's own wording can allow quoting while failing on use.

A pattern is a few words; "*" stands for one to three words, and "a|b|c" for any one of the words a, b, c
("shouldn't have sent|shared|trusted").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..content.phrases import Phrase, PhraseList, load_phrases
from . import welsh

QUOTE_OPEN = '<q class="fmse-avoid">'
QUOTE_CLOSE = "</q>"
# Any <q> element whose class list includes fmse-avoid (attributes in any order, e.g. lang="cy" too).
QUOTE = re.compile(r'<q\b[^>]*\bclass="[^"]*\bfmse-avoid\b[^"]*"[^>]*>(.*?)</q>', re.S | re.I)
TAG = re.compile(r"<[^>]*>")
WILDCARD_MAX = 3
# English keeps apostrophes inside words ("didn't"); Welsh splits them off ("sy'n" -> "sy", "n"; "i'w" -> "i", "w").
WORD = {"en": re.compile(r"[^\W_]+(?:'[^\W_]+)*"), "cy": re.compile(r"[^\W_]+")}
SENTENCE_END = re.compile(r"[.!?…]")
CONTEXT_WORDS = 4  # how many words before a match are looked at for `not_after` ("none of this is your fault")


@dataclass(frozen=True, slots=True)
class Token:
    word: str      # lower case
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Hit:
    phrase_id: str
    start: int     # character offsets in the normalised text (see `normalise`)
    end: int
    text: str      # the words as written
    quoted: bool   # inside a quoted example of what not to say
    forms: tuple[str, ...] = ()  # the Welsh mutation kinds used, e.g. ("radical", "soft")


@dataclass(frozen=True, slots=True)
class CoachResult:
    text: str                  # the normalised text the hits refer to
    hits: tuple[Hit, ...]      # in text order, quoted ones included

    @property
    def used(self) -> tuple[Hit, ...]:
        """Hits that are not quoted examples: wording the writer is using."""
        return tuple(h for h in self.hits if not h.quoted)

    @property
    def phrase_ids(self) -> tuple[str, ...]:
        """The phrases used, each once, in the order they first appear."""
        return tuple(dict.fromkeys(h.phrase_id for h in self.used))

    @property
    def clean(self) -> bool:
        return not self.used


def normalise(text: str) -> str:
    """NFC, with curly apostrophes made straight (the same length, so offsets stay true)."""
    return unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u2018", "'")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where quoted examples of what not to say are, as (start, end) offsets of their inner text."""
    return [m.span(1) for m in QUOTE.finditer(text)]


def strip_marks(text: str) -> str:
    """The text without quote marks, for places that show plain text (e.g. a radio button's label)."""
    return QUOTE.sub(lambda m: m.group(1), text)


def tokens(text: str, lang: str) -> list[Token]:
    # Tags are blanked out (same length) so that their attribute words never join a phrase.
    blank = TAG.sub(lambda m: " " * len(m.group(0)), text)
    return [Token(m.group(0).lower(), m.start(), m.end()) for m in WORD[lang].finditer(blank)]


def _word_matches(pattern_word: str | tuple[str, ...], token: Token, previous: Token | None,
                  lang: str) -> str | None:
    """The form kind when `token` is `pattern_word`, or one of its alternatives (in Welsh, allowing their
    mutations); otherwise None."""
    for word in (pattern_word,) if isinstance(pattern_word, str) else pattern_word:
        if lang == "en":
            if token.word == word:
                return "radical"
            continue
        kind = welsh.forms(word).get(token.word)
        if kind and welsh.allowed(kind, previous.word if previous else None):
            return kind
    return None


def _match(pattern: Sequence[str | tuple[str, ...]], found: Sequence[Token], at: int, lang: str) -> tuple[int, tuple[str, ...]] | None:
    """If the pattern matches the tokens from index `at`: (index after the match, form kinds used)."""
    if not pattern:
        return at, ()
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        for skip in range(1, WILDCARD_MAX + 1):
            if at + skip <= len(found):
                tail = _match(rest, found, at + skip, lang)
                if tail:
                    return tail
        return None
    if at >= len(found):
        return None
    kind = _word_matches(head, found[at], found[at - 1] if at else None, lang)
    if kind is None:
        return None
    tail = _match(rest, found, at + 1, lang)
    return (tail[0], (kind, *tail[1])) if tail else None


@lru_cache(maxsize=4096)
def _pattern_words(pattern: str, lang: str) -> tuple[str | tuple[str, ...], ...]:
    """The pattern's words (parsed once: the course check runs every pattern over a thousand texts)."""
    words: list[str | tuple[str, ...]] = []
    for part in normalise(pattern).lower().split():
        if part == "*":
            words.append("*")
        elif "|" in part:  # alternatives for one word: each is a single word ("sent|shared")
            words.append(tuple(t.word for alternative in part.split("|") for t in tokens(alternative, lang)))
        else:
            words += [t.word for t in tokens(part, lang)]
    return tuple(words)


@lru_cache(maxsize=4096)
def _first_words(pattern: str, lang: str) -> frozenset[str] | None:
    """Every token word the pattern's first word can match (its Welsh forms included), or None when it starts
    with a wildcard: a position whose word is not among them cannot start a match, so it is not tried."""
    words = _pattern_words(pattern, lang)
    if not words or words[0] == "*":
        return None
    head = words[0]
    alternatives = (head,) if isinstance(head, str) else head
    if lang == "en":
        return frozenset(alternatives)
    return frozenset(form for word in alternatives for form in welsh.forms(word))


def _context(text: str, found: Sequence[Token], at: int) -> list[Token]:
    """The up to CONTEXT_WORDS words before token `at`, within its sentence: "I won't tell anyone. Send me the
    picture." must not let the first sentence's "won't" cancel a match in the second."""
    context: list[Token] = []
    for k in range(at - 1, max(-1, at - CONTEXT_WORDS - 1), -1):
        if SENTENCE_END.search(text, found[k].end, found[k + 1].start):
            break
        context.append(found[k])
    return context


def find(text: str, lang: str, phrases: Iterable[Phrase]) -> list[Hit]:
    """Every use of any phrase in `text` (normalised), in text order; overlapping hits of one phrase count once."""
    if lang not in WORD:
        raise ValueError(f"unknown language {lang!r}: use 'en' or 'cy'")
    text = normalise(text)
    found = tokens(text, lang)
    quotes = quoted_spans(text)
    at_word: dict[str, list[int]] = {}
    for index, token in enumerate(found):
        at_word.setdefault(token.word, []).append(index)
    hits: list[Hit] = []
    for phrase in phrases:
        cancel = phrase.not_after.get(lang, frozenset())
        patterns = [(_pattern_words(p, lang), _first_words(p, lang)) for p in phrase.avoid[lang]]
        if any(first is None for _, first in patterns):
            starts: Iterable[int] = range(len(found))
        else:  # only where some pattern's first word stands (in order, as every position would be tried)
            starts = sorted({at for _, first in patterns for word in first or () for at in at_word.get(word, ())})
        taken_until = -1
        for at in starts:
            if found[at].start < taken_until:
                continue
            for pattern, first in patterns:
                if first is not None and found[at].word not in first:
                    continue  # the same answer _match gives, without walking the pattern
                matched = _match(pattern, found, at, lang)
                if not matched:
                    continue
                before = {t.word for t in _context(text, found, at)}
                if before & cancel:
                    continue
                end_index, kinds = matched
                start, end = found[at].start, found[end_index - 1].end
                quoted = any(q_start <= start and end <= q_end for q_start, q_end in quotes)
                hits.append(Hit(phrase.id, start, end, text[start:end], quoted,
                                kinds if lang == "cy" else ()))
                taken_until = end
                break
    return sorted(hits, key=lambda h: (h.start, h.end, h.phrase_id))


def check_text(text: str, lang: str, phrase_list: PhraseList) -> CoachResult:
    return CoachResult(text=normalise(text), hits=tuple(find(text, lang, phrase_list.phrases)))


def check(exercise, text: str, lang: str) -> CoachResult:
    """Check what a learner wrote for a language-coach exercise against its phrase list."""
    return check_text(text, lang, load_phrases(exercise.phrase_list))


def course_wording_problems(text: str, lang: str, list_name: str = "victim-blaming") -> list[Hit]:
    """For checks of the course's own text: phrases used outside quoted examples (quoting is allowed)."""
    return [h for h in find(text, lang, load_phrases(list_name).phrases) if not h.quoted]
