"""Metric contexts a plugin might subclass, shared by the statistics tests."""

from __future__ import annotations

import attrs

from campaignkit.rules.lifecycle import IssueState
from campaignkit.stats.metrics import MetricContext


@attrs.frozen
class PartialContext(MetricContext):
    """A plugin's context that knows no state for the ledger's first issue."""

    def issue_states(self) -> dict[str, IssueState]:
        states = dict(super().issue_states())
        del states[self.ledger.issues[0].id]
        return states


def partial(ctx: MetricContext) -> PartialContext:
    """``ctx`` as a :class:`PartialContext` (same ledger, type, date and manager)."""
    return PartialContext(ctx.ledger, ctx.campaign_type, ctx.as_of, ctx.manager)
