"""`fmse-course records repair`: save what can still be read from a damaged records file into a new one.

The damaged file is kept, byte for byte, beside the new one (records-damaged-DATE.sqlite3, with its write-ahead
log if it had one). Rows are read table by table in rowid order; a damaged page is stepped over and what lies
beyond it is still read. Every row saved passes the new file's own checks; a row that does not, is counted as
lost. Events whose learner was lost keep a learner without a name, so no answer is dropped for that reason.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..userdata import file_mode, keep_private, temporary_beside
from .errors import RecordsError
from .sqlite import SQLiteStore, _companions
from .store import TOKEN

# Parents before children (foreign keys); the columns each version of the schema has in common with the latest.
TABLES = ("learners", "workshops", "participants", "events", "completions", "certificates", "deletions", "settings")
STEP_LIMIT = 1 << 40


@dataclass
class Repaired:
    sound: bool                         # the file needed no repair
    kept: Path | None = None            # where the damaged file was kept
    saved: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)     # rows unreadable or refused by the new file's checks
    unreadable: list[str] = field(default_factory=list)   # tables that could not be read at all


def problems(path: Path) -> list[str]:
    """What SQLite's full check finds wrong with the file ([] when it is sound)."""
    try:
        with SQLiteStore(path) as store:
            return [line for line in store.integrity_check() if line != "ok"]
    except RecordsError as exc:
        if exc.kind == "corrupt":
            return ["the file cannot be opened as a database" if path.stat().st_size else "the file is empty"]
        raise


def repair(path: Path) -> Repaired:
    path = Path(path).absolute()
    if not path.is_file():
        raise RecordsError("invalid", detail=f"there is no records file at {path}: nothing to repair")
    if not problems(path):
        return Repaired(sound=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"records-damaged-{stamp}.sqlite3")
    mode = file_mode(path.parent)
    try:
        for source, target in zip((path, *_companions(path)), (kept, *_companions(kept))):
            if source.exists():
                shutil.copyfile(source, target)
                keep_private(target, mode)
    except OSError as exc:
        raise RecordsError("invalid", detail=f"cannot keep a copy of the damaged file as {kept} "
                                             f"({exc.strerror or exc}): nothing was changed") from None
    result = Repaired(sound=False, kept=kept)
    temporary = temporary_beside(path, mode)
    temporary.unlink()  # SQLiteStore makes the new, empty store there itself
    try:
        with SQLiteStore(temporary) as fresh:
            _salvage(kept, fresh._db, result)
        for part in _companions(path):
            part.unlink(missing_ok=True)
        temporary.replace(path)
    except OSError as exc:
        raise RecordsError("invalid", detail=f"cannot write the repaired records in {path.parent} "
                                             f"({exc.strerror or exc}): the damaged file is unchanged") from None
    finally:
        for part in (temporary, *_companions(temporary)):
            part.unlink(missing_ok=True)
    return result


def _salvage(source: Path, into: sqlite3.Connection, result: Repaired) -> None:
    if source.stat().st_size == 0:
        return
    # The kept copy is read (and may be checkpointed), never the original; query_only: nothing is written.
    old = sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True, isolation_level=None)
    try:
        old.execute("PRAGMA query_only = 1")
        try:
            present = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            result.unreadable = list(TABLES)
            return
        into.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            if table not in present:
                continue
            wanted = [r[1] for r in into.execute(f"PRAGMA table_info({table})")]
            try:
                have = {r[1] for r in old.execute(f"PRAGMA table_info({table})")}
            except sqlite3.DatabaseError:
                result.unreadable.append(table)
                continue
            columns = [c for c in wanted if c in have]
            saved = lost = 0
            missed = [0]
            for row in _rows(old, table, columns, missed):
                if _save(into, table, columns, row):
                    saved += 1
                else:
                    lost += 1
            result.saved[table], result.lost[table] = saved, lost + missed[0]
        into.execute("COMMIT")
    finally:
        old.close()


def _rows(db: sqlite3.Connection, table: str, columns: list[str], missed: list[int]) -> Iterator[tuple]:
    """Every row that can be read, in rowid order, stepping over damaged pages; missed[0] counts the rowids
    stepped over between rows read (the course's tables number their rows 1, 2, 3 ..., so that is how many
    rows were on the damaged pages, near enough)."""
    listed = ", ".join(columns)
    last, step, good = -(1 << 62), 1, None
    while True:
        try:
            for row in db.execute(f"SELECT rowid, {listed} FROM {table} WHERE rowid > ? ORDER BY rowid",  # noqa: S608
                                  (last,)):
                if good is not None and row[0] > good + 1:
                    missed[0] += row[0] - good - 1
                last, step, good = row[0], 1, row[0]
                yield row[1:]
            return
        except sqlite3.DatabaseError:
            if step > STEP_LIMIT:
                return
            last, step = max(last, 0) + step, step * 2


def _save(db: sqlite3.Connection, table: str, columns: list[str], row: tuple) -> bool:
    values = dict(zip(columns, row))
    if table == "events" and not _choices_ok(values.get("choices")):
        return False
    if "learner_id" in values and table in ("events", "completions", "certificates", "participants"):
        when = values.get("finished_at") or values.get("completed_at") or values.get("issued_at") or values.get(
            "joined_at")
        if isinstance(values["learner_id"], str) and isinstance(when, str):
            db.execute("INSERT OR IGNORE INTO learners (learner_id, name, created_at) VALUES (?, NULL, ?)",
                       (values["learner_id"], when))
    try:
        return db.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "  # noqa: S608
                          f"VALUES ({', '.join('?' for _ in columns)})", row).rowcount == 1
    except sqlite3.DatabaseError:
        return False


def _choices_ok(text: object) -> bool:
    try:
        choices = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return False
    return isinstance(choices, list) and all(isinstance(c, str) and TOKEN.match(c) for c in choices)
