"""Charts as inline SVG, each with a text alternative (title and description) and a table of its figures.

Hand-written SVG rather than matplotlib: these are simple bar and column charts; SVG text stays sharp when
projected and printed, carries its own accessible name (role="img" with <title> and <desc>), follows the
page's text colour, costs no import time or memory in a page's kernel, and is the same byte for byte on every
run, so nbval can check chart outputs too.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..i18n import translator

WIDTH = 640
LABEL_WIDTH = 230
BAR_HEIGHT = 22
ROW_GAP = 10
COLOURS = ("#1f5c99", "#b4530f")   # dark blue, dark orange: each >= 4.5:1 against white
FONT = 'font-family="inherit" font-size="14"'
# Figures and tables: left-aligned, bordered, words never broken inside a cell (the page breaks long words).
CSS = """
.fmse-figure { margin: 1rem 0 1.5rem; text-align: left; }
.fmse-figure figcaption { font-weight: 700; font-size: 1.15rem; margin: 0 0 0.5rem; text-align: left; }
.fmse-figure details summary, .fmse-pandas summary { cursor: pointer; min-height: 1.5rem; }
.fmse-table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
.fmse-table caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
.fmse-table th, .fmse-table td { border: 1px solid #8a8a8a; padding: 0.3rem 0.6rem; text-align: left;
  overflow-wrap: normal !important; word-break: normal !important; }
