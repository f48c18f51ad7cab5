"""Every third-party module the course imports is declared in pyproject.toml's dependencies.

A package that only arrives because something else needs it (numpy through pandas, tornado through
jupyter_server) can disappear or change under the course when that other package changes: declare it.
"""
from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(folder: Path, skip=()) -> dict[str, str]:
    """Top-level names of absolute imports in a folder's Python files (outside `skip`) -> one file importing it."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        if any(path.is_relative_to(other) for other in skip):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path.relative_to(ROOT).as_posix())
    return found


def declared(extra: str | None = None) -> set[str]:
    """The distributions pyproject.toml declares: its dependencies, or one optional extra's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {canonicalize_name(Requirement(r).name) for r in wanted}


# Code that runs only with an optional extra installed may import what only that extra declares: the hub's
# modules (`fmse-course hub`, `pip install fmse-course[hub]`). Everything else needs the dependencies.
EXTRA_FOLDERS = {"hub": ROOT / "widgets" / "hub"}


def test_the_scan_sees_imports_inside_functions():
    modules = imported_modules(ROOT / "widgets")
    assert modules["platformdirs"] == "widgets/userdata.py"  # imported inside data_folder()
    assert modules["IPython"].startswith("widgets/")


def test_every_third_party_import_in_widgets_is_declared():
    owners = packages_distributions()
    ours = {"fmse_widgets"}
    missing = {}
    outside = {module for module, _ in imported_modules(ROOT / "widgets", skip=EXTRA_FOLDERS.values()).items()}
    for module, where in imported_modules(ROOT / "widgets").items():
        if module in sys.stdlib_module_names or module in ours:
            continue
        assert module in owners, f"{where} imports {module}, which no installed distribution provides"
        names = {canonicalize_name(name) for name in owners[module]}
        allowed = declared()
        if module not in outside:  # imported only by an extra's modules
            allowed |= set().union(*(declared(extra) for extra in EXTRA_FOLDERS))
        if not names & allowed:
            missing[module] = (where, sorted(names))
    assert not missing, f"imported but not declared in pyproject.toml's dependencies: {missing}"


def test_a_hub_only_import_outside_the_hub_package_is_missing():
    outside = imported_modules(ROOT / "widgets", skip=EXTRA_FOLDERS.values())
    assert "jupyterhub" not in declared() and "jupyterhub" in declared("hub")
    assert "nativeauthenticator" not in outside  # the hub's authenticator stays inside widgets/hub/
