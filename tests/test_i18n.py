"""Interface strings: the Welsh catalogue is complete, current, and uses Welsh's six plural forms."""
from __future__ import annotations

import shutil

import pytest

from fmse_widgets import i18n
from fmse_widgets.i18n_tools import check_welsh, extract, pot_path, render_pot

# Welsh plural categories (CLDR): zero, one, two, few, many, other.
COUNTS = {0: 0, 1: 1, 2: 2, 3: 3, 6: 4, 7: 5}


def test_welsh_plural_rule_gives_each_count_its_own_form():
    welsh = i18n.translator("cy")
    indices = {n: welsh.plural(n) for n in COUNTS}
    assert indices == COUNTS
    assert len(set(indices.values())) == 6
    assert welsh.plural(16) == 5 and welsh.plural(106) == 5


SCORE = ("You answered {n} of {total} question correctly ({percent}%).",
         "You answered {n} of {total} questions correctly ({percent}%).")


@pytest.mark.parametrize(("total", "noun"), [
    # "cwestiwn" after a number: soft mutation after dau (2), aspirate after tri (3) and chwe (6).
    (0, "cwestiwn"), (1, "cwestiwn"), (2, "gwestiwn"), (3, "chwestiwn"), (6, "chwestiwn"), (7, "cwestiwn")])
def test_welsh_counted_text_uses_the_right_form(total, noun):
    text = i18n.translator("cy").ngettext(*SCORE, total).format(n=0, total=total, percent=0)
    assert text == f"Rydych chi wedi ateb 0 o {total} {noun} yn gywir (0%)."


def test_english_plurals():
    english = i18n.translator("en")
    assert [english.ngettext(*SCORE, t).format(n=1, total=t, percent=50) for t in (1, 2)] == [
        "You answered 1 of 1 question correctly (50%).", "You answered 1 of 2 questions correctly (50%)."]


def test_welsh_catalogue_translates_every_string_with_all_forms():
    assert check_welsh() == []


def test_committed_pot_matches_the_code():
    """Like eq-translations: re-extract and fail if the committed template is stale."""
    assert pot_path().read_bytes() == render_pot(extract()), "run `fmse-course i18n extract` and commit fmse.pot"


def test_contexts_keep_alert_headings_official():
    welsh = i18n.translator("cy")
    assert welsh.pgettext("alert section", "What it looks like") == "Sut beth yw e"
    assert welsh.gettext("Check answer") == "Gwirio'r ateb"


def test_unknown_language_and_missing_catalogue(tmp_path):
    with pytest.raises(ValueError, match="use 'en' or 'cy'"):
        i18n.translator("fr")
    with pytest.raises(i18n.CatalogueError, match="is missing"):
        i18n.translator("cy", tmp_path)


def test_malformed_catalogue_is_named(tmp_path):
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(i18n.catalogue_path("cy"), folder / "fmse.po")
    (folder / "fmse.po").write_text('msgid "Check answer"\nmsgstr "unterminated\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match="cannot be read"):
        i18n.translator("cy", tmp_path)
