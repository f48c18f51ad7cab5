"""Tab "Staff training" for the safeguarding lead's dashboard: one row per person, one column per module, each cell
a state in words and a symbol (not started / in progress n of m / completed with its date / due for refresher),
a summary line, filters (module, state), sorting, the refresher period, and a CSV download for the training log.

Learner ids appear only in the CSV, never on screen; a learner who stayed anonymous shows as "anonymous learner"
with a short reference. Workshop participants are left out unless the trainer ticks the box.
"""
from __future__ import annotations

import base64
import logging
from datetime import date
from html import escape
from typing import Callable

import ipywidgets as w

from ..i18n import translator
from ..views.guard import alert_box, guard
from .errors import RecordsError
from .grid import COMPLETED, DUE, IN_PROGRESS, NOT_STARTED, SORTS, Cell, Person, filter_people, people, sort_people
from .progress import REQUIRED_MODULES, PageListError
from .recorder import open_store
from .report import Row, rows_csv, training_rows, trust_text
from .store import RecordStore

log = logging.getLogger(__name__)
ALL = ""
SYMBOLS = {NOT_STARTED: "○", IN_PROGRESS: "◐", COMPLETED: "✓", DUE: "↻"}


def _day(day: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, "d MMM y", locale="cy" if lang == "cy" else "en_GB")


def state_names(lang: str) -> dict[str, str]:
    tr = translator(lang)
    return {NOT_STARTED: tr.gettext("Not started"), IN_PROGRESS: tr.gettext("In progress"),
            COMPLETED: tr.gettext("Completed"), DUE: tr.gettext("Due for refresher")}


def cell_parts(cell: Cell, lang: str, *, course: bool = False) -> tuple[str, str]:
    """A cell's state in words and its detail: ("In progress", "3 of 5"), ("Completed", "4 Mar 2026"), ..."""
    from .progress import course_text

    tr = translator(lang)
    state = state_names(lang)[cell.state]
    if cell.state == IN_PROGRESS:
        if course:
            return state, course_text(lang, cell.done, cell.total)
        # TRANSLATORS: a cell of the staff-training grid: {done} of {total} exercises of a module are done.
        return state, tr.gettext("{done} of {total}").format(done=cell.done, total=cell.total)
    if cell.state == COMPLETED and cell.completed_on is not None:
        return state, _day(cell.completed_on, lang)
    if cell.state == DUE and cell.completed_on is not None:
        return state, tr.gettext("completed {date}").format(date=_day(cell.completed_on, lang))
    return state, ""


def cell_text(cell: Cell, lang: str, *, course: bool = False) -> str:
    """A cell in words on one line: "In progress: 3 of 5", "Completed: 4 Mar 2026", "Not started"."""
    state, detail = cell_parts(cell, lang, course=course)
    return f"{state}: {detail}" if detail else state


def person_label(person: Person, lang: str) -> str:
    if person.name:
        return person.name
    return translator(lang).gettext("anonymous learner {reference}").format(reference=person.reference)


def certificate_text(person: Person, lang: str) -> str:
    """The certificate column: issued or not, and whether its signature was checked under a trusted key."""
    if not person.certificate:
        return "–"
    tr = translator(lang)
    issued = tr.gettext("Issued")
    check = trust_text(person.certificate_check, lang)
    return f"{issued}: {check}" if check else issued


def summary_text(found: list[Person], lang: str) -> str:
    tr = translator(lang)
    total = len(found)
    done = sum(1 for p in found if p.course.state in (COMPLETED, DUE))
    due = sum(1 for p in found if p.course.state == DUE)
    # TRANSLATORS: the plural form follows {total}: "12 of 18 staff have completed the course".
    said = tr.ngettext("{n} of {total} member of staff has completed the course",
                       "{n} of {total} staff have completed the course", total).format(n=done, total=total)
    if due:
        said += "; " + tr.ngettext("{n} is due for a refresher", "{n} are due for a refresher", due).format(n=due)
    return said + "."


