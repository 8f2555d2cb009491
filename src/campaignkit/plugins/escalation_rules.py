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
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple, cast

from campaignkit.calendar import WorkCalendar
from campaignkit.deadlines import (
    _MOVERS,
    Clock,
    ClockStatus,
    Snapshot,
    _Builder,
    _judge_start,
    _move_clocks,
    _plan,
    clock_starters,
    deadline_text,
    running_clocks,
)
from campaignkit.escalation import Action, RuleContext, events_since
from campaignkit.hookspecs import hookimpl
from campaignkit.ledger import Ledger
from campaignkit.lifecycle import Guard, Lifecycle, Needs, StateKind
from campaignkit.model import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.policy import DeadlineStage, IssuePolicy
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
    fields: tuple[Any, ...]


class _Meeting(NamedTuple):
    """A planned supervision meeting, whose reason names the day the issue was raised."""

    within: Deadline


_Step = tuple[str, tuple[str, ...], int, bool, tuple[DeadlineStage, ...], tuple[str, ...], int]
"""Where an event leads, the fields it needs, and what the walk notes of it: the bit it
sets on the running clocks (only its own stage's?), the stages it starts and stops, and
whether it is a return visit, a reopening, a meeting or moves a due date."""

_Walked = tuple[str, "str | None", "dict[str, list[Any]]", bool, bool, "IssueEvent | None", bool]
"""State, level, running clocks, moved, meeting called, latest visit, reopened since."""


class _Node:
    """Where a walk through a history stands, as far as the built-in rules can tell.

    Walks that stand alike are one node: same state and level, running clocks
    in the same state holding the same cards, the same meeting and
    dissatisfied visit. ``next`` remembers where each effect
    (:meth:`_Walks._effect`) leads, ``after`` where each event seen leads.
    Nothing in a node depends on the evaluation date: what the rules propose
    for an issue that ends here is :attr:`FastRules.plans`.
    """

    __slots__ = ("after", "clocks", "level", "meeting", "next", "state", "visit")

    def __init__(
        self,
        state: str,
        level: str | None,
        clocks: tuple[tuple[str, int, int], ...],
        meeting: bool,
        visit: dt.date | None,
    ) -> None:
        self.state = state
        self.level = level
        self.clocks = clocks
        """The running clocks in policy stage order: stage key, the number of its
        snapshot (due date and pause: :meth:`FastRules._snapshot`), the cards it holds."""
        self.meeting = meeting
        self.visit = visit
        """The date of the latest return visit, if it was dissatisfied and no reopening
        followed."""
        self.next: dict[int, _Node] = {}
        """Where each effect leads."""
        self.after: dict[int, _Node] = {}
        """Where each event seen (by identity) leads."""


_Plan = tuple[bool, tuple["_Template | _Routed | _Meeting", ...]]
"""An issue's settled proposals without its id: True if every item is an action's fields
after ``issue`` (none needs the issue's routing or raising date)."""

_WARNED, _MARKED, _SUPERVISED, _ESCALATED = 1, 2, 4, 8
"""A running clock's bits: an event of that kind follows its start (``events_since``)."""
_VISIT, _REOPENED, _MEETING, _MOVED = 1, 2, 3, 4
_NOTHING = (0, False, (), (), 0)
"""The other event kinds the one walk notes."""
_NONE: tuple[DeadlineStage, ...] = ()


