"""Documents the course makes are on A4 with UK margins, as schools in Wales print: the parents' letter (.docx)
and the certificate (PDF), read back with python-docx and pypdf. (The printed pages, the letter's HTML and the
checklist's print page: tests/browser/test_a4_print.py.)"""
from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.shared import Mm
from pypdf import PdfReader

from fmse_widgets.letter.compose import compose
from fmse_widgets.letter.export import to_docx
from fmse_widgets.records import certificate as cert

A4_POINTS = (595.28, 841.89)  # 210 x 297 mm


@pytest.mark.parametrize("choice", ["en", "cy", "both"])
def test_the_parents_letter_is_an_a4_word_document_with_uk_margins(choice):
    document = docx.Document(io.BytesIO(to_docx(compose(choice, dt.date(2026, 11, 28)))))
    assert document.sections
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
        margins = [section.left_margin, section.right_margin, section.top_margin, section.bottom_margin]
        assert [round(m.cm, 2) for m in margins] == [2.54] * 4


def test_the_certificate_is_a4_landscape_on_every_page():
    contents = {"v": 1, "learner_id": "a" * 32, "name": "Siân", "completed_on": "2026-11-20",
                "pages": ["context", "check-your-learning"], "setting": "Ysgol Gŵyr"}
    reader = PdfReader(io.BytesIO(cert.render_pdf(contents, "A" * 20, ("cy", "en"))))
    assert len(reader.pages) == 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(height, 1), round(width, 1)) == tuple(round(x, 1) for x in A4_POINTS)

