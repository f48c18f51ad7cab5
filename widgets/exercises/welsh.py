"""Welsh initial consonant mutations, so that a Welsh phrase is recognised in every form it takes in a sentence.

Welsh changes the first sound of a word after certain words: "bai" (blame, fault) is "fai" in "ar fai" (soft
mutation), "mai" in "fy mai" (nasal), and "pam" (why) is "pham" in "a pham" (aspirate). Vowel-initial words
take an "h" after "ei" (her), "eu" (their), "ein" (our). A phrase list is written in radical (dictionary) forms;
`forms()` gives each word's mutated forms, and `allowed()` says whether a form may stand after a given word.

Soft mutation follows many words and constructions (and spoken Welsh mutates freely), so soft forms are always
accepted. Nasal and aspirate mutations and the h- prefix follow a short list of words, so those forms are only
accepted after one of them: this keeps, for example, the conjunction "mai" (that) from being read as "bai".
"""
from __future__ import annotations

from functools import lru_cache

# Welsh letters written with two characters come first, so that "ll" is not read as "l".
DIGRAPHS = ("ch", "dd", "ff", "ng", "ll", "ph", "rh", "th")
SOFT = {"p": "b", "t": "d", "c": "g", "b": "f", "d": "dd", "g": "", "m": "f", "ll": "l", "rh": "r"}
NASAL = {"p": "mh", "t": "nh", "c": "ngh", "b": "m", "d": "n", "g": "ng"}
ASPIRATE = {"p": "ph", "t": "th", "c": "ch"}
VOWELS = set("aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ")

# The words after which each mutation (other than soft) occurs.
NASAL_AFTER = frozenset({"fy", "yn", "ym", "yng"})
ASPIRATE_AFTER = frozenset({"a", "â", "gyda", "tua", "ei", "tri", "chwe", "na", "nac", "ni", "oni"})
H_AFTER = frozenset({"ei", "eu", "ein", "i", "w"})  # "i" and "w" from "a'i", "i'w" once apostrophes are split


def initial(word: str) -> str:
    """The word's first letter in the Welsh alphabet (a digraph such as "ll" counts as one letter)."""
    for digraph in DIGRAPHS:
        if word.startswith(digraph):
            return digraph
    return word[:1]


def mutations(word: str) -> dict[str, str]:
    """The mutated forms of a radical (dictionary-form) word, by kind: soft, nasal, aspirate, h."""
    word = word.lower()
    first, rest = initial(word), word[len(initial(word)):]
    found = {}
    if first in SOFT and (SOFT[first] + rest):
        found["soft"] = SOFT[first] + rest
    if first in NASAL:
        found["nasal"] = NASAL[first] + rest
    if first in ASPIRATE:
        found["aspirate"] = ASPIRATE[first] + rest
    if first in VOWELS:
        found["h"] = "h" + word
    return found


@lru_cache(maxsize=4096)
def forms(word: str) -> dict[str, str]:
    """Every form of `word` that a text may contain, mapped to its kind ("radical" for the word itself)."""
    found = {form: kind for kind, form in mutations(word).items()}
    found[word.lower()] = "radical"
    return found


def allowed(kind: str, previous: str | None) -> bool:
    """Whether a form of this kind may stand after the word `previous` (None at the start of a text)."""
    if kind in ("radical", "soft"):
        return True
    before = (previous or "").lower()
    if kind == "nasal":
        return before in NASAL_AFTER
    if kind == "aspirate":
        return before in ASPIRATE_AFTER
    return before in H_AFTER
