"""The one walk through an issue's history: its derived view.

An issue's history is read event by event through its campaign type's
lifecycle and policy and a calendar. What it says comes in two parts:

- a :class:`Shape`: the state, the handling level, every running deadline
  clock as moments (:class:`~campaignkit.derive.clocks.Moments`), whether a
  clock of the on-time stage ended late, and the facts escalation rules ask
  about (a supervision meeting called, a dissatisfied return visit not yet
  reopened). Issues whose histories say alike share one shape object;
- an :class:`IssueView`: the shape with what belongs to the issue alone (its
  department, when it was assigned and resolved, and every clock with the
  events that started and ended it).

Nothing in either depends on an evaluation date: how a clock stands on a date
is read from its moments (:func:`~campaignkit.derive.clocks.judge`), so one
view serves every date on or after the issue's latest event.

A :class:`Deriver` is the only code that replays a history for its state and
clocks. Where a step's answer depends on the event alone (the lifecycle's
guards only ask for fields, every calendar is a plain lookup) it remembers
each step from each shape: equal events (within a load, one object) are
worked out once per shape they follow, and a whole ledger is read mostly by
looking steps up.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple, cast

from campaignkit.derive.calendar import DateResult, WorkCalendar, WorkdayCount
from campaignkit.derive.clocks import ClockTrack, Moments, Source, ended_late
from campaignkit.errors import TransitionError
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import IssueState, Lifecycle, State, StateKind
from campaignkit.rules.policy import DeadlineStage, IssuePolicy
from campaignkit.rules.records import Label

__all__ = [
    "CARDS",
    "MOVERS",
    "Deriver",
    "IssueView",
    "Shape",
    "StateColumns",
    "Step",
    "clock_starters",
    "latest_event_date",
    "latest_event_dates",
    "merged",
    "replay",
    "replay_all",
    "replay_columns",
]

CARDS = IssuePolicy().actions
"""The event kinds a policy keeps as marks on the running clocks they follow by default
(yellow card, red card, 督办 …): see :attr:`IssuePolicy.actions
<campaignkit.rules.policy.IssuePolicy.actions>`, which decides."""

MOVERS = frozenset({"extended", "paused", "resumed"})
"""Event kinds that move a running clock's due date."""

_new_view = tuple.__new__
"""Makes an :class:`IssueView` from its fields in order, without the keyword handling of
its generated ``__new__`` (a view is made for every issue)."""

_NOTED = frozenset({"assigned", "reopened", "escalated", "answered_on_spot"})
"""Event kinds a view counts or dates (besides ratings and departments)."""


def clock_starters(policy: IssuePolicy) -> frozenset[str]:
    """Event kinds that start a clock of ``policy``: an issue without one has no clocks."""
    return frozenset(kind for stage in policy.stages for kind in stage.start)


class Shape(NamedTuple):
    """What a history says that issues alike share (see the module)."""

    state: str
    kind: StateKind
    level: str | None
    running: tuple[Moments, ...] = ()
    """The running clocks, in the order they started (stage order within one event)."""
    missed: bool = False
    """True if a clock of the policy's on-time stage was stopped or replaced late."""
    meeting: bool = False
    """True once a supervision meeting was called (``meeting_called``)."""
    dissatisfied: dt.date | None = None
    """The date of the latest return visit, if it was dissatisfied and no reopening followed."""
    legacy: bool = False
    """True for a legacy issue (``issue.legacy``): the legacy rules ask."""


class Step(NamedTuple):
    """Where an event leads from a shape."""

    shape: Shape
    ended: tuple[tuple[int, bool], ...]
    """The running clocks (by position in the earlier shape) the event stopped, each with
    True if it replaced it by a new clock of the same stage."""
    started: int
    """How many clocks it started: the last ones of the new shape's ``running``."""
    fork: tuple[Moments, Step] | None = None
    """The clock of the policy's on-time stage the event ended, if the shape had missed
    none yet, and where the event leads if it ended that clock late (the shape marked
    missed): whether it did depends on the event's own moment
    (:func:`~campaignkit.derive.clocks.ended_late`)."""


