"""Tab "Staff training" for the safeguarding lead's dashboard: completion by module and person, with filters
and a CSV download of what is shown, in the page's language. Workshop participants are left out unless the
trainer ticks the box."""
from __future__ import annotations

import base64
import logging
from html import escape
from typing import Callable

import ipywidgets as w

from ..i18n import translator
from ..views.guard import alert_box, guard
from .errors import RecordsError
from .progress import PageListError
from .recorder import open_store
from .report import Row, as_cells, filter_rows, headers, rows_csv, training_rows
from .store import RecordStore

log = logging.getLogger(__name__)
ALL = ""


class StaffTraining(w.VBox):
    """Filters (person, module, completed), a table and a download. `refresh()` reads the records again."""

    def __init__(self, lang: str, *, store_factory: Callable[[], RecordStore] = open_store, **kwargs):
        super().__init__(**kwargs)
        self.errors = alert_box()  # first: the callbacks wrapped below report into it
        self.lang, self.store_factory = lang, store_factory
        self.tr = tr = translator(lang)
        self.rows: list[Row] = []
        self.add_class("fmse-staff-training")
        style, layout = {"description_width": "initial"}, w.Layout(width="auto", min_width="16rem")
        self.person = w.Dropdown(options=[(tr.gettext("All"), ALL)], value=ALL, description=tr.gettext("Person"),
                                 style=style, layout=layout)
        self.module = w.Dropdown(options=[(tr.gettext("All"), ALL)], value=ALL, description=tr.gettext("Module"),
                                 style=style, layout=layout)
        self.status = w.Dropdown(options=[(tr.gettext("All"), ALL), (tr.gettext("Completed"), "yes"),
                                          (tr.gettext("Not completed"), "no")],
                                 value=ALL, description=tr.gettext("Status"), style=style, layout=layout)
        self.workshops = w.Checkbox(value=False, description=tr.gettext("Include workshop participants"),
                                    indent=False, layout=w.Layout(width="auto"))
        self.refresh_button = w.Button(description=tr.gettext("Read the records again"))
        for control in (self.person, self.module, self.status):
            control.observe(self._guard(lambda _change: self.show()), names="value")
        self.workshops.observe(self._guard(lambda _change: self.refresh()), names="value")
        self.refresh_button.on_click(self._guard(lambda _button: self.refresh()))
        filters = w.Box([self.person, self.module, self.status, self.workshops, self.refresh_button],
                        layout=w.Layout(display="flex", flex_flow="row wrap", grid_gap="0.5rem 1.5rem"))
        filters.add_class("fmse-filters")
        self.summary = w.HTML("")
        self.summary.add_class("fmse-live")
        self.table = w.HTML("")
        self.download = w.HTML("")
        self.children = [filters, self.summary, self.table, self.download, self.errors]
        self._guard(lambda: self.refresh())()

    def _guard(self, callback):
        def message(exc: Exception) -> str:
            return exc.message(self.lang) if isinstance(exc, RecordsError) else str(exc)
        expected = (RecordsError, PageListError)
        return guard(callback, self.errors, message, where="staff training", catch=expected, expected=expected)

    def refresh(self) -> None:
        store = self.store_factory()
        try:
            self.rows = training_rows(store, self.lang, include_workshops=self.workshops.value)
        finally:
            store.close()
        tr = self.tr
        people = {r.learner_id: r.name or f"({r.learner_id[:8]})" for r in self.rows}
        modules = {r.module: r.title for r in self.rows}
        with self.hold_trait_notifications():
            keep_person = self.person.value if self.person.value in people else ALL
            keep_module = self.module.value if self.module.value in modules else ALL
            self.person.options = [(tr.gettext("All"), ALL)] + sorted(((n, i) for i, n in people.items()),
                                                                      key=lambda x: x[0].casefold())
            self.module.options = [(tr.gettext("All"), ALL)] + [(t, m) for m, t in sorted(modules.items())]
            self.person.value, self.module.value = keep_person, keep_module
        self.show()

    def shown(self) -> list[Row]:
        return filter_rows(self.rows, learner_id=self.person.value or None, module=self.module.value or None,
                           completed=None if not self.status.value else self.status.value == "yes")

    def show(self) -> None:
        tr, lang, workshops = self.tr, self.lang, self.workshops.value
        rows = self.shown()
        people = len({r.learner_id for r in rows})
        if not self.rows:
            empty = tr.gettext("No training records yet. They appear as staff complete exercises, or after "
                               "`fmse-course records import`.")
            self.summary.value = f"<p>{escape(empty)}</p>"
            self.table.value = self.download.value = ""
            return
        # TRANSLATORS: e.g. "3 people, 12 rows"; each plural form follows its own number.
        said = (tr.ngettext("{n} person", "{n} people", people).format(n=people) + ", "
                + tr.ngettext("{n} row", "{n} rows", len(rows)).format(n=len(rows)))
        self.summary.value = f"<p>{escape(said)}</p>"
        caption = escape(tr.gettext("Staff training: completion by module and person"))
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers(lang, workshops))
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in as_cells(r, lang, workshops, spreadsheet=False)) + "</tr>"
                       for r in rows)
        self.table.value = (f'<div class="fmse-table-wrap"><table class="fmse-table"><caption>{caption}</caption>'
                            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
        data = base64.b64encode(rows_csv(rows, lang, workshops).encode("utf-8-sig")).decode("ascii")
        name = "hyfforddiant-staff.csv" if lang == "cy" else "staff-training.csv"
        label = escape(tr.gettext("Download these rows as CSV"))
        self.download.value = (f'<p><a class="fmse-download" download="{name}" '
                               f'href="data:text/csv;charset=utf-8;base64,{data}">{label}</a></p>')
