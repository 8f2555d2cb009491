"""Deadline clocks derived from an issue's history and its campaign type's policy.

A policy (:class:`~campaignkit.rules.policy.IssuePolicy`) has deadline stages, e.g.
first response and resolution. For each stage a clock starts at one of the
stage's ``start`` events and stops at one of its ``stop`` events; a new start
event (an escalation, a reopening) replaces the running clock with a new one.

The due date of a clock is, in order of precedence:

1. the start event's own ``due`` date (e.g. from the city's assignment document),
2. the start event's own ``deadline`` (amount and unit) counted from the event,
3. the stage's limit for the issue's handling level.

An event's ``due``/``deadline`` concerns the stage it names in ``stage``; an
event that names none concerns the last stage (in policy order) that it
starts, usually resolution. ``extended`` events push a due date (a new ``due``,
or ``deadline`` added to the current one). ``paused``/``resumed`` stop a
day-based clock: the working (or calendar) days left at the pause are counted
again from the resumption; a clock already overdue when paused stays overdue.
Hour clocks are not paused.

Everything here is a pure function of (issue, policy, calendar, as-of date):
events dated after the as-of date are not seen.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal, NamedTuple, TypeVar

from attrs import frozen

from campaignkit.derive.calendar import DateResult, WorkCalendar, WorkdayCount, default_calendar
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent
from campaignkit.rules.lifecycle import Lifecycle, StateKind, replay
from campaignkit.rules.policy import DeadlineStage, IssuePolicy
from campaignkit.rules.records import Label

__all__ = [
    "CARDS",
    "STATUS_LABELS",
    "Clock",
    "ClockStatus",
    "RunningClock",
    "WatchItem",
    "clock_starters",
    "current_clocks",
    "deadline_flag_codes",
    "deadline_flags",
    "deadline_text",
    "issue_clocks",
    "ledger_clocks",
    "resolved_on_time",
    "running_clocks",
    "watch_groups",
    "watch_list",
]


class ClockStatus(enum.StrEnum):
    """Where a clock stands as of a date."""

    PENDING = "pending"
    """Running, not yet due soon (or paused before its due date)."""
    DUE_SOON = "due_soon"
    """Running and within the policy's ``warn_before`` of its due date."""
    OVERDUE = "overdue"
    """Running past its due date."""
    MET = "met"
    """Stopped on or before its due date."""
    MISSED = "missed"
    """Stopped (or replaced) after its due date."""
    SUPERSEDED = "superseded"
    """Replaced, before its due date, by a new clock of the same stage (e.g. an escalation)."""


STATUS_LABELS: Mapping[ClockStatus, Label] = {
    ClockStatus.PENDING: Label("办理中", "pending"),
    ClockStatus.DUE_SOON: Label("即将到期", "due soon"),
    ClockStatus.OVERDUE: Label("已超期", "overdue"),
    ClockStatus.MET: Label("按期办结", "met"),
    ClockStatus.MISSED: Label("超期办结", "missed"),
    ClockStatus.SUPERSEDED: Label("已重新计时", "superseded"),
}
"""Labels of the statuses in Chinese and English."""

_UNIT_TEXT: Mapping[DeadlineUnit, Label] = {
    DeadlineUnit.HOURS: Label("小时", "hour(s)"),
    DeadlineUnit.DAYS: Label("天", "day(s)"),
    DeadlineUnit.WORKING_DAYS: Label("个工作日", "working day(s)"),
}


def deadline_text(deadline: Deadline, lang: str = "zh") -> str:
    """A time limit as text: ``10 个工作日`` or ``10 working day(s)``."""
    unit = _UNIT_TEXT[deadline.unit].get(lang)
    return f"{deadline.amount}{unit}" if lang != "en" else f"{deadline.amount} {unit}"


Source = Literal["due", "deadline", "policy"]
_R = TypeVar("_R", DateResult, WorkdayCount)


