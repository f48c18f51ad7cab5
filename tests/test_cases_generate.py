"""The case-data generator: byte-for-byte determinism, the committed sample, and the data card's figures."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from fmse_widgets.cases import generate as g
from fmse_widgets.cases import schema as s
from fmse_widgets.cases.command import SAMPLE_ROWS, SAMPLE_SEED
from fmse_widgets.cases.validate import load_cases
from fmse_widgets.cli import main

CARD = Path(__file__).resolve().parents[1] / "data" / "cases"


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    a = g.write(500, 7, tmp_path / "a.csv")
    b = g.write(500, 7, tmp_path / "b.csv")
    c = g.write(500, 8, tmp_path / "c.csv")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert a.read_bytes().startswith(b"case_id,month,local_authority,")


def test_chunked_output_is_one_valid_file(tmp_path, monkeypatch):
    # More rows than a chunk: the header is written once and case ids run on across chunks.
    monkeypatch.setattr(g, "CHUNK", 300)
    path = g.write(1000, 3, tmp_path / "x.csv")
    frame = load_cases(path)
    assert list(frame["case_id"]) == list(range(1, 1001))
    assert path.read_text(encoding="utf-8").count("case_id") == 1


def test_the_committed_sample_is_regenerated_byte_for_byte(root, tmp_path):
    assert main(["cases", "generate", "--rows", str(SAMPLE_ROWS), "--seed", str(SAMPLE_SEED),
                 "--out", str(tmp_path / "sample.csv")]) == 0
    committed = (root / "data" / "cases" / "sample.csv").read_bytes()
    assert (tmp_path / "sample.csv").read_bytes() == committed, (
        "data/cases/sample.csv differs from the generator's output: regenerate it with "
        f"`fmse-course cases generate --rows {SAMPLE_ROWS} --seed {SAMPLE_SEED} --out data/cases/sample.csv`")


def test_long_runs_show_a_progress_bar_and_short_ones_do_not(tmp_path, capsys):
    g.write(50, 1, tmp_path / "short.csv")
    assert capsys.readouterr().err == ""
    g.write(50, 1, tmp_path / "long.csv", progress=True)
    err = capsys.readouterr().err
    assert "Generating cases" in err and "100%" in err
    assert g.PROGRESS_FROM <= 500_000


def test_generator_writes_no_free_text_or_identifiers(root):
    text = (root / "data" / "cases" / "sample.csv").read_text(encoding="utf-8")
    assert "@" not in text and "http" not in text
    assert not re.search(r"\b0\d{9,10}\b", text)
    frame = pd.read_csv(root / "data" / "cases" / "sample.csv", dtype=str)
    assert list(frame.columns) == list(s.NAMES)


# --- the data card -------------------------------------------------------------------------------

FIGURE_ROW = re.compile(r"^\| `(?P<expr>[^`]+)` \| (?P<value>[\d.]+)%? \| (?P<source>[^|]+) \|$")


def stated_figures(card: Path) -> list[tuple[str, float, bool]]:
    """(expression, expected, is_share) for each row of the card's "Stated figures" table."""
    text = card.read_text(encoding="utf-8").replace("\\|", "|")
    section = text.split("## Stated figures" if card.name == "README.md" else "## Ffigurau datganedig")[1]
    found = []
    for line in section.split("\n## ")[0].splitlines():
        m = FIGURE_ROW.match(line.strip())
        if m:
            found.append((m.group("expr"), float(m.group("value")), line.split("|")[2].strip().endswith("%")))
    return found


