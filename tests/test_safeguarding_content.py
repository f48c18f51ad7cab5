"""Safeguarding accuracy of the course's own content (issue 24), in both languages.

- A concern is passed on "straight away" (the alert: the designated safeguarding person refers "immediately"),
  never "the same day" or "today".
- Report Remove is for under-18s: it is never offered to adults, or for an image of an adult taken before 18
  (that is Take It Down).
The language coach's side of the issue (unsafe first words flagged) is in test_exercise_coach.py.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from test_course_wording import course_texts as read_course_texts

from fmse_widgets.exercises.coach import strip_marks

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def course_texts() -> tuple[tuple[str, str, str], ...]:
    """Every course text (read once for this module's tests)."""
    return tuple(read_course_texts())

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


# --- items 4 to 9 of issue 24: each fix, in both languages ------------------------------------------------------

def cell_text(page: str, cell: str) -> str:
    [text] = [t for where, _, t in course_texts() if where.endswith(f"{page}.ipynb: cell {cell}")]
    return text


def yaml_text(where_prefix: str, lang: str) -> str:
    found = [t for where, lg, t in course_texts() if where.startswith(where_prefix) and lg == lang]
    assert found, where_prefix
    return "\n".join(found)


@pytest.mark.parametrize(("page", "cell", "present", "absent"), [
    # item 4: the 27% is reports that recorded a further demand, and the advice (don't pay) stands
    ("en/08-understanding-the-data", "what-is-demanded", ["a further demand was recorded in 27% of the reports",
                                                          "advice stands: don't pay"], []),
    ("cy/08-deall-y-data", "what-is-demanded", ["cais pellach wedi'i gofnodi yn 27% o'r adroddiadau",
                                                "peidiwch â thalu"], []),
    # item 5: no claim that the signs come in the order listed
    ("en/02-what-it-looks-like", "how-it-unfolds", [], ["order listed"]),
    ("cy/02-sut-beth-yw-e", "how-it-unfolds", [], ["yn y drefn a restrir"]),
    # item 7: what every member of staff must know, in one place
    ("en/04-supporting-victims", "never-do", ["never promises to keep it secret", "only with them",
                                             "never screenshots, photographs or forwards anything",
                                             "on the young person's device", "or ask the child to delete it",
                                             "mentions harming themselves",
                                             "neither the designated safeguarding person nor the deputy"], []),
    ("cy/04-cefnogi-dioddefwyr", "never-do", ["byth yn addo cadw'r peth yn gyfrinach", "yn unig",
                                             "byth yn tynnu sgrinlun", "ar ddyfais y person ifanc",
                                             "nac yn gofyn i'r plentyn ei dileu", "sôn am niweidio'i hun",
                                             "na'r dirprwy"], []),
    # item 9: images that reach other pupils; the NCA survey of boys
    ("en/04-supporting-victims", "other-pupils", ["They are children too", "never look at the image",
                                                 "Sharing nudes and semi-nudes guidance"], []),
    ("cy/04-cefnogi-dioddefwyr", "other-pupils", ["Plant ydyn nhw hefyd", "pheidiwch byth ag edrych ar y ddelwedd",
                                                 "Rhannu delweddau noeth a hanner noeth"], []),
    ("en/03-preventative-education", "in-practice", ["74% did not see a request for nudes as a warning sign",
                                                    "73% did not know how to report"], []),
    ("cy/03-addysg-ataliol", "in-practice", ["nid oedd 74% yn gweld cais am ddelweddau noeth fel arwydd rhybudd",
                                            "nid oedd 73% yn gwybod sut i roi gwybod"], []),
    # item 8: module 1 points to the guidance the alert asks staff to read
    ("en/01-context", "read-the-guidance", ["Sharing nudes and semi-nudes: responding to incidents"], []),
    ("cy/01-cyd-destun", "read-the-guidance", ["Rhannu delweddau noeth a hanner noeth: ymateb i ddigwyddiadau"], []),
])
def test_notebook_wording(page, cell, present, absent):
    text = cell_text(page, cell)
    for words in present:
        assert words in text
    for words in absent:
        assert words not in text


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_exercise_and_letter_wording(lang):
    from fmse_widgets.content.loader import load_all

    exercises = load_all()
    # item 5: the NCA produced the alert; Welsh Government published it
    letter = yaml_text("data/letter.yaml", lang)
    assert {"en": "sent an alert", "cy": "wedi anfon rhybudd"}[lang] not in letter
    assert {"en": "published by Welsh Government on Hwb", "cy": "a gyhoeddwyd gan Lywodraeth Cymru ar Hwb"}[lang] \
        in letter
    # item 5: Meic is for children and young people aged 25 and under
    course = yaml_text("data/text/course.yaml", lang)
    assert {"en": "under 25", "cy": "dan 25"}[lang] not in course
    assert {"en": "aged 25 and under", "cy": "25 oed neu'n iau"}[lang] in course
    # item 6: the best first response is an open invitation, not a closed, leading question
    scenario = exercises["signs-friend-is-targeted"]
    [best] = [c for c in scenario.node("told").choices if c.best]
    assert {"en": "Can you tell me a bit more?", "cy": "Alli di ddweud ychydig bach mwy wrtha i?"}[lang] \
        in best.text(lang)
    assert "asked either of you" not in best.text("en")
    # item 6: a member of staff who saw an image tells the DSP straight away; no frightening "offence" ending
    viewed = exercises["gallery-scenario"].node("viewed").text(lang)
    assert {"en": "offence", "cy": "drosedd"}[lang] not in viewed
    assert {"en": "straight away that you saw it", "cy": "ar unwaith eich bod wedi'i gweld"}[lang] in viewed
    # item 6: every member of staff refers concerns through the DSP
    [refer] = [o for o in exercises["context-what-staff-do"].options if o.id == "refer-concerns"]
    assert {"en": "through your designated safeguarding person",
            "cy": "drwy eich swyddog diogelu dynodedig"}[lang] in refer.text(lang)
    # item 6: the DSP decides how parents are told, following the setting's procedures (the risk exception)
    for exercise_id, question in (("support-telling-parents", None), ("check-final", "parents")):
        exercise = exercises[exercise_id]
        options = exercise.question(question).options if question else exercise.options
        [right] = [o for o in options if o.correct]
        assert {"en": "designated safeguarding person decides how",
                "cy": "swyddog diogelu dynodedig sy'n penderfynu sut"}[lang] in right.feedback(lang)
        assert {"en": "put the child at risk", "cy": "roi'r plentyn mewn perygl"}[lang] in right.feedback(lang)


def test_the_sharing_nudes_guidance_is_listed_and_linked_without_a_guessed_welsh_address():
    from fmse_widgets.content.services import services

    guidance = services()["sharing-nudes-guidance"]
    assert guidance.url("en").startswith("https://hwb.gov.wales/zones/keeping-safe-online/welsh-government-guidance/")
    assert guidance.url("cy") == guidance.url("en")  # the Welsh address is not in our sources: never guessed
    checklist = (ROOT / "data" / "text" / "checklist.yaml").read_text(encoding="utf-8")
    assert "services: [sharing-nudes-guidance]" in checklist
    for lang, page in (("en", "01-context"), ("cy", "01-cyd-destun")):
        source = (ROOT / "notebooks" / lang / f"{page}.ipynb").read_text(encoding="utf-8")
        assert 'service_links([\\"sharing-nudes-guidance\\"], LANG)' in source


@pytest.mark.parametrize("page", ["en/workshop", "cy/gweithdy", "en/workshop-results", "cy/canlyniadau-gweithdy"])
def test_the_workshop_pages_open_with_the_content_note(page):
    import json

    nb = json.loads((ROOT / "notebooks" / f"{page}.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]).strip() for c in nb["cells"] if c["cell_type"] == "code"]
    # after the parameters and the header, before the room or the results (the room page's note is the short form,
    # without the signposts, which close the page: the question must fit a phone's first screen)
    assert code[2].split("  #")[0] in ("content_note(LANG)", "content_note(LANG, compact=True)")
