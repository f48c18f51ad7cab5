"""What a rendered page must never show: the notebook's own code, or a traceback and the paths behind it.
Shared by tests/test_security.py (a module and a dashboard fetched over HTTP) and
tests/browser/test_every_page_accessibility.py (the raw HTML of every page, from the load it already makes)."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEAKS = ("Traceback", 'File "', "site-packages", "ExecutionError", "CellExecutionError")


def code_lines(path: str) -> list[str]:
    """Every non-trivial line of source in the notebook's code cells (`path` under notebooks/)."""
    nb = json.loads((ROOT / "notebooks" / path).read_text(encoding="utf-8"))
    lines = ("".join(c["source"]).splitlines() for c in nb["cells"] if c["cell_type"] == "code")
    return [line.strip() for cell in lines for line in cell if len(line.strip()) > 8]


def source_shown(path: str, body: str) -> dict[str, list[str]]:
    """The notebook's code lines and the LEAKS strings found in `body` (the page's HTML); empty when none."""
    found = {"code": [line for line in code_lines(path) if line in body],
             "leaks": [leak for leak in LEAKS if leak in body]}
    return {k: v for k, v in found.items() if v}
