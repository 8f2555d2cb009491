"""Campaigns in a database: SQLite by default, PostgreSQL when an office shares one server.

Open a store with :func:`campaignkit.open` (``sqlite:///campaign.db``,
``postgresql://user@host/db``). See :mod:`campaignkit.store.store` for what a
write checks, how concurrent writers are kept apart, and how the derived views
are kept current. Needs the ``store`` extra (SQLAlchemy and Alembic; psycopg
for PostgreSQL: ``postgresql`` extra).
"""

from __future__ import annotations

from campaignkit.store.store import ConflictError, Store, StoredWrite, StoreError

__all__ = ["ConflictError", "Store", "StoreError", "StoredWrite", "open_store"]


def open_store(url: str, **options: object) -> Store:
    """The store at ``url`` (see :meth:`Store.open`)."""
    return Store.open(url, **options)  # type: ignore[arg-type]
