"""The course pages' own front end (frontend/, issue 22): the committed build is what the sources make, every
bundled package's licence travels with it, and a course page loads it instead of Voilà's JupyterLab application.

How the pages behave with it (widgets drawn, focus, announcements, the kernel notice, leaving a page) is what the
browser tests check on every page; this file checks the build and the page's HTML."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from servers import fetch

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "widgets" / "jupyter" / "voila" / "templates" / "fmse" / "static"
BUILT = ("fmse-page.js", "fmse-page.css", "fmse-page.licenses.txt")
PAGE = "/voila/render/cy/01-cyd-destun.ipynb"


@pytest.mark.slow  # a process of its own (node)
def test_the_committed_front_end_is_what_its_sources_make(tmp_path):
    node = shutil.which("node")
    assert node, "Node.js is needed to build the front end (scripts/test installs npm, which brings it)"
    assert (ROOT / "node_modules" / "esbuild").is_dir(), "run `npm ci` in the project folder (scripts/test does)"
    run = subprocess.run([node, str(ROOT / "frontend" / "build.mjs"), str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for name in BUILT:
        assert (tmp_path / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"{name} is not what frontend/ builds: run `npm run build:page` and commit the result")


def test_every_bundled_package_has_its_licence():
    text = (STATIC / "fmse-page.licenses.txt").read_text(encoding="utf-8")
    listed = re.findall(r"^(@?[a-z0-9][\w./-]*) (\d[\w.-]*) \(([\w.-]+)\)$", text.split("\n\n", 1)[1].split("\n\n")[0],
                        re.M)
    names = {name for name, _, _ in listed}
    # What the page is made of, and what the widgets need.
    assert {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/base-manager",
            "@jupyterlab/services", "@lumino/widgets", "backbone", "jquery"} <= names, names
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, version, licence in listed:
        assert lock[f"node_modules/{name}"]["version"] == version, name
        assert licence in {"MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "0BSD"}, (name, licence)
        # Its full text follows the list, under its own heading.
        assert re.search(rf"^={{78}}\n{re.escape(name)} {re.escape(version)} \(", text, re.M), name
    assert "Permission is hereby granted" in text and "Redistribution and use in source and binary forms" in text
    head = (STATIC / "fmse-page.js").read_text(encoding="utf-8")[:200]
    assert "fmse-page.licenses.txt" in head


@pytest.mark.slow  # a server
def test_a_course_page_loads_the_course_front_end_not_voilas_application(course_server):
    status, _, html = fetch(course_server.base + PAGE)
    assert status == 200
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert any(re.fullmatch(r"/voila/templates/fmse/static/fmse-page\.js\?v=[0-9a-f]+", s) for s in scripts), scripts
    assert not any("voila.js" in s or "labextensions" in s for s in scripts), scripts
    assert re.search(r'href="/voila/templates/fmse/static/fmse-page\.css\?v=[0-9a-f]+"', html)
    # The front end starts after the last cell (it reads every cell's outputs), after voila_finish().
    assert html.index("window.voila_finish()") < html.index("fmse-page.js") > html.rindex('cell-index="')
    # Served once per version: the address carries the file's hash, and the browser may keep it.
    script = next(s for s in scripts if "fmse-page.js" in s)
    status, headers, body = fetch(course_server.base + script)
    assert status == 200 and body.startswith("/* fmse course page front end")
    assert "max-age" in headers.get("Cache-Control", ""), headers
