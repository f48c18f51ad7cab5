"""The dashboard: two tabs, "Case patterns" and "Response checklist", in one language."""
from __future__ import annotations

import logging
import os
from html import escape
from pathlib import Path

import ipywidgets as w

from ..cases.charts import CSS as CHART_CSS
from ..i18n import translator
from ..languages import LANGS

log = logging.getLogger(__name__)
CASES_ENV = "FMSE_CASES"   # another case-data CSV for the dashboard (e.g. a large generated file)


def cases_path() -> Path:
    from ..cases.validate import sample_path

    override = os.environ.get(CASES_ENV)
    return Path(override) if override else sample_path()


def _source_label(path: Path) -> str:
    from ..paths import course_root

    try:
        return path.resolve().relative_to(course_root()).as_posix()
    except ValueError:
        return str(path)


def case_patterns(lang: str, path: Path | None = None) -> w.Widget:
    """The "Case patterns" tab, or a visible message naming the problem if the data cannot be loaded."""
    from ..cases.query import CaseTable
    from ..cases.validate import CaseDataError, load_cases
    from .patterns import CasePatterns

    path = path or cases_path()
    try:
        table = CaseTable(load_cases(path))
    except CaseDataError as exc:
        log.error("dashboard: %s", exc)
        message = translator(lang).gettext("The case data could not be loaded: {problem}")
        box = w.HTML(value=f'<p class="fmse-error">{escape(message.format(problem=exc))}</p>')
        box.add_class("fmse-alert")
        return box
    return CasePatterns(table, lang, source=_source_label(path))


def response_checklist(lang: str, setting=None) -> w.Widget:
    from .checklist import checklist_html, print_link

    if setting is None:
        from ..setting import load_setting

        setting = load_setting(lang)
    body = w.HTML(value=checklist_html(lang, setting))
    body.add_class("fmse-checklist-widget")
    printing = w.HTML(value=print_link(lang, setting))
    printing.add_class("fmse-no-print")
    box = w.VBox([printing, body])
    box.add_class("fmse-response-checklist")
    return box


# Dashboard layout, scoped to the dashboard: whole tab titles, filters with their labels above them,
# headline figures as tiles, bordered tables, and a print layout that prints only the open tab.
STYLE = """<style>""" + CHART_CSS + """
.fmse-dashboard .lm-TabBar { min-height: 2.9rem; }
.fmse-dashboard .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; min-width: 0 !important;
  height: auto !important; min-height: 2.75rem !important; padding: 0.55rem 1.1rem !important; font-size: 1rem;
  line-height: 1.5; }
.fmse-dashboard .lm-TabBar-tab.lm-mod-current { font-weight: 700; }
.fmse-dashboard .lm-TabBar-tabLabel { overflow: visible !important; text-overflow: clip !important; }
.fmse-filters { gap: 0.5rem 1.5rem; }
.fmse-filters .widget-dropdown { flex-direction: column !important; align-items: stretch !important;
  width: 17rem !important; height: auto !important; }
.fmse-filters .widget-dropdown > .widget-label { width: auto !important; margin: 0 0 0.25rem; font-weight: 600;
  text-align: left !important; }
.fmse-filters .widget-dropdown > select { width: 100% !important; flex: none !important; height: auto !important; }
.fmse-filters .widget-button { align-self: flex-end; }
.fmse-headline { list-style: none; padding: 0; margin: 0.5rem 0 1rem; display: grid; gap: 0.75rem;
  grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); }
.fmse-headline li { border: 1px solid currentColor; border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0; }
.fmse-headline .fmse-figure-value { display: block; font-size: 1.6rem; }
.fmse-command { white-space: pre-wrap; }
.fmse-checklist ol { padding-left: 1.6rem; }
.fmse-checklist li { margin: 0.35rem 0; }
.fmse-checklist ol ol { list-style-type: lower-alpha; }
.fmse-setting-value { font-weight: 600; }
/* ---- h15: the Staff training grid (it scrolls in its own box, never the page) ---- */
.fmse-staff-training, .fmse-staff-training .widget-html, .fmse-staff-training .widget-html-content {
  min-width: 0; max-width: 100%; }
.fmse-grid-scroll { overflow: auto; max-width: 100%; max-height: 70vh; border: 1px solid #8a8a8a; }
.fmse-grid-scroll:focus-visible { outline: 3px solid #1f5c99; outline-offset: 2px; }
.fmse-training-grid { margin: 0; }
.fmse-training-grid caption { padding: 0.4rem 0.6rem; }
.fmse-training-grid td { text-align: left; white-space: normal; vertical-align: top; min-width: 8.5rem; }
.fmse-training-grid td .fmse-cell-detail { white-space: nowrap; }
.fmse-training-grid .fmse-cell-detail { display: block; padding-left: 1.45em; font-size: 0.9rem; }
.fmse-training-grid thead th { position: sticky; top: 0; z-index: 1; background: var(--jp-layout-color1, #fff);
  vertical-align: bottom; }
.fmse-training-grid th[scope="row"] { position: sticky; left: 0; background: var(--jp-layout-color1, #fff);
  white-space: nowrap; }
.fmse-grid-number { font-variant-numeric: tabular-nums; font-weight: 700; }
.fmse-state-symbol { display: inline-block; width: 1.2em; font-weight: 700; }
.fmse-training-grid thead th { white-space: normal; min-width: 6rem; }
.fmse-state-completed .fmse-state-symbol { color: #1d6b2f; }
.fmse-state-due .fmse-state-symbol { color: #8a4b00; }
.fmse-training-summary { font-size: 1.15rem; }
.fmse-refresher { margin-top: 1rem; }
.fmse-refresher .widget-inline-hbox { flex-direction: column !important; align-items: stretch !important;
  height: auto !important; }
.fmse-refresher .widget-inline-hbox > .widget-label { width: auto !important; font-weight: 600;
  text-align: left !important; margin: 0 0 0.25rem; }
/* ---- end h15 grid ---- */
/* ---- h15: the tabs wrap (and become a list on a narrow screen); nothing is wider than the screen ---- */
.fmse-dashboard { min-width: 0 !important; max-width: 100%; }
.fmse-dashboard > .lm-TabBar { height: auto !important; max-height: none !important; overflow: visible !important; }
.fmse-dashboard .lm-TabBar-content { flex-wrap: wrap !important; height: auto !important; }
.fmse-dashboard > .widget-tab-contents { min-width: 0; max-width: 100%; overflow: visible; }
.fmse-dashboard .widget-tab-contents > .widget-box { min-width: 0; max-width: 100%; }
.fmse-dashboard .fmse-filters .widget-dropdown { max-width: 100%; }
.fmse-dashboard .widget-html, .fmse-dashboard .widget-html-content { max-width: 100%; min-width: 0; }
.fmse-dashboard .widget-button, .fmse-dashboard .widget-checkbox { max-width: 100%; height: auto;
  white-space: normal; }
.fmse-dashboard .fmse-table { max-width: 100%; }
@media (max-width: 40rem) {
  .fmse-dashboard .lm-TabBar-content { flex-direction: column !important; }
  .fmse-dashboard .lm-TabBar-tab { flex: 1 1 auto !important; margin: 0 !important; width: 100%; }
  .fmse-dashboard > .widget-tab-contents { padding: 0.5rem 0.25rem !important; }
  .fmse-filters .widget-dropdown { width: 100% !important; }
}
/* ---- end h15 tabs ---- */
@media print {
  .fmse-dashboard .lm-TabBar, .fmse-dashboard-intro, .fmse-no-print { display: none !important; }
  .fmse-dashboard .lm-TabPanel-stackedPanel, .fmse-dashboard .widget-tab-contents { border: 0 !important;
    padding: 0 !important; }
}
</style>"""


