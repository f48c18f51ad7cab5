"""The course server over plain HTTP: front door, routes, template lock, language, nothing external."""
from __future__ import annotations

import re

import pytest

from servers import fetch

pytestmark = [pytest.mark.slow, pytest.mark.upstream]  # a real server; upstream internals (docs/decisions.md)

EXTERNAL_ASSET = re.compile(
    r"""<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1)""", re.I)
PAGES = {"index.ipynb": "cy", "en/01-context.ipynb": "en", "cy/01-cyd-destun.ipynb": "cy"}


def test_root_redirects_to_the_landing_page(course_server):
    status, headers, _ = fetch(course_server.base + "/", follow=False)
    assert status == 302
    assert headers["Location"].endswith("/voila/render/index.ipynb")


@pytest.mark.parametrize("path", ["/voila/tree", "/voila/tree/en", "/voila/render/"])
def test_file_tree_is_not_shown(course_server, path):
    status, headers, _ = fetch(course_server.base + path, follow=False)
    assert status == 302 and headers["Location"].endswith("/voila/render/index.ipynb")


def test_contents_api_is_off(course_server):
    status, _, body = fetch(course_server.base + "/voila/api/contents")
    assert status == 404
    assert "01-context" not in body


@pytest.mark.parametrize(("path", "lang"), PAGES.items())
def test_every_page_renders_in_its_language_with_nothing_external(course_server, path, lang):
    status, _, body = fetch(f"{course_server.base}/voila/render/{path}")
    assert status == 200
    assert re.search(rf'<html[^>]*\blang="{lang}"', body)
    assert re.search(r"<link[^>]+href=\"/voila/templates/fmse/static/course\.css\?v=[0-9a-f]+\"", body)
    assert EXTERNAL_ASSET.findall(body) == []
    assert "Traceback" not in body and "ExecutionError" not in body


def test_template_cannot_be_swapped_from_the_url(course_server):
    _, _, stock = fetch(f"{course_server.base}/voila/render/en/01-context.ipynb?template=lab&theme=dark")
    assert "course.css" in stock
    assert 'data-jp-theme-name="JupyterLab Dark"' not in stock and "theme-dark" not in stock


def test_missing_page_is_a_bilingual_404_without_a_traceback(course_server):
    status, _, body = fetch(f"{course_server.base}/voila/render/en/99-nothing.ipynb")
    assert status == 404
    assert 'lang="cy"' in body and 'lang="en"' in body
    assert body.index('lang="cy"') < body.index('lang="en"'), "Welsh comes first"
    assert "Traceback" not in body and "File \"" not in body
    assert EXTERNAL_ASSET.findall(body) == []
