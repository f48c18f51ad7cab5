"""The safeguarding lead's dashboard in real Chromium: it renders in both languages, the filters and tabs work
with the keyboard alone, the CSV link holds the filtered rows, and no request leaves 127.0.0.1."""
from __future__ import annotations

import base64
import re

import pandas as pd
import pytest

from fmse_widgets.cases.validate import sample_path
from pagekit import RENDERED

pytestmark = pytest.mark.browser

PAGES = {"en": "en/dashboard.ipynb", "cy": "cy/dangosfwrdd.ipynb"}
LABELS = {"en": {"sex": "Sex", "prepare": "Prepare a CSV file of these cases", "checklist": "Response checklist",
                 "showing": "Showing {n} of 4,000 cases."},
          "cy": {"sex": "Rhyw", "prepare": "Paratoi ffeil CSV o'r achosion hyn", "checklist": "Rhestr wirio ymateb",
                 "showing": "Yn dangos {n} o 4,000 o achosion."}}


def open_dashboard(visit, server, lang):
    v = visit()
    v.page.goto(f"{server.base}/voila/render/{PAGES[lang]}", wait_until="domcontentloaded", timeout=60_000)
    v.page.wait_for_function(RENDERED, timeout=60_000)
    v.page.wait_for_function("() => document.querySelectorAll('.fmse-case-patterns .fmse-filters select').length === 7",
                             timeout=60_000)
    return v


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const label = el && el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
        return {tag: el ? el.tagName : null, role: el ? el.getAttribute('role') : null,
                label: label ? label.textContent.trim() : null, text: el ? el.textContent.trim() : null,
                selected: el ? el.getAttribute('aria-selected') : null};
    }""")


def tab_until(page, condition, limit=80, key="Tab"):
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if condition(state):
            return state
    raise AssertionError(f"focus never reached the control; last: {focused(page)}")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_dashboard_renders_without_errors_or_outside_requests(visit, course_server, lang):
    v = open_dashboard(visit, course_server, lang)
    page = v.page
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .fmse-cell-error').count() == 0
    assert page.locator(".fmse-case-patterns .fmse-live").first.inner_text().strip() == \
        LABELS[lang]["showing"].format(n="4,000")
    # Every chart has an accessible name and description that exist in the page.
    charts = page.evaluate("""() => [...document.querySelectorAll('svg.fmse-chart-svg')].map(svg => {
        const ids = svg.getAttribute('aria-labelledby').split(' ');
        return {role: svg.getAttribute('role'), parts: ids.map(i => (document.getElementById(i) || {}).textContent)};
    })""")
    assert len(charts) == 4
    assert all(c["role"] == "img" and all(p and p.strip() for p in c["parts"]) for c in charts)
    # Every filter is labelled.
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('.fmse-dashboard .fmse-filters select')]
        .filter(s => !document.querySelector(`label[for="${s.id}"]`)).length""")
    assert unlabelled == 0
    assert v.outside == [], f"requests left 127.0.0.1: {v.outside}"


def test_filters_download_and_tabs_work_with_the_keyboard_alone(visit, course_server):
    lang = "en"
    raw = pd.read_csv(sample_path(), keep_default_na=False)
    v = open_dashboard(visit, course_server, lang)
    page = v.page
    live = page.locator(".fmse-case-patterns .fmse-live").first
    assert live.get_attribute("aria-live") == "polite"

    # Sex: All -> Male with the arrow key; the live region says how many cases now show.
    tab_until(page, lambda s: s["tag"] == "SELECT" and s["label"] == LABELS[lang]["sex"])
    page.keyboard.press("ArrowDown")
    males = int((raw["sex"] == "male").sum())
    expected = LABELS[lang]["showing"].format(n=f"{males:,}")
    page.wait_for_function(f"() => document.querySelector('.fmse-case-patterns .fmse-live').innerText.trim() "
                           f"=== {expected!r}", timeout=20_000)

    # Prepare the CSV with Enter; the link holds the filtered rows (up to the cap).
    tab_until(page, lambda s: s["tag"] == "BUTTON" and s["text"] == LABELS[lang]["prepare"])
    page.keyboard.press("Enter")
    # The case download (the Staff training tab has a CSV link of its own when the store holds records).
    cases_csv = ".fmse-case-patterns a.fmse-download[href^='data:text/csv']"
    page.wait_for_selector(cases_csv, timeout=20_000)
    href = page.locator(cases_csv).get_attribute("href")
    body = base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8")
    expected_rows = raw[raw["sex"] == "male"].head(2000)
    assert body == expected_rows.to_csv(index=False, lineterminator="\n")
    assert page.locator("pre.fmse-command").first.inner_text().strip() == \
        "fmse-course cases export --out cases.csv --sex male"

    # Back to the tab bar, then the arrow keys and Enter open the response checklist.
    tab_until(page, lambda s: s["role"] == "tab", key="Shift+Tab", limit=60)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    state = focused(page)
    assert state["role"] == "tab" and state["selected"] == "true" and state["text"] == LABELS[lang]["checklist"]
    page.wait_for_selector(".fmse-checklist", state="visible", timeout=10_000)
    assert page.locator(".fmse-checklist ol").count() >= 4
    print_link = page.locator("a.fmse-download[href^='data:text/html']")
    assert print_link.count() == 1 and print_link.is_visible()
    assert re.search(r"call 999", page.locator(".fmse-checklist").inner_text())
    assert v.outside == []