def hub_role() -> str | None:
    """On a hub with the records service, this user's role there ("staff", "dsp", "la-lead"), as the service
    finds it from the hub's groups; None elsewhere (`fmse-course serve`, a laptop), or when the service cannot be
    asked (the Staff training tab then says why when it reads the records)."""
    from ..hub.client import ServiceError, uses_service, whoami

    if not uses_service():
        return None
    try:
        return whoami()["role"]
    except (ServiceError, KeyError, TypeError):
        return None


def staff_training(lang: str) -> w.Widget:
    """The "Staff training" tab: who has completed which module, from the learner records. On a hub it follows
    the user's role: a DSP sees their setting's staff (the records service gives nothing else), an la-lead counts
    per setting and module with no names, anyone else (staff; JupyterLab lets them run this notebook) a refusal."""
    from ..records.training_view import SettingCounts, StaffTraining

    role = hub_role()
    if role == "la-lead":
        return SettingCounts(lang)
    if role == "staff":
        box = w.HTML(value=f'<p class="fmse-error">{escape(dashboard_refusal(lang))}</p>')
        box.add_class("fmse-alert")
        return box
    return StaffTraining(lang)


def dashboard_refusal(lang: str) -> str:
    """Why a member of staff on a hub does not get the dashboard's staff training, in `lang`."""
    return translator(lang).gettext(
        "The staff training records are for your setting's designated safeguarding person (DSP) and the local "
        "authority's lead. Your account is not in the hub's fmse-dsp or fmse-la-lead group; if it should be, ask "
        "the hub's administrator.")


class Dashboard(w.VBox):
    """The dashboard: `tabs` (a Tab of `patterns`, `checklist` and `training`), with its own scoped style."""

    def __init__(self, lang: str, *, path: Path | None = None, setting=None, **kwargs):
        super().__init__(**kwargs)
        from ..prebuild import dashboard_files, dashboard_part

        tr = translator(lang)
        # In a warm kernel these two were built before the visitor came (prebuild.py): they are the same for anyone.
        patterns = dashboard_part("patterns", lang, dashboard_files("patterns")) if path is None else None
        self.patterns = case_patterns(lang, path) if patterns is None else patterns
        checklist = dashboard_part("checklist", lang, dashboard_files("checklist")) if setting is None else None
        self.checklist = response_checklist(lang, setting) if checklist is None else checklist
        self.training = staff_training(lang)
        self.tabs = w.Tab(children=[self.patterns, self.checklist, self.training])
        self.tabs.titles = (tr.gettext("Case patterns"), tr.gettext("Response checklist"),
                            tr.gettext("Staff training"))
        self.tabs.add_class("fmse-dashboard")
        style = w.HTML(value=STYLE)
        style.add_class("fmse-style")
        self.children = [style, self.tabs]


def build(lang: str, *, path: Path | None = None, setting=None) -> Dashboard:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
    return Dashboard(lang, path=path, setting=setting)