@frozen
class Clock:
    """One deadline clock of one stage of an issue, as of a date."""

    issue: str
    stage: str
    label: Label
    """The stage's label."""
    started: dt.date
    start_index: int
    """Index in ``issue.events`` of the event that started the clock."""
    start_kind: str
    level: str | None
    """Handling level when the clock started."""
    department: str | None
    source: Source
    """Where the due date came from: the event's ``due``, its ``deadline``, or the policy."""
    limit: Deadline | None
    """The time limit counted from the start (None when the event gave a ``due`` date)."""
    unit: DeadlineUnit
    """Unit used for pauses and lateness (working days for an explicit ``due``)."""
    due: dt.date
    """The due date, after extensions and pauses."""
    warn_from: dt.date
    """From this date the clock is due soon (``due`` minus the policy's ``warn_before``)."""
    status: ClockStatus
    as_of: dt.date
    due_at: dt.datetime | None = None
    """For hour limits: the exact moment."""
    stopped: dt.date | None = None
    stop_index: int | None = None
    stop_kind: str | None = None
    extensions: int = 0
    paused_since: dt.date | None = None
    """Set while the clock is paused as of ``as_of``."""
    late: int = 0
    """Days (in ``unit``'s measure: working or calendar days) past due, as of
    ``as_of`` or when stopped; 0 when not late."""
    calendars: tuple[str, ...] = ()
    """Calendars that answered while computing the dates (``fallback`` included)."""
    fallback_days: tuple[dt.date, ...] = ()
    """Days no calendar knew: the dates rest on the Monday–Friday fallback."""

    @property
    def running(self) -> bool:
        """True while the clock has not been stopped or replaced."""
        return self.stopped is None

    @property
    def fallback(self) -> bool:
        """True if a date of this clock rests on the fallback calendar rule."""
        return bool(self.fallback_days)

    def message(self, lang: str = "zh") -> str:
        """What the fallback did, if anything.

        See :class:`~campaignkit.derive.calendar.DateResult`.
        """
        return DateResult(self.calendars, self.fallback_days, self.due).message(lang)


Snapshot = tuple[dt.date, "dt.datetime | None", DeadlineUnit, "dt.date | None", "int | None"]
"""A running clock's due date, due time, unit, pause date and days left at the pause."""


