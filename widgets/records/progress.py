"""Progress and completion: which exercises each page has (read from the notebooks), what counts as a completed
module and a completed course, and "3 of 5 exercises done" per module.

The exercises of a page are the `show("exercise-id", ...)` calls in its notebooks, so adding an exercise to a
module updates its progress without another list to keep in step.

What counts as complete is defined here and only here (docs/completion.md says it in words); the progress bar,
the landing page, the certificate, the Staff training tab, the CSV report and `records verify` all read it:

- module 00 is completed when every exercise on its page is answered;
- modules 01-06 when every exercise on the page is answered and the module's knowledge check is passed;
- module 07 when the final check is passed (its pass mark, 80%, is in data/exercises/check-final.yaml);
- the course when modules 00-07 are completed; module 08 is optional and never required.

Call `completion_rule()` for the requirements, `module_states(rule, events)` for one learner's modules, and
`course_state(rule, events)` for the whole course (events: anything with exercise_id, passed and finished_at,
e.g. the store's StoredEvent or a page's ExerciseEvent).
"""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

from ..course import PageError, PageInfo, pages
from ..i18n import translator
from ..paths import exercises_dir, notebooks_dir

_cache: dict[str, tuple[tuple, dict[str, tuple[str, ...]]]] = {}

REQUIRED_MODULES = tuple(range(0, 8))   # modules 00-07 make the course
CHECKED_MODULES = tuple(range(1, 7))    # modules 01-06 also need their knowledge check passed
FINAL_MODULE = 7                        # module 07: the final check, and only it
KNOWLEDGE_CHECK = "knowledge-check"


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
    required: bool = True
    completed_on: date | None = None

    @property
    def complete(self) -> bool:
        return self.completed_on is not None


# ---- what counts as complete -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Requirement:
    """What completes one module: `answer` must each be answered, `passes` (knowledge checks) each passed."""

    number: int
    page: str
    answer: tuple[str, ...]
    passes: tuple[str, ...]
    required: bool          # part of the course (00-07); module 08 is optional

    @property
    def steps(self) -> int:
        return len(self.answer) + len(self.passes)


class Answer(Protocol):
    """What completion needs of a saved answer (read-only: StoredEvent is a frozen dataclass)."""
    @property
    def exercise_id(self) -> str: ...
    @property
    def passed(self) -> bool | None: ...
    @property
    def finished_at(self) -> str: ...


def module_number(path: str) -> int | None:
    """A module's number from its file name ("en/07-check-your-learning.ipynb" is 7)."""
    name = Path(path).name
    return int(name[:2]) if name[:2].isdigit() else None


def _knowledge_checks(ids: Iterable[str]) -> tuple[str, ...]:
    from ..content.errors import ContentError
    from ..content.loader import load

    found = []
    for exercise_id in ids:
        try:
            if load(exercise_id).type == KNOWLEDGE_CHECK:
                found.append(exercise_id)
        except ContentError:
            continue  # a missing or broken exercise file: `fmse-course content check` names it
    return tuple(found)


_rules: dict[tuple[str, str], tuple[tuple, dict[str, tuple[str, ...]], tuple[Requirement, ...]]] = {}


def completion_rule(root: Path | None = None) -> tuple[Requirement, ...]:
    """The requirements of every numbered module (English twin's pages), in order: the course's one definition.

    Worked out again only when the pages or their exercises change (StoreRecorder asks on every answer saved);
    which exercises are knowledge checks is read once per exercise folder, as content.loader reads them."""
    try:
        every = tuple(pages(root))
    except PageError as exc:
        raise PageListError(str(exc)) from None
    exercises = page_exercises(root)
    key = (str((root or notebooks_dir()).resolve()), str(exercises_dir().resolve()))
    cached = _rules.get(key)
    if cached and cached[0] == every and cached[1] == exercises:
        return cached[2]
    rule = _work_out_rule([p for p in every if p.lang == "en" and p.kind == "module"], exercises)
    _rules[key] = (every, exercises, rule)
    return rule


