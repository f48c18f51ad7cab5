"""The course works with no internet (issue 8, part 2): every page, in English and in Welsh, and the landing
page, in real Chromium with every host but 127.0.0.1 blocked. Each renders in its own language (`<html lang>`)
with its title and no failed cell. Nothing is requested from outside, no request fails, no response is an error,
the console stays clean, and the fonts, style sheets and scripts the page uses all come from the course server
itself.

Those checks (pagekit.OfflineWatch) run on the page load of test_every_page_accessibility.py, as the page is
when it has just rendered and before anything is answered, so that each page is opened once for its offline,
keyboard, axe and reflow checks (a page load starts a kernel: seconds each, over 30 pages)."""
from __future__ import annotations

import pytest

from fmse_widgets.course import pages

pytestmark = pytest.mark.browser

EVERY_PAGE = [p.path for p in pages()]


def test_every_page_is_listed():
    langs = {p.lang for p in pages()}
    assert langs == {"en", "cy"}
    assert "index.ipynb" in EVERY_PAGE
    assert len([p for p in pages() if p.lang == "en"]) >= 10 and len([p for p in pages() if p.lang == "cy"]) >= 10
