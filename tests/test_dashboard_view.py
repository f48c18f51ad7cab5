"""The safeguarding lead's dashboard without a browser: filters drive the figures, the download, the command
line, visible errors, and the response checklist with the setting's numbers."""
from __future__ import annotations

import base64
import json
import logging
import re
import shlex
import subprocess
import sys
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from fmse_widgets.cases.query import CaseFilter
from fmse_widgets.cases.validate import sample_path
from fmse_widgets.cli import main
from fmse_widgets.dashboard import dashboard
from fmse_widgets.dashboard.checklist import (checklist_html, load_checklist, parse_checklist, printable_document)
from fmse_widgets.dashboard.patterns import DOWNLOAD_CAP

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path / "userdata"))


@pytest.fixture
def raw() -> pd.DataFrame:
    return pd.read_csv(sample_path(), keep_default_na=False)


def status_count(view) -> int:
    return int(re.search(r"Showing ([\d,]+) of", view.status.value).group(1).replace(",", ""))


def data_link(html: str) -> tuple[str, bytes]:
    m = re.search(r'href="data:([^;]+);charset=utf-8;base64,([^"]+)" download="([^"]+)"', html)
    assert m, html
    return m.group(3), base64.b64decode(m.group(2))


def test_it_has_three_tabs_in_each_language(no_setting):
    en, cy = dashboard("en"), dashboard("cy")
    assert en.tabs.titles == ("Case patterns", "Response checklist", "Staff training")
    assert cy.tabs.titles == ("Patrymau achosion", "Rhestr wirio ymateb", "Hyfforddiant staff")
    assert "Showing 4,000 of 4,000 cases." in en.patterns.status.value
    assert "Yn dangos 4,000 o 4,000 o achosion." in cy.patterns.status.value
    assert "fmse-live" in en.patterns.status._dom_classes
    with pytest.raises(ValueError):
        dashboard("fr")


@pytest.mark.parametrize("name, value, column", [
    ("age_band", "14-15", None), ("sex", "female", "sex"), ("platform", "online-game", "first_contact_platform"),
    ("demand_type", "cryptocurrency", "demand_type"), ("local_authority", "isle-of-anglesey", "local_authority"),
    ("start", "2025-03", None), ("end", "2024-05", None),
])
def test_each_filter_widget_shows_what_plain_pandas_finds(no_setting, raw, name, value, column):
    view = dashboard("en").patterns
    view.filters[name].value = value
    if column:
        expected = raw[raw[column] == value]
    elif name == "age_band":
        expected = raw[raw["age"].between(14, 15)]
    elif name == "start":
        expected = raw[raw["month"] >= value]
    else:
        expected = raw[raw["month"] <= value]
    assert status_count(view) == len(expected)
    share_paid = f"{round(100 * (expected['paid'] == 'yes').mean())}%"
    assert f'<strong class="fmse-figure-value">{share_paid}</strong> paid something' in view.headline.value


def test_show_all_resets_every_filter(no_setting):
    view = dashboard("en").patterns
    view.filters["sex"].value = "female"
    view.filters["start"].value = "2025-01"
    assert status_count(view) < 4000
    view.reset_button.click()
    assert status_count(view) == 4000
    assert view.current_filter() == CaseFilter()


def test_no_matching_cases_says_so_and_a_reversed_date_range_says_what_to_fix(no_setting):
    view = dashboard("en").patterns
    view.filters["sex"].value = "female"
    view.filters["local_authority"].value = "blaenau-gwent"
    view.filters["platform"].value = "instagram"
    view.filters["start"].value = view.filters["end"].value = "2024-02"
    assert status_count(view) == 0
    assert "No cases match these filters." in view.headline.value
    view.reset_button.click()
    view.filters["start"].value = "2025-06"
    view.filters["end"].value = "2024-02"
    assert status_count(view) == 0
    assert "The From month is after the To month" in view.headline.value
    assert "No cases match" not in view.headline.value
    cy = dashboard("cy").patterns
    cy.filters["start"].value, cy.filters["end"].value = "2025-06", "2024-02"
    assert "Mae&#x27;r mis yn “O fis” ar ôl y mis yn “Hyd at fis”" in cy.headline.value


