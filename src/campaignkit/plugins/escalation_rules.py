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

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from typing import Any

from campaignkit.calendar import WorkCalendar
from campaignkit.deadlines import (
    Clock,
    ClockStatus,
    RunningClock,
    clock_starters,
    deadline_text,
    running_clocks,
)
from campaignkit.escalation import Action, RuleContext, events_since
from campaignkit.hookspecs import hookimpl
from campaignkit.ledger import Ledger
from campaignkit.lifecycle import Guard, Needs, StateKind
from campaignkit.model import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.policy import IssuePolicy
from campaignkit.routing import issue_region, route
from campaignkit.types import CampaignType, EscalationRule, Label

__all__ = [
    "LEGACY_MEETING",
    "RAISE_LEVEL",
    "RED_CARD",
    "REOPEN_DISSATISFIED",
    "RULES",
    "SUPERVISE",
    "YELLOW_CARD",
    "FastRules",
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
        yield _warned(issue.id, ctx.as_of, clock.stage, clock.label, clock.due, clock.unit, left)


def _action(
    issue: str,
    kind: str,
    rule: str,
    as_of: dt.date,
    stage: str,
    texts: tuple[str, str],
    level: str | None = None,
    department: str | None = None,
) -> Action:
    """A rule's action on a clock's stage, with its Chinese and English reasons."""
    return Action(
        issue=issue,
        kind=kind,
        rule=rule,
        date=as_of,
        level=level,
        department=department,
        stage=stage,
        reason=texts[0],
        reason_en=texts[1],
    )


def _warned(
    issue: str,
    as_of: dt.date,
    stage: str,
    label: Label,
    due: dt.date,
    unit: DeadlineUnit,
    left: int,
) -> Action:
    texts = _warned_texts(label.zh, label.en, due, unit, left)
    return _action(issue, "warned", YELLOW_CARD.name, as_of, stage, texts)


@functools.lru_cache(maxsize=4096)
def _warned_texts(
    label_zh: str, label_en: str, due: dt.date, unit: DeadlineUnit, left: int
) -> tuple[str, str]:
    left_zh = f"剩余{_wd(left, 'zh', unit)}" if left else "今日到期"
    left_en = f"{_wd(left, 'en', unit)} left" if left else "due today"
    return (
        f"{label_zh}时限{due.isoformat()}将至({left_zh}),黄牌预警",
        f"{label_en} due {due.isoformat()} ({left_en}): yellow card",
    )


def red_card(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Mark overdue: one ``marked_overdue`` event per clock past its due date."""
    if not ctx.allows(issue, "marked_overdue"):
        return
    for clock in _running(ctx, issue, ClockStatus.OVERDUE):
        if ctx.since(issue, clock.start_index, "marked_overdue", clock.stage):
            continue
        yield _marked(
            issue.id, ctx.as_of, clock.stage, clock.label, clock.due, clock.unit, clock.late
        )


def _marked(
    issue: str,
    as_of: dt.date,
    stage: str,
    label: Label,
    due: dt.date,
    unit: DeadlineUnit,
    late: int,
) -> Action:
    texts = _marked_texts(label.zh, label.en, due, unit, late)
    return _action(issue, "marked_overdue", RED_CARD.name, as_of, stage, texts)


@functools.lru_cache(maxsize=4096)
def _marked_texts(
    label_zh: str, label_en: str, due: dt.date, unit: DeadlineUnit, late: int
) -> tuple[str, str]:
    return (
        f"{label_zh}时限{due.isoformat()}已过(超期{_wd(late, 'zh', unit)}),红牌超期",
        f"{label_en} was due {due.isoformat()} ({_wd(late, 'en', unit)} late): red card",
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
        yield _supervised(
            issue.id, ctx.as_of, clock.stage, clock.label, clock.unit, clock.late, after
        )
        return


def _supervised(
    issue: str,
    as_of: dt.date,
    stage: str,
    label: Label,
    unit: DeadlineUnit,
    late: int,
    after: Deadline,
) -> Action:
    texts = _supervised_texts(label.zh, label.en, unit, late, after)
    return _action(issue, "supervised", SUPERVISE.name, as_of, stage, texts)


@functools.lru_cache(maxsize=4096)
def _supervised_texts(
    label_zh: str, label_en: str, unit: DeadlineUnit, late: int, after: Deadline
) -> tuple[str, str]:
    return (
        f"{label_zh}超期{_wd(late, 'zh', unit)}"
        f"(督办时限:超期{deadline_text(after, 'zh')}后),列入督办",
        f"{label_en} {_wd(late, 'en', unit)} late (supervise after "
        f"{deadline_text(after, 'en')}): supervised",
    )


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
        yield _escalated(
            issue.id,
            ctx.as_of,
            ctx.policy,
            state.level,
            higher,
            choice.department,
            clock.stage,
            clock.label,
            clock.unit,
            clock.late,
        )
        return


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
    late: int,
) -> Action:
    texts = _escalated_texts(
        label.zh,
        label.en,
        unit,
        late,
        policy.escalate_after,
        (policy.level_label(lower, "zh"), policy.level_label(lower, "en")),
        (policy.level_label(higher, "zh"), policy.level_label(higher, "en")),
    )
    return _action(issue, "escalated", RAISE_LEVEL.name, as_of, stage, texts, higher, department)


@functools.lru_cache(maxsize=4096)
def _escalated_texts(
    label_zh: str,
    label_en: str,
    unit: DeadlineUnit,
    late: int,
    after: Deadline,
    lower: tuple[str, str],
    higher: tuple[str, str],
) -> tuple[str, str]:
    return (
        f"{label_zh}超期{_wd(late, 'zh', unit)},超过"
        f"{deadline_text(after, 'zh')},由{lower[0]}提级至{higher[0]}办理",
        f"{label_en} {_wd(late, 'en', unit)} late, more than "
        f"{deadline_text(after, 'en')}: raised from {lower[1]} to {higher[1]} level",
    )


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
    yield _meeting(issue, ctx.as_of, within)


def _meeting(issue: Issue, as_of: dt.date, within: Deadline) -> Action:
    return Action(
        issue=issue.id,
        kind="meeting_called",
        rule=LEGACY_MEETING.name,
        date=as_of,
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
    yield _reopened(issue.id, ctx.as_of, visit.date)


def _reopened(issue: str, as_of: dt.date, visited: dt.date) -> Action:
    return Action(
        issue=issue,
        kind="reopened",
        rule=REOPEN_DISSATISFIED.name,
        date=as_of,
        reason=f"{visited.isoformat()}回访企业不满意,重新办理",
        reason_en=f"dissatisfied on the return visit of {visited.isoformat()}: reopened",
    )


YELLOW_CARD = EscalationRule(
    "yellow-card",
    Label("黄牌预警", "yellow card"),
    yellow_card,
    doc=yellow_card.__doc__ or "",
    proposes=("warned",),
)
RED_CARD = EscalationRule(
    "red-card",
    Label("红牌超期", "red card"),
    red_card,
    doc=red_card.__doc__ or "",
    proposes=("marked_overdue",),
)
SUPERVISE = EscalationRule(
    "supervise",
    Label("督办", "supervise"),
    supervise,
    doc=supervise.__doc__ or "",
    proposes=("supervised",),
)
RAISE_LEVEL = EscalationRule(
    "raise-level",
    Label("提级办理", "raise the level"),
    raise_level,
    doc=raise_level.__doc__ or "",
    proposes=("escalated",),
)
LEGACY_MEETING = EscalationRule(
    "legacy-meeting",
    Label("遗留问题督办会", "legacy issue meeting"),
    legacy_meeting,
    doc=legacy_meeting.__doc__ or "",
    proposes=("meeting_called",),
)
REOPEN_DISSATISFIED = EscalationRule(
    "reopen-dissatisfied",
    Label("不满意重办", "reopen when dissatisfied"),
    reopen_dissatisfied,
    doc=reopen_dissatisfied.__doc__ or "",
    proposes=("reopened",),
)

RULES = (YELLOW_CARD, RED_CARD, SUPERVISE, RAISE_LEVEL, LEGACY_MEETING, REOPEN_DISSATISFIED)
"""The built-in rules, in the order of the mechanism."""


class FastRules:
    """The built-in rules evaluated together on one issue, with the same results.

    One replay gives the state, one clock replay the running clocks, and only
    the rules whose event kind the state allows run. :meth:`applies` says when
    this may stand in for calling the rules one by one: every rule is a
    built-in one under its own name, the lifecycle's guards are the built-in
    field checks and the calendars are the built-in one, so no plugin code
    runs. The engine falls back to calling the rules on an issue for which
    :meth:`propose` raises.
    """

    def __init__(
        self,
        ledger: Ledger,
        campaign_type: CampaignType,
        rules: Mapping[str, EscalationRule],
        as_of: dt.date,
        calendar: WorkCalendar,
    ) -> None:
        self.ledger = ledger
        self.campaign_type = campaign_type
        self.lifecycle = lifecycle = campaign_type.lifecycle
        self.policy = campaign_type.policy
        self.as_of = as_of
        self.calendar = calendar
        self.starters = clock_starters(self.policy)
        # each state's allowed event kinds: the state they lead to and the fields they need
        self.moves: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
            state.key: {
                kind: _move(lifecycle.next_state(state.key, kind))
                for kind in lifecycle.allowed(state.key)
            }
            for state in lifecycle.states
        }
        policy = self.policy
        self.clock_kinds = self.starters | {k for st in policy.stages for k in st.stop}
        self.clock_kinds |= {"extended", "paused", "resumed"}
        self.running: dict[str, tuple[int, list[RunningClock]]] = {}
        """Running clocks of issues that received actions in the last round, and how many
        events they saw."""
        self.saved: dict[str, tuple[int, list[RunningClock]]] = {}
        """The same, gathered in this round for the next."""
        self.routes: dict[tuple[str, str | None, str], str | None] = {}
        self.memo: dict[Any, tuple[dt.date, DeadlineUnit, ClockStatus, int]] = {}
        self.kinds = {state.key: state.kind for state in lifecycle.states}
        self.by_state = {
            state.key: tuple(
                rule
                for rule in rules.values()
                if rule.proposes is not None
                and any(lifecycle.allows(state.key, kind) for kind in rule.proposes)
            )
            for state in lifecycle.states
        }

    def next_round(self) -> None:
        """Start the next round: the clocks saved in this one are now the last round's."""
        self.running, self.saved = self.saved, {}

    @staticmethod
    def applies(
        campaign_type: CampaignType, rules: Mapping[str, EscalationRule], calendar: WorkCalendar
    ) -> bool:
        """True if :meth:`propose` gives what calling ``rules`` one by one gives."""
        return (
            all(name == rule.name and rule in RULES for name, rule in rules.items())
            and campaign_type.lifecycle.plain_guards
            and all(c is CHINA_STATUTORY for c in calendar.calendars)
        )

    def propose(self, issue: Issue, events: tuple[IssueEvent, ...]) -> tuple[str, list[Action]]:
        """The issue's state as of the date and what the rules propose, in rule order.

        ``events`` is the issue's history (with the actions of earlier rounds
        appended). Raises when the history does not replay.
        """
        as_of = self.as_of
        moves = self.moves
        state = self.lifecycle.initial
        level: str | None = None
        for event in events:
            if event.date > as_of:
                continue
            move = moves[state].get(event.kind)
            if move is None:
                raise ValueError("the history does not replay")
            for name in move[1]:
                if getattr(event, name) is None:
                    raise ValueError("the history does not replay")
            if event.level is not None:
                level = event.level
            state = move[0]
        rules = self.by_state[state]
        proposed: list[Action] = []
        if not rules:
            return state, proposed
        running: list[RunningClock] | None = None
        earlier = self.running.pop(issue.id, None) if self.running else None
        if earlier is not None and not any(
            e.kind in self.clock_kinds and e.date <= as_of for e in events[earlier[0] :]
        ):
            running = earlier[1]  # the events appended since neither start, stop nor move a clock
        policy, cal = self.policy, self.calendar
        for rule in rules:
            if rule is LEGACY_MEETING:
                if not issue.legacy or self.kinds[state] not in (StateKind.OPEN, StateKind.WAITING):
                    continue
                within = policy.legacy_meeting_within
                if as_of <= cal.add_deadline(issue.raised, within).date:
                    continue
                if any(e.kind == "meeting_called" and e.date <= as_of for e in events):
                    continue
                proposed.append(_meeting(issue, as_of, within))
                continue
            if rule is REOPEN_DISSATISFIED:
                if not policy.reopen_on_dissatisfied or self.kinds[state] is not StateKind.RESOLVED:
                    continue
                last = len(events) - 1  # the latest return visit as of the date
                while last >= 0 and (
                    events[last].kind != "return_visit" or events[last].date > as_of
                ):
                    last -= 1
                if last < 0:
                    continue
                visit = events[last]
                if visit.rating is not Satisfaction.DISSATISFIED:
                    continue
                if events_since(events, as_of, last, "reopened", None):
                    continue
                proposed.append(_reopened(issue.id, as_of, visit.date))
                continue
            if rule is RAISE_LEVEL and (level is None or policy.next_level(level) is None):
                continue
            if running is None:
                running = (
                    running_clocks(issue, policy, as_of, cal, events, self.memo)
                    if any(e.kind in self.starters for e in events)
                    else []
                )
            if not running:
                continue
            if rule is YELLOW_CARD:
                for b in running:
                    if b.status is not ClockStatus.DUE_SOON:
                        continue
                    stage = b.stage.key
                    if events_since(events, as_of, b.start_index, "warned", stage):
                        continue
                    left = cal.span(as_of, b.due, b.unit).days
                    proposed.append(
                        _warned(issue.id, as_of, stage, b.stage.label, b.due, b.unit, left)
                    )
            elif rule is RED_CARD:
                for b in running:
                    if b.status is not ClockStatus.OVERDUE:
                        continue
                    stage = b.stage.key
                    if events_since(events, as_of, b.start_index, "marked_overdue", stage):
                        continue
                    proposed.append(
                        _marked(issue.id, as_of, stage, b.stage.label, b.due, b.unit, b.late)
                    )
            elif rule is SUPERVISE:
                after = policy.supervise_after
                for b in running:
                    if b.status is not ClockStatus.OVERDUE:
                        continue
                    if as_of <= cal.add_deadline(b.due, after).date:
                        continue
                    if events_since(events, as_of, b.start_index, "supervised", None):
                        continue
                    proposed.append(
                        _supervised(
                            issue.id, as_of, b.stage.key, b.stage.label, b.unit, b.late, after
                        )
                    )
                    break
            else:
                assert rule is RAISE_LEVEL and level is not None
                higher = policy.next_level(level)
                assert higher is not None
                after = policy.escalate_after
                for b in running:
                    if b.status is not ClockStatus.OVERDUE:
                        continue
                    if as_of <= cal.add_deadline(b.due, after).date:
                        continue
                    if events_since(events, as_of, b.start_index, "escalated", None):
                        continue
                    region = issue_region(issue, self.ledger)
                    key = (issue.category, region, higher)
                    if key in self.routes:
                        department = self.routes[key]
                    else:
                        department = self.routes[key] = route(
                            self.campaign_type, issue.category, region, self.ledger, level=higher
                        ).department
                    proposed.append(
                        _escalated(
                            issue.id,
                            as_of,
                            policy,
                            level,
                            higher,
                            department,
                            b.stage.key,
                            b.stage.label,
                            b.unit,
                            b.late,
                        )
                    )
                    break
        if proposed and running:
            self.saved[issue.id] = (len(events), running)
        return state, proposed


def _move(move: tuple[str, Guard | None]) -> tuple[str, tuple[str, ...]]:
    """A lifecycle move with its guard as the fields it needs (built-in guards only)."""
    target, guard = move
    if guard is None:
        return target, ()
    assert isinstance(guard, Needs)
    return target, guard.names


@hookimpl
def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
    """Register the built-in rules."""
    yield from RULES
