"""A Welsh reviewer's round trip through a standard translation file (`fmse-course content export / import`).

`export` writes every Welsh string a learner can see as one gettext .po file that Poedit, Weblate or Virtaal open:
the content files' {en, cy} pairs, the interface catalogue, the Welsh notebooks' prose (one entry per paragraph
where the Welsh and English cells have as many paragraphs, else one per cell) and the cases data card. English is
the msgid, Welsh the msgstr; draft Welsh is `#, fuzzy`; msgctxt is where the string lives (unique, so the file
maps back); a comment names the page and exercise. The alert's official Welsh carries the `read-only` flag
(Weblate honours it) and a comment, and `import` refuses it if changed.

`import` takes the reviewed file back: changed Welsh replaces the old in its own file, strings no longer fuzzy
become `reviewed` with the reviewer and the date, and a report says what changed and what was refused.
Files are edited in place, keeping their layout; nothing is written when the file cannot be read.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml

from .. import yaml_text
from ..languages import LANGS
from ..paths import data_dir, notebooks_dir
from . import translation
from .text import english_hash

OFFICIAL_NOTE = ("OFFICIAL TEXT of the alert (National Crime Agency / Welsh Government, Hwb, 29 April 2024): "
                 "do not edit; changes are refused on import.")
READ_ONLY = "read-only"
PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")


class ReviewFileError(ValueError):
    """A reviewed file that cannot be taken back: the message says what to fix."""


@dataclass
class Unit:
    """One exportable Welsh string and how to put it back."""
    key: str                      # msgctxt: where it lives, unique in the course
    english: str | tuple[str, ...]
    welsh: str | tuple[str, ...]
    status: str                   # official, reviewed or draft
    kind: str                     # yaml, po, cell, document
    path: Path
    notes: list[str] = field(default_factory=list)
    locator: Any = None           # per kind: YAML path, (context, msgid), (cell id, paragraph), paragraph

    @property
    def official(self) -> bool:
        return self.status == "official"


# ---- collecting -------------------------------------------------------------------------------------------

def _exercise_pages(notebooks: Path) -> dict[str, list[str]]:
    """Exercise id -> the Welsh pages that show it (notebook name and title)."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted((notebooks / "cy").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        title = nb["metadata"].get("fmse", {}).get("title") or path.stem
        for cell in nb["cells"]:
            for exercise in re.findall(r"""show\(\s*["']([\w-]+)["']""", translation._source(cell)):
                found[exercise].append(f"cy/{path.name} ({title})")
    return found


def _yaml_units(root: Path, pages: dict[str, list[str]]) -> list[Unit]:
    units = []
    for path in translation.yaml_files(root):
        data = yaml_text.safe_load(path.read_text(encoding="utf-8"))
        rel = path.relative_to(root.parent).as_posix()
        exercise = data.get("id") if isinstance(data, dict) and "exercises" in path.parts else None
        for where, text in translation._texts(data):
            notes = []
            if exercise:
                shown = pages.get(exercise) or ["(no page)"]
                notes.append(f"exercise {exercise} on {', '.join(shown)}")
            units.append(Unit(key=f"{rel}: {where}", english=text["en"], welsh=text["cy"],
                              status=text.get("cy_status", "draft"), kind="yaml", path=path, notes=notes,
                              locator=where))
    return units


def _paragraphs(text: str) -> list[str]:
    return PARAGRAPH_BREAK.split(text)[::2]


def _split_units(key: str, english: str, welsh: str, status: str, kind: str, path: Path, notes: list[str],
                 ident) -> list[Unit]:
    """One unit per paragraph when both sides have as many; otherwise the whole text as one."""
    en_parts, cy_parts = _paragraphs(english), _paragraphs(welsh)
    if len(en_parts) == len(cy_parts) and len(cy_parts) > 1:
        return [Unit(key=f"{key} ¶{i + 1}", english=en, welsh=cy, status=status, kind=kind, path=path, notes=notes,
                     locator=(ident, i)) for i, (en, cy) in enumerate(zip(en_parts, cy_parts)) if en.strip()]
    if not english.strip():
        return []
    return [Unit(key=key, english=english, welsh=welsh, status=status, kind=kind, path=path, notes=notes,
                 locator=(ident, None))]


