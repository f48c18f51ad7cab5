"""The records store in a PostgreSQL database, for a setting or an authority that shares one store.

Chosen with FMSE_RECORDS_URL=postgresql://user@host:port/dbname (or `records_url` in the setting file); see
recorder.open_store. psycopg (3) is imported here only, so a page's kernel on a laptop never loads it.

The store's SQL is written once, in SQLiteStore (records/sqlite.py), and the schema history is the one in
sqlite.MIGRATIONS: PostgresStore is SQLiteStore with another connection. `_Connection` rewrites the few
places where the two dialects differ (placeholders, INSERT OR IGNORE, two-argument min/max, rowid, REAL), so
a change to a query is made once and tested on both backends.

Unlike the SQLite file, a shared database is never migrated on open: several course servers may open it at
once, and its owner decides when the schema changes. `fmse-course records migrate` does it; until then the
course refuses, naming that command, to use a database older or newer than it knows.
"""
from __future__ import annotations

import atexit
import re
import threading
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg

from .errors import RecordsError
from .sqlite import LATEST, MIGRATIONS, SQLiteStore, _statements
from .store import utc_now

MARKER = "fmse-records"     # in the fmse_store table: this database holds the course's records
CONNECT_TIMEOUT = 10        # seconds to wait for the server before saying it cannot be reached
IDLE_KEPT = 4               # open connections a process keeps for the next open_store() of the same URL

_IDLE: dict[str, list[psycopg.Connection]] = {}
_IDLE_LOCK = threading.Lock()


@atexit.register
def _close_idle() -> None:
    """Close the kept connections when the process ends, so the server sees a clean goodbye."""
    with _IDLE_LOCK:
        for conns in _IDLE.values():
            for conn in conns:
                conn.close()
        _IDLE.clear()


def public_location(url: str) -> str:
    """The URL without its password, for messages and `store.location`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _translate(sql: str) -> str:
    """SQLite's dialect, as the store writes it, in PostgreSQL's."""
    ignore = re.match(r"\s*INSERT OR IGNORE INTO", sql)
    if ignore:
        sql = "INSERT INTO" + sql[ignore.end():] + " ON CONFLICT DO NOTHING"
    sql = re.sub(r"\bmin\(([^(),]+),", r"LEAST(\1,", sql)
    sql = re.sub(r"\bmax\(([^(),]+),", r"GREATEST(\1,", sql)
    sql = re.sub(r"\browid\b", "ctid", sql)
    return sql.replace("?", "%s")


def _ddl(sql: str) -> str:
    """A migration's statement for PostgreSQL: REAL is single precision there, so scores are kept as doubles."""
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)


