"""The glossary (data/termbase.yaml and its two pages): complete, sourced, and sorted in each language's order."""
from __future__ import annotations

import json
import re

import pytest

from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.services import services
from fmse_widgets.glossary import glossary_html, parse_glossary, sorted_terms, terms
from fmse_widgets.welsh import english_sort_key, welsh_sort_key
from shared_source import alert_halves

ROW_TERM = re.compile(r'<tr id="term-([a-z0-9-]+)"><th scope="row" lang="(en|cy)"')


def test_both_welsh_terms_for_the_designated_safeguarding_person():
    by_id = {t.id: t for t in terms()}
    alert, hwb = by_id["dsp-alert"], by_id["dsp-hwb"]
    assert (alert.term.cy, alert.source) == ("swyddog diogelu dynodedig", "alert")
    assert (hwb.term.cy, hwb.source) == ("Person Diogelu Dynodedig", "hwb")
    assert alert.term.en == hwb.term.en == "designated safeguarding person (DSP)"


def mutations(word: str) -> set[str]:
    """The word and its soft, nasal and aspirate mutations (enough to find a term inside running Welsh)."""
    soft = {"c": "g", "p": "b", "t": "d", "g": "", "b": "f", "d": "dd", "m": "f", "ll": "l", "rh": "r"}
    nasal = {"c": "ngh", "p": "mh", "t": "nh", "g": "ng", "b": "m", "d": "n"}
    aspirate = {"c": "ch", "p": "ph", "t": "th"}
    found = {word}
    for table in (soft, nasal, aspirate):
        for radical, mutated in table.items():
            if word.startswith(radical):
                found.add(mutated + word[len(radical):])
    return found


def test_terms_from_the_alert_are_in_its_welsh_text():
    welsh = " ".join(alert_halves()["cy"].split()).lower()
    missing = []
    for term in terms():
        if term.source != "alert":
            continue
        for part in term.term.cy.lower().split(";"):
            first, _, rest = part.strip().partition(" ")
            if not any(f"{form} {rest}".strip() in welsh for form in mutations(first)):
                missing.append(f"{term.id}: {part.strip()!r}")
    assert missing == [], "mark these source: course (draft) or use the alert's own wording"


def test_hwb_name_of_posh_matches_the_services_file():
    posh = next(t for t in terms() if t.id == "posh")
    assert services()["posh"].name.cy.startswith(posh.term.cy)


@pytest.mark.parametrize("lang, key", [("cy", welsh_sort_key), ("en", english_sort_key)])
def test_each_page_lists_the_terms_in_its_own_alphabetical_order(lang, key):
    rows = ROW_TERM.findall(glossary_html(lang))
    by_id = {t.id: t for t in terms()}
    assert len(rows) == len(by_id) >= 40
    assert {row_lang for _, row_lang in rows} == {lang}
    shown = [by_id[term_id].term(lang) for term_id, _ in rows]
    assert shown == sorted(shown, key=key)
    assert [t.id for t in sorted_terms(lang)] == [term_id for term_id, _ in rows]


def test_welsh_order_puts_the_digraphs_after_their_first_letter():
    order = [t.term.cy for t in sorted_terms("cy")]
    # "rh" is one letter after "r": riportio comes before rhannu and rhieni (English order would put it after).
    assert order.index("riportio; rhoi gwybod") < order.index("rhannu delweddau noeth a hanner noeth")
    assert order.index("riportio; rhoi gwybod") < order.index("rhieni a gofalwyr")
    en_order = sorted(order, key=english_sort_key)
    assert en_order.index("riportio; rhoi gwybod") > en_order.index("rhieni a gofalwyr")
    # "ll" words come after every "l" word and before "m".
    first_ll = min(i for i, t in enumerate(order) if t.lower().startswith("ll"))
    assert all(not t.lower().startswith("l") or t.lower().startswith("ll") for t in order[first_ll:])
    assert order[first_ll - 1].lower() < "ll" or order[first_ll - 1].lower().startswith("l")


def test_the_other_language_is_marked_in_each_row():
    html = glossary_html("en")
    left = ' style="text-align: start"'
    assert f'<td lang="cy"{left}>swyddog diogelu dynodedig</td>' in html
    assert f'<td lang="cy"{left}>Person Diogelu Dynodedig</td>' in html
    assert f'<th scope="col"{left}>English</th><th scope="col"{left}>Welsh</th>' in html
    cy = glossary_html("cy")
    assert f'<th scope="row" lang="cy"{left}>swyddog diogelu dynodedig</th>' in cy


def test_glossary_pages_are_reference_twins(root):
    pages = {}
    for path in (root / "notebooks/en/glossary.ipynb", root / "notebooks/cy/geirfa.ipynb"):
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["fmse"]
        pages[meta["lang"]] = meta
    assert {m["page"] for m in pages.values()} == {"glossary"}
    assert {m["kind"] for m in pages.values()} == {"reference"}


@pytest.mark.parametrize("data, problem", [
    ({"terms": [{"id": "x", "term": {"en": "a", "cy": "b"}, "source": "somewhere"}]}, r"field 'terms\[0\]\.source'"),
    ({"terms": [{"id": "x", "term": {"en": "a", "cy": "b"}, "source": "alert"},
                {"id": "x", "term": {"en": "c", "cy": "d"}, "source": "alert"}]}, "term id 'x' is used twice"),
    ({"terms": [{"id": "x", "term": {"en": "a"}, "source": "alert"}]}, "needs a non-empty 'cy' string"),
])
def test_a_bad_glossary_file_is_named(tmp_path, data, problem):
    with pytest.raises(ContentError, match=problem) as caught:
        parse_glossary(data, tmp_path / "termbase.yaml")
    assert "termbase.yaml" in str(caught.value)


def test_a_quoted_example_in_a_note_is_shown_as_a_quotation():
    html = glossary_html("en")
    assert 'use it instead of <q class="fmse-avoid">sexting</q>.' in html
    assert "&lt;q" not in html
