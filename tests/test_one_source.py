"""One source per fact (issue 23): the languages, the content classes' strings and the free-port helper are each
written once, so a second copy (which would drift) fails here."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py") if ".venv" not in p.parts)


def language_tuples(tree: ast.AST) -> list[int]:
    """Lines of literal ("en", "cy") or ("cy", "en") collections (tuples, lists, sets)."""
    return sorted(node.lineno for node in ast.walk(tree)
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) == 2
            and all(isinstance(e, ast.Constant) for e in node.elts)
            and {e.value for e in node.elts if isinstance(e, ast.Constant)} == {"en", "cy"})


def test_the_languages_are_written_once_in_the_package():
    found = [f"{p.relative_to(ROOT)}:{line}" for p in python_files("widgets") if p.name != "languages.py"
             for line in language_tuples(ast.parse(p.read_text(encoding="utf-8")))]
    assert found == [], "import LANGS or WELSH_FIRST from fmse_widgets.languages instead"


def test_the_check_finds_a_planted_language_tuple():
    assert language_tuples(ast.parse('if lang not in ("cy", "en"):\n    pass\nx = ["en", "cy"]\n')) == [1, 3]


def test_content_classes_do_not_list_their_strings_by_hand():
    """`texts()` comes from HasTexts (derived from the fields), so no class can forget a new field."""
    found = [f"{p.relative_to(ROOT)}:{node.lineno}" for p in python_files("widgets")
             for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(node, ast.FunctionDef) and node.name == "texts" and p.name != "text.py"]
    assert found == []


def port_zero_binds(tree: ast.AST) -> list[int]:
    """Lines that bind a socket to port 0 (asking the system for a free port)."""
    return sorted(node.lineno for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "bind"
                  and node.args and isinstance(node.args[0], ast.Tuple) and len(node.args[0].elts) == 2
                  and isinstance(node.args[0].elts[1], ast.Constant) and node.args[0].elts[1].value == 0)


def test_one_free_port_helper():
    """Tests and benchmarks use fmse_widgets.processes.free_port (tests/servers.py re-exports it).

    A copy binds port 0 and returns `sock.getsockname()[1]`. Holding a port busy on purpose (a socket kept open
    under another name, as test_cli and test_check do) is a different thing and is left alone."""
    found = [f"{p.relative_to(ROOT)}:{line}" for p in python_files("widgets", "tests", "benchmarks")
             if p.name not in ("processes.py", "test_one_source.py")
             and "return sock.getsockname()[1]" in p.read_text(encoding="utf-8")
             for line in port_zero_binds(ast.parse(p.read_text(encoding="utf-8")))]
    assert found == [], "use fmse_widgets.processes.free_port"


def test_the_check_finds_a_planted_free_port_helper():
    planted = "def spare():\n    with socket.socket() as sock:\n        sock.bind(('127.0.0.1', 0))\n"
    assert port_zero_binds(ast.parse(planted)) == [3]
