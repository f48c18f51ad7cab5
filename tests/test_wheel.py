"""The course as an IT department installs it: a wheel, not the checkout.

Builds the wheel from a clean copy of the repository (as from a fresh clone: no stale build/ folder), checks
what it holds, installs it (not editable) into a new virtual environment, and from a folder outside the
repository runs `fmse-course content check` and `fmse-course serve`, fetching the landing page, a Welsh module
page (with a string from the Welsh catalogue) and the template's stylesheet.

The new environment gets the course from the wheel and nothing from the checkout. Its other packages, by
default, are the test environment's own, at the versions in constraints.txt: a `.pth` file puts the test
environment's site-packages on its path (Python does not run the `.pth` files inside a folder added that way, so
the checkout's editable-install finder stays out), and JUPYTER_PATH / JUPYTER_CONFIG_PATH point at the test
environment's Jupyter files (Voilà's base templates, the widget manager). Installing every dependency from
PyPI instead took 3 to 10 minutes on this two-core machine (3 min 13 s quiet, 9 min 42 s under load), against
about 1.5 minutes for this whole file; FMSE_WHEEL_TEST_INSTALL=full does that (`pip install -c constraints.txt
<wheel>` into a venv that sees nothing else), e.g. before a release.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from servers import fetch, free_port
from wheel_build import NOT_IN_THE_WHEEL, ROOT, build_wheel, run

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

FULL_INSTALL = os.environ.get("FMSE_WHEEL_TEST_INSTALL") == "full"


def course_files(folder: str) -> set[str]:
    """The files of one of the repository's course folders, as the wheel must hold them (no hidden files)."""
    base = ROOT / folder
    return {path.relative_to(base).as_posix() for path in base.rglob("*")
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                          for part in path.relative_to(base).parts)}


@contextlib.contextmanager
def read_only(folder: Path):
    """The folder and everything in it without write permission (as in a system-wide install), then restored."""
    paths = [folder, *folder.rglob("*")]
    for path in paths:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        yield
    finally:
        for path in paths:
            path.chmod(path.stat().st_mode | 0o200)