def _cell_units(notebooks: Path) -> list[Unit]:
    units = []
    for cy_path in sorted((notebooks / "cy").glob("*.ipynb")):
        en_path = translation._twin(cy_path, notebooks)
        en_cells = translation._cells(en_path) if en_path else {}
        nb = json.loads(cy_path.read_text(encoding="utf-8"))
        title = nb["metadata"].get("fmse", {}).get("title") or cy_path.stem
        rel = cy_path.relative_to(notebooks.parent).as_posix()
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("fmse", {})
            status = meta.get("cy_status") or ("official" if meta.get("source") == "alert" else None)
            if status is None or cell.get("id") not in en_cells:
                continue
            units += _split_units(f"{rel}: cell {cell['id']}", translation._source(en_cells[cell["id"]]),
                                  translation._source(cell), status, "cell", cy_path,
                                  [f"page cy/{cy_path.name} ({title})"], cell["id"])
    return units


def _document_units(root: Path) -> list[Unit]:
    units = []
    for cy_name, en_name in translation.DOCUMENTS:
        cy_path, en_path = root / cy_name, root / en_name
        if not (cy_path.is_file() and en_path.is_file()):
            continue
        text = cy_path.read_text(encoding="utf-8")
        status = translation.document_meta(text).get("cy_status", "draft")
        units += _split_units(cy_path.relative_to(root.parent).as_posix(), en_path.read_text(encoding="utf-8"),
                              translation.document_body(text), status, "document", cy_path,
                              [f"document {cy_name} (linked from the data pages)"], cy_name)
    return units


def _catalogue_units(po: Path) -> list[Unit]:
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    units = []
    for message in catalog:
        if not message.id:
            continue
        marks = {c.strip().split(":")[0] for c in message.user_comments}
        status = next((s for s in ("official", "reviewed", "draft") if s in marks), "draft")
        key = f"interface: {message.context}" if message.context else "interface"
        english = message.id if isinstance(message.id, str) else tuple(message.id)
        welsh = message.string if isinstance(message.string, str) else tuple(message.string or ())
        units.append(Unit(key=key, english=english, welsh=welsh, status=status, kind="po", path=po,
                          notes=[f"interface text ({message.context or 'no context'}) in {po.name}"],
                          locator=(message.context, message.id)))
    return units


def collect(course_root: Path | None = None, po: Path | None = None) -> list[Unit]:
    """Every Welsh string a learner can see, in a stable order."""
    from ..i18n import catalogue_path

    data = course_root / "data" if course_root else data_dir()
    notebooks = course_root / "notebooks" if course_root else notebooks_dir()
    pages = _exercise_pages(notebooks)
    return [*_yaml_units(data, pages), *_cell_units(notebooks), *_document_units(data),
            *_catalogue_units(po or catalogue_path("cy"))]


# ---- export -----------------------------------------------------------------------------------------------

