"""The letter for parents and carers: composed from data, the setting and the services file; exported as .docx
and HTML that keep ŵ and ŷ; Welsh first when bilingual; escaped; honest about draft Welsh; and the builder."""
from __future__ import annotations

import base64
import dataclasses
import html as html_lib
import datetime as dt
import io
import re
import unicodedata

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn

from fmse_widgets import yaml_text
from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.services import services
from fmse_widgets.letter.compose import (CHOICES, compose, compose_posts, count_characters, format_date,
                                         part_langs)
from fmse_widgets.letter.data import PLACEHOLDER, letter_text, parse_letter
from fmse_widgets.letter.day_field import parse_day, show_day
from fmse_widgets.letter.export import DOCX_MIME, file_name, to_docx, to_html
from fmse_widgets.letter.view import LetterBuilder, posts_html
from fmse_widgets.i18n import translator
from fmse_widgets.setting import save_values

SETTING_NAME = "Ysgol Gŵyr a'r Tŷ Gwyn"
DSP_NAME = "Siân Ŵen (invented)"
DAY = dt.date(2026, 11, 28)
GREETING = {"en": "Dear parent or carer,", "cy": "Annwyl riant neu ofalwr,"}


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def setting(data_folder):
    save_values({"name": SETTING_NAME, "dsp_name": DSP_NAME, "dsp_phone": "01234 567890"})
    return data_folder


def docx_text(content: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(content))
    return document, "\n".join(p.text for p in document.paragraphs)


def shown(markup: str) -> str:
    """The text a reader sees in some HTML (entities decoded), to compare with wording that has apostrophes."""
    return html_lib.unescape(markup)


def reviewed(data):
    """The letter's YAML with every Welsh string marked reviewed (to test a letter with no draft Welsh)."""
    if isinstance(data, dict):
        if isinstance(data.get("en"), str) and isinstance(data.get("cy"), str):
            return {**data, "cy_status": "reviewed"}
        return {k: reviewed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [reviewed(v) for v in data]
    return data


def reviewed_services():
    return {i: dataclasses.replace(s, name=dataclasses.replace(s.name, cy_status="reviewed"),
                                   purpose=dataclasses.replace(s.purpose, cy_status="reviewed"))
            for i, s in services().items()}


# --- the Word document keeps the setting's name and the Welsh letters ŵ and ŷ, in every language choice ---

@pytest.mark.upstream  # python-docx internals (paragraph._p, run._r): docs/decisions.md
@pytest.mark.parametrize("choice", CHOICES)
def test_docx_round_trip_keeps_the_setting_name_and_welsh_letters(setting, choice):
    letter = compose(choice, DAY)
    document, text = docx_text(to_docx(letter))
    assert SETTING_NAME in text and DSP_NAME in text
    assert "ŵ" in text and "ŷ" in text and "Ŵ" in text
    for lang in ("en", "cy"):
        assert (GREETING[lang] in text) == (lang in part_langs(choice))
        assert (format_date(DAY, lang) in text) == (lang in part_langs(choice))
    assert document.core_properties.title == letter.title
    assert document.core_properties.author == ""  # not python-docx's default
    # Each run says its language, so Word checks Welsh spelling as Welsh.
    langs = {el.get(qn("w:val")) for el in document.element.body.iter(qn("w:lang"))}
    assert langs == {{"en": "en-GB", "cy": "cy-GB"}[lang] for lang in part_langs(choice)}


def test_both_languages_put_welsh_first(setting):
    letter = compose("both", DAY)
    assert [p.lang for p in letter.parts] == ["cy", "en"]
    assert letter.lang == "cy" and letter.file_stem.startswith("llythyr-i-rieni-a-gofalwyr-letter-for-")
    _, text = docx_text(to_docx(letter))
    assert text.index(GREETING["cy"]) < text.index(GREETING["en"])
    html = to_html(letter)
    assert html.startswith('<!DOCTYPE html>\n<html lang="cy">')
    assert html.index('<article class="fmse-letter" lang="cy">') < html.index('<article class="fmse-letter" lang="en">')
    assert letter.title.index("Blacmel") < letter.title.index("Financially")


def test_file_names_follow_the_language_and_date(setting):
    assert file_name(compose("en", DAY), "docx") == "letter-for-parents-and-carers-2026-11-28.docx"
    assert file_name(compose("cy", DAY), "html") == "llythyr-i-rieni-a-gofalwyr-2026-11-28.html"
    assert file_name(compose("both", DAY), "docx") == (
        "llythyr-i-rieni-a-gofalwyr-letter-for-parents-and-carers-2026-11-28.docx")


# --- HTML escapes everything ---

def test_html_export_and_preview_escape_the_settings_details(data_folder):
    save_values({"name": "<script>alert('x')</script> & Co", "dsp_name": '<img src=x onerror="y">'})
    letter = compose("both", DAY)
    html = to_html(letter)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;img src=x onerror=&quot;y&quot;&gt;" in html
    view = LetterBuilder("en", today=DAY)
    assert "<script" not in view.preview.value and "&lt;script&gt;" in view.preview.value
    _, text = docx_text(to_docx(letter))
    assert "<script>alert('x')</script> & Co" in text  # the Word document shows it as the text it is


def test_html_export_is_self_contained(setting):
    html = to_html(compose("cy", DAY))
    assert "<script" not in html and "src=" not in html and "@import" not in html
    assert '<meta charset="utf-8">' in html and SETTING_NAME.replace("'", "&#x27;") in html
    assert "28 Tachwedd 2026" in html


# --- dates in Welsh ---

def test_dates_are_written_out_in_each_language():
    months = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
              "Tachwedd", "Rhagfyr"]
    assert [format_date(dt.date(2026, m, 28), "cy") for m in range(1, 13)] == [f"28 {m} 2026" for m in months]
    assert format_date(DAY, "en") == "28 November 2026"
    assert format_date(dt.date(2027, 3, 1), "cy") == "1 Mawrth 2027"