def shipped_package(installed: dict) -> Path:
    return Path(run(installed["bin"] / "python", "-c", "import fmse_widgets.paths as p; print(p.PACKAGE)",
                    cwd=installed["cwd"], env=installed["env"]).strip())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_holds_the_whole_course_and_no_tests(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    inside = {prefix: {n.removeprefix(prefix) for n in names if n.startswith(prefix)}
              for prefix in ("fmse_widgets/notebooks/", "fmse_widgets/data/", "fmse_widgets/locale/",
                             "fmse_widgets/jupyter/")}
    assert inside["fmse_widgets/notebooks/"] == course_files("notebooks")
    assert inside["fmse_widgets/data/"] == course_files("data")
    for folder in ("exercises", "text", "cases", "source", "language"):
        assert any(n.startswith(folder + "/") for n in inside["fmse_widgets/data/"]), folder
    for name in ("services.yaml", "letter.yaml", "workshop.yaml", "termbase.yaml", "cases/sample.csv"):
        assert name in inside["fmse_widgets/data/"], name
    assert inside["fmse_widgets/locale/"] == {"fmse.pot", "cy/LC_MESSAGES/fmse.po"}
    assert inside["fmse_widgets/jupyter/"] == course_files("widgets/jupyter")
    assert "voila/templates/fmse/static/course.css" in inside["fmse_widgets/jupyter/"]
    assert "fmse_widgets/workshop/templates/join.html" in names
    # the certificate font ships with its licence (no font package needed: matplotlib is not a dependency)
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE_DEJAVU"} <= {
        n.removeprefix("fmse_widgets/records/fonts/") for n in names if n.startswith("fmse_widgets/records/fonts/")}
    # every file of the package folder, so a new subpackage or a new kind of file cannot be left out quietly
    package = {f"fmse_widgets/{n}" for n in course_files("widgets") if not n.endswith((".pyc", ".mo"))}
    assert package - names == set(), "in widgets/ but not in the wheel (pyproject.toml: packages, package-data)"

    (dist_info,) = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
    for name in names:
        parts = name.split("/")
        assert parts[0] in {"fmse_widgets", dist_info}, name
        assert not {"tests", ".venv", "node_modules", "__pycache__", "benchmarks", "scripts", ".git"} & set(parts), name
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    shipped = {str(Requirement(line.removeprefix("Requires-Dist: "))) for line in metadata.splitlines()
               if line.startswith("Requires-Dist: ") and "extra ==" not in line}
    assert shipped == {str(Requirement(r)) for r in project["dependencies"]}
    entry_points = zipfile.ZipFile(wheel).read(f"{dist_info}/entry_points.txt").decode()
    assert "fmse-course = fmse_widgets.cli:main" in entry_points


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A new virtual environment with the wheel installed; returns its paths and the environment to run in."""
    work = tmp_path_factory.mktemp("installed")
    venv = work / "venv"
    if FULL_INSTALL:
        run(sys.executable, "-m", "venv", venv, cwd=work)
        run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", wheel,
            cwd=work, timeout=1800)
    else:
        run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
        run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet", "--no-deps",
            wheel, cwd=work)
        purelib = Path(run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                           cwd=work).strip())
        ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
        (purelib / "zz_fmse_test_environment.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "FMSE_COURSE_ROOT", "VIRTUAL_ENV", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH")}
    env.update(FMSE_DATA_DIR=str(work / "user-data"), PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    if not FULL_INSTALL:
        env.update(JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"),
                   JUPYTER_CONFIG_PATH=str(Path(sys.prefix) / "etc" / "jupyter"))
    elsewhere = work / "elsewhere"  # any folder but the repository
    elsewhere.mkdir()
    return {"venv": venv, "bin": venv / "bin", "env": env, "cwd": elsewhere}


def test_the_installed_course_comes_from_the_wheel_not_the_checkout(installed):
    where = json.loads(run(installed["bin"] / "python", "-c",
                           "import json, sys, importlib.metadata as m, fmse_widgets.paths as p; "
                           "from fmse_widgets.records.certificate import font_path; "
                           "print(json.dumps({'file': p.__file__, 'installed': p.installed(), "
                           "'notebooks': str(p.notebooks_dir()), 'data': str(p.data_dir()), "
                           "'template': str(p.template_dir()), 'locale': str(p.locale_dir()), "
                           "'metadata': str(m.distribution('fmse-course').locate_file('')), "
                           "'font': str(font_path(bold=True)), "
                           "'path': sys.path}))",
                           cwd=installed["cwd"], env=installed["env"]))
    venv = str(installed["venv"])
    assert where["installed"] is True
    for key in ("file", "notebooks", "data", "template", "locale", "metadata", "font"):
        assert where[key].startswith(venv), (key, where[key])
    assert not [entry for entry in where["path"] if entry.startswith(str(ROOT)) and ".venv" not in entry]


def test_content_check_and_the_installation_check_pass_from_the_installed_wheel(installed):
    out = run(installed["bin"] / "fmse-course", "content", "check", cwd=installed["cwd"], env=installed["env"])
    assert out.startswith("Content is valid:"), out
    # packages (read from the wheel's metadata), template, catalogue, content, case data, records, port
    report = run(installed["bin"] / "fmse-course", "check", "--no-render", "--port", str(free_port()),
                 cwd=installed["cwd"], env=installed["env"])
    assert "Python packages:" in report and "Pages not opened (--no-render)" in report, report


def test_the_check_tells_a_wheel_install_to_reinstall_not_to_use_git(tmp_path, monkeypatch):
    """An installed wheel has no repository to restore a file from (run here, in-process: it is quick)."""
    from fmse_widgets import check
    from fmse_widgets.bilingual import welsh

    template = tmp_path / "jupyter"
    shutil.copytree(ROOT / "widgets" / "jupyter", template)
    missing = template / "voila" / "templates" / "fmse" / "static" / "course.js"
    missing.unlink()
    monkeypatch.setattr(check, "template_dir", lambda: template)
    monkeypatch.setattr(check, "installed", lambda: True)
    (finding,) = check.check_template(check.Say("cy"))
    assert not finding.ok
    assert finding.fix == welsh("check", check.SAY["restore_fix_wheel"]).format(path=missing)
    assert "git checkout" not in finding.fix and str(missing) in finding.text
    monkeypatch.setattr(check, "installed", lambda: False)  # a checkout: restore it from git
    (finding,) = check.check_template(check.Say("en"))
    assert "git checkout" in finding.fix


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@contextlib.contextmanager
def course_command(installed: dict, command: str, *extra: str):
    """`fmse-course serve` or `workshop` from the installed wheel, run from another folder; yields (base, log)."""
    from fmse_widgets.processes import stop_server

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = installed["cwd"] / f"{command}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([installed["bin"] / "fmse-course", command, "--no-browser", "--port", str(port),
                                   *extra], cwd=installed["cwd"], env=installed["env"], stdout=log,
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"the server stopped:\n{log_path.read_text()}"
            try:
                if fetch(base + "/", follow=False, timeout=5)[0] in (200, 302):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"no answer within 120 s:\n{log_path.read_text()}"
            time.sleep(0.5)
        yield base, log_path
    finally:
        stop_server(server)
    assert "Traceback" not in log_path.read_text(), log_path.read_text()


def test_the_installed_wheel_serves_the_course(installed):
    """From another folder, with the installed package read-only and left exactly as it was."""
    from fmse_widgets.i18n import translator

    package = shipped_package(installed)
    before = snapshot(package)
    with read_only(package), course_command(installed, "serve") as (base, _):
        status, _, landing = fetch(base + "/")
        assert status == 200, landing[:500]
        assert '<html lang="cy">' in landing  # the bilingual landing page, Welsh first
        assert "Blacmel rhywiol ag ysgogiad ariannol · Financially motivated sexual extortion" in landing
        assert "/voila/templates/fmse/static/course.css" in landing  # the course template, not Voilà's own

        status, _, page = fetch(base + "/voila/render/cy/01-cyd-destun.ipynb", timeout=180)
        assert status == 200, page[:500]
        assert '<html lang="cy">' in page
        assert "Modiwl 1: Cyd-destun" in page  # the notebook, from the wheel
        welsh = translator("cy").gettext("Read the alert on Hwb")  # the catalogue, from the wheel
        assert welsh != "Read the alert on Hwb" and welsh in page

        css = ROOT / "widgets" / "jupyter" / "voila" / "templates" / "fmse" / "static" / "course.css"
        status, _, served = fetch(base + "/voila/templates/fmse/static/course.css")
        assert status == 200 and served == css.read_text(encoding="utf-8")
    assert snapshot(package) == before  # nothing written into the installed package (root ignores modes)


def test_the_installed_wheel_runs_a_workshop(installed):
    """The workshop's join page (its own template) and its question list (data/workshop.yaml), from the wheel."""
    with course_command(installed, "workshop", "--bind", "127.0.0.1", "--participants", "1") as (base, log):
        code = re.search(r"Cod y gweithdy:\s+([A-Z0-9]+)", log.read_text())
        assert code, log.read_text()
        status, _, join = fetch(f"{base}/workshop/join?code={code.group(1)}", follow=False)
        assert status == 200, join[:500]
        assert f'value="{code.group(1)}"' in join and "Join the workshop" in join
        assert '<html lang="cy">' in join and 'lang="en"' in join


