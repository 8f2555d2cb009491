"""Walks through issue histories, shared by validation and the built-in escalation rules.

A walk reads a history event by event into a :class:`Node`: everything the
built-in rules can tell of it (state, level, running clocks with their due
dates and the cards they hold, supervision meeting, dissatisfied visit).
Equal events are one object within a load, so a step from a node on an
event is worked out once and then looked up by the event's identity.

Nothing in a node depends on an evaluation date, so one graph serves every
date, and the node where each whole history ends (the index: ``Walks.ends``
and ``Walks.lasts``) is worth keeping. Validation walks every history anyway:
given the calendar, it walks them through nodes of its own and keeps them,
index included, with the ledger (:func:`keep`); otherwise the first
evaluation builds the index (:meth:`Walks.index`). An evaluation, and the
summary's deadline flags, then look an issue's node up instead of walking its
history again.

Only where :func:`applies`: the lifecycle's guards are the built-in field
checks and every calendar is pure, so no plugin code that could hang runs in a step.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from typing import Any, cast

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.deadlines import _MOVERS, Snapshot, _Builder, _move_clocks, _plan
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import Guard, Lifecycle, Needs
from campaignkit.rules.policy import DeadlineStage, IssuePolicy
from campaignkit.rules.records import CampaignType

__all__ = [
    "ESCALATED",
    "MARKED",
    "SUPERVISED",
    "WARNED",
    "DoesNotReplay",
    "Node",
    "Walks",
    "applies",
    "indexed_walks",
    "keep",
    "walks_for",
]


class DoesNotReplay(ValueError):
    """A history's event may not happen where the walk stands (the lifecycle refuses it)."""


def applies(campaign_type: CampaignType, calendar: WorkCalendar) -> bool:
    """True if walks may stand in for replaying histories under ``campaign_type`` and
    ``calendar``: the lifecycle's guards are the built-in field checks, every calendar
    is :attr:`~campaignkit.rules.records.WorkdayCalendar.pure` (no plugin code that
    could hang runs in a step), and no extension, pause or resumption starts or stops
    a clock (a walk only moves clocks on those)."""
    starts, stops, _ = _plan(campaign_type.policy)
    return (
        campaign_type.lifecycle.plain_guards
        and all(c.pure for c in calendar.calendars)
        and not any(starts.get(kind) or stops.get(kind) for kind in _MOVERS)
    )


Step = tuple[str, tuple[str, ...], int, bool, tuple[DeadlineStage, ...], tuple[str, ...], int]
"""Where an event leads, the fields it needs, and what the walk notes of it: the bit it
sets on the running clocks (only its own stage's?), the stages it starts and stops, and
whether it is a return visit, a reopening, a meeting or moves a due date."""


class Node:
    """Where a walk through a history stands, as far as the built-in rules can tell.

    Walks that stand alike are one node: same state and level, running clocks
    in the same state holding the same cards, the same meeting and
    dissatisfied visit, and alike in whether a clock of the policy's on-time
    stage ended after its due date. ``next`` remembers where each effect
    (``Walks._effect``) leads, ``after`` where each event seen leads.
    Nothing in a node depends on the evaluation date: what the rules propose
    for an issue that ends here is :attr:`FastRules.plans`.
    """

    __slots__ = (
        "after",
        "clocks",
        "get",
        "level",
        "meeting",
        "missed",
        "next",
        "rules",
        "state",
        "visit",
    )

    def __init__(
        self,
        state: str,
        level: str | None,
        clocks: tuple[tuple[str, int, int], ...],
        meeting: bool,
        visit: dt.date | None,
        missed: bool = False,
        rules: Node | None = None,
    ) -> None:
        self.state = state
        self.level = level
        self.clocks = clocks
        """The running clocks in policy stage order: stage key, the number of its
        snapshot (due date and pause: ``Walks._snapshot``), the cards it holds."""
        self.meeting = meeting
        self.visit = visit
        """The date of the latest return visit, if it was dissatisfied and no reopening
        followed."""
        self.missed = missed
        """True if a clock of the policy's on-time stage was stopped or replaced after
        its due date (not paused in time): the issue was not handled on time."""
        self.rules: Node = rules or self
        """The node alike in all the rules read (:attr:`missed` aside): issues at either
        get the same proposals."""
        self.next: dict[int, Node] = {}
        """Where each effect leads."""
        self.after: dict[int, Node] = {}
        """Where each event seen (by identity) leads."""
        self.get: Callable[[int], Node | None] = self.after.get
        """``after.get``: a walk that also steps through dictionaries (validation's
        lifecycle tables) looks a step up in either the same way."""


_NodeKey = tuple[str, "str | None", tuple[tuple[str, int, int], ...], bool, "dt.date | None", bool]
"""A node's state, level, clocks, meeting, dissatisfied visit and missed deadline."""

