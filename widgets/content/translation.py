"""Welsh translation state across the course: what is still draft, what is stale, and stamping new text.

A Welsh string records a hash of the English it was written from (`cy_en_hash` in YAML, `en_hash` in a
Welsh notebook cell's metadata). When the English changes the hashes differ and the Welsh is reported stale.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import yaml_text
from ..paths import data_dir, notebooks_dir
from .text import english_hash


@dataclass(frozen=True)
class Entry:
    where: str        # file and location, e.g. "data/exercises/x.yaml: prompt" or "notebooks/cy/01.ipynb: cell intro"
    status: str       # official, reviewed or draft
    stale: bool
    english: str


def yaml_files(root: Path | None = None) -> list[Path]:
    root = root or data_dir()
    return sorted(p for p in root.rglob("*.yaml") if "cases" not in p.parts)


def _texts(node, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every {en, cy} mapping inside a loaded YAML document, with its path."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("cy"), str):
            yield path or "(top)", node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else i
            yield from _texts(value, f"{path}[{label}]")


def yaml_entries(root: Path | None = None) -> Iterator[Entry]:
    base = (root or data_dir()).parent
    for path in yaml_files(root):
        data = yaml_text.safe_load(path.read_text(encoding="utf-8"))
        for where, text in _texts(data):
            yield Entry(where=f"{path.relative_to(base)}: {where}", status=text.get("cy_status", "draft"),
                        stale=text.get("cy_en_hash") != english_hash(text["en"]), english=text["en"])


def _cells(path: Path) -> dict[str, dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {cell["id"]: cell for cell in nb["cells"] if "id" in cell}


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebook_entries(root: Path | None = None) -> Iterator[Entry]:
    """Welsh markdown cells written by the team (metadata fmse.cy_status), paired with their English twin by cell id."""
    root = root or notebooks_dir()
    for cy_path in sorted((root / "cy").glob("*.ipynb")):
        en_path = _twin(cy_path, root)
        en_cells = _cells(en_path) if en_path else {}
        for cell_id, cell in _cells(cy_path).items():
            meta = cell.get("metadata", {}).get("fmse", {})
            english = _source(en_cells[cell_id]) if cell_id in en_cells else ""
            where = f"{cy_path.relative_to(root.parent)}: cell {cell_id}"
            if meta.get("source") == "alert" and "cy_status" not in meta:
                # The alert's official Welsh, paired with the alert's English: fixed by the alert, never stale.
                yield Entry(where=where, status="official", stale=False, english=english)
                continue
            if "cy_status" not in meta:
                continue
            yield Entry(where=where, status=meta["cy_status"],
                        stale=not english or meta.get("en_hash") != english_hash(english), english=english)


def _twin(cy_path: Path, root: Path) -> Path | None:
    page = json.loads(cy_path.read_text(encoding="utf-8"))["metadata"].get("fmse", {}).get("page")
    for en_path in (root / "en").glob("*.ipynb"):
        if json.loads(en_path.read_text(encoding="utf-8"))["metadata"].get("fmse", {}).get("page") == page:
            return en_path
    return None


def catalogue_entries(po: Path | None = None) -> Iterator[Entry]:
    """Welsh interface strings; a translator comment says official, reviewed or draft (draft if none)."""
    from babel.messages.pofile import read_po

    from ..i18n import catalogue_path

    po = po or catalogue_path("cy")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        marks = {c.strip().split(":")[0] for c in message.user_comments}
        status = next((s for s in ("official", "reviewed", "draft") if s in marks), "draft")
        english = message.id if isinstance(message.id, str) else message.id[0]
        yield Entry(where=f"{po.name}: {english!r}", status=status, stale=False, english=english)


# Welsh documents beside their English (Markdown): status and English hash in a first-line comment.
DOCUMENTS = (("cases/README.cy.md", "cases/README.md"),)
DOC_MARK = re.compile(r"\A<!-- fmse: (?P<fields>[^>]*?) -->\n")


def document_meta(text: str) -> dict[str, str]:
    """The fields of a Welsh document's first-line comment, e.g. {"cy_status": "draft", "cy_en_hash": "..."}."""
    match = DOC_MARK.match(text)
    if not match:
        return {}
    pairs = (part.split("=", 1) for part in match.group("fields").split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs}


def document_body(text: str) -> str:
    """A Welsh document without its tracking comment."""
    return DOC_MARK.sub("", text, count=1)


def with_document_meta(text: str, meta: dict[str, str]) -> str:
    fields = "; ".join(f"{key}={value}" for key, value in meta.items())
    return f"<!-- fmse: {fields} -->\n" + document_body(text)


