"""`fmse-course check` (issue 8, part 5): it passes on the real course, and on a deliberately broken copy it
names each problem (the file, and what to do) in English and in Welsh, and exits 1."""
from __future__ import annotations

import io
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fmse_widgets.bilingual import welsh
from fmse_widgets.check import SAY, page_problem, run
from fmse_widgets.cli import main
from fmse_widgets.processes import free_port

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "cy")


def sentence(key: str, lang: str) -> str:
    """One of the check's sentences in `lang` (the Welsh from the catalogue)."""
    return SAY[key] if lang == "en" else welsh("check", SAY[key])


def said(key: str, lang: str) -> str:
    """The fixed start of one of the check's sentences (before its first {placeholder})."""
    return sentence(key, lang).split("{")[0]


def report(lang: str, **kwargs) -> tuple[int, str]:
    out = io.StringIO()
    code = run(lang, render=kwargs.pop("render", False), out=out, **kwargs)
    return code, out.getvalue()


@pytest.fixture
def broken_locale(tmp_path: Path) -> Path:
    """A copy of the interface catalogues to damage."""
    folder = tmp_path / "locale"
    shutil.copytree(ROOT / "widgets" / "locale", folder)
    return folder


# The pages the render check opens in the tests below: a small course keeps them quick. That every page of the real
# course passes the render check's own test (check.page_problem) is asserted on the load each page already gets in
# browser/test_every_page_accessibility.py; the real course's other checks pass in
# test_the_real_installation_passes_in_both_languages.
SMALL_COURSE = ("index.ipynb", "00-start-here.ipynb", "01-context.ipynb", "00-dechrau-yma.ipynb", "dangosfwrdd.ipynb",
                "workshop.ipynb")


def small_course(course_copy: Path) -> list[str]:
    """Cut the copy of the course down to SMALL_COURSE; the paths of its pages."""
    notebooks = course_copy / "notebooks"
    for path in notebooks.rglob("*.ipynb"):
        if path.name not in SMALL_COURSE:
            path.unlink()
    return sorted(str(p.relative_to(notebooks)) for p in notebooks.rglob("*.ipynb"))


