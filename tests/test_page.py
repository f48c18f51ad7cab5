"""Page helpers: navigation between pages and languages."""
from __future__ import annotations

import pytest


def test_nav_links_home_twin_and_neighbours():
    from fmse_widgets.page import nav

    html = nav("context", "cy").data
    assert '<a href="../index.ipynb">Hafan y cwrs</a>' in html
    assert 'href="../en/01-context.ipynb" lang="en" hreflang="en">English</a>' in html
    assert 'aria-label="Tudalennau&#x27;r cwrs"' in html
    with pytest.raises(ValueError, match="no page 'nowhere' in en"):
        nav("nowhere", "en")
