"""The Staff training grid: one row per person, one cell per module, each cell a state (no widgets here).

Completion follows the course's one definition (records.progress, through report.training_rows). A completion
older than the refresher period (the setting file's refresher_months) is "due for refresher".
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from .progress import REQUIRED_MODULES
from .report import Row

NOT_STARTED, IN_PROGRESS, COMPLETED, DUE = "not-started", "in-progress", "completed", "due"
STATES = (NOT_STARTED, IN_PROGRESS, COMPLETED, DUE)


@dataclass(frozen=True, slots=True)
class Cell:
    state: str
    done: int
    total: int
    completed_on: date | None


@dataclass(frozen=True, slots=True)
class Person:
    learner_id: str
    name: str                        # "" for a learner who stayed anonymous
    workshop: str | None
    cells: dict[str, Cell]           # by module number ("00")
    course: Cell                     # the course: done/total count required modules completed
    certificate: str | None          # the latest certificate code, if one was issued
    rows: tuple[Row, ...]            # the report rows behind it (for the CSV)
    certificate_check: str | None = None  # its signature check (report.trust_text's statuses)

    @property
    def reference(self) -> str:
        """A short reference for an anonymous learner: not the id, nor any part of it."""
        return hashlib.sha256(b"fmse-learner-reference:" + self.learner_id.encode()).hexdigest()[:4].upper()


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):  # 31 January + 1 month is 28 (or 29) February
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def is_due(completed_on: date | None, refresher_months: int, today: date) -> bool:
    """Completed long enough ago to be due for a refresher (never when the period is 0)."""
    return bool(completed_on and refresher_months and add_months(completed_on, refresher_months) <= today)


def _cell(done: int, total: int, completed_on: date | None, refresher_months: int, today: date) -> Cell:
    if completed_on is not None:
        state = DUE if is_due(completed_on, refresher_months, today) else COMPLETED
    else:
        state = IN_PROGRESS if done else NOT_STARTED
    return Cell(state, done, total, completed_on)


def people(rows: list[Row], *, refresher_months: int, today: date) -> tuple[list[str], list[Person]]:
    """The modules (numbers, in order) and one Person per learner (and workshop), from the report's rows."""
    modules = sorted({r.module for r in rows})
    grouped: dict[tuple[str, str | None], list[Row]] = {}
    for row in rows:
        grouped.setdefault((row.learner_id, row.workshop), []).append(row)
    found = []
    for (learner_id, workshop), mine in grouped.items():
        cells = {}
        for r in mine:
            day = date.fromisoformat(r.completed_on) if r.completed_on else None
            cell = _cell(r.done, r.total, day, refresher_months, today)
            if cell.state == NOT_STARTED and r.first_activity is not None:  # e.g. a check tried, not passed yet
                cell = Cell(IN_PROGRESS, r.done, r.total, None)
            cells[r.module] = cell
        required = [cells[m] for m in modules if int(m) in REQUIRED_MODULES and m in cells]
        finished = [c.completed_on for c in required if c.completed_on]
        course_day = max(finished) if len(finished) == len(required) and required else None
        course = _cell(len(finished), len(required), course_day, refresher_months, today)
        if course.state == NOT_STARTED and any(c.state != NOT_STARTED for c in cells.values()):
            course = Cell(IN_PROGRESS, course.done, course.total, None)
        issued = next((r for r in mine if r.certificate), None)
        found.append(Person(learner_id, mine[0].name, workshop, cells, course,
                            issued.certificate if issued else None, tuple(mine),
                            issued.certificate_check if issued else None))
    return modules, found


SORTS = ("name", "progress", "oldest")


def sort_people(found: list[Person], how: str) -> list[Person]:
    """By name (anonymous learners last), by course progress (least first), or oldest course completion first."""
    def by_name(p: Person):
        return (not p.name, p.name.casefold(), p.reference, p.workshop or "")
    if how == "progress":
        return sorted(found, key=lambda p: (p.course.done, STATES.index(p.course.state), by_name(p)))
    if how == "oldest":
        return sorted(found, key=lambda p: (p.course.completed_on is None, p.course.completed_on or date.max,
                                            by_name(p)))
    return sorted(found, key=by_name)


def filter_people(found: list[Person], *, module: str | None = None, state: str | None = None) -> list[Person]:
    """The people whose cell in `module` (or whose course, with no module) is in `state`; None means any."""
    if state is None:
        return list(found)
    return [p for p in found if (p.cells.get(module) if module else p.course) is not None
            and (p.cells[module] if module else p.course).state == state]
