"""The stability benchmark's short version (issue 8, part 4): every page loaded twice in a row, over HTTP,
against the real server; no page hangs and no kernel is left once the cull interval has passed.
(The full run, 100 loads of each page, is by hand: see docs/benchmarks.md.)"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pathlib import Path

from fmse_widgets.course import pages

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parents[1]


def test_every_page_twice_no_hangs_and_no_kernels_left():
    # Plain HTTP: Voilà answers a page only once its notebook has run, so a hang (an execute reply that never
    # comes, voila#1446) shows as a request that does not finish; the full benchmark loads pages in Chromium.
    # Twice: the second load of each page is the one a warm kernel or a kernel left over could disturb. (The
    # browser tests already open every page in Chromium; more loads here cost the suite minutes: five took 264 s.)
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stability.py"), "--loads", "2",
                          "--cull-idle", "10", "--http"],
                         capture_output=True, text=True, timeout=3600, cwd=ROOT)
    out = run.stdout
    print(out)  # the figures, for `pytest -s`
    count = len(pages())
    assert re.search(rf"^loads: {count * 2} \({count} pages x 2\)", out, re.M), out + run.stderr[-3000:]
    assert re.search(r"^load time: median [\d.]+ s, p95 [\d.]+ s, max [\d.]+ s$", out, re.M), out
    assert "hangs (not ready within 30 s): 0  [target 0]" in out, out
    assert "pages that showed an error: 0" in out, out
    assert "kernels left after the cull interval: 0  [target 0] (besides the 8 warm kernels" in out, out
    assert run.returncode == 0, out + run.stderr[-3000:]
