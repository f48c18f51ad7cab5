"""Charts read cleanly and small numbers are shown honestly: axis ticks at round values, no gridlines on an empty
chart, and "fewer than 10" (with its note, in each language) in module 8's figures when the data is small."""
from __future__ import annotations

import re

import pytest

from fmse_widgets.cases import charts as c
from fmse_widgets.cases import explore


@pytest.mark.parametrize(("peak", "ticks"), [
    (223, [0, 100, 200, 300]), (112, [0, 50, 100, 150]), (9, [0, 5, 10]), (1, [0, 1]), (40, [0, 10, 20, 30, 40]),
    (1806, [0, 500, 1000, 1500, 2000]), (0, []),
])
def test_axis_ticks_are_round_values_covering_the_peak(peak, ticks):
    assert c.nice_ticks(peak) == ticks


def axis_labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" [^>]*>([\d,]+)</text>', svg)


def test_a_column_chart_labels_its_axis_at_round_values():
    svg = c.column_chart("k", "Cases by month", "d", ["a", "b", "c"], [223, 150, 12], {0: "a"})
    assert axis_labels(svg) == ["0", "100", "200", "300"]
    assert "112" not in svg and "223</text>" not in svg


def test_an_empty_chart_has_no_gridlines_or_stray_ticks():
    svg = c.column_chart("k", "Cases by month", "No cases match these filters.", ["a", "b"], [0, 0], {0: "a"})
    assert svg.count("<line") == 1 and 'stroke-opacity' not in svg  # the baseline only
    assert axis_labels(svg) == [] and "<rect" not in svg


@pytest.mark.parametrize(("lang", "few", "note"), [
    ("en", "fewer than 10", "is not shown"), ("cy", "llai na 10", "yn cael ei ddangos"),
])
def test_module_8_follows_the_small_number_rule(monkeypatch, lang, few, note):
    small = explore.sample().head(8).copy()
    monkeypatch.setattr(explore, "sample", lambda: small)
    for key in explore.FIGURES:
        html = explore.figure(key, lang).data
        assert few in html and note in html, key
        assert not re.search(r"<td>\d+%</td>", html), key  # no percentage of 8 cases
    text = explore.what_is_demanded(lang).data
    assert "£" not in re.sub(r"<table.*?</table>|<pre>.*?</pre>", "", text, flags=re.S).split("<p>")[1]


def test_module_8_shows_the_sample_figures_in_full():
    html = explore.figure("first-contact", "en").data
    assert "fewer than 10" not in html and re.search(r"<td>\d+%</td>", html)