class _Walks:
    """The walks through one ledger's histories, shared by all its evaluations.

    A node (:class:`_Node`) and the steps between nodes follow from the
    lifecycle, the policy and the calendar alone, not from the evaluation
    date, so one graph serves every date: an evaluation as of a date walks each
    history up to that date. :meth:`index` remembers where each whole history
    ends, so a later evaluation (another date, or the same again) looks up the
    node of every issue whose last event is on or before its date instead of
    walking it again. Kept with the ledger (:func:`_walks`): a ledger never
    changes, and a changed one (``Ledger.with_events``) is a new ledger.
    """

    def __init__(self, lifecycle: Lifecycle, policy: IssuePolicy, calendar: WorkCalendar) -> None:
        self.lifecycle = lifecycle
        self.policy = policy
        self.calendar = calendar
        # each state's allowed event kinds: the state they lead to and the fields they need
        self.moves: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
            state.key: {
                kind: _move(lifecycle.next_state(state.key, kind))
                for kind in lifecycle.allowed(state.key)
            }
            for state in lifecycle.states
        }
        # what the walk notes of each event kind: the bit it sets on the running clocks
        # (and whether only on its own stage's), the stages it starts and stops, and more
        bits = {"warned": _WARNED, "marked_overdue": _MARKED}
        bits |= {"supervised": _SUPERVISED, "escalated": _ESCALATED}
        special = {"return_visit": _VISIT, "reopened": _REOPENED, "meeting_called": _MEETING}
        starts, stops, self.targets = _plan(policy)
        self.noted: dict[str, tuple[int, bool, tuple[DeadlineStage, ...], tuple[str, ...], int]] = {
            kind: (
                bits.get(kind, 0),
                kind in ("warned", "marked_overdue"),
                starts.get(kind, _NONE),
                stops.get(kind, ()),
                special.get(kind, 0),
            )
            for kind in {*bits, *special, *starts}
            if kind not in _MOVERS
        }
        self.order = {s.key: i for i, s in enumerate(policy.stages)}
        # for each state, where each allowed event kind leads, with what the walk notes of it
        self.steps: dict[str, dict[str, _Step]] = {
            state: {
                kind: (
                    *move,
                    *self.noted.get(kind, (0, False, _NONE, (), _MOVED * (kind in _MOVERS))),
                )
                for kind, move in allowed.items()
            }
            for state, allowed in self.moves.items()
        }
        self.needs = {
            kind: tuple(
                sorted({n for moves in self.moves.values() for n in moves.get(kind, ("", ()))[1]})
            )
            for kind in lifecycle.event_kinds
        }
        """For each event kind, every field a move on it may need."""
        self.effects: dict[int, int] = {}
        """What the rules read of each event seen (by identity), as a number."""
        self.effect_ids: dict[Any, int] = {}
        self.effect_list: list[Any] = []
        self.seen: list[IssueEvent] = []
        self.nodes: dict[Any, _Node] = {}
        self.root = _Node(lifecycle.initial, None, (), False, None)
        self.started: dict[tuple[str, int, str | None], int] = {}
        """Clocks as they start, by stage, effect of the start event and level."""
        self.snapshot_ids: dict[Snapshot, int] = {}
        self.snapshot_list: list[Snapshot] = []
        self.stages = {stage.key: stage for stage in policy.stages}
        self.lock = threading.Lock()
        """Held while a step is worked out, so that evaluations in several threads
        number effects, nodes and snapshots alike."""
        self.ends: list[_Node | None] | None = None
        self.lasts: list[dt.date] = []

    def index(self, issues: Sequence[Issue]) -> tuple[list[_Node | None], list[dt.date]]:
        """Each issue's node after its whole history, and the date of its last event.

        Built on first use, by position. The node is None for a history that does
        not replay or whose events are not in date order (such an issue is walked
        as of each evaluation's date, as before).
        """
        if self.ends is not None:
            return self.ends, self.lasts
        root, after = self.root, self.after
        ends: list[_Node | None] = []
        lasts: list[dt.date] = []
        add_end, add_last = ends.append, lasts.append
        low = dt.date.min
        for issue in issues:
            node = root
            previous = low
            try:
                for event in issue.events:
                    day = event.date
                    if day < previous:
                        raise ValueError("the events are not in date order")
                    previous = day
                    step = node.after.get(id(event))
                    node = step if step is not None else after(node, event)
            except Exception:  # noqa: BLE001 - walked as of each date instead
                add_end(None)
            else:
                add_end(node)
            add_last(previous)
        self.lasts = lasts
        self.ends = ends
        return ends, lasts

    def after(self, node: _Node, event: IssueEvent) -> _Node:
        """Where ``event`` leads from ``node`` (remembered in the node's ``after``).

        A walk looks a step up in ``node.after`` first (by the event's identity:
        equal events are one object within a load) and calls this when it is
        not there. The event is read as an effect (once per event: what the
        rules read of it) and the step on that effect looked up, or worked out
        (once per node and effect). Raises when the history does not replay.
        """
        with self.lock:
            effect = self.effects.get(id(event))
            if effect is None:
                effect = self._effect(event)
            step = node.next.get(effect)
            found = step if step is not None else self._step(node, effect)
            node.after[id(event)] = found
            return found

    def _effect(self, event: IssueEvent) -> int:
        """What the rules read of ``event``, as a number."""
        kind = event.kind
        missing = tuple(n for n in self.needs.get(kind, ()) if getattr(event, n) is None)
        start = None
        if self.noted.get(kind, _NOTHING)[2]:
            start = (event.date, event.time, event.due, event.deadline)
        visit = (event.date, event.rating) if kind == "return_visit" else None
        moving = None
        if kind in _MOVERS:  # what ``_replay`` reads of it
            moving = (event.date, event.due, event.deadline)
        read = (kind, event.level, event.stage, missing, start, visit, moving)
        effect = self.effect_ids.get(read)
        if effect is None:
            effect = self.effect_ids[read] = len(self.effect_list)
            self.effect_list.append(read)
        self.effects[id(event)] = effect
        self.seen.append(event)  # so that its id is not another object's while in ``effects``
        return effect

    def _step(self, node: _Node, effect: int) -> _Node:
        """Where an event with this ``effect`` leads from ``node`` (remembered there).

        The clocks change as :func:`campaignkit.deadlines.running_clocks` has them
        change: stopped, started (replacing), extended, paused and resumed.
        """
        kind, event_level, event_stage, missing, _, visit, moving = self.effect_list[effect]
        step = self.steps[node.state].get(kind)
        if step is None:
            raise ValueError("the history does not replay")
        state, needs, bit, staged, started, stopped, special = step
        if any(name in missing for name in needs):
            raise ValueError("the history does not replay")
        level = event_level if event_level is not None else node.level
        clocks = node.clocks
        if bit:
            own = event_stage if staged else None
            clocks = tuple(
                (key, snap, held | bit) if own is None or own == key else (key, snap, held)
                for key, snap, held in clocks
            )
        if started or stopped:
            gone = {*stopped, *(stage.key for stage in started)}
            kept = [clock for clock in clocks if clock[0] not in gone]
            for stage in started:
                kept.append((stage.key, self._started(stage, effect, level), 0))
            if len(kept) > 1:
                order = self.order
                kept.sort(key=lambda clock: order.get(clock[0], 0))
            clocks = tuple(kept)
        dissatisfied, meeting = node.visit, node.meeting
        if special == _VISIT:
            assert visit is not None
            dissatisfied = visit[0] if visit[1] is Satisfaction.DISSATISFIED else None
        elif special == _REOPENED:
            dissatisfied = None
        elif special == _MEETING:
            meeting = True
        elif special == _MOVED:
            assert moving is not None
            day, due, deadline = moving
            event = IssueEvent(kind, day, stage=event_stage, due=due, deadline=deadline)
            clocks = self._moved_clocks(clocks, event)
        key = (state, level, clocks, meeting, dissatisfied)
        found = self.nodes.get(key)
        if found is None:
            found = self.nodes[key] = _Node(state, level, clocks, meeting, dissatisfied)
        node.next[effect] = found
        return found

    def _moved_clocks(
        self, clocks: tuple[tuple[str, int, int], ...], event: IssueEvent
    ) -> tuple[tuple[str, int, int], ...]:
        """The clocks after an extension, a pause or a resumption, moved as the replay
        moves them."""
        stages, snapshots, cal = self.stages, self.snapshot_list, self.calendar
        running = {
            key: _Builder.restore(stages[key], cal, snapshots[snap]) for key, snap, _ in clocks
        }
        _move_clocks(self.policy, running, event)
        return tuple(
            (key, self._snapshot(running[key].snapshot()), held) for key, _, held in clocks
        )

    def _started(self, stage: DeadlineStage, effect: int, level: str | None) -> int:
        """A clock of ``stage`` started by an event with this ``effect``, at ``level``
        (the number of its snapshot: see :meth:`_snapshot`)."""
        key = (stage.key, effect, level)
        found = self.started.get(key)
        if found is not None:
            return found
        kind, _, event_stage, _, start, _, _ = self.effect_list[effect]
        assert start is not None
        day, time, due, deadline = start
        explicit = stage.key == (event_stage if event_stage is not None else self.targets[kind])
        event = IssueEvent(kind, day, time=time, stage=event_stage, due=due, deadline=deadline)
        b = _Builder(None, stage, 0, event, level, None, explicit, self.calendar, False)
        found = self.started[key] = self._snapshot(b.snapshot())
        return found

    def _snapshot(self, snapshot: Snapshot) -> int:
        """The number of a clock's snapshot (equal snapshots, one number)."""
        found = self.snapshot_ids.get(snapshot)
        if found is None:
            found = self.snapshot_ids[snapshot] = len(self.snapshot_list)
            self.snapshot_list.append(snapshot)
        return found