.fmse-table td { text-align: right; font-variant-numeric: tabular-nums; }
"""


SMALL = 10   # a count, or the base of a percentage or median, under this is shown as "fewer than 10"


class Small(str):
    """A figure not shown because it, or the number of cases it is worked out from, is under SMALL: its text is
    "fewer than 10" in `lang`. Tables that hold one add the note saying why."""

    lang: str


def small(lang: str) -> Small:
    found = Small(translator(lang).gettext("fewer than 10"))
    found.lang = lang
    return found


def small_note(lang: str) -> str:
    """Why some figures say "fewer than 10", as a paragraph in `lang`."""
    text = translator(lang).gettext(
        "\u201cFewer than 10\u201d: a count under 10, or a percentage or median worked out from fewer than 10 "
        "cases, is not shown. With so few cases one case changes a figure a lot, and in real data it could "
        "point to a child.")
    return f'<p class="fmse-small-note">{esc(text)}</p>'


def count(n: float, lang: str) -> str:
    """A count, or "fewer than 10" for 1 to 9 (0 is shown: it points to nobody)."""
    return small(lang) if 0 < n < SMALL else number(n)


def share(part: float, whole: float, lang: str) -> str:
    """A percentage, or "fewer than 10" when the number it is worked out from is under 10 ("–" for none)."""
    if not whole:
        return "–"
    return small(lang) if whole < SMALL else percent(part, whole)


def holds_small(*texts: object) -> bool:
    return any(isinstance(t, Small) for t in texts)


def esc(text: str) -> str:
    return escape(str(text), quote=True)


def number(n: float) -> str:
    return f"{int(round(n)):,}"


def percent(part: float, whole: float) -> str:
    if not whole:
        return "–"
    share = 100 * part / whole
    if 0 < share < 0.5:
        return "<1%"
    return f"{round(share):d}%"


def minutes_text(minutes: float, lang: str) -> str:
    tr = translator(lang)
    if minutes < 120:
        n = int(round(minutes))
        return tr.ngettext("{n} minute", "{n} minutes", n).format(n=n)
    if minutes < 2880:
        n = int(round(minutes / 60))
        return tr.ngettext("{n} hour", "{n} hours", n).format(n=n)
    n = int(round(minutes / 1440))
    return tr.ngettext("{n} day", "{n} days", n).format(n=n)


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]


def _wrap(label: str, width: int = 28) -> list[str]:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], " ".join(lines[1:])]


def _svg_open(key: str, height: int, title: str, desc: str) -> str:
    return (f'<svg class="fmse-chart-svg" role="img" aria-labelledby="{key}-t {key}-d" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width: {WIDTH}px">'
            f'<title id="{key}-t">{esc(title)}</title>'
            f'<desc id="{key}-d">{esc(desc)}</desc>')


def _legend(series: list[Series], y: int) -> str:
    parts, x = [], LABEL_WIDTH
    for i, s in enumerate(series):
        parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{COLOURS[i]}"/>'
                     f'<text x="{x + 20}" y="{y + 12}" {FONT} fill="currentColor">{esc(s.name)}</text>')
        x += 40 + 9 * len(s.name)
    return "".join(parts)


def bar_chart(key: str, title: str, desc: str, labels: list[str], series: list[Series], *,
              lang: str = "en") -> str:
    """Horizontal bars, one row per label; more than one series is stacked, with a legend."""
    stacked = len(series) > 1
    top = 30 if stacked else 6
    rows = len(labels)
    height = top + rows * (BAR_HEIGHT + ROW_GAP) + 4
    totals = [sum(s.values[i] for s in series) for i in range(rows)]
    peak = max(totals) if totals and max(totals) > 0 else 1
    area = WIDTH - LABEL_WIDTH - 70
    parts = [_svg_open(key, height, title, desc)]
    if stacked:
        parts.append(_legend(series, 4))
    for i, label in enumerate(labels):
        y = top + i * (BAR_HEIGHT + ROW_GAP)
        lines = _wrap(label)
        first = y + BAR_HEIGHT / 2 + 5 - (8 if len(lines) == 2 else 0)
        for j, line in enumerate(lines):
            parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{first + 16 * j:g}" text-anchor="end" {FONT} '
                         f'fill="currentColor">{esc(line)}</text>')
        x: float = LABEL_WIDTH
        for k, s in enumerate(series):
            w = area * s.values[i] / peak
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                             f'fill="{COLOURS[k]}"/>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + BAR_HEIGHT / 2 + 5:g}" {FONT} '
                     f'fill="currentColor">{esc(count(totals[i], lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def nice_ticks(peak: float, most: int = 4) -> list[int]:
    """Round axis values from 0 to at least `peak`: steps of 1, 2 or 5 times a power of ten (0-250 in 50s)."""
    if peak <= 0:
        return []
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * most >= peak:
                size = step * factor
                top = -(-int(peak) // size) * size
                return list(range(0, top + 1, size))
        step *= 10


def column_chart(key: str, title: str, desc: str, labels: list[str], values: Sequence[float],
                 ticks: dict[int, str], *, lang: str = "en") -> str:
    """Vertical columns over time; `ticks` maps a column's index to the label written under it. The value axis
    has gridlines at round values; an empty chart has none."""
    height, bottom, left = 230, 190, 50
    axis = nice_ticks(max(values) if values else 0)
    top = axis[-1] if axis else 1
    step = (WIDTH - left - 10) / max(len(values), 1)
    parts = [_svg_open(key, height, title, desc)]
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" stroke="currentColor"/>')
    for tick in axis:
        y = bottom - 170 * tick / top
        parts.append(f'<text x="{left - 6}" y="{y + 5:g}" text-anchor="end" {FONT} fill="currentColor">'
                     f'{number(tick)}</text>')
        if tick:
            parts.append(f'<line x1="{left}" y1="{y:g}" x2="{WIDTH - 10}" y2="{y:g}" stroke="currentColor" '
                         f'stroke-opacity="0.25"/>')
    for i, value in enumerate(values):
        h = 170 * value / top
        if h > 0:
            parts.append(f'<rect x="{left + i * step + 2:.1f}" y="{bottom - h:.1f}" width="{step - 4:.1f}" '
                         f'height="{h:.1f}" fill="{COLOURS[0]}"><title>{esc(labels[i])}: {esc(count(value, lang))}'
                         f'</title></rect>')
    for i, text in ticks.items():
        parts.append(f'<text x="{left + i * step + 2:.1f}" y="{bottom + 20}" {FONT} '
                     f'fill="currentColor">{esc(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def table(caption: str, headers: list[str], rows: list[list[str]], *, key: str = "") -> str:
    """An accessible table: a caption, column headers, and each row's first cell as its header."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + f'<th scope="row">{esc(r[0])}</th>' + "".join(f"<td>{esc(c)}</td>" for c in r[1:])
                   + "</tr>" for r in rows)
    ident = f' id="{key}-table"' if key else ""
    suppressed = next((c for r in rows for c in r if isinstance(c, Small)), None)
    note = small_note(suppressed.lang) if suppressed is not None else ""
    return (f'<table class="fmse-table"{ident}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{note}")


def figure(chart: str, table_html: str, lang: str, *, caption: str, open_table: bool = False) -> str:
    """A captioned chart and, beneath it, the same figures as a table (in a disclosure unless open_table)."""
    head = f'<figure class="fmse-figure"><figcaption>{esc(caption)}</figcaption>{chart}'
    if open_table:
        return f"{head}{table_html}</figure>"
    summary = translator(lang).gettext("The figures in this chart, as a table")
    return (f'{head}<details class="fmse-table-details"><summary>{esc(summary)}</summary>{table_html}</details>'
            f"</figure>")


def describe_largest(items: list[tuple[str, float]], total: float, lang: str, *, limit: int = 3) -> str:
    """'Instagram 1,806 (45%); Snapchat 1,310 (33%); ...' for the largest `limit` items."""
    tr = translator(lang)
    ranked = sorted(items, key=lambda kv: -kv[1])[:limit]
    listed = "; ".join(f"{label} {count(v, lang)} ({share(v, total, lang)})" for label, v in ranked)
    return tr.gettext("Largest: {items}.").format(items=listed)
