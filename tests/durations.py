"""Write tests/durations.json, the seconds each test file took, from a JUnit XML report of a whole run:

    scripts/test --junitxml=/tmp/run.xml && .venv/bin/python tests/durations.py /tmp/run.xml

tests/conftest.py starts the longest files first (in the two processes of scripts/test) by these figures; a file
not listed is guessed from its marks. Only the order depends on them, never a result.
"""
from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def file_seconds(report: Path) -> dict[str, float]:
    seconds: dict[str, float] = defaultdict(float)
    for case in ET.parse(report).iter("testcase"):
        seconds[test_file(case.get("classname", ""))] += float(case.get("time") or 0)
    return {name: round(total, 1) for name, total in sorted(seconds.items(), key=lambda kv: -kv[1])}


def test_file(classname: str) -> str:
    """The file of a JUnit classname: tests.browser.test_print (or ...test_x.SomeClass) or notebooks.en.page.ipynb."""
    parts = classname.split(".")
    if parts[-1] == "ipynb":
        return "/".join(parts[:-2]) + "/" + parts[-2] + ".ipynb"
    for end in range(len(parts), 0, -1):
        candidate = "/".join(parts[:end]) + ".py"
        if (ROOT / candidate).is_file():
            return candidate
    return classname


if __name__ == "__main__":
    out = ROOT / "tests" / "durations.json"
    out.write_text(json.dumps(file_seconds(Path(sys.argv[1])), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
