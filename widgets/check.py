"""`fmse-course check`: what a trainer runs before a workshop.

It checks the installation (Python and its packages, Voilà's version, the course's page template, the Welsh
interface catalogue, every content file, the case data, the learner records, a free port), then starts the
course server on a spare port of 127.0.0.1 and opens every page once, as a browser would ask for it. Each
problem is said in plain words with what to do, in English or in Welsh (`--lang`). Exit status 0 when all is
well, 1 when there is a problem.

The check's own sentences are written here in English and translated through the gettext catalogue (context
"check"), so their Welsh has a draft/reviewed status and is spelling- and termbase-tested like all interface
Welsh. The catalogue is also one of the things the check checks: when it cannot be read, the report is in English
and says so (the catalogue's finding). Details quoted from other parts of the course (a content file's problem,
for instance) are in English.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .bilingual import marked, welsh
from .languages import LANGS
from .paths import PACKAGE, installed, template_dir
from .processes import free_port, port_free, stop_server

NEEDED_PYTHON = (3, 11)
FIXED_VOILA = (0, 5, 6)  # CVE-2024-30265: file read through /static
TEMPLATE_FILES = ("conf.json", "index.html.j2", "page.html", "error.html", "404.html", "refused.html",
                  "fmse_i18n.html.j2", "fmse_strings.html.j2", "static/course.css", "static/course.js")
IMPORT_NAMES = {"pyyaml": "yaml", "fpdf2": "fpdf", "python-docx": "docx", "jupyter-server": "jupyter_server",
                "ipython": "IPython"}
PAGE_TIMEOUT = 120
SERVER_START_TIMEOUT = 120

# Every sentence the check says, in English; the Welsh is in the gettext catalogue (context "check").
# {names} are filled in with str.format.
SAY: dict[str, str] = {
    "title": marked("check", "Checking the course before a workshop (fmse-course check)"),
    "ok": marked("check", "ok"),
    "problem": marked("check", "PROBLEM"),
    "what_to_do": marked("check", "What to do:"),
    "python_ok": marked("check", "Python {version}"),
    "python_old": marked("check", "Python {version} is too old: the course needs {needed} or newer."),
    "python_fix": marked("check", "Install Python {needed} or newer, then run scripts/start again."),
    "packages_ok": marked("check", "Python packages: {n} installed, each at a version the course supports"),
    "package_missing": marked("check", "The Python package {name} is missing."),
    "package_version": marked("check", "The Python package {name} is version {found}; the course needs {wanted}."),
    "package_broken": marked("check", "The Python package {name} is installed but cannot be loaded: {detail}"),
    "package_fix": marked("check", "In the course folder run: .venv/bin/pip install -e .   (or run scripts/start)"),
    "voila_ok": marked("check", "Voilà {version} (0.5.6 or newer: the flaw CVE-2024-30265 is fixed)"),
    "voila_old": marked("check", "Voilà {version} is too old: releases before 0.5.6 let a visitor read files on "
                                 "this computer (CVE-2024-30265)."),
    "template_ok": marked("check", "The course's page template"),
    "template_missing": marked("check", "The course's page template is incomplete: {path} is missing."),
    "restore_fix": marked("check", "Restore the file from the course's repository (git checkout -- {path}), or "
                                   "download the course again."),
    "package_fix_wheel": marked("check", "Install the course again with the versions it was tested with: pip "
                                         "install -c constraints.txt --force-reinstall "
                                         "fmse_course-<version>-py3-none-any.whl"),
    "restore_fix_wheel": marked("check", "The installed course is incomplete ({path}): install it again with pip "
                                         "install --force-reinstall --no-deps "
                                         "fmse_course-<version>-py3-none-any.whl"),
    "catalogue_ok": marked("check", "The Welsh interface catalogue is complete"),
    "catalogue_broken": marked("check", "The Welsh interface catalogue {path} cannot be used: {detail}"),
    "catalogue_incomplete": marked("check", "The Welsh interface catalogue {path} is incomplete ({n} problems), "
                                            "e.g. {detail}"),
    "catalogue_fix": marked("check", "Add the missing Welsh to {path} (`fmse-course i18n check` lists every gap)."),
    "content_ok": marked("check", "Course content: {exercises} exercises, {services} services, {pages} pages, "
                                  "{terms} glossary terms, the course text, the letter, the checklist and the "
                                  "phrase lists"),
    "content_broken": marked("check", "A course content file has a mistake: {detail}"),
    "content_fix": marked("check", "Correct the file named above (the message names the item and the field), then "
                                   "run `fmse-course content check` again."),
    "cases_ok": marked("check", "Case data: {rows} synthetic cases ({path})"),
    "cases_broken": marked("check", "The case data cannot be used: {detail}"),
    "cases_fix": marked("check", "Restore data/cases/sample.csv from the course's repository (git checkout -- "
                                 "data/cases/sample.csv), or make a new file with `fmse-course cases generate`."),
    "cases_fix_wheel": marked("check", "Install the course again (pip install --force-reinstall --no-deps "
                                       "fmse_course-<version>-py3-none-any.whl), or make a new file with "
                                       "`fmse-course cases generate`."),
    "records_ok": marked("check", "Learner records: {path} can be read and written"),
    "records_broken": marked("check", "The learner records cannot be used: {detail}"),
    "records_fix": marked("check", "Set FMSE_DATA_DIR to a folder you can write to, or ask whoever looks after this "
                                   "computer."),
    "port_ok": marked("check", "Port {port} on 127.0.0.1 is free for the course"),
    "port_busy": marked("check", "Port {port} on 127.0.0.1 is already in use (perhaps the course is already "
                                 "running)."),
    "port_fix": marked("check", "Stop the other program, or start the course on another port: fmse-course serve "
                                "--port {other}"),
    "render_ok": marked("check", "Every page opens without an error: {n} pages in {seconds} s"),
    "render_skipped": marked("check", "Pages not opened (--no-render)"),
    "render_error": marked("check", "The page {path} shows an error when it opens."),
    "render_status": marked("check", "The page {path} did not open: the server answered {status}."),
    "render_slow": marked("check", "The page {path} did not open within {seconds} seconds."),
    "render_fix": marked("check", "Open notebooks/{path} in JupyterLab (fmse-course lab) and run all its cells to "
                                  "see the error; a problem reported above may be the cause."),
    "server_broken": marked("check", "The course server did not start: {detail}"),
    "server_fix": marked("check", "Fix the problems above first; if none is shown, run `fmse-course serve` to see "
                                  "what it says."),
    "check_failed": marked("check", "The check of {what} could not finish: {detail}"),
    "check_failed_fix": marked("check", "Run scripts/start again to repair the installation, then run this check "
                                        "again."),
    "all_well": marked("check", "Everything is ready for the workshop."),
    "problems": marked("check", "Problems to fix before the workshop: {n}."),
}


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str
    fix: str | None = None


class Say:
    """The check's sentences in one language."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}: use 'en' or 'cy'")
        self.lang = lang

    def __call__(self, key: str, **values) -> str:
        if f"{key}_wheel" in SAY and installed():  # no repository to restore from: install the wheel again
            key = f"{key}_wheel"
        english = SAY[key]
        return (welsh("check", english) if self.lang == "cy" else english).format(**values)


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 600 else text[:600] + " …"