class _Builder:
    """A clock while the history is replayed."""

    def __init__(
        self,
        issue: Issue | None,
        stage: DeadlineStage,
        index: int,
        event: IssueEvent,
        level: str | None,
        department: str | None,
        explicit: bool,
        calendar: WorkCalendar,
        track: bool = True,
    ) -> None:
        self.track = track
        """False when only the status is wanted: the calendars used are not recorded."""
        self.issue = issue
        """None when only the due date and status are wanted (no :class:`Clock` is built)."""
        self.stage = stage
        self.index = index
        self.event = event
        self.level = level
        self.department = department
        self.calendar = calendar
        self.calendars: list[str] = []
        self.fallback: set[dt.date] = set()
        self.extensions = 0
        self.paused_since: dt.date | None = None
        self.remaining: int | None = None
        self.due_at: dt.datetime | None = None
        start: dt.date | dt.datetime = (
            dt.datetime.combine(event.date, event.time) if event.time else event.date
        )
        self.limit: Deadline | None
        self.source: Source
        if explicit and event.due is not None:
            self.source, self.limit, self.due = "due", None, event.due
            self.unit = DeadlineUnit.WORKING_DAYS
            return
        if explicit and event.deadline is not None:
            self.source, self.limit = "deadline", event.deadline
        else:
            self.source, self.limit = "policy", stage.limit_for(level)
        self.unit = self.limit.unit
        result = self.note(calendar.add_deadline(start, self.limit))
        self.due, self.due_at = result.date, result.at

    def snapshot(self) -> Snapshot:
        """What the clock's due date and status still depend on (see :meth:`restore`)."""
        return (self.due, self.due_at, self.unit, self.paused_since, self.remaining)

    @classmethod
    def restore(cls, stage: DeadlineStage, calendar: WorkCalendar, snapshot: Snapshot) -> _Builder:
        """A clock of ``stage`` as :meth:`snapshot` saw it, that can be extended, paused,
        resumed and judged (not built: it knows no issue or start event)."""
        b = cls.__new__(cls)
        b.track, b.issue, b.stage, b.calendar = False, None, stage, calendar
        b.calendars, b.fallback, b.extensions = [], set(), 0
        b.due, b.due_at, b.unit, b.paused_since, b.remaining = snapshot
        return b

    def note(self, result: _R) -> _R:
        if not self.track:
            return result
        for name in result.calendars:
            if name not in self.calendars:
                self.calendars.append(name)
        self.fallback.update(result.fallback_days)
        return result

    def extend(self, event: IssueEvent) -> None:
        self.extensions += 1
        if event.due is not None:
            self.due, self.due_at = event.due, None
        elif event.deadline is not None:
            base: dt.date | dt.datetime = self.due_at or self.due
            result = self.note(self.calendar.add_deadline(base, event.deadline))
            self.due, self.due_at = result.date, result.at
        if self.remaining is not None and self.paused_since is not None:
            self.remaining = self._span(self.paused_since, self.due)

    def _span(self, start: dt.date, end: dt.date) -> int:
        result = self.note(self.calendar.span(start, end, self.unit))
        return result.days

    def pause(self, day: dt.date) -> None:
        if self.unit is DeadlineUnit.HOURS or self.paused_since is not None:
            return
        self.paused_since = day
        self.remaining = self._span(day, self.due) if day < self.due else None

    def resume(self, day: dt.date) -> None:
        if self.paused_since is None:
            return
        if self.remaining is not None:
            result = self.note(self.calendar.shift(day, self.remaining, self.unit))
            self.due, self.due_at = result.date, None
        self.paused_since = None
        self.remaining = None

    def status(
        self, as_of: dt.date, stop: tuple[int, IssueEvent] | None, replaced: bool
    ) -> ClockStatus:
        """The clock's status, except that a running clock due soon is still PENDING."""
        paused_in_time = self.paused_since is not None and self.remaining is not None
        if stop is not None:
            if stop[1].date > self.due and not paused_in_time:
                return ClockStatus.MISSED
            return ClockStatus.SUPERSEDED if replaced else ClockStatus.MET
        if not paused_in_time and as_of > self.due:
            return ClockStatus.OVERDUE
        return ClockStatus.PENDING

    def judge(
        self,
        policy: IssuePolicy,
        as_of: dt.date,
        stop: tuple[int, IssueEvent] | None = None,
        replaced: bool = False,
    ) -> tuple[ClockStatus, int, DateResult]:
        """The clock's full status, its days late and its warning date."""
        warn = self.note(
            self.calendar.add_deadline(self.due_at or self.due, policy.warn_before, backwards=True)
        )
        status = self.status(as_of, stop, replaced)
        late = 0
        if status is ClockStatus.MISSED:
            assert stop is not None
            late = self._span(self.due, stop[1].date)
        elif status is ClockStatus.OVERDUE:
            late = self._span(self.due, as_of)
        elif (
            status is ClockStatus.PENDING
            and stop is None
            and (self.paused_since is None or self.remaining is None)
            and as_of >= warn.date
        ):
            status = ClockStatus.DUE_SOON
        return status, late, warn

    def build(
        self,
        policy: IssuePolicy,
        as_of: dt.date,
        stop: tuple[int, IssueEvent] | None = None,
        replaced: bool = False,
    ) -> Clock:
        status, late, warn = self.judge(policy, as_of, stop, replaced)
        assert self.issue is not None
        return Clock(
            issue=self.issue.id,
            stage=self.stage.key,
            label=self.stage.label,
            started=self.event.date,
            start_index=self.index,
            start_kind=self.event.kind,
            level=self.level,
            department=self.department,
            source=self.source,
            limit=self.limit,
            unit=self.unit,
            due=self.due,
            warn_from=warn.date,
            status=status,
            as_of=as_of,
            due_at=self.due_at,
            stopped=stop[1].date if stop else None,
            stop_index=stop[0] if stop else None,
            stop_kind=stop[1].kind if stop else None,
            extensions=self.extensions,
            paused_since=self.paused_since if stop is None else None,
            late=late,
            calendars=tuple(self.calendars),
            fallback_days=tuple(sorted(self.fallback)),
        )