def _walks(ledger: Ledger, campaign_type: CampaignType, calendar: WorkCalendar) -> _Walks:
    """The walks through ``ledger``'s histories for this campaign type and calendar.

    Kept with the ledger, by the identity of the lifecycle, the policy and the
    calendars (each kept alive by the walks, so an identity is never another
    object's).
    """
    store = cast("dict[tuple[int, ...], _Walks]", ledger._cached("escalation_walks", dict))
    lifecycle, policy = campaign_type.lifecycle, campaign_type.policy
    key = (id(lifecycle), id(policy), *map(id, calendar.calendars))
    found = store.get(key)
    if found is None:
        found = store[key] = _Walks(lifecycle, policy, calendar)
    return found


class FastRules:
    """The built-in rules evaluated together, with the same results as one by one.

    Walks through histories share their steps (:meth:`after`): a node stands
    for what the rules can tell of a history so far (state, level, running
    clocks with their due dates and the cards they hold, meeting, dissatisfied
    visit), and a step from a node on an event is worked out once. Issues
    whose walks end at the same node get alike proposals in every round, so
    the engine settles one of them round by round (:meth:`propose` reads one
    history in one walk and runs only the rules the state allows) and gives
    the others its :meth:`plan`, each with its own id, routing and meeting
    reason (:meth:`actions`).

    :meth:`applies` says when this may stand in for calling the rules one by
    one: every rule is a built-in one under its own name, the lifecycle's
    guards are the built-in field checks and the calendars are the built-in
    one, so no plugin code runs. The engine falls back to calling the rules on
    an issue for which :meth:`propose` raises.
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
        self.walks = walks = _walks(ledger, campaign_type, calendar)
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
        self.legacy: dict[dt.date, dt.date] = {}
        """When a legacy issue raised on a day is due its supervision meeting."""
        self.plans: tuple[dict[_Node, _Plan], dict[_Node, _Plan]] = ({}, {})
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
        return (
            all(name == rule.name and rule in RULES for name, rule in rules.items())
            and campaign_type.lifecycle.plain_guards
            and all(c is CHINA_STATUTORY for c in calendar.calendars)
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
                if special == _VISIT:
                    visit, reopened = event, False
                elif special == _REOPENED:
                    reopened = True
                elif special == _MEETING:
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
                items.append(_Routed(action.level, action[1:]))
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
                out.append(_meeting(issue, self.as_of, item.within))
            else:
                assert isinstance(item, _Routed) and item.level is not None
                fields = item.fields
                department = self._department(issue, item.level)
                out.append(new(Action, (iid, *fields[:5], department, *fields[6:])))
        return out

    def propose(self, issue: Issue, events: tuple[IssueEvent, ...]) -> tuple[str, list[Action]]:
        """The issue's state as of the date and what the rules propose, in rule order.

        ``events`` is the issue's history (with the actions of earlier rounds
        appended). Raises when the history does not replay.
        """
        as_of = self.as_of
        state, level, latest, moved, meeting, visit, reopened = self._walk(events)
        rules = self.by_state[state]
        proposed: list[Action] = []
        if not rules:
            return state, proposed
        clocks: list[tuple[_Facts, int]] | None = None
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
                if visit is None or visit.rating is not Satisfaction.DISSATISFIED or reopened:
                    continue
                proposed.append(_reopened(issue.id, as_of, visit.date))
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
                    if facts.warned is not None and not held & _WARNED:
                        proposed.append(new(Action, (issue.id, *facts.warned)))
            elif rule is RED_CARD:
                for facts, held in clocks:
                    if facts.marked is not None and not held & _MARKED:
                        proposed.append(new(Action, (issue.id, *facts.marked)))
            elif rule is SUPERVISE:
                for facts, held in clocks:
                    if facts.supervised is not None and not held & _SUPERVISED:
                        proposed.append(new(Action, (issue.id, *facts.supervised)))
                        break
            else:
                assert rule is RAISE_LEVEL and level is not None
                higher = policy.next_level(level)
                assert higher is not None
                for facts, held in clocks:
                    if facts.escalate and not held & _ESCALATED:
                        proposed.append(self._escalated(issue, level, higher, facts))
                        break
        return state, proposed

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
                ("warned", _WARNED, c.stage.key),
                ("marked_overdue", _MARKED, c.stage.key),
                ("supervised", _SUPERVISED, None),
                ("escalated", _ESCALATED, None),
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
