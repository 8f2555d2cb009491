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
from typing import Any, NamedTuple, cast

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.deadlines import (
    _MOVERS,
    Clock,
    ClockStatus,
    _Builder,
    _judge_start,
    clock_starters,
    deadline_text,
    running_clocks,
)
from campaignkit.derive.routing import issue_region, route
from campaignkit.derive.walks import (
    ESCALATED,
    MARKED,
    MEETING,
    REOPENED,
    SUPERVISED,
    VISIT,
    WARNED,
    Node,
    walks_for,
)
from campaignkit.derive.walks import applies as walks_apply
from campaignkit.escalation.engine import Action, RuleContext, events_since
from campaignkit.hooks.specs import hookimpl
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import StateKind
from campaignkit.rules.policy import DeadlineStage, IssuePolicy
from campaignkit.rules.records import CampaignType, EscalationRule, Label

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
    left: int,
) -> Action:
    texts = _warned_texts(label.zh, label.en, due, unit, left)
    return Action(issue, *_template("warned", YELLOW_CARD.name, as_of, stage, texts))


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
    return Action(issue, *_template("marked_overdue", RED_CARD.name, as_of, stage, texts))


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
    return Action(issue, *_template("supervised", SUPERVISE.name, as_of, stage, texts))


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
    return Action(
        issue, *_template("escalated", RAISE_LEVEL.name, as_of, stage, texts, higher, department)
    )


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


class _Facts(NamedTuple):
    """What the rules make of a running clock that is due soon or overdue, as of the date:
    the actions it calls for, without the issue (see :func:`_template`)."""

    stage: DeadlineStage
    warned: _Template | None
    """The yellow card, when the clock is due soon."""
    marked: _Template | None
    """The red card, when it is overdue."""
    supervised: _Template | None
    """Supervision, when it is overdue by more than ``supervise_after``."""
    escalate: bool
    """True when it is overdue by more than ``escalate_after``."""
    unit: DeadlineUnit
    late: int


class _Routed(NamedTuple):
    """A planned action whose department is where the issue routes at ``level``."""

    level: str | None
    head: tuple[Any, ...]
    """The action's fields after ``issue`` and before ``department``."""
    tail: tuple[Any, ...]
    """The action's fields after ``department``."""


class _Meeting(NamedTuple):
    """A planned supervision meeting, whose reason names the day the issue was raised."""

    within: Deadline


_Walked = tuple[str, "str | None", "dict[str, list[Any]]", bool, bool, "IssueEvent | None", bool]
"""State, level, running clocks, moved, meeting called, latest visit, reopened since."""


_Plan = tuple[bool, tuple["_Template | _Routed | _Meeting", ...]]
"""An issue's settled proposals without its id: True if every item is an action's fields
after ``issue`` (none needs the issue's routing or raising date)."""


