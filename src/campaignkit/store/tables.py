"""The store's tables: records as canonical JSON, events, writes and derived columns.

Every record is kept as the JSON object :func:`campaignkit.dumps` writes for it
(``body``), so a campaign exported from the store is byte-identical to the
ledger file. Beside the records sit columns for queries: an issue's derived
state, level and next due date (kept current by every write), and the
campaign's ``derived_with`` fingerprint, which says what calendar data and
campaign-type policy those columns were derived under.

The migrations (``migrations/versions``) create these tables; the two agree (a test
compares them). What each column holds is described on the docs' store page.

Nothing is updated without a trace: events are only ever inserted, and every
write (an import, an added or corrected record, appended events, re-derived
views) is one row of ``writes`` with its author and time. The tables are plain
SQL, readable by any SQLite or PostgreSQL client.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "RECORD_TABLES",
    "SCHEMA_VERSION",
    "activities",
    "campaigns",
    "enterprises",
    "events",
    "issues",
    "metadata",
    "outcomes",
    "writes",
]

SCHEMA_VERSION = "0001"
"""The schema revision this code writes (the latest Alembic revision)."""

metadata = sa.MetaData()

campaigns = sa.Table(
    "campaigns",
    metadata,
    sa.Column("id", sa.String(1000), primary_key=True),
    sa.Column("type", sa.String(1000), nullable=False),
    sa.Column("header", sa.Text, nullable=False),
    sa.Column("derived_with", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
)


def _records(name: str, *extra: sa.Column[object]) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("campaign_id", sa.String(1000), sa.ForeignKey("campaigns.id"), primary_key=True),
        sa.Column("id", sa.String(1000), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        *extra,
        sa.Index(f"ix_{name}_seq", "campaign_id", "seq", unique=True),
    )


enterprises = _records("enterprises")
activities = _records("activities", sa.Column("kind", sa.String(1000), nullable=False))
outcomes = _records("outcomes", sa.Column("kind", sa.String(1000), nullable=False))
issues = _records(
    "issues",
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
    sa.Column("last_day", sa.Date, nullable=False),
    sa.Column("team", sa.String(1000)),
    sa.Column("category", sa.String(1000), nullable=False),
    sa.Column("channel", sa.String(1000), nullable=False),
    sa.Column("state", sa.String(1000), nullable=False),
    sa.Column("state_kind", sa.String(32), nullable=False),
    sa.Column("level", sa.String(1000)),
    sa.Column("next_due", sa.Date),
    sa.Column("shape", sa.Text, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
)
sa.Index("ix_issues_state", issues.c.campaign_id, issues.c.state_kind, issues.c.next_due)

events = sa.Table(
    "events",
    metadata,
    sa.Column("campaign_id", sa.String(1000), primary_key=True),
    sa.Column("issue_id", sa.String(1000), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("kind", sa.String(1000), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("write_id", sa.BigInteger, nullable=False),
    sa.ForeignKeyConstraint(
        ["campaign_id", "issue_id"], ["issues.campaign_id", "issues.id"], name="fk_events_issue"
    ),
)
sa.Index("ix_events_day", events.c.campaign_id, events.c.day)

writes = sa.Table(
    "writes",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("campaign_id", sa.String(1000), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("author", sa.String(1000), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(32)),
    sa.Column("record_id", sa.String(1000)),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
)
sa.Index("ix_writes_campaign", writes.c.campaign_id, writes.c.id)

RECORD_TABLES = {
    "enterprises": enterprises,
    "activities": activities,
    "issues": issues,
    "outcomes": outcomes,
}
"""The record tables by ledger section."""