def test_the_check_command_passes_and_opens_every_page(course_copy):
    """`fmse-course check` as a facilitator runs it, in a process of its own, every check and the render step on
    a small copy of the course (FMSE_COURSE_ROOT): all pass, every page of the copy opens, and it says so."""
    kept = small_course(course_copy)
    assert len(kept) == len(SMALL_COURSE), kept
    done = subprocess.run([sys.executable, "-m", "fmse_widgets.cli", "check", "--port", str(free_port())],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Everything is ready for the workshop." in done.stdout
    opened = sentence("render_ok", "en").split("{seconds}")[0].format(n=len(kept))  # "...: 6 pages in "
    assert opened in done.stdout and "PROBLEM" not in done.stdout, (opened, done.stdout)
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_the_real_installation_passes_in_both_languages(lang, capsys):
    assert main(["check", "--no-render", "--lang", lang, "--port", str(free_port())]) == 0
    out = capsys.readouterr().out
    assert sentence("all_well", lang) in out
    for key in ("packages_ok", "voila_ok", "template_ok", "catalogue_ok", "content_ok", "cases_ok", "records_ok",
                "port_ok", "render_skipped"):
        assert said(key, lang) in out, (key, out)


@pytest.mark.parametrize("lang", LANGS)
def test_a_broken_installation_names_each_problem_and_what_to_do(course_copy, broken_locale, tmp_path, monkeypatch,
                                                                  lang):
    # A malformed exercise file: an exercise type that does not exist.
    exercise = course_copy / "data" / "exercises" / "context-who-is-targeted.yaml"
    exercise.write_text(exercise.read_text(encoding="utf-8").replace("type: single-choice", "type: single-choise"),
                        encoding="utf-8")
    # The Welsh interface catalogue deleted.
    (broken_locale / "cy" / "LC_MESSAGES" / "fmse.po").unlink()
    # The case data cut short in the middle of a row.
    cases = course_copy / "data" / "cases" / "sample.csv"
    cases.write_text(cases.read_text(encoding="utf-8")[:500] + "\nnot,a,case\n", encoding="utf-8")
    # The records folder cannot be made (its parent is a file), and the course's port is taken.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("FMSE_DATA_DIR", str(blocker / "records"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, out = report(lang, port=taken.getsockname()[1], locale_folder=broken_locale)

    assert code == 1
    lines = out.splitlines()
    problems = [ln for ln in lines if ln.strip().startswith(sentence("problem", lang) + ":")]
    assert len(problems) == 4 + 1, out  # catalogue, exercise, cases, records, port
    what_to_do = sentence("what_to_do", lang)

    def problem_about(text: str) -> tuple[str, str]:
        at = next(i for i, ln in enumerate(lines) if text in ln and "PROBLEM" in ln)
        end = next((i for i in range(at + 1, len(lines)) if not lines[i].startswith("      ")), len(lines))
        fix = next((ln for ln in lines[at + 1:end] if what_to_do in ln), "")
        return "\n".join(lines[at:end]), fix

    line, fix = problem_about("fmse.po")
    assert said("catalogue_broken", lang) in line and "missing" in line
    assert "git checkout -- " in fix and "fmse.po" in fix  # restore the catalogue named, from the repository

    line, fix = problem_about("context-who-is-targeted.yaml")
    assert said("content_broken", lang) in line and "type" in line and "single-choise" in line
    assert "fmse-course content check" in fix

    line, fix = problem_about("sample.csv")
    assert said("cases_broken", lang) in line
    assert "fmse-course cases generate" in fix

    line, _ = problem_about(said("records_broken", lang))
    assert "FMSE_DATA_DIR" in line

    line, fix = problem_about(said("port_busy", lang))
    assert "--port" in fix

    assert sentence("problems", lang).format(n=5) in out
    assert "Traceback" not in out


@pytest.mark.parametrize("lang", LANGS)
def test_a_garbled_catalogue_is_named_in_both_languages(broken_locale, lang):
    po = broken_locale / "cy" / "LC_MESSAGES" / "fmse.po"
    po.write_text('msgid "Finish"\nmsgstr "Gorffen\n\nmsgid', encoding="utf-8")
    code, out = report(lang, port=free_port(), locale_folder=broken_locale)
    assert code == 1
    line = next(ln for ln in out.splitlines() if "fmse.po" in ln)
    assert said("catalogue_broken", lang) in line and "cannot be read" in line
    assert sentence("problems", lang).format(n=1) in out


def test_an_incomplete_catalogue_says_how_to_find_the_gaps(broken_locale):
    po = broken_locale / "cy" / "LC_MESSAGES" / "fmse.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('\nmsgid "Finish"\n')
    end = text.index("\n\n", start + 1)
    po.write_text(text[:start] + text[end:], encoding="utf-8")  # drop one entry
    code, out = report("en", port=free_port(), locale_folder=broken_locale)
    assert code == 1
    assert "is incomplete (1 problems)" in out and "Finish" in out and "fmse-course i18n check" in out


def test_a_page_that_fails_to_render_is_named(course_copy, monkeypatch):
    """The render check starts the real server on the broken copy and names the page that shows an error."""
    notebooks = course_copy / "notebooks"
    for path in notebooks.rglob("*.ipynb"):  # a small course keeps this test quick: two modules and the landing page
        if path.name not in ("index.ipynb", "00-start-here.ipynb", "01-context.ipynb", "00-dechrau-yma.ipynb"):
            path.unlink()
    exercise = course_copy / "data" / "exercises" / "context-who-is-targeted.yaml"
    exercise.unlink()  # shown by en/01-context.ipynb
    code, out = report("cy", port=free_port(), render=True)
    assert code == 1
    assert sentence("render_error", "cy").format(path="en/01-context.ipynb") in out, out
    assert "notebooks/en/01-context.ipynb" in out  # what to do names the notebook to open
    assert "00-start-here.ipynb" not in out and "index.ipynb" not in out.replace("01-context.ipynb", "")


def test_page_problems_are_recognised():
    assert page_problem(200, "<html>fine</html>") is None
    assert page_problem(404, "") == "status"
    assert page_problem(200, '<div class="jp-OutputArea-output fmse-cell-error">') == "error"

