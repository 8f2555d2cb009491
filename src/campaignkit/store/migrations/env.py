"""Alembic's entry point: runs the revisions on the connection campaignkit hands it.

Only Alembic runs this module (``campaignkit.store.engine.migrate``); imported anywhere
else, it does nothing.
"""

from __future__ import annotations

from alembic import context


def run() -> None:
    """Run the pending revisions, each in its own transaction, on the handed connection."""
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, render_as_batch=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


try:
    context.config  # noqa: B018 - set only while Alembic runs this module
except AttributeError:
    pass
else:
    run()
