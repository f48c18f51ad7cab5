"""Every dashboard filter against the same query in plain pandas, on the raw CSV (not the course's loader)."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from fmse_widgets.cases import schema as s
from fmse_widgets.cases.query import CaseFilter, CaseTable
from fmse_widgets.cases.validate import load_cases, sample_path
from fmse_widgets.cli import main


@pytest.fixture(scope="module")
def table() -> CaseTable:
    return CaseTable(load_cases(sample_path()))


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(sample_path(), keep_default_na=False)


def plain(raw: pd.DataFrame, f: CaseFilter) -> pd.DataFrame:
    """The filter as a reader would write it in pandas."""
    q = raw
    if f.start:
        q = q[q["month"] >= f.start]
    if f.end:
        q = q[q["month"] <= f.end]
    if f.age_band:
        low, high = s.AGE_BANDS[f.age_band]
        q = q[q["age"].between(low, high)]
    if f.sex:
        q = q[q["sex"] == f.sex]
    if f.platform:
        q = q[q["first_contact_platform"] == f.platform]
    if f.demand_type:
        q = q[q["demand_type"] == f.demand_type]
    if f.local_authority:
        q = q[q["local_authority"] == f.local_authority]
    return q


def plain_summary(q: pd.DataFrame, months: tuple[str, ...]) -> dict:
    """The summary as a reader would count it in pandas (value counts: 96 combined filters are checked)."""
    paid = q["paid"] == "yes"
    yes = (q[["paid", "police_informed", "report_remove_used"]] == "yes").groupby(q["local_authority"]).sum()
    per_la = q["local_authority"].value_counts()
    by_la = {code: (int(per_la.get(code, 0)), *(int(yes.at[code, c]) if code in yes.index else 0
                                                 for c in ("paid", "police_informed", "report_remove_used")))
             for code in s.LOCAL_AUTHORITIES}
    bands = {}
    for band, (low, high) in s.AGE_BANDS.items():
        per_sex = q.loc[q["age"].between(low, high), "sex"].value_counts()
        bands[band] = {sex: int(per_sex.get(sex, 0)) for sex in s.SEXES}
    per_month = q["month"].value_counts()
    per_platform = q["first_contact_platform"].value_counts()
    per_demand = q["demand_type"].value_counts()
    return {
        "cases": len(q), "male": int((q["sex"] == "male").sum()),
        "within_hour": int((q["minutes_to_threat"] < 60).sum()),
        "over_day": int((q["minutes_to_threat"] >= 1440).sum()),
        "paid": int(paid.sum()), "asked_again": int((paid & (q["asked_again"] == "yes")).sum()),
        "median_minutes": float(q["minutes_to_threat"].median()) if len(q) else None,
        "median_demand": float(q["demand_gbp"].median()) if len(q) else None,
        "by_month": tuple((m, int(per_month.get(m, 0))) for m in months),
        "by_age_band": bands,
        "by_platform": {v: int(per_platform.get(v, 0)) for v in s.PLATFORMS},
        "by_demand": {v: int(per_demand.get(v, 0)) for v in s.DEMAND_TYPES},
        "by_local_authority": by_la,
    }


def check(table: CaseTable, raw: pd.DataFrame, f: CaseFilter) -> None:
    expected = plain(raw, f)
    got = table.rows(f)
    assert list(got["case_id"]) == list(expected["case_id"]), f
    summary = table.summarise(f)
    wanted = plain_summary(expected, table.months)
    for name, value in wanted.items():
        assert getattr(summary, name) == value, (f, name)
    assert summary.total == len(raw)


MONTHS = ["2024-01", "2024-06", "2025-02", "2025-12"]
EACH_FILTER = (
    [CaseFilter()]
    + [CaseFilter(start=m) for m in MONTHS] + [CaseFilter(end=m) for m in MONTHS]
    + [CaseFilter(start="2024-03", end="2024-09"), CaseFilter(start="2025-05", end="2025-05"),
       CaseFilter(start="2025-06", end="2024-06")]   # the wrong way round: nothing matches
    + [CaseFilter(age_band=b) for b in s.AGE_BANDS]
    + [CaseFilter(sex=v) for v in s.SEXES]
    + [CaseFilter(platform=v) for v in s.PLATFORMS]
    + [CaseFilter(demand_type=v) for v in s.DEMAND_TYPES]
    + [CaseFilter(local_authority=v) for v in s.LOCAL_AUTHORITIES]
)


@pytest.mark.parametrize("f", EACH_FILTER, ids=lambda f: "-".join(f.command_options()) or "all")
def test_each_filter_matches_plain_pandas(table, raw, f):
    check(table, raw, f)


def test_combined_filters_match_plain_pandas(table, raw):
    combos = itertools.product(["2024-04", None], list(s.AGE_BANDS)[1:], s.SEXES, ["instagram", "online-game"],
                               ["gift-card", None], ["cardiff", "isle-of-anglesey", None])
    for start, band, sex, platform, demand, area in combos:
        check(table, raw, CaseFilter(start=start, age_band=band, sex=sex, platform=platform,
                                     demand_type=demand, local_authority=area))


def test_a_filter_that_matches_nothing(table, raw):
    f = CaseFilter(age_band="11-13", sex="female", platform="facebook", local_authority="powys",
                   demand_type="cryptocurrency")
    check(table, raw, f)
    assert table.summarise(f).median_minutes is None


def test_filters_refuse_unknown_values():
    with pytest.raises(ValueError, match="filter sex: 'boy' is not one of male, female"):
        CaseFilter(sex="boy")
    with pytest.raises(ValueError, match="filter start: '2024-1' is not a month"):
        CaseFilter(start="2024-1")


def test_export_command_writes_the_same_rows_as_plain_pandas(raw, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["cases", "export", "--out", str(out), "--sex", "female", "--platform", "snapchat",
                 "--start", "2024-06"]) == 0
    expected = plain(raw, CaseFilter(sex="female", platform="snapchat", start="2024-06"))
    assert f"Wrote {len(expected):,} of 4,000 cases" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == expected.to_csv(index=False, lineterminator="\n")


def test_the_whole_sample_survives_a_round_trip(tmp_path):
    assert main(["cases", "export", "--out", str(tmp_path / "all.csv")]) == 0
    assert (tmp_path / "all.csv").read_bytes() == sample_path().read_bytes()
