"""Welsh alphabetical order: ch, dd, ff, ng, ll, ph, rh and th are single letters.

The Welsh alphabet is a b c ch d dd e f ff g ng h i j l ll m n o p ph r rh s t th u w y. Letters that Welsh
borrows (k, q, v, x, z) sort where English puts them. Accents (â, ŵ, ŷ ...) and case only break ties.

The rule for digraphs: two letters that spell a Welsh digraph are always read as that digraph, left to
right ("angen" is a-ng-e-n, "perthynas" is p-e-r-th-y-n-a-s), as ICU's Welsh collation does. Welsh spelling
does not show when the two letters are separate sounds (n + g in "Bangor" or "Llangollen", r + h in some
compounds), so no rule based on spelling alone can be right for every word; a word that needs it can mark
the boundary with U+034F COMBINING GRAPHEME JOINER, the character Unicode provides for this ("Ban\u034fgor"),
which is invisible when shown. The course's glossary needs no such mark.
"""
from __future__ import annotations

import unicodedata

ALPHABET = ("a", "b", "c", "ch", "d", "dd", "e", "f", "ff", "g", "ng", "h", "i", "j", "k", "l", "ll", "m",
            "n", "o", "p", "ph", "q", "r", "rh", "s", "t", "th", "u", "v", "w", "x", "y", "z")
DIGRAPHS = frozenset(letter for letter in ALPHABET if len(letter) == 2)
ENGLISH_ALPHABET = tuple("abcdefghijklmnopqrstuvwxyz")
BOUNDARY = "\u034f"  # COMBINING GRAPHEME JOINER: "these two letters are not a digraph"
IGNORED = set("-'’‘.,()\"“”") | {BOUNDARY}


def _base(text: str) -> str:
    """Lower case without accents (ŵ -> w), keeping the boundary mark."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if c == BOUNDARY or not unicodedata.combining(c))


def letters(word: str) -> list[str]:
    """The Welsh letters of `word`, lower case and without accents: letters("Llongau") == ["ll", "o", "ng", "a", "u"]."""
    base = _base(word)
    found: list[str] = []
    i = 0
    while i < len(base):
        pair = base[i:i + 2]
        if pair in DIGRAPHS:
            found.append(pair)
            i += 2
        else:
            found.append(base[i])
            i += 1
    return found


def _primary(units: list[str], order: dict[str, int]) -> tuple[tuple[int, int], ...]:
    """Spaces first (word by word), then digits, then letters in the alphabet's order, then anything else."""
    key = []
    for unit in units:
        if unit in IGNORED:
            continue
        if unit.isspace():
            key.append((0, 0))
        elif unit.isdigit():
            key.append((1, int(unit)))
        elif unit in order:
            key.append((2, order[unit]))
        else:
            key.append((3, ord(unit[0])))
    return tuple(key)


def _ties(text: str) -> tuple:
    # Accents, then lower case before upper case, then the text itself, so that sorting is total and stable.
    accents = tuple(len(unicodedata.normalize("NFD", c)) for c in text)
    return accents, tuple(c.isupper() for c in text), text


_WELSH_ORDER = {letter: i for i, letter in enumerate(ALPHABET)}
_ENGLISH_ORDER = {letter: i for i, letter in enumerate(ENGLISH_ALPHABET)}


def welsh_sort_key(text: str) -> tuple:
    """A key for sorted() that puts Welsh words in Welsh alphabetical order."""
    return _primary(letters(text), _WELSH_ORDER), _ties(text)


def english_sort_key(text: str) -> tuple:
    """A key for sorted() in English alphabetical order, ignoring case, accents and punctuation."""
    return _primary(list(_base(text)), _ENGLISH_ORDER), _ties(text)


def sort_key(lang: str):
    """The sort key for `lang` ("en" or "cy")."""
    if lang == "cy":
        return welsh_sort_key
    if lang == "en":
        return english_sort_key
    raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
