"""One deadline clock as moments, and how it stands as of a date.

A :class:`ClockTrack` is what an issue's history says of one clock of one
stage: when and by what it started, its due date (and, for an hour limit,
the exact moment), how it was extended or paused, and when and by what it
ended. Nothing in it depends on an evaluation date. How the clock stands on a
date (met, running, due soon, overdue) and how late it is are read from those
moments by :func:`judge`, and how long a running clock has left by
:func:`time_left`, both in the unit :func:`late_unit` names: hours for an hour
limit judged by its due moment, calendar days or working days otherwise.

The tracks are made and moved only by :mod:`campaignkit.derive.views`, the
one walk through a history; everything here is handed its calendar.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Literal, NamedTuple

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.records import Deadline, DeadlineUnit, IssueEvent
from campaignkit.rules.records import Label

__all__ = [
    "LATE_LABELS",
    "STATUS_LABELS",
    "ClockStatus",
    "ClockTrack",
    "Judged",
    "Left",
    "Moments",
    "Source",
    "amount",
    "ended_late",
    "judge",
    "judge_end",
    "late_phrase",
    "late_text",
    "late_unit",
    "left_phrase",
    "time_left",
]


class ClockStatus(enum.StrEnum):
    """Where a clock stands as of a date."""

    PENDING = "pending"
    """Running, not yet due soon (or paused before its due date)."""
    DUE_SOON = "due_soon"
    """Running and within its stage's ``warn_before`` of its due date."""
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

LATE_LABELS: Mapping[DeadlineUnit, Label] = {
    DeadlineUnit.HOURS: Label("超期小时", "hours late"),
    DeadlineUnit.DAYS: Label("超期天数", "days late"),
    DeadlineUnit.WORKING_DAYS: Label("超期工作日", "working days late"),
}
"""How lateness is headed, by the unit it is counted in."""

Source = Literal["due", "deadline", "policy"]


class Moments(NamedTuple):
    """A running clock's moments, as the issues whose histories say alike share them."""

    stage: str
    """The stage's key."""
    level: str | None
    """Handling level when the clock started."""
    source: Source
    """Where the due date came from: the event's ``due``, its ``deadline``, or the policy."""
    limit: Deadline | None
    """The time limit counted from the start (None when the event gave a ``due`` date)."""
    unit: DeadlineUnit
    """The unit pauses and lateness are counted in (working days for an explicit ``due``)."""
    due: dt.date
    """The due date, after extensions and pauses."""
    due_at: dt.datetime | None
    """For an hour limit: the exact moment it falls due."""
    warn_from: dt.date
    """From this date the clock is due soon (``due`` minus its stage's ``warn_before``)."""
    extensions: int = 0
    paused_since: dt.date | None = None
    """Set while the clock is paused."""
    remaining: int | None = None
    """Days (in the unit's day measure) that were left when it was paused in time."""
    marks: tuple[tuple[str, str | None], ...] = ()
    """Each marking event (a card: see ``campaignkit.derive.views.CARDS``) that followed
    the start, as (kind, stage it names), in order, once each."""
    calendars: tuple[str, ...] = ()
    """Calendars that answered while computing its dates (``fallback`` included)."""
    fallback_days: tuple[dt.date, ...] = ()
    """Days no calendar knew: its dates rest on the Monday–Friday fallback."""

    @property
    def cards(self) -> tuple[str, ...]:
        """Kinds of the marks naming this clock's stage or none, in order, once each."""
        own = self.stage
        return tuple(dict.fromkeys(kind for kind, stage in self.marks if stage in (None, own)))

    def marked(self, kind: str, stage: str | None = None) -> bool:
        """True if a mark of ``kind`` followed the start (with ``stage``: one naming that
        stage or none)."""
        return any(k == kind and (stage is None or s in (None, stage)) for k, s in self.marks)


class ClockTrack(NamedTuple):
    """One clock of one issue, as its history has it: its moments and the events that
    started and ended it."""

    moments: Moments
    """Its moments when it ended, or now if it runs."""
    start_index: int
    """Index in ``issue.events`` of the event that started it."""
    start: IssueEvent
    department: str | None
    """The issue's department when it started."""
    stop_index: int | None = None
    stop: IssueEvent | None = None
    """The event that stopped or replaced it; None while it runs."""
    replaced: bool = False
    """True if a new clock of the same stage replaced it."""

    @property
    def running(self) -> bool:
        """True while the clock has not been stopped or replaced."""
        return self.stop is None


