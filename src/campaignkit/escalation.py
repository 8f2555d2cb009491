"""Escalation: rules propose actions on issues; applying them appends events.

Evaluating is a pure function of (ledger, as-of date); each proposal names the
rule that made it. Applying appends events to a new ledger and never changes
or drops an existing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from attrs import field, frozen

from campaignkit.ledger import Ledger
from campaignkit.model import IssueEvent
from campaignkit.types import CampaignType

__all__ = ["Action", "RuleContext"]


@frozen
class Action:
    """A proposed action on an issue: an event to append, and why."""

    issue: str
    kind: str
    """The event kind to append: ``warned``, ``marked_overdue``, ``supervised``,
    ``escalated``, ``meeting_called``, ``reopened`` …"""
    rule: str
    """Name of the escalation rule that proposed it."""
    date: dt.date
    reason: str
    level: str | None = None
    department: str | None = None
    stage: str | None = None
    due: dt.date | None = None

    def to_event(self) -> IssueEvent:
        """The event that applying this action appends."""
        return IssueEvent(
            kind=self.kind,
            date=self.date,
            level=self.level,
            department=self.department,
            stage=self.stage,
            due=self.due,
            rule=self.rule,
            note=self.reason,
        )


@frozen
class RuleContext:
    """What a rule sees besides the issue: the ledger, its campaign type and the date."""

    ledger: Ledger
    campaign_type: CampaignType
    as_of: dt.date
    _cache: dict[str, Any] = field(factory=dict, init=False, eq=False, repr=False)
