"""The built-in escalation rules: the 四送一服 mechanism of yellow and red cards.

The closing report describes a multi-level mechanism: issues assigned by level
with deadlines (限时办理), supervision (督办) of what is not solved, raising a
level (提级办理), supervision meetings for legacy issues (督办会), return
visits. These rules express it over the campaign type's policy:

``yellow-card``
    warn (``warned``) when a running deadline clock is within ``warn_before``.
``red-card``
    mark overdue (``marked_overdue``) when a running clock is past its due date.
``supervise``
    supervise (``supervised``) an issue overdue by more than ``supervise_after``.
``raise-level``
    raise the level one step (``escalated``: county → city → province) when
    overdue by more than ``escalate_after``; the receiving unit comes from the
    policy's routes at that level, else its ``level_offices``.
``legacy-meeting``
    call a supervision meeting (``meeting_called``) for a legacy issue open
    longer than ``legacy_meeting_within`` since it was raised.
``reopen-dissatisfied``
    reopen (``reopened``) an issue whose latest return visit was dissatisfied,
    when ``reopen_on_dissatisfied`` is set.

Every rule looks at the history first and never proposes what it already
holds, so evaluating twice for the same date proposes nothing new. Each rule
proposes only event kinds the campaign type's lifecycle allows in the issue's
current state, so the rules fit any campaign type that uses these event kinds.
"""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.deadlines import Clock, ClockStatus, deadline_text
from campaignkit.escalation import Action, RuleContext
from campaignkit.hookspecs import hookimpl
from campaignkit.lifecycle import StateKind
from campaignkit.model import DeadlineUnit, Issue, Satisfaction
from campaignkit.types import EscalationRule, Label

__all__ = [
    "LEGACY_MEETING",
    "RAISE_LEVEL",
    "RED_CARD",
    "REOPEN_DISSATISFIED",
    "RULES",
    "SUPERVISE",
    "YELLOW_CARD",
    "campaignkit_escalation_rules",
]


def _running(ctx: RuleContext, issue: Issue, *statuses: ClockStatus) -> list[Clock]:
    order = {s.key: i for i, s in enumerate(ctx.policy.stages)}
    clocks = [c for c in ctx.current(issue).values() if c.running and c.status in statuses]
    return sorted(clocks, key=lambda c: order.get(c.stage, 0))


def _wd(n: int, lang: str, unit: DeadlineUnit = DeadlineUnit.WORKING_DAYS) -> str:
    """``n`` days in the clock's own unit: working days, or calendar days otherwise."""
    if unit is DeadlineUnit.WORKING_DAYS:
        return f"{n} working day(s)" if lang == "en" else f"{n}个工作日"
    return f"{n} day(s)" if lang == "en" else f"{n}天"


