"""mypy and ruff, with the settings in pyproject.toml, find nothing: the README's test command fails on a new
problem, with the tools' own report. New code must pass both (docs/developing.md)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # mypy takes longer than the quick loop allows (not in --quick)

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str) -> str:
    """The tool installed beside this Python (the test extra), else one on PATH."""
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        pytest.fail(f"{name} is not installed: pip install -c constraints.txt -e '.[test]'")
    return on_path


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_mypy_finds_no_problem():
    done = run(tool("mypy"))  # files and settings: [tool.mypy] in pyproject.toml
    assert done.returncode == 0, f"mypy found problems:\n{done.stdout}{done.stderr}"


def test_ruff_finds_no_problem():
    done = run(tool("ruff"), "check", "--no-cache", ".")
    assert done.returncode == 0, f"ruff found problems:\n{done.stdout}{done.stderr}"


def test_the_checks_would_fail_on_a_planted_problem(tmp_path):
    """The same settings report an unused import and a call with the wrong type (so the tests above can fail)."""
    planted = tmp_path / "planted.py"
    planted.write_text('import os\n\n\ndef double(n: int) -> int:\n    return n * 2\n\n\ndouble("2")\n',
                       encoding="utf-8")
    ruff = run(tool("ruff"), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(planted))
    assert ruff.returncode == 1 and "F401" in ruff.stdout, ruff.stdout
    mypy = run(tool("mypy"), "--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", str(planted))
    assert mypy.returncode == 1 and "[arg-type]" in mypy.stdout, mypy.stdout