def _target(policy: IssuePolicy, event: IssueEvent, candidates: Iterable[str]) -> str | None:
    """The stage an event's own ``due``/``deadline`` concerns among ``candidates``."""
    if event.stage is not None:
        return event.stage
    keys = set(candidates)
    last = [s.key for s in policy.stages if s.key in keys]
    return last[-1] if last else None


def clock_starters(policy: IssuePolicy) -> frozenset[str]:
    """Event kinds that start a clock of ``policy``: an issue without one has no clocks."""
    return frozenset(kind for stage in policy.stages for kind in stage.start)


_Ended = tuple[_Builder, "tuple[int, IssueEvent] | None", bool]


def _replay(
    issue: Issue,
    policy: IssuePolicy,
    as_of: dt.date,
    cal: WorkCalendar,
    track: bool,
    events: tuple[IssueEvent, ...] | None = None,
) -> Iterator[_Ended]:
    """Replay the history (``events`` instead of the issue's, if given): each clock as
    it ends (stop event, replaced, or still running).

    Yields ``(builder, stop, replaced)``; the builder is read at once, before
    the replay goes on.
    """
    running: dict[str, _Builder] = {}
    level: str | None = None
    department: str | None = None
    for index, event in enumerate(issue.events if events is None else events):
        if event.date > as_of:
            continue
        if event.level is not None:
            level = event.level
        if event.department is not None:
            department = event.department
        for key, builder in list(running.items()):
            if event.kind in builder.stage.stop:
                yield builder, (index, event), False
                del running[key]
        starts = [s for s in policy.stages if event.kind in s.start]
        if starts:
            explicit_stage = _target(policy, event, (s.key for s in starts))
            for stage in starts:
                old = running.pop(stage.key, None)
                if old is not None:
                    yield old, (index, event), True
                running[stage.key] = _Builder(
                    issue,
                    stage,
                    index,
                    event,
                    level,
                    department,
                    stage.key == explicit_stage,
                    cal,
                    track,
                )
        _move_clocks(policy, running, event)
    for builder in running.values():
        yield builder, None, False


def _move_clocks(policy: IssuePolicy, running: Mapping[str, _Builder], event: IssueEvent) -> None:
    """Move the running clocks' due dates for an extension, a pause or a resumption
    (any other event moves none)."""
    if event.kind == "extended":
        target = _target(policy, event, running)
        if target is not None and target in running:
            running[target].extend(event)
    elif event.kind == "paused":
        for builder in running.values():
            builder.pause(event.date)
    elif event.kind == "resumed":
        for builder in running.values():
            builder.resume(event.date)


_MOVERS = frozenset({"extended", "paused", "resumed"})
"""Event kinds that move a running clock's due date (:func:`_replay` handles them)."""

_Plan = tuple[
    dict[str, tuple[DeadlineStage, ...]], dict[str, tuple[str, ...]], dict[str, str | None]
]
_plans: dict[int, tuple[IssuePolicy, _Plan]] = {}


def _plan(policy: IssuePolicy) -> _Plan:
    """For each event kind: the stages it starts, the stages it stops, and the stage
    its own ``due``/``deadline`` concerns when it names none."""
    found = _plans.get(id(policy))
    if found is not None and found[0] is policy:
        return found[1]
    kinds = {k for stage in policy.stages for k in (*stage.start, *stage.stop)}
    starts = {k: tuple(s for s in policy.stages if k in s.start) for k in kinds}
    stops = {k: tuple(s.key for s in policy.stages if k in s.stop) for k in kinds}
    target = {
        k: (_target(policy, IssueEvent(k, dt.date.min), (s.key for s in st)) if st else None)
        for k, st in starts.items()
    }
    plan = (starts, stops, target)
    if len(_plans) >= 64:  # policies made on the fly: do not keep them all
        _plans.clear()
    _plans[id(policy)] = (policy, plan)
    return plan


class RunningClock(NamedTuple):
    """A clock still running as of a date: what the escalation rules read of it."""

    stage: DeadlineStage
    start_index: int
    """Index of the event that started it."""
    due: dt.date
    unit: DeadlineUnit
    status: ClockStatus
    late: int


_Key = tuple[str, dt.date, "dt.time | None", "str | None", bool, "dt.date | None", object]