class IssueView(NamedTuple):
    """What an issue's history says: its shape and what belongs to it alone."""

    shape: Shape
    department: str | None
    assigned_on: dt.date | None
    resolved_on: dt.date | None
    clocks: tuple[ClockTrack, ...]
    """Every clock, in the order they started (stage order within one event)."""
    answered_on_spot: bool = False
    reopened: int = 0
    ratings: tuple[Satisfaction, ...] = ()
    escalations: int = 0

    @property
    def state(self) -> str:
        return self.shape.state

    @property
    def level(self) -> str | None:
        return self.shape.level

    def issue_state(self, issue: str) -> IssueState:
        """The :class:`~campaignkit.rules.lifecycle.IssueState` this view says of ``issue``."""
        s = self.shape
        return IssueState(
            issue,
            s.state,
            s.kind,
            s.level,
            self.department,
            self.assigned_on,
            self.resolved_on,
            self.answered_on_spot,
            self.reopened,
            self.ratings,
            self.escalations,
        )


_Plan = tuple[tuple[DeadlineStage, ...], frozenset[str], "str | None"]
"""For an event kind: the stages it starts, the stages it stops, and the stage its own
``due``/``deadline`` concerns when it names none."""

_Noted = list["DateResult | WorkdayCount"]


class Deriver:
    """Derives shapes and views under one lifecycle, policy and calendar.

    Safe to share between threads. Remembers steps (see the module) when
    :attr:`remembers`; otherwise every history is walked afresh.
    """

    def __init__(
        self, lifecycle: Lifecycle | None, policy: IssuePolicy, calendar: WorkCalendar
    ) -> None:
        if lifecycle is None:  # clocks only: every event allowed, the state never moves
            lifecycle = _ANY
        self.lifecycle = lifecycle
        self.policy = policy
        self.calendar = calendar
        self.remembers = lifecycle.plain_guards and all(c.pure for c in calendar.calendars)
        """True if a step's answer depends on the event alone, so steps are remembered."""
        kinds = {k for stage in policy.stages for k in (*stage.start, *stage.stop)}
        plan: dict[str, _Plan] = {}
        for kind in kinds:
            starts = tuple(s for s in policy.stages if kind in s.start)
            stops = frozenset(s.key for s in policy.stages if kind in s.stop)
            plan[kind] = (starts, stops, starts[-1].key if starts else None)
        self.plan = plan
        self.on_time = policy.on_time.key if policy.on_time is not None else None
        self.actions = frozenset(policy.actions)
        """Event kinds kept as marks on the running clocks (the policy's actions)."""
        self.resolved = frozenset(s.key for s in lifecycle.states if s.kind is StateKind.RESOLVED)
        self.kinds = {s.key: s.kind for s in lifecycle.states}
        self.order = {s.key: i for i, s in enumerate(policy.stages)}
        self.warn_before = {s.key: policy.warn_before_for(s.key) for s in policy.stages}
        """How long before its due date each stage's clock is due soon (by stage key)."""
        self.root = Shape(lifecycle.initial, self.kinds[lifecycle.initial], None)
        self.needs = {
            kind: tuple(sorted({n for n in _needs(lifecycle, kind)}))
            for kind in lifecycle.event_kinds
        }
        """For each event kind, every field a lifecycle guard on it may ask for."""
        self.dated = frozenset({*(k for k, p in plan.items() if p[0]), *(MOVERS if plan else ())})
        """Event kinds whose date and time a step reads (a dissatisfied return visit's too;
        extensions, pauses and resumptions only where the policy has clocks to move).
        A stop reads neither: whether it ended a clock late is asked of the event itself
        (:attr:`Step.fork`), so stops on different days share their step."""
        self._effects: dict[int, int] = {}
        """What a step reads of each event seen (by id), as a number: equal numbers, equal steps."""
        self._effect_ids: dict[tuple[object, ...], int] = {}
        self._steps: dict[tuple[int, int], Step] = {}
        self.legacy = self.root._replace(legacy=True)
        """The shape a legacy issue's history starts from."""
        self._shapes: dict[Shape, Shape] = {self.root: self.root, self.legacy: self.legacy}
        self._events: list[IssueEvent] = []
        """The events stepped on, kept alive while their ids key :attr:`_steps`."""
        self._started: dict[tuple[object, ...], Moments] = {}
        self._moves: dict[tuple[object, ...], Moments] = {}
        self._lock = threading.Lock()

    @classmethod
    def of_states(cls, lifecycle: Lifecycle) -> Deriver:
        """A deriver of states alone: the lifecycle's, with no deadline clock (what
        validation walks each history with)."""
        return cls(lifecycle, _NO_CLOCKS, _NO_CALENDAR)

    def shape(
        self,
        issue: Issue,
        as_of: dt.date | None = None,
        events: Sequence[IssueEvent] | None = None,
        start: Shape | None = None,
    ) -> Shape:
        """The shape of ``issue`` after its history (or ``events``, from ``start``),
        leaving out events dated after ``as_of``.

        Raises :class:`~campaignkit.errors.TransitionError` at the first event the
        lifecycle refuses (its ``position`` says where in the events walked), and what
        calendar arithmetic raises.
        """
        shape = start or (self.legacy if issue.legacy else self.root)
        steps, effects = self._steps, self._effects
        for position, event in enumerate(issue.events if events is None else events):
            if as_of is not None and event.date > as_of:
                continue
            effect = effects.get(id(event))
            found = steps.get((id(shape), effect)) if effect is not None else None
            if found is None:
                try:
                    found = self.step(shape, event, issue)
                except TransitionError as exc:
                    exc.position = position
                    raise
            fork = found.fork
            if fork is not None and ended_late(fork[0], event.date, event.time):
                found = fork[1]
            shape = found.shape
        return shape

    def view(
        self,
        issue: Issue,
        as_of: dt.date | None = None,
        *,
        events: Sequence[IssueEvent] | None = None,
        tracks: bool = True,
    ) -> IssueView:
        """The view of ``issue`` after its history (or ``events`` in its place), leaving
        out events dated after ``as_of``. Without ``tracks`` its ``clocks`` are left
        empty (the clocks' moments are still in its shape): for the state facts alone.

        Raises as :meth:`shape` does.
        """
        shape = self.legacy if issue.legacy else self.root
        department: str | None = None
        assigned_on: dt.date | None = None
        resolved_on: dt.date | None = None
        running: list[tuple[int, IssueEvent, str | None]] = []
        ended: list[ClockTrack] = []
        on_spot, reopened, escalations = False, 0, 0
        ratings: list[Satisfaction] | None = None
        resolved, rated, noted = self.resolved, self.lifecycle.rated, _NOTED
        effect_of, step_of = self._effects.get, self._steps.get
        for index, event in enumerate(issue.events if events is None else events):
            day = event.date
            if as_of is not None and day > as_of:
                continue
            effect = effect_of(id(event))
            step = step_of((id(shape), effect)) if effect is not None else None
            if step is None:
                try:
                    step = self.step(shape, event, issue)
                except TransitionError as exc:
                    exc.position = index
                    raise
            fork = step.fork
            if fork is not None and ended_late(fork[0], day, event.time):
                step = fork[1]
            if event.department is not None:
                department = event.department
            kind = event.kind
            if kind in noted:
                if kind == "assigned":
                    if assigned_on is None:
                        assigned_on = day
                elif kind == "reopened":
                    resolved_on = None
                    reopened += 1
                elif kind == "escalated":
                    escalations += 1
                else:  # answered on the spot
                    on_spot = True
            rating = event.rating
            if rating is not None and (rated is None or kind in rated):
                # a rating another kind carries is not counted
                if ratings is None:
                    ratings = [rating]
                else:
                    ratings.append(rating)
            if tracks:
                if step.ended:
                    gone = set()
                    for pos, replaced in step.ended:
                        at, start, dept = running[pos]
                        moments = shape.running[pos]
                        ended.append(ClockTrack(moments, at, start, dept, index, event, replaced))
                        gone.add(pos)
                    running = [r for pos, r in enumerate(running) if pos not in gone]
                if step.started:
                    running.extend((index, event, department) for _ in range(step.started))
            shape = step.shape
            if resolved_on is None and shape.state in resolved:
                resolved_on = day
        clocks = ended
        if running:
            clocks.extend(
                ClockTrack(moments, at, start, dept)
                for moments, (at, start, dept) in zip(shape.running, running, strict=True)
            )
        if len(clocks) > 1:
            order = self.order
            clocks.sort(key=lambda c: (c.start_index, order.get(c.moments.stage, 0)))
        return _new_view(
            IssueView,
            (
                shape,
                department,
                assigned_on,
                resolved_on,
                tuple(clocks) if clocks else (),
                on_spot,
                reopened,
                tuple(ratings) if ratings else (),
                escalations,
            ),
        )

    def step(self, shape: Shape, event: IssueEvent, issue: Issue) -> Step:
        """Where ``event`` (of ``issue``) leads from ``shape``: for a step that judges a
        clock, where it leads if the clock ended in time (see :attr:`Step.fork`)."""
        if not self.remembers:
            return self._step(shape, event, issue)
        with self._lock:
            effect = self._effects.get(id(event))
            if effect is None:
                effect = self._effect(event)
            key = (id(shape), effect)
            found = self._steps.get(key)
            if found is None:
                found = self._steps[key] = self._step(shape, event, issue)
            return found

    def _effect(self, event: IssueEvent) -> int:
        """The number of what a step reads of ``event`` (remembered by the event's id)."""
        kind = event.kind
        missing = tuple(n for n in self.needs.get(kind, ()) if getattr(event, n) is None)
        dissatisfied = event.rating is Satisfaction.DISSATISFIED
        read: tuple[object, ...] = (kind, event.level, event.stage, dissatisfied, missing)
        if kind in self.dated or dissatisfied:
            read = (*read, event.date, event.time, event.due, event.deadline)
        effect = self._effect_ids.setdefault(read, len(self._effect_ids))
        self._effects[id(event)] = effect
        self._events.append(event)
        return effect

    def _step(self, shape: Shape, event: IssueEvent, issue: Issue) -> Step:
        lifecycle = self.lifecycle
        state = shape.state if lifecycle is _ANY else lifecycle.step(issue, shape.state, event)
        kind = event.kind
        level = event.level if event.level is not None else shape.level
        running = shape.running
        judged: Moments | None = None
        ended: list[tuple[int, bool]] = []
        started: list[Moments] = []
        plan = self.plan.get(kind)
        if plan is not None:
            starts, stops, target = plan
            restarted = {s.key for s in starts}
            for pos, clock in enumerate(running):
                if clock.stage in stops:
                    ended.append((pos, False))
                elif clock.stage in restarted:
                    ended.append((pos, True))
            if not shape.missed:
                for pos, _ in ended:
                    if running[pos].stage == self.on_time:
                        judged = running[pos]
                        break
            explicit = event.stage if event.stage is not None else target
            started = [self._start(stage, event, level, stage.key == explicit) for stage in starts]
        kept = list(running)
        if ended:
            gone = {pos for pos, _ in ended}
            kept = [clock for pos, clock in enumerate(running) if pos not in gone]
        if kind in self.actions and kept:
            mark = (kind, event.stage)
            kept = [c if mark in c.marks else c._replace(marks=(*c.marks, mark)) for c in kept]
        clocks = [*kept, *started]
        if kind in MOVERS and clocks:
            self._move(clocks, event)
        dissatisfied = shape.dissatisfied
        if kind == "reopened":
            dissatisfied = None
        elif kind == "return_visit":
            dissatisfied = event.date if event.rating is Satisfaction.DISSATISFIED else None
        made = Shape(
            state,
            self.kinds[state],
            level,
            tuple(clocks),
            shape.missed,
            shape.meeting or kind == "meeting_called",
            dissatisfied,
            shape.legacy,
        )
        ends = tuple(ended)
        if self.remembers:  # alike shapes, one object
            made = self._shapes.setdefault(made, made)
        if judged is None:
            return Step(made, ends, len(started))
        missed = made._replace(missed=True)
        if self.remembers:
            missed = self._shapes.setdefault(missed, missed)
        return Step(made, ends, len(started), (judged, Step(missed, ends, len(started))))

    def _start(
        self, stage: DeadlineStage, event: IssueEvent, level: str | None, explicit: bool
    ) -> Moments:
        """The moments of a clock of ``stage`` started by ``event`` at ``level``."""
        key = (
            stage.key,
            event.date,
            event.time,
            level,
            explicit and event.due,
            explicit and event.deadline,
        )
        found = self._started.get(key)
        if found is not None:
            return found
        names: _Noted = []
        source: Source
        limit: Deadline | None
        if explicit and event.due is not None:
            source, limit, unit = "due", None, DeadlineUnit.WORKING_DAYS
            due, due_at = event.due, None
        else:
            if explicit and event.deadline is not None:
                source, limit = "deadline", event.deadline
            else:
                source, limit = "policy", stage.limit_for(level)
            start: dt.date | dt.datetime = (
                dt.datetime.combine(event.date, event.time) if event.time else event.date
            )
            result = self.calendar.add_deadline(start, limit)
            names.append(result)
            unit, due, due_at = limit.unit, result.date, result.at
        warn = self._warn(stage.key, due, due_at, names)
        calendars, fallback = merged((), (), names)
        found = Moments(
            stage.key, level, source, limit, unit, due, due_at, warn, 0, None, None, (),
            calendars, fallback,
        )  # fmt: skip
        if self.remembers:
            self._started[key] = found
        return found

    def _warn(self, stage: str, due: dt.date, due_at: dt.datetime | None, names: _Noted) -> dt.date:
        """The date from which a clock of ``stage`` due then is due soon (the stage's
        ``warn_before`` ahead of it: see
        :meth:`~campaignkit.rules.policy.IssuePolicy.warn_before_for`)."""
        ahead = self.warn_before.get(stage) or self.policy.warn_before
        found = self.calendar.add_deadline(due_at or due, ahead, backwards=True)
        names.append(found)
        return found.date

    def _move(self, clocks: list[Moments], event: IssueEvent) -> None:
        """Move the running clocks' due dates for an extension (of its stage's clock, or
        the last running stage's), a pause or a resumption (of every clock)."""
        if event.kind == "extended":
            target = event.stage
            if target is None:
                known = {c.stage for c in clocks}
                keys = [k for k in self.order if k in known]
                target = keys[-1] if keys else None
            for i, c in enumerate(clocks):
                if c.stage == target:
                    clocks[i] = self._moved(c, event)
            return
        for i, c in enumerate(clocks):
            clocks[i] = self._moved(c, event)

    def _moved(self, clock: Moments, event: IssueEvent) -> Moments:
        """``clock`` moved by an extension, a pause or a resumption (remembered: clocks
        alike moved alike)."""
        key = (clock, event.kind, event.date, event.due, event.deadline)
        found = self._moves.get(key) if self.remembers else None
        if found is None:
            found = self._move_one(clock, event)
            if self.remembers:
                self._moves[key] = found
        return found

    def _move_one(self, c: Moments, event: IssueEvent) -> Moments:
        kind, day = event.kind, event.date
        cal = self.calendar
        names: _Noted = []
        if kind == "extended":
            due, due_at = c.due, c.due_at
            if event.due is not None:
                due, due_at = event.due, None
            elif event.deadline is not None:
                result = cal.add_deadline(c.due_at or c.due, event.deadline)
                names.append(result)
                due, due_at = result.date, result.at
            remaining = c.remaining
            if c.paused_since is not None:  # stopped: what is left from the pause, if any
                remaining = None
                if c.paused_since <= due:
                    counted = cal.span(c.paused_since, due, c.unit)
                    names.append(counted)
                    remaining = counted.days
            warn = self._warn(c.stage, due, due_at, names)
            moved = c._replace(
                due=due,
                due_at=due_at,
                warn_from=warn,
                remaining=remaining,
                extensions=c.extensions + 1,
            )
            return _provenance(moved, names)
        if kind == "paused":
            if c.unit is DeadlineUnit.HOURS or c.paused_since is not None:
                return c
            left = None
            if day <= c.due:  # not yet overdue (on its due date: nothing left, but in time)
                counted = cal.span(day, c.due, c.unit)
                names.append(counted)
                left = counted.days
            return _provenance(c._replace(paused_since=day, remaining=left), names)
        if c.paused_since is None:  # resumed, but not paused
            return c
        moved = c._replace(paused_since=None, remaining=None)
        stopped = cal.span(c.paused_since, day, c.unit)
        names.append(stopped)
        if c.remaining is not None and stopped.days:  # a pause of no working day moves nothing
            shifted = cal.shift(day, c.remaining, c.unit)
            names.append(shifted)
            warn = self._warn(c.stage, shifted.date, None, names)
            moved = moved._replace(due=shifted.date, due_at=None, warn_from=warn)
        return _provenance(moved, names)