class Judged(NamedTuple):
    """How a clock stands as of a date."""

    status: ClockStatus
    late: int
    """How late, in the unit :func:`late_unit` names (whole hours for an hour limit
    judged by its due moment); 0 when not late, at least 1 working or calendar day when
    late by the date."""
    late_by: dt.timedelta | None
    """For an hour limit judged by its due moment: exactly how late (None otherwise, or
    when not late)."""


def judge(track: ClockTrack | Moments, as_of: dt.date, calendar: WorkCalendar) -> Judged:
    """How a clock stands as of ``as_of``, and how late it is in its own unit.

    A clock that ended is met, missed or superseded by when it ended. An hour
    clock whose stop event has a time of day is judged by the moment (due 3
    June 09:00, stopped 3 June 23:59: missed by 14 h 59 min); otherwise by the
    date. A running clock is overdue from the day after its due date (an hour
    clock's lateness counted from its due moment to the start of ``as_of``),
    due soon from its warning date, and a clock paused before its due date is
    neither.

    A working-day clock late by the date is late by the working days after its due
    date up to the day it stopped or ``as_of``, a day off counting as the working day
    that follows it: due on a Friday, it is 1 working day late on the Saturday as on
    the Monday. A clock past its due date is thus never 0 late, and it is late by more
    than ``n`` working days exactly from the day after the ``n``-th working day after
    its due date.
    """
    if isinstance(track, ClockTrack):
        stop = track.stop
        if stop is None:
            return judge_end(track.moments, None, None, False, as_of, calendar)
        return judge_end(track.moments, stop.date, stop.time, track.replaced, as_of, calendar)
    return judge_end(track, None, None, False, as_of, calendar)


def judge_end(
    clock: Moments,
    stopped: dt.date | None,
    stop_time: dt.time | None,
    replaced: bool,
    as_of: dt.date,
    calendar: WorkCalendar,
) -> Judged:
    """:func:`judge` of a clock with these moments, stopped (or replaced) on ``stopped``
    at ``stop_time``, or running (``stopped`` None)."""
    if clock.paused_since is not None and clock.remaining is not None:
        if stopped is None:
            return _PENDING
        return _SUPERSEDED if replaced else _ON_TIME
    if stopped is not None:
        if not ended_late(clock, stopped, stop_time):
            return _SUPERSEDED if replaced else _ON_TIME
        end = dt.datetime.combine(stopped, stop_time or dt.time())
        due_at = _due_at(clock) if stop_time is not None else None
        return _late(ClockStatus.MISSED, clock, stopped, end, due_at, calendar)
    if as_of > clock.due:
        end = dt.datetime.combine(as_of, dt.time())
        return _late(ClockStatus.OVERDUE, clock, as_of, end, _due_at(clock), calendar)
    if as_of >= clock.warn_from:
        return _DUE_SOON
    return _PENDING


_ON_TIME = Judged(ClockStatus.MET, 0, None)
_SUPERSEDED = Judged(ClockStatus.SUPERSEDED, 0, None)
_PENDING = Judged(ClockStatus.PENDING, 0, None)
_DUE_SOON = Judged(ClockStatus.DUE_SOON, 0, None)


def ended_late(clock: Moments, stopped: dt.date, stop_time: dt.time | None) -> bool:
    """True if ``clock`` stopped (or replaced) on ``stopped`` at ``stop_time`` ended after
    it fell due: by the moment for an hour clock when the stop has a time of day, else by
    the date. A clock paused before it fell due never ended late."""
    if clock.paused_since is not None and clock.remaining is not None:
        return False
    due_at = _due_at(clock)
    if due_at is not None and stop_time is not None:
        return dt.datetime.combine(stopped, stop_time) > due_at
    return stopped > clock.due


def _due_at(clock: Moments) -> dt.datetime | None:
    """The moment an hour clock falls due (None for a clock counted in days)."""
    return clock.due_at if clock.unit is DeadlineUnit.HOURS else None


