"""Small numbers in real Chromium, in both languages: over a course whose case data holds 8 cases, the dashboard's
case patterns, its download and module 8 say "fewer than 10" (with the note saying why), never a percentage of 8."""
from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from pagekit import RENDERED

pytestmark = pytest.mark.browser

ROOT_FOLDERS = ("data", "notebooks")
DASHBOARD = {"en": "en/dashboard.ipynb", "cy": "cy/dangosfwrdd.ipynb"}
MODULE_8 = {"en": "en/08-understanding-the-data.ipynb", "cy": "cy/08-deall-y-data.ipynb"}
FEW = {"en": "fewer than 10", "cy": "llai na 10"}
NOTE = {"en": "is not shown", "cy": "yn cael ei ddangos"}
PREPARE = {"en": "Prepare a CSV file of these cases", "cy": "Paratoi ffeil CSV o'r achosion hyn"}
WARNING = {"en": "This file holds fewer than 10 cases.", "cy": "Mae'r ffeil hon yn cynnwys llai na 10 achos."}


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """The real course server over a copy of the course whose sample holds 8 cases."""
    from servers import CourseServer

    from fmse_widgets.paths import course_root

    copy = tmp_path_factory.mktemp("small-course")
    for folder in ROOT_FOLDERS:
        shutil.copytree(course_root() / folder, copy / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    sample = copy / "data" / "cases" / "sample.csv"
    cases = pd.read_csv(sample, keep_default_na=False, dtype=str)
    cases.head(8).to_csv(sample, index=False, lineterminator="\n")
    server = CourseServer(tmp_path_factory.mktemp("small-server"),
                          env={"FMSE_COURSE_ROOT": str(copy), "FMSE_DATA_DIR": str(copy / "records")})
    yield server
    server.stop()


def open_page(visit, server, path, ready_selector):
    v = visit()
    v.page.goto(f"{server.base}/voila/render/{path}", wait_until="domcontentloaded", timeout=90_000)
    v.page.wait_for_function(RENDERED, timeout=90_000)
    v.page.wait_for_selector(ready_selector, timeout=60_000)
    return v


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_case_patterns_and_the_download_say_fewer_than_10(visit, small_server, lang):
    v = open_page(visit, small_server, DASHBOARD[lang], ".fmse-headline")
    page = v.page
    values = page.locator(".fmse-headline .fmse-figure-value").all_inner_texts()
    assert values == [FEW[lang]] * 7
    tab = page.locator(".fmse-case-patterns").inner_text()
    assert NOTE[lang] in tab and "%" not in page.locator(".fmse-headline").inner_text()
    cells = page.evaluate("() => [...document.querySelectorAll('.fmse-case-patterns td')].map(td => td.innerText)")
    assert not [c for c in cells if re.fullmatch(r"[1-9]|\d+%", c.strip())]
    page.get_by_role("button", name=PREPARE[lang]).click()
    page.wait_for_selector(".fmse-download-warning", timeout=30_000)
    assert page.locator(".fmse-download-warning").inner_text().startswith(WARNING[lang])
    assert v.outside == []


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_module_8_says_fewer_than_10(visit, small_server, lang):
    v = open_page(visit, small_server, MODULE_8[lang], ".fmse-explore")
    page = v.page
    text = page.locator("#rendered_cells").inner_text()
    assert FEW[lang] in text and NOTE[lang] in text
    cells = page.evaluate("() => [...document.querySelectorAll('.fmse-explore td')].map(td => td.innerText)")
    assert cells and not [c for c in cells if re.fullmatch(r"\d+%", c.strip())]
    assert v.outside == []
