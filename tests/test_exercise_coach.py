"""The language coach: victim-blaming wording found in English and Welsh (with Welsh mutations), what cancels
a match, quoted examples told apart from use, and phrase lists validated as data."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fmse_widgets import yaml_text
from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.loader import load_all
from fmse_widgets.content.phrases import load_all_phrases, load_phrases, parse_phrases
from fmse_widgets.exercises import welsh
from fmse_widgets.exercises.coach import (QUOTE_CLOSE, QUOTE_OPEN, check_text, course_wording_problems, find,
                                          quoted_spans, strip_marks)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def phrases():
    return load_phrases("victim-blaming")


def found(text, lang, phrases):
    return [(h.phrase_id, h.text) for h in find(text, lang, phrases.phrases)]


# --- Welsh mutations -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "expected"), [
    ("bai", {"soft": "fai", "nasal": "mai"}),
    ("pam", {"soft": "bam", "nasal": "mham", "aspirate": "pham"}),
    ("tad", {"soft": "dad", "nasal": "nhad", "aspirate": "thad"}),
    ("cywilydd", {"soft": "gywilydd", "nasal": "nghywilydd", "aspirate": "chywilydd"}),
    ("gwybod", {"soft": "wybod", "nasal": "ngwybod"}),
    ("dweud", {"soft": "ddweud", "nasal": "nweud"}),
    ("llun", {"soft": "lun"}),
    ("rhannu", {"soft": "rannu"}),
    ("mam", {"soft": "fam"}),
    ("enw", {"h": "henw"}),
    ("ffrind", {}), ("chwarae", {}), ("theatr", {}), ("nos", {}),
])
def test_mutation_tables(word, expected):
    assert welsh.mutations(word) == expected


def test_mutated_forms_are_only_accepted_where_welsh_puts_them():
    assert welsh.allowed("soft", None) and welsh.allowed("radical", "pe")
    assert welsh.allowed("nasal", "fy") and welsh.allowed("nasal", "yng") and not welsh.allowed("nasal", "credu")
    assert welsh.allowed("aspirate", "a") and welsh.allowed("aspirate", "ei") and not welsh.allowed("aspirate", "y")
    assert welsh.allowed("h", "eu") and not welsh.allowed("h", "dy")


# --- Welsh matching --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Ti sydd ar fai.", [("fault", "ar fai")]),                         # soft: bai -> fai
    ("Dy fai di yw hyn.", [("fault", "Dy fai")]),                       # soft after dy
    ("Fy mai i yw e.", [("fault", "Fy mai")]),                          # nasal after fy
    ("A pham wnest ti hynny?", [("why-did-you", "pham wnest ti")]),     # aspirate after a, soft gwnest -> wnest
    ("Pam wnest ti ei anfon?", [("why-did-you", "Pam wnest ti")]),
    ("Pam na wnest ti ddweud wrth rywun?", [("should-have-known", "Pam na wnest ti")]),
    ("Sut allet ti adael i hyn ddigwydd?", [("how-could-you", "Sut allet ti adael")]),
    ("Sut gallech chi wneud dweud yn haws?", []),  # "how could you make telling easier" is not blame
    ("Mae pawb yn mynd i wybod.", [("everyone-will-know", "pawb yn mynd i wybod")]),
    ("Byddi di mewn trafferth.", [("in-trouble", "di mewn trafferth")]),  # soft: ti -> di
    ("Arnat ti mae'r bai.", [("fault", "Arnat ti mae'r bai")]),          # '*' spans words
    ("Roedd hi wedi rhoi ei hun mewn perygl.", [("at-risk", "rhoi ei hun mewn perygl")]),
    ("Mae'n bornograffi plant.", [("child-pornography", "bornograffi plant")]),  # soft mutation, anywhere
    ("Deunydd pornograffi plant", [("child-pornography", "pornograffi plant")]),
    ("Roedden nhw'n secstio.", [("sexting", "secstio")]),
    ("Roedd hi mewn perthynas ag oedolyn.", [("relationship", "mewn perthynas ag")]),    # "ag" before a vowel
    ("Roedd e mewn perthynas gydag oedolyn.", [("relationship", "mewn perthynas gydag")]),
    ("Roedd hi mewn perthynas hefo dyn.", [("relationship", "mewn perthynas hefo")]),  # northern "hefo"
])
def test_welsh_phrases_are_found_in_their_mutated_forms(phrases, text, expected):
    assert found(text, "cy", phrases) == expected


@pytest.mark.parametrize("text", [
    "Nid dy fai di yw hyn.",                  # "nid" cancels: this is what to say
    "Dyw hi ddim yn fai arnat ti.",
    "Does dim bai arnat ti.",
    "Dwyt ti ddim mewn trafferth am ddweud wrtha i.",
    "Rwy'n credu mai ti sydd wedi gwneud y peth iawn.",  # "mai" (that) is not "bai": nasal only after fy / yn
    "Pe bai hi yma, byddai hi'n helpu.",       # "pe bai" (if it were) is not blame
    "Diolch am ddweud wrtha i. Rwyt ti wedi gwneud y peth iawn.",
])
def test_welsh_reassurance_is_not_flagged(phrases, text):
    assert found(text, "cy", phrases) == []


# --- English matching -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Why did you send it?", [("why-did-you", "Why did you")]),
    ("Why didn’t you tell someone?", [("should-have-known", "Why didn't you")]),  # curly apostrophe
    ("It's your own fault.", [("fault", "your own fault")]),
    ("He was putting himself at risk.", [("at-risk", "putting himself at risk")]),
    ("Everyone is going to know.", [("everyone-will-know", "Everyone is going to know")]),
    ("She was in a relationship with him.", [("relationship", "in a relationship with")]),
    ("That is child pornography and sexting.", [("child-pornography", "child pornography"), ("sexting", "sexting")]),
    ("How could you let this happen? You'll be in trouble.",
     [("how-could-you", "How could you let"), ("in-trouble", "You'll be in trouble")]),
])
def test_english_phrases_are_found(phrases, text, expected):
    assert found(text, "en", phrases) == expected


@pytest.mark.parametrize("text", [
    "This is not your fault.",
    "None of this is your fault.",
    "It is never your fault.",
    "You're not in trouble for telling me.",
    "You won't get into trouble.",
    "Offenders put children at risk.",  # only the reflexive "putting themselves at risk" blames
    "How could you make telling easier?",
    "Thank you for telling me. You've done the right thing.",
])
def test_english_reassurance_is_not_flagged(phrases, text):
    assert found(text, "en", phrases) == []


# --- unsafe first words (issue 24): each must be flagged, in both languages, on both coach exercises -----------

UNSAFE_FIRST_WORDS = {
    "en": ["I promise I won't tell anyone. Send me the picture so I can see it.",
           "You shouldn't have sent it",
           "You were silly to trust a stranger",
           "Well, you need to be more careful online from now on.",
           "Just delete it and block them."],
    "cy": ["Dw i'n addo na wna i ddweud wrth neb. Anfona'r llun ata i er mwyn i mi gael ei weld.",
           "Ddylet ti ddim fod wedi'i anfon",
           "Roeddet ti'n wirion i ymddiried mewn dieithryn",
           "Wel, mae angen i ti fod yn fwy gofalus ar-lein o hyn ymlaen.",
           "Dilëa fe a bloca nhw."],
}
EXPECTED_UNSAFE = [{"promise-secret", "see-the-image"}, {"shouldnt-have"}, {"silly", "trust-stranger"},
                   {"be-careful"}, {"delete-it"}]


@pytest.mark.parametrize("exercise_id", ["support-first-words", "gallery-language-coach"])
@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("index", range(len(EXPECTED_UNSAFE)))
def test_unsafe_first_words_are_flagged(exercise_id, lang, index):
    exercise = load_all()[exercise_id]
    result = check_text(UNSAFE_FIRST_WORDS[lang][index], lang, load_phrases(exercise.phrase_list))
    assert not result.clean and set(result.phrase_ids) == EXPECTED_UNSAFE[index]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Don't worry, I won't tell anyone.", [("promise-secret", "won't tell anyone")]),
    ("en", "Can I see the picture?", [("see-the-image", "Can I see the")]),
    ("en", "Show me what they sent.", [("see-the-image", "Show me")]),
    ("en", "You should never have trusted him.", [("shouldnt-have", "should never have trusted")]),
    ("en", "That was so stupid of you.", [("silly", "stupid")]),
    ("cy", "Ga i weld y llun?", [("see-the-image", "Ga i weld")]),                  # soft: cael -> ga, gweld -> weld
    ("cy", "Dangosa'r negeseuon i mi.", [("see-the-image", "Dangosa'r negeseuon i mi")]),
    ("cy", "Wna i ddim dweud wrth neb.", [("promise-secret", "Wna i ddim dweud wrth neb")]),
    ("cy", "Gallwn ni gadw hyn yn gyfrinach.", [("promise-secret", "gadw hyn yn gyfrinach")]),  # soft: cadw, cyfrinach
    ("cy", "Ni ddylet ti fod wedi ymddiried ynddo.", [("shouldnt-have", "Ni ddylet ti fod wedi ymddiried")]),
    ("cy", "Mae hynny'n dwp.", [("silly", "dwp")]),                                  # soft: twp -> dwp
])
def test_unsafe_first_words_in_other_forms(phrases, lang, text, expected):
    assert found(text, lang, phrases) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "I can't keep this a secret, because I need to get you help."),
    ("en", "Please don't send me anything, and don't delete anything."),
    ("en", "You shouldn't have to deal with this on your own."),
    ("en", "You're not stupid. We're going to deal with this carefully."),
    ("cy", "Alla i ddim cadw hyn yn gyfrinach, achos mae angen i mi gael help i ti."),
    ("cy", "Paid ag anfon y llun ata i, a phaid â dileu dim byd."),
    ("cy", "Ddylet ti ddim fod wedi gorfod delio â hyn ar dy ben dy hun."),
    ("cy", "Dwyt ti ddim yn dwp. Rydyn ni'n mynd i ddelio â hyn yn ofalus."),
])
def test_safe_first_words_are_not_flagged(phrases, lang, text):
    assert found(text, lang, phrases) == []


def test_a_negative_in_one_sentence_does_not_cancel_a_match_in_the_next(phrases):
    assert found("I won't tell anyone. Send me the picture.", "en", phrases) == [
        ("promise-secret", "won't tell anyone"), ("see-the-image", "Send me the")]
    assert found("Paid â phoeni. Anfona'r llun ata i.", "cy", phrases) == [
        ("see-the-image", "Anfona'r llun ata i")]


def test_the_model_answers_pass_their_own_coach():
    for exercise in load_all().values():
        if exercise.type == "language-coach":
            for lang in ("en", "cy"):
                assert check_text(exercise.model_answer(lang), lang, load_phrases(exercise.phrase_list)).clean


def test_a_result_lists_each_phrase_once_in_order(phrases):
    result = check_text("It's your fault. Why did you do it? Your fault again.", "en", phrases)
    assert result.phrase_ids == ("fault", "why-did-you")
    assert [h.text for h in result.used] == ["your fault", "Why did you", "Your fault"]
    assert not result.clean


# --- quoting, not using ---------------------------------------------------------------------------------

def test_quoted_examples_are_told_apart_from_use(phrases):
    text = (f"Never say {QUOTE_OPEN}“Why did you send it?”{QUOTE_CLOSE}. But why did you write this?")
    hits = find(text, "en", phrases.phrases)
    assert [(h.text, h.quoted) for h in hits] == [("Why did you", True), ("why did you", False)]
    assert [h.text for h in course_wording_problems(text, "en")] == ["why did you"]
    assert strip_marks(text) == "Never say “Why did you send it?”. But why did you write this?"
    assert len(quoted_spans(text)) == 1


def test_quote_marks_may_carry_other_attributes_and_span_lines(phrases):
    text = 'Peidiwch â dweud <q lang="cy" class="x fmse-avoid">Ti sydd\nar fai</q>.'
    assert [(h.text, h.quoted) for h in find(text, "cy", phrases.phrases)] == [("ar fai", True)]


def test_the_gallery_quotes_but_never_uses_victim_blaming_wording():
    """The course's own wording (here: the gallery's exercises and notebooks) may quote, never use."""
    used = []
    for exercise in load_all().values():
        if exercise.id.startswith("gallery-"):
            for field, text in exercise.texts():
                for lang in ("en", "cy"):
                    used += [f"{exercise.id} {field} ({lang}): {h.text}"
                             for h in course_wording_problems(text(lang), lang)]
    for lang, name in (("en", "99-gallery.ipynb"), ("cy", "99-oriel.ipynb")):
        nb = json.loads((ROOT / "notebooks" / lang / name).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                used += [f"{name} {cell['id']}: {h.text}" for h in course_wording_problems(source, lang)]
                assert re.search(r'class="fmse-avoid"', source) is None or quoted_spans(source)
    assert used == []


# --- phrase lists are data -------------------------------------------------------------------------------

def test_every_phrase_list_is_valid_and_bilingual():
    lists = load_all_phrases()
    assert "victim-blaming" in lists
    for phrase_list in lists.values():
        for phrase in phrase_list.phrases:
            assert phrase.avoid["en"] and phrase.avoid["cy"], phrase.id
        for field, text in phrase_list.texts():
            assert not text.stale, f"{phrase_list.id} {field}: run `fmse-course content stamp`"
            for lang in ("en", "cy"):  # its own explanations quote the phrases, and never use them
                assert course_wording_problems(text(lang), lang, phrase_list.id) == [], (field, lang)


def good_list() -> dict:
    return {"id": "sample", "title": {"en": "T", "cy": "T cy"}, "source": {"en": "S", "cy": "S cy"},
            "phrases": [{"id": "p", "avoid": {"en": ["why did you"], "cy": ["pam gwnest ti"]},
                         "why": {"en": "W", "cy": "W cy"}, "instead": {"en": "I", "cy": "I cy"}}]}


def test_a_good_phrase_list_parses():
    parsed = parse_phrases(good_list(), "sample.yaml")
    assert parsed.phrase("p").avoid["cy"] == ("pam gwnest ti",) and parsed.phrase("p").not_after["en"] == frozenset()


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["phrases"][0]["avoid"].update(cy=["pam gwnest|gwnaethoch'r ti"]),
     r"each alternative in .* must be one whole word"),
    (lambda d: d["phrases"][0]["avoid"].pop("cy"), r"field 'phrases\[0\]\.avoid': must be a mapping with an 'en' list"),
    (lambda d: d["phrases"][0]["avoid"].update(en=[]), r"phrases\[0\]\.avoid\.en': needs a non-empty list"),
    (lambda d: d["phrases"][0]["avoid"].update(en=["* at risk"]), r"may not start or end with '\*'"),
    (lambda d: d["phrases"][0].update(typo=1), r"unknown field\(s\) typo"),
    (lambda d: d["phrases"].append(dict(d["phrases"][0])), r"phrase id 'p' is used twice"),
    (lambda d: d["phrases"][0].update(not_after={"en": ["not"]}), r"not_after': must be a mapping with an 'en' list"),
])
def test_a_bad_phrase_list_names_the_file_list_and_field(change, message):
    data = good_list()
    change(data)
    with pytest.raises(ContentError, match=r"sample\.yaml: phrase list 'sample': .*" + message):
        parse_phrases(data, "sample.yaml")


def test_a_coach_exercise_naming_a_missing_list_fails_at_load(tmp_path):
    from fmse_widgets.content.loader import parse_exercise

    data = yaml_text.safe_load((ROOT / "data" / "exercises" / "gallery-language-coach.yaml").read_text(encoding="utf-8"))
    data["phrase_list"] = "no-such-list"
    with pytest.raises(ContentError, match="no phrase list 'no-such-list'"):
        parse_exercise(data, "gallery-language-coach.yaml")
