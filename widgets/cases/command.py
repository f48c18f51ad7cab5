"""`fmse-course cases ...`: generate synthetic case data, check a file, export filtered rows."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

SAMPLE_ROWS = 4000
SAMPLE_SEED = 2024


def _count(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 50_000_000:
        raise argparse.ArgumentTypeError(f"{value} is outside 1-50,000,000")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError("the seed must be 0 or more")
    return value


def configure(cases: argparse.ArgumentParser) -> None:
    """Add the `cases` actions to the `cases` sub-command's parser."""
    from . import schema as s

    actions = cases.add_subparsers(dest="action", required=True, metavar="ACTION")
    gen = actions.add_parser(
        "generate", help="write a CSV of synthetic, anonymised cases",
        description="Write synthetic cases shaped by published figures (see data/cases/README.md). The same "
                    "--rows and --seed always give the same file, byte for byte. The committed sample is "
                    f"--rows {SAMPLE_ROWS} --seed {SAMPLE_SEED}. Long runs show a progress bar.")
    gen.add_argument("--rows", type=_count, default=SAMPLE_ROWS, metavar="N",
                     help=f"how many cases (default {SAMPLE_ROWS})")
    gen.add_argument("--seed", type=_seed, default=SAMPLE_SEED, metavar="S",
                     help=f"the random seed (default {SAMPLE_SEED})")
    gen.add_argument("--out", type=Path, required=True, metavar="PATH", help="the CSV file to write")
    gen.add_argument("--no-progress", action="store_true", help="never show a progress bar")

    check = actions.add_parser("validate", help="check a case-data CSV (columns, values, no personal data)",
                               description="Check a case-data file the way the course does when it loads "
                                           "one; every problem names its row and column.")
    check.add_argument("path", type=Path, metavar="PATH")

    export = actions.add_parser(
        "export", help="write the cases that match filters to a CSV (the dashboard's download, without a cap)",
        description="Write the rows of a case-data file that match the filters, in the same CSV format. "
                    "Without --in, the committed sample is used.")
    export.add_argument("--in", dest="source", type=Path, metavar="PATH",
                        help="the case-data CSV to read (default: data/cases/sample.csv)")
    export.add_argument("--out", type=Path, required=True, metavar="PATH", help="the CSV file to write")
    export.add_argument("--start", metavar="YYYY-MM", help="first month to include")
    export.add_argument("--end", metavar="YYYY-MM", help="last month to include")
    export.add_argument("--age-band", choices=tuple(s.AGE_BANDS))
    export.add_argument("--sex", choices=s.SEXES)
    export.add_argument("--platform", choices=s.PLATFORMS, help="first-contact platform")
    export.add_argument("--demand-type", choices=s.DEMAND_TYPES)
    export.add_argument("--local-authority", choices=s.LOCAL_AUTHORITIES, metavar="AREA",
                        help=f"one of: {', '.join(s.LOCAL_AUTHORITIES)}")


def run(args: argparse.Namespace) -> int:
    if args.action == "generate":
        from .generate import write

        try:
            path = write(args.rows, args.seed, args.out, progress=False if args.no_progress else None)
        except OSError as exc:
            return _cannot_write(args.out, exc)
        print(f"Wrote {args.rows:,} synthetic cases (seed {args.seed}) to {path}")
        return 0
    from .validate import CaseDataError, load_cases, sample_path

    source = getattr(args, "source", None) or getattr(args, "path", None) or sample_path()
    try:
        frame = load_cases(source)
    except CaseDataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.action == "validate":
        print(f"{source}: {len(frame):,} cases, all valid.")
        return 0
    from .query import CaseFilter, CaseTable, csv_text

    try:
        wanted = CaseFilter(start=args.start, end=args.end, age_band=args.age_band, sex=args.sex,
                            platform=args.platform, demand_type=args.demand_type,
                            local_authority=args.local_authority)
    except ValueError as exc:
        print(f"fmse-course cases export: {exc}", file=sys.stderr)
        return 2
    rows = CaseTable(frame).rows(wanted)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(csv_text(rows), encoding="utf-8", newline="")
    except OSError as exc:
        return _cannot_write(args.out, exc)
    print(f"Wrote {len(rows):,} of {len(frame):,} cases to {args.out}")
    return 0


def _cannot_write(path: Path, exc: OSError) -> int:
    print(f"Problem: cannot write {path} ({exc.strerror or exc}). Nothing was written there: choose a file in a "
          f"folder you can write to (--out).", file=sys.stderr)
    return 1