def _running_simply(
    issue: Issue,
    policy: IssuePolicy,
    as_of: dt.date,
    calendar: WorkCalendar,
    events: tuple[IssueEvent, ...],
    memo: dict[_Key, tuple[dt.date, DeadlineUnit, ClockStatus, int]],
) -> list[RunningClock] | None:
    """The clocks :func:`_replay` ends with still running, building only those.

    None when an event moves a due date (extension, pause): then every clock
    matters, and :func:`_replay` is needed. Without such events a clock's
    due date, status and lateness follow from its start event and level alone,
    so they are remembered in ``memo`` (for one policy, calendar and date).
    """
    starts, stops, targets = _plan(policy)
    latest: dict[str, tuple[DeadlineStage, int, IssueEvent, str | None, str | None]] = {}
    level: str | None = None
    department: str | None = None
    for index, event in enumerate(events):
        if event.date > as_of:
            continue
        kind = event.kind
        if kind in _MOVERS:
            return None
        if event.level is not None:
            level = event.level
        if event.department is not None:
            department = event.department
        if kind not in starts:
            continue
        for key in stops[kind]:
            latest.pop(key, None)
        for stage in starts[kind]:
            latest[stage.key] = (stage, index, event, level, department)
    found: list[RunningClock] = []
    for stage, index, event, lvl, dept in latest.values():
        known = _judge_start(
            issue, stage, index, event, lvl, dept, targets, calendar, policy, as_of, memo
        )
        found.append(RunningClock(stage, index, *known))
    return found


def _start_signature(
    stage: DeadlineStage, event: IssueEvent, level: str | None, targets: Mapping[str, str | None]
) -> tuple[bool, _Key]:
    """Whether ``event``'s own ``due``/``deadline`` concerns ``stage``, and what the due
    date of a clock of ``stage`` it starts at ``level`` follows from (no extension or
    pause since)."""
    explicit = stage.key == (event.stage if event.stage is not None else targets[event.kind])
    signature: _Key = (
        stage.key,
        event.date,
        event.time,
        level,
        explicit,
        event.due if explicit else None,
        event.deadline if explicit else None,
    )
    return explicit, signature


def _judge_start(
    issue: Issue,
    stage: DeadlineStage,
    index: int,
    event: IssueEvent,
    level: str | None,
    department: str | None,
    targets: Mapping[str, str | None],
    calendar: WorkCalendar,
    policy: IssuePolicy,
    as_of: dt.date,
    memo: dict[_Key, tuple[dt.date, DeadlineUnit, ClockStatus, int]],
) -> tuple[dt.date, DeadlineUnit, ClockStatus, int]:
    """Due date, unit, status and days late of a clock of ``stage`` started by ``event``
    at ``level`` and not moved since, remembered in ``memo`` (one per policy, calendar
    and date) for every clock started alike."""
    explicit, signature = _start_signature(stage, event, level, targets)
    known = memo.get(signature)
    if known is None:
        b = _Builder(issue, stage, index, event, level, department, explicit, calendar, False)
        status, late, _ = b.judge(policy, as_of)
        known = memo[signature] = (b.due, b.unit, status, late)
    return known


def running_clocks(
    issue: Issue,
    policy: IssuePolicy,
    as_of: dt.date,
    calendar: WorkCalendar,
    events: tuple[IssueEvent, ...],
    memo: dict[_Key, tuple[dt.date, DeadlineUnit, ClockStatus, int]] | None = None,
) -> list[RunningClock]:
    """The clocks still running as of ``as_of`` over ``events``, in policy stage order.

    Each with its status and days late, as :func:`issue_clocks` gives them,
    without the clocks that ended and without building :class:`Clock` objects.
    ``memo`` (one per policy, calendar and date) remembers clocks started alike.
    """
    found = _running_simply(issue, policy, as_of, calendar, events, {} if memo is None else memo)
    if found is None:
        found = []
        for b, stop, _ in _replay(issue, policy, as_of, calendar, False, events):
            if stop is None:
                status, late, _ = b.judge(policy, as_of)
                found.append(RunningClock(b.stage, b.index, b.due, b.unit, status, late))
    if len(found) > 1:
        order = {s.key: i for i, s in enumerate(policy.stages)}
        found.sort(key=lambda clock: order.get(clock.stage.key, 0))
    return found


