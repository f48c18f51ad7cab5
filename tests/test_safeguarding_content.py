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