def condition(frame: pd.DataFrame, text: str) -> pd.Series:
    """`col = v`, `col in a, b`, `col < n`, `col >= v`, joined by ' and '."""
    keep = pd.Series(True, index=frame.index)
    for part in text.split(" and "):
        m = re.fullmatch(r"(\w+) (=|in|<|>=) (.+)", part.strip())
        assert m, f"cannot read {part!r}"
        column, op, value = m.groups()
        series = frame[column]
        if series.dtype == bool:
            series = series.map({True: "yes", False: "no"})
        if op == "=":
            keep &= series.astype(str) == value
        elif op == "in":
            wanted = [v.strip() for v in value.split(",")]
            numeric = pd.api.types.is_integer_dtype(series)
            keep &= series.isin([int(v) for v in wanted]) if numeric else series.astype(str).isin(wanted)
        elif op == "<":
            keep &= series < float(value)
        else:
            keep &= (series.astype(str) >= value) if column == "month" else series >= float(value)
    return keep


def observed(frame: pd.DataFrame, expr: str) -> tuple[float, int]:
    if expr.startswith("median "):
        return float(frame[expr.split()[1]].median()), len(frame)
    what, _, given = expr.partition(" | ")
    base = condition(frame, given) if given else pd.Series(True, index=frame.index)
    return 100 * float(condition(frame, what)[base].mean()), int(base.sum())


def check_against_card(frame: pd.DataFrame, slack: float) -> list[str]:
    problems = []
    figures = stated_figures(CARD / "README.md")
    assert len(figures) >= 15
    for expr, expected, is_share in figures:
        value, n = observed(frame, expr)
        if is_share:
            p = expected / 100
            tolerance = 100 * 4 * math.sqrt(p * (1 - p) / n) + slack
        else:
            tolerance = 0.05 * expected
        if abs(value - expected) > tolerance:
            problems.append(f"{expr}: card says {expected}, data has {value:.2f} (n={n}, ±{tolerance:.2f})")
    return problems


def test_the_sample_matches_the_figures_the_card_states(root):
    assert check_against_card(load_cases(root / "data" / "cases" / "sample.csv"), slack=1.0) == []


def test_a_large_generated_file_matches_the_card_closely():
    frame = g.generate(200_000, 11)   # as written: flags are "yes"/"no" text
    assert check_against_card(frame, slack=0.6) == []


def test_the_welsh_card_states_the_same_figures():
    assert stated_figures(CARD / "README.cy.md") == stated_figures(CARD / "README.md")


@pytest.mark.parametrize("card", ["README.md", "README.cy.md"])
def test_the_card_describes_every_column_and_value(card):
    text = (CARD / card).read_text(encoding="utf-8")
    rows = {m.group(1): line for line in text.splitlines() if (m := re.match(r"^\| `(\w+)` \|", line))}
    for column in s.COLUMNS:
        assert column.name in rows, f"{card}: no row for column {column.name}"
        for value in column.values:
            assert f"`{value}`" in rows[column.name], f"{card}: {column.name} does not list `{value}`"
        if column.name != "case_id":
            source = rows[column.name].rstrip(" |").split(" | ")[-1]
            assert source.strip() not in ("", "–")


def test_every_assumed_distribution_says_so_in_the_card_and_the_code():
    text = (CARD / "README.md").read_text(encoding="utf-8")
    for column in ("local_authority", "setting_type", "told_first", "police_informed", "demand_gbp"):
        line = next(ln for ln in text.splitlines() if ln.startswith(f"| `{column}` |"))
        assert "assumed" in line.split(" | ")[-1], column
    for shares in (g.LOCAL_AUTHORITY, g.TOLD_FIRST, g.MONTH, *g.SETTING_BY_AGE_BAND.values()):
        assert shares.source.startswith("assumed")
    assert "synthetic data cannot show what works" in text.lower().replace("**", "")


def test_generate_command_checks_its_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["cases", "generate", "--rows", "0", "--out", str(tmp_path / "x.csv")])
    assert "outside 1-50,000,000" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["cases", "generate", "--rows", "10", "--seed", "-1", "--out", str(tmp_path / "x.csv")])


def test_the_card_check_would_catch_data_that_does_not_match(root):
    frame = load_cases(root / "data" / "cases" / "sample.csv")
    frame["paid"] = True
    problems = check_against_card(frame, slack=1.0)
    assert any(p.startswith("paid = yes: card says 38.0, data has 100.00") for p in problems), problems