WARNED, MARKED, SUPERVISED, ESCALATED = 1, 2, 4, 8
"""A running clock's bits: an event of that kind follows its start (``events_since``)."""
VISIT, REOPENED, MEETING, MOVED = 1, 2, 3, 4
_NOTHING = (0, False, (), (), 0)
"""The other event kinds the one walk notes."""
_NONE: tuple[DeadlineStage, ...] = ()


class Walks:
    """The walks through one ledger's histories, shared by all its evaluations.

    A node (:class:`Node`) and the steps between nodes follow from the
    lifecycle, the policy and the calendar alone, not from the evaluation
    date, so one graph serves every date: an evaluation as of a date walks each
    history up to that date. :meth:`index` remembers where each whole history
    ends, so a later evaluation (another date, or the same again) looks up the
    node of every issue whose last event is on or before its date instead of
    walking it again. Kept with the ledger (:func:`walks_for`): a ledger never
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
        bits = {"warned": WARNED, "marked_overdue": MARKED}
        bits |= {"supervised": SUPERVISED, "escalated": ESCALATED}
        special = {"return_visit": VISIT, "reopened": REOPENED, "meeting_called": MEETING}
        starts, stops, self.targets = _plan(policy)
        on_time = policy.on_time
        self.on_time_key = on_time.key if on_time is not None else None
        self.ending = frozenset(
            kind
            for kind in {*starts, *stops}
            if self.on_time_key in stops.get(kind, ())
            or any(st.key == self.on_time_key for st in starts.get(kind, ()))
        )
        """The event kinds that stop or replace a clock of the on-time stage: the walk
        reads their date, to tell whether that clock ended after its due date."""
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
        self.steps: dict[str, dict[str, Step]] = {
            state: {
                kind: (
                    *move,
                    *self.noted.get(kind, (0, False, _NONE, (), MOVED * (kind in _MOVERS))),
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
        self.nodes: dict[_NodeKey, Node] = {}
        self.root = Node(lifecycle.initial, None, (), False, None)
        self.started: dict[tuple[str, int, str | None], int] = {}
        """Clocks as they start, by stage, effect of the start event and level."""
        self.snapshot_ids: dict[Snapshot, int] = {}
        self.snapshot_list: list[Snapshot] = []
        self.stages = {stage.key: stage for stage in policy.stages}
        self.lock = threading.Lock()
        """Held while a step is worked out, so that evaluations in several threads
        number effects, nodes and snapshots alike."""
        self.ends: list[Node | None] | None = None
        self.lasts: list[dt.date] = []

    def index(self, issues: Sequence[Issue]) -> tuple[list[Node | None], list[dt.date]]:
        """Each issue's node after its whole history, and the date of its last event.

        Built on first use, by position, unless validation kept it already. The
        node is None for a history that does not replay or whose events are not in
        date order, and in validation's index also for an issue it found any
        problem with or whose walk left the nodes: such an issue is walked as of
        each evaluation's date, as before.
        """
        if self.ends is not None:
            return self.ends, self.lasts
        root, after = self.root, self.after
        ends: list[Node | None] = []
        lasts: list[dt.date] = []
        add_end, add_last = ends.append, lasts.append
        for issue in issues:
            node = root
            previous = issue.raised  # as validation walks it
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

    def overdue(self, node: Node, as_of: dt.date) -> bool:
        """True if a clock running at ``node`` is overdue as of ``as_of`` (a clock paused
        in time is not), as :func:`campaignkit.derive.deadlines.deadline_flags` judges it."""
        snapshots = self.snapshot_list
        for _, snap, _ in node.clocks:
            due, _, _, paused_since, remaining = snapshots[snap]
            if as_of > due and (paused_since is None or remaining is None):
                return True
        return False

    def after(self, node: Node, event: IssueEvent) -> Node:
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
        ended = event.date if kind in self.ending else None
        read = (kind, event.level, event.stage, missing, start, visit, moving, ended)
        effect = self.effect_ids.get(read)
        if effect is None:
            effect = self.effect_ids[read] = len(self.effect_list)
            self.effect_list.append(read)
        self.effects[id(event)] = effect
        self.seen.append(event)  # so that its id is not another object's while in ``effects``
        return effect

    def _step(self, node: Node, effect: int) -> Node:
        """Where an event with this ``effect`` leads from ``node`` (remembered there).

        The clocks change as :func:`campaignkit.derive.deadlines.running_clocks` has them
        change: stopped, started (replacing), extended, paused and resumed.
        """
        kind, event_level, event_stage, missing, _, visit, moving, ended = self.effect_list[effect]
        step = self.steps[node.state].get(kind)
        if step is None:
            raise DoesNotReplay("the history does not replay")
        state, needs, bit, staged, started, stopped, special = step
        if any(name in missing for name in needs):
            raise DoesNotReplay("the history does not replay")
        level = event_level if event_level is not None else node.level
        clocks = node.clocks
        if bit:
            own = event_stage if staged else None
            clocks = tuple(
                (key, snap, held | bit) if own is None or own == key else (key, snap, held)
                for key, snap, held in clocks
            )
        missed = node.missed
        if started or stopped:
            gone = {*stopped, *(stage.key for stage in started)}
            if not missed and ended is not None and self.on_time_key in gone:
                missed = self._missed(clocks, ended)
            kept = [clock for clock in clocks if clock[0] not in gone]
            for stage in started:
                kept.append((stage.key, self._started(stage, effect, level), 0))
            if len(kept) > 1:
                order = self.order
                kept.sort(key=lambda clock: order.get(clock[0], 0))
            clocks = tuple(kept)
        dissatisfied, meeting = node.visit, node.meeting
        if special == VISIT:
            assert visit is not None
            dissatisfied = visit[0] if visit[1] is Satisfaction.DISSATISFIED else None
        elif special == REOPENED:
            dissatisfied = None
        elif special == MEETING:
            meeting = True
        elif special == MOVED:
            assert moving is not None
            day, due, deadline = moving
            event = IssueEvent(kind, day, stage=event_stage, due=due, deadline=deadline)
            clocks = self._moved_clocks(clocks, event)
        found = self._node((state, level, clocks, meeting, dissatisfied, missed))
        node.next[effect] = found
        return found

    def _node(self, key: _NodeKey) -> Node:
        """The one node that stands for ``key``: the fields of :class:`Node`, in order."""
        found = self.nodes.get(key)
        if found is None:
            rules = self._node((*key[:-1], False)) if key[-1] else None
            found = self.nodes[key] = Node(*key, rules)
        return found

    def _missed(self, clocks: tuple[tuple[str, int, int], ...], day: dt.date) -> bool:
        """True if the on-time stage's clock among ``clocks``, ended on ``day``, was
        missed: ended after its due date and not paused in time (``_Builder.status``)."""
        for key, snap, _ in clocks:
            if key == self.on_time_key:
                due, _, _, since, remaining = self.snapshot_list[snap]
                return day > due and (since is None or remaining is None)
        return False

    def on_time(self, node: Node, as_of: dt.date) -> bool:
        """True if an issue whose whole history ends at ``node`` was handled on time as of
        ``as_of``: no clock of the on-time stage missed, none running overdue (as
        :func:`campaignkit.derive.deadlines.deadline_flags` judges it)."""
        if node.missed:
            return False
        snapshots = self.snapshot_list
        for key, snap, _ in node.clocks:
            if key == self.on_time_key:
                due, _, _, since, remaining = snapshots[snap]
                return not (as_of > due and (since is None or remaining is None))
        return True

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
        (the number of its snapshot: see ``_snapshot``)."""
        key = (stage.key, effect, level)
        found = self.started.get(key)
        if found is not None:
            return found
        kind, _, event_stage, _, start, _, _, _ = self.effect_list[effect]
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


