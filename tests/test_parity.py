"""Welsh parity: every string has both languages, and the Welsh and English pages match one for one."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, make_dataclass
from pathlib import Path

import pytest

from fmse_widgets.content.course_text import course_text
from fmse_widgets.content.loader import load_all
from fmse_widgets.content.phrases import load_all_phrases
from fmse_widgets.content.services import services
from fmse_widgets.content.text import Text
from fmse_widgets.course import pages
from fmse_widgets.dashboard.checklist import load_checklist
from fmse_widgets.letter.data import letter_text

# Names that are the same in both languages (proper nouns and brand names).
SAME_IN_BOTH = {"Report Remove", "Take It Down", "StopNCII.org", "CEOP Safety Centre", "Childline", "Meic",
                "Revenge Porn Helpline", "UK Safer Internet Centre", "Internet Matters", "CEOP Education",
                "Education Support"}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def all_texts():
    for exercise in load_all().values():
        for field, text in exercise.texts():
            yield f"exercise {exercise.id}: {field}", text
    for service in services().values():
        for field, text in service.texts():
            yield f"service {service.id}: {field}", text
    for field, text in course_text().texts():
        yield f"course text: {field}", text


def copied_english(texts) -> list[str]:
    return [where for where, text in texts if text.cy.strip() == text.en.strip()
            and text.en.strip() not in SAME_IN_BOTH]


def mismatched_placeholders(texts) -> list[str]:
    return [where for where, text in texts
            if sorted(PLACEHOLDER.findall(text.en)) != sorted(PLACEHOLDER.findall(text.cy))]


def test_every_string_has_welsh_that_is_not_just_the_english():
    assert copied_english(all_texts()) == []


def test_placeholders_match_in_both_languages():
    assert mismatched_placeholders(all_texts()) == []


@dataclass(frozen=True, slots=True)
class Hint:
    text: Text


def content_objects():
    """One object of every content class whose `texts()` the checks read: each exercise type, and the rest."""
    gallery = {type(e).__name__: e for e in load_all().values() if e.id.startswith("gallery-")}
    others = [course_text(), next(iter(services().values())), next(iter(load_all_phrases().values())),
              letter_text(), load_checklist()]
    return [*gallery.values(), *others]


@pytest.mark.parametrize("content", content_objects(), ids=lambda c: type(c).__name__)
def test_a_text_field_added_to_a_content_class_is_checked_without_being_listed(content):
    """`texts()` is derived from the fields: a planted new field (and one nested in a tuple) reaches the checks."""
    cls = type(content)
    planted_cls = make_dataclass(f"Planted{cls.__name__}", [("hint", Text), ("hints", tuple[Hint, ...])],
                                 bases=(cls,), frozen=True, slots=True)
    hint = Text(en="Ring {dsp_name}", cy="Ffoniwch", cy_status="draft")     # placeholder lost in Welsh
    copied = Text(en="Just English", cy="Just English", cy_status="draft")  # Welsh that is the English
    planted = planted_cls(**{f.name: getattr(content, f.name) for f in fields(content)}, hint=hint,
                          hints=(Hint(copied),))
    assert planted.texts()[:len(content.texts())] == content.texts()
    assert mismatched_placeholders(planted.texts()) == ["hint"]
    assert copied_english(planted.texts()) == ["hints[0].text"]


def test_no_welsh_is_stale():
    stale = [where for where, text in all_texts() if text.stale]
    assert stale == [], "the English changed: update the Welsh, then run `fmse-course content stamp`"


def notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_of(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_every_page_has_a_twin_in_the_other_language(root):
    found = [p for p in pages() if p.kind != "landing"]
    by_page: dict[str, dict[str, str]] = {}
    for page in found:
        assert page.path.startswith(f"{page.lang}/"), f"{page.path}: fmse.lang is {page.lang}"
        assert page.page not in by_page.get(page.page, {}), f"two {page.lang} pages claim {page.page}"
        by_page.setdefault(page.page, {})[page.lang] = page.path
    lonely = {page: langs for page, langs in by_page.items() if set(langs) != {"en", "cy"}}
    assert lonely == {}
    assert len(by_page) >= 1


def test_twins_are_the_same_kind_and_module_number():
    twins: dict[str, list] = {}
    for page in pages():
        twins.setdefault(page.page, []).append(page)
    for group in twins.values():
        if len(group) == 2:
            a, b = group
            assert a.kind == b.kind
            number = [re.match(r"^(\d\d)-", Path(p.path).name) for p in group]
            assert [m.group(1) if m else None for m in number][0] == [m.group(1) if m else None for m in number][1]


def test_module_file_names(root):
    for page in pages():
        name = Path(page.path).name
        if page.kind == "module":
            assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*\.ipynb", name), name
        elif page.kind != "gallery":
            assert not re.match(r"\d", name), f"{name}: only modules (and the gallery) are numbered"


def test_first_code_cell_sets_lang_matching_metadata(root):
    for page in pages():
        nb = notebook(root / "notebooks" / page.path)
        first = code_of(nb)[0]
        assert re.search(rf'^LANG = "{page.lang}"$', first, re.M), f"{page.path}: first code cell must set LANG"


EXERCISE_CALL = re.compile(r'show\("([a-z0-9-]+)"')


def test_twins_show_the_same_exercises_in_the_same_order(root):
    twins: dict[str, dict[str, list[str]]] = {}
    for page in pages():
        nb = notebook(root / "notebooks" / page.path)
        ids = [m for cell in code_of(nb) for m in EXERCISE_CALL.findall(cell)]
        twins.setdefault(page.page, {})[page.lang] = ids
    for page, langs in twins.items():
        if len(langs) == 2:
            assert langs["en"] == langs["cy"], page
    known = set(load_all())
    used = {i for langs in twins.values() for ids in langs.values() for i in ids}
    assert used <= known, f"notebooks show unknown exercises: {used - known}"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_modules_open_and_close_with_signposts(root, lang):
    for page in pages():
        if page.kind == "module" and page.lang == lang:
            code = code_of(notebook(root / "notebooks" / page.path))
            assert code[1].strip() == "COURSE.header()", f"{page.path}: navigation and progress come first"
            assert code[2].strip() == "content_note(LANG)", f"{page.path}: then the content note"
            assert code[-1].strip() == "signposts(LANG)", f"{page.path}: signposts come last"
