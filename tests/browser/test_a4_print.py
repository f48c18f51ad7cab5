"""What the course prints is on A4, as schools in Wales print: the response checklist's print page and the
parents' letter as HTML (every module page: printing.check_module_printout, in test_every_page_accessibility.py), printed by real Chromium with the page size their CSS asks for
(preferCSSPageSize), read back with pypdf. Without `@page { size: A4 }` Chromium prints on its default paper,
US Letter. (The .docx letter and the PDF certificate: tests/test_a4.py.)"""
from __future__ import annotations

import datetime as dt

import pytest

from fmse_widgets.dashboard.checklist import printable_document
from fmse_widgets.letter.compose import compose
from fmse_widgets.letter.export import to_html
from printing import A4_MM, page_sizes

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_printed_checklist_and_letter_are_a4(visit, lang):
    page = visit().page
    page.set_content(printable_document(lang))
    assert page_sizes(page) == {A4_MM}
    page.set_content(to_html(compose("both" if lang == "cy" else "en", dt.date(2026, 11, 28))))
    assert page_sizes(page) == {A4_MM}
