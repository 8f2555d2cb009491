"""Escalation rules of 万人助万企.

``henan-routing``
    an issue still not routed (交办) more than a day after it was collected
    is marked overdue (``marked_overdue``, stage ``routing``).
``henan-major-supervision``
    a major issue not solved a month after its assignment (or by the due date
    its assignment set) is put under listed supervision (挂牌督办,
    ``listed_supervision``) by the level above the one handling it.
``henan-close-off``
    an issue resolved more than three days ago and not yet closed off gets a
    close-off reminder (销号提醒, ``close_reminded``), unless the enterprise's
    latest rating is dissatisfied (then it is to be reopened, not closed).

Each rule looks only at events up to the as-of date and never proposes what
the history already holds, so evaluating twice proposes nothing new. The
deadline-clock rules of campaignkit (yellow and red cards on the progress and
resolution stages, supervision, raising the level …) apply as well, driven
by this campaign type's policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from campaignkit.escalation import Action, RuleContext
from campaignkit.lifecycle import IssueState, StateKind, replay
from campaignkit.model import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.types import EscalationRule, Label
from campaignkit_henan.campaign_type import KEY
from campaignkit_henan.handling import CLOSE_OFF_AFTER, MAJOR_LIMIT, ROUTING_LIMIT
from campaignkit_henan.metrics import is_major

__all__ = ["CLOSE_OFF", "MAJOR_SUPERVISION", "ROUTING", "RULES"]


def _after(day: dt.date, limit: Deadline) -> dt.date:
    """``day`` plus a limit in calendar days (the unit this campaign's limits use)."""
    if limit.unit is not DeadlineUnit.DAYS:
        raise ValueError(f"万人助万企 limits are in calendar days, not {limit.unit.value}")
    return day + dt.timedelta(days=limit.amount)


def _seen(ctx: RuleContext, issue: Issue) -> tuple[IssueEvent, ...]:
    return tuple(e for e in issue.events if e.date <= ctx.as_of)


def _state(ctx: RuleContext, issue: Issue) -> tuple[tuple[IssueEvent, ...], IssueState]:
    events = _seen(ctx, issue)
    return events, replay(issue, ctx.campaign_type.lifecycle, events)


def routing_overdue(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Mark overdue an issue not routed within a day of being collected."""
    events, state = _state(ctx, issue)
    due = _after(issue.raised, ROUTING_LIMIT)
    if state.state != "raised" or ctx.as_of <= due:
        return
    if any(e.kind == "marked_overdue" and e.stage == "routing" for e in events):
        return
    yield Action(
        issue=issue.id,
        kind="marked_overdue",
        rule=ROUTING.name,
        date=ctx.as_of,
        stage="routing",
        reason=f"{issue.raised.isoformat()}收集，超过{ROUTING_LIMIT.amount}天未交办",
    )


def _major_due(event: IssueEvent) -> dt.date:
    if event.due is not None:
        return event.due
    return _after(event.date, event.deadline or MAJOR_LIMIT)


def _level_above(ctx: RuleContext, level: str | None) -> str:
    levels = ctx.campaign_type.policy.levels
    i = levels.index(level) + 1 if level in levels else len(levels)
    return ctx.campaign_type.policy.level_label(levels[min(i, len(levels) - 1)])


def major_supervision(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Put a major issue under listed supervision when it is not solved in time."""
    if not is_major(issue):
        return
    events, state = _state(ctx, issue)
    if state.kind not in (StateKind.OPEN, StateKind.WAITING):
        return
    assigned = next((e for e in events if e.kind == "assigned"), None)
    if assigned is None or any(e.kind == "listed_supervision" for e in events):
        return
    due = _major_due(assigned)
    if ctx.as_of <= due:
        return
    by = _level_above(ctx, state.level)
    yield Action(
        issue=issue.id,
        kind="listed_supervision",
        rule=MAJOR_SUPERVISION.name,
        date=ctx.as_of,
        stage="resolution",
        reason=f"重大问题{assigned.date.isoformat()}交办，{due.isoformat()}到期仍未办结，"
        f"由{by}挂牌督办",
    )


def close_off_reminder(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Remind to close off (销号) an issue resolved more than three days ago."""
    events, state = _state(ctx, issue)
    resolved_on = state.resolved_on
    if state.state != "resolved" or not isinstance(resolved_on, dt.date):
        return
    if state.last_rating is Satisfaction.DISSATISFIED:
        return
    due = _after(resolved_on, CLOSE_OFF_AFTER)
    if ctx.as_of <= due:
        return
    if any(e.kind == "close_reminded" and e.date >= resolved_on for e in events):
        return
    yield Action(
        issue=issue.id,
        kind="close_reminded",
        rule=CLOSE_OFF.name,
        date=ctx.as_of,
        reason=f"{resolved_on.isoformat()}已办结，超过{CLOSE_OFF_AFTER.amount}天未销号，"
        "请征求企业意见后销号",
    )


ROUTING = EscalationRule(
    "henan-routing",
    Label("交办超时", "routing overdue"),
    routing_overdue,
    campaign_types=(KEY,),
    doc=routing_overdue.__doc__ or "",
)
MAJOR_SUPERVISION = EscalationRule(
    "henan-major-supervision",
    Label("重大问题挂牌督办", "listed supervision of major issues"),
    major_supervision,
    campaign_types=(KEY,),
    doc=major_supervision.__doc__ or "",
)
CLOSE_OFF = EscalationRule(
    "henan-close-off",
    Label("销号提醒", "close-off reminder"),
    close_off_reminder,
    campaign_types=(KEY,),
    doc=close_off_reminder.__doc__ or "",
)

RULES = (ROUTING, MAJOR_SUPERVISION, CLOSE_OFF)
"""The rules this plugin registers."""