def test_small_numbers_say_fewer_than_10_with_a_note_in_each_language(no_setting, raw):
    view = dashboard("en").patterns
    view.filters["sex"].value = "female"
    view.filters["local_authority"].value = "blaenau-gwent"
    view.filters["platform"].value = "instagram"
    cases = len(raw[(raw["sex"] == "female") & (raw["local_authority"] == "blaenau-gwent")
                    & (raw["first_contact_platform"] == "instagram")])
    assert 0 < cases < 10, "pick filters that leave a handful of cases"
    assert "Showing fewer than 10 of 4,000 cases." in view.status.value
    headline = view.headline.value
    assert re.findall(r'<strong class="fmse-figure-value">([^<]*)</strong>', headline) == ["fewer than 10"] * 7
    assert "%" not in headline and "£" not in headline
    assert "a percentage or median worked out from fewer than 10 cases, is not shown" in headline
    for chart in view.charts:  # every chart's table of figures follows the rule, and says why
        table = chart.value.split("<table", 1)[1]
        assert "fewer than 10" in table and "is not shown" in table
        assert not re.search(r"<td>[1-9]</td>|<td>\d+%</td>", table)
    assert "fewer than 10" in view.summary_table.value
    view.download_button.click()
    _, body = data_link(view.download.value)
    assert body.decode("utf-8").count("\n") == cases + 1  # the rows are all there, and the page says few
    assert "Download these cases as CSV (fewer than 10)" in view.download.value
    assert "This file holds fewer than 10 cases." in view.download.value
    cy = dashboard("cy").patterns
    cy.filters["sex"].value = "female"
    cy.filters["local_authority"].value = "blaenau-gwent"
    cy.filters["platform"].value = "instagram"
    assert "llai na 10" in cy.headline.value and "Mae&#x27;r ffeil hon" not in cy.download.value
    cy.download_button.click()
    assert "Mae&#x27;r ffeil hon yn cynnwys llai na 10 achos." in cy.download.value


def test_download_holds_the_filtered_rows_up_to_the_cap(no_setting, raw, tmp_path):
    view = dashboard("en").patterns
    view.filters["sex"].value = "female"
    view.filters["platform"].value = "snapchat"
    view.download_button.click()
    name, body = data_link(view.download.value)
    expected = raw[(raw["sex"] == "female") & (raw["first_contact_platform"] == "snapchat")]
    assert name == "fmse-synthetic-cases.csv"
    assert body.decode("utf-8") == expected.to_csv(index=False, lineterminator="\n")
    assert f"Download {len(expected)} cases as CSV" in view.download.value
    # The command line shown beside it gives the same rows, without a cap.
    command = re.search(r"<code>(.*?)</code>", view.download_note.value).group(1)
    words = shlex.split(command.replace("&#x27;", "'"))
    assert words[:3] == ["fmse-course", "cases", "export"]
    out = tmp_path / "cases.csv"
    words[words.index("--out") + 1] = str(out)
    assert main(words[1:]) == 0
    assert out.read_bytes() == body
    # A filter change makes the prepared link stale, so it goes.
    view.filters["sex"].value = "male"
    assert view.download.value == ""


def test_a_download_over_the_cap_says_how_to_get_the_rest(no_setting, raw):
    view = dashboard("en").patterns
    view.download_button.click()
    _, body = data_link(view.download.value)
    lines = body.decode("utf-8").splitlines()
    assert len(lines) == DOWNLOAD_CAP + 1
    assert "4,000 cases match; the file holds the first 2,000. Use the command above" in view.download.value
    assert "at most 2,000 cases" in view.download_note.value
    assert "<code>fmse-course cases export --out cases.csv</code>" in view.download_note.value


def test_a_failing_update_is_shown_and_logged(no_setting, caplog, monkeypatch):
    view = dashboard("en").patterns

    def broken(_filter):
        raise RuntimeError("the summary broke")
    monkeypatch.setattr(view.table, "summarise", broken)
    with caplog.at_level(logging.ERROR, logger="fmse_widgets.dashboard.safely"):
        view.filters["sex"].value = "male"
    assert "Sorry, something went wrong on the dashboard: the summary broke" in view.errors.widget.value
    assert "fmse-alert" in view.errors.widget._dom_classes
    assert any("callback failed" in r.message for r in caplog.records)
    monkeypatch.undo()
    view.filters["sex"].value = "female"
    assert view.errors.widget.value == ""