_ANY = Lifecycle("any", (State("any", StateKind.OPEN, Label("", "")),), ())
"""The lifecycle of a deriver that follows clocks only."""


def _needs(lifecycle: Lifecycle, kind: str) -> set[str]:
    """The fields the lifecycle's guards on ``kind`` ask for (none but built-in guards
    when steps are remembered)."""
    names: set[str] = set()
    for state in lifecycle.states:
        if lifecycle.allows(state.key, kind):
            guard = lifecycle.next_state(state.key, kind)[1]
            names.update(getattr(guard, "names", ()))
    return names


def merged(
    calendars: tuple[str, ...],
    fallback: tuple[dt.date, ...],
    results: Sequence[DateResult | WorkdayCount],
) -> tuple[tuple[str, ...], tuple[dt.date, ...]]:
    """``calendars`` and ``fallback`` days with those of ``results`` (calendar answers)
    added: names in the order first used, days sorted."""
    names = list(calendars)
    days = set(fallback)
    for result in results:
        for name in result.calendars:
            if name not in names:
                names.append(name)
        days.update(result.fallback_days)
    return tuple(names), tuple(sorted(days))


def _provenance(clock: Moments, results: _Noted) -> Moments:
    """``clock`` with the calendars and fallback days of ``results`` added."""
    if not any(r.calendars or r.fallback_days for r in results):
        return clock
    calendars, fallback = merged(clock.calendars, clock.fallback_days, results)
    return clock._replace(calendars=calendars, fallback_days=fallback)


