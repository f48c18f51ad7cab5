"""Welsh alphabetical order (fmse_widgets.welsh): digraphs are single letters, sorted after their first letter."""
from __future__ import annotations

import pytest

from fmse_widgets.welsh import ALPHABET, BOUNDARY, english_sort_key, letters, sort_key, welsh_sort_key


def welsh(words):
    return sorted(words, key=welsh_sort_key)


def test_the_alphabet_has_the_eight_digraphs_in_place():
    digraphs = [letter for letter in ALPHABET if len(letter) == 2]
    assert digraphs == ["ch", "dd", "ff", "ng", "ll", "ph", "rh", "th"]
    follows = {"ch": "c", "dd": "d", "ff": "f", "ng": "g", "ll": "l", "ph": "p", "rh": "r", "th": "t"}
    for digraph, letter in follows.items():  # "ng" follows g, not n
        assert ALPHABET.index(digraph) == ALPHABET.index(letter) + 1


def test_letters_reads_digraphs_left_to_right():
    assert letters("Llongau") == ["ll", "o", "ng", "a", "u"]
    assert letters("perthynas") == ["p", "e", "r", "th", "y", "n", "a", "s"]
    assert letters("yng Nghymru") == ["y", "ng", " ", "ng", "h", "y", "m", "r", "u"]
    assert letters("ffôn") == ["ff", "o", "n"]


@pytest.mark.parametrize("words, expected", [
    (["chwaer", "cyw", "cwch"], ["cwch", "cyw", "chwaer"]),            # ch after every c-word
    (["ddoe", "dydd"], ["dydd", "ddoe"]),                                 # dd after d
    (["ffair", "fy"], ["fy", "ffair"]),                                   # ff after f
    (["ah", "angen", "ag"], ["ag", "angen", "ah"]),                       # ng between g and h
    (["llyfr", "lwc", "lori"], ["lori", "lwc", "llyfr"]),                 # ll after l
    (["phobl", "pysgod", "pwy"], ["pwy", "pysgod", "phobl"]),             # ph after p
    (["rhaff", "rwdl", "ruban"], ["ruban", "rwdl", "rhaff"]),             # rh after r
    (["thema", "tŷ", "twll"], ["twll", "tŷ", "thema"]),                   # th after t
])
def test_digraphs_sort_as_single_letters(words, expected):
    assert welsh(words) == expected


def test_english_order_differs_where_the_digraphs_matter():
    words = ["rhaff", "rwdl", "ruban"]
    assert sorted(words, key=english_sort_key) == ["rhaff", "ruban", "rwdl"]
    assert welsh(words) == ["ruban", "rwdl", "rhaff"]


def test_accents_and_case_only_break_ties():
    assert welsh(["tŷ", "ty", "Ty"]) == ["ty", "Ty", "tŷ"]
    assert welsh(["ŵy", "wyth"]) == ["ŵy", "wyth"]  # ŵ sorts as w; "wy" comes before "wyt"
    assert welsh(["Person Diogelu Dynodedig", "person"]) == ["person", "Person Diogelu Dynodedig"]


def test_words_sort_word_by_word_and_ignore_hyphens_and_apostrophes():
    assert welsh(["ar-lein", "ar goll", "arian"]) == ["ar goll", "arian", "ar-lein"]  # "arlein" after "arian"
    assert welsh(["Cadw'n ddiogel ar-lein", "Cadw dysgwyr yn ddiogel"]) == [
        "Cadw dysgwyr yn ddiogel", "Cadw'n ddiogel ar-lein"]


def test_a_boundary_mark_separates_letters_that_are_not_a_digraph():
    # Read greedily, "Bangor" is b-a-ng-o-r, before "banc" (ng < n); marked, it is b-a-n-g-o-r, after "banc".
    assert welsh(["banc", "Bangor"]) == ["Bangor", "banc"]
    marked = f"Ban{BOUNDARY}gor"
    assert letters(marked) == ["b", "a", "n", BOUNDARY, "g", "o", "r"]
    assert welsh([marked, "banc"]) == ["banc", marked]


def test_borrowed_letters_and_digits():
    assert welsh(["zip", "yr", "jam", "iaith", "11 i 18 oed"]) == ["11 i 18 oed", "iaith", "jam", "yr", "zip"]


def test_sort_key_picks_the_language():
    assert sort_key("cy") is welsh_sort_key and sort_key("en") is english_sort_key
    with pytest.raises(ValueError, match="'en' or 'cy'"):
        sort_key("fr")
