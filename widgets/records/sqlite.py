"""The records store in an SQLite file: WAL mode, a busy timeout, foreign keys, a versioned schema.

The file is `records.sqlite3` in the per-user data folder (FMSE_DATA_DIR overrides the folder). Every write is
one `BEGIN IMMEDIATE` transaction, so concurrent writers queue behind the busy timeout instead of failing, and
a process killed mid-write leaves the last committed state (SQLite's WAL guarantees it; tests kill writers).
A file from a newer version of the course, or a database that is not ours, is refused and never changed.
"""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from ..recording import ExerciseEvent
from ..userdata import data_folder, file_mode, keep_private, make_folder, put_in_place, temporary_beside
from .errors import RecordsError
from .store import (Bundle, Certificate, Completion, EducationSetting, Learner, MergeCounts, Participant, RoomState, StoredEvent,
                    check_code, check_learner_id, check_page, check_setting_id, check_setting_name, check_time, check_workshop, checked_event, clean_name,
                    clean_nickname, day_start, new_id, utc_now)

FILE_NAME = "records.sqlite3"
APPLICATION_ID = 0x464D5345  # "FMSE": marks the file as the course's records
BUSY_TIMEOUT = 10.0          # seconds a writer waits for another before saying the file is busy

# Each entry brings the schema from the version before it to its own number; never edit a released one,
# add the next. Version 1 was the first release; version 2 added certificates and the records that keep
# deletions and purges from coming back through an import; version 3 added workshops and their participants
# (a nickname each, never exported); version 4 added public-key signatures on certificates and the public keys
# this data folder trusts; version 5 added education settings (an id and a name in each language) and the setting
# each learner belongs to ('' until one is assigned: a laptop's records before `records migrate`/`copy --setting`).
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE learners (
            learner_id TEXT PRIMARY KEY CHECK (length(learner_id) = 32),
            name       TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 80),
            created_at TEXT NOT NULL
        );
        CREATE TABLE events (
            event_id    TEXT PRIMARY KEY CHECK (length(event_id) = 32),
            learner_id  TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
            workshop    TEXT NOT NULL DEFAULT '',
            exercise_id TEXT NOT NULL,
            page        TEXT NOT NULL,
            lang        TEXT NOT NULL CHECK (lang IN ('en', 'cy')),
            choices     TEXT NOT NULL,
            score       REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
            passed      INTEGER CHECK (passed IN (0, 1)),
            started_at  TEXT NOT NULL,
            finished_at TEXT NOT NULL
        );
        CREATE INDEX events_by_learner ON events (learner_id, page);
        CREATE INDEX events_by_time ON events (finished_at);
        CREATE TABLE completions (
            learner_id   TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
            page         TEXT NOT NULL,
            workshop     TEXT NOT NULL DEFAULT '',
            completed_at TEXT NOT NULL,
            PRIMARY KEY (learner_id, page, workshop)
        );
    """,
    2: """
        CREATE TABLE certificates (
            code       TEXT PRIMARY KEY CHECK (length(code) = 20),
            learner_id TEXT NOT NULL REFERENCES learners (learner_id) ON DELETE CASCADE,
            contents   TEXT NOT NULL,
            key_id     TEXT NOT NULL,
            issued_at  TEXT NOT NULL
        );
        CREATE TABLE deletions (
            learner_id TEXT PRIMARY KEY,
            deleted_at TEXT NOT NULL
        );
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
    """,
    3: """
        CREATE TABLE workshops (
            code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 4 AND 12),
            started_at TEXT NOT NULL,
            question   INTEGER NOT NULL DEFAULT -1 CHECK (question >= -1),
            revealed   INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
            changed_at TEXT NOT NULL
        );
        CREATE TABLE participants (
            learner_id TEXT PRIMARY KEY REFERENCES learners (learner_id) ON DELETE CASCADE,
            workshop   TEXT NOT NULL REFERENCES workshops (code) ON DELETE CASCADE,
            nickname   TEXT CHECK (nickname IS NULL OR length(nickname) BETWEEN 1 AND 40),
            joined_at  TEXT NOT NULL
        );
        CREATE INDEX participants_by_workshop ON participants (workshop, joined_at);
        CREATE INDEX events_by_workshop ON events (workshop, exercise_id);
    """,
    4: """
        ALTER TABLE certificates ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE certificates ADD COLUMN signature TEXT NOT NULL DEFAULT '';
        CREATE TABLE trusted_keys (
            public_key TEXT PRIMARY KEY CHECK (length(public_key) = 64),
            label      TEXT NOT NULL DEFAULT '',
            trusted_at TEXT NOT NULL
        );
    """,
    5: """
        CREATE TABLE education_settings (
            setting_id TEXT PRIMARY KEY CHECK (length(setting_id) BETWEEN 1 AND 40),
            name_en    TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 120),
            name_cy    TEXT NOT NULL CHECK (length(name_cy) BETWEEN 1 AND 120),
            created_at TEXT NOT NULL
        );
        ALTER TABLE learners ADD COLUMN setting_id TEXT NOT NULL DEFAULT '';
        CREATE INDEX learners_by_setting ON learners (setting_id);
        CREATE INDEX completions_by_page ON completions (page, learner_id);
    """,
}
LATEST = max(MIGRATIONS)
CERTIFICATE_COLUMNS = "code, learner_id, contents, key_id, issued_at, public_key, signature"


def records_path() -> Path:
    return data_folder() / FILE_NAME


def classify(exc: BaseException, path: Path) -> RecordsError:
    """Turn an sqlite3 or OS error into a RecordsError saying what is wrong and what to do."""
    if isinstance(exc, RecordsError):
        return exc
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return RecordsError("locked", path=path)
    if name.startswith("SQLITE_READONLY") or "readonly" in text or isinstance(exc, PermissionError):
        return RecordsError("read-only", path=path)
    if (name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "not a database" in text or "malformed" in text
            or "could not decode" in text):
        return RecordsError("corrupt", path=path)
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return RecordsError("full", path=path)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        if not os.access(path.parent, os.W_OK):
            return RecordsError("read-only", path=path)
    return RecordsError("failed", path=path, detail=str(exc))


class SQLiteStore:
    """The course's records in one SQLite file (see the module docstring)."""

    def __init__(self, path: Path | str | None = None, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = (Path(path) if path is not None else records_path()).absolute()
        self.location = str(self.path)
        self.busy_timeout = busy_timeout
        self._db = self._open()

    # ---- opening and the schema ----------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            make_folder(self.path.parent)
        except OSError:
            raise RecordsError("missing", path=self.path.parent) from None
        if self.path.exists() and not self.path.is_file():
            raise RecordsError("foreign", path=self.path, detail="it is not a file")
        if not self.path.exists() and _writable_folder(self.path.parent):
            self._create()
        db = None
        try:
            if self.path.exists() and self.path.stat().st_size == 0:
                # The course never leaves an empty file here (a new store is made whole, then put in place), so
                # an empty one lost its records (a failed copy, a full disk): damaged, not new.
                raise RecordsError("corrupt", path=self.path)
            read_only = self.path.exists() and not _writable(self.path)
            if not read_only:
                mode = file_mode(self.path.parent)
                for part in (self.path, *_companions(self.path)):
                    keep_private(part, mode)
            uri = f"{self.path.as_uri()}?mode={'ro' if read_only else 'rw'}"
            if read_only and not _companions(self.path)[0].exists():
                # A read-only folder: SQLite cannot make the shared-memory file a reader of a WAL file needs, so
                # the file is read as it is (nothing here can change it: writes to it are refused anyway).
                uri += "&immutable=1"
            db = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None,
                                 check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            db.execute("PRAGMA foreign_keys = ON")
            # Damage anywhere in the file is found before anything reads or writes it (measured: about 15 ms for
            # 20,000 answers, 110 ms for 200,000; docs/privacy.md). A damaged file is refused, never written.
            # A process that checked the file already skips the check while the file is unchanged since (same
            # inode, size and times): a workshop page polls the room every two seconds.
            stamp = _stamp(self.path)
            if _CHECKED.get(self.location) != stamp:
                if db.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                    raise RecordsError("corrupt", path=self.path)
                _CHECKED[self.location] = stamp
            self._version(db)  # before anything changes the file: another program's, or a newer, is refused
            if not read_only:
                db.execute("PRAGMA journal_mode = WAL")
                # FULL: a committed answer survives a power cut too, not only a crash (costs one fsync).
                db.execute("PRAGMA synchronous = FULL")
            self._migrate(db, read_only)
        except BaseException as exc:
            if db is not None:
                db.close()
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise classify(exc, self.path) from None
            raise
        return db

    def _create(self) -> None:
        """Make a new, complete store beside the path and put it in place (unless another process made one first),
        so the records file is never seen empty or half made."""
        try:
            temporary = temporary_beside(self.path, file_mode(self.path.parent))
        except OSError as exc:
            raise classify(exc, self.path) from None
        try:
            db = sqlite3.connect(f"{temporary.as_uri()}?mode=rw", uri=True, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode = WAL")
                self._migrate(db, False)
            finally:
                db.close()
            put_in_place(temporary, self.path)
        except (sqlite3.Error, OSError) as exc:
            raise classify(exc, self.path) from None
        finally:
            for part in (temporary, *_companions(temporary)):
                part.unlink(missing_ok=True)

    def _version(self, db: sqlite3.Connection) -> int:
        try:
            return self._read_version(db)
        except RecordsError as exc:
            # Damage can look like a strange version or a strange file: say it is damaged if it is.
            if exc.kind in ("newer", "foreign") and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise RecordsError("corrupt", path=self.path) from None
            raise

    def _read_version(self, db: sqlite3.Connection) -> int:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_version" not in tables:
            if tables:
                raise RecordsError("foreign", path=self.path, detail="it has no records version")
            return 0
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        if application_id != APPLICATION_ID:
            raise RecordsError("foreign", path=self.path, detail="it belongs to another program")
        found = db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if not isinstance(found, int) or found < 1:
            raise RecordsError("foreign", path=self.path, detail=f"its records version {found!r} is not known")
        if found > LATEST:
            raise RecordsError("newer", path=self.path, found=found, known=LATEST)
        return found

    def _migrate(self, db: sqlite3.Connection, read_only: bool) -> None:
        if self._version(db) == LATEST:
            return
        if read_only:
            raise RecordsError("read-only", path=self.path)
        db.execute("BEGIN IMMEDIATE")
        try:
            found = self._version(db)  # another process may have migrated while this one waited
            if found == 0:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            for version in range(found + 1, LATEST + 1):
                for statement in _statements(MIGRATIONS[version]):
                    db.execute(statement)
                db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, utc_now()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        return self._read(lambda db: self._version(db))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- transactions ----------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise classify(exc, self.path) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.IntegrityError):
                raise RecordsError("invalid", detail=str(exc)) from None
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise classify(exc, self.path) from None
            raise

    def _read(self, query):
        try:
            return query(self._db)
        except sqlite3.Error as exc:
            raise classify(exc, self.path) from None

    # ---- learners --------------------------------------------------------------------------------------

    def add_learner(self, name: str | None = None, learner_id: str | None = None) -> Learner:
        """A learner with a new random id (or `learner_id`); an existing id keeps its record and gets `name`."""
        learner_id = check_learner_id(learner_id) if learner_id else new_id()
        name = clean_name(name)
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO learners (learner_id, name, created_at) VALUES (?, ?, ?)",
                       (learner_id, name, utc_now()))
            if name:
                db.execute("UPDATE learners SET name = ? WHERE learner_id = ?", (name, learner_id))
        found = self.learner(learner_id)
        assert found is not None
        return found

    def rename_learner(self, learner_id: str, name: str | None) -> None:
        check_learner_id(learner_id)
        with self._write() as db:
            db.execute("UPDATE learners SET name = ? WHERE learner_id = ?", (clean_name(name), learner_id))

    def learner(self, learner_id: str) -> Learner | None:
        if not isinstance(learner_id, str):
            return None
        row = self._read(lambda db: db.execute(
            "SELECT learner_id, name, created_at FROM learners WHERE learner_id = ?", (learner_id,)).fetchone())
        return Learner(*row) if row else None

    def learners(self) -> list[Learner]:
        rows = self._read(lambda db: db.execute(
            "SELECT learner_id, name, created_at FROM learners ORDER BY created_at, learner_id").fetchall())
        return [Learner(*row) for row in rows]

    # ---- events, completions, certificates ---------------------------------------------------------------

    def record_event(self, learner_id: str, event: ExerciseEvent, *, workshop: str | None = None,
                     event_id: str | None = None) -> str:
        """Store one completed exercise for a learner the store knows; returns the event's id."""
        stored = checked_event(learner_id, event, workshop, event_id)
        with self._write() as db:
            if not db.execute("SELECT 1 FROM learners WHERE learner_id = ?", (learner_id,)).fetchone():
                raise RecordsError("invalid", detail=f"learner {learner_id} is not in the records")
            _insert_event(db, stored)
        return stored.event_id

    def record_completion(self, learner_id: str, page: str, *, workshop: str | None = None,
                          completed_at: str | None = None) -> bool:
        """Mark a module complete (once: the first completion is kept). True if it was new."""
        row = (check_learner_id(learner_id), check_page(page), check_workshop(workshop) or "",
               check_time(completed_at or utc_now(), "completed_at"))
        with self._write() as db:
            return db.execute("INSERT OR IGNORE INTO completions (learner_id, page, workshop, completed_at) "
                              "VALUES (?, ?, ?, ?)", row).rowcount == 1

    def record_certificate(self, certificate: Certificate) -> None:
        check_code(certificate.code)
        check_learner_id(certificate.learner_id)
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO certificates (code, learner_id, contents, key_id, issued_at, public_key, "
                       "signature) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (certificate.code, certificate.learner_id, certificate.contents, certificate.key_id,
                        check_time(certificate.issued_at, "issued_at"), certificate.public_key, certificate.signature))

    def events(self, *, learner_id: str | None = None, include_workshops: bool = True) -> list[StoredEvent]:
        sql, args = _filtered("SELECT event_id, learner_id, workshop, exercise_id, page, lang, choices, score, "
                              "passed, started_at, finished_at FROM events", learner_id, include_workshops)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY finished_at, event_id", args).fetchall())
        try:
            return [_event(row) for row in rows]
        except (ValueError, TypeError):  # a choices column that is not the JSON list the store wrote
            raise RecordsError("corrupt", path=self.path) from None

    def completions(self, *, learner_id: str | None = None, include_workshops: bool = True) -> list[Completion]:
        sql, args = _filtered("SELECT learner_id, page, workshop, completed_at FROM completions", learner_id,
                              include_workshops)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY completed_at, learner_id, page", args).fetchall())
        return [Completion(r[0], r[1], r[2] or None, r[3]) for r in rows]

    def certificates(self, *, learner_id: str | None = None) -> list[Certificate]:
        sql = f"SELECT {CERTIFICATE_COLUMNS} FROM certificates"
        args: tuple = ()
        if learner_id is not None:
            sql, args = sql + " WHERE learner_id = ?", (learner_id,)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY issued_at, code", args).fetchall())
        return [Certificate(*row) for row in rows]

    def certificate(self, code: str) -> Certificate | None:
        row = self._read(lambda db: db.execute(
            f"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE code = ?",
            (code,)).fetchone())
        return Certificate(*row) if row else None

    # ---- gathering, retention and rights -----------------------------------------------------------------

    def export(self, learner_ids: Iterable[str] | None = None) -> Bundle:
        wanted = None if learner_ids is None else set(learner_ids)
        keep = (lambda x: True) if wanted is None else (lambda x: x.learner_id in wanted)
        return Bundle(learners=[x for x in self.learners() if keep(x)],
                      events=[x for x in self.events() if keep(x)],
                      completions=[x for x in self.completions() if keep(x)],
                      certificates=[x for x in self.certificates() if keep(x)])

    def merge(self, bundle: Bundle) -> MergeCounts:
        """Add what `bundle` has that this store lacks, in one transaction. Importing twice adds nothing; records
        of a learner deleted here, or from before a purge here, are left out (counted as skipped)."""
        counts = MergeCounts()
        with self._write() as db:
            # An import adds many records at once: the whole file is checked first, not only its structure.
            self._check_whole(db)
            deleted = dict(db.execute("SELECT learner_id, deleted_at FROM deletions").fetchall())
            purged = (db.execute("SELECT value FROM settings WHERE key = 'purged_before'").fetchone() or [""])[0]

            def gone(learner_id: str, when: str) -> bool:
                return when < purged or (learner_id in deleted and when <= deleted[learner_id])

            named = {x.learner_id: x for x in bundle.learners}
            wanted: set[str] = set()
            for item, when in ([(e, e.finished_at) for e in bundle.events]
                               + [(c, c.completed_at) for c in bundle.completions]
                               + [(c, c.issued_at) for c in bundle.certificates]):
                if not gone(item.learner_id, when):
                    wanted.add(item.learner_id)
            for learner_id in wanted:
                learner = named.get(learner_id)
                exists = db.execute("SELECT name FROM learners WHERE learner_id = ?", (learner_id,)).fetchone()
                if exists is None:
                    if learner is None:
                        raise RecordsError("invalid", detail=f"records of learner {learner_id} come without the "
                                                             f"learner")
                    db.execute("INSERT INTO learners (learner_id, name, created_at) VALUES (?, ?, ?)",
                               (learner.learner_id, learner.name, learner.created_at))
                    counts.learners += 1
                elif exists[0] is None and learner is not None and learner.name:
                    db.execute("UPDATE learners SET name = ? WHERE learner_id = ?", (learner.name, learner_id))
            for event in bundle.events:
                if gone(event.learner_id, event.finished_at):
                    counts.skipped += 1
                elif _insert_event(db, event, ignore=True):
                    counts.events += 1
                elif _read_event(db, event.event_id) != event:
                    counts.conflicts.append(event.event_id)
            for done in bundle.completions:
                if gone(done.learner_id, done.completed_at):
                    counts.skipped += 1
                    continue
                counts.completions += db.execute(
                    "INSERT OR IGNORE INTO completions (learner_id, page, workshop, completed_at) VALUES (?, ?, ?, ?)",
                    (done.learner_id, done.page, done.workshop or "", done.completed_at)).rowcount
                db.execute("UPDATE completions SET completed_at = min(completed_at, ?) "
                           "WHERE learner_id = ? AND page = ? AND workshop = ?",
                           (done.completed_at, done.learner_id, done.page, done.workshop or ""))
            for cert in bundle.certificates:
                if gone(cert.learner_id, cert.issued_at):
                    counts.skipped += 1
                    continue
                added = db.execute(
                    f"INSERT OR IGNORE INTO certificates ({CERTIFICATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (cert.code, cert.learner_id, cert.contents, cert.key_id, cert.issued_at, cert.public_key,
                     cert.signature)).rowcount
                counts.certificates += added
                here = db.execute(f"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE code = ?",
                                  (cert.code,)).fetchone()
                if not added and Certificate(*here) != cert:
                    counts.conflicts.append(cert.code)
        return counts

    def _check_whole(self, db) -> None:
        if db.execute("PRAGMA integrity_check(1)").fetchone()[0] != "ok":
            raise RecordsError("corrupt", path=self.path)

    def purge(self, before: date) -> dict[str, int]:
        """Delete every record dated before `before` (and learners left with none, added before it)."""
        cutoff = day_start(before)
        with self._write() as db:
            counts = {
                "events": db.execute("DELETE FROM events WHERE finished_at < ?", (cutoff,)).rowcount,
                "completions": db.execute("DELETE FROM completions WHERE completed_at < ?", (cutoff,)).rowcount,
                "certificates": db.execute("DELETE FROM certificates WHERE issued_at < ?", (cutoff,)).rowcount,
            }
            counts["workshops"] = db.execute("DELETE FROM workshops WHERE started_at < ?", (cutoff,)).rowcount
            counts["learners"] = db.execute(
                "DELETE FROM learners WHERE created_at < ? "
                "AND learner_id NOT IN (SELECT learner_id FROM events) "
                "AND learner_id NOT IN (SELECT learner_id FROM completions) "
                "AND learner_id NOT IN (SELECT learner_id FROM certificates)", (cutoff,)).rowcount
            db.execute("INSERT INTO settings (key, value) VALUES ('purged_before', ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = max(settings.value, excluded.value)", (cutoff,))
        return counts

    def delete_learner(self, learner_id: str) -> dict[str, int]:
        """Delete one person and all their records; an import of an older export will not bring them back."""
        check_learner_id(learner_id)
        with self._write() as db:
            counts = {table: db.execute(f"SELECT count(*) FROM {table} WHERE learner_id = ?",  # noqa: S608
                                        (learner_id,)).fetchone()[0]
                      for table in ("events", "completions", "certificates")}
            counts["learners"] = db.execute("DELETE FROM learners WHERE learner_id = ?", (learner_id,)).rowcount
            db.execute("INSERT INTO deletions (learner_id, deleted_at) VALUES (?, ?) "
                       "ON CONFLICT (learner_id) DO UPDATE SET deleted_at = excluded.deleted_at",
                       (learner_id, utc_now()))
        return counts

    # ---- education settings (a school or other setting) and who belongs to which ---------------------------

    def add_setting(self, setting_id: str, name_en: str, name_cy: str) -> EducationSetting:
        """Add a setting, or rename one that exists (its id never changes)."""
        found = EducationSetting(check_setting_id(setting_id), check_setting_name(name_en),
                                 check_setting_name(name_cy))
        with self._write() as db:
            db.execute("INSERT INTO education_settings (setting_id, name_en, name_cy, created_at) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (setting_id) DO UPDATE SET name_en = excluded.name_en, "
                       "name_cy = excluded.name_cy", (found.setting_id, found.name_en, found.name_cy, utc_now()))
        return found

    def education_settings(self) -> list[EducationSetting]:
        rows = self._read(lambda db: db.execute(
            "SELECT setting_id, name_en, name_cy FROM education_settings ORDER BY setting_id").fetchall())
        return [EducationSetting(*row) for row in rows]

    def assign_setting(self, setting_id: str, learner_ids: Iterable[str] | None = None) -> int:
        """Put learners in a setting: `learner_ids`, or every learner not yet in one. Returns how many changed."""
        setting_id = check_setting_id(setting_id)
        with self._write() as db:
            if not db.execute("SELECT 1 FROM education_settings WHERE setting_id = ?", (setting_id,)).fetchone():
                raise RecordsError("invalid", detail=f"there is no setting {setting_id!r}: add it first "
                                                     f"(fmse-course records migrate --setting ID)")
            if learner_ids is None:
                return db.execute("UPDATE learners SET setting_id = ? WHERE setting_id = ''",
                                  (setting_id,)).rowcount
            return sum(db.execute("UPDATE learners SET setting_id = ? WHERE learner_id = ? AND setting_id <> ?",
                                  (setting_id, check_learner_id(x), setting_id)).rowcount for x in learner_ids)

    def setting_of(self, learner_id: str) -> str | None:
        """The setting a learner belongs to ('' for none yet), or None for a learner not in the records."""
        row = self._read(lambda db: db.execute("SELECT setting_id FROM learners WHERE learner_id = ?",
                                               (learner_id,)).fetchone())
        return row[0] if row else None

    def setting_learners(self, setting_id: str) -> list[Learner]:
        rows = self._read(lambda db: db.execute(
            "SELECT learner_id, name, created_at FROM learners WHERE setting_id = ? ORDER BY created_at, learner_id",
            (setting_id,)).fetchall())
        return [Learner(*row) for row in rows]

    def summary(self) -> list[tuple[str, str, int]]:
        """Counts only, never a person: (setting id, page, learners who completed it), with page '' giving the
        number of learners in the setting. Workshop participants are not counted."""
        rows = self._read(lambda db: db.execute(
            "SELECT l.setting_id, '', count(*) FROM learners l "
            "WHERE l.learner_id NOT IN (SELECT learner_id FROM participants) GROUP BY l.setting_id "
            "UNION ALL "
            "SELECT l.setting_id, c.page, count(DISTINCT c.learner_id) FROM completions c "
            "JOIN learners l ON l.learner_id = c.learner_id WHERE c.workshop = '' GROUP BY l.setting_id, c.page "
            "ORDER BY 1, 2").fetchall())
        return [(row[0], row[1], int(row[2])) for row in rows]

    # ---- workshops ---------------------------------------------------------------------------------------

    def open_workshop(self, code: str) -> RoomState:
        """Start keeping a workshop's state (an existing workshop with this code is kept as it is)."""
        code = check_workshop(code)
        now = utc_now()
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO workshops (code, started_at, question, revealed, changed_at) "
                       "VALUES (?, ?, -1, 0, ?)", (code, now, now))
        found = self.room(code)
        assert found is not None
        return found

    def room(self, code: str) -> RoomState | None:
        row = self._read(lambda db: db.execute(
            "SELECT code, question, revealed, changed_at FROM workshops WHERE code = ?", (code,)).fetchone())
        return RoomState(row[0], row[1], bool(row[2]), row[3]) if row else None

    def set_room(self, code: str, *, question: int, revealed: bool) -> RoomState:
        """Move the room to `question` (-1: not started) and show or hide its answer."""
        code = check_workshop(code)
        if not isinstance(question, int) or question < -1:
            raise RecordsError("invalid", detail=f"question {question!r} is not a question number")
        with self._write() as db:
            if db.execute("UPDATE workshops SET question = ?, revealed = ?, changed_at = ? WHERE code = ?",
                          (question, int(bool(revealed)), utc_now(), code)).rowcount != 1:
                raise RecordsError("invalid", detail=f"there is no workshop {code}")
        found = self.room(code)
        assert found is not None
        return found

    def join_workshop(self, code: str, nickname: str | None = None) -> Participant:
        """A new participant of workshop `code` (a learner with no name, and the nickname kept apart)."""
        code = check_workshop(code)
        nickname = clean_nickname(nickname)
        learner_id, now = new_id(), utc_now()
        with self._write() as db:
            if not db.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)).fetchone():
                raise RecordsError("invalid", detail=f"there is no workshop {code}")
            db.execute("INSERT INTO learners (learner_id, name, created_at) VALUES (?, NULL, ?)", (learner_id, now))
            db.execute("INSERT INTO participants (learner_id, workshop, nickname, joined_at) VALUES (?, ?, ?, ?)",
                       (learner_id, code, nickname, now))
        return Participant(learner_id, code, nickname, now)

    def participants(self, code: str) -> list[Participant]:
        rows = self._read(lambda db: db.execute(
            "SELECT learner_id, workshop, nickname, joined_at FROM participants WHERE workshop = ? "
            "ORDER BY joined_at, rowid", (code,)).fetchall())
        return [Participant(*row) for row in rows]

    def workshop_events(self, code: str, exercise_id: str | None = None) -> list[StoredEvent]:
        """The events recorded under workshop `code` (for one exercise), oldest first."""
        sql = ("SELECT event_id, learner_id, workshop, exercise_id, page, lang, choices, score, passed, started_at, "
               "finished_at FROM events WHERE workshop = ?")
        args: tuple = (check_workshop(code),)
        if exercise_id is not None:
            sql, args = sql + " AND exercise_id = ?", (*args, exercise_id)
        rows = self._read(lambda db: db.execute(sql + " ORDER BY finished_at, event_id", args).fetchall())
        try:
            return [_event(row) for row in rows]
        except (ValueError, TypeError):
            raise RecordsError("corrupt", path=self.path) from None

    # ---- the public keys this data folder trusts (records/signing.py) -------------------------------------

    def trust_key(self, public_key: str, label: str = "") -> bool:
        """Trust certificates and exports signed with `public_key` (64 hex); True if it was not trusted yet."""
        from .signing import PUBLIC_KEY

        if not isinstance(public_key, str) or not PUBLIC_KEY.match(public_key):
            raise RecordsError("invalid", detail="a public key is 64 characters 0-9 and a-f")
        label = clean_name(label) or ""
        with self._write() as db:
            added = db.execute("INSERT OR IGNORE INTO trusted_keys (public_key, label, trusted_at) VALUES (?, ?, ?)",
                               (public_key, label, utc_now())).rowcount == 1
            if not added and label:
                db.execute("UPDATE trusted_keys SET label = ? WHERE public_key = ?", (label, public_key))
        return added

    def untrust_key(self, public_key: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM trusted_keys WHERE public_key = ?", (public_key,)).rowcount == 1

    def trusted_keys(self) -> list:
        from .signing import TrustedKey

        rows = self._read(lambda db: db.execute(
            "SELECT public_key, label, trusted_at FROM trusted_keys ORDER BY trusted_at, public_key").fetchall())
        return [TrustedKey(*row) for row in rows]

    def integrity_check(self) -> list[str]:
        """SQLite's own check of the whole file: ['ok'] when it is sound."""
        return [row[0] for row in self._read(lambda db: db.execute("PRAGMA integrity_check").fetchall())]


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


_CHECKED: dict[str, tuple] = {}   # records file -> how it was when this process last found it sound


def _stamp(path: Path) -> tuple:
    found = path.stat()
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _writable_folder(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _companions(path: Path) -> tuple[Path, Path]:
    """SQLite's write-ahead log and shared-memory files beside a database."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _filtered(sql: str, learner_id: str | None, include_workshops: bool) -> tuple[str, tuple]:
    where, args = [], []
    if learner_id is not None:
        where.append("learner_id = ?")
        args.append(learner_id)
    if not include_workshops:
        where.append("workshop = ''")
    return (sql + (" WHERE " + " AND ".join(where) if where else "")), tuple(args)


def _insert_event(db: sqlite3.Connection, e: StoredEvent, *, ignore: bool = False) -> int:
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    return db.execute(
        f"{verb} INTO events (event_id, learner_id, workshop, exercise_id, page, lang, choices, score, passed, "
        "started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (e.event_id, e.learner_id, e.workshop or "", e.exercise_id, e.page, e.lang, json.dumps(list(e.choices)),
         e.score, None if e.passed is None else int(e.passed), e.started_at, e.finished_at)).rowcount


def _read_event(db: sqlite3.Connection, event_id: str) -> StoredEvent | None:
    row = db.execute("SELECT event_id, learner_id, workshop, exercise_id, page, lang, choices, score, passed, "
                     "started_at, finished_at FROM events WHERE event_id = ?", (event_id,)).fetchone()
    return _event(row) if row else None


def _event(row: tuple) -> StoredEvent:
    return StoredEvent(event_id=row[0], learner_id=row[1], workshop=row[2] or None, exercise_id=row[3], page=row[4],
                       lang=row[5], choices=tuple(json.loads(row[6])), score=row[7],
                       passed=None if row[8] is None else bool(row[8]), started_at=row[9], finished_at=row[10])