# --- draft Welsh is said before the download ---

def test_welsh_draft_is_listed_and_english_letters_are_never_draft(setting):
    assert compose("en", DAY).draft_welsh == ()
    for choice in ("cy", "both"):
        letter = compose(choice, DAY)
        assert letter.welsh_is_draft
        assert "greeting" in letter.draft_welsh and "services.meic.purpose" in letter.draft_welsh


def test_reviewed_welsh_is_not_reported_as_draft(setting, root):
    known = reviewed_services()
    data = reviewed(yaml_text.safe_load((root / "data" / "letter.yaml").read_text(encoding="utf-8")))
    text = parse_letter(data, "letter.yaml", known)
    letter = compose("both", DAY, text=text, known=known)
    assert letter.draft_welsh == ()
    view = LetterBuilder("cy", today=DAY, text=text, known=known)
    assert view.draft_note.value == "" and "download=" in view.downloads.value


@pytest.mark.parametrize(("page_lang", "note"), [
    ("en", "The Welsh in this letter is a draft"), ("cy", "Drafft yw'r Gymraeg yn y llythyr hwn")])
def test_builder_says_welsh_is_draft_in_the_pages_language_before_the_downloads(setting, page_lang, note):
    view = LetterBuilder(page_lang, today=DAY)
    view.language.value = "en"
    assert view.draft_note.value == ""
    for choice in ("cy", "both"):
        view.language.value = choice
        assert note in shown(view.draft_note.value)
        assert view.children.index(view.draft_note) < view.children.index(view.downloads)


# --- the builder: preview and downloads update in callbacks ---

def link(html: str, css_class: str) -> tuple[str, str]:
    found = re.search(rf'<a class="{css_class}" href="data:([^;]+);[^"]*base64,([^"]+)" download="([^"]+)"', html)
    assert found, html[:500]
    return base64.b64decode(found.group(2)), found.group(3)


def test_builder_updates_preview_status_and_downloads(setting):
    view = LetterBuilder("en", today=DAY)
    assert "28 November 2026" in view.preview.value and GREETING["en"] in view.preview.value
    assert view.status.value == ""  # nothing to announce before the learner changes something
    view.language.value = "cy"
    assert "28 Tachwedd 2026" in view.preview.value and GREETING["cy"] in view.preview.value
    assert "Preview updated: Welsh, 28 November 2026." in view.status.value
    view.date_field.value = "05/01/2027"
    assert "5 Ionawr 2027" in view.preview.value
    content, name = link(view.downloads.value, "fmse-download-docx")
    assert name == "llythyr-i-rieni-a-gofalwyr-2027-01-05.docx"
    assert f'href="data:{DOCX_MIME};base64,' in view.downloads.value
    assert SETTING_NAME in docx_text(content)[1]
    page, name = link(view.downloads.value, "fmse-download-html")
    assert name == "llythyr-i-rieni-a-gofalwyr-2027-01-05.html"
    assert "5 Ionawr 2027" in page.decode("utf-8")
    assert view.errors.value == ""


