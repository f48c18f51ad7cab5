"""`fmse-course cases ...`: generate synthetic case data, check a file, export filtered rows.

Help and messages in English or Welsh (widgets/cli_lang.py); details quoted from a case file's check stay English.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli_lang import parsing_translator
from ..i18n import translator

SAMPLE_ROWS = 4000
SAMPLE_SEED = 2024


def _count(text: str) -> int:
    tr = parsing_translator()
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(tr.gettext("{text!r} is not a whole number").format(text=text)) from None
    if not 1 <= value <= 50_000_000:
        raise argparse.ArgumentTypeError(tr.gettext("{value} is outside 1-50,000,000").format(value=value))
    return value


def _seed(text: str) -> int:
    tr = parsing_translator()
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr.gettext("{text!r} is not a whole number").format(text=text)) from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(tr.gettext("the seed must be 0 or more"))
    return value


def configure(cases: argparse.ArgumentParser, tr=None) -> None:
    """Add the `cases` actions to the `cases` sub-command's parser, their help in tr's language."""
    from . import schema as s

    tr = tr or translator("en")
    actions = cases.add_subparsers(dest="action", required=True, metavar="ACTION")
    gen = actions.add_parser(
        "generate", help=tr.gettext("write a CSV of synthetic, anonymised cases"),
        description=tr.gettext("Write synthetic cases shaped by published figures (see data/cases/README.md). The "
                               "same --rows and --seed always give the same file, byte for byte. The committed "
                               "sample is --rows {rows} --seed {seed}. Long runs show a progress bar.").format(
                                   rows=SAMPLE_ROWS, seed=SAMPLE_SEED))
    gen.add_argument("--rows", type=_count, default=SAMPLE_ROWS, metavar="N",
                     help=tr.gettext("how many cases (default {rows})").format(rows=SAMPLE_ROWS))
    gen.add_argument("--seed", type=_seed, default=SAMPLE_SEED, metavar="S",
                     help=tr.gettext("the random seed (default {seed})").format(seed=SAMPLE_SEED))
    gen.add_argument("--out", type=Path, required=True, metavar="PATH", help=tr.gettext("the CSV file to write"))
    gen.add_argument("--no-progress", action="store_true", help=tr.gettext("never show a progress bar"))

    check = actions.add_parser("validate", help=tr.gettext("check a case-data CSV (columns, values, no personal "
                                                           "data)"),
                               description=tr.gettext("Check a case-data file the way the course does when it "
                                                      "loads one; every problem names its row and column."))
    check.add_argument("path", type=Path, metavar="PATH")

    export = actions.add_parser(
        "export", help=tr.gettext("write the cases that match filters to a CSV (the dashboard's download, without "
                                  "a cap)"),
        description=tr.gettext("Write the rows of a case-data file that match the filters, in the same CSV "
                               "format. Without --in, the committed sample is used."))
    export.add_argument("--in", dest="source", type=Path, metavar="PATH",
                        help=tr.gettext("the case-data CSV to read (default: data/cases/sample.csv)"))
    export.add_argument("--out", type=Path, required=True, metavar="PATH", help=tr.gettext("the CSV file to write"))
    export.add_argument("--start", metavar="YYYY-MM", help=tr.gettext("first month to include"))
    export.add_argument("--end", metavar="YYYY-MM", help=tr.gettext("last month to include"))
    export.add_argument("--age-band", choices=tuple(s.AGE_BANDS))
    export.add_argument("--sex", choices=s.SEXES)
    export.add_argument("--platform", choices=s.PLATFORMS, help=tr.gettext("first-contact platform"))
    export.add_argument("--demand-type", choices=s.DEMAND_TYPES)
    export.add_argument("--local-authority", choices=s.LOCAL_AUTHORITIES, metavar="AREA",
                        help=tr.gettext("one of: {areas}").format(areas=", ".join(s.LOCAL_AUTHORITIES)))


def run(args: argparse.Namespace) -> int:
    tr = translator(getattr(args, "output_lang", None) or "en")
    if args.action == "generate":
        from .generate import write

        try:
            path = write(args.rows, args.seed, args.out, progress=False if args.no_progress else None)
        except OSError as exc:
            return _cannot_write(args.out, exc, tr)
        print(tr.gettext("Wrote {rows} synthetic cases (seed {seed}) to {path}").format(
            rows=f"{args.rows:,}", seed=args.seed, path=path))
        return 0
    from .validate import CaseDataError, load_cases, sample_path

    source = getattr(args, "source", None) or getattr(args, "path", None) or sample_path()
    try:
        frame = load_cases(source)
    except CaseDataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.action == "validate":
        print(tr.gettext("{path}: {rows} cases, all valid.").format(path=source, rows=f"{len(frame):,}"))
        return 0
    from .query import CaseFilter, CaseTable, csv_text

    try:
        wanted = CaseFilter(start=args.start, end=args.end, age_band=args.age_band, sex=args.sex,
                            platform=args.platform, demand_type=args.demand_type,
                            local_authority=args.local_authority)
    except ValueError as exc:
        print(f"fmse-course cases export: {exc}", file=sys.stderr)  # the filter's own words (English)
        return 2
    rows = CaseTable(frame).rows(wanted)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(csv_text(rows), encoding="utf-8", newline="")
    except OSError as exc:
        return _cannot_write(args.out, exc, tr)
    print(tr.gettext("Wrote {rows} of {total} cases to {path}").format(rows=f"{len(rows):,}",
                                                                      total=f"{len(frame):,}", path=args.out))
    return 0


def _cannot_write(path: Path, exc: OSError, tr) -> int:
    print(tr.gettext("Problem: cannot write {path} ({reason}). Nothing was written there: choose a file in a "
                     "folder you can write to (--out).").format(path=path, reason=exc.strerror or exc),
          file=sys.stderr)
    return 1
