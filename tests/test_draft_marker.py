"""The "draft" marker on Welsh pages (issue 18 item 3): shown from the content's own status, never by hand."""
from __future__ import annotations

import json
import re

import yaml

from fmse_widgets import yaml_text
from fmse_widgets.draft_marker import marker_html, page_marker, page_statuses
from fmse_widgets.i18n import translator

ALL_DRAFT = "The course team wrote the Welsh on this page, and a Welsh speaker has not yet reviewed it."
SOME_DRAFT = ("Some of the Welsh on this page is draft: the course team wrote it, and a Welsh speaker has not yet "
              "reviewed it.")


def review_everything(course, notebook: str, exercises: tuple[str, ...], keep_one_draft: bool = False) -> None:
    """Mark the page's Welsh cells and its exercises' Welsh reviewed, as `content import` would."""
    path = course / "notebooks" / notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    tracked = [c for c in nb["cells"] if "cy_status" in c.get("metadata", {}).get("fmse", {})]
    for cell in tracked[1 if keep_one_draft else 0:]:
        cell["metadata"]["fmse"]["cy_status"] = "reviewed"
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")

    def reviewed(node):
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and isinstance(node.get("cy"), str):
                node["cy_status"] = "reviewed"
            for value in node.values():
                reviewed(value)
        elif isinstance(node, list):
            for value in node:
                reviewed(value)

    for exercise in exercises:
        file = course / "data" / "exercises" / f"{exercise}.yaml"
        data = yaml_text.safe_load(file.read_text(encoding="utf-8"))
        reviewed(data)
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_welsh_pages_with_draft_welsh_say_so_in_welsh_then_english():
    html = page_marker("context", "cy")
    cy = translator("cy")
    assert 'role="note"' in html and 'aria-label="Statws y Gymraeg ar y dudalen hon"' in html
    assert f'<strong class="fmse-draft-badge">{cy.pgettext("draft marker", "Draft")}</strong>' in html
    assert "Drafft" in html and cy.gettext(ALL_DRAFT).replace("'", "&#x27;") in html
    welsh, english = re.findall(r"<p( lang=\"en\")?>", html)
    assert (welsh, english) == ("", ' lang="en"')
    assert html.index("Drafft") < html.index('lang="en"') and ALL_DRAFT in html
    assert page_marker("context", "en") == ""  # English pages: nothing to mark


def test_the_marker_follows_the_content_status(course_copy):
    from fmse_widgets.records.progress import page_exercises

    exercises = page_exercises()["context"]
    assert exercises and set(page_statuses("cy/01-cyd-destun.ipynb", exercises)) == {"draft"}
    review_everything(course_copy, "cy/01-cyd-destun.ipynb", exercises, keep_one_draft=True)
    statuses = page_statuses("cy/01-cyd-destun.ipynb", exercises)
    assert statuses.count("draft") == 1 and "reviewed" in statuses
    assert SOME_DRAFT in page_marker("context", "cy") and ALL_DRAFT not in page_marker("context", "cy")
    review_everything(course_copy, "cy/01-cyd-destun.ipynb", exercises)
    assert page_marker("context", "cy") == ""


def test_every_welsh_course_page_is_marked_today():
    from fmse_widgets.course import pages

    welsh = [p for p in pages() if p.lang == "cy" and p.kind != "landing"]  # the landing page: no header
    assert welsh and all(page_marker(p.page, "cy") for p in welsh), [p.path for p in welsh
                                                                       if not page_marker(p.page, "cy")]
    assert marker_html(["official", "reviewed"], "cy") == ""
