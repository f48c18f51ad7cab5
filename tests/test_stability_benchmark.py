"""The stability benchmark's short version (issue 8, part 4): a sample of the course's pages (below) each loaded
twice in a row, over HTTP, against the real server; no page hangs or shows an error, and no kernel is left once
the cull interval has passed besides the warm ones. (The full run, 100 loads of every page, is by hand: see
docs/benchmarks.md. Every page of the course is loaded in Chromium by browser/test_every_page_accessibility.py.)"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pathlib import Path

from fmse_widgets.course import pages

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parents[1]


def sample() -> list[str]:
    """The pages loaded: those a warm kernel waits for first (the landing page, each language's first module and
    both dashboards: the second load of each takes a warm kernel and the server starts another), and one page of
    each other kind (no warm kernel: a new kernel for every load, which the cull must end)."""
    every = pages()
    first_modules = [next(p for p in every if p.kind == "module" and p.lang == lang) for lang in ("cy", "en")]
    warm = [p for p in every if p.kind in ("landing", "dashboard")] + first_modules
    others = {p.kind: p for p in reversed(every) if p.kind not in ("landing", "dashboard", "module")}
    others["module"] = [p for p in every if p.kind == "module"][-1]  # a later module: no warm kernel for it
    return [p.path for p in warm] + sorted(p.path for p in others.values())


def test_a_sample_of_pages_twice_no_hangs_no_errors_and_no_kernels_left():
    # Plain HTTP: Voilà answers a page only once its notebook has run, so a hang (an execute reply that never
    # comes, voila#1446) shows as a request that does not finish; the full benchmark loads pages in Chromium.
    # Twice: the second load of each page is the one a warm kernel or a kernel left over could disturb. (All 31
    # pages twice took 96 s of the suite; the browser tests open every page anyway.)
    chosen = sample()
    kinds = {p.kind for p in pages() if p.path in chosen}
    assert kinds == {p.kind for p in pages()} and len(chosen) == len(set(chosen)), chosen  # every kind of page
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stability.py"), "--loads", "2",
                          "--cull-idle", "10", "--http", "--pages", *chosen],
                         capture_output=True, text=True, timeout=3600, cwd=ROOT)
    out = run.stdout
    print(out)  # the figures, for `pytest -s`
    count = len(chosen)
    assert re.search(rf"^loads: {count * 2} \({count} pages x 2\)", out, re.M), out + run.stderr[-3000:]
    assert re.search(r"^load time: median [\d.]+ s, p95 [\d.]+ s, max [\d.]+ s$", out, re.M), out
    assert "hangs (not ready within 30 s): 0  [target 0]" in out, out
    assert "pages that showed an error: 0" in out, out
    assert "kernels left after the cull interval: 0  [target 0] (besides the 8 warm kernels" in out, out
    assert run.returncode == 0, out + run.stderr[-3000:]
