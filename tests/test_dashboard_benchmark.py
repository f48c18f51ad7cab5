"""The dashboard benchmark runs end to end at a tiny size, so it cannot rot (the real run is by hand)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parents[1]


def test_tiny_benchmark_runs_every_step_and_prints_its_figures():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "dashboard.py"), "--tiny"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    assert re.search(r"dashboard \(CaseTable\.summarise\): median +[\d.]+ ms, p95 +[\d.]+ ms", out), out
    assert re.search(r"plain pandas, same query: +median +[\d.]+ ms", out), out
    assert re.search(r"ratio \(dashboard / plain pandas\): [\d.]+x", out), out
    assert re.search(r"2\. Whole update .*\n +median +[\d.]+ ms, p95 +[\d.]+ ms", out), out
    assert len(re.findall(r"rows: +[\d.]+ MiB resident, +[\d.]+ MiB peak", out)) == 2, out
    assert re.search(r"4\. Time to first interactive widget.*\n +(sample \(4,000 rows\): median +[\d.]+ s|"
                     r"skipped: no Chromium)", out), out
