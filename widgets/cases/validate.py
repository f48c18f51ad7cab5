"""Load case data with validation: columns, types, allowed values and ranges, and no personal data.

`load_cases(path)` returns a typed DataFrame (categories in the schema's order, flags as booleans, months
as an ordered category) or raises CaseDataError. Each problem names the row (1 = the first row under the
header; the file line is one more) and the column. Anything that looks like personal data (a name, email
address, phone number, username, postcode, date of birth or free-text note, in a column's name or in a
value) is refused outright: this course only ever handles synthetic, anonymised cases.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as s
from ..languages import LANGS

MAX_LISTED = 10

# Column names that would hold personal data or free text (matched on whole words of the name).
PERSONAL_COLUMN = re.compile(
    r"(^|_)(names?|first_?name|last_?name|given_?name|family_?name|full_?name|forenames?|surnames?|e_?mail|"
    r"e_?mail_?address|phone|phone_?number|mobile|tel|telephone|user_?names?|user|handles?|accounts?|"
    r"account_?name|login|address|street|town|postcodes?|post_?code|zip|dob|birth|birthday|date_?of_?birth|"
    r"ip|ip_?address|notes?|comments?|descriptions?|free_?text|details|narrative|story|nhs|upn|uln|"
    r"pupil_?number|school_?name|setting_?name|photo|image_?url|url|website)(_|$)")

VALUE_CHECKS: tuple[tuple[str, re.Pattern], ...] = (
    ("an email address", re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")),
    ("a web address", re.compile(r"(?i)\bhttps?://|\bwww\.")),
    ("a username or handle", re.compile(r"(?:^|\s)@[A-Za-z0-9_.]{2,}")),
    ("a phone number", re.compile(r"(?:\+\d{1,3}[\s-]?)?\(?\b0\d{2,5}\)?(?:[\s-]?\d){6,8}\b|\+\d[\d\s-]{8,16}\d")),
    ("a postcode", re.compile(r"(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b")),
    ("a date (perhaps a date of birth)", re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")),
    ("a person's name", re.compile(r"^[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+)+$")),
    ("free text", re.compile(r"^\S+(?:\s+\S+){3,}$")),
)


class CaseDataError(ValueError):
    """The case data file cannot be loaded; `problems` lists each one, naming the row and column."""

    def __init__(self, path: Path | str, problems: list[str], *, personal: bool = False):
        self.path = str(path)
        self.problems = problems
        self.personal = personal
        shown = problems[:MAX_LISTED]
        more = len(problems) - len(shown)
        head = (f"{path}: refused: this looks like personal data. The course only loads synthetic, "
                f"anonymised cases; remove the personal data (or use `fmse-course cases generate`)."
                if personal else f"{path}: the case data cannot be loaded.")
        lines = [head, *(f"  - {p}" for p in shown)]
        if more:
            lines.append(f"  - ... and {more} more problem(s)")
        super().__init__("\n".join(lines))


def looks_personal(value: str) -> str | None:
    """What personal data `value` looks like ("an email address", ...), or None."""
    text = value.strip()
    for what, pattern in VALUE_CHECKS:
        if pattern.search(text):
            return what
    return None


def _where(row: int, column: str) -> str:
    return f"row {row} (line {row + 1}), column '{column}'"


def _known_labels() -> dict[str, dict[str, str]]:
    """Per column, display names (English and Welsh, lower case) -> code, to suggest the code to use."""
    from .labels import value_label

    found: dict[str, dict[str, str]] = {}
    for column in s.COLUMNS:
        if column.kind == "category":
            found[column.name] = {value_label(column.name, v, lang).lower(): v
                                  for v in column.values for lang in LANGS}
    return found


def _read_header(path: Path) -> list[str]:
    try:
        with path.open("rb") as handle:
            start = handle.read(65536)
    except FileNotFoundError:
        raise CaseDataError(path, ["there is no such file (make one with `fmse-course cases generate`)"]) from None
    except OSError as exc:
        raise CaseDataError(path, [f"cannot be read ({exc.strerror})"]) from None
    if not start.strip():
        raise CaseDataError(path, ["the file is empty: it needs a header line naming the columns, then rows"])
    if b"\x00" in start:
        raise CaseDataError(path, ["this is not a CSV text file (it contains binary data); is it compressed, "
                                   "a spreadsheet or another format? Save it as CSV (UTF-8)"])
    first = start.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseDataError(path, ["line 1 (the header) is not UTF-8 text: save the file as CSV (UTF-8)"]) from None
    return next(csv.reader(io.StringIO(text)), [])


def _check_header(path: Path, header: list[str]) -> None:
    personal, problems = [], []
    seen: set[str] = set()
    for number, name in enumerate(header, start=1):
        clean = name.strip()
        if PERSONAL_COLUMN.search(clean.lower().replace(" ", "_").replace("-", "_")):
            personal.append(f"column {number} '{clean}' (line 1): a column with this name would hold "
                            f"personal data or free text")
        elif clean in seen:
            problems.append(f"column {number} '{clean}' (line 1) appears twice")
        elif clean not in s.BY_NAME:
            problems.append(f"column {number} '{clean}' (line 1) is not a case-data column; the columns are: "
                            f"{', '.join(s.NAMES)}")
        seen.add(clean)
    if personal:
        raise CaseDataError(path, personal + problems, personal=True)
    missing = [n for n in s.NAMES if n not in seen]
    if missing:
        problems.append(f"line 1 (the header) has no column {', '.join(repr(m) for m in missing)}")
    if problems:
        raise CaseDataError(path, problems)


def _first_bad_line(path: Path) -> int:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 0


def _read(path: Path) -> pd.DataFrame:
    """The file with every column as a category, except case_id: whole numbers if they all are, else text."""
    dtypes = {name: "category" for name in s.NAMES if name != "case_id"}
    try:
        try:
            return _read_csv(path, {**dtypes, "case_id": "int64"})
        except (ValueError, OverflowError) as exc:
            if isinstance(exc, UnicodeDecodeError):
                raise
            return _read_csv(path, {**dtypes, "case_id": "str"})   # to name the rows that are not numbers
    except UnicodeDecodeError:
        raise CaseDataError(path, [f"line {_first_bad_line(path)} is not UTF-8 text: save the file as CSV "
                                   f"(UTF-8)"]) from None
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        detail = (f"line {m.group(2)} has {m.group(3)} values but the header names {m.group(1)} columns"
                  if m else f"the file is not valid CSV ({str(exc).strip()})")
        raise CaseDataError(path, [detail]) from None


def _read_csv(path: Path, dtypes: dict) -> pd.DataFrame:
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                       engine="c")


class _Checker:
    def __init__(self, path: Path, frame: pd.DataFrame):
        self.path, self.frame = path, frame
        self.personal: list[str] = []
        self.problems: list[str] = []
        self.labels = _known_labels()

    def bad_value(self, column: str, value: str, rows: np.ndarray, why: str, *, known: bool = False) -> None:
        first = int(rows[0]) + 1
        others = f" (and {len(rows) - 1} more row(s))" if len(rows) > 1 else ""
        shown = value if len(value) <= 60 else value[:57] + "..."
        personal = looks_personal(value) if value and not known else None
        if personal:
            self.personal.append(f"{_where(first, column)}: {shown!r} looks like {personal}{others}")
            return
        if not value.strip():
            self.problems.append(f"{_where(first, column)}: the value is empty{others}")
            return
        self.problems.append(f"{_where(first, column)}: {shown!r} {why}{others}")

    def categories(self, name: str) -> tuple[np.ndarray, pd.Index]:
        series = self.frame[name]
        return np.asarray(series.cat.codes), series.cat.categories

    def check_category(self, column: s.Column) -> None:
        codes, categories = self.categories(column.name)
        allowed = set(column.values)
        for k, value in enumerate(categories):
            value = str(value)
            if value in allowed:
                continue
            code = self.labels.get(column.name, {}).get(value.strip().lower())
            why = (f"is a display name: write the code {code!r}" if code else
                   f"is not allowed; use one of: {', '.join(column.values)}")
            self.bad_value(column.name, value, np.flatnonzero(codes == k), why, known=code is not None)

    def check_int(self, column: s.Column) -> None:
        codes, categories = self.categories(column.name)
        if all(self._int_ok(column, str(v)) for v in categories):
            return
        # pandas reads numeric-looking categories as numbers ("07700 900123" and "007" lose their zeros), so
        # the problem values are looked up again in the file's own text before they are reported.
        raw = pd.read_csv(self.path, usecols=[column.name], dtype=str, keep_default_na=False, na_filter=False,
                          encoding="utf-8-sig")[column.name].astype("category")
        codes, categories = np.asarray(raw.cat.codes), raw.cat.categories
        for k, value in enumerate(categories):
            value = str(value)
            if self._int_ok(column, value):
                continue
            why = ("is not a whole number" if not re.fullmatch(r"-?\d{1,9}", value) else
                   f"is out of range: {column.meaning} must be {column.minimum} to {column.maximum}")
            self.bad_value(column.name, value, np.flatnonzero(codes == k), why)

    @staticmethod
    def _int_ok(column: s.Column, value: str) -> bool:
        low, high = column.minimum, column.maximum  # set on every int column (schema.py)
        return (bool(re.fullmatch(r"-?\d{1,9}", value)) and low is not None and high is not None
                and low <= int(value) <= high)

    def check_month(self, column: s.Column) -> None:
        codes, categories = self.categories(column.name)
        for k, value in enumerate(categories):
            if not re.fullmatch(s.MONTH_PATTERN, str(value)):
                self.bad_value(column.name, str(value), np.flatnonzero(codes == k),
                               "is not a month written as YYYY-MM (for example 2024-09)")

    def check_ids(self) -> np.ndarray | None:
        column = self.frame["case_id"]
        if pd.api.types.is_integer_dtype(column):
            ids = column.to_numpy(dtype=np.int64)
        else:
            raw = column.astype(str)
            numbers = pd.to_numeric(raw.where(raw.str.fullmatch(r"\d{1,9}"), None), errors="coerce")
            bad = np.flatnonzero(numbers.isna().to_numpy())
            for value, rows in pd.Series(bad).groupby(raw.to_numpy()[bad]).agg(list).items():
                self.bad_value("case_id", str(value), np.asarray(rows), "is not a whole number")
            if len(bad):
                return None
            ids = numbers.to_numpy(dtype=np.int64)
        low = np.flatnonzero((ids < 1) | (ids > s.BY_NAME["case_id"].maximum))
        if len(low):
            self.bad_value("case_id", str(ids[low[0]]), low,
                           f"is out of range: case ids are 1 to {s.BY_NAME['case_id'].maximum:,}")
        dup = np.flatnonzero(pd.Series(ids).duplicated().to_numpy())
        if len(dup):
            self.problems.append(f"{_where(int(dup[0]) + 1, 'case_id')}: case id {ids[dup[0]]} is used twice"
                                 + (f" (and {len(dup) - 1} more repeated id(s))" if len(dup) > 1 else ""))
        return ids

    def check_rules(self) -> None:
        paid = self.frame["paid"].astype(str).to_numpy()
        again = self.frame["asked_again"].astype(str).to_numpy()
        wrong = np.flatnonzero((again == "yes") & (paid == "no"))
        if len(wrong):
            more = f" (and {len(wrong) - 1} more row(s))" if len(wrong) > 1 else ""
            self.problems.append(f"{_where(int(wrong[0]) + 1, 'asked_again')}: is 'yes' but 'paid' is 'no' "
                                 f"(only someone who paid can be asked again){more}")

    def run(self) -> np.ndarray | None:
        ids = self.check_ids()
        for column in s.COLUMNS:
            if column.kind in ("category", "flag"):
                self.check_category(column)
            elif column.kind == "int":
                self.check_int(column)
            elif column.kind == "month":
                self.check_month(column)
        if not self.problems and not self.personal:
            self.check_rules()
        if self.personal:
            raise CaseDataError(self.path, self.personal + self.problems, personal=True)
        if self.problems:
            raise CaseDataError(self.path, self.problems)
        return ids


def _typed(frame: pd.DataFrame, ids: np.ndarray) -> pd.DataFrame:
    out = {"case_id": ids}
    for column in s.COLUMNS[1:]:
        series = frame[column.name]
        if column.kind == "category":
            out[column.name] = series.cat.set_categories(list(column.values))
        elif column.kind == "flag":
            out[column.name] = (series == "yes").to_numpy()
        elif column.kind == "int":
            lookup = np.array([int(v) for v in series.cat.categories], dtype=np.int32)
            out[column.name] = lookup[series.cat.codes.to_numpy()]
        elif column.kind == "month":
            out[column.name] = series.cat.reorder_categories(sorted(series.cat.categories), ordered=True)
    typed = pd.DataFrame(out, columns=list(s.NAMES))
    typed["age"] = typed["age"].astype(np.int8)
    return typed


def load_cases(path: Path | str) -> pd.DataFrame:
    """Read and validate a case-data CSV; raises CaseDataError naming each problem's row and column."""
    path = Path(path)
    _check_header(path, _read_header(path))
    frame = _read(path)
    if frame.empty:
        raise CaseDataError(path, ["the file has a header but no rows"])
    ids = _Checker(path, frame).run()
    assert ids is not None  # run() raises CaseDataError whenever the ids could not be read
    typed = _typed(frame, ids)
    del frame
    if len(typed) >= 100_000:
        _release_freed_memory()
    return typed


def _release_freed_memory() -> None:
    """Hand memory freed while parsing back to the system (glibc keeps it otherwise): about 100 MiB less in
    a page's kernel after loading a million rows. Does nothing where glibc's malloc_trim is not available."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def sample_path() -> Path:
    from ..paths import data_dir

    return data_dir() / "cases" / "sample.csv"
