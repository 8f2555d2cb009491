"""Stores to test against: an SQLite file, and PostgreSQL where a server is configured.

``CAMPAIGNKIT_TEST_POSTGRESQL`` names a server the tests may create databases on
(``postgresql://postgres@127.0.0.1:54329/postgres``; ``.ci/run`` starts one). Each
test gets a database of its own, dropped afterwards. Without the variable the
PostgreSQL tests are skipped, saying why; with ``CI`` set they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the store needs the store extra (sqlalchemy)")

POSTGRESQL = os.environ.get("CAMPAIGNKIT_TEST_POSTGRESQL", "")


def _no_server() -> None:
    why = "no PostgreSQL server: set CAMPAIGNKIT_TEST_POSTGRESQL=postgresql://user@host:port/db"
    if os.environ.get("CI"):
        pytest.fail(why + " (CI is set: the store tests must run against PostgreSQL)")
    pytest.skip(why)


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database (dropped after the test)."""
    if not POSTGRESQL:
        _no_server()
    psycopg = pytest.importorskip("psycopg")
    import sqlalchemy as sa

    admin = sa.make_url(POSTGRESQL)
    name = f"ck_{uuid.uuid4().hex[:16]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a new SQLite store file."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    """A new store's URL, on each backend."""
    return str(request.getfixturevalue(f"{request.param}_url"))