def test_case_data_that_cannot_load_is_shown_on_the_page(no_setting, tmp_path, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,name\n1,Sam Jones\n", encoding="utf-8")
    monkeypatch.setenv("FMSE_CASES", str(bad))
    board = dashboard("en")
    assert "The case data could not be loaded" in board.patterns.value
    assert "refused: this looks like personal data" in board.patterns.value
    assert "fmse-alert" in board.patterns._dom_classes


def test_a_larger_file_through_the_environment_and_its_command_line(no_setting, tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    assert main(["cases", "generate", "--rows", "2500", "--seed", "9", "--out", str(path)]) == 0
    monkeypatch.setenv("FMSE_CASES", str(path))
    view = dashboard("cy").patterns
    assert status_count_cy(view) == 2500
    assert f"--in {path}" in view.download_note.value


def status_count_cy(view) -> int:
    return int(re.search(r"Yn dangos ([\d,]+) o", view.status.value).group(1).replace(",", ""))


def test_every_chart_has_a_text_alternative_and_a_table(no_setting):
    view = dashboard("en").patterns
    for chart in view.charts:
        html = chart.value
        m = re.search(r'<svg class="fmse-chart-svg" role="img" aria-labelledby="(\S+) (\S+)"', html)
        assert m, html[:200]
        title = re.search(rf'<title id="{m.group(1)}">([^<]+)</title>', html).group(1)
        desc = re.search(rf'<desc id="{m.group(2)}">([^<]+)</desc>', html).group(1)
        assert title and len(desc) > 20
        assert '<table class="fmse-table"' in html and '<th scope="col">' in html and '<th scope="row">' in html
        assert "<figcaption>" in html
    assert "Largest: Instagram" in view.charts[2].value
    assert '<th scope="row">Isle of Anglesey</th>' in view.summary_table.value


# --- response checklist ----------------------------------------------------------------------------

def test_checklist_without_a_setting_shows_placeholders(no_setting):
    html = checklist_html("en")
    for needed in ("call 999", "Never view, copy, print, share, store or save the image",
                   "Refer it to the police and/or children's services", "Report Remove", "Take It Down",
                   "Report directly to the platform or app", "inform parents and carers", "Record the disclosure",
                   "self-harm and suicide", "Support for the member of staff", "Education Support"):
        assert needed in html.replace("&#x27;", "'"), needed
    assert "[designated safeguarding person&#x27;s name]" in html
    assert "have not been set yet" in html
    cy = checklist_html("cy")
    from fmse_widgets.setting import load_setting

    welsh = load_setting("cy")  # the Welsh placeholders, not the English ones, on the Welsh checklist
    for placeholder in (welsh.dsp_name, welsh.dsp_phone):
        assert placeholder.startswith("[") and escape(placeholder) in cy, placeholder
    assert "[designated safeguarding person" not in cy and "wedi&#x27;u gosod eto" in cy
    assert "Peidiwch byth ag edrych ar y ddelwedd" in cy and "(y rhybudd)" in cy


def test_checklist_uses_the_setting_file(tmp_path, monkeypatch):
    from fmse_widgets.setting import save_values

    monkeypatch.setenv("FMSE_DATA_DIR", str(tmp_path))
    save_values({"name": "Ysgol Enghraifft (invented)", "dsp_name": "Alex Example", "dsp_phone": "01632 960001",
                 "childrens_services_name": "Example children's services",
                 "childrens_services_phone": "01632 960002"})
    board = dashboard("en")
    html = board.checklist.children[1].value
    assert "Ysgol Enghraifft (invented)" in html and "Alex Example" in html
    assert "01632 960001" in html and "01632 960002" in html and "Police: <span class=\"fmse-setting-value\">101" in html
    assert "have not been set yet" not in html


def test_printable_checklist_is_a_standalone_page(no_setting):
    board = dashboard("cy")
    name, body = data_link(board.checklist.children[0].value)
    assert name == "rhestr-wirio-ymateb.html"
    page = body.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="cy">' in page and "@media print" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r'src=|url\(', page)
    assert printable_document("en").count("<ol>") >= 4
    assert "fmse-no-print" in board.checklist.children[0]._dom_classes


def test_checklist_text_is_in_both_languages_with_the_same_placeholders():
    checklist = load_checklist()
    for where, text in checklist.texts():
        assert text.cy.strip() != text.en.strip(), f"{where}: the Welsh is the English text"
        assert sorted(re.findall(r"\{\w+\}", text.en)) == sorted(re.findall(r"\{\w+\}", text.cy)), where
        assert not text.stale, f"{where}: the English changed; update the Welsh and run fmse-course content stamp"
    alert_steps = [t for w, t in checklist.texts() if t.cy_status == "official"]
    assert len(alert_steps) >= 5


def test_checklist_rejects_an_unknown_placeholder(tmp_path):
    from fmse_widgets.content.errors import ContentError

    data = {"title": {"en": "T", "cy": "T cy"}, "intro": {"en": "I", "cy": "I cy"},
            "not_set": {"en": "N", "cy": "N cy"}, "sources": {"en": "S", "cy": "S cy"},
            "sections": [{"id": "a", "heading": {"en": "H", "cy": "H cy"},
                          "steps": [{"id": "b", "text": {"en": "Call {head_name}", "cy": "Ffoniwch {head_name}"}}]}]}
    with pytest.raises(ContentError, match=r"\{head_name\} is not a setting field"):
        parse_checklist(data, tmp_path / "checklist.yaml")


# --- lean kernels ----------------------------------------------------------------------------------

def notebook_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("path", ["en/dashboard.ipynb", "cy/dangosfwrdd.ipynb",
                                  "en/08-understanding-the-data.ipynb"])
@pytest.mark.slow  # a process of its own
def test_pages_import_only_what_they_use(path, tmp_path):
    code = notebook_code(ROOT / "notebooks" / path)
    probe = ("import sys\n" + code + "\nheavy = sorted(m for m in sys.modules if m.split('.')[0] in "
             "('matplotlib', 'scipy', 'fpdf', 'docx', 'jsonschema', 'tqdm'))\nprint('HEAVY', heavy)\n")
    env = {"FMSE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stdout, out.stdout


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_la_leads_staff_training_is_counts_per_setting_and_module_with_no_names(tmp_path, lang):
    """records.training_view.SettingCounts (the la-lead's tab on a hub), on a real SQLite store: one row per
    setting with its number of people and, per module, how many completed it; no name or learner id anywhere."""
    from fmse_widgets.i18n import translator
    from fmse_widgets.records.sqlite import SQLiteStore
    from fmse_widgets.records.training_view import SettingCounts

    path = tmp_path / "records.sqlite3"
    with SQLiteStore(path) as store:
        store.add_setting("ysgol-y-bryn", "Ysgol y Bryn", "Ysgol y Bryn")
        store.add_setting("ysgol-glan", "Ysgol Glan", "Ysgol Glan")
        ids = {name: store.add_learner(name).learner_id for name in ("Anwen Lloyd", "Bethan Rhys", "Carys Puw")}
        store.assign_setting("ysgol-y-bryn", [ids["Anwen Lloyd"], ids["Bethan Rhys"]])
        store.assign_setting("ysgol-glan", [ids["Carys Puw"]])
        store.record_completion(ids["Anwen Lloyd"], "context", completed_at="2026-03-01T10:00:00+00:00")
        store.record_completion(ids["Carys Puw"], "context", completed_at="2026-03-02T10:00:00+00:00")
        store.record_completion(ids["Carys Puw"], "what-it-looks-like", completed_at="2026-03-03T10:00:00+00:00")
    view = SettingCounts(lang, store_factory=lambda: SQLiteStore(path))
    html = view.table.value
    rows = {m.group(1): re.findall(r"<td>(\d+)</td>", m.group(2))
            for m in re.finditer(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', html)}
    modules = view.modules()
    context, signs = ([i for i, m in enumerate(modules) if m[0] == page][0] for page in ("context", "what-it-looks-like"))
    assert rows["ysgol-y-bryn"][0] == "2" and rows["ysgol-glan"][0] == "1"
    assert rows["ysgol-y-bryn"][1 + context] == "1" and rows["ysgol-y-bryn"][1 + signs] == "0"
    assert rows["ysgol-glan"][1 + context] == "1" and rows["ysgol-glan"][1 + signs] == "1"
    assert translator(lang).gettext("People") in html
    shown = html + view.summary.value
    for name, learner_id in ids.items():
        assert name not in shown and learner_id not in shown
    assert view.errors.value == ""