def issue_clocks(
    issue: Issue,
    policy: IssuePolicy,
    *,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
) -> tuple[Clock, ...]:
    """Every clock of ``issue`` as of ``as_of``, in the order they started.

    Events dated after ``as_of`` are ignored. The shared manager's calendars
    are used when ``calendar`` is None.
    """
    starters = clock_starters(policy)
    if not any(e.kind in starters for e in issue.events):
        return ()
    cal = calendar or default_calendar()
    done = [
        (b.index, b.build(policy, as_of, stop, replaced))
        for b, stop, replaced in _replay(issue, policy, as_of, cal, True)
    ]
    order = {s.key: i for i, s in enumerate(policy.stages)}
    done.sort(key=lambda item: (item[0], order.get(item[1].stage, 0)))
    return tuple(clock for _, clock in done)


def deadline_flags(
    issue: Issue,
    policy: IssuePolicy,
    *,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    starters: frozenset[str] | None = None,
) -> tuple[bool, bool]:
    """``(on time, overdue)`` of ``issue`` as of ``as_of``, without building its clocks.

    The same as ``resolved_on_time(clocks, policy)`` and "a running clock is
    overdue" over :func:`issue_clocks`, for the metrics that only need these
    two answers. ``starters`` is :func:`clock_starters` of the policy, if known.
    """
    if not any(e.kind in (starters or clock_starters(policy)) for e in issue.events):
        return True, False
    key = policy.on_time.key if policy.on_time is not None else None
    cal = calendar or default_calendar()
    flags = _flags_simply(issue, policy, as_of, cal, key)
    if flags is not None:
        return flags
    on_time, overdue = True, False
    for b, stop, replaced in _replay(issue, policy, as_of, cal, False):
        status = b.status(as_of, stop, replaced)
        if status is ClockStatus.OVERDUE:
            overdue = True
            if b.stage.key == key:
                on_time = False
        elif status is ClockStatus.MISSED and b.stage.key == key:
            on_time = False
    return on_time, overdue


def _start_due(
    issue: Issue,
    stage: DeadlineStage,
    index: int,
    event: IssueEvent,
    level: str | None,
    targets: Mapping[str, str | None],
    cal: WorkCalendar,
) -> dt.date:
    """The due date of a clock of ``stage`` started by ``event`` at ``level``.

    It follows from the start event and level alone (no extension or pause),
    so it is remembered in the calendar for every clock started alike.
    """
    explicit, started = _start_signature(stage, event, level, targets)
    signature = (id(stage), *started[1:])  # the calendar is shared by policies: their own stage
    known = cal._dues.get(signature)
    if known is None or known[0] is not stage:
        b = _Builder(issue, stage, index, event, level, None, explicit, cal, False)
        known = cal._dues[signature] = (stage, b.due)
    return known[1]


def _flags_simply(
    issue: Issue, policy: IssuePolicy, as_of: dt.date, cal: WorkCalendar, key: str | None
) -> tuple[bool, bool] | None:
    """:func:`deadline_flags` for a history without extensions or pauses (else None).

    Then a clock's due date follows from its start event and level alone; it is
    remembered in the calendar for clocks started alike, and looked up only
    where the answer depends on it.
    """
    starts, stops, targets = _plan(policy)
    running: dict[str, tuple[DeadlineStage, int, IssueEvent, str | None]] = {}
    level: str | None = None
    on_time, overdue = True, False

    def due(stage: DeadlineStage, index: int, event: IssueEvent, lvl: str | None) -> dt.date:
        return _start_due(issue, stage, index, event, lvl, targets, cal)

    for index, event in enumerate(issue.events):
        if event.date > as_of:
            continue
        kind = event.kind
        if kind in _MOVERS:
            return None
        if event.level is not None:
            level = event.level
        if kind not in starts:
            continue
        # a clock stopped or replaced after its due date was missed
        for stage_key in stops[kind]:
            ended = running.pop(stage_key, None)
            if ended is not None and stage_key == key and on_time and event.date > due(*ended):
                on_time = False
        for stage in starts[kind]:
            ended = running.pop(stage.key, None)
            if ended is not None and stage.key == key and on_time and event.date > due(*ended):
                on_time = False
            running[stage.key] = (stage, index, event, level)
    for stage_key, started in running.items():
        if as_of > due(*started):
            overdue = True
            if stage_key == key:
                on_time = False
    return on_time, overdue