def walks_for(ledger: Ledger, campaign_type: CampaignType, calendar: WorkCalendar) -> Walks:
    """The walks through ``ledger``'s histories for this campaign type and calendar.

    Kept with the ledger, by the identity of the lifecycle, the policy and the
    calendars (each kept alive by the walks, so an identity is never another
    object's).
    """
    store = _store(ledger)
    lifecycle, policy = campaign_type.lifecycle, campaign_type.policy
    key = _key(lifecycle, policy, calendar)
    found = store.get(key)
    if found is None:
        found = store[key] = Walks(lifecycle, policy, calendar)
    return found


def keep(ledger: Ledger, walks: Walks) -> None:
    """Keep ``walks`` (with its index) with the ledger, unless it has an index already."""
    store = _store(ledger)
    key = _key(walks.lifecycle, walks.policy, walks.calendar)
    with _KEEPING:
        found = store.get(key)
        if found is None or found.ends is None:
            store[key] = walks


_KEEPING = threading.Lock()


def indexed_walks(
    ledger: Ledger, campaign_type: CampaignType, calendar: WorkCalendar
) -> Walks | None:
    """The ledger's walks if they know where each history ends (:meth:`Walks.index` or
    validation left that with the ledger), else None: nothing is built here."""
    store = ledger._cache.get(_KEPT)
    if not isinstance(store, dict):
        return None
    found = store.get(_key(campaign_type.lifecycle, campaign_type.policy, calendar))
    return found if isinstance(found, Walks) and found.ends is not None else None


_KEPT = "escalation_walks"
"""Key in the ledger's cache of its walks, by :func:`_key`."""


def _key(lifecycle: Lifecycle, policy: IssuePolicy, calendar: WorkCalendar) -> tuple[int, ...]:
    return (id(lifecycle), id(policy), *map(id, calendar.calendars))


def _store(ledger: Ledger) -> dict[tuple[int, ...], Walks]:
    return cast("dict[tuple[int, ...], Walks]", ledger._cached(_KEPT, dict))


def _move(move: tuple[str, Guard | None]) -> tuple[str, tuple[str, ...]]:
    """A lifecycle move with its guard as the fields it needs (built-in guards only)."""
    target, guard = move
    if guard is None:
        return target, ()
    assert isinstance(guard, Needs)
    return target, guard.names
