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

Everything here reads the views of :mod:`campaignkit.derive.views` (the one walk
through a history) and judges their clocks as of a date
(:func:`campaignkit.derive.clocks.judge`): a pure function of (issue, policy,
calendar, as-of date); events dated after the as-of date are not seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import attrs
from attrs import frozen

from campaignkit.derive.calendar import DateResult, WorkCalendar, default_calendar
from campaignkit.derive.clocks import (
    LATE_LABELS,
    STATUS_LABELS,
    ClockStatus,
    ClockTrack,
    Judged,
    Source,
    amount,
    judge,
    late_text,
    late_unit,
)
from campaignkit.derive.views import CARDS, Deriver, Shape, clock_starters, merged
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent
from campaignkit.rules.lifecycle import Lifecycle, StateKind
from campaignkit.rules.policy import DeadlineStage, IssuePolicy
from campaignkit.rules.records import Label

__all__ = [
    "CARDS",
    "LATE_LABELS",
    "STATUS_LABELS",
    "Clock",
    "ClockStatus",
    "RunningClock",
    "WatchItem",
    "clock_of",
    "clock_starters",
    "current_clocks",
    "deadline_flag_codes",
    "deadline_flags",
    "deadline_text",
    "issue_clocks",
    "ledger_clocks",
    "resolved_on_time",
    "running_clocks",
    "shape_flags",
    "watch_groups",
    "watch_list",
]


def deadline_text(deadline: Deadline, lang: str = "zh") -> str:
    """A time limit as text: ``10个工作日`` or ``10 working day(s)``."""
    return amount(deadline.amount, deadline.unit).text(lang)


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
    """From this date the clock is due soon (``due`` minus its stage's ``warn_before``)."""
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
    """How late, in :attr:`late_unit`: whole hours for an hour limit judged by its moment,
    else working or calendar days, as of ``as_of`` or when stopped; 0 when not late, and
    at least 1 when late by the date (a day off counts as the working day after it)."""
    late_by: dt.timedelta | None = None
    """For an hour limit: exactly how late (14 h 59 min), else None."""
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

    @property
    def late_unit(self) -> DeadlineUnit:
        """The unit :attr:`late` counts: hours for an hour limit judged by its moment,
        else working days or calendar days (see
        :func:`~campaignkit.derive.clocks.late_unit`)."""
        return late_unit(self.unit, self.late_by)

    @property
    def late_label(self) -> Label:
        """How :attr:`late` is headed: 超期小时, 超期天数 or 超期工作日."""
        return LATE_LABELS[self.late_unit]

    def late_text(self, lang: str = "zh") -> str:
        """How late, in words of its unit: ``14小时59分``, ``3天``, ``2个工作日``."""
        return late_text(Judged(self.status, self.late, self.late_by), self.unit, lang)

    def message(self, lang: str = "zh") -> str:
        """What the fallback did, if anything.

        See :class:`~campaignkit.derive.calendar.DateResult`.
        """
        return DateResult(self.calendars, self.fallback_days, self.due).message(lang)


def clock_of(
    issue: str, track: ClockTrack, policy: IssuePolicy, as_of: dt.date, calendar: WorkCalendar
) -> Clock:
    """The :class:`Clock` of issue ``issue`` that ``track`` (from its view) is, as of ``as_of``."""
    m = track.moments
    judged = judge(track, as_of, calendar)
    stage = next(s for s in policy.stages if s.key == m.stage)
    calendars, fallback = m.calendars, m.fallback_days
    if judged.late and judged.late_by is None and m.unit is DeadlineUnit.WORKING_DAYS:
        end = track.stop.date if track.stop is not None else as_of
        calendars, fallback = merged(calendars, fallback, [calendar.span(m.due, end, m.unit)])
    stop = track.stop
    return Clock(
        issue=issue,
        stage=m.stage,
        label=stage.label,
        started=track.start.date,
        start_index=track.start_index,
        start_kind=track.start.kind,
        level=m.level,
        department=track.department,
        source=m.source,
        limit=m.limit,
        unit=m.unit,
        due=m.due,
        warn_from=m.warn_from,
        status=judged.status,
        as_of=as_of,
        due_at=m.due_at,
        stopped=stop.date if stop is not None else None,
        stop_index=track.stop_index,
        stop_kind=stop.kind if stop is not None else None,
        extensions=m.extensions,
        paused_since=m.paused_since if stop is None else None,
        late=judged.late,
        late_by=judged.late_by,
        calendars=calendars,
        fallback_days=fallback,
    )


def issue_clocks(
    issue: Issue,
    policy: IssuePolicy,
    *,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    lifecycle: Lifecycle | None = None,
    deriver: Deriver | None = None,
) -> tuple[Clock, ...]:
    """Every clock of ``issue`` as of ``as_of``, in the order they started.

    Events dated after ``as_of`` are ignored. The shared manager's calendars
    are used when ``calendar`` is None. With ``lifecycle`` each event is also
    checked by it (a refused one raises
    :class:`~campaignkit.errors.TransitionError`); ``deriver`` (of the same
    policy) remembers steps between calls.
    """
    if deriver is None:
        starters = clock_starters(policy)
        if not any(e.kind in starters for e in issue.events):
            return ()
        deriver = Deriver(lifecycle, policy, calendar or default_calendar())
    view = deriver.view(issue, as_of)
    return tuple(clock_of(issue.id, t, policy, as_of, deriver.calendar) for t in view.clocks)


