"""Building the course's wheel from a clean copy of the repository, as from a fresh clone (no stale build/ folder).

Shared by tests/test_wheel.py (what the wheel holds, and the course it installs) and tests/test_deploy_image.py
(the user-server image's install steps), so both test the same wheel an IT department or an image build gets.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_IN_THE_WHEEL = (".git", ".venv", "node_modules", "build", "dist", "test-artifacts", "__pycache__",
                    ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.egg-info")


def run(*command, cwd: Path, env: dict | None = None, timeout: float = 600) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(work: Path) -> Path:
    """The wheel built from a clean copy of the checkout, in `work`/dist."""
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_IN_THE_WHEEL))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", work / "dist", source,
        cwd=work)
    (built,) = (work / "dist").glob("fmse_course-*.whl")
    return built
