"""The hub benchmark runs once in its tiny form (2 learners) so that it cannot rot. Its timings are for people to
read (docs/benchmarks.md, docs/deploy.md's capacity table); what is asserted is that it ran end to end on a real
`fmse-course hub`: both learners signed in, got their own server, a ready module page, the answer's feedback and
a ready dashboard, every figure is printed and written, and the exit status says so."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_hub import _hub_preconditions

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow,  # a server, a kernel, an install or a benchmark (not in --quick)
              pytest.mark.skipif(_hub_preconditions() is not None, reason=str(_hub_preconditions()))]

PRINTED = ("Hub benchmark: 2 learners", "sign-in to ready module page: p50", "p95", "dashboard ready p95:",
           "per learner on a module page:", "per learner on the dashboard:", "hub own:", "proxy own:",
           "records service own:", "load average", "answers saved by the records service: 2",
           "servers running when measured: 2")


def test_the_hub_benchmark_runs_with_two_learners(tmp_path):
    figures = tmp_path / "hub.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "hub.py"), "--tiny", "--json", str(figures)],
                          capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout + done.stderr[-4000:]
    for text in PRINTED:
        assert text in done.stdout, (text, done.stdout)
    result = json.loads(figures.read_text())
    assert result["users"] == 2 and result["failed"] == 0 and result["answers_recorded"] == 2
    assert 0 < result["sign_in_to_ready_p50_s"] <= result["sign_in_to_ready_p95_s"]
    assert result["spawn_p95_s"] <= result["sign_in_to_ready_p95_s"] <= result["answered_p95_s"]
    assert result["dashboard_ready_p95_s"] > 0
    for phase in ("per_learner_module", "per_learner_dashboard"):
        assert result[phase]["rss_mib"] > 0 and result[phase]["cpu_s"] > 0, (phase, result[phase])
    # Each learner's server, module-page kernel and dashboard kernel were alive when measured.
    assert result["learner_processes"] >= 2 * 3
    for part in ("hub", "proxy", "records"):
        assert result["own"][part]["rss_mib"] > 0 and result["own"][part]["cpu_s"] >= 0, (part, result["own"])
