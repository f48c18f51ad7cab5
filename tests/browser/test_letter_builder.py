"""Module 06's letter builder in real Chromium, used with the keyboard alone: the date and the language change the
preview (announced in a live region), the draft-Welsh note comes before the downloads, and the .docx and .html
downloads carry the right file names and content. Nothing is fetched from anywhere but 127.0.0.1."""
from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from fmse_widgets.i18n import translator
from fmse_widgets.letter.compose import CHOICES, format_date, part_langs
from fmse_widgets.letter.data import letter_text
from fmse_widgets.letter.day_field import parse_day, show_day
from fmse_widgets.setting import load_setting
from pagekit import RENDERED

pytestmark = pytest.mark.browser

PAGES = {"en": "en/06-parents-and-carers.ipynb", "cy": "cy/06-rhieni-a-gofalwyr.ipynb"}
BUILDER = ".fmse-letter-builder"
GREETING = {"en": "Dear parent or carer,", "cy": "Annwyl riant neu ofalwr,"}


def file_stem(choice: str, day: dt.date) -> str:
    names = letter_text().file_name
    return "-".join(names(lang) for lang in part_langs(choice)) + f"-{day.isoformat()}"


def focus(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const inBuilder = !!(el && el.closest('.fmse-letter-builder'));
        return {tag: el ? el.tagName : null, type: el ? (el.type || null) : null, inBuilder,
                value: el ? (el.value || null) : null, checked: el ? !!el.checked : false,
                classes: el && el.classList ? [...el.classList] : []};
    }""")


def tab_until(page, condition, limit: int = 150) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focus(page)
        if condition(state):
            return state
    raise AssertionError(f"Tab never reached the control; last focus: {focus(page)}")


def builder_text(page, selector: str) -> str:
    return page.locator(f"{BUILDER} {selector}").first.inner_text()


def wait_for_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel); return !!el && el.innerText.includes(text); }",
        arg=[f"{BUILDER} {selector}", text], timeout=20_000)


def download_names(page) -> list[str]:
    links = page.locator(f"{BUILDER} .fmse-letter-downloads a")
    return [links.nth(i).get_attribute("download") for i in range(links.count())]


def change_year_by_keyboard(page, before: str) -> dt.date:
    """Tab to the date field (day/month/year text), type the same day a year later, and Tab on."""
    state = tab_until(page, lambda s: s["inBuilder"] and s["type"] == "text" and s["value"] == before)
    start = parse_day(state["value"])
    day = start.replace(year=start.year + 1) if (start.month, start.day) != (2, 29) else dt.date(start.year + 1, 3, 1)
    page.keyboard.press("Control+A")
    page.keyboard.type(show_day(day))
    page.keyboard.press("Tab")  # the field is read when focus leaves it
    return day


def download_by_keyboard(page, css_class: str, tmp_path):
    tab_until(page, lambda s: css_class in s["classes"])
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_letter_builder_works_with_the_keyboard_alone(visit, course_server, lang, tmp_path):
    tr = translator(lang)
    v = visit()
    page = v.page
    page.goto(f"{course_server.base}/voila/render/{PAGES[lang]}", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)
    page.wait_for_function(f"() => document.querySelectorAll('{BUILDER} .fmse-letter-downloads a').length === 2",
                           timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == lang

    # The page's own language first, dated today (the kernel's date), shown day/month/year whatever the browser's
    # language (the browser here is English, US: its own date field would show month/day).
    field = page.locator(f'{BUILDER} .fmse-letter-date-field input[type="text"]')
    start = parse_day(field.input_value())
    assert field.input_value() == show_day(start)
    label = page.evaluate("(el) => el.labels[0].textContent", field.element_handle())
    assert label == tr.gettext("Date of the letter (day/month/year)")
    assert GREETING[lang] in builder_text(page, ".fmse-letter-preview")
    assert download_names(page) == [f"{file_stem(lang, start)}.docx", f"{file_stem(lang, start)}.html"]
    hrefs = page.locator(f"{BUILDER} .fmse-letter-downloads a")
    assert hrefs.nth(0).get_attribute("href").startswith(
        "data:application/vnd.openxmlformats-officedocument.wordprocessingml.document;base64,")
    assert hrefs.nth(1).get_attribute("href").startswith("data:text/html;charset=utf-8;base64,")
    live = page.locator(f"{BUILDER} .fmse-live")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"

    # The date, by keyboard: the preview and the live region follow.
    day = change_year_by_keyboard(page, show_day(start))
    wait_for_text(page, ".fmse-letter-preview .fmse-letter-date", format_date(day, lang))

    # The language, by keyboard: the next option in the radio group (en -> Welsh; cy -> both, Welsh first).
    state = tab_until(page, lambda s: s["inBuilder"] and s["type"] == "radio")
    assert state["checked"], "Tab lands on the chosen language"
    page.keyboard.press("ArrowDown")
    choice = CHOICES[CHOICES.index(lang) + 1]
    labels = {"en": tr.pgettext("letter language", "English"), "cy": tr.pgettext("letter language", "Welsh"),
              "both": tr.pgettext("letter language", "Welsh and English (Welsh first)")}
    announced = tr.gettext("Preview updated: {language}, {date}.").format(language=labels[choice],
                                                                          date=format_date(day, lang))
    wait_for_text(page, ".fmse-live", announced)
    preview = builder_text(page, ".fmse-letter-preview")
    for part in part_langs(choice):
        assert GREETING[part] in preview and format_date(day, part) in preview
    if choice == "both":
        assert preview.index(GREETING["cy"]) < preview.index(GREETING["en"])
    assert download_names(page) == [f"{file_stem(choice, day)}.docx", f"{file_stem(choice, day)}.html"]

    # Welsh that is still draft is said, in the page's language, before the downloads.
    note = page.locator(f"{BUILDER} .fmse-draft-note")
    assert note.is_visible()
    assert note.inner_text().startswith(tr.gettext(
        "The Welsh in this letter is a draft: a Welsh speaker has not yet reviewed it. "
        "Ask a Welsh speaker to check it before you send the letter.")[:30])
    assert page.evaluate(f"""() => {{
        const note = document.querySelector('{BUILDER} .fmse-draft-note');
        const links = document.querySelector('{BUILDER} .fmse-letter-downloads');
        return !!(note.compareDocumentPosition(links) & Node.DOCUMENT_POSITION_FOLLOWING);
    }}""")

    # Both downloads, by keyboard, made in the kernel: the Word file opens and says what the preview says.
    name, path = download_by_keyboard(page, "fmse-download-docx", tmp_path)
    assert name == f"{file_stem(choice, day)}.docx"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
    for part in part_langs(choice):
        assert load_setting(part).name in text and format_date(day, part) in text and GREETING[part] in text
    name, path = download_by_keyboard(page, "fmse-download-html", tmp_path)
    assert name == f"{file_stem(choice, day)}.html"
    html = path.read_text(encoding="utf-8")
    assert html.startswith(f'<!DOCTYPE html>\n<html lang="{part_langs(choice)[0]}">')

    assert v.outside == [], f"requests left 127.0.0.1: {v.outside}"
    assert all(u.startswith((course_server.base, "data:", "blob:")) for u in v.requests)
