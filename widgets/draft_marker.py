"""The "draft" marker on Welsh pages: module 0 promises that Welsh written by the course team is marked draft
until a Welsh speaker reviews it.

Derived from the content's own status, never written by hand: the page's Welsh prose cells (notebook metadata
`fmse.cy_status`) and the exercises it shows (`cy_status` in their YAML; absent means draft, as in
`fmse-course content status`). A page with no draft Welsh shows no marker; English pages show none.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from . import yaml_text
from .i18n import translator
from .languages import WELSH_FIRST
from .paths import data_dir, notebooks_dir


def _statuses_in_yaml(node) -> list[str]:
    """The cy_status of every {en, cy} text in a loaded YAML document (draft when not given)."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("cy"), str):
            return [node.get("cy_status", "draft")]
        return [s for value in node.values() for s in _statuses_in_yaml(value)]
    if isinstance(node, list):
        return [s for value in node for s in _statuses_in_yaml(value)]
    return []


def page_statuses(notebook: str, exercise_ids: tuple[str, ...] = (), *, notebooks: Path | None = None,
                  data: Path | None = None) -> list[str]:
    """The status (draft, reviewed, official) of every tracked piece of Welsh the page shows."""
    cells = json.loads(((notebooks or notebooks_dir()) / notebook).read_text(encoding="utf-8"))["cells"]
    found = [c["metadata"]["fmse"]["cy_status"] for c in cells
             if isinstance(c.get("metadata", {}).get("fmse"), dict) and "cy_status" in c["metadata"]["fmse"]]
    for exercise in exercise_ids:
        path = (data or data_dir()) / "exercises" / f"{exercise}.yaml"
        if path.is_file():
            found += _statuses_in_yaml(yaml_text.safe_load(path.read_text(encoding="utf-8")))
    return found


def marker_html(statuses: list[str], lang: str) -> str:
    """The marker for a page in `lang` whose Welsh has these statuses ("" when none is draft, or in English).

    Welsh first; then the same words in English (lang="en") for a trainer or colleague who reads no Welsh."""
    draft = statuses.count("draft")
    if lang != "cy" or not draft:
        return ""
    parts = []
    for shown_in in WELSH_FIRST:
        tr = translator(shown_in)
        badge = tr.pgettext("draft marker", "Draft")
        if draft == len(statuses):
            text = tr.gettext("The course team wrote the Welsh on this page, and a Welsh speaker has not yet "
                              "reviewed it.")
        else:
            text = tr.gettext("Some of the Welsh on this page is draft: the course team wrote it, and a Welsh "
                              "speaker has not yet reviewed it.")
        own = ' lang="en"' if shown_in == "en" else ""
        parts.append(f'<p{own}><strong class="fmse-draft-badge">{escape(badge)}</strong> '
                     f'<span class="fmse-draft-text">{escape(text)}</span></p>')
    label = translator("cy").gettext("Status of the Welsh on this page")
    return f'<div class="fmse-draft-marker" role="note" aria-label="{escape(label)}">{"".join(parts)}</div>'


def page_marker(page: str, lang: str) -> str:
    """The marker for course page `page` in `lang` (see marker_html)."""
    if lang != "cy":
        return ""
    from .course import pages
    from .records.progress import page_exercises

    here = next((p for p in pages() if p.page == page and p.lang == lang), None)
    if here is None:
        return ""
    return marker_html(page_statuses(here.path, page_exercises().get(page, ())), lang)