def _work_out_rule(listed: list[PageInfo], exercises: dict[str, tuple[str, ...]]) -> tuple[Requirement, ...]:
    rule = []
    for info in listed:
        number = module_number(info.path)
        if number is None:
            continue
        ids = exercises.get(info.page, ())
        checks = _knowledge_checks(ids) if number in CHECKED_MODULES or number == FINAL_MODULE else ()
        if number == FINAL_MODULE:
            answer: tuple[str, ...] = ()
        else:
            answer = tuple(i for i in ids if i not in checks)
        rule.append(Requirement(number, info.page, answer, checks, number in REQUIRED_MODULES))
    return tuple(rule)


@dataclass(frozen=True, slots=True)
class ModuleState:
    """One learner's standing in one module. `done` counts the steps met: an exercise answered, or a knowledge
    check passed (a check that was answered but not passed is not done yet)."""

    number: int
    page: str
    required: bool
    done: int
    total: int
    check_passed: bool | None   # every knowledge check of the module passed (None: it has none)
    check_failed: bool          # a knowledge check was answered but is not passed yet
    started: bool               # anything on the page answered
    completed_at: str | None    # when the last requirement was first met (ISO time), once all are

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def completed_on(self) -> date | None:
        return datetime.fromisoformat(self.completed_at).date() if self.completed_at else None


@dataclass(frozen=True, slots=True)
class CourseState:
    modules: tuple[ModuleState, ...]

    @property
    def required(self) -> tuple[ModuleState, ...]:
        return tuple(m for m in self.modules if m.required)

    @property
    def missing(self) -> tuple[str, ...]:
        """The page of each required module not completed yet."""
        return tuple(m.page for m in self.required if not m.completed)

    @property
    def completed(self) -> bool:
        return not self.missing

    @property
    def completed_at(self) -> str | None:
        return max(m.completed_at or "" for m in self.required) if self.completed else None

    @property
    def completed_on(self) -> date | None:
        return datetime.fromisoformat(self.completed_at).date() if self.completed_at else None

    def module(self, page: str) -> ModuleState | None:
        return next((m for m in self.modules if m.page == page), None)


def module_state(requirement: Requirement, events: Sequence[Answer]) -> ModuleState:
    """One module's state from a learner's events (any pages; only this module's exercises count)."""
    answered: dict[str, str] = {}
    passed: dict[str, str] = {}
    wanted = set(requirement.answer) | set(requirement.passes)
    for e in sorted((e for e in events if e.exercise_id in wanted), key=lambda e: e.finished_at):
        answered.setdefault(e.exercise_id, e.finished_at)
        if e.passed:
            passed.setdefault(e.exercise_id, e.finished_at)
    moments = [answered[i] for i in requirement.answer if i in answered]
    moments += [passed[i] for i in requirement.passes if i in passed]
    total = requirement.steps
    complete = total > 0 and len(moments) == total
    return ModuleState(requirement.number, requirement.page, requirement.required, len(moments), total,
                       all(i in passed for i in requirement.passes) if requirement.passes else None,
                       any(i in answered and i not in passed for i in requirement.passes), bool(answered),
                       max(moments) if complete else None)


def module_states(rule: Sequence[Requirement], events: Sequence[Answer]) -> tuple[ModuleState, ...]:
    return tuple(module_state(r, events) for r in rule)


def course_state(rule: Sequence[Requirement], events: Sequence[Answer]) -> CourseState:
    """The whole course for one learner: completed when modules 00-07 are (module 08 never counts)."""
    return CourseState(module_states(rule, events))


# ---- in words ---------------------------------------------------------------------------------------------

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


def module_progress(lang: str, events: Sequence[Answer], root: Path | None = None) -> list[Progress]:
    """Progress through each numbered module page in `lang`, given the learner's events."""
    states = {m.page: m for m in module_states(completion_rule(root), events)}
    result = []
    for info in _modules(lang, root):
        state = states.get(info.page)
        if state is None:
            continue
        result.append(Progress(info.page, info.title, info.path, state.done, state.total, state.required,
                               state.completed_on))
    return result


