"""The course's own English and Welsh pass the language coach's victim-blaming check.

Every notebook's markdown and every {en, cy} string in data/ is checked with the phrase list that the
language coach uses (data/language/victim-blaming.yaml). A phrase may appear only as a quoted example of what
not to say, inside <q class="fmse-avoid">...</q>. The phrase list itself is not checked: its explanations
name the phrases they explain.
"""
from __future__ import annotations

import json
from pathlib import Path

from fmse_widgets import yaml_text
from fmse_widgets.exercises.coach import QUOTE_CLOSE, QUOTE_OPEN, course_wording_problems

ROOT = Path(__file__).resolve().parents[1]


def texts_in_yaml(node, where: str):
    if isinstance(node, dict):
        if isinstance(node.get("en"), str) and isinstance(node.get("cy"), str):
            yield f"{where} (en)", "en", node["en"]
            yield f"{where} (cy)", "cy", node["cy"]
            return
        for key, value in node.items():
            yield from texts_in_yaml(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts_in_yaml(value, f"{where}[{i}]")


def course_texts() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        lang = nb["metadata"].get("fmse", {}).get("lang", "en")
        found += [(f"{path.relative_to(ROOT)}: cell {c.get('id')}", lang, "".join(c["source"]))
                  for c in nb["cells"] if c["cell_type"] == "markdown"]
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        if "cases" in path.parts or "language" in path.parts:
            continue
        found += list(texts_in_yaml(yaml_text.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT))))
    return found


def test_the_course_text_uses_no_victim_blaming_wording():
    texts = course_texts()
    assert len(texts) > 1000
    problems = [f"{where}: {hit.text!r} ({hit.phrase_id})" for where, lang, text in texts
                for hit in course_wording_problems(text, lang)]
    assert problems == [], "reword these, or mark a quoted example with <q class=\"fmse-avoid\">…</q>"


def test_quoted_examples_are_allowed_and_used_wording_is_not():
    quoted = f"Never say {QUOTE_OPEN}Why did you send it?{QUOTE_CLOSE}"
    assert course_wording_problems(quoted, "en") == []
    assert [h.phrase_id for h in course_wording_problems("Why did you send it?", "en")] == ["why-did-you"]
    assert [h.phrase_id for h in course_wording_problems("Pam wnest ti ei anfon?", "cy")] == ["why-did-you"]