def yellow_card(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Warn before a deadline: one ``warned`` event per clock that is due soon."""
    if not ctx.allows(issue, "warned"):
        return
    for clock in _running(ctx, issue, ClockStatus.DUE_SOON):
        if ctx.since(issue, clock.start_index, "warned", clock.stage):
            continue
        left = ctx.calendar.span(ctx.as_of, clock.due, clock.unit).days
        left_zh = f"剩余{_wd(left, 'zh', clock.unit)}" if left else "今日到期"
        left_en = f"{_wd(left, 'en', clock.unit)} left" if left else "due today"
        yield Action(
            issue=issue.id,
            kind="warned",
            rule=YELLOW_CARD.name,
            date=ctx.as_of,
            stage=clock.stage,
            reason=(f"{clock.label.zh}时限{clock.due.isoformat()}将至({left_zh}),黄牌预警"),
            reason_en=(f"{clock.label.en} due {clock.due.isoformat()} ({left_en}): yellow card"),
        )


def red_card(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Mark overdue: one ``marked_overdue`` event per clock past its due date."""
    if not ctx.allows(issue, "marked_overdue"):
        return
    for clock in _running(ctx, issue, ClockStatus.OVERDUE):
        if ctx.since(issue, clock.start_index, "marked_overdue", clock.stage):
            continue
        yield Action(
            issue=issue.id,
            kind="marked_overdue",
            rule=RED_CARD.name,
            date=ctx.as_of,
            stage=clock.stage,
            reason=(
                f"{clock.label.zh}时限{clock.due.isoformat()}已过"
                f"(超期{_wd(clock.late, 'zh', clock.unit)}),红牌超期"
            ),
            reason_en=(
                f"{clock.label.en} was due {clock.due.isoformat()} "
                f"({_wd(clock.late, 'en', clock.unit)} late): red card"
            ),
        )


def supervise(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Supervise (督办) an issue overdue by more than the policy's ``supervise_after``."""
    if not ctx.allows(issue, "supervised"):
        return
    after = ctx.policy.supervise_after
    for clock in _running(ctx, issue, ClockStatus.OVERDUE):
        if ctx.as_of <= ctx.after(clock.due, after):
            continue
        if ctx.since(issue, clock.start_index, "supervised"):
            continue
        yield Action(
            issue=issue.id,
            kind="supervised",
            rule=SUPERVISE.name,
            date=ctx.as_of,
            stage=clock.stage,
            reason=(
                f"{clock.label.zh}超期{_wd(clock.late, 'zh', clock.unit)}"
                f"(督办时限:超期{deadline_text(after, 'zh')}后),列入督办"
            ),
            reason_en=(
                f"{clock.label.en} {_wd(clock.late, 'en', clock.unit)} late (supervise after "
                f"{deadline_text(after, 'en')}): supervised"
            ),
        )
        return


def raise_level(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Raise the level one step (提级办理) when overdue by more than ``escalate_after``."""
    if not ctx.allows(issue, "escalated"):
        return
    state = ctx.state(issue)
    higher = ctx.policy.next_level(state.level)
    if higher is None or state.level is None:
        return
    after = ctx.policy.escalate_after
    for clock in _running(ctx, issue, ClockStatus.OVERDUE):
        if ctx.as_of <= ctx.after(clock.due, after):
            continue
        if ctx.since(issue, clock.start_index, "escalated"):
            continue
        choice = ctx.route(issue, level=higher)
        lower_zh = ctx.policy.level_label(state.level, "zh")
        lower_en = ctx.policy.level_label(state.level, "en")
        yield Action(
            issue=issue.id,
            kind="escalated",
            rule=RAISE_LEVEL.name,
            date=ctx.as_of,
            level=higher,
            department=choice.department,
            stage=clock.stage,
            reason=(
                f"{clock.label.zh}超期{_wd(clock.late, 'zh', clock.unit)},超过"
                f"{deadline_text(after, 'zh')},由{lower_zh}提级至"
                f"{ctx.policy.level_label(higher, 'zh')}办理"
            ),
            reason_en=(
                f"{clock.label.en} {_wd(clock.late, 'en', clock.unit)} late, more than "
                f"{deadline_text(after, 'en')}: raised from {lower_en} to "
                f"{ctx.policy.level_label(higher, 'en')} level"
            ),
        )
        return


def legacy_meeting(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Call a supervision meeting (督办会) for a legacy issue open too long."""
    if not issue.legacy or not ctx.allows(issue, "meeting_called"):
        return
    if ctx.state(issue).kind not in (StateKind.OPEN, StateKind.WAITING):
        return
    within = ctx.policy.legacy_meeting_within
    if ctx.as_of <= ctx.after(issue.raised, within):
        return
    if any(e.kind == "meeting_called" for e in ctx.events(issue)):
        return
    yield Action(
        issue=issue.id,
        kind="meeting_called",
        rule=LEGACY_MEETING.name,
        date=ctx.as_of,
        reason=(
            f"历史遗留问题自{issue.raised.isoformat()}收集后超过"
            f"{deadline_text(within, 'zh')}未解决,召开督办会"
        ),
        reason_en=(
            f"legacy issue open since {issue.raised.isoformat()}, more than "
            f"{deadline_text(within, 'en')}: supervision meeting called"
        ),
    )


def reopen_dissatisfied(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Reopen an issue whose latest return visit was dissatisfied (不满意)."""
    if not ctx.policy.reopen_on_dissatisfied or not ctx.allows(issue, "reopened"):
        return
    if ctx.state(issue).kind is not StateKind.RESOLVED:
        return
    visits = [
        i for i, e in enumerate(issue.events) if e.kind == "return_visit" and e.date <= ctx.as_of
    ]
    if not visits:
        return
    last = visits[-1]
    visit = issue.events[last]
    if visit.rating is not Satisfaction.DISSATISFIED:
        return
    if ctx.since(issue, last, "reopened"):
        return
    yield Action(
        issue=issue.id,
        kind="reopened",
        rule=REOPEN_DISSATISFIED.name,
        date=ctx.as_of,
        reason=f"{visit.date.isoformat()}回访企业不满意,重新办理",
        reason_en=f"dissatisfied on the return visit of {visit.date.isoformat()}: reopened",
    )


YELLOW_CARD = EscalationRule(
    "yellow-card", Label("黄牌预警", "yellow card"), yellow_card, doc=yellow_card.__doc__ or ""
)
RED_CARD = EscalationRule(
    "red-card", Label("红牌超期", "red card"), red_card, doc=red_card.__doc__ or ""
)
SUPERVISE = EscalationRule(
    "supervise", Label("督办", "supervise"), supervise, doc=supervise.__doc__ or ""
)
RAISE_LEVEL = EscalationRule(
    "raise-level", Label("提级办理", "raise the level"), raise_level, doc=raise_level.__doc__ or ""
)
LEGACY_MEETING = EscalationRule(
    "legacy-meeting",
    Label("遗留问题督办会", "legacy issue meeting"),
    legacy_meeting,
    doc=legacy_meeting.__doc__ or "",
)
REOPEN_DISSATISFIED = EscalationRule(
    "reopen-dissatisfied",
    Label("不满意重办", "reopen when dissatisfied"),
    reopen_dissatisfied,
    doc=reopen_dissatisfied.__doc__ or "",
)

RULES = (YELLOW_CARD, RED_CARD, SUPERVISE, RAISE_LEVEL, LEGACY_MEETING, REOPEN_DISSATISFIED)
"""The built-in rules, in the order of the mechanism."""


@hookimpl
def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
    """Register the built-in rules."""
    yield from RULES
