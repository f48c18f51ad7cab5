"""The DSP's dashboard in real Chromium, with real records: the Staff training grid shows a part-way learner, one
who completed the course and one due for a refresher; the tabs have their ARIA roles and fit at 1366, 360 and 320
px in both languages, and the page never scrolls sideways."""
from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from fmse_widgets.recording import ExerciseEvent
from pagekit import RENDERED, axe_failures, run_axe

pytestmark = pytest.mark.browser

PAGES = {"en": "en/dashboard.ipynb", "cy": "cy/dangosfwrdd.ipynb"}
TRAINING = {"en": "Staff training", "cy": "Hyfforddiant staff"}
SIZES = [(1366, 768), (360, 640), (320, 640)]
SHOTS = Path(os.environ.get("FMSE_SCREENSHOTS", "/tmp/fmse-h15-shots"))


def event(exercise: str, page: str, day: date, passed: bool | None = True) -> ExerciseEvent:
    when = f"{day.isoformat()}T09:00:00+00:00"
    return ExerciseEvent(exercise, page, "en", ("a",), 1.0 if passed is not False else 0.2, passed, when, when)


@pytest.fixture(scope="module")
def records_server(tmp_path_factory):
    """The real course server over a data folder with three members of staff."""
    from servers import CourseServer

    from fmse_widgets.records.progress import completion_rule
    from fmse_widgets.records.sqlite import SQLiteStore

    data = tmp_path_factory.mktemp("dsp-data")
    rule = completion_rule()
    today = date.today()
    with SQLiteStore(data / "records.sqlite3") as store:
        people = {"part": store.add_learner("Part Way").learner_id,
                  "done": store.add_learner("Rhian Gwblhau").learner_id,
                  "due": store.add_learner("Dai Hen").learner_id}
        for requirement in rule:
            if not requirement.required:
                continue
            for who, day in (("done", today - timedelta(days=30)), ("due", today - timedelta(days=800))):
                for exercise in (*requirement.answer, *requirement.passes):
                    store.record_event(people[who], event(exercise, requirement.page, day))
        context = rule[1]
        for exercise in context.answer[:2]:
            store.record_event(people["part"], event(exercise, context.page, today - timedelta(days=2)))
    server = CourseServer(tmp_path_factory.mktemp("dsp-server"), env={"FMSE_DATA_DIR": str(data)})
    yield server
    server.stop()


def open_dashboard(visit, server, lang, size=(1366, 768)):
    v = visit(viewport=size)
    v.page.goto(f"{server.base}/voila/render/{PAGES[lang]}", wait_until="domcontentloaded", timeout=90_000)
    v.page.wait_for_function(RENDERED, timeout=90_000)
    v.page.wait_for_selector(".fmse-dashboard [role=tab]", timeout=60_000)
    return v


def open_training(page, lang):
    page.get_by_role("tab", name=TRAINING[lang]).click()
    page.wait_for_selector(".fmse-training-grid", state="visible", timeout=30_000)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_training_grid_shows_each_persons_state(visit, records_server, lang):
    v = open_dashboard(visit, records_server, lang)
    page = v.page
    open_training(page, lang)
    rows = page.evaluate("""() => [...document.querySelectorAll('.fmse-training-grid tbody tr')].map(tr =>
        [tr.querySelector('th').innerText.trim(), ...[...tr.querySelectorAll('td')].map(td => td.innerText.trim())])""")
    by_name = {r[0]: r[1:] for r in rows}
    assert set(by_name) == {"Part Way", "Rhian Gwblhau", "Dai Hen"}
    words = {"en": ("In progress\n2 of 4", "Completed", "Due for refresher", "Not started"),
             "cy": ("Ar y gweill\n2 o 4", "Wedi cwblhau", "Angen gloywi", "Heb ddechrau")}[lang]
    part, done, due = by_name["Part Way"], by_name["Rhian Gwblhau"], by_name["Dai Hen"]
    assert part[2] == "◐ " + words[0] and part[1] == "○ " + words[3]    # module 01; module 00
    assert done[0].startswith("✓ " + words[1]) and due[0].startswith("↻ " + words[2])   # the whole course
    summary = page.locator(".fmse-training-summary").inner_text()
    assert summary.startswith({"en": "2 of 3 staff have completed the course; 1 is due for a refresher.",
                               "cy": "Mae 2 o 3 aelod o staff wedi cwblhau'r cwrs; mae angen gloywi ar 1."}[lang])
    # Ids are never on screen; the grid is a captioned table in a focusable scrolling region.
    text = page.locator(".fmse-staff-training").inner_text()
    assert not any(len(word) == 32 and all(c in "0123456789abcdef" for c in word) for word in text.split())
    region = page.locator(".fmse-grid-scroll")
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert page.locator(".fmse-training-grid caption").count() == 1
    assert page.locator(".fmse-training-grid th[scope=col]").count() >= 11
    # Filter by state with the keyboard: only the person due for a refresher stays.
    state = page.locator(".fmse-staff-training .fmse-filters select").nth(1)
    state.focus()
    state.select_option(label={"en": "Due for refresher", "cy": "Angen gloywi"}[lang])
    page.wait_for_function("() => document.querySelectorAll('.fmse-training-grid tbody tr').length === 1",
                           timeout=20_000)
    assert page.locator(".fmse-training-grid tbody th").inner_text().strip() == "Dai Hen"
    SHOTS.mkdir(parents=True, exist_ok=True)
    state.select_option(label={"en": "All", "cy": "Y cyfan"}[lang])
    page.wait_for_function("() => document.querySelectorAll('.fmse-training-grid tbody tr').length === 3",
                           timeout=20_000)
    page.locator(".fmse-dashboard").screenshot(path=str(SHOTS / f"training-{lang}-1366.png"))
    wcag, serious = axe_failures(run_axe(page))  # axe-core with the grid open
    assert wcag == [] and serious == [], wcag + serious
    assert v.outside == []