_NO_CLOCKS = IssuePolicy(stages=())
_NO_CALENDAR = WorkCalendar()


class StateColumns(NamedTuple):
    """Every issue's derived state as columns, by position: the fields of
    :class:`~campaignkit.rules.lifecycle.IssueState` after ``issue``, in its order."""

    state: list[str]
    kind: list[StateKind]
    level: list[str | None]
    department: list[str | None]
    assigned_on: list[dt.date | None]
    resolved_on: list[dt.date | None]
    answered_on_spot: list[bool]
    reopened: list[int]
    ratings: list[tuple[Satisfaction, ...]]
    escalations: list[int]

    @classmethod
    def empty(cls) -> StateColumns:
        """Columns of no issue yet (see :meth:`add`)."""
        return cls([], [], [], [], [], [], [], [], [], [])

    def add(
        self,
        view: IssueView,
        shared: dict[tuple[Satisfaction, ...], tuple[Satisfaction, ...]] | None = None,
    ) -> None:
        """Append what ``view`` says of its issue; its ratings, if any, as the equal tuple
        already in ``shared`` (kept there otherwise), so that many issues hold one."""
        shape = view.shape
        self.state.append(shape.state)
        self.kind.append(shape.kind)
        self.level.append(shape.level)
        self.department.append(view.department)
        self.assigned_on.append(view.assigned_on)
        self.resolved_on.append(view.resolved_on)
        self.answered_on_spot.append(view.answered_on_spot)
        self.reopened.append(view.reopened)
        ratings = view.ratings
        if ratings and shared is not None:
            ratings = shared.setdefault(ratings, ratings)
        self.ratings.append(ratings)
        self.escalations.append(view.escalations)

    def put(
        self,
        n: int,
        view: IssueView,
        shared: dict[tuple[Satisfaction, ...], tuple[Satisfaction, ...]] | None = None,
    ) -> None:
        """Put what ``view`` says of its issue at position ``n`` (as :meth:`add` appends it)."""
        row = StateColumns.empty()
        row.add(view, shared)
        for column, value in zip(self, row, strict=True):
            cast("list[object]", column)[n] = cast("list[object]", value)[0]


