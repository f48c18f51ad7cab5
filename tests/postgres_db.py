"""A PostgreSQL database of a test's own: made on the server the tests use, dropped afterwards.

The server: FMSE_TEST_DATABASE_URL (an admin URL, allowed to CREATE DATABASE), else
postgresql://postgres@127.0.0.1:5432/postgres (CI's server; scripts/test starts a throwaway cluster and sets
FMSE_TEST_DATABASE_URL when nothing answers there). With CI=true a missing server fails the tests; elsewhere
the PostgreSQL cases are skipped with a message saying how to run them.
"""
from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    return os.environ.get("FMSE_TEST_DATABASE_URL") or DEFAULT_ADMIN_URL


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _admin():
    import psycopg

    try:
        return psycopg.connect(admin_url(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = (f"no PostgreSQL server at {admin_url()} ({str(exc).strip().splitlines()[0]}): scripts/test "
                   f"starts one, or set FMSE_TEST_DATABASE_URL")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def create_database(*, migrate: bool = True) -> str:
    """A new, empty database (with the course's tables unless `migrate` is False); returns its URL."""
    name = f"fmse_test_{uuid.uuid4().hex[:16]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(admin_url(), name)
    if migrate:
        from fmse_widgets.records.recorder import store_at

        store_at(url, migrate=True).close()
    return url


def drop_database(url: str) -> None:
    from fmse_widgets.records import postgres

    with postgres._IDLE_LOCK:  # connections this process kept for the next open of the same database
        for conn in postgres._IDLE.pop(url, []):
            conn.close()
    name = urlsplit(url).path.lstrip("/")
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url():
    """The URL of a fresh, migrated database of this test's own (dropped afterwards)."""
    url = create_database()
    yield url
    drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def records_backend(request, tmp_path, monkeypatch):
    """Run a test on each backend: FMSE_RECORDS_URL unset (the SQLite file in the data folder), or pointing at a
    fresh PostgreSQL database. Yields the backend's name."""
    if request.param == "sqlite":
        monkeypatch.delenv("FMSE_RECORDS_URL", raising=False)
        yield "sqlite"
        return
    url = create_database()
    monkeypatch.setenv("FMSE_RECORDS_URL", url)
    yield "postgresql"
    drop_database(url)