def tabs_and_panels(page) -> dict:
    return page.evaluate("""() => {
        const tabs = [...document.querySelectorAll('.fmse-dashboard [role=tab]')];
        return {tabs: tabs.map(t => {
            const r = t.getBoundingClientRect();
            const panel = document.getElementById(t.getAttribute('aria-controls') || '');
            return {text: t.innerText.trim(), left: r.left, right: r.right, width: r.width,
                    selected: t.getAttribute('aria-selected'),
                    panelRole: panel && panel.getAttribute('role'),
                    panelLabelledBy: panel && panel.getAttribute('aria-labelledby'), id: t.id};
        }), tablist: !!document.querySelector('.fmse-dashboard [role=tablist]')};
    }""")


OFF_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    const inGrid = el => el.closest('.fmse-grid-scroll');
    const visible = el => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
        return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
    const controls = [...document.querySelectorAll(
        '.fmse-dashboard [role=tab], .fmse-dashboard select, .fmse-dashboard button, .fmse-dashboard input, '
        + '.fmse-dashboard a, .fmse-dashboard summary')].filter(el => visible(el) && !inGrid(el));
    const out = controls.filter(el => { const r = el.getBoundingClientRect();
        return r.left < -0.5 || r.right > width + 0.5; })
        .map(el => `${el.tagName} ${(el.innerText || el.value || '').trim().slice(0, 40)}`);
    return {out, count: controls.length, scrollWidth: document.documentElement.scrollWidth, width,
            bodyScroll: document.body.scrollWidth};
}"""


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_tabs_and_controls_fit_every_screen(visit, records_server, lang, size):
    v = open_dashboard(visit, records_server, lang, size)
    page = v.page
    found = tabs_and_panels(page)
    assert found["tablist"] and len(found["tabs"]) == 3
    for tab in found["tabs"]:
        assert tab["selected"] in ("true", "false") and tab["panelRole"] == "tabpanel"
        assert tab["panelLabelledBy"] == tab["id"] and tab["id"]
    for name in ("patterns", TRAINING[lang]):
        if name != "patterns":
            page.locator(".fmse-dashboard [role=tab]").first.scroll_into_view_if_needed()
            open_training(page, lang)
        measured = page.evaluate(OFF_SCREEN)
        assert measured["count"] > 3 and measured["out"] == [], measured
        assert measured["scrollWidth"] <= measured["width"], measured  # the page never scrolls sideways
        tabs = tabs_and_panels(page)["tabs"]
        assert all(t["left"] >= -0.5 and t["right"] <= size[0] + 0.5 for t in tabs), tabs
    if size[0] in (1366, 360):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"dashboard-tabs-{lang}-{size[0]}.png"))
        page.set_viewport_size({"width": size[0], "height": 2400})  # the whole tab in one picture
        page.locator(".fmse-staff-training").screenshot(path=str(SHOTS / f"dashboard-training-{lang}-{size[0]}.png"))
    assert v.outside == []
