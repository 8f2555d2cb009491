"""The built-in escalation rules: the 四送一服 mechanism of yellow and red cards.

The closing report describes a multi-level mechanism: issues assigned by level
with deadlines (限时办理), supervision (督办) of what is not solved, raising a
level (提级办理), supervision meetings for legacy issues (督办会), return
visits. These rules express it over the campaign type's policy:

``yellow-card``
    warn (``warned``) when a running deadline clock is within its stage's ``warn_before``,
    saying how long is left as its lateness would be counted (hours to an hour clock's
    due moment from the start of the day, else working or calendar days).
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

Lateness is worded as the clocks give it (:func:`~campaignkit.derive.clocks.judge`,
:func:`~campaignkit.derive.clocks.late_phrase`), and "overdue by more than" a time
means a lateness above it (see ``_beyond``).

Every rule looks at the history first and never proposes what it already
holds, so evaluating twice for the same date proposes nothing new. Each rule
proposes only event kinds the campaign type's lifecycle allows in the issue's
current state, so the rules fit any campaign type that uses these event kinds.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

from campaignkit.derive.clocks import (
    ClockStatus,
    Judged,
    Left,
    Moments,
    amount,
    late_phrase,
    left_phrase,
    time_left,
)
from campaignkit.derive.views import Shape
from campaignkit.escalation.engine import Action, RuleContext
from campaignkit.hooks.specs import hookimpl
from campaignkit.i18n.catalogue import Phrase, register
from campaignkit.model.records import Deadline, DeadlineUnit, Issue
from campaignkit.rules.lifecycle import StateKind
from campaignkit.rules.policy import IssuePolicy
from campaignkit.rules.records import EscalationRule, Label

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


REASONS = {
    "reason.left": ("{amount} left", "剩余{amount}"),
    "reason.due-today": ("due today", "今日到期"),
    "reason.yellow-card": (
        "{stage} due {due} ({left}): yellow card",
        "{stage}时限{due}将至（{left}），黄牌预警",
    ),
    "reason.red-card": (
        "{stage} was due {due} ({late} late): red card",
        "{stage}时限{due}已过（超期{late}），红牌超期",
    ),
    "reason.supervise": (
        "{stage} {late} late (supervise after {after}): supervised",
        "{stage}超期{late}（督办时限：超期{after}后），列入督办",
    ),
    "reason.raise-level": (
        "{stage} {late} late, more than {after}: raised from {lower} to {higher} level",
        "{stage}超期{late}，超过{after}，由{lower}提级至{higher}办理",
    ),
    "reason.legacy-meeting": (
        "legacy issue open since {raised}, more than {within}: supervision meeting called",
        "历史遗留问题自{raised}收集后超过{within}未解决，召开督办会",
    ),
    "reason.reopen-dissatisfied": (
        "dissatisfied on the return visit of {visited}: reopened",
        "{visited}回访企业不满意，重新办理",
    ),
}
"""The reasons the built-in rules give, by catalogue code (English, Chinese)."""

for _code, (_en, _zh) in REASONS.items():
    register(_code, _en, _zh)


def _beyond(ctx: RuleContext, clock: Moments, after: Deadline) -> bool:
    """True if the overdue ``clock`` is overdue by more than ``after`` as of the context's
    date: that date is after ``after`` past its due moment (an hour clock's), else its
    due date. In the unit the clock is late in, that is its lateness above
    ``after.amount``: a working-day clock is more than 5 working days late from the day
    after the 5th working day after its due date
    (see :func:`~campaignkit.derive.clocks.judge`)."""
    # an hour threshold counts from an hour clock's due moment; one of days gives the same
    # date from the due date alone, which the context's memo of dates shares between issues
    moment = after.unit is DeadlineUnit.HOURS and clock.unit is DeadlineUnit.HOURS
    due = clock.due_at if moment and clock.due_at else clock.due
    return ctx.as_of > ctx.after(due, after)


def _both(code: str, **args: object) -> tuple[str, str]:
    """A reason of the message catalogue in Chinese and English (an action keeps both)."""
    phrase = Phrase(code, args)
    return phrase.text("zh"), phrase.text("en")


def yellow_card(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Warn before a deadline: one ``warned`` event per clock that is due soon."""
    if not ctx.allows(issue, "warned"):
        return
    for clock, _ in ctx.running(issue, ClockStatus.DUE_SOON):
        if clock.marked("warned", clock.stage):
            continue
        left = time_left(clock, ctx.as_of, ctx.calendar)
        label = ctx.stage(clock.stage).label
        yield _warned(issue.id, ctx.as_of, clock.stage, label, clock.due, clock.unit, left)


_Template = tuple[
    str, str, dt.date, str, "str | None", "str | None", "str | None", "dt.date | None", str
]
"""An action's fields after ``issue``: what every issue whose clock calls for it shares."""


def _template(
    kind: str,
    rule: str,
    as_of: dt.date,
    stage: str,
    texts: tuple[str, str],
    level: str | None = None,
    department: str | None = None,
) -> _Template:
    """A rule's action on a clock's stage, with its Chinese and English reasons, for any issue."""
    return (kind, rule, as_of, texts[0], level, department, stage, None, texts[1])


def _warned(
    issue: str,
    as_of: dt.date,
    stage: str,
    label: Label,
    due: dt.date,
    unit: DeadlineUnit,
    left: Left,
) -> Action:
    texts = _warned_texts(label, due, unit, left)
    return Action(issue, *_template("warned", YELLOW_CARD.name, as_of, stage, texts))


@functools.lru_cache(maxsize=4096)
def _warned_texts(label: Label, due: dt.date, unit: DeadlineUnit, left: Left) -> tuple[str, str]:
    remaining = Phrase("reason.left", {"amount": left_phrase(left, unit)})
    return _both(
        "reason.yellow-card",
        stage=label,
        due=due.isoformat(),
        left=remaining if left.left_by or left.left else Phrase("reason.due-today"),
    )


def red_card(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Mark overdue: one ``marked_overdue`` event per clock past its due date."""
    if not ctx.allows(issue, "marked_overdue"):
        return
    for clock, judged in ctx.running(issue, ClockStatus.OVERDUE):
        if clock.marked("marked_overdue", clock.stage):
            continue
        label = ctx.stage(clock.stage).label
        yield _marked(issue.id, ctx.as_of, clock.stage, label, clock.due, clock.unit, judged)


def _marked(
    issue: str,
    as_of: dt.date,
    stage: str,
    label: Label,
    due: dt.date,
    unit: DeadlineUnit,
    late: Judged,
) -> Action:
    texts = _marked_texts(label, due, unit, late)
    return Action(issue, *_template("marked_overdue", RED_CARD.name, as_of, stage, texts))


@functools.lru_cache(maxsize=4096)
def _marked_texts(label: Label, due: dt.date, unit: DeadlineUnit, late: Judged) -> tuple[str, str]:
    return _both("reason.red-card", stage=label, due=due.isoformat(), late=late_phrase(late, unit))


def supervise(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Supervise (督办) an issue overdue by more than the policy's ``supervise_after``."""
    if not ctx.allows(issue, "supervised"):
        return
    after = ctx.policy.supervise_after
    for clock, judged in ctx.running(issue, ClockStatus.OVERDUE):
        if not _beyond(ctx, clock, after):
            continue
        if clock.marked("supervised"):
            continue
        label = ctx.stage(clock.stage).label
        yield _supervised(issue.id, ctx.as_of, clock.stage, label, clock.unit, judged, after)
        return


def _supervised(
    issue: str,
    as_of: dt.date,
    stage: str,
    label: Label,
    unit: DeadlineUnit,
    late: Judged,
    after: Deadline,
) -> Action:
    texts = _supervised_texts(label, unit, late, after)
    return Action(issue, *_template("supervised", SUPERVISE.name, as_of, stage, texts))


@functools.lru_cache(maxsize=4096)
def _supervised_texts(
    label: Label, unit: DeadlineUnit, late: Judged, after: Deadline
) -> tuple[str, str]:
    return _both(
        "reason.supervise",
        stage=label,
        late=late_phrase(late, unit),
        after=amount(after.amount, after.unit),
    )


def _raise_plan(ctx: RuleContext, shape: Shape) -> tuple[Moments, Judged, str] | None:
    """The running clock overdue by more than ``escalate_after`` that calls for raising an
    issue of this shape a level, how it stands, and the level above; None if none does."""
    level = shape.level
    if level is None or not ctx.campaign_type.lifecycle.allows(shape.state, "escalated"):
        return None
    higher = ctx.policy.next_level(level)
    if higher is None:
        return None
    after = ctx.policy.escalate_after
    for clock, judged in ctx.running_of(shape, ClockStatus.OVERDUE):
        if _beyond(ctx, clock, after) and not clock.marked("escalated"):
            return clock, judged, higher
    return None


def raise_level(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Raise the level one step (提级办理) when overdue by more than ``escalate_after``."""
    shape = ctx.shape(issue)
    found = ctx.of_shape(_raise_plan, shape)
    if found is None or shape.level is None:
        return
    clock, judged, higher = found
    choice = ctx.route(issue, level=higher)
    yield _escalated(
        issue.id,
        ctx.as_of,
        ctx.policy,
        shape.level,
        higher,
        choice.department,
        clock.stage,
        ctx.stage(clock.stage).label,
        clock.unit,
        judged,
    )


def _escalated(
    issue: str,
    as_of: dt.date,
    policy: IssuePolicy,
    lower: str,
    higher: str,
    department: str | None,
    stage: str,
    label: Label,
    unit: DeadlineUnit,
    late: Judged,
) -> Action:
    texts = _escalated_texts(
        label,
        unit,
        late,
        policy.escalate_after,
        Label(policy.level_label(lower, "zh"), policy.level_label(lower, "en")),
        Label(policy.level_label(higher, "zh"), policy.level_label(higher, "en")),
    )
    return Action(
        issue, *_template("escalated", RAISE_LEVEL.name, as_of, stage, texts, higher, department)
    )


@functools.lru_cache(maxsize=4096)
def _escalated_texts(
    label: Label, unit: DeadlineUnit, late: Judged, after: Deadline, lower: Label, higher: Label
) -> tuple[str, str]:
    return _both(
        "reason.raise-level",
        stage=label,
        late=late_phrase(late, unit),
        after=amount(after.amount, after.unit),
        lower=lower,
        higher=higher,
    )


def _meeting_open(ctx: RuleContext, shape: Shape) -> bool:
    """True if an issue of this shape is a legacy issue, open, and may have a supervision
    meeting called and has none."""
    allowed = ctx.campaign_type.lifecycle.allows(shape.state, "meeting_called")
    open_ = shape.kind in (StateKind.OPEN, StateKind.WAITING)
    return shape.legacy and allowed and open_ and not shape.meeting


def legacy_meeting(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Call a supervision meeting (督办会) for a legacy issue open too long."""
    if not _meeting_open(ctx, ctx.shape(issue)):
        return
    within = ctx.policy.legacy_meeting_within
    if ctx.as_of <= ctx.after(issue.raised, within):
        return
    yield _meeting(issue.id, issue.raised, ctx.as_of, within)


def _meeting(issue: str, raised: dt.date, as_of: dt.date, within: Deadline) -> Action:
    zh, en = _meeting_texts(raised, within)
    return Action(issue, "meeting_called", LEGACY_MEETING.name, as_of, zh, reason_en=en)


@functools.lru_cache(maxsize=4096)
def _meeting_texts(raised: dt.date, within: Deadline) -> tuple[str, str]:
    return _both(
        "reason.legacy-meeting",
        raised=raised.isoformat(),
        within=amount(within.amount, within.unit),
    )


def reopen_dissatisfied(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Reopen an issue whose latest return visit was dissatisfied (不满意)."""
    if not ctx.policy.reopen_on_dissatisfied or not ctx.allows(issue, "reopened"):
        return
    shape = ctx.shape(issue)
    if shape.kind is not StateKind.RESOLVED or shape.dissatisfied is None:
        return
    yield _reopened(issue.id, ctx.as_of, shape.dissatisfied)


def _reopened(issue: str, as_of: dt.date, visited: dt.date) -> Action:
    zh, en = _reopened_texts(visited)
    return Action(issue, "reopened", REOPEN_DISSATISFIED.name, as_of, zh, reason_en=en)


@functools.lru_cache(maxsize=4096)
def _reopened_texts(visited: dt.date) -> tuple[str, str]:
    return _both("reason.reopen-dissatisfied", visited=visited.isoformat())


YELLOW_CARD = EscalationRule(
    "yellow-card",
    Label("黄牌预警", "yellow card"),
    yellow_card,
    doc=yellow_card.__doc__ or "",
    by_shape=True,
    proposes=("warned",),
)
RED_CARD = EscalationRule(
    "red-card",
    Label("红牌超期", "red card"),
    red_card,
    doc=red_card.__doc__ or "",
    by_shape=True,
    proposes=("marked_overdue",),
)
SUPERVISE = EscalationRule(
    "supervise",
    Label("督办", "supervise"),
    supervise,
    doc=supervise.__doc__ or "",
    by_shape=True,
    proposes=("supervised",),
)
RAISE_LEVEL = EscalationRule(
    "raise-level",
    Label("提级办理", "raise the level"),
    raise_level,
    doc=raise_level.__doc__ or "",
    by_shape=True,
    routed=True,
    screen=lambda ctx, shape: ctx.of_shape(_raise_plan, shape) is not None,
    proposes=("escalated",),
)
LEGACY_MEETING = EscalationRule(
    "legacy-meeting",
    Label("遗留问题督办会", "legacy issue meeting"),
    legacy_meeting,
    doc=legacy_meeting.__doc__ or "",
    screen=_meeting_open,
    proposes=("meeting_called",),
)
REOPEN_DISSATISFIED = EscalationRule(
    "reopen-dissatisfied",
    Label("不满意重办", "reopen when dissatisfied"),
    reopen_dissatisfied,
    doc=reopen_dissatisfied.__doc__ or "",
    by_shape=True,
    proposes=("reopened",),
)

RULES = (YELLOW_CARD, RED_CARD, SUPERVISE, RAISE_LEVEL, LEGACY_MEETING, REOPEN_DISSATISFIED)
"""The built-in rules, in the order of the mechanism."""


@hookimpl
def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
    """Register the built-in rules."""
    yield from RULES