class _Connection:
    """The few sqlite3.Connection methods the store uses, on a psycopg connection (autocommit: transactions are
    explicit, as in SQLiteStore)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, args: tuple = ()):
        return self.conn.execute(_translate(sql), args)

    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE


def classify(exc: BaseException, location: str) -> RecordsError:
    """Turn a psycopg error into a RecordsError saying what is wrong and what to do."""
    if isinstance(exc, RecordsError):
        return exc
    if isinstance(exc, psycopg.errors.IntegrityError):
        return RecordsError("invalid", detail=str(exc).splitlines()[0])
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return RecordsError("read-only", path=location)
    if isinstance(exc, psycopg.errors.DiskFull):
        return RecordsError("full", path=location)
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return RecordsError("unreachable", path=location, detail=str(exc).strip().splitlines()[0] if str(exc) else "")
    return RecordsError("failed", path=location, detail=str(exc).strip())


def connect(url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                               application_name="fmse-course")
    except psycopg.Error as exc:
        raise classify(exc, public_location(url)) from None


class PostgresStore(SQLiteStore):
    """The course's records in a PostgreSQL database (see the module docstring)."""

    def __init__(self, url: str, *, migrate: bool = False) -> None:  # noqa: D107 - SQLiteStore's path is not used
        self.url = url
        self.location = public_location(url)
        self.path = self.location  # type: ignore[assignment] # messages name the database, as they name a file
        self._conn, reused = self._take()
        self._db = _Connection(self._conn)  # type: ignore[assignment]
        try:
            try:
                found = self._version(self._db)
            except RecordsError as exc:
                if not (reused and exc.kind == "unreachable"):
                    raise
                self._conn.close()  # a kept connection the server has dropped meanwhile: a new one
                self._conn = connect(url)
                self._db = _Connection(self._conn)  # type: ignore[assignment]
                found = self._version(self._db)
            self.migrated_from = found
            if migrate:
                self.migrated_from, _ = self.migrate()
            elif found != LATEST:
                raise RecordsError("schema", path=self.location, found=found, known=LATEST)
        except BaseException:
            self._conn.close()
            raise

    def _take(self) -> tuple[psycopg.Connection, bool]:
        """A connection to the database, and whether it is one this process left idle (the version check that
        follows is its test that the server still answers: see __init__), else a new one."""
        with _IDLE_LOCK:
            idle = _IDLE.get(self.url, [])
            while idle:
                conn = idle.pop()
                if not conn.closed and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                    return conn, True
                conn.close()
        return connect(self.url), False

    def close(self) -> None:
        conn = self._conn
        if conn.closed:
            return
        with _IDLE_LOCK:
            idle = _IDLE.setdefault(self.url, [])
            if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE and len(idle) < IDLE_KEPT:
                idle.append(conn)
                return
        conn.close()

    # ---- the schema ---------------------------------------------------------------------------------------

    def _read_version(self, db) -> int:
        tables = {row[0] for row in db.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        if "fmse_store" not in tables:
            if tables:
                raise RecordsError("foreign", path=self.location, detail="it has no records version")
            return 0
        marker = db.conn.execute("SELECT value FROM fmse_store WHERE key = 'format'").fetchone()
        if marker is None or marker[0] != MARKER:
            raise RecordsError("foreign", path=self.location, detail="it belongs to another program")
        found = db.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if not isinstance(found, int) or found < 1:
            raise RecordsError("foreign", path=self.location, detail=f"its records version {found!r} is not known")
        return found

    def _version(self, db) -> int:
        """The database's records version: in one round trip for a database of the course's (every open of the
        store asks, so every answer saved), else by the full check of what the database is."""
        try:
            if not db.in_transaction:  # a failed statement would end a transaction (migrate reads in one)
                try:
                    marker, found = db.conn.execute(
                        "SELECT (SELECT value FROM fmse_store WHERE key = 'format'), "
                        "(SELECT max(version) FROM schema_version)").fetchone()
                    if marker == MARKER and isinstance(found, int) and found >= 1:
                        return found
                except psycopg.errors.UndefinedTable:
                    pass  # not the course's records, or empty: the full check says which
            return self._read_version(db)
        except psycopg.Error as exc:
            raise classify(exc, self.location) from None

    def migrate(self) -> tuple[int, int]:
        """Bring the database to this version's schema, in one transaction (two migrators queue on a lock).
        Returns (version before, version after); a newer database is refused and left unchanged."""
        conn = self._conn
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('fmse-records-migrate'))")
                found = self._read_version(self._db)
                if found > LATEST:
                    raise RecordsError("schema", path=self.location, found=found, known=LATEST)
                if found == 0:
                    conn.execute("CREATE TABLE fmse_store (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                    conn.execute("INSERT INTO fmse_store (key, value) VALUES ('format', %s)", (MARKER,))
                    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                                 "applied_at TEXT NOT NULL)")
                for version in range(found + 1, LATEST + 1):
                    for statement in _statements(MIGRATIONS[version]):
                        conn.execute(_ddl(statement))
                    conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                                 (version, utc_now()))
        except psycopg.Error as exc:
            raise classify(exc, self.location) from None
        return found, LATEST

    # ---- transactions -------------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator:
        try:
            with self._conn.transaction():
                yield self._db
        except RecordsError:
            raise
        except psycopg.Error as exc:
            raise classify(exc, self.location) from None

    def _read(self, query):
        try:
            return query(self._db)
        except psycopg.Error as exc:
            raise classify(exc, self.location) from None

    def deployment_key(self, *, create: bool = True) -> str | None:
        """The deployment's certificate signing key (an Ed25519 private key, 64 hex), held in the store so every
        course server of the deployment signs and verifies alike; made on first use. Whoever can read the
        database can read it: keep the URL in a service (docs/deploy.md)."""
        key = "deployment_signing_key"
        found = self._read(lambda db: db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone())
        if found or not create:
            return found[0] if found else None
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex()
        with self._write() as db:  # two servers making one at once: the first kept, both read it back
            db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, raw))
        return self.deployment_key(create=False)

    def _check_whole(self, db) -> None:
        """PostgreSQL checks its pages itself (and reports damage as an error): nothing to do before a merge."""

    def integrity_check(self) -> list[str]:
        """A query of every table, which fails if the server finds a damaged page: ['ok'] when they all read."""
        for table in ("learners", "events", "completions", "certificates", "workshops", "participants"):
            self._read(lambda db, t=table: db.execute(f"SELECT count(*) FROM {t}").fetchone())  # noqa: S608
        return ["ok"]