def document_entries(root: Path | None = None) -> Iterator[Entry]:
    root = root or data_dir()
    for cy_name, en_name in DOCUMENTS:
        cy_path, en_path = root / cy_name, root / en_name
        if not cy_path.is_file():
            continue
        meta = document_meta(cy_path.read_text(encoding="utf-8"))
        english = en_path.read_text(encoding="utf-8") if en_path.is_file() else ""
        yield Entry(where=f"{cy_path.relative_to(root.parent)}", status=meta.get("cy_status", "draft"),
                    stale=meta.get("cy_en_hash") != english_hash(english), english=english)


def stamp_documents(root: Path | None = None) -> int:
    """Add the tracking comment (draft, English hash) to a Welsh document that has none or no hash."""
    root = root or data_dir()
    added = 0
    for cy_name, en_name in DOCUMENTS:
        cy_path, en_path = root / cy_name, root / en_name
        if not cy_path.is_file() or not en_path.is_file():
            continue
        text = cy_path.read_text(encoding="utf-8")
        meta = document_meta(text)
        if "cy_en_hash" in meta:
            continue
        meta = {"cy_status": meta.get("cy_status", "draft"),
                "cy_en_hash": english_hash(en_path.read_text(encoding="utf-8")), **meta}
        cy_path.write_text(with_document_meta(text, meta), encoding="utf-8")
        added += 1
    return added


def all_entries(course_root: Path | None = None) -> list[Entry]:
    data = course_root / "data" if course_root else None
    notebooks = course_root / "notebooks" if course_root else None
    return [*yaml_entries(data), *document_entries(data), *notebook_entries(notebooks), *catalogue_entries()]


# --- stamping: record the English hash where it is missing (new text), keeping files' layout and comments ---

def _missing_hash_insertions(text: str) -> list[tuple[int, int, str]]:
    """(line, column, text) insertions that add cy_en_hash to every {en, cy} mapping lacking one."""
    insertions = []
    root = yaml.compose(text, Loader=yaml.SafeLoader)

    def visit(node):
        if isinstance(node, yaml.MappingNode):
            keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            if isinstance(keys.get("en"), yaml.ScalarNode) and isinstance(keys.get("cy"), yaml.ScalarNode):
                if "cy_en_hash" not in keys:
                    digest = english_hash(keys["en"].value)
                    if node.flow_style:
                        end = node.end_mark  # just after the closing brace
                        insertions.append((end.line, end.column - 1, f", cy_en_hash: '{digest}'"))
                    else:
                        last = node.value[-1][1].end_mark
                        line = last.line if last.column == 0 else last.line + 1
                        indent = node.value[0][0].start_mark.column
                        insertions.append((line, 0, " " * indent + f"cy_en_hash: '{digest}'\n"))
                return
            for _, value in node.value:
                visit(value)
        elif isinstance(node, yaml.SequenceNode):
            for value in node.value:
                visit(value)

    visit(root)
    return insertions


def stamp_yaml(path: Path) -> int:
    """Add missing cy_en_hash keys to one YAML file; returns how many were added."""
    text = path.read_text(encoding="utf-8")
    insertions = _missing_hash_insertions(text)
    if not insertions:
        return 0
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for line, column, piece in sorted(insertions, reverse=True):
        if line >= len(lines):
            lines.append(piece)
        else:
            lines[line] = lines[line][:column] + piece + lines[line][column:]
    new = "".join(lines)
    yaml_text.safe_load(new)  # never write a file that no longer parses
    path.write_text(new, encoding="utf-8")
    return len(insertions)


def stamp_notebooks(root: Path | None = None) -> int:
    """Add missing en_hash to team-written Welsh cells, from their English twin."""
    root = root or notebooks_dir()
    added = 0
    for cy_path in sorted((root / "cy").glob("*.ipynb")):
        en_path = _twin(cy_path, root)
        if en_path is None:
            continue
        en_cells = _cells(en_path)
        nb = json.loads(cy_path.read_text(encoding="utf-8"))
        changed = False
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("fmse", {})
            if "cy_status" in meta and "en_hash" not in meta and cell.get("id") in en_cells:
                meta["en_hash"] = english_hash(_source(en_cells[cell["id"]]))
                changed, added = True, added + 1
        if changed:
            cy_path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return added


def stamp(course_root: Path | None = None) -> int:
    data = course_root / "data" if course_root else None
    notebooks = course_root / "notebooks" if course_root else None
    return sum(stamp_yaml(p) for p in yaml_files(data)) + stamp_notebooks(notebooks) + stamp_documents(data)
