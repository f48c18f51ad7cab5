"""Module 8 ("Understanding the data"): figures from the committed sample, each as a chart, a table and a
sentence, with the pandas that worked it out.

Every output is a fixed function of data/cases/sample.csv (and so of its seed), so the notebook's cells are
marked `# NBVAL_CHECK_OUTPUT` and nbval checks the numbers, not only that the cells ran.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

import numpy as np
import pandas as pd
from IPython.display import HTML

from . import charts as c
from . import schema as s
from ..languages import LANGS
from .labels import column_label, month_label, value_label
from ..i18n import translator

FLAGS_AFTER = ("police_informed", "report_remove_used", "take_it_down_used", "platform_reported")
SPEED_BINS = (0, 15, 60, 360, 1440, 4320, np.inf)
AMOUNT_BINS = (0, 50, 100, 200, 500, np.inf)


@lru_cache(maxsize=1)
def sample() -> pd.DataFrame:
    """The committed sample, validated (data/cases/sample.csv)."""
    from .validate import load_cases, sample_path

    return load_cases(sample_path())


def _pandas(code: str, lang: str) -> str:
    summary = translator(lang).gettext("How this was worked out in pandas")
    return (f'<details class="fmse-pandas"><summary>{escape(summary)}</summary>'
            f"<pre><code>{escape(code)}</code></pre></details>")


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _few(lang: str) -> str:
    """Instead of a sentence of percentages and medians, when there are fewer than 10 cases."""
    return translator(lang).gettext("There are fewer than 10 cases, so these figures are not given as "
                                    "percentages or medians: with so few cases one case changes a figure a lot, "
                                    "and in real data it could point to a child.")


def _section(key: str, parts: list[str]) -> HTML:
    return HTML(f'<section class="fmse-explore" id="fmse-explore-{key}"><style>{c.CSS}</style>' + "".join(parts)
                + "</section>")


def _counts_figure(key: str, title: str, column: str, counts: pd.Series, lang: str) -> str:
    tr = translator(lang)
    total = int(counts.sum())
    labels = [value_label(column, v, lang) for v in counts.index]
    values = [int(v) for v in counts]
    desc = tr.gettext("Bar chart.") + " " + c.describe_largest(list(zip(labels, values)), total, lang)
    chart = c.bar_chart(key, title, desc, labels, [c.Series(title, tuple(values))], lang=lang)
    rows = [[label, c.count(v, lang), c.share(v, total, lang)] for label, v in zip(labels, values)]
    table = c.table(title, [column_label(column, lang), tr.gettext("Cases"), tr.gettext("Share")], rows)
    return c.figure(chart, table, lang, caption=title, open_table=True)


def sample_overview(lang: str) -> HTML:
    """What the sample is, and its first five rows."""
    tr = translator(lang)
    cases = sample()
    months = cases["month"].cat.categories
    text = tr.gettext("The sample holds {n} invented cases, from {first} to {last}, in all {areas} local "
                      "authority areas of Wales. Each row is one invented case; no row describes a real "
                      "child.").format(n=c.count(len(cases), lang), first=month_label(months[0], lang),
                                       last=month_label(months[-1], lang),
                                       areas=cases["local_authority"].nunique())
    shown = ("case_id", "month", "local_authority", "age", "sex", "first_contact_platform", "demand_type",
             "demand_gbp", "paid")
    rows = []
    for _, row in cases.head(5).iterrows():
        cells = []
        for name in shown:
            value = row[name]
            kind = s.BY_NAME[name].kind
            if kind == "category":
                cells.append(value_label(name, value, lang))
            elif kind == "flag":
                cells.append(value_label(name, "yes" if value else "no", lang))
            elif kind == "month":
                cells.append(month_label(value, lang))
            else:
                cells.append(str(value))
        rows.append(cells)
    caption = tr.gettext("The first five rows (some of the {n} columns)").format(n=len(s.COLUMNS))
    table = c.table(caption, [column_label(n, lang) for n in shown], rows)
    code = ('from fmse_widgets.cases.validate import load_cases\n'
            'cases = load_cases("data/cases/sample.csv")\n'
            'len(cases), cases["local_authority"].nunique()\n'
            'cases.head(5)')
    return _section("overview", [_p(text), table, _pandas(code, lang)])


def who_is_targeted(lang: str) -> HTML:
    tr = translator(lang)
    cases = sample()
    table_ = pd.crosstab(cases["age"], cases["sex"]).reindex(columns=list(s.SEXES), fill_value=0)
    n = len(cases)
    male = int((cases["sex"] == "male").sum())
    older = int(cases["age"].between(16, 17).sum())
    younger = int(cases["age"].between(11, 13).sum())
    text = tr.gettext("Of the {n} invented cases, {male} involve boys and young men, {older} involve young "
                      "people aged 16 or 17, and {younger} involve children aged 11 to 13.").format(
        n=c.count(n, lang), male=c.share(male, n, lang), older=c.share(older, n, lang),
        younger=c.share(younger, n, lang))
    title = tr.gettext("Cases by age and sex")
    ages = [str(a) for a in table_.index]
    series = [c.Series(value_label("sex", sex, lang), tuple(int(v) for v in table_[sex])) for sex in s.SEXES]
    desc = tr.gettext("Stacked bar chart. {items}.").format(items="; ".join(
        f"{age}: " + ", ".join(f"{ser.name} {c.count(ser.values[i], lang)}" for ser in series)
        for i, age in enumerate(ages)))
    chart = c.bar_chart("fmse-explore-age", title, desc, ages, series, lang=lang)
    rows = [[age, *(c.count(ser.values[i], lang) for ser in series),
             c.count(sum(ser.values[i] for ser in series), lang)] for i, age in enumerate(ages)]
    table = c.table(title, [column_label("age", lang), *(ser.name for ser in series), tr.gettext("Total")], rows)
    code = ('pd.crosstab(cases["age"], cases["sex"])\n(cases["sex"] == "male").mean()\n'
            'cases["age"].between(16, 17).mean()')
    if n < c.SMALL:
        text = _few(lang)
    return _section("who", [_p(text), c.figure(chart, table, lang, caption=title, open_table=True),
                            _pandas(code, lang)])


def first_contact(lang: str) -> HTML:
    tr = translator(lang)
    cases = sample()
    n = len(cases)
    platforms = cases["first_contact_platform"].value_counts().reindex(list(s.PLATFORMS), fill_value=0)
    moved = cases["moved_to_platform"].value_counts().reindex(list(s.MOVED_TO), fill_value=0)
    insta_snap = int(platforms["instagram"] + platforms["snapchat"])
    encrypted = int(n - moved["no-move"])
    text = tr.gettext("Instagram and Snapchat were where first contact happened in {both} of the invented "
                      "cases. In {moved} of cases the offender then moved the chat to an end-to-end encrypted "
                      "app.").format(both=c.share(insta_snap, n, lang), moved=c.share(encrypted, n, lang))
    first = _counts_figure("fmse-explore-platform", tr.gettext("Where first contact happened"),
                           "first_contact_platform", platforms, lang)
    second = _counts_figure("fmse-explore-moved", tr.gettext("Where the chat was moved to"),
                            "moved_to_platform", moved, lang)
    code = 'cases["first_contact_platform"].value_counts()\ncases["moved_to_platform"].value_counts()'
    if n < c.SMALL:
        text = _few(lang)
    return _section("first-contact", [_p(text), first, second, _pandas(code, lang)])


def _speed_labels(lang: str) -> list[str]:
    tr = translator(lang)
    return [tr.gettext("Under 15 minutes"), tr.gettext("15 to 59 minutes"), tr.gettext("1 to 6 hours"),
            tr.gettext("6 to 24 hours"), tr.gettext("1 to 3 days"), tr.gettext("More than 3 days")]


def how_fast(lang: str) -> HTML:
    tr = translator(lang)
    cases = sample()
    n = len(cases)
    bands = pd.cut(cases["minutes_to_threat"], bins=list(SPEED_BINS), right=False)
    counts = bands.value_counts(sort=False)
    labels = _speed_labels(lang)
    values = [int(v) for v in counts]
    within_hour = int((cases["minutes_to_threat"] < 60).sum())
    median = float(cases["minutes_to_threat"].median())
    text = tr.gettext("In {hour} of the invented cases the first threat came within an hour of first "
                      "contact. The median time was {median}.").format(
        hour=c.share(within_hour, n, lang), median=c.small(lang) if n < c.SMALL else c.minutes_text(median, lang))
    title = tr.gettext("Time from first contact to the first threat")
    desc = tr.gettext("Bar chart.") + " " + "; ".join(
        f"{label} {c.count(v, lang)} ({c.share(v, n, lang)})" for label, v in zip(labels, values)) + "."
    chart = c.bar_chart("fmse-explore-speed", title, desc, labels, [c.Series(title, tuple(values))], lang=lang)
    rows = [[label, c.count(v, lang), c.share(v, n, lang)] for label, v in zip(labels, values)]
    table = c.table(title, [tr.gettext("Time"), tr.gettext("Cases"), tr.gettext("Share")], rows)
    code = ('bands = pd.cut(cases["minutes_to_threat"], bins=[0, 15, 60, 360, 1440, 4320, float("inf")],\n'
            '              right=False)\nbands.value_counts(sort=False)\n'
            '(cases["minutes_to_threat"] < 60).mean(), cases["minutes_to_threat"].median()')
    if n < c.SMALL:
        text = _few(lang)
    return _section("speed", [_p(text), c.figure(chart, table, lang, caption=title, open_table=True),
                              _pandas(code, lang)])


def what_is_demanded(lang: str) -> HTML:
    tr = translator(lang)
    cases = sample()
    n = len(cases)
    types = cases["demand_type"].value_counts().reindex(list(s.DEMAND_TYPES), fill_value=0)
    paid = int(cases["paid"].sum())
    again = int((cases["paid"] & cases["asked_again"]).sum())
    median = float(cases["demand_gbp"].median())
    text = tr.gettext("The median first demand was £{median}. {paid} of the invented young people paid "
                      "something; of those who paid, {again} were asked for more.").format(
        median=c.small(lang) if n < c.SMALL else c.number(median), paid=c.share(paid, n, lang),
        again=c.share(again, paid, lang))
    types_figure = _counts_figure("fmse-explore-demand", tr.gettext("What was demanded"), "demand_type",
                                  types, lang)
    bands = pd.cut(cases["demand_gbp"], bins=list(AMOUNT_BINS), right=False).value_counts(sort=False)
    labels = [tr.gettext("Under £50"), tr.gettext("£50 to £99"), tr.gettext("£100 to £199"),
              tr.gettext("£200 to £499"), tr.gettext("£500 or more")]
    title = tr.gettext("Amount first demanded")
    rows = [[label, c.count(v, lang), c.share(v, n, lang)] for label, v in zip(labels, bands)]
    amounts = c.table(title, [tr.gettext("Amount"), tr.gettext("Cases"), tr.gettext("Share")], rows)
    code = ('cases["demand_type"].value_counts()\ncases["demand_gbp"].median()\n'
            'pd.cut(cases["demand_gbp"], bins=[0, 50, 100, 200, 500, float("inf")], right=False).value_counts()\n'
            'cases["paid"].mean(), cases.loc[cases["paid"], "asked_again"].mean()')
    if n < c.SMALL:
        text = _few(lang)
    return _section("demand", [_p(text), types_figure, amounts, _pandas(code, lang)])


def after_telling(lang: str) -> HTML:
    tr = translator(lang)
    cases = sample()
    grouped = cases.groupby("told_first", observed=False)
    counts = grouped.size().reindex(list(s.TOLD_FIRST))
    shares = grouped[list(FLAGS_AFTER)].mean().reindex(list(s.TOLD_FIRST))
    title = tr.gettext("Who the young person told first, and what happened next")
    headers = [column_label("told_first", lang), tr.gettext("Cases"),
               *(column_label(f, lang) for f in FLAGS_AFTER)]
    rows = [[value_label("told_first", who, lang), c.count(counts[who], lang),
             *(c.small(lang) if counts[who] < c.SMALL else c.percent(shares.loc[who, f], 1) for f in FLAGS_AFTER)]
            for who in s.TOLD_FIRST]
    table = c.table(title, headers, rows)
    chart_figure = _counts_figure("fmse-explore-told", tr.gettext("Who the young person told first"),
                                  "told_first", counts, lang)
    caveat = tr.gettext("Read this table as practice, not as evidence: who the young person told, and what "
                        "happened next, are assumptions written into the generator. Its differences were put "
                        "there on purpose. They say nothing about real cases or about which response works.")
    code = ('cases["told_first"].value_counts()\n'
            'cases.groupby("told_first")[["police_informed", "report_remove_used",\n'
            '                              "take_it_down_used", "platform_reported"]].mean()')
    return _section("after-telling", [chart_figure, table, f'<p class="fmse-caveat"><strong>{escape(caveat)}'
                                                           f"</strong></p>", _pandas(code, lang)])


FIGURES = {"who-is-targeted": who_is_targeted, "first-contact": first_contact, "how-fast": how_fast,
           "what-is-demanded": what_is_demanded, "after-telling": after_telling}


def figure(key: str, lang: str) -> HTML:
    """One of the module's figures: who-is-targeted, first-contact, how-fast, what-is-demanded, after-telling."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
    try:
        return FIGURES[key](lang)
    except KeyError:
        raise ValueError(f"no figure {key!r}; choose one of {', '.join(FIGURES)}") from None