def deadline_flag_codes(
    issues: Sequence[Issue],
    policy: IssuePolicy,
    *,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    wanted: int = 3,
) -> bytearray:
    """:func:`deadline_flags` of each issue as bits (1: on time, 2: overdue), in one pass.

    The same answers, issue by issue; a history with extensions or pauses is
    handed to :func:`deadline_flags` itself. A due date is worked out once per
    start event, stage and level: events shared by several issues (a loaded
    ledger's equal events are one object) share it while ``issues`` holds them.

    ``wanted`` names the bits asked for; the others are 0. Without the overdue
    bit only the on-time stage's clocks are followed; without the on-time bit
    no ended clock's due date is looked up.
    """
    cal = calendar or default_calendar()
    key = policy.on_time.key if policy.on_time is not None else None
    starts, stops, targets = _plan(policy)
    if not wanted & 2:  # only the on-time stage's clocks matter
        starts = {k: tuple(s for s in st if s.key == key) for k, st in starts.items()}
        stops = {k: tuple(s for s in st if s == key) for k, st in stops.items()}
        starts = {k: st for k, st in starts.items() if st or stops[k]}
    one = not wanted & 2 and sum(s.key == key for s in policy.stages) <= 1
    check = key if wanted & 1 else None  # no stage's ended clocks need a due date
    movers = _MOVERS
    dues: dict[tuple[int, int, str | None], dt.date] = {}
    codes = bytearray(len(issues))

    def due(issue: Issue, started: tuple[DeadlineStage, int, IssueEvent, str | None]) -> dt.date:
        stage, index, event, lvl = started
        memo = (id(stage), id(event), lvl)
        found = dues.get(memo)
        if found is None:
            found = dues[memo] = _start_due(issue, stage, index, event, lvl, targets, cal)
        return found

    if one:
        # one stage followed: at most one clock running, no dictionary of them
        ends = {k: bool(stops[k]) for k in starts}
        for n, issue in enumerate(issues):
            started: tuple[DeadlineStage, int, IssueEvent, str | None] | None = None
            at_level: str | None = None
            on_time = True
            for index, event in enumerate(issue.events):
                if event.date > as_of:
                    continue
                kind = event.kind
                if kind in movers:
                    break
                if event.level is not None:
                    at_level = event.level
                stops_it = ends.get(kind)
                if stops_it is None:
                    continue
                # a clock stopped or replaced after its due date was missed
                if started is not None and on_time and event.date > due(issue, started):
                    on_time = False
                started = None
                for stage in starts[kind]:
                    started = (stage, index, event, at_level)
            else:
                if started is not None and on_time and as_of > due(issue, started):
                    on_time = False
                codes[n] = on_time & wanted
                continue
            codes[n] = deadline_flags(issue, policy, as_of=as_of, calendar=cal)[0] & wanted
        return codes
    for n, issue in enumerate(issues):
        running: dict[str, tuple[DeadlineStage, int, IssueEvent, str | None]] = {}
        level: str | None = None
        on_time, overdue = True, False
        for index, event in enumerate(issue.events):
            if event.date > as_of:
                continue
            kind = event.kind
            if kind in movers:
                break
            if event.level is not None:
                level = event.level
            if kind not in starts:
                continue
            # a clock stopped or replaced after its due date was missed
            for stage_key in stops[kind]:
                ended = running.pop(stage_key, None)
                if (
                    ended is not None
                    and stage_key == check
                    and on_time
                    and event.date > due(issue, ended)
                ):
                    on_time = False
            for stage in starts[kind]:
                ended = running.pop(stage.key, None)
                if (
                    ended is not None
                    and stage.key == check
                    and on_time
                    and event.date > due(issue, ended)
                ):
                    on_time = False
                running[stage.key] = (stage, index, event, level)
        else:
            for stage_key, started in running.items():
                if as_of > due(issue, started):
                    overdue = True
                    if stage_key == key:
                        on_time = False
            codes[n] = (on_time | overdue << 1) & wanted
            continue
        on_time, overdue = deadline_flags(issue, policy, as_of=as_of, calendar=cal)
        codes[n] = (on_time | overdue << 1) & wanted
    return codes


