"""A learner who comes back finds their progress (issue 14, item 1), in real Chromium against the real server,
in both languages:

- after "Save my name" the address bar carries the learner and the browser keeps a signed learner cookie;
- `fmse-course serve` is stopped and started again (same data folder, so the same records and cookie secret);
  opening `/` again shows "Continue as <name>" (to the next unfinished module) with the progress kept, and module 0 shows each earlier answer's
  result (item 2);
- "I'm someone else" forgets the learner in this browser: `/` then asks for a name again;
- typing the same name again asks "is that you?" instead of making a second learner; "Yes" continues as them,
  "No, I'm a different person" makes a new learner of the same name.
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from pagekit import RENDERED, answer_all, axe_failures, exercise_ids, run_axe
from servers import CourseServer
from fmse_widgets.i18n import translator
from fmse_widgets.course import pages

pytestmark = pytest.mark.browser

MODULE_0 = {"en": "en/00-start-here.ipynb", "cy": "cy/00-dechrau-yma.ipynb"}
NAME = {"en": "Siân O'Brien", "cy": "Dafydd ap Gwilym"}


def open_landing(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000)


def save_name(page, lang: str, name: str) -> None:
    tr = translator(lang)
    part = page.locator(f".fmse-lang-{lang}")
    box = part.locator(".fmse-identity input[type=text]")
    box.fill(name)
    box.press("Tab")  # the name reaches the kernel when the box loses focus
    part.locator(".fmse-identity button", has_text=tr.gettext("Save my name")).click()


def progress_text(page, lang: str) -> str:
    return page.locator(f".fmse-lang-{lang} .fmse-course-progress-view").inner_text()


def learners_called(data: Path, name: str) -> int:
    with sqlite3.connect(data / "records.sqlite3") as db:  # the real records file, read as it is
        return db.execute("SELECT count(*) FROM learners WHERE name = ?", (name,)).fetchone()[0]


def learner_cookie(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == "fmse_learner"]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_learner_is_recognised_after_a_restart_and_a_same_name_is_asked_about(browser, tmp_path, lang):
    tr = translator(lang)
    data = tmp_path / "data"
    data.mkdir()
    env = {"FMSE_DATA_DIR": str(data)}
    module_0 = MODULE_0[lang]
    assert Path(__file__).resolve().parents[2].joinpath("notebooks", module_0).exists()
    name = NAME[lang]
    continue_as = tr.gettext("Continue as {name}").format(name=name)
    someone_else = tr.gettext("I'm someone else")

    context = browser.new_context()
    page = context.new_page()
    server = CourseServer(tmp_path, env=env)
    try:
        open_landing(page, server.base + "/")
        fresh = progress_text(page, lang)
        save_name(page, lang, name)
        # The server remembers the learner in this browser, and the address bar carries them (bookmarks).
        page.wait_for_function("() => document.querySelector('.fmse-remember[data-fmse-remembered=\"true\"]')",
                               timeout=30_000)
        assert re.search(r"[?&]learner=[0-9a-f]{32}\b", page.url), page.url
        learner_id = re.search(r"learner=([0-9a-f]{32})", page.url).group(1)
        cookies = learner_cookie(context)
        assert len(cookies) == 1 and cookies[0]["httpOnly"] and cookies[0]["expires"] > 0, cookies
        # Some progress: every exercise of module 0, reached through the landing page's own link.
        start = page.locator(f".fmse-lang-{lang} a.fmse-start")
        assert f"learner={learner_id}" in start.get_attribute("href")
        start.click()
        page.wait_for_function(RENDERED, timeout=60_000)
        page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise').length === "
                               f"{len(exercise_ids(module_0))}", timeout=60_000)
        answer_all(page, module_0, lang)
        open_landing(page, server.base + "/")
        kept = progress_text(page, lang)
        assert kept != fresh, kept
    finally:
        server.stop()

    # The server stops and starts again: the same browser opens `/` and is recognised, with the progress kept.
    server = CourseServer(tmp_path, env=env)
    try:
        open_landing(page, server.base + "/")
        assert f"learner={learner_id}" in page.url, page.url
        part = page.locator(f".fmse-lang-{lang}")
        page.wait_for_function("text => document.querySelector('.fmse-lang-" + lang + " a.fmse-continue')"
                               "?.textContent === text", arg=continue_as, timeout=30_000)
        assert progress_text(page, lang) == kept
        assert f"learner={learner_id}" in part.locator("a.fmse-continue").get_attribute("href")
        assert part.locator("a.fmse-forget").inner_text() == someone_else
        # The other language's part knows the same learner.
        other = "cy" if lang == "en" else "en"
        assert page.locator(f".fmse-lang-{other} .fmse-identity input[type=text]").input_value() == name

        # The page as a returning learner has it passes axe-core (WCAG A/AA, serious best practices).
        wcag, serious = axe_failures(run_axe(page))
        assert wcag == [] and serious == [], json.dumps(wcag + serious, indent=1, ensure_ascii=False)

        # "Continue as …" carries them on to the next unfinished module: module 0 is complete, so module 1.
        module_1 = next(p.path for p in pages() if p.lang == lang and p.kind == "module" and p.path != module_0)
        assert part.locator("a.fmse-continue").get_attribute("href").startswith(module_1 + "?"), module_1
        # Module 0, opened again from the start link, shows each exercise answered before with its result (issue
        # 14 item 2), and each can be answered again.
        part.locator("a.fmse-start").click()
        page.wait_for_function(RENDERED, timeout=60_000)
        count = len(exercise_ids(module_0))
        page.wait_for_function(f"() => document.querySelectorAll('.fmse-exercise .fmse-previous-answer').length "
                               f"=== {count}", timeout=60_000)
        again = tr.gettext("Your answer is kept. To try again, answer below: your new answer is kept too.")
        assert again in page.locator(".fmse-previous-answer").first.inner_text()
        open_landing(page, server.base + "/")
        part.locator("a.fmse-forget").wait_for(timeout=30_000)

        # "I'm someone else": this browser forgets them; `/` asks for a name again, with no progress.
        part.locator("a.fmse-forget").click()
        page.wait_for_function(RENDERED, timeout=60_000)
        assert "learner=" not in page.url and learner_cookie(context) == []
        open_landing(page, server.base + "/")
        assert "learner=" not in page.url, page.url
        assert page.locator(f".fmse-lang-{lang} a.fmse-continue").count() == 0
        assert progress_text(page, lang) == fresh

        # The same name typed again: asked, not a second learner made silently.
        save_name(page, lang, name.upper())
        question = tr.gettext("There is already a learner called {name} on this computer: is that you?") \
            .format(name=name)
        page.wait_for_function("text => document.querySelector('.fmse-lang-" + lang + " .fmse-same-name')"
                               "?.innerText.includes(text)", arg=question, timeout=30_000)
        assert learners_called(data, name) == 1 and learners_called(data, name.upper()) == 0
        part.locator(".fmse-same-name button", has_text=tr.gettext("Yes, continue as {name}").format(name=name)) \
            .click()
        page.wait_for_function("() => document.querySelector('.fmse-remember[data-fmse-remembered=\"true\"]')",
                               timeout=30_000)
        assert f"learner={learner_id}" in page.url
        page.wait_for_function(f"text => document.querySelector('.fmse-lang-{lang} .fmse-course-progress-view')"
                               f"?.innerText === text", arg=kept, timeout=30_000)
        assert learners_called(data, name) == 1 and len(learner_cookie(context)) == 1

        # Someone else of the same name, in another browser: asked too, and "No" makes a second learner.
        stranger = browser.new_context()
        try:
            other_page = stranger.new_page()
            open_landing(other_page, server.base + "/")
            save_name(other_page, lang, name)
            other_page.locator(f".fmse-lang-{lang} .fmse-same-name button",
                               has_text=tr.gettext("No, I'm a different person")).click()
            other_page.wait_for_function(
                "() => document.querySelector('.fmse-remember[data-fmse-remembered=\"true\"]')", timeout=30_000)
            assert learner_id not in other_page.url and "learner=" in other_page.url
            assert learners_called(data, name) == 2
            assert progress_text(other_page, lang) == fresh
        finally:
            stranger.close()
    finally:
        server.stop()
        context.close()
