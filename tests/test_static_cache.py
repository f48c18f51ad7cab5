"""The browser may keep Voilà's JavaScript between pages (widgets/static_cache.py, issue 22): Voilà's chunks under
an address naming Voilà's version, sent as immutable; the widget extensions' files whose names carry their
content's hash are immutable too; anything else is revalidated as Voilà has it. (Course pages now load the course's
own front end instead, tests/test_page_bundle.py; these routes stay for anything else that loads Voilà's files.)"""
from __future__ import annotations

import json
import re

import pytest
import voila

from fmse_widgets.static_cache import HASHED_NAME, STATIC_TAG
from servers import fetch

pytestmark = pytest.mark.slow  # a server

FOREVER = "public, max-age=31536000, immutable"
PAGE = "/voila/render/en/01-context.ipynb"


@pytest.fixture(scope="module")
def page_html(course_server) -> str:
    status, _, body = fetch(course_server.base + PAGE)
    assert status == 200
    return body


def page_config(html: str) -> dict:
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page has no jupyter-config-data"
    return json.loads(found.group(1))


def test_the_versioned_address_names_voilas_version():
    assert STATIC_TAG == f"v-{voila.__version__}"


@pytest.mark.parametrize("name", ["voila.js", "1601.voila.js"])
def test_voilas_files_at_the_versioned_address_are_immutable(course_server, name):
    status, headers, body = fetch(f"{course_server.base}/voila/static/{STATIC_TAG}/{name}")
    assert status == 200 and body
    assert headers.get("Cache-Control") == FOREVER
    plain = fetch(f"{course_server.base}/voila/static/{name}")  # the stock address: as Voilà serves it
    assert plain[0] == 200 and plain[2] == body and "immutable" not in plain[1].get("Cache-Control", "")


def test_another_versions_address_serves_nothing(course_server):
    status, headers, body = fetch(f"{course_server.base}/voila/static/v-0.0.1/voila.js")
    assert status in (403, 404) and "immutable" not in headers.get("Cache-Control", "")
    assert "Traceback" not in body


def test_hashed_extension_files_are_immutable_and_the_rest_revalidated(course_server, page_html):
    config = page_config(page_html)
    entries = [f"{config['fullLabextensionsUrl']}/{ext['name']}/{ext['load']}"
               for ext in config["federated_extensions"]]
    assert entries and all(HASHED_NAME.search(url) for url in entries), entries
    for url in entries:
        status, headers, _ = fetch(course_server.base + url)
        assert status == 200 and headers.get("Cache-Control") == FOREVER, (url, headers)
    name = config["federated_extensions"][0]["name"]
    status, headers, _ = fetch(f"{course_server.base}{config['fullLabextensionsUrl']}/{name}/package.json")
    assert status == 200 and headers.get("Cache-Control") == "no-cache"


def test_only_content_hashes_count_as_hashed():
    assert HASHED_NAME.search("/voila/labextensions/x/static/remoteEntry.5cbb9d2323598fbda535.js")
    assert HASHED_NAME.search("/voila/labextensions/x/static/568.1e2faa2ba0bbe59c4780.js")
    for name in ("style.js", "package.json", "1601.voila.js", "remoteEntry.js", "a.12345.js", "x.5cbb9d2323598fbda535.json"):
        assert not HASHED_NAME.search("/voila/labextensions/x/static/" + name), name
