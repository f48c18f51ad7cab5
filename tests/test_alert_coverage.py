"""Every sentence of the alert, in English and in Welsh, appears in the modules that present its section.

The alert's text is read from the shared folder at test time, so the course cannot drift from it. Only the
page furniture listed in shared/source/README.md is skipped, only the slips listed there are corrected, and
every exemption below must still be needed: one that no longer matches anything fails the test.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from fmse_widgets.course import pages
from shared_source import alert_halves, clean

# The alert's section headings, in the order they come, and the page (fmse.page) that presents each.
SECTIONS = {
    "en": ["Context", "What it looks like", "Delivering preventative education", "Supporting victims",
           "Adult victims", "Parents and carers template letter"],
    "cy": ["Cyd-destun", "Sut beth yw e", "Cyflwyno addysg ataliol", "Cefnogi dioddefwyr",
           "Dioddefwyr sy'n oedolion", "Llythyr templed at rieni a gofalwyr"],
}
PAGES = ["context", "what-it-looks-like", "preventative-education", "supporting-victims", "adult-victims",
         "parents-and-carers"]
# The title, contents and opening line come before the first section: module 0 shows the title and contents,
# module 1 the opening line.
FRONT_PAGES = {"start-here", "context"}

# Page furniture (shared/source/README.md): file sizes, the accessibility notice of the PDF, "First published"
# and its date, and the logos. Each pattern must match at least one block of the text.
FURNITURE = {
    "en": [r"PDF \d+ KB", r"This file may not be accessible\. .*", r"If you need a more accessible version .*",
           r"First published", r"29 April 2024", r"Education from the National Crime Agency",
           r"Llywodraeth Cymru Welsh Government"],
    "cy": [r"PDF \d+ KB", r"Efallai na fydd y ffeil hon yn hygyrch\. .*", r"Cyhoeddwyd gyntaf", r"29 Ebrill 2024",
           r"Education from the National Crime Agency", r"Llywodraeth Cymru Welsh Government"],
}
# Lines that extraction split from the end of the block before them (README: the split bullet).
JOINS = {"en": ["or videos"], "cy": ["proffesiynol."]}
# The information icon before a heading (README: "i Yr hyn yr hoffem i chi ei wneud").
ICONS = {"en": [], "cy": [("i Yr hyn yr hoffem i chi ei wneud", "Yr hyn yr hoffem i chi ei wneud")]}


@dataclass(frozen=True)
class Correction:
    label: str       # as listed in the cell's metadata fmse.corrections
    published: str   # the slip as published
    corrected: str


# Slips in the published text (README), with the label each alert cell lists in fmse.corrections.
CORRECTIONS = {
    "en": [Correction("StopNCCI.org -> StopNCII.org", "StopNCCI.org's Industry Partners", "StopNCII.org's Industry Partners"),
           Correction("that the has occurred on -> that the incident has occurred on",
                      "that the has occurred on", "that the incident has occurred on")],
    # The Welsh has the English's StopNCCI.org slip too: corrected at the point of quotation, as the English is.
    "cy": [Correction("StopNCCI.org -> StopNCII.org", "Partneriaid Diwydiant StopNCCI.org", "Partneriaid Diwydiant StopNCII.org"),
           Correction("gynhrychir -> gynhyrchir", "gynhrychir", "gynhyrchir"),
           Correction("diweddarau'n -> diweddaru'n", "diweddarau'n", "diweddaru'n"),
           Correction("phhecyn -> phecyn", "phhecyn", "phecyn"),
           Correction("a bod wedi rhywun wedi meithrin -> a bod rhywun wedi meithrin",
                      "a bod wedi rhywun wedi meithrin", "a bod rhywun wedi meithrin"),
           # The end of this bullet was lost in extraction: restored as in the English ("nude or semi-nude").
           Correction("restored: hanner noeth", "ddarparu delweddau neu fideos noeth neu",
                      "ddarparu delweddau neu fideos noeth neu hanner noeth")],
}
# How many sentences (headings and list items count as one each) each language's text has outside furniture.
EXPECTED_SENTENCES = {"en": 66, "cy": 66}

ITEM = re.compile(r"^(?:- |\d+\. )")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
TAG = re.compile(r"<[^>]+>")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass
class Used:
    furniture: set
    joins: set
    icons: set
    corrections: set


def blocks(text: str) -> list[str]:
    """Blank-line-separated blocks; list items inside a block are blocks of their own."""
    found = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        current: list[str] = []
        for line in lines:
            if ITEM.match(line) and current:
                found.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            found.append(" ".join(current))
    return found


def units(lang: str, used: Used) -> list[tuple[str, str]]:
    """(section index or "front", unit text) for every block of the alert outside furniture, corrected."""
    cleaned: list[str] = []
    for block in blocks(alert_halves()[lang]):
        text = clean(ITEM.sub("", block))
        furniture = [p for p in FURNITURE[lang] if re.fullmatch(p, text)]
        if furniture:
            used.furniture |= {(lang, p) for p in furniture}
            continue
        if text in JOINS[lang] and cleaned:
            cleaned[-1] = f"{cleaned[-1]} {text}"
            used.joins.add((lang, text))
            continue
        for icon, heading in ICONS[lang]:
            if text == icon:
                text = heading
                used.icons.add((lang, icon))
        cleaned.append(text)
    corrected = []
    for text in cleaned:
        for correction in CORRECTIONS[lang]:
            if correction.published in text and correction.corrected not in text:
                text = text.replace(correction.published, correction.corrected)
                used.corrections.add((lang, correction.label))
        corrected.append(text)
    starts = [max(i for i, t in enumerate(corrected) if t == heading) for heading in SECTIONS[lang]]
    assert starts == sorted(starts), f"{lang}: the alert's sections are not in the expected order"
    sectioned = []
    for i, text in enumerate(corrected):
        section = max((n for n, start in enumerate(starts) if start <= i), default=None)
        sectioned.append(("front" if section is None else PAGES[section], text))
    return sectioned


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s]


def normalise_markdown(source: str) -> str:
    text = TAG.sub("", MD_LINK.sub(r"\1", source))
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    text = text.replace("\\", "").replace("*", "")
    return " ".join(text.split())


def alert_cells(lang: str) -> dict[str, list[dict]]:
    """The cells marked fmse.source = alert, by page, for every page in `lang`."""
    from fmse_widgets.paths import notebooks_dir

    found: dict[str, list[dict]] = {}
    for page in pages():
        if page.lang != lang:
            continue
        nb = json.loads((notebooks_dir() / page.path).read_text(encoding="utf-8"))
        found[page.page] = [c for c in nb["cells"] if c["cell_type"] == "markdown"
                            and c.get("metadata", {}).get("fmse", {}).get("source") == "alert"]
    return found


def page_text(cells: dict[str, list[dict]], names: set[str]) -> str:
    return " ".join(normalise_markdown("".join(c["source"])) for name in names for c in cells.get(name, []))


@pytest.fixture(scope="module")
def used() -> Used:
    return Used(set(), set(), set(), set())


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_sentence_of_the_alert_is_in_its_module(lang, used):
    cells = alert_cells(lang)
    missing, count = [], 0
    for section, text in units(lang, used):
        names = FRONT_PAGES if section == "front" else {section}
        shown = page_text(cells, names)
        for sentence in sentences(text):
            count += 1
            if sentence not in shown:
                missing.append(f"[{section}] {sentence}")
    assert missing == [], f"{len(missing)} sentence(s) of the {lang} alert are not in an alert cell of their module"
    assert count == EXPECTED_SENTENCES[lang], "the alert's text changed: check the modules, then update the count"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_alert_cells_list_exactly_the_corrections_they_make(lang):
    known = {c.label: c for c in CORRECTIONS[lang]}
    listed: list[str] = []
    for page, cells in alert_cells(lang).items():
        for cell in cells:
            labels = cell["metadata"]["fmse"].get("corrections", [])
            unknown = [label for label in labels if label not in known]
            assert unknown == [], f"{lang}/{page} cell {cell['id']}: corrections not listed in source/README.md"
            text = normalise_markdown("".join(cell["source"]))
            for label in labels:
                assert known[label].corrected in text, f"{page} cell {cell['id']}: {label!r} is not applied"
            listed += labels
            slips = [c.label for c in CORRECTIONS[lang] if c.label not in labels and c.published in text
                     and c.corrected not in text]
            assert slips == [], f"{page} cell {cell['id']}: uncorrected slip(s) {slips}"
    assert sorted(listed) == sorted(known), "each correction is made, and listed, exactly once"


def test_every_exemption_is_still_needed(used):
    for lang in ("en", "cy"):
        units(lang, used)
    unused = ([f"furniture {lang}: {p}" for lang, ps in FURNITURE.items() for p in ps
               if (lang, p) not in used.furniture]
              + [f"join {lang}: {j}" for lang, js in JOINS.items() for j in js if (lang, j) not in used.joins]
              + [f"icon {lang}: {i}" for lang, items in ICONS.items() for i, _ in items
                 if (lang, i) not in used.icons]
              + [f"correction {lang}: {c.label}" for lang, cs in CORRECTIONS.items() for c in cs
                 if (lang, c.label) not in used.corrections])
    assert unused == [], "remove exemptions that no longer match the alert's text"


def test_the_matcher_would_catch_a_missing_or_changed_sentence():
    shown = normalise_markdown("## Heading\n\n- First **bold** [link](#) sentence. Second <span>one</span>.\\*")
    assert shown == "Heading - First bold link sentence. Second one."
    assert "First bold link sentence." in shown and "Third one." not in shown
    assert sentences("One. Two? Three") == ["One.", "Two?", "Three"]


def test_the_repository_copy_of_the_alert_matches_the_shared_folder():
    """The copy in data/source/ is what a fresh clone tests against: it must be the team's text, unchanged."""
    from shared_source import SOURCE_NAME, repository_copy, shared_dir

    copy = repository_copy().read_text(encoding="utf-8")
    assert "Financially motivated sexual extortion" in copy and "Blacmel rhywiol ag ysgogiad ariannol" in copy
    shared = shared_dir() / SOURCE_NAME
    if shared.is_file():
        assert copy == shared.read_text(encoding="utf-8"), "copy ../shared/source/ into data/source/ again"