def export(out: Path, course_root: Path | None = None, po: Path | None = None) -> int:
    """Write the reviewer's .po file; returns how many strings it holds."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    from ..i18n import catalogue_path

    source_po = po or catalogue_path("cy")
    catalog = Catalog(locale="cy", project="fmse-course", fuzzy=False, header_comment=(
        "# Welsh of the FMSE course for review: English source, Welsh target.\n"
        "# Fuzzy entries are draft Welsh: when you have checked one\n"
        "# (correcting it if needed), clear its fuzzy mark.\n"
        "# Entries flagged read-only are the alert's official Welsh:\n"
        "# leave them as they are. Take the file back with:\n"
        "# fmse-course content import FILE --reviewer NAME"))
    with source_po.open("rb") as handle:
        catalog.mime_headers = [(k, v) for k, v in read_po(handle).mime_headers if k == "Plural-Forms"] + [
            ("Content-Type", "text/plain; charset=utf-8")]
    units = collect(course_root, source_po)
    for unit in units:
        flags = {"fuzzy"} if unit.status == "draft" else set()
        notes = list(unit.notes)
        if unit.official:
            flags.add(READ_ONLY)
            notes.append(OFFICIAL_NOTE)
        if unit.status == "reviewed":
            notes.append("already reviewed")
        catalog.add(unit.english, unit.welsh, context=unit.key, flags=flags, auto_comments=notes)
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False)
    out.write_bytes(buffer.getvalue())
    return len(units)


# ---- import -----------------------------------------------------------------------------------------------

@dataclass
class Report:
    changed: list[str] = field(default_factory=list)
    reviewed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for title, group in (("Welsh changed", self.changed), ("Marked reviewed", self.reviewed),
                             ("Refused", self.refused), ("Not taken back", self.ignored)):
            out.append(f"{title}: {len(group)}")
            out += [f"  {item}" for item in group]
        return out


def read_review(path: Path):
    from babel.messages.pofile import PoFileError, read_po

    if not path.is_file():
        raise ReviewFileError(f"{path}: no such file. Give the .po file that `fmse-course content export` wrote.")
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except PoFileError as exc:
        raise ReviewFileError(f"{path} is not a readable .po file: {exc}. Open it in Poedit (or run "
                              f"`msgfmt -c -o /dev/null {path.name}`) to see where, then fix it.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReviewFileError(f"{path} is not a readable .po file ({exc}): save it as UTF-8 from your translation "
                              "tool.") from None


def _norm(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def import_review(path: Path, reviewer: str, course_root: Path | None = None, po: Path | None = None,
                  today: dt.date | None = None) -> Report:
    """Apply a reviewed file; returns what changed. Raises ReviewFileError before writing anything if unreadable."""
    if not reviewer.strip():
        raise ReviewFileError("--reviewer must name the reviewer (e.g. --reviewer 'Siân Jones').")
    catalog = read_review(path)
    every = collect(course_root, po)
    units = {(u.key, _norm(u.english)): u for u in every}       # gettext's identity: context and msgid
    by_place = {u.key: u for u in every if u.kind != "po"}       # content strings are unique by place alone
    report = Report()
    accepted: list[tuple[Unit, tuple[str, ...], bool]] = []  # unit, new Welsh, reviewed now
    still_fuzzy = {(u.path, u.locator[0]) for m in catalog if m.id and m.fuzzy
                   for u in [by_place.get(m.context or "")] if u and u.kind in ("cell", "document")}
    seen = False
    for message in catalog:
        if not message.id:
            continue
        seen = True
        unit = units.get((message.context or "", _norm(message.id)))
        if unit is None:
            if (message.context or "") in by_place:
                report.ignored.append(f"{message.context}: its English has changed since the export; export again")
            else:
                report.ignored.append(f"{message.context or ''} {_norm(message.id)[0]!r}: no such string in the "
                                      "course (ignored)")
            continue
        new = _norm(message.string)
        old = _norm(unit.welsh)
        if unit.official:
            if new != old:
                report.refused.append(f"{unit.key}: official alert text cannot be changed (kept as it was)")
            continue
        if not all(s.strip() for s in new):
            report.refused.append(f"{unit.key}: the Welsh is empty (kept as it was)")
            continue
        changed = new != old
        reviewed_now = not message.fuzzy and (unit.status != "reviewed" or changed)
        if unit.kind in ("cell", "document") and (unit.path, unit.locator[0]) in still_fuzzy:
            reviewed_now = False  # a cell or document is reviewed when all its paragraphs are
        if changed:
            report.changed.append(unit.key)
        if reviewed_now:
            report.reviewed.append(unit.key)
        if changed or reviewed_now:
            accepted.append((unit, new, reviewed_now))
    if not seen:
        raise ReviewFileError(f"{path} holds no strings: give the file `fmse-course content export` wrote.")
    _apply(accepted, reviewer.strip(), (today or dt.date.today()).isoformat())
    return report


# ---- writing back, file by file ---------------------------------------------------------------------------

def _apply(accepted, reviewer: str, date: str) -> None:
    by_file: dict[Path, list] = defaultdict(list)
    for unit, new, reviewed in accepted:
        by_file[unit.path].append((unit, new, reviewed))
    for path, items in by_file.items():
        kind = items[0][0].kind
        {"yaml": _apply_yaml, "po": _apply_po, "cell": _apply_cells, "document": _apply_document}[kind](
            path, items, reviewer, date)


def _yaml_scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _apply_yaml(path: Path, items, reviewer: str, date: str) -> None:
    text = path.read_text(encoding="utf-8")
    wanted = {unit.locator: (unit, new[0], reviewed) for unit, new, reviewed in items}
    edits: list[tuple[int, int, str]] = []

    def label(node, index):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == "id" and isinstance(v, yaml.ScalarNode):
                    return v.value
        return index

    def visit(node, where: str):
        if isinstance(node, yaml.MappingNode):
            keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            if all(isinstance(keys.get(lang, (None, None))[1], yaml.ScalarNode) for lang in LANGS):
                hit = wanted.get(where or "(top)")
                if hit:
                    _yaml_edits(text, node, keys, hit, reviewer, date, edits)
                return
            for k, v in node.value:
                visit(v, f"{where}.{k.value}" if where else str(k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                visit(v, f"{where}[{label(v, i)}]")

    visit(yaml.compose(text, Loader=yaml.SafeLoader), "")
    for start, end, piece in sorted(edits, reverse=True):
        text = text[:start] + piece + text[end:]
    yaml_text.safe_load(text)  # never write a file that no longer parses
    path.write_text(text, encoding="utf-8")


def _yaml_edits(text, node, keys, hit, reviewer, date, edits) -> None:
    unit, welsh, reviewed = hit

    def replace(value_node, piece):
        start, end = value_node.start_mark.index, value_node.end_mark.index
        if end > start and text[end - 1] == "\n":  # block scalars end after their line break
            piece += "\n"
        edits.append((start, end, piece))

    if welsh != unit.welsh:
        replace(keys["cy"][1], _yaml_scalar(welsh))
    if not reviewed:
        return
    fields = {"cy_status": "reviewed", "cy_reviewer": _yaml_scalar(reviewer), "cy_reviewed": f"'{date}'",
              "cy_en_hash": f"'{english_hash(unit.english)}'"}
    missing = []
    for name, value in fields.items():
        if name in keys:
            replace(keys[name][1], value)
        else:
            missing.append((name, value))
    if not missing:
        return
    if node.flow_style:
        end = node.end_mark.index - 1  # before the closing brace
        edits.append((end, end, "".join(f", {n}: {v}" for n, v in missing)))
    else:
        last = node.value[-1][1].end_mark
        line_start = last.index if last.column == 0 else text.find("\n", last.index) + 1 or len(text)
        indent = " " * node.value[0][0].start_mark.column
        prefix = "" if text.endswith("\n") or line_start < len(text) else "\n"
        edits.append((line_start, line_start, prefix + "".join(f"{indent}{n}: {v}\n" for n, v in missing)))


def _po_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def _apply_po(path: Path, items, reviewer: str, date: str) -> None:
    """Edit the catalogue's entries in place (the rest of the file keeps its layout)."""
    from babel.messages.pofile import read_po

    wanted = {unit.locator: (new, reviewed) for unit, new, reviewed in items}
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        if "msgid" not in block:
            continue
        parsed = [m for m in read_po(BytesIO(block.encode("utf-8"))) if m.id]
        if not parsed or (parsed[0].context, parsed[0].id) not in wanted:
            continue
        new, reviewed = wanted[(parsed[0].context, parsed[0].id)]
        lines = block.split("\n")
        comments = [ln for ln in lines if ln.startswith("#")]
        if reviewed:
            comments = [ln for ln in comments if not re.match(r"#\s*(draft|reviewed)\b", ln)]
            comments.insert(0, f"# reviewed: {reviewer}, {date}")
        keep, in_str = [], False
        for ln in lines:
            if ln.startswith("#"):
                continue
            if ln.startswith("msgstr"):
                in_str = True
                continue
            if in_str and ln.startswith('"'):
                continue
            in_str = False
            keep.append(ln)
        if len(new) == 1 and not isinstance(parsed[0].id, tuple):
            strings = [f"msgstr {_po_quote(new[0])}"]
        else:
            strings = [f"msgstr[{n}] {_po_quote(s)}" for n, s in enumerate(new)]
        blocks[i] = "\n".join(comments + keep + strings)
    text = "\n\n".join(blocks)
    read_po(BytesIO(text.encode("utf-8")), abort_invalid=True)  # still a valid catalogue
    path.write_text(text, encoding="utf-8")