def test_welsh_page_builder_speaks_welsh(setting):
    view = LetterBuilder("cy", today=DAY)
    assert view.language.value == "cy" and view.date_field.description == "Dyddiad y llythyr (diwrnod/mis/blwyddyn)"
    assert view.date_field.value == "28/11/2026" and view.date_field.placeholder == "DD/MM/BBBB"
    assert [label for label, _ in view.language.options] == [
        "Saesneg", "Cymraeg", "Cymraeg a Saesneg (Cymraeg yn gyntaf)"]
    view.language.value = "both"
    assert "Rhagolwg wedi'i ddiweddaru: Cymraeg a Saesneg (Cymraeg yn gyntaf), 28 Tachwedd 2026." in shown(
        view.status.value)
    assert "Lawrlwytho'r llythyr fel dogfen Word" in shown(view.downloads.value)


def test_clearing_the_date_asks_for_one_and_hides_the_downloads(setting):
    view = LetterBuilder("en", today=DAY)
    view.date_field.value = ""
    assert "Choose a date for the letter." in view.status.value
    assert view.downloads.value == view.draft_note.value == view.errors.value == "" and view.letter is None
    view.date_field.value = show_day(DAY)
    assert "download=" in view.downloads.value and view.letter.day == DAY


@pytest.mark.parametrize("typed", ["12/06/2026", "12.6.2026", "12-06-2026", " 12 6 2026 ", "2026-06-12"])
def test_the_date_is_read_day_first(typed):
    assert parse_day(typed) == dt.date(2026, 6, 12)
    assert show_day(dt.date(2026, 6, 2)) == "02/06/2026"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_date_written_another_way_says_how_to_write_it(setting, lang):
    view = LetterBuilder(lang, today=DAY)
    for typed in ("06/31/2026", "June 12", "31/02/2026"):
        view.date_field.value = typed
        assert translator(lang).gettext("Write the date as day/month/year, for example {example}.").format(
            example=show_day(dt.date.today())) in shown(view.status.value)
        assert view.letter is None and view.downloads.value == ""
    view.date_field.value = "5/1/2027"
    assert view.letter.day == dt.date(2027, 1, 5)


def test_a_failure_in_a_callback_is_shown_not_swallowed(setting, monkeypatch, caplog):
    view = LetterBuilder("en", today=DAY)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("fmse_widgets.letter.view.compose", broken)
    view.language.value = "cy"
    assert "Sorry, something went wrong with the letter: disk on fire" in view.errors.value
    assert "disk on fire" in caplog.text


def test_unset_setting_shows_marked_placeholders_in_each_language(data_folder):
    view = LetterBuilder("en", today=DAY)
    assert "fmse-course setting set" in view.setting_note.value
    letter = compose("both", DAY)
    assert {"name", "dsp_name", "dsp_email"} <= set(letter.unset)
    html = to_html(letter)
    assert '<mark class="fmse-placeholder">[enw eich lleoliad]</mark>' in html
    assert "<mark class=\"fmse-placeholder\">[your setting&#x27;s name]</mark>" in html
    document, _ = docx_text(to_docx(letter))
    marked = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert "[enw eich lleoliad]" in marked and "[your setting's name]" in marked


