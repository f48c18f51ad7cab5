"""What the course prints is on A4, as schools in Wales print: a module page, the response checklist's print
page and the parents' letter as HTML, printed by real Chromium with the page size their CSS asks for
(preferCSSPageSize), read back with pypdf. Without `@page { size: A4 }` Chromium prints on its default paper,
US Letter. (The .docx letter and the PDF certificate: tests/test_a4.py.)"""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from fmse_widgets.dashboard.checklist import printable_document
from fmse_widgets.letter.compose import compose
from fmse_widgets.letter.export import to_html
from pagekit import open_page

pytestmark = pytest.mark.browser

A4_MM = (210, 297)  # Letter would be (216, 279)


def page_sizes(page) -> set[tuple[float, float]]:
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(reader.pages) >= 1
    return {(round(float(p.mediabox.width) * 25.4 / 72), round(float(p.mediabox.height) * 25.4 / 72))
            for p in reader.pages}  # in whole millimetres (Chromium rounds A4's 595.28 pt to 595)


@pytest.mark.parametrize("path", ["en/04-supporting-victims.ipynb", "cy/04-cefnogi-dioddefwyr.ipynb"])
def test_a_printed_module_is_a4(visit, course_server, path):
    v = open_page(visit, course_server, path)
    assert page_sizes(v.page) == {A4_MM}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_printed_checklist_and_letter_are_a4(visit, lang):
    page = visit().page
    page.set_content(printable_document(lang))
    assert page_sizes(page) == {A4_MM}
    page.set_content(to_html(compose("both" if lang == "cy" else "en", dt.date(2026, 11, 28))))
    assert page_sizes(page) == {A4_MM}