class StaffTraining(w.VBox):
    """Filters, the grid and a download. `refresh()` reads the records (and the refresher period) again."""

    def __init__(self, lang: str, *, store_factory: Callable[[], RecordStore] = open_store,
                 today: date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.errors = alert_box()  # first: the callbacks wrapped below report into it
        self.lang, self.store_factory, self.today = lang, store_factory, today
        self.tr = tr = translator(lang)
        self.rows: list[Row] = []
        self.modules: list[str] = []
        self.people: list[Person] = []
        self.titles: dict[str, str] = {}
        self.add_class("fmse-staff-training")
        style, layout = {"description_width": "initial"}, w.Layout(width="auto")
        names = state_names(lang)
        self.module = w.Dropdown(options=[(tr.gettext("The whole course"), ALL)], value=ALL,
                                 description=tr.gettext("Module"), style=style, layout=layout)
        self.state = w.Dropdown(options=[(tr.gettext("All"), ALL)] + [(names[s], s) for s in names], value=ALL,
                                description=tr.gettext("State"), style=style, layout=layout)
        sorts = {"name": tr.gettext("Name"), "progress": tr.gettext("Least progress first"),
                 "oldest": tr.gettext("Oldest completion first")}
        self.sort = w.Dropdown(options=[(sorts[s], s) for s in SORTS],
                               value="name", description=tr.gettext("Sort by"), style=style, layout=layout)
        self.workshops = w.Checkbox(value=False, description=tr.gettext("Include workshop participants"),
                                    indent=False, layout=w.Layout(width="auto"))
        self.refresh_button = w.Button(description=tr.gettext("Read the records again"))
        for control in (self.module, self.state, self.sort):
            control.observe(self._guard(lambda _change: self.show()), names="value")
        self.workshops.observe(self._guard(lambda _change: self.refresh()), names="value")
        self.refresh_button.on_click(self._guard(lambda _button: self.refresh()))
        filters = w.Box([self.module, self.state, self.sort, self.workshops, self.refresh_button],
                        layout=w.Layout(display="flex", flex_flow="row wrap"))
        filters.add_class("fmse-filters")
        self.refresher = w.BoundedIntText(value=12, min=0, max=120, description=tr.gettext(
            "Refresher every (months; 0 for none)"), style=style, layout=w.Layout(width="auto"))
        self.refresher_button = w.Button(description=tr.gettext("Save the refresher period"))
        self.refresher_button.on_click(self._guard(lambda _button: self.save_refresher()))
        self.refresher_note = w.HTML("")
        self.refresher_note.add_class("fmse-live")
        refresher = w.Box([self.refresher, self.refresher_button],
                          layout=w.Layout(display="flex", flex_flow="row wrap"))
        refresher.add_class("fmse-filters")
        refresher.add_class("fmse-refresher")
        self.summary = w.HTML("")
        self.summary.add_class("fmse-live")
        self.table = w.HTML("")
        self.download = w.HTML("")
        self.children = [self.summary, filters, self.table, self.download, refresher, self.refresher_note,
                         self.errors]
        self._guard(lambda: self.refresh())()

    def _guard(self, callback):
        def message(exc: Exception) -> str:
            return exc.message(self.lang) if isinstance(exc, RecordsError) else str(exc)
        expected = (RecordsError, PageListError, ValueError)
        return guard(callback, self.errors, message, where="staff training", catch=expected, expected=expected)

    # --- reading ---

    def refresher_months(self) -> int:
        from ..setting import load_setting, refresher_months

        return refresher_months(load_setting(self.lang))

    def refresh(self) -> None:
        from ..course import pages

        store = self.store_factory()
        try:
            self.rows = training_rows(store, self.lang, include_workshops=self.workshops.value)
        finally:
            store.close()
        months = self.refresher_months()
        self.refresher.value = months
        self.modules, self.people = people(self.rows, refresher_months=months, today=self.today or date.today())
        self.titles = {r.module: r.title for r in self.rows}
        if not self.titles:
            self.titles = {p.path.split("/")[-1][:2]: p.title for p in pages() if p.lang == self.lang
                           and p.kind == "module"}
        tr = self.tr
        with self.hold_trait_notifications():
            keep = self.module.value if self.module.value in self.titles else ALL
            self.module.options = [(tr.gettext("The whole course"), ALL)] + [
                (self.titles[m], m) for m in self.modules]
            self.module.value = keep
        self.show()

    def save_refresher(self) -> None:
        from ..setting import SettingError, save_values

        try:
            save_values({"refresher_months": str(self.refresher.value)})
        except SettingError as exc:
            raise ValueError(str(exc)) from None
        months = self.refresher.value
        tr = self.tr
        said = (tr.ngettext("Saved: a refresher every {n} month.", "Saved: a refresher every {n} months.",
                            months).format(n=months) if months else tr.gettext("Saved: no refresher."))
        self.refresher_note.value = f"<p>{escape(said)}</p>"
        self.refresh()

    # --- showing ---

    def shown(self) -> list[Person]:
        found = filter_people(self.people, module=self.module.value or None, state=self.state.value or None)
        return sort_people(found, self.sort.value)

    def show(self) -> None:
        tr, lang = self.tr, self.lang
        if not self.rows:
            empty = tr.gettext("No training records yet. They appear as staff complete exercises, or after "
                               "`fmse-course records import`.")
            self.summary.value = f"<p>{escape(empty)}</p>"
            self.table.value = self.download.value = ""
            return
        self.summary.value = f'<p class="fmse-training-summary"><strong>{escape(summary_text(self.people, lang))}' \
                             f"</strong></p>"
        shown = self.shown()
        self.table.value = self.grid_html(shown)
        rows = [r for p in shown for r in p.rows]
        workshops = self.workshops.value
        data = base64.b64encode(rows_csv(rows, lang, workshops).encode("utf-8-sig")).decode("ascii")
        name = "hyfforddiant-staff.csv" if lang == "cy" else "staff-training.csv"
        label = escape(tr.ngettext("Download the training log of this {n} person as CSV (with learner ids)",
                                   "Download the training log of these {n} people as CSV (with learner ids)",
                                   len(shown)).format(n=len(shown)))
        self.download.value = (f'<p><a class="fmse-download" download="{name}" '
                               f'href="data:text/csv;charset=utf-8;base64,{data}">{label}</a></p>')

    def grid_html(self, shown: list[Person]) -> str:
        tr, lang = self.tr, self.lang
        modules = [self.module.value] if self.module.value else self.modules
        caption = tr.gettext("Staff training: each person's state in each module")
        if self.state.value:
            caption += " · " + state_names(lang)[self.state.value]
        optional = tr.gettext("(optional)")

        def heading(module: str) -> str:
            title = self.titles.get(module, module)
            short = title.split(": ", 1)[-1]
            extra = "" if int(module) in REQUIRED_MODULES else f" {optional}"
            return (f'<th scope="col"><span class="fmse-grid-number">{escape(module)}</span> '
                    f"{escape(short + extra)}</th>")

        person, course, certificate = tr.gettext("Person"), tr.gettext("The whole course"), tr.gettext("Certificate")
        workshop, nobody = tr.gettext("workshop"), tr.gettext("Nobody matches these filters.")
        head = (f'<th scope="col">{escape(person)}</th><th scope="col">{escape(course)}</th>'
                + "".join(heading(m) for m in modules) + f'<th scope="col">{escape(certificate)}</th>')

        def cell(c: Cell | None, course: bool = False) -> str:
            if c is None:
                return "<td>–</td>"
            state, detail = cell_parts(c, lang, course=course)
            more = f'<span class="fmse-cell-detail">{escape(detail)}</span>' if detail else ""
            return (f'<td class="fmse-state-{c.state}"><span aria-hidden="true" class="fmse-state-symbol">'
                    f"{SYMBOLS[c.state]}</span> {escape(state)}{' ' if more else ''}{more}</td>")

        body = "".join(
            f'<tr><th scope="row">{escape(person_label(p, lang))}'
            + (f' <span class="fmse-workshop">({escape(workshop)})</span>' if p.workshop else "")
            + "</th>" + cell(p.course, course=True) + "".join(cell(p.cells.get(m)) for m in modules)
            + f"<td>{escape(certificate_text(p, lang))}</td></tr>" for p in shown)
        if not shown:
            body = (f'<tr><td colspan="{len(modules) + 3}">'
                    f"{escape(nobody)}</td></tr>")
        return (f'<div class="fmse-grid-scroll" role="region" tabindex="0" aria-labelledby="fmse-grid-caption">'
                f'<table class="fmse-table fmse-training-grid"><caption id="fmse-grid-caption">{escape(caption)}'
                f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def counts_by_setting(rows: list[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """The store's summary rows (setting, page, learners; page '' the setting's number of people) by setting."""
    found: dict[str, dict[str, int]] = {}
    for setting, page, number in rows:
        if setting:
            found.setdefault(setting, {"": 0})[page] = number
    return found


class SettingCounts(w.VBox):
    """Tab "Staff training" for a local authority's lead (an la-lead on a hub): counts per setting and module,
    never a name or a learner id: one row per setting, the number of people with records there and, per module,
    how many have completed it. `refresh()` reads the counts again."""

    def __init__(self, lang: str, *, store_factory: Callable[[], RecordStore] = open_store, **kwargs):
        super().__init__(**kwargs)
        self.errors = alert_box()
        self.lang, self.store_factory = lang, store_factory
        self.tr = tr = translator(lang)
        self.counts: dict[str, dict[str, int]] = {}
        self.add_class("fmse-setting-counts")
        self.summary = w.HTML("")
        self.summary.add_class("fmse-live")
        self.table = w.HTML("")
        self.refresh_button = w.Button(description=tr.gettext("Read the records again"))
        self.refresh_button.on_click(self._guard(lambda _button: self.refresh()))
        self.children = [self.summary, self.table, self.refresh_button, self.errors]
        self._guard(lambda: self.refresh())()

    def _guard(self, callback):
        def message(exc: Exception) -> str:
            return exc.message(self.lang) if isinstance(exc, RecordsError) else str(exc)
        expected = (RecordsError, PageListError, ValueError)
        return guard(callback, self.errors, message, where="setting counts", catch=expected, expected=expected)

    def refresh(self) -> None:
        store = self.store_factory()
        try:
            self.counts = counts_by_setting(store.summary())
        finally:
            store.close()
        self.show()

    def modules(self) -> list[tuple[str, str, str]]:
        """(page id, module number, short title) of every module with exercises, in course order."""
        from ..course import pages
        from .progress import completion_rule

        titles = {p.page: p for p in pages() if p.lang == self.lang and p.kind == "module"}
        found = []
        for rule in completion_rule():
            info = titles.get(rule.page)
            if rule.steps and info is not None:
                found.append((rule.page, info.path.split("/")[-1][:2], info.title.split(": ", 1)[-1]))
        return found

    def show(self) -> None:
        tr = self.tr
        if not self.counts:
            empty = tr.gettext("No training records yet. They appear as staff complete exercises.")
            self.summary.value = f"<p>{escape(empty)}</p>"
            self.table.value = ""
            return
        people_count = sum(c.get("", 0) for c in self.counts.values())
        said = tr.ngettext("{n} setting, {people} people with training records. Counts only: no names are shown.",
                           "{n} settings, {people} people with training records. Counts only: no names are "
                           "shown.", len(self.counts)).format(n=len(self.counts), people=people_count)
        self.summary.value = f'<p class="fmse-training-summary"><strong>{escape(said)}</strong></p>'
        self.table.value = self.grid_html()

    def grid_html(self) -> str:
        tr = self.tr
        modules = self.modules()
        caption = tr.gettext("Staff training by setting: the number of people with records, and how many of them "
                             "have completed each module")
        optional = tr.gettext("(optional)")
        head = (f'<th scope="col">{escape(tr.gettext("Setting"))}</th>'
                f'<th scope="col">{escape(tr.gettext("People"))}</th>'
                + "".join(f'<th scope="col"><span class="fmse-grid-number">{escape(number)}</span> '
                          f'{escape(title + ("" if int(number) in REQUIRED_MODULES else f" {optional}"))}</th>'
                          for _, number, title in modules))
        body = "".join(
            f'<tr><th scope="row">{escape(setting)}</th><td>{counts.get("", 0)}</td>'
            + "".join(f"<td>{counts.get(page, 0)}</td>" for page, _, _ in modules) + "</tr>"
            for setting, counts in sorted(self.counts.items()))
        return (f'<div class="fmse-grid-scroll" role="region" tabindex="0" aria-labelledby="fmse-counts-caption">'
                f'<table class="fmse-table fmse-training-grid fmse-counts-grid"><caption id="fmse-counts-caption">'
                f"{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
