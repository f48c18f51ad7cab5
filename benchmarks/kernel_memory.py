"""Memory of a course page's kernel beside a bare ipykernel, measured in the same run.

Runs each notebook's code cells in a fresh kernel (as Voilà does) and reports the kernel's resident memory.
Usage: python benchmarks/kernel_memory.py [notebook ...]   (default: the Context module in both languages)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def run(cells: list[str], cwd: Path) -> float:
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(cwd))
    try:
        for source in cells:
            reply = client.execute_interactive(source, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"cell failed: {source[:60]!r}: {reply['content'].get('evalue')}")
        return rss_mib(manager.provisioner.pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def main(argv: list[str]) -> None:
    notebooks = [Path(a) for a in argv] or [ROOT / "notebooks/en/01-context.ipynb", ROOT / "notebooks/cy/01-cyd-destun.ipynb"]
    bare = run(["1 + 1"], ROOT)
    widgets = run(["import ipywidgets"], ROOT)
    print(f"bare ipykernel:            {bare:7.1f} MiB")
    print(f"ipykernel + ipywidgets:    {widgets:7.1f} MiB")
    for path in notebooks:
        used = run(code_cells(path), path.parent)
        print(f"{path.relative_to(ROOT).as_posix():26} {used:7.1f} MiB  ({used / bare:.2f}x bare)")


if __name__ == "__main__":
    main(sys.argv[1:])