def current_clocks(clocks: Iterable[Clock]) -> dict[str, Clock]:
    """The latest clock of each stage, by stage key."""
    latest: dict[str, Clock] = {}
    for clock in clocks:
        latest[clock.stage] = clock
    return latest


def ledger_clocks(
    ledger: Ledger,
    policy: IssuePolicy,
    *,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
) -> dict[str, tuple[Clock, ...]]:
    """Every issue's clocks as of ``as_of``, by issue id, in ledger order."""
    cal = calendar or default_calendar()
    return {
        issue.id: issue_clocks(issue, policy, as_of=as_of, calendar=cal) for issue in ledger.issues
    }


def resolved_on_time(clocks: Iterable[Clock], policy: IssuePolicy) -> bool:
    """True if no clock of the policy's on-time stage was missed or is overdue.

    An issue that never had such a clock (answered on the spot) counts as on time.
    """
    stage = policy.on_time
    if stage is None:
        return True
    return not any(
        c.stage == stage.key and c.status in (ClockStatus.MISSED, ClockStatus.OVERDUE)
        for c in clocks
    )


CARDS = ("warned", "marked_overdue", "supervised", "escalated", "meeting_called")
"""Event kinds shown as marks on a watched clock (yellow card, red card, 督办 …)."""


@frozen
class WatchItem:
    """An open issue's clock that needs attention as of a date."""

    issue: Issue
    clock: Clock
    state: str
    """The issue's lifecycle state as of the date."""
    level: str | None
    """The issue's handling level now (after any escalation)."""
    department: str | None
    cards: tuple[str, ...]
    """Kinds of :data:`CARDS` events recorded since the clock started, in order, once each."""


def watch_list(
    ledger: Ledger,
    policy: IssuePolicy,
    lifecycle: Lifecycle,
    *,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
) -> tuple[WatchItem, ...]:
    """Running clocks of open issues that are due soon, overdue, or carry a yellow card.

    Sorted by due date, then issue id. Issues resolved or closed as of the
    date never appear.
    """
    cal = calendar or default_calendar()
    items: list[WatchItem] = []
    for issue in ledger.issues:
        seen = [e for e in issue.events if e.date <= as_of]
        state = replay(issue, lifecycle, seen)
        if state.kind not in (StateKind.OPEN, StateKind.WAITING):
            continue
        for clock in current_clocks(
            issue_clocks(issue, policy, as_of=as_of, calendar=cal)
        ).values():
            if not clock.running:
                continue
            later = [
                e.kind
                for e in issue.events[clock.start_index + 1 :]
                if e.date <= as_of and e.kind in CARDS and e.stage in (None, clock.stage)
            ]
            cards = tuple(dict.fromkeys(later))
            urgent = clock.status in (ClockStatus.DUE_SOON, ClockStatus.OVERDUE)
            if urgent or "warned" in cards:
                items.append(
                    WatchItem(issue, clock, state.state, state.level, state.department, cards)
                )
    items.sort(key=lambda w: (w.clock.due, w.issue.id, w.clock.stage))
    return tuple(items)


def watch_groups(
    items: Iterable[WatchItem], policy: IssuePolicy
) -> list[tuple[str | None, list[tuple[str | None, list[WatchItem]]]]]:
    """Items grouped by level (policy order, unknown levels last) and department (by name)."""
    by_level: dict[str | None, dict[str | None, list[WatchItem]]] = {}
    for item in items:
        by_level.setdefault(item.level, {}).setdefault(item.department, []).append(item)
    order = {level: i for i, level in enumerate(policy.levels)}

    def level_key(level: str | None) -> tuple[int, str]:
        return (order.get(level, len(order)) if level is not None else len(order) + 1, level or "")

    return [
        (
            level,
            sorted(by_level[level].items(), key=lambda kv: (kv[0] is None, kv[0] or "")),
        )
        for level in sorted(by_level, key=level_key)
    ]