class FastRules:
    """The built-in rules evaluated together, with the same results as one by one.

    Walks through histories share their steps (``campaignkit.derive.walks``): a
    node stands for what the rules can tell of a history so far (state, level,
    running clocks with their due dates and the cards they hold, meeting,
    dissatisfied visit), and a step from a node on an event is worked out
    once. Issues
    whose walks end at the same node get alike proposals in every round, so
    the engine settles one of them round by round (:meth:`propose` reads one
    history in one walk and runs only the rules the state allows) and gives
    the others its :meth:`plan`, each with its own id, routing and meeting
    reason (:meth:`actions`).

    :meth:`applies` says when this may stand in for calling the rules one by
    one: every rule is a built-in one under its own name, the lifecycle's
    guards are the built-in field checks and every calendar is pure (a plain
    lookup), so no plugin code that could hang runs. The engine falls back to
    calling the rules on an issue for which :meth:`propose` raises.
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
        self.policy = policy = campaign_type.policy
        self.as_of = as_of
        self.calendar = calendar
        self.walks = walks = walks_for(ledger, campaign_type, calendar)
        self.root, self.after = walks.root, walks.after
        self.moves, self.steps, self.order = walks.moves, walks.steps, walks.order
        self.targets = walks.targets
        self.clock_kinds = clock_starters(policy) | {k for st in policy.stages for k in st.stop}
        self.clock_kinds |= _MOVERS
        self.memo: dict[Any, tuple[dt.date, DeadlineUnit, ClockStatus, int]] = {}
        """Due date, unit, status and lateness by how a clock started (see ``running_clocks``)."""
        self.starts: dict[tuple[int, str, str | None], tuple[IssueEvent, _Facts | None]] = {}
        """What a clock calls for, by its start event (kept alive here), stage and level."""
        self.facts: dict[tuple[str, dt.date, DeadlineUnit, ClockStatus, int], _Facts | None] = {}
        self.routes: dict[tuple[str, str | None, str], str | None] = {}
        self.meetings: dict[tuple[dt.date, Deadline], tuple[Any, ...]] = {}
        """A supervision meeting's fields after ``issue``, by the day the issue was raised."""
        self.legacy: dict[dt.date, dt.date] = {}
        """When a legacy issue raised on a day is due its supervision meeting."""
        self.judged: dict[tuple[str, int], object] = {}
        """What each running clock of a node calls for, by stage and snapshot."""
        self.plans: tuple[dict[Node, _Plan], dict[Node, _Plan]] = ({}, {})
        """What the rules propose for an issue whose walk ends at a node, by whether it
        is a legacy issue due its supervision meeting (False, True)."""
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

    APART: _Plan = (False, ())
    """The plan of issues that settle each on their own (they failed a rule, or their
    histories went to the rules one by one)."""

    @staticmethod
    def applies(
        campaign_type: CampaignType, rules: Mapping[str, EscalationRule], calendar: WorkCalendar
    ) -> bool:
        """True if :meth:`propose` gives what calling ``rules`` one by one gives."""
        return all(name == rule.name and rule in RULES for name, rule in rules.items()) and (
            walks_apply(campaign_type, calendar)
        )

    def _walk(self, events: tuple[IssueEvent, ...]) -> _Walked:
        """One walk through a history as of the date: what the rules read of it.

        Raises when the history does not replay.
        """
        as_of = self.as_of
        steps = self.steps
        state = self.lifecycle.initial
        table = steps[state]
        level: str | None = None
        # each running clock's stage key: [stage, start event, level, bits]
        latest: dict[str, list[Any]] = {}
        moved = meeting = reopened = False
        visit: IssueEvent | None = None
        for event in events:
            if event.date > as_of:
                continue
            step = table.get(event.kind)
            if step is None:
                raise ValueError("the history does not replay")
            state, needs, bit, staged, started, stopped, special = step
            table = steps[state]
            if needs:
                for name in needs:
                    if getattr(event, name) is None:
                        raise ValueError("the history does not replay")
            if event.level is not None:
                level = event.level
            if bit and latest:
                own = event.stage if staged else None
                if own is None:
                    for clock in latest.values():
                        clock[3] |= bit
                elif own in latest:
                    latest[own][3] |= bit
            if stopped:
                for key in stopped:
                    latest.pop(key, None)
            if started:
                for stage in started:
                    latest[stage.key] = [stage, event, level, 0]
            if special:
                if special == VISIT:
                    visit, reopened = event, False
                elif special == REOPENED:
                    reopened = True
                elif special == MEETING:
                    meeting = True
                else:
                    moved = True
        return state, level, latest, moved, meeting, visit, reopened

    def plan(self, actions: list[Action]) -> _Plan:
        """One issue's settled proposals as a plan for every issue that reads alike."""
        within = self.policy.legacy_meeting_within
        items: list[_Template | _Routed | _Meeting] = []
        for action in actions:
            if action.rule == RAISE_LEVEL.name:
                at = Action._fields.index("department")
                items.append(_Routed(action.level, action[1:at], action[at + 1 :]))
            elif action.rule == LEGACY_MEETING.name:
                items.append(_Meeting(within))
            else:
                items.append(action[1:])
        return all(type(item) is tuple for item in items), tuple(items)

    def legacy_due(self, issue: Issue) -> bool:
        """True if ``issue`` is a legacy issue due its supervision meeting."""
        if not issue.legacy:
            return False
        day = issue.raised
        due = self.legacy.get(day)
        if due is None:
            within = self.policy.legacy_meeting_within
            due = self.legacy[day] = self.calendar.add_deadline(day, within).date
        return self.as_of > due

    def actions(
        self, issue: Issue, plan: tuple[_Template | _Routed | _Meeting, ...]
    ) -> list[Action]:
        """The proposals of ``plan`` for ``issue``."""
        new = tuple.__new__
        iid = issue.id
        out: list[Action] = []
        for item in plan:
            if type(item) is tuple:
                out.append(new(Action, (iid, *item)))
            elif type(item) is _Meeting:
                fields = self.meetings.get((issue.raised, item.within))
                if fields is None:
                    made = _meeting(issue, self.as_of, item.within)
                    fields = self.meetings[issue.raised, item.within] = made[1:]
                out.append(new(Action, (iid, *fields)))
            else:
                assert isinstance(item, _Routed) and item.level is not None
                department = self._department(issue, item.level)
                out.append(new(Action, (iid, *item.head, department, *item.tail)))
        return out

    def propose(
        self, issue: Issue, events: tuple[IssueEvent, ...], node: Node | None = None
    ) -> tuple[str, list[Action]]:
        """The issue's state as of the date and what the rules propose, in rule order.

        ``events`` is the issue's history (with the actions of earlier rounds
        appended). Raises when the history does not replay. ``node``, if given,
        is where the walk through ``events`` up to the date stands: what the
        rules read is taken from it instead of walking ``events`` again.
        """
        as_of = self.as_of
        clocks: list[tuple[_Facts, int]] | None = None
        if node is None:
            state, level, latest, moved, meeting, visit, reopened = self._walk(events)
            dissatisfied = None
            if visit is not None and visit.rating is Satisfaction.DISSATISFIED and not reopened:
                dissatisfied = visit.date
        else:
            state, level, meeting, dissatisfied = node.state, node.level, node.meeting, node.visit
            clocks = self._node_clocks(node)
        rules = self.by_state[state]
        proposed: list[Action] = []
        if not rules:
            return state, proposed
        policy, cal = self.policy, self.calendar
        new = tuple.__new__
        for rule in rules:
            if rule is LEGACY_MEETING:
                if not issue.legacy or self.kinds[state] not in (StateKind.OPEN, StateKind.WAITING):
                    continue
                within = policy.legacy_meeting_within
                if meeting or as_of <= cal.add_deadline(issue.raised, within).date:
                    continue
                proposed.append(_meeting(issue, as_of, within))
                continue
            if rule is REOPEN_DISSATISFIED:
                if not policy.reopen_on_dissatisfied or self.kinds[state] is not StateKind.RESOLVED:
                    continue
                if dissatisfied is None:
                    continue
                proposed.append(_reopened(issue.id, as_of, dissatisfied))
                continue
            if rule is RAISE_LEVEL and (level is None or policy.next_level(level) is None):
                continue
            if clocks is None:
                clocks = (
                    self._clocks(issue, events, latest) if not moved else self._moved(issue, events)
                )
            if not clocks:
                continue
            if rule is YELLOW_CARD:
                for facts, held in clocks:
                    if facts.warned is not None and not held & WARNED:
                        proposed.append(new(Action, (issue.id, *facts.warned)))
            elif rule is RED_CARD:
                for facts, held in clocks:
                    if facts.marked is not None and not held & MARKED:
                        proposed.append(new(Action, (issue.id, *facts.marked)))
            elif rule is SUPERVISE:
                for facts, held in clocks:
                    if facts.supervised is not None and not held & SUPERVISED:
                        proposed.append(new(Action, (issue.id, *facts.supervised)))
                        break
            else:
                assert rule is RAISE_LEVEL and level is not None
                higher = policy.next_level(level)
                assert higher is not None
                for facts, held in clocks:
                    if facts.escalate and not held & ESCALATED:
                        proposed.append(self._escalated(issue, level, higher, facts))
                        break
        return state, proposed

    def _node_clocks(self, node: Node) -> list[tuple[_Facts, int]]:
        """:meth:`_clocks` of the running clocks of ``node``: each judged from its
        snapshot as the replay judges it (``_Builder.judge``), once per snapshot."""
        found: list[tuple[_Facts, int]] = []
        judged, walks = self.judged, self.walks
        for key, snap, held in node.clocks:
            facts = judged.get((key, snap), self)  # a snapshot knows no stage
            if facts is self:
                stage = walks.stages[key]
                snapshot = walks.snapshot_list[snap]
                b = _Builder.restore(stage, self.calendar, snapshot)
                status, late, _ = b.judge(self.policy, self.as_of)
                facts = judged[key, snap] = self._facts(stage, b.due, b.unit, status, late)
            if facts is not None:
                found.append((cast(_Facts, facts), held))
        return found

    def _clocks(
        self, issue: Issue, events: tuple[IssueEvent, ...], latest: Mapping[str, list[Any]]
    ) -> list[tuple[_Facts, int]]:
        """What the running clocks the walk found call for, with the cards each holds,
        in policy stage order; clocks that call for nothing are left out."""
        found: list[tuple[_Facts, int]] = []
        starts = self.starts
        for stage, event, level, held in latest.values():
            key = (id(event), stage.key, level)
            known = starts.get(key)
            if known is None:
                known = starts[key] = (event, self._start(issue, stage, event, level))
            if known[1] is not None:
                found.append((known[1], held))
        if len(found) > 1:
            order = self.order
            found.sort(key=lambda clock: order.get(clock[0].stage.key, 0))
        return found

    def _start(
        self, issue: Issue, stage: DeadlineStage, event: IssueEvent, level: str | None
    ) -> _Facts | None:
        """What a clock started by ``event`` at ``level`` calls for (see ``running_clocks``)."""
        known = _judge_start(
            issue,
            stage,
            0,
            event,
            level,
            None,
            self.targets,
            self.calendar,
            self.policy,
            self.as_of,
            self.memo,
        )
        return self._facts(stage, *known)

    def _moved(self, issue: Issue, events: tuple[IssueEvent, ...]) -> list[tuple[_Facts, int]]:
        """:meth:`_clocks` for a history whose due dates move (extensions, pauses)."""
        as_of = self.as_of
        found: list[tuple[_Facts, int]] = []
        for c in running_clocks(issue, self.policy, as_of, self.calendar, events, self.memo):
            facts = self._facts(c.stage, c.due, c.unit, c.status, c.late)
            if facts is None:
                continue
            held = 0
            for kind, bit, stage in (
                ("warned", WARNED, c.stage.key),
                ("marked_overdue", MARKED, c.stage.key),
                ("supervised", SUPERVISED, None),
                ("escalated", ESCALATED, None),
            ):
                if events_since(events, as_of, c.start_index, kind, stage):
                    held |= bit
            found.append((facts, held))
        return found

    def _facts(
        self, stage: DeadlineStage, due: dt.date, unit: DeadlineUnit, status: ClockStatus, late: int
    ) -> _Facts | None:
        """What a running clock with this due date, status and lateness calls for."""
        key = (stage.key, due, unit, status, late)
        if key in self.facts:
            return self.facts[key]
        facts: _Facts | None = None
        as_of, cal, policy, label = self.as_of, self.calendar, self.policy, stage.label
        if status is ClockStatus.DUE_SOON:
            left = cal.span(as_of, due, unit).days
            texts = _warned_texts(label.zh, label.en, due, unit, left)
            warned = _template("warned", YELLOW_CARD.name, as_of, stage.key, texts)
            facts = _Facts(stage, warned, None, None, False, unit, late)
        elif status is ClockStatus.OVERDUE:
            texts = _marked_texts(label.zh, label.en, due, unit, late)
            marked = _template("marked_overdue", RED_CARD.name, as_of, stage.key, texts)
            supervised = None
            after = policy.supervise_after
            if as_of > cal.add_deadline(due, after).date:
                texts = _supervised_texts(label.zh, label.en, unit, late, after)
                supervised = _template("supervised", SUPERVISE.name, as_of, stage.key, texts)
            escalate = as_of > cal.add_deadline(due, policy.escalate_after).date
            facts = _Facts(stage, None, marked, supervised, escalate, unit, late)
        self.facts[key] = facts
        return facts

    def _department(self, issue: Issue, level: str) -> str | None:
        """Where the policy routes ``issue`` at ``level``."""
        region = issue_region(issue, self.ledger)
        key = (issue.category, region, level)
        if key in self.routes:
            return self.routes[key]
        found = route(self.campaign_type, issue.category, region, self.ledger, level=level)
        self.routes[key] = found.department
        return found.department

    def _escalated(self, issue: Issue, level: str, higher: str, facts: _Facts) -> Action:
        return _escalated(
            issue.id,
            self.as_of,
            self.policy,
            level,
            higher,
            self._department(issue, higher),
            facts.stage.key,
            facts.stage.label,
            facts.unit,
            facts.late,
        )


@hookimpl
def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
    """Register the built-in rules."""
    yield from RULES