def _late(
    status: ClockStatus,
    clock: Moments,
    day: dt.date,
    end: dt.datetime,
    due_at: dt.datetime | None,
    calendar: WorkCalendar,
) -> Judged:
    if due_at is not None:
        by = end - due_at
        return Judged(status, by // dt.timedelta(hours=1), by)
    late = calendar.span(clock.due, day, clock.unit).days
    if clock.unit is DeadlineUnit.WORKING_DAYS and not calendar.is_workday(day):
        late += 1  # a day off counts as the working day that follows it
    return Judged(status, late, None)


def late_unit(unit: DeadlineUnit, exact: dt.timedelta | None) -> DeadlineUnit:
    """The unit a clock of ``unit`` is late (or has left) in, ``exact`` being how late
    (or how long left) to its due moment, if it was judged by it: hours then, working
    days for a working-day clock, else calendar days (an hour clock whose due moment an
    extension's date replaced counts calendar days to its due date)."""
    if exact is not None:
        return DeadlineUnit.HOURS
    return DeadlineUnit.WORKING_DAYS if unit is DeadlineUnit.WORKING_DAYS else DeadlineUnit.DAYS


def late_text(judged: Judged, unit: DeadlineUnit, lang: str = "zh") -> str:
    """How late a clock of ``unit`` is, in words of :func:`late_unit`: ``14小时59分``,
    ``3天``, ``2个工作日``."""
    return late_phrase(judged, unit).text(lang)


def late_phrase(judged: Judged, unit: DeadlineUnit) -> Phrase:
    """How late a clock of ``unit`` is, as words of the message catalogue (see
    :func:`late_text`)."""
    return _counted(judged.late, judged.late_by, unit)


class Left(NamedTuple):
    """How long a running clock has left as of a date (see :func:`time_left`)."""

    left: int
    """In the unit :func:`late_unit` names: whole hours for an hour limit with a due
    moment, else working or calendar days; 0 on the due date (or at the due moment)."""
    left_by: dt.timedelta | None
    """For an hour limit with a due moment: exactly how long (None otherwise)."""


def time_left(clock: Moments, as_of: dt.date, calendar: WorkCalendar) -> Left:
    """How long ``clock``, running and not overdue, has left as of ``as_of``, counted as
    its lateness would be: an hour clock with a due moment from the start of ``as_of``
    to that moment (due 4 June 09:00: 33 h on 3 June), any other clock from ``as_of``
    to its due date in working days for a working-day clock, else calendar days."""
    due_at = _due_at(clock)
    if due_at is not None:
        by = max(due_at - dt.datetime.combine(as_of, dt.time()), dt.timedelta())
        return Left(by // dt.timedelta(hours=1), by)
    return Left(max(calendar.span(as_of, clock.due, clock.unit).days, 0), None)


def left_phrase(left: Left, unit: DeadlineUnit) -> Phrase:
    """How long a clock of ``unit`` has left, as words of the message catalogue:
    ``33小时``, ``1天``, ``1个工作日`` (see :func:`time_left`)."""
    return _counted(left.left, left.left_by, unit)


def _counted(n: int, exact: dt.timedelta | None, unit: DeadlineUnit) -> Phrase:
    """``n`` (exactly ``exact``, if judged by a due moment) of a clock of ``unit``, in
    words of :func:`late_unit`."""
    counted = late_unit(unit, exact)
    if counted is DeadlineUnit.HOURS and exact is not None:
        minutes = exact // dt.timedelta(minutes=1)
        hours, rest = divmod(minutes, 60)
        if rest:
            return Phrase("amount.late-hours-minutes", {"hours": hours, "minutes": rest})
        return Phrase("amount.late-hours", {"hours": hours})
    return amount(n, counted)


def amount(n: int, unit: DeadlineUnit) -> Phrase:
    """``n`` of ``unit`` as words of the message catalogue: ``3个工作日``, ``2 day(s)``."""
    return Phrase(_AMOUNTS[unit], {"n": n})


_AMOUNTS = {
    DeadlineUnit.WORKING_DAYS: "amount.working-days",
    DeadlineUnit.DAYS: "amount.days",
    DeadlineUnit.HOURS: "amount.hours",
}
