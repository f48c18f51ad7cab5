"""Safeguarding accuracy of the course's own content (issue 24), in both languages.

- A concern is passed on "straight away" (the alert: the designated safeguarding person refers "immediately"),
  never "the same day" or "today".
- Report Remove is for under-18s: it is never offered to adults, or for an image of an adult taken before 18
  (that is Take It Down).
The language coach's side of the issue (unsafe first words flagged) is in test_exercise_coach.py.
"""
from __future__ import annotations

import re

import pytest
from test_course_wording import course_texts

from fmse_widgets.exercises.coach import strip_marks

SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")
DELAY = {"en": re.compile(r"\b(the same day|same-day|same day|today)\b", re.I),
         "cy": re.compile(r"\b(yr un diwrnod|heddiw)\b", re.I)}
PASSING_ON = {"en": re.compile(r"designated safeguarding|\bDSP\b|\bpass(es|ed|ing)?\b|\btell\b|\brefer|concern",
                               re.I),
              "cy": re.compile(r"swyddog diogelu|\bDSP\b|trosglwydd|\bdweud wrth|cyfeirio|pryder|rhoi gwybod|"
                               r"cael gwybod", re.I)}


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(strip_marks(text)) if s.strip()]


def test_the_sentence_splitter_and_patterns_catch_the_old_wording():
    old = [("en", "A concern like this goes to the designated safeguarding person the same day."),
           ("en", "Deleting loses evidence. The designated safeguarding person must know today."),
           ("cy", "Rhaid i'r swyddog diogelu dynodedig wybod heddiw."),
           ("cy", "Mae pryder fel hwn yn mynd at y swyddog diogelu dynodedig yr un diwrnod.")]
    for lang, text in old:
        assert any(DELAY[lang].search(s) and PASSING_ON[lang].search(s) for s in sentences(text)), text
    # "today" in a sentence that is not about passing on a concern is not caught
    assert not any(DELAY["en"].search(s) and PASSING_ON["en"].search(s)
                   for s in sentences("Who is your DSP? Does everyone know how to reach them today?"))


def test_a_concern_is_passed_on_straight_away_never_the_same_day():
    found = []
    for where, lang, text in course_texts():
        for sentence in sentences(text):
            if DELAY[lang].search(sentence) and PASSING_ON[lang].search(sentence):
                found.append(f"{where}: {sentence}")
    assert found == [], "say 'straight away' / 'ar unwaith': the alert says the concern is referred immediately"


ADULT = {"en": re.compile(r"\badults?\b|\bbefore (the person was |they were |)18\b|\b18 or over\b|\bover[- ]18", re.I),
         "cy": re.compile(r"\boedolyn\b|\boedolion\b|\bcyn (i'r person fod yn |iddyn nhw fod yn |iddo fod yn |)18\b|"
                          r"18 oed neu'n hŷn|\bdros 18", re.I)}
UNDER_18_ONLY = {"en": re.compile(r"\bnot\b|\bonly\b|\bunder[- ]18", re.I),
                 "cy": re.compile(r"\bnid\b|\bdim ond\b|\bdan 18", re.I)}


def offers_report_remove_to_adults(text: str, lang: str) -> list[str]:
    return [s for s in sentences(text)
            if "report remove" in s.lower() and ADULT[lang].search(s) and not UNDER_18_ONLY[lang].search(s)]


def test_the_adult_check_catches_the_old_wording():
    assert offers_report_remove_to_adults("Yes. For images taken before 18, use Report Remove or Take It Down.", "en")
    assert offers_report_remove_to_adults(
        "For an image taken before the person was 18, use Report Remove or Take It Down (module 4).", "en")
    assert offers_report_remove_to_adults(
        "Ie. Ar gyfer delweddau a dynnwyd cyn 18 oed, defnyddiwch Report Remove neu Take It Down.", "cy")
    assert not offers_report_remove_to_adults(
        "An adult uses Take It Down. Report Remove is only for people who are under 18 now.", "en")


def test_report_remove_is_never_offered_to_adults():
    """Report Remove is for people under 18 now; an adult whose image was taken at 16 uses Take It Down."""
    found = [f"{where}: {s}" for where, lang, text in course_texts()
             for s in offers_report_remove_to_adults(text, lang)]
    assert found == []


@pytest.mark.parametrize(("lang", "page", "cell"), [("en", "04-supporting-victims", "the-tools"),
                                                     ("cy", "04-cefnogi-dioddefwyr", "the-tools")])
def test_module_4_says_who_makes_a_removal_report_and_who_verifies_their_age(lang, page, cell):
    [text] = [t for where, _, t in course_texts() if where.endswith(f"{page}.ipynb: cell {cell}")]
    expected = {"en": ["makes the report themselves", "13 to 17-year-olds verify their age, under-13s do not",
                       "never view the image", "an adult whose image was taken when they were under 18 uses "
                       "Take It Down"],
                "cy": ["yn gwneud yr adroddiad ei hun", "13 i 17 oed yn cadarnhau eu hoedran",
                       "byth yn edrych ar y ddelwedd", "yn defnyddio Take It Down, nid Report Remove"]}[lang]
    for words in expected:
        assert words in text
