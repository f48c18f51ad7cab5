"""benchmarks/records.py runs (tiny) in the suite so it cannot rot: every answer saved by a process of its own on a
connection of its own, each figure measured."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)


def test_the_records_benchmark_runs_on_a_cluster_of_its_own():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "records.py"), "--learners", "3",
                           "--settings", "2", "--answers", "4", "--window", "1", "--big-learners", "200",
                           "--big-answers", "2000", "--staff", "20"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["max_connections"] >= 100
    writing, reading = result["writing"], result["reading"]
    assert writing["processes"] == 3 and writing["failed_processes"] == 0
    assert writing["answers_saved"] == writing["answers_expected"] == writing["answers_timed"] == 12
    assert 0 < writing["save_ms_p50"] <= writing["save_ms_p95"] <= writing["save_ms_p99"] <= writing["save_ms_max"]
    before, after = writing["memory_before_first_answer"], writing["memory_after_last_answer"]
    assert before["ready_before_start"] == before["learner_processes"] == after["learner_processes"] == 3
    # each learner's process its own connection (the benchmark's measuring connection is the fourth)
    assert before["connections"] >= 4 and after["connections"] >= 4
    assert before["learners_mib"] > 0 and before["cluster_mib"] > 0 and after["learners_mib"] > 0
    assert reading["answers"] == 2000 and reading["staff_in_setting"] == 20
    assert reading["dsp_staff_training_ms"] > 0 and reading["la_lead_summary_ms"] > 0