def test_jupyterlab_gets_a_writable_copy_of_the_notebooks(installed):
    """Under `fmse-course lab` a wheel's notebooks (perhaps read-only in site-packages) are copied, once."""
    script = "import fmse_widgets.paths as p; print(p.lab_notebooks_dir())"
    shipped = shipped_package(installed) / "notebooks"
    with read_only(shipped):
        first = Path(run(installed["bin"] / "python", "-c", script, cwd=installed["cwd"], env=installed["env"]).strip())
        assert first.is_relative_to(Path(installed["env"]["FMSE_DATA_DIR"]))
        copied = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
        assert copied == course_files("notebooks")
        for path in [first, *first.rglob("*")]:
            assert path.stat().st_mode & 0o200, f"{path} is not writable"
        edited = first / "en" / "01-context.ipynb"
        edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        second = Path(run(installed["bin"] / "python", "-c", script, cwd=installed["cwd"],
                          env=installed["env"]).strip())
    assert second == first
    assert edited.read_text(encoding="utf-8").endswith("}\n\n")  # the trainer's change is kept


def test_pip_install_from_the_source_folder_is_a_complete_install(tmp_path):
    """`pip install .` (not editable) gives the same complete course as the wheel."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_IN_THE_WHEEL))
    run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet", "--no-deps",
        source, cwd=tmp_path)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "FMSE_COURSE_ROOT")}
    shipped = Path(run(venv / "bin" / "python", "-c", "import fmse_widgets.paths as p; print(p.data_dir())",
                       cwd=tmp_path, env=env).strip())
    assert shipped.is_relative_to(venv)
    assert {p.relative_to(shipped).as_posix() for p in shipped.rglob("*") if p.is_file()} == course_files("data")
