"""Progress: which exercises each page has (read from the notebooks), and "3 of 5 exercises done" per module.

The exercises of a page are the `show("exercise-id", ...)` calls in its notebooks, so adding an exercise to a
module updates its progress without another list to keep in step.
"""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable, Iterable

from ..course import PageError, PageInfo, pages
from ..i18n import translator
from ..paths import notebooks_dir

_cache: dict[str, tuple[tuple, dict[str, tuple[str, ...]]]] = {}


class PageListError(RuntimeError):
    """The notebooks cannot be read to list their exercises; the message names the notebook."""


def exercises_in(path: Path) -> list[str]:
    """Exercise ids shown in a notebook, in order: the first argument of each `show("...")` call."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise PageListError(f"{path}: not a readable notebook ({exc})") from None
    found: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise PageListError(f"{path}: a code cell is not valid Python ({exc.msg}, line {exc.lineno})") from None
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "show"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append(node.args[0].value)
    return sorted(set(found), key=found.index)


def page_exercises(root: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Every page id with the exercise ids its notebooks show (English twin's order, then any the Welsh adds)."""
    root = (root or notebooks_dir()).resolve()
    try:
        listed = pages(root)
    except PageError as exc:
        raise PageListError(str(exc)) from None
    signature = tuple((p.path, (root / p.path).stat().st_mtime_ns) for p in listed)
    cached = _cache.get(str(root))
    if cached and cached[0] == signature:
        return cached[1]
    result: dict[str, list[str]] = {}
    for page in sorted(listed, key=lambda p: (p.lang != "en", p.path)):
        ids = result.setdefault(page.page, [])
        ids.extend(i for i in exercises_in(root / page.path) if i not in ids)
    frozen = {page: tuple(ids) for page, ids in result.items()}
    _cache[str(root)] = (signature, frozen)
    return frozen


@dataclass(frozen=True, slots=True)
class Progress:
    page: str
    title: str
    path: str          # the notebook, relative to notebooks/ (for links)
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def progress_text(lang: str, done: int, total: int) -> str:
    """'3 of 5 exercises done', in `lang` with the plural form for `total`."""
    tr = translator(lang)
    # TRANSLATORS: the plural form follows {total}; Welsh keeps a noun singular after a numeral.
    return tr.ngettext("{done} of {total} exercise done", "{done} of {total} exercises done",
                       total).format(done=done, total=total)


def course_text(lang: str, done: int, total: int) -> str:
    """'2 of 8 modules complete', in `lang` with the plural form for `total`."""
    tr = translator(lang)
    # TRANSLATORS: the plural form follows {total}; Welsh keeps a noun singular after a numeral.
    return tr.ngettext("{done} of {total} module complete", "{done} of {total} modules complete",
                       total).format(done=done, total=total)


def module_progress(lang: str, done_ids: Iterable[str], root: Path | None = None) -> list[Progress]:
    """Progress through each module page in `lang`, given the exercise ids the learner has completed."""
    done_set = set(done_ids)
    exercises = page_exercises(root)
    result = []
    for info in _modules(lang, root):
        ids = exercises.get(info.page, ())
        result.append(Progress(info.page, info.title, info.path, sum(1 for i in ids if i in done_set), len(ids)))
    return result


def _modules(lang: str, root: Path | None) -> list[PageInfo]:
    try:
        return [p for p in pages(root) if p.lang == lang and p.kind == "module"]
    except PageError as exc:
        raise PageListError(str(exc)) from None


def page_progress_html(lang: str, page: str, done_ids: Iterable[str], root: Path | None = None) -> str:
    """One page's progress as HTML: a <progress> bar and its words (empty for a page with no exercises)."""
    ids = page_exercises(root).get(page, ())
    if not ids:
        return ""
    done = sum(1 for i in ids if i in set(done_ids))
    text = escape(progress_text(lang, done, len(ids)))
    return (f'<p class="fmse-progress"><progress max="{len(ids)}" value="{done}" aria-hidden="true"></progress> '
            f'<span>{text}</span></p>')


def course_progress_html(lang: str, done_ids: Iterable[str], *, link: Callable[[str], str] = lambda p: p,
                         root: Path | None = None) -> str:
    """The whole course for the landing page: modules complete, then each module with its progress.

    `link` turns a notebook path into the href to use (e.g. to carry the learner id from page to page).
    """
    found = module_progress(lang, done_ids, root)
    with_exercises = [p for p in found if p.total]
    complete = sum(1 for p in with_exercises if p.complete)
    items = "".join(
        f'<li><a href="{escape(link(p.path))}">{escape(p.title)}</a>: '
        f'<span class="fmse-progress-text">{escape(progress_text(lang, p.done, p.total))}</span>'
        f'{" ✓" if p.complete else ""}</li>' for p in with_exercises)
    summary = escape(course_text(lang, complete, len(with_exercises)))
    return (f'<div class="fmse-course-progress" lang="{lang}"><p><strong>{summary}</strong></p>'
            f'<ul>{items}</ul></div>')