def replay(
    issue: Issue, lifecycle: Lifecycle, events: Sequence[IssueEvent] | None = None
) -> IssueState:
    """The state ``issue``'s history (or ``events``) leads to through ``lifecycle``.

    Raises :class:`~campaignkit.errors.TransitionError` on the first event the
    lifecycle does not allow. One issue at a time: to replay many, hold one
    :meth:`Deriver.of_states` (or use :func:`replay_all`), which works out each step
    once.
    """
    return Deriver.of_states(lifecycle).view(issue, events=events).issue_state(issue.id)


def replay_all(
    issues: Iterable[Issue], lifecycle: Lifecycle, as_of: dt.date | None = None
) -> list[IssueState]:
    """:func:`replay` of each issue, with the events dated after ``as_of`` left out."""
    deriver = Deriver.of_states(lifecycle)
    return [deriver.view(issue, as_of).issue_state(issue.id) for issue in issues]


_DATE = attrgetter("date")


def latest_event_date(issue: Issue) -> dt.date:
    """The date of the issue's latest event (of its raising if it has none): as of that
    date or later its whole history counts. Its events may be out of date order (a
    ledger nobody validated)."""
    return max(map(_DATE, issue.events), default=issue.raised)


def latest_event_dates(issues: Iterable[Issue], *, ordered: bool = False) -> list[dt.date]:
    """:func:`latest_event_date` of each issue, in order. ``ordered``: every history is known
    to be in date order (validated), so its last event is its latest."""
    if ordered:
        return [i.events[-1].date if i.events else i.raised for i in issues]
    return list(map(latest_event_date, issues))