def resume_module(lang: str, events: Sequence[Answer], root: Path | None = None) -> PageInfo:
    """Where a returning learner carries on, in `lang`: the first required module not completed yet, in course
    order; once the course is complete, the first optional module not completed (module 08); once everything is,
    the first module (to revisit)."""
    modules = _modules(lang, root)
    states = {m.page: m for m in module_states(completion_rule(root), events)}
    for wanted in (True, False):
        for info in modules:
            state = states.get(info.page)
            if state is not None and state.required == wanted and state.total and not state.completed:
                return info
    return modules[0]


def _modules(lang: str, root: Path | None) -> list[PageInfo]:
    try:
        return [p for p in pages(root) if p.lang == lang and p.kind == "module"]
    except PageError as exc:
        raise PageListError(str(exc)) from None


def what_completes(lang: str, requirement: Requirement) -> str:
    """One module's rule in words, in `lang`."""
    tr = translator(lang)
    if requirement.number == FINAL_MODULE:
        return tr.gettext("This module is complete when you pass the final check (80% or more).")
    if not requirement.required:
        return tr.gettext("This module is optional: the course is complete without it.")
    if requirement.passes:
        return tr.gettext("This module is complete when you have answered every exercise on the page and passed "
                          "its knowledge check.")
    return tr.gettext("This module is complete when you have answered every exercise on the page.")


def completion_html(lang: str) -> str:
    """The whole definition in words ("What counts as complete"), as a disclosure for the landing page."""
    tr = translator(lang)
    items = [tr.gettext("Module 00: every exercise on its page answered."),
             tr.gettext("Modules 01 to 06: every exercise on the page answered, and the module's knowledge check "
                        "passed."),
             tr.gettext("Module 07: the final check passed (80% or more)."),
             tr.gettext("The course: modules 00 to 07 completed. Module 08 is optional and never needed."),
             tr.gettext("A knowledge check counts once you pass it; you can try it again as often as you like.")]
    summary = escape(tr.gettext("What counts as complete"))
    body = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f'<details class="fmse-completion-rule"><summary>{summary}</summary><ul>{body}</ul></details>'


def page_progress_html(lang: str, page: str, events: Sequence[Answer], root: Path | None = None) -> str:
    """One page's progress as HTML: a <progress> bar, its words, and what completes the module (empty for a
    page that is not a module with exercises)."""
    requirement = next((r for r in completion_rule(root) if r.page == page), None)
    if requirement is None or not requirement.steps:
        return ""
    state = module_state(requirement, events)
    text = escape(progress_text(lang, state.done, state.total))
    tr = translator(lang)
    notes = [what_completes(lang, requirement)]
    if state.check_failed:
        notes.append(tr.gettext("A knowledge check counts once you pass it: you can try it again."))
    if state.completed:
        notes.append(tr.gettext("You have completed this module."))
    said = " ".join(escape(n) for n in notes)
    return (f'<p class="fmse-progress"><progress max="{state.total}" value="{state.done}" aria-hidden="true">'
            f'</progress> <span>{text}</span>{" ✓" if state.completed else ""}</p>'
            f'<p class="fmse-progress-rule">{said}</p>')


def course_progress_html(lang: str, events: Sequence[Answer], *, link: Callable[[str], str] = lambda p: p,
                         root: Path | None = None) -> str:
    """The whole course for the landing page: modules complete (00-07), then each module with its progress, and
    what counts as complete.

    `link` turns a notebook path into the href to use (e.g. to carry the learner id from page to page).
    """
    found = [p for p in module_progress(lang, events, root) if p.total]
    required = [p for p in found if p.required]
    complete = sum(1 for p in required if p.complete)
    tr = translator(lang)
    optional = escape(tr.gettext("(optional)"))
    items = "".join(
        f'<li><a href="{escape(link(p.path))}">{escape(p.title)}</a>{"" if p.required else " " + optional}: '
        f'<span class="fmse-progress-text">{escape(progress_text(lang, p.done, p.total))}</span>'
        f'{" ✓" if p.complete else ""}</li>' for p in found)
    summary = escape(course_text(lang, complete, len(required)))
    return (f'<div class="fmse-course-progress" lang="{lang}"><p><strong>{summary}</strong></p>'
            f'<ul>{items}</ul>{completion_html(lang)}</div>')
