"""Links to services named in the alert's text (fmse_widgets.links): addresses come from data/services.yaml."""
from __future__ import annotations

import json
import re

import pytest

from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.services import services
from fmse_widgets.links import service_link, service_link_html, service_links_html

CALL = re.compile(r'service_links\(\[([^\]]*)\], LANG\)')


def test_a_link_takes_its_address_and_name_from_the_services_file():
    found = services()["keeping-learners-safe"]
    assert service_link_html("keeping-learners-safe", "en") == (
        f'<a href="{found.url("en")}" rel="noopener" target="_blank">Keeping learners safe</a>')
    assert f'href="{found.url("cy")}"' in service_link_html("keeping-learners-safe", "cy")
    assert ">Cadw dysgwyr yn ddiogel</a>" in service_link_html("keeping-learners-safe", "cy")
    assert service_link("childline", "en", text="Childline's website").data.endswith(">Childline&#x27;s website</a>")


def test_an_english_name_in_a_welsh_page_is_marked_as_english():
    assert 'lang="en">Childline</a>' in service_link_html("childline", "cy")
    assert 'lang="en"' not in service_link_html("childline", "en")


def test_services_named_in_a_section_are_listed_with_how_to_reach_them():
    html = service_links_html(["stopncii", "police"], "cy")
    assert html.startswith('<nav class="fmse-links" aria-label="Gwasanaethau a enwir yn yr adran hon">')
    assert "https://stopncii.org" in html and 'href="tel:101"' in html


@pytest.mark.parametrize("call, problem", [
    (lambda: service_link_html("police", "en"), "has no web address"),
    (lambda: service_link_html("nowhere", "en"), "no service with id 'nowhere'"),
    (lambda: service_links_html([], "en"), "at least one service id"),
    (lambda: service_link_html("childline", "fr"), "'en' or 'cy'"),
])
def test_mistakes_are_named(call, problem):
    with pytest.raises((ValueError, ContentError), match=problem):
        call()


def test_every_service_the_notebooks_link_exists(root):
    known = set(services())
    used = set()
    for path in root.glob("notebooks/*/*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for match in CALL.findall("".join(cell["source"])):
                used |= {s.strip().strip('"') for s in match.split(",")}
    assert {"report-remove", "take-it-down", "keeping-learners-safe", "childline", "stopncii"} <= used
    assert used <= known
