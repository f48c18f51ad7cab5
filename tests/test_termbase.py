"""The termbase (data/termbase.yaml) is enforced: no Welsh string the course shows uses a form to avoid in its scope.

The second half plants violations in a copy of the course's text and expects the same check to find them, so the
check cannot pass by reading nothing.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fmse_widgets.content.welsh_texts import course_welsh_texts
from fmse_widgets.i18n import catalogue_path
from fmse_widgets.paths import course_root
from fmse_widgets.termbase import termbase, violations


def test_the_course_welsh_uses_no_form_the_termbase_says_to_avoid():
    texts = course_welsh_texts()
    assert len(texts) > 1400, "every channel of Welsh text is read"
    found = [str(v) for v in violations(texts)]
    assert found == [], "use the termbase's term (data/termbase.yaml) or quote the form as a gloss"


def test_terms_in_neither_source_are_marked_for_termcymru():
    unchecked = [t.id for t in termbase().terms if t.source == "course" and not t.termcymru
                 and t.id not in {"hacked-account", "sexually-explicit-communication", "digitally-manipulated-images"}]
    assert unchecked == []
    assert {t.id for t in termbase().terms if t.termcymru} >= {"language-coach", "demand", "hotspot"}


@pytest.fixture
def copy_of_course(tmp_path: Path) -> Path:
    root = course_root()
    for folder in ("exercises", "text", "language"):
        shutil.copytree(root / "data" / folder, tmp_path / "data" / folder)
    for name in ("letter.yaml", "services.yaml", "workshop.yaml", "termbase.yaml"):
        shutil.copy(root / "data" / name, tmp_path / "data" / name)
    (tmp_path / "data" / "cases").mkdir()
    for name in ("README.md", "README.cy.md"):
        shutil.copy(root / "data" / "cases" / name, tmp_path / "data" / "cases" / name)
    shutil.copytree(root / "notebooks", tmp_path / "notebooks")
    return tmp_path


def _plant(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("relative, old, new, form", [
    # "galw" for a money demand, where the English says demand.
    ("data/exercises/signs-spot-the-signs.yaml", "blacmel gyda chais am arian", "blacmel gyda galw ariannol",
     "galw ariannol"),
    # The coach called "hyfforddwr" alone (the human trainer).
    ("data/exercises/support-first-words.yaml", "Mae'r hyfforddwr iaith yn tynnu", "Mae'r hyfforddwr yn tynnu",
     "hyfforddwr"),
    # Hwb's term for the DSP in running text (the course says swyddog).
    ("notebooks/cy/hygyrchedd.ipynb", "neu wrth swyddog diogelu dynodedig", "neu wrth berson diogelu dynodedig",
     "berson diogelu dynodedig"),
    # The English word in Welsh prose, outside a gloss.
    ("data/exercises/data-reports-not-prevalence.yaml", "adroddiadau o flacmel rhywiol ('sextortion')",
     "adroddiadau sextortion", "sextortion"),
    # The Welsh README of the case data is checked too.
    ("data/cases/README.cy.md", "drwy ddeallusrwydd artiffisial", "gan ddeallusrwydd artiffisial",
     "gan ddeallusrwydd artiffisial"),
])
def test_a_planted_violation_fails_the_check(copy_of_course, relative, old, new, form):
    po = catalogue_path("cy")
    assert violations(course_welsh_texts(copy_of_course, po)) == []
    _plant(copy_of_course, relative, old, new)
    found = violations(course_welsh_texts(copy_of_course, po))
    assert [(v.where.split(":")[0], v.form) for v in found] == [(relative, form)]


def test_a_planted_catalogue_violation_fails_the_check(tmp_path):
    po = tmp_path / "fmse.po"
    text = catalogue_path("cy").read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Math o gais am arian"', 'msgstr "Math o alw"'), encoding="utf-8")
    found = [v for v in violations(course_welsh_texts(po=po)) if v.where.startswith("fmse.po")]
    assert [(v.where, v.form) for v in found] == [("fmse.po: 'Demand type'", "Math o alw")]


def test_scopes_allow_a_gloss_and_follow_the_english():
    base = termbase()
    quoted = [("q", "Mae'r cyfryngau'n ei alw'n 'sextortion'.", "The media call it 'sextortion'.")]
    assert violations(quoted, base) == []
    trainer = [("t", "Gofynnwch i'r hyfforddwr.", "Ask the trainer.")]
    assert violations(trainer, base) == []
    coach = [("c", "Mae'r hyfforddwr yn gwirio.", "The coach checks.")]
    assert [v.form for v in violations(coach, base)] == ["hyfforddwr"]


def test_language_of_parts_comes_from_the_termbase_and_the_services_file(copy_of_course, monkeypatch):
    from fmse_widgets.content.services import services
    from fmse_widgets.other_language import phrases, phrases_script

    welsh_page = set(phrases("cy"))
    assert {"CEOP", "NCMEC", "POSH", "Snapchat", "WhatsApp",
            "Child exploitation and abuse: an appropriate language guide"} <= welsh_page
    assert {s.name("cy") for s in services().values() if s.name_lang == "en"} <= welsh_page
    assert "Person Diogelu Dynodedig" in phrases("en")
    assert '"lang": "en"' in phrases_script("cy") and "POSH" in phrases_script("cy")
    # A name added to the termbase is marked with no change to the code.
    _plant(copy_of_course, "data/termbase.yaml", "  cy: [CEOP,", "  cy: [Wizz, CEOP,")
    monkeypatch.setenv("FMSE_COURSE_ROOT", str(copy_of_course))
    assert "Wizz" in phrases("cy") and "Wizz" not in welsh_page


def test_the_landing_page_name_form_note_carries_its_language():
    from fmse_widgets.records.identity_view import IdentityView

    for lang in ("en", "cy"):
        assert f'<p class="fmse-privacy-note" lang="{lang}">' in IdentityView(lang).note.value
