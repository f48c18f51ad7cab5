"""The course's pages, read from the notebooks' metadata (`fmse = {page, lang, kind, title}`)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .languages import LANGS
from .paths import notebooks_dir

KINDS = ("module", "dashboard", "reference", "workshop", "gallery", "landing")


@dataclass(frozen=True, slots=True)
class PageInfo:
    path: str          # relative to notebooks/, with forward slashes, e.g. "cy/01-cyd-destun.ipynb"
    page: str          # shared by a page's Welsh and English twins
    lang: str
    kind: str
    title: str

    @property
    def url(self) -> str:
        return f"/voila/render/{self.path}"


class PageError(ValueError):
    """A notebook's fmse metadata is missing or wrong."""


def read_page(path: Path, root: Path) -> PageInfo:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("fmse")
    except (OSError, ValueError, KeyError) as exc:
        raise PageError(f"{path}: not a readable notebook ({exc})") from None
    rel = path.relative_to(root).as_posix()
    if not isinstance(meta, dict):
        raise PageError(f"{rel}: metadata has no 'fmse' mapping with page, lang, kind and title")
    for key in ("page", "lang", "kind", "title"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise PageError(f"{rel}: metadata fmse.{key} is missing")
    if meta["kind"] not in KINDS:
        raise PageError(f"{rel}: fmse.kind {meta['kind']!r} must be one of {', '.join(KINDS)}")
    if meta["lang"] not in LANGS:
        raise PageError(f"{rel}: fmse.lang {meta['lang']!r} must be 'en' or 'cy'")
    return PageInfo(path=rel, page=meta["page"], lang=meta["lang"], kind=meta["kind"], title=meta["title"])


_read: dict[str, tuple[tuple, tuple[PageInfo, ...]]] = {}   # folder: (its notebooks' stat signature, their pages)


def pages(root: Path | None = None) -> list[PageInfo]:
    """Every page of the course, sorted by path (module files sort by their number).

    The notebooks are read again only when one is added, removed or changed (its modification time or size):
    a page's kernel asks for the pages on every answer it saves (records.progress.completion_rule), and reading
    and decoding every notebook each time cost more than the save itself."""
    root = root or notebooks_dir()
    found = sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    try:
        signature = tuple((p.name, stat.st_mtime_ns, stat.st_size) for p in found for stat in (p.stat(),))
    except OSError:  # gone since it was listed: read_page says so
        signature = None
    cached = _read.get(str(root))
    if signature is not None and cached and cached[0] == (tuple(found), signature):
        return list(cached[1])
    listed = tuple(read_page(p, root) for p in found)
    if signature is not None:
        _read[str(root)] = ((tuple(found), signature), listed)
    return list(listed)


def modules(lang: str, root: Path | None = None) -> list[PageInfo]:
    return [p for p in pages(root) if p.lang == lang and p.kind == "module"]


def start_page(lang: str, root: Path | None = None) -> PageInfo:
    """Where a learner in `lang` starts: the first module."""
    found = modules(lang, root)
    if not found:
        raise PageError(f"there is no module in notebooks/{lang}/")
    return found[0]