def test_a_broken_setting_file_is_named_and_the_letter_still_works(data_folder):
    data_folder.mkdir(parents=True)
    (data_folder / "setting.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    view = LetterBuilder("en", today=DAY)
    assert "The setting file could not be read" in view.setting_note.value
    assert "[your setting&#x27;s name]" in view.preview.value


# --- what the letter says ---

def test_letter_says_it_is_the_courses_letter_not_the_nca_template(setting):
    letter = compose("both", DAY)
    notes = [b.text for p in letter.parts for b in p.blocks if b.kind == "note"]
    assert len(notes) == 2
    assert "Nid llythyr templed yr Asiantaeth Troseddu Cenedlaethol" in notes[0]
    assert "It is not the National Crime Agency's own template letter" in notes[1]


def test_letter_gives_the_nca_advice_with_services_from_the_services_file(setting):
    known = services()
    text = compose("en", DAY).text
    for advice in ("Don't pay", "Stop contact and block", "Don't delete anything", "not to blame",
                   "Report the account to the platform"):
        assert advice in text
    police = known["police"].phones
    assert f"police on {police[0]}, or on {police[1]} if your child is in immediate danger" in text
    for service_id in ("report-remove", "take-it-down", "ceop-safety-centre", "childline", "meic", "nspcc-helpline"):
        assert known[service_id].name("en") in text
    numbers = (*known["childline"].phones, *known["meic"].phones, known["meic"].sms, *known["nspcc-helpline"].phones)
    assert all(number in text for number in numbers)
    assert "takeitdown.ncmec.org" in text and "01234 567890" in text


def test_letter_text_invents_no_numbers_and_no_addresses(root):
    """Numbers and addresses come from the services and setting files; the only figures are the alert's own."""
    raw = (root / "data" / "letter.yaml").read_text(encoding="utf-8")
    strings = [t(lang) for _, t in letter_text().texts() for lang in ("en", "cy")]
    numbers = {n for s in strings for n in re.findall(r"\d+", PLACEHOLDER.sub("", s))}
    assert numbers == {"14", "18", "29", "2024"}  # ages 14 to 18, under-18s, and the alert's date
    assert "http" not in raw and "www." not in raw and "@" not in raw


def test_letter_passes_the_victim_blaming_check():
    from fmse_widgets.exercises.coach import course_wording_problems

    problems = [(where, lang, h) for where, t in letter_text().texts() for lang in ("en", "cy")
                for h in course_wording_problems(t(lang), lang)]
    assert problems == []


def test_letter_text_is_complete_current_and_welsh(root):
    texts = letter_text().texts()
    assert len(texts) >= 35
    assert [w for w, t in texts if t.stale] == [], "update the Welsh, then run `fmse-course content stamp`"
    assert [w for w, t in texts if t.cy.strip() == t.en.strip()] == []


def test_a_bad_placeholder_or_mismatched_languages_are_named(root):
    data = yaml_text.safe_load((root / "data" / "letter.yaml").read_text(encoding="utf-8"))
    data["greeting"] = {"en": "Dear {setting.colour},", "cy": "Annwyl {setting.colour},"}
    with pytest.raises(ContentError, match=r"field 'greeting': \{setting.colour\} in the en text: the setting has no"):
        parse_letter(data, "letter.yaml", services())
    data["greeting"] = {"en": "Call {childline.phone}", "cy": "Ffoniwch"}
    with pytest.raises(ContentError, match="field 'greeting': the English and Welsh use different placeholders"):
        parse_letter(data, "letter.yaml", services())
    data["greeting"] = {"en": "See {nowhere.web}", "cy": "Gweler {nowhere.web}"}
    with pytest.raises(ContentError, match="no service 'nowhere' in data/services.yaml"):
        parse_letter(data, "letter.yaml", services())


def test_compose_refuses_an_unknown_language_or_missing_date(setting):
    with pytest.raises(ValueError, match="must be one of en, cy, both"):
        compose("fr", DAY)
    with pytest.raises(ValueError, match="choose a date"):
        compose("en", None)  # type: ignore[arg-type]


# --- social media posts ---

def test_posts_come_in_both_languages_welsh_first_with_counts():
    posts = compose_posts("en")
    assert len(posts) >= 3
    for post in posts:
        assert [v.lang for v in post.versions] == ["cy", "en"]
        for version in post.versions:
            assert version.characters == len(unicodedata.normalize("NFC", version.text))
            assert "{" not in version.text
    html = posts_html("en")
    first = posts[0].versions
    assert f"({first[0].characters} characters)" in html and f"({first[1].characters} characters)" in html
    assert html.index('lang="cy" class="fmse-post-text"') < html.index('lang="en" class="fmse-post-text"')
    assert "The Welsh in these posts is a draft" in html
    welsh = posts_html("cy")
    assert f"({first[0].characters} nod)" in welsh and "Drafft yw'r Gymraeg yn y negeseuon hyn" in shown(welsh)


def test_character_counts_treat_welsh_letters_as_one_character():
    assert count_characters("T\u0177") == 2 and count_characters("Ty\u0302") == 2  # ŷ precomposed or combined
    assert count_characters("Gŵyr") == 4


def test_posts_use_the_services_file_and_pass_the_victim_blaming_check():
    from fmse_widgets.exercises.coach import course_wording_problems

    known = services()
    texts = {v.lang: v.text for post in compose_posts("cy") for v in post.versions if post.id == "talk-to-your-child"}
    assert known["childline"].phones[0] in texts["en"] and known["meic"].phones[0] in texts["cy"]
    problems = [(p.id, v.lang) for p in compose_posts("en") for v in p.versions
                if course_wording_problems(v.text, v.lang)]
    assert problems == []


@pytest.mark.slow  # a process of its own
def test_composing_and_exporting_need_no_widgets():
    """compose.py and export.py are the builder's logic: usable from a script or a test without ipywidgets."""
    import subprocess
    import sys

    code = ("import sys, datetime; from fmse_widgets.letter.compose import compose; "
            "from fmse_widgets.letter.export import to_docx, to_html; "
            "letter = compose('both', datetime.date(2026, 11, 28)); to_docx(letter); to_html(letter); "
            "assert 'ipywidgets' not in sys.modules, 'ipywidgets was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
