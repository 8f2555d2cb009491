"""The first schema: campaigns, records as ledger JSON, events, writes, derived issue columns.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.String(1000)


def _records(name: str, *extra: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("campaign_id", _ID, sa.ForeignKey("campaigns.id"), primary_key=True),
        sa.Column("id", _ID, primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        *extra,
    )
    op.create_index(f"ix_{name}_seq", name, ["campaign_id", "seq"], unique=True)


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("type", _ID, nullable=False),
        sa.Column("header", sa.Text, nullable=False),
        sa.Column("derived_with", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    _records("enterprises")
    _records("activities", sa.Column("kind", _ID, nullable=False))
    _records("outcomes", sa.Column("kind", _ID, nullable=False))
    _records(
        "issues",
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("team", _ID),
        sa.Column("category", _ID, nullable=False),
        sa.Column("channel", _ID, nullable=False),
        sa.Column("state", _ID, nullable=False),
        sa.Column("state_kind", sa.String(32), nullable=False),
        sa.Column("level", _ID),
        sa.Column("next_due", sa.Date),
        sa.Column("shape", sa.Text, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
    )
    op.create_index("ix_issues_state", "issues", ["campaign_id", "state_kind", "next_due"])
    op.create_table(
        "events",
        sa.Column("campaign_id", _ID, primary_key=True),
        sa.Column("issue_id", _ID, primary_key=True),
        sa.Column("n", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", _ID, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("write_id", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id", "issue_id"],
            ["issues.campaign_id", "issues.id"],
            name="fk_events_issue",
        ),
    )
    op.create_index("ix_events_day", "events", ["campaign_id", "day"])
    op.create_table(
        "writes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("campaign_id", _ID, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("author", _ID, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32)),
        sa.Column("record_id", _ID),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    op.create_index("ix_writes_campaign", "writes", ["campaign_id", "id"])


def downgrade() -> None:
    for name in ("writes", "events", "issues", "outcomes", "activities", "enterprises"):
        op.drop_table(name)
    op.drop_table("campaigns")
