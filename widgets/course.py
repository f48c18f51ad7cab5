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


def pages(root: Path | None = None) -> list[PageInfo]:
    """Every page of the course, sorted by path (module files sort by their number)."""
    root = root or notebooks_dir()
    found = [p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    return [read_page(p, root) for p in sorted(found)]


def modules(lang: str, root: Path | None = None) -> list[PageInfo]:
    return [p for p in pages(root) if p.lang == lang and p.kind == "module"]


def start_page(lang: str, root: Path | None = None) -> PageInfo:
    """Where a learner in `lang` starts: the first module."""
    found = modules(lang, root)
    if not found:
        raise PageError(f"there is no module in notebooks/{lang}/")
    return found[0]