# ---- the installation -----------------------------------------------------------------------------------

def check_python(say: Say) -> list[Finding]:
    found = ".".join(str(n) for n in sys.version_info[:3])
    needed = ".".join(str(n) for n in NEEDED_PYTHON)
    if sys.version_info[:2] < NEEDED_PYTHON:
        return [Finding(False, say("python_old", version=found, needed=needed), say("python_fix", needed=needed))]
    return [Finding(True, say("python_ok", version=found))]


def requirements() -> list[str]:
    """The course's runtime requirements: from pyproject.toml beside the package, else the installed metadata."""
    pyproject = PACKAGE.parent / "pyproject.toml"
    if pyproject.is_file():
        return list(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"])
    from importlib.metadata import requires

    return [r for r in (requires("fmse-course") or []) if "extra ==" not in r]


def check_packages(say: Say) -> list[Finding]:
    import importlib
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    findings = []
    wanted = [Requirement(r) for r in requirements()]
    for req in wanted:
        try:
            found = version(req.name)
        except PackageNotFoundError:
            findings.append(Finding(False, say("package_missing", name=req.name), say("package_fix")))
            continue
        if req.specifier and not req.specifier.contains(found, prereleases=True):
            findings.append(Finding(False, say("package_version", name=req.name, found=found,
                                               wanted=str(req.specifier)), say("package_fix")))
            continue
        module = IMPORT_NAMES.get(req.name.lower(), req.name.lower().replace("-", "_"))
        try:
            importlib.import_module(module)
        except Exception as exc:  # an installed package that will not load: say why
            findings.append(Finding(False, say("package_broken", name=req.name, detail=_short(exc)),
                                    say("package_fix")))
    return findings or [Finding(True, say("packages_ok", n=len(wanted)))]


def check_voila(say: Say) -> list[Finding]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("voila")
    except PackageNotFoundError:
        return [Finding(False, say("package_missing", name="voila"), say("package_fix"))]
    if _version_tuple(found) < FIXED_VOILA:
        return [Finding(False, say("voila_old", version=found), say("package_fix"))]
    return [Finding(True, say("voila_ok", version=found))]


def check_template(say: Say) -> list[Finding]:
    folder = template_dir() / "voila" / "templates" / "fmse"
    findings = []
    for name in TEMPLATE_FILES:
        path = folder / name
        if not path.is_file():
            shown = _shown_path(path)
            findings.append(Finding(False, say("template_missing", path=shown), say("restore_fix", path=shown)))
    return findings or [Finding(True, say("template_ok"))]


def _shown_path(path: Path) -> str:
    """A path as the trainer would type it from the course folder, when it is inside it."""
    if installed():
        return str(path)
    try:
        return path.resolve().relative_to(PACKAGE.parent.resolve()).as_posix()
    except ValueError:
        return str(path)


def check_catalogue(say: Say, locale_folder: Path | None = None) -> list[Finding]:
    from .i18n import CatalogueError, _compile, catalogue_path
    from .i18n_tools import check_welsh

    po = catalogue_path("cy", locale_folder)
    shown = _shown_path(po)
    try:
        _compile(po)
    except CatalogueError as exc:
        return [Finding(False, say("catalogue_broken", path=shown, detail=_short(exc)), say("restore_fix", path=shown))]
    gaps = check_welsh(po)
    if gaps:
        return [Finding(False, say("catalogue_incomplete", path=shown, n=len(gaps), detail=gaps[0]),
                        say("catalogue_fix", path=shown))]
    return [Finding(True, say("catalogue_ok"))]


def validate_content() -> dict[str, int]:
    """Load and validate every content file; raises ContentError or PageError naming the file and field.

    Shared by `fmse-course content check` and `fmse-course check`."""
    from .content.course_text import course_text
    from .content.loader import load_all
    from .content.phrases import load_all_phrases
    from .content.services import services
    from .course import pages
    from .dashboard.checklist import load_checklist
    from .glossary import terms as glossary_terms
    from .letter.data import letter_text
    from .workshop.room import questions

    found = services()
    exercises = load_all()
    course_text()
    letter_text()
    load_checklist()
    terms = glossary_terms()
    load_all_phrases()
    questions()  # the workshop's question list (data/workshop.yaml)
    every_page = pages()
    return {"exercises": len(exercises), "services": len(found), "pages": len(every_page), "terms": len(terms)}


def check_content(say: Say) -> list[Finding]:
    from .content.errors import ContentError
    from .course import PageError

    try:
        counts = validate_content()
    except (ContentError, PageError) as exc:
        return [Finding(False, say("content_broken", detail=_short(exc)), say("content_fix"))]
    return [Finding(True, say("content_ok", **counts))]


def check_cases(say: Say) -> list[Finding]:
    from .cases.validate import CaseDataError, load_cases, sample_path

    path = sample_path()
    try:
        frame = load_cases(path)
    except CaseDataError as exc:
        return [Finding(False, say("cases_broken", detail=_short(exc)), say("cases_fix"))]
    except OSError as exc:
        return [Finding(False, say("cases_broken", detail=f"{_shown_path(path)}: {exc.strerror or exc}"),
                        say("cases_fix"))]
    return [Finding(True, say("cases_ok", rows=f"{len(frame):,}", path=_shown_path(path)))]


def check_records(say: Say) -> list[Finding]:
    """Open the records (creating the file if it is new), check all of the file, and take, then release, a write
    lock on it."""
    import sqlite3

    from .records.errors import RecordsError
    from .records.recorder import open_store
    from .records.sqlite import SQLiteStore

    try:
        store = open_store()
        try:
            path = Path(store.location)
            # the full check (opening made only the quick one)
            if isinstance(store, SQLiteStore) and store.integrity_check() != ["ok"]:
                raise RecordsError("corrupt", path=path)
        finally:
            store.close()
        connection = sqlite3.connect(path, timeout=10)
        try:
            connection.execute("BEGIN IMMEDIATE")  # fails on a read-only file or folder, or a held lock
            connection.execute("ROLLBACK")
        finally:
            connection.close()
    except RecordsError as exc:
        return [Finding(False, say("records_broken", detail=_records_message(exc, say.lang)))]
    except (sqlite3.Error, OSError) as exc:
        return [Finding(False, say("records_broken", detail=_short(exc)), say("records_fix"))]
    return [Finding(True, say("records_ok", path=path))]


def _records_message(exc, lang: str) -> str:
    from .i18n import CatalogueError

    try:
        return exc.message(lang)
    except CatalogueError:  # reported by the catalogue's own check
        return exc.message("en")



def check_port(say: Say, port: int) -> list[Finding]:
    if not port_free(port):
        other = 8870 if port != 8870 else 8871
        return [Finding(False, say("port_busy", port=port), say("port_fix", other=other))]
    return [Finding(True, say("port_ok", port=port))]


# ---- every page, rendered by the real server ------------------------------------------------------------

def _get(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


class _Server:
    """`fmse-course serve` on a spare port, for the render check; stopped (with its kernels) by process id."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fmse_widgets.cli", "serve", "--port", str(self.port), "--no-browser",
             "--cull-idle", "60", "--warm", "0"], stdout=self._log, stderr=subprocess.STDOUT, env=env)

    def wait(self) -> str | None:
        """None once the server answers; else what went wrong, in the server's words."""
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return self._tail() or f"it stopped with exit status {self.process.returncode}"
            try:
                opener = urllib.request.build_opener(_NoRedirect)
                opener.open(self.base + "/", timeout=5).close()
                return None
            except urllib.error.HTTPError:
                return None  # it answers (with a redirect, refused here)
            except OSError:
                time.sleep(0.3)
        return f"it did not answer within {SERVER_START_TIMEOUT} s"

    def _tail(self) -> str:
        self._log.flush()
        lines = [ln for ln in self.log_path.read_text(errors="replace").splitlines() if ln.strip()]
        return " / ".join(lines[-3:])

    def stop(self) -> None:
        stop_server(self.process)  # and the page kernels it started, if it left any behind
        self._log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def page_problem(status: int, body: str) -> str | None:
    """What is wrong with a rendered page, if anything: 'status', 'error', or None."""
    if status != 200:
        return "status"
    if "fmse-cell-error" in body or "fmse-error-page" in body or "application/vnd.jupyter.stderr" in body:
        return "error"
    return None


def check_pages(say: Say, *, log_folder: Path | None = None) -> list[Finding]:
    import tempfile

    from .course import PageError, pages

    try:
        every_page = pages()
    except PageError as exc:
        return [Finding(False, say("content_broken", detail=_short(exc)), say("content_fix"))]
    folder = log_folder or Path(tempfile.mkdtemp(prefix="fmse-check-"))
    server = _Server(folder / "serve.log")
    started = time.monotonic()
    findings = []
    try:
        trouble = server.wait()
        if trouble:
            return [Finding(False, say("server_broken", detail=trouble), say("server_fix"))]
        for page in every_page:
            try:
                status, body = _get(server.base + page.url, PAGE_TIMEOUT)
            except (TimeoutError, OSError):
                findings.append(Finding(False, say("render_slow", path=page.path, seconds=PAGE_TIMEOUT),
                                        say("render_fix", path=page.path)))
                continue
            problem = page_problem(status, body)
            if problem == "status":
                findings.append(Finding(False, say("render_status", path=page.path, status=status),
                                        say("render_fix", path=page.path)))
            elif problem == "error":
                findings.append(Finding(False, say("render_error", path=page.path), say("render_fix", path=page.path)))
    finally:
        server.stop()
    seconds = f"{time.monotonic() - started:.0f}"
    return findings or [Finding(True, say("render_ok", n=len(every_page), seconds=seconds))]


# ---- the whole check ------------------------------------------------------------------------------------

def run(lang: str = "en", *, port: int = 8866, render: bool = True, locale_folder: Path | None = None,
        out=None) -> int:
    """Run every check, print the report, and return 0 when all is well, 1 when there is a problem."""
    out = out or sys.stdout
    say = Say(lang)
    checks = [
        ("Python", lambda: check_python(say)),
        ("packages", lambda: check_packages(say)),
        ("Voilà", lambda: check_voila(say)),
        ("template", lambda: check_template(say)),
        ("catalogue", lambda: check_catalogue(say, locale_folder)),
        ("content", lambda: check_content(say)),
        ("cases", lambda: check_cases(say)),
        ("records", lambda: check_records(say)),
        ("port", lambda: check_port(say, port)),
    ]
    if render:
        checks.append(("pages", lambda: check_pages(say)))
    print(say("title"), file=out, flush=True)
    problems = 0
    for what, check in checks:
        try:
            findings = check()
        except Exception as exc:  # a check that cannot run is itself a problem, said in words, never a traceback
            findings = [Finding(False, say("check_failed", what=what, detail=_short(exc)), say("check_failed_fix"))]
        for finding in findings:
            _report(finding, say, out)
            problems += not finding.ok
    if not render:
        print(f"  -  {say('render_skipped')}", file=out)
    print(say("all_well") if not problems else say("problems", n=problems), file=out, flush=True)
    return 1 if problems else 0


def _report(finding: Finding, say: Say, out) -> None:
    if finding.ok:
        print(f"  {say('ok')}: {finding.text}", file=out, flush=True)
        return
    text = "\n      ".join(line.strip() for line in finding.text.splitlines())  # a list in a message stays indented
    print(f"  {say('problem')}: {text}", file=out)
    if finding.fix:
        print(f"      {say('what_to_do')} {finding.fix}", file=out)
    out.flush()


def configure(check: argparse.ArgumentParser, port_type=int, tr=None) -> None:
    from .i18n import translator

    tr = tr or translator("en")
    check.add_argument("--lang", choices=LANGS,
                       help=tr.gettext("the language of the report: English (en) or Welsh (cy); default: the "
                                       "language of fmse-course's messages (fmse-course --lang, or the locale), "
                                       "else English"))
    check.add_argument("--port", type=port_type, default=8866,
                       help=tr.gettext("the port you will start the course on (default 8866): the check makes sure "
                                       "it is free"))
    check.add_argument("--no-render", action="store_true",
                       help=tr.gettext("skip opening every page (quicker; the installation checks still run)"))


def command(args: argparse.Namespace) -> int:
    lang = args.lang or getattr(args, "output_lang", None) or "en"  # widgets/cli_lang.py: which language is asked
    return run(lang, port=args.port, render=not args.no_render)
