"""The workshop benchmark runs once, with 3 participants, so it cannot rot. Its timings are for people to read
(docs/benchmarks.md); what is asserted is that it ran end to end: every participant's answer reached the records
through the widgets' own messages, on the course server, on stock Voilà and on stock Voilà with preheated pools,
and the kernels were culled back to
the pool size after everyone left."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fmse_widgets.workshop.server import pool_sizes

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parents[1]


def test_the_workshop_benchmark_runs_with_three_participants(tmp_path):
    figures = tmp_path / "workshop.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "workshop.py"), "--participants", "3",
                           "--cull-idle", "5", "--refill-delay", "5", "--solo", "2", "--json", str(figures)],
                          capture_output=True, text=True, timeout=900)
    assert "Workshop benchmark: 3 participants" in done.stdout, done.stdout + done.stderr
    result = json.loads(figures.read_text())
    # The exit status says whether every target was met; only the timing targets may be missed here, on a machine
    # other work shares (the test's run is tiny: its timings are not the benchmark's figures).
    missed = sorted(name for name, met in result["targets_met"].items() if not met)
    assert done.returncode == (1 if missed else 0), (done.returncode, missed, done.stderr[-3000:])
    assert set(missed) <= {"3: p95 <= 3x alone", "3: p95 <= 1.0 s"}, (missed, done.stdout)
    room = result["rooms"]["3"]
    for server in ("course", "stock_voila", "stock_preheat"):
        for key in ("alone_s", "p50_s", "p95_s", "peak_mib"):
            assert room[server][key] > 0, (server, key)
        assert room[server]["failed"] == 0, room[server]["failures"]
        assert len(room[server]["alone_runs_s"]) == 2  # "alone" is the median of the solo runs (7 by default)
    # The room is opened for 3 + the 2 solo runs: 5 in the room's language, and the other's at least 2.
    assert room["course"]["pool"] == sum(pool_sizes(3 + 2, "en").values()) == 5 + 2
    assert room["stock_preheat"]["pool"] == room["course"]["pool"]  # pools of the same total size
    assert room["course"]["kernels_after_cull"] == room["course"]["pool"]
    assert result["bare_kernel_mib"] > 0 and room["quiz_vs_bare"] > 0
    assert "p95 / alone" in done.stdout and "target 3: kernels back to the pool size: met" in done.stdout
