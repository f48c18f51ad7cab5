"""Every Welsh string the course shows, with the English it translates, for checks that read Welsh text.

The channels: the content YAML under data/ (every {en, cy} text), the Welsh notebooks' markdown cells (paired with
their English twin by cell id), the interface catalogue (widgets/locale/cy/LC_MESSAGES/fmse.po) and the case data's
Welsh README (data/cases/README.cy.md, paired with README.md). The termbase itself (data/termbase.yaml) is left
out: it is where the forms to avoid are written down.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from .. import yaml_text
from ..paths import data_dir, notebooks_dir
from .translation import _cells, _source, _texts, _twin, yaml_files

# (where, Welsh, English or None)
WelshText = tuple[str, str, "str | None"]


def yaml_texts(root: Path | None = None) -> Iterator[WelshText]:
    root = root or data_dir()
    for path in yaml_files(root):
        if path.name == "termbase.yaml":
            continue
        data = yaml_text.safe_load(path.read_text(encoding="utf-8"))
        for where, text in _texts(data):
            yield f"{path.relative_to(root.parent)}: {where}", text["cy"], text["en"]


def notebook_texts(root: Path | None = None) -> Iterator[WelshText]:
    root = root or notebooks_dir()
    for cy_path in sorted((root / "cy").glob("*.ipynb")):
        en_path = _twin(cy_path, root)
        en_cells = _cells(en_path) if en_path else {}
        nb = json.loads(cy_path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell.get("cell_type") != "markdown":
                continue
            cell_id = cell.get("id", str(i))
            english = _source(en_cells[cell_id]) if cell_id in en_cells else None
            yield f"{cy_path.relative_to(root.parent)}: cell {cell_id}", _source(cell), english


def catalogue_texts(po: Path | None = None) -> Iterator[WelshText]:
    from babel.messages.pofile import read_po

    from ..i18n import catalogue_path

    po = po or catalogue_path("cy")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        ids = tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
        for welsh in strings:
            if welsh:
                yield f"{po.name}: {ids[0]!r}", welsh, " ".join(ids)


def readme_texts(root: Path | None = None) -> Iterator[WelshText]:
    """The Welsh README paragraph by paragraph, each with the English README's paragraph at the same place when
    both have the same number of paragraphs (a check scoped by the English needs the English of that paragraph)."""
    cases = (root or data_dir()) / "cases"
    welsh, english = cases / "README.cy.md", cases / "README.md"
    if not welsh.exists():
        return
    cy_parts = re.split(r"\n\s*\n", welsh.read_text(encoding="utf-8"))
    en_parts = re.split(r"\n\s*\n", english.read_text(encoding="utf-8")) if english.exists() else []
    where = welsh.relative_to(cases.parent.parent)
    for i, part in enumerate(cy_parts):
        yield f"{where}: paragraph {i + 1}", part, en_parts[i] if len(en_parts) == len(cy_parts) else None


def course_welsh_texts(course_root: Path | None = None, po: Path | None = None) -> list[WelshText]:
    data = course_root / "data" if course_root else None
    notebooks = course_root / "notebooks" if course_root else None
    return [*yaml_texts(data), *notebook_texts(notebooks), *catalogue_texts(po), *readme_texts(data)]