def _replace_paragraph(text: str, index: int | None, new: str) -> str:
    if index is None:
        return new
    parts = PARAGRAPH_BREAK.split(text)
    parts[index * 2] = new
    return "".join(parts)


def _apply_cells(path: Path, items, reviewer: str, date: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = {c.get("id"): c for c in nb["cells"]}
    notebooks = path.parent.parent
    twin = translation._twin(path, notebooks)
    en_cells = translation._cells(twin) if twin else {}
    for unit, new, reviewed in items:
        cell_id, index = unit.locator
        cell = cells[cell_id]
        source = _replace_paragraph(translation._source(cell), index, new[0])
        cell["source"] = source.splitlines(keepends=True)
        if reviewed:
            meta = cell.setdefault("metadata", {}).setdefault("fmse", {})
            meta.update(cy_status="reviewed", cy_reviewer=reviewer, cy_reviewed=date,
                        en_hash=english_hash(translation._source(en_cells[cell_id])))
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _apply_document(path: Path, items, reviewer: str, date: str) -> None:
    text = path.read_text(encoding="utf-8")
    meta, body = translation.document_meta(text), translation.document_body(text)
    for unit, new, reviewed in items:
        body = _replace_paragraph(body, unit.locator[1], new[0])
        if reviewed:
            en_name = dict(translation.DOCUMENTS)[unit.locator[0]]
            english = (path.parent.parent / en_name).read_text(encoding="utf-8")
            meta.update(cy_status="reviewed", cy_reviewer=reviewer, cy_reviewed=date,
                        cy_en_hash=english_hash(english))
    path.write_text(translation.with_document_meta(body, meta), encoding="utf-8")


# ---- the command ------------------------------------------------------------------------------------------

def command(args) -> int:
    """`fmse-course content export --lang cy --out FILE` / `content import FILE --reviewer NAME`."""
    import sys

    if args.action == "export":
        if not args.out:
            print("Problem: give the file to write with --out, e.g. --out welsh-review.po", file=sys.stderr)
            return 2
        out = Path(args.out)
        if not out.parent.is_dir():
            print(f"Problem: the folder {out.parent} does not exist: create it or choose another --out.",
                  file=sys.stderr)
            return 2
        n = export(out)
        print(f"Wrote {n} Welsh strings to {out} (draft ones are marked fuzzy; the alert's official text is "
              "read-only).")
        return 0
    if not args.file or not args.reviewer:
        print("Problem: give the reviewed file and the reviewer: fmse-course content import FILE --reviewer NAME",
              file=sys.stderr)
        return 2
    try:
        report = import_review(Path(args.file), args.reviewer)
    except ReviewFileError as exc:
        print(f"Problem: {exc} Nothing was changed.", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    return 1 if report.refused else 0
