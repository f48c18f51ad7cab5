"""Tab "Case patterns": filters, headline figures, charts, a summary table and a CSV download.

The figures come from cases.query (no widgets there); this module only turns them into widgets and HTML.
"""
from __future__ import annotations

import base64
import shlex

import ipywidgets as w

from ..cases import charts as c
from ..cases import schema as s
from ..cases.labels import column_label, month_label, sorted_values, value_label
from ..cases.query import CaseFilter, CaseTable, Summary
from ..i18n import translator
from .safely import ErrorBox

DOWNLOAD_CAP = 2000   # rows in a page download; the command line has no cap
ALL = ""              # the "all" choice of a filter dropdown


class CasePatterns(w.VBox):
    """Filters over a CaseTable, and everything they drive. `update()` redraws from the current filters."""

    def __init__(self, table: CaseTable, lang: str, *, source: str = "data/cases/sample.csv", **kwargs):
        super().__init__(**kwargs)
        self.table, self.lang, self.source = table, lang, source
        self.tr = tr = translator(lang)
        self.errors = ErrorBox(lang, "case patterns")
        self.add_class("fmse-case-patterns")
        months = [(month_label(m, lang), m) for m in table.months]
        style = {"description_width": "initial"}
        layout = w.Layout(width="auto", min_width="16rem")

        def choice(column: str, label: str) -> w.Dropdown:
            options = [(tr.gettext("All"), ALL)] + [(value_label(column, v, lang), v)
                                                    for v in sorted_values(column, lang)]
            return w.Dropdown(options=options, value=ALL, description=label, style=style, layout=layout)

        self.filters: dict[str, w.Dropdown] = {
            "start": w.Dropdown(options=months, value=months[0][1], description=tr.gettext("From"),
                                style=style, layout=layout),
            "end": w.Dropdown(options=months, value=months[-1][1], description=tr.gettext("To"),
                              style=style, layout=layout),
            "age_band": choice("age_band", column_label("age_band", lang)),
            "sex": choice("sex", column_label("sex", lang)),
            "platform": choice("first_contact_platform", tr.gettext("First-contact platform")),
            "demand_type": choice("demand_type", tr.gettext("Demand type")),
            "local_authority": choice("local_authority", column_label("local_authority", lang)),
        }
        for dropdown in self.filters.values():
            dropdown.observe(self.errors.wrap(self._changed), names="value")
        self.reset_button = w.Button(description=tr.gettext("Show all cases"),
                                     tooltip=tr.gettext("Clear every filter"))
        self.reset_button.on_click(self.errors.wrap(self.reset))
        filter_box = w.Box(list(self.filters.values()) + [self.reset_button],
                           layout=w.Layout(display="flex", flex_flow="row wrap"))
        filter_box.add_class("fmse-filters")
        headings = [tr.gettext("Filters"), tr.gettext("Charts"), tr.gettext("By local authority"),
                    tr.gettext("Download")]
        self.status = w.HTML(value="")
        self.status.add_class("fmse-live")
        self.headline = w.HTML(value="")
        self.charts = [w.HTML(value="") for _ in range(4)]
        self.summary_table = w.HTML(value="")
        self.download_button = w.Button(description=tr.gettext("Prepare a CSV file of these cases"),
                                        icon="download")
        self.download_button.on_click(self.errors.wrap(self.prepare_download))
        self.download = w.HTML(value="")
        self.download.add_class("fmse-live")
        self.download_note = w.HTML(value="")
        note = tr.gettext("Every case here is invented (synthetic data shaped by published figures). It shows "
                          "patterns in what has been reported, not how often abuse happens, and it cannot "
                          "show which response works.")
        self.children = [
            w.HTML(value=f'<p class="fmse-synthetic-note">{c.esc(note)}</p>'),
            w.HTML(value=f"<h2>{c.esc(headings[0])}</h2>"), filter_box, self.status, self.headline,
            w.HTML(value=f"<h2>{c.esc(headings[1])}</h2>"), *self.charts,
            w.HTML(value=f"<h2>{c.esc(headings[2])}</h2>"), self.summary_table,
            w.HTML(value=f"<h2>{c.esc(headings[3])}</h2>"), self.download_note,
            self.download_button, self.download, self.errors.widget,
        ]
        self.update()

    # --- reading the filters ---

    def current_filter(self) -> CaseFilter:
        values = {name: (dropdown.value or None) for name, dropdown in self.filters.items()}
        if values["start"] == self.table.months[0]:
            values["start"] = None
        if values["end"] == self.table.months[-1]:
            values["end"] = None
        return CaseFilter(**values)

    def _changed(self, _change=None) -> None:
        self.update()

    def reset(self, _button=None) -> None:
        with self.hold_trait_notifications():
            for name, dropdown in self.filters.items():
                if name == "start":
                    dropdown.value = self.table.months[0]
                elif name == "end":
                    dropdown.value = self.table.months[-1]
                else:
                    dropdown.value = ALL
        self.update()

    # --- drawing ---

    def update(self) -> None:
        wanted = self.current_filter()
        summary = self.table.summarise(wanted)
        tr = self.tr
        self.status.value = "<p>" + c.esc(tr.ngettext(
            "Showing {n} of {total} case.", "Showing {n} of {total} cases.", summary.total).format(
            n=c.count(summary.cases, self.lang), total=c.number(summary.total))) + "</p>"
        self.headline.value = self._headline(summary, reversed_range=self._reversed())
        self.charts[0].value = self._by_month(summary)
        self.charts[1].value = self._by_age(summary)
        self.charts[2].value = self._by_column(summary.by_platform, "first_contact_platform",
                                               tr.gettext("Cases by first-contact platform"), "platform")
        self.charts[3].value = self._by_column(summary.by_demand, "demand_type",
                                               tr.gettext("Cases by type of demand"), "demand")
        self.summary_table.value = self._by_local_authority(summary)
        self.download.value = ""
        self.download_note.value = self._download_note(wanted, summary)

    def _reversed(self) -> bool:
        """The From month is after the To month."""
        return self.filters["start"].value > self.filters["end"].value

    def _headline(self, sm: Summary, *, reversed_range: bool = False) -> str:
        tr, lang = self.tr, self.lang
        if reversed_range:
            said = tr.gettext("The From month is after the To month, so no month is chosen: choose a From month "
                              "that comes before the To month.")
            return f'<p class="fmse-empty fmse-range-problem">{c.esc(said)}</p>'
        if not sm.cases:
            empty = tr.gettext("No cases match these filters.")
            return f'<p class="fmse-empty">{c.esc(empty)}</p>'
        few = sm.cases < c.SMALL
        items = [
            (c.count(sm.cases, lang), tr.ngettext("case", "cases", sm.cases)),
            (c.share(sm.male, sm.cases, lang), tr.gettext("involve boys and young men")),
            (c.share(sm.within_hour, sm.cases, lang), tr.gettext("were threatened within an hour of first contact")),
            (c.share(sm.paid, sm.cases, lang), tr.gettext("paid something")),
            (c.share(sm.asked_again, sm.paid, lang), tr.gettext("of those who paid were asked for more")),
            (c.small(lang) if few or sm.median_demand is None else f"£{c.number(sm.median_demand)}",
             tr.gettext("median amount first demanded")),
            (c.small(lang) if few or sm.median_minutes is None else c.minutes_text(sm.median_minutes, lang),
             tr.gettext("median time from first contact to threat")),
        ]
        body = "".join(f'<li><strong class="fmse-figure-value">{c.esc(v)}</strong> {c.esc(t)}</li>'
                       for v, t in items)
        title = tr.gettext("Headline figures")
        note = c.small_note(lang) if c.holds_small(*(v for v, _ in items)) else ""
        return f'<h2>{c.esc(title)}</h2><ul class="fmse-headline">{body}</ul>{note}'

    def _by_month(self, sm: Summary) -> str:
        tr, lang = self.tr, self.lang
        title = tr.gettext("Cases by month")
        labels = [month_label(m, lang) for m, _ in sm.by_month]
        values = [n for _, n in sm.by_month]
        ticks = {i: month_label(m, lang) for i, (m, _) in enumerate(sm.by_month) if m.endswith(("-01", "-07"))}
        if sm.cases:
            top = max(range(len(values)), key=lambda i: values[i])
            desc = tr.gettext("Column chart of {n} cases by month, from {first} to {last}. The most in one "
                              "month: {month}, {count}.").format(
                n=c.count(sm.cases, lang), first=labels[0], last=labels[-1], month=labels[top],
                count=c.count(values[top], lang))
        else:
            desc = tr.gettext("No cases match these filters.")
        chart = c.column_chart("fmse-dash-month", title, desc, labels, values, ticks, lang=lang)
        rows = [[label, c.count(v, lang)] for label, v in zip(labels, values)]
        return c.figure(chart, c.table(title, [tr.pgettext("column", "Month"), tr.gettext("Cases")], rows), lang,
                        caption=title)

    def _by_age(self, sm: Summary) -> str:
        tr, lang = self.tr, self.lang
        title = tr.gettext("Cases by age band and sex")
        bands = list(s.AGE_BANDS)
        labels = [value_label("age_band", b, lang) for b in bands]
        series = [c.Series(value_label("sex", sex, lang), tuple(sm.by_age_band[b][sex] for b in bands))
                  for sex in s.SEXES]
        parts = [f"{label}: " + ", ".join(f"{ser.name} {c.count(ser.values[i], lang)}" for ser in series)
                 for i, label in enumerate(labels)]
        desc = tr.gettext("Stacked bar chart. {items}.").format(items="; ".join(parts))
        chart = c.bar_chart("fmse-dash-age", title, desc, labels, series, lang=lang)
        rows = [[label, *(c.count(ser.values[i], lang) for ser in series),
                 c.count(sum(ser.values[i] for ser in series), lang)] for i, label in enumerate(labels)]
        headers = [column_label("age_band", lang), *(ser.name for ser in series), tr.gettext("Total")]
        return c.figure(chart, c.table(title, headers, rows), lang, caption=title)

    def _by_column(self, counts: dict[str, int], column: str, title: str, key: str) -> str:
        tr, lang = self.tr, self.lang
        total = sum(counts.values())
        labels = [value_label(column, v, lang) for v in counts]
        values = list(counts.values())
        desc = (tr.gettext("Bar chart.") + " " + c.describe_largest(list(zip(labels, values)), total, lang)
                if total else tr.gettext("No cases match these filters."))
        chart = c.bar_chart(f"fmse-dash-{key}", title, desc, labels, [c.Series(title, tuple(values))], lang=lang)
        rows = [[label, c.count(v, lang), c.share(v, total, lang)] for label, v in zip(labels, values)]
        headers = [column_label(column, lang), tr.gettext("Cases"), tr.gettext("Share")]
        return c.figure(chart, c.table(title, headers, rows), lang, caption=title)

    def _by_local_authority(self, sm: Summary) -> str:
        tr, lang = self.tr, self.lang
        rows = []
        for code in sorted_values("local_authority", lang):
            cases, paid, police, removed = sm.by_local_authority[code]
            rows.append([value_label("local_authority", code, lang), c.count(cases, lang),
                         *(c.share(n, cases, lang) if cases else "–" for n in (paid, police, removed))])
        headers = [column_label("local_authority", lang), tr.gettext("Cases"), tr.gettext("Paid"),
                   tr.gettext("Police informed"), tr.gettext("Report Remove used")]
        caption = tr.gettext("Cases by local authority, with the share that paid, the share where the police "
                             "were informed and the share where Report Remove was used")
        return c.table(caption, headers, rows, key="fmse-dash-la")

    # --- download ---

    def command_line(self, wanted: CaseFilter) -> str:
        words = ["fmse-course", "cases", "export"]
        if self.source != "data/cases/sample.csv":
            words += ["--in", self.source]
        words += ["--out", "cases.csv", *wanted.command_options()]
        return " ".join(shlex.quote(word) for word in words)

    def _download_note(self, wanted: CaseFilter, sm: Summary) -> str:
        tr = self.tr
        cap = tr.ngettext("A download from this page holds at most {n} case.",
                          "A download from this page holds at most {n} cases.", DOWNLOAD_CAP).format(
            n=c.number(DOWNLOAD_CAP))
        more = tr.gettext("For all the matching cases, run this command in the course folder:")
        return (f"<p>{c.esc(cap)} {c.esc(more)}</p>"
                f'<pre class="fmse-command"><code>{c.esc(self.command_line(wanted))}</code></pre>')

    def prepare_download(self, _button=None) -> None:
        from ..cases.query import csv_text

        wanted = self.current_filter()
        rows = self.table.rows(wanted)
        matching = len(rows)
        kept = rows.iloc[:DOWNLOAD_CAP]
        encoded = base64.b64encode(csv_text(kept).encode("utf-8")).decode("ascii")
        tr = self.tr
        if 0 < len(kept) < c.SMALL:
            label = tr.gettext("Download these cases as CSV (fewer than 10)")
        else:
            label = tr.ngettext("Download {n} case as CSV", "Download {n} cases as CSV", len(kept)).format(
                n=c.number(len(kept)))
        parts = [f'<p><a class="fmse-download" href="data:text/csv;charset=utf-8;base64,{encoded}" '
                 f'download="fmse-synthetic-cases.csv">{c.esc(label)}</a></p>']
        if 0 < len(kept) < c.SMALL:
            warning = tr.gettext("This file holds fewer than 10 cases. With so few, each row stands out: in real "
                                 "data it could point to a child. These cases are invented, but handle a file "
                                 "like this as you would real records.")
            parts.append(f'<p class="fmse-small-note fmse-download-warning">{c.esc(warning)}</p>')
        if matching > DOWNLOAD_CAP:
            parts.append("<p>" + c.esc(tr.ngettext(
                "{n} case matches; the file holds the first {cap}. Use the command above for all of them.",
                "{n} cases match; the file holds the first {cap}. Use the command above for all of them.",
                matching).format(n=c.number(matching), cap=c.number(DOWNLOAD_CAP))) + "</p>")
        self.download.value = "".join(parts)