class RunningClock(NamedTuple):
    """A clock still running as of a date: its stage, start and how it stands."""

    stage: DeadlineStage
    start_index: int
    """Index of the event that started it."""
    due: dt.date
    unit: DeadlineUnit
    status: ClockStatus
    late: int


def running_clocks(
    issue: Issue,
    policy: IssuePolicy,
    as_of: dt.date,
    calendar: WorkCalendar,
    events: tuple[IssueEvent, ...],
    memo: object = None,
) -> list[RunningClock]:
    """The clocks still running as of ``as_of`` over ``events``, in policy stage order,
    each with its status and lateness as :func:`issue_clocks` gives them.

    Read from the issue's view (:mod:`campaignkit.derive.views`). ``memo`` is accepted
    as before and not needed: the views remember what clocks started alike share.
    """
    view = Deriver(None, policy, calendar).view(attrs.evolve(issue, events=events), as_of)
    stages = {s.key: s for s in policy.stages}
    order = {s.key: i for i, s in enumerate(policy.stages)}
    found = []
    for track in view.clocks:
        if track.stop is None:
            m, judged = track.moments, judge(track, as_of, calendar)
            found.append(
                RunningClock(
                    stages[m.stage], track.start_index, m.due, m.unit, judged.status, judged.late
                )
            )
    found.sort(key=lambda clock: order[clock.stage.key])
    return found


def shape_flags(shape: Shape, on_time: str | None, as_of: dt.date, calendar: WorkCalendar) -> int:
    """An issue's deadline flags as bits (1: on time, 2: overdue) read from its shape
    as of ``as_of``: on time unless a clock of the ``on_time`` stage was missed or is
    overdue; overdue if any running clock is."""
    flags = 0 if shape.missed else 1
    for clock in shape.running:
        if judge(clock, as_of, calendar).status is ClockStatus.OVERDUE:
            flags |= 2
            if clock.stage == on_time:
                flags &= 2
    return flags


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
    overdue" over :func:`issue_clocks`. ``starters`` is :func:`clock_starters`
    of the policy, if known.
    """
    if not any(e.kind in (starters or clock_starters(policy)) for e in issue.events):
        return True, False
    deriver = Deriver(None, policy, calendar or default_calendar())
    code = shape_flags(deriver.shape(issue, as_of), deriver.on_time, as_of, deriver.calendar)
    return bool(code & 1), bool(code & 2)


def deadline_flag_codes(
    issues: Sequence[Issue],
    policy: IssuePolicy,
    *,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    wanted: int = 3,
    deriver: Deriver | None = None,
    shapes: Sequence[Shape] | None = None,
) -> bytearray:
    """:func:`deadline_flags` of each issue as bits (1: on time, 2: overdue), each
    shape judged once. ``wanted`` names the bits asked for; the others are 0.

    ``shapes``: the issues' shapes as of ``as_of`` by position, derived already by
    ``deriver`` (a workspace's, see :meth:`~campaignkit.workspace.Workspace.shapes`):
    read instead of walking the histories."""
    deriver = deriver or Deriver(None, policy, calendar or default_calendar())
    cal, on_time = deriver.calendar, deriver.on_time
    if shapes is None:
        shapes = [deriver.shape(issue, as_of) for issue in issues]
    elif len(shapes) != len(issues):
        raise ValueError(f"{len(shapes)} shapes for {len(issues)} issues")
    known: dict[int, tuple[Shape, int]] = {}
    """By shape (its id), the shape (kept alive: a deriver that remembers no steps makes
    new shapes for every walk, and a freed shape's id is given to the next one) and its
    flags."""
    codes = bytearray(len(issues))
    for n, shape in enumerate(shapes):
        found = known.get(id(shape))
        if found is None:
            found = known[id(shape)] = (shape, shape_flags(shape, on_time, as_of, cal))
        codes[n] = found[1] & wanted
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
    deriver = Deriver(None, policy, calendar or default_calendar())
    return {
        issue.id: issue_clocks(issue, policy, as_of=as_of, deriver=deriver)
        for issue in ledger.issues
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
    deriver: Deriver | None = None,
    shapes: Sequence[Shape] | None = None,
) -> tuple[WatchItem, ...]:
    """Running clocks of open issues that are due soon, overdue, or carry a yellow card.

    Sorted by due date, then issue id. Issues resolved or closed as of the
    date never appear.

    ``shapes``, each issue's shape as of ``as_of`` by position (what a workspace's
    :meth:`~campaignkit.workspace.Workspace.shapes` gives, with its ``deriver``), spares
    walking every history to find the open ones: only theirs are walked, for the events
    that started their clocks.
    """
    deriver = deriver or Deriver(lifecycle, policy, calendar or default_calendar())
    if shapes is not None and len(shapes) != len(ledger.issues):
        raise ValueError(f"{len(shapes)} shapes for {len(ledger.issues)} issues")
    items: list[WatchItem] = []
    for n, issue in enumerate(ledger.issues):
        shape = deriver.shape(issue, as_of) if shapes is None else shapes[n]
        if shape.kind not in (StateKind.OPEN, StateKind.WAITING) or not shape.running:
            continue
        view = deriver.view(issue, as_of)
        latest = {t.moments.stage: t for t in view.clocks}
        for track in latest.values():
            if track.stop is not None:
                continue
            clock = clock_of(issue.id, track, policy, as_of, deriver.calendar)
            cards = track.moments.cards
            urgent = clock.status in (ClockStatus.DUE_SOON, ClockStatus.OVERDUE)
            if urgent or "warned" in cards:
                state = view.issue_state(issue.id)
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