def replay_columns(
    issues: Iterable[Issue],
    lifecycle: Lifecycle,
    as_of: dt.date | None = None,
    known: StateColumns | None = None,
    latest: Sequence[dt.date] | None = None,
) -> StateColumns:
    """:func:`replay_all` as columns, without an object per issue.

    ``known`` holds, by position, what each issue's whole history says (kept where it was
    derived, such as a store's columns): an issue whose latest event is on or before
    ``as_of`` (every issue, without ``as_of``) is read from it, not replayed. ``latest``
    gives those dates by position where they are known (:func:`latest_event_dates`); without
    it they are read from the events.
    """
    view = Deriver.of_states(lifecycle).view
    shared: dict[tuple[Satisfaction, ...], tuple[Satisfaction, ...]] = {}
    if known is None:
        columns = StateColumns.empty()
        add = columns.add
        for issue in issues:
            add(view(issue, as_of, tracks=False), shared)
        return columns
    issues = list(issues)
    if len(known.state) != len(issues):
        raise ValueError(f"{len(known.state)} known states for {len(issues)} issues")
    columns = StateColumns(*cast("list[list[Any]]", [list(column) for column in known]))
    if as_of is not None:
        if latest is None:
            latest = latest_event_dates(issues)
        elif len(latest) != len(issues):
            raise ValueError(f"{len(latest)} latest dates for {len(issues)} issues")
        for n in [n for n, day in enumerate(latest) if day > as_of]:
            columns.put(n, view(issues[n], as_of, tracks=False), shared)
    return columns
