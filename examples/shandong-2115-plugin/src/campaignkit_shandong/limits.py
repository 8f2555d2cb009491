"""How the limits of a report's requests stand, for the plugin's report formats.

Worked out from the requests' clocks as of the report's date (the same derivation as
``campaignkit overdue``), with the calendar the campaign type counts working days by,
and the actions taken, counted from the handling records of the kinds the policy calls
actions.
"""

from __future__ import annotations

from collections import Counter

from attrs import frozen

import campaignkit as ck
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.clocks import ClockStatus
from campaignkit.derive.deadlines import issue_clocks
from campaignkit.plugins import DeadlineStage, Report

__all__ = ["StageTally", "actions_taken", "stage_tallies"]


@frozen
class StageTally:
    """The clocks of one stage as of the report's date, by how they stand."""

    stage: DeadlineStage
    counts: dict[ClockStatus, int]

    def count(self, *statuses: ClockStatus) -> int:
        """Clocks in any of ``statuses``."""
        return sum(self.counts.get(s, 0) for s in statuses)

    @property
    def running(self) -> int:
        """Clocks still running: pending, due soon or overdue."""
        return self.count(ClockStatus.PENDING, ClockStatus.DUE_SOON, ClockStatus.OVERDUE)


def stage_tallies(report: Report) -> tuple[StageTally, ...]:
    """Every stage of the report's policy with its clocks counted by status."""
    ctype = report.campaign_type
    manager = report.context.manager or ck.get_plugin_manager()
    calendar = WorkCalendar.from_manager(manager, ctype.key)
    counts: dict[str, Counter[ClockStatus]] = {s.key: Counter() for s in ctype.policy.stages}
    for issue in report.ledger.issues:
        for clock in issue_clocks(
            issue, ctype.policy, as_of=report.as_of, calendar=calendar, lifecycle=ctype.lifecycle
        ):
            counts[clock.stage][clock.status] += 1
    return tuple(StageTally(s, dict(counts[s.key])) for s in ctype.policy.stages)


def actions_taken(report: Report) -> tuple[tuple[str, int], ...]:
    """(action kind, handling records of it up to the report's date) for each kind the
    policy calls an action, in the policy's order."""
    actions = report.campaign_type.policy.actions
    found = Counter(
        e.kind
        for issue in report.ledger.issues
        for e in issue.events
        if e.kind in actions and e.date <= report.as_of
    )
    return tuple((kind, found[kind]) for kind in actions)
