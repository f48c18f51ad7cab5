"""The benchmarks run (briefly) in the suite so they cannot rot; their figures are read by people, not asserted."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a server, a kernel, an install or a benchmark (not in --quick)

ROOT = Path(__file__).resolve().parents[1]


def test_kernel_memory_benchmark_runs():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "kernel_memory.py"),
                           str(ROOT / "notebooks" / "cy" / "01-cyd-destun.ipynb")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("bare ipykernel:") and "MiB" in lines[0]
    assert "notebooks/cy/01-cyd-destun.ipynb" in lines[-1] and "x bare" in lines[-1]
