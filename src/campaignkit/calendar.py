"""Working-day arithmetic over the registered working-day calendars.

A :class:`WorkCalendar` asks the registered
:class:`~campaignkit.types.WorkdayCalendar` plugins, highest ``priority``
first (then by name); the first that knows a day answers. For a day that no
calendar knows, the **documented fallback** applies: Monday to Friday are
working days and there are no holidays. Every result says which calendars
answered and which days fell back, so a deadline computed from guesses is
never presented as certain.

Counting convention (as in "5 working days from 28 April"): the start day is
not counted; each following working day counts one. Five working days from
2020-04-28 is 2020-05-08, because 1–5 May 2020 were holidays.

:func:`calendar_from_schedule` builds a calendar from a year's official
schedule (holiday ranges and moved workdays, 调休) in a few lines of data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from attrs import field, frozen

from campaignkit.model import Deadline, DeadlineUnit
from campaignkit.types import Label, WorkdayCalendar

if TYPE_CHECKING:
    from campaignkit.manager import PluginManager

__all__ = [
    "FALLBACK",
    "MAX_NON_WORKING_RUN",
    "DateResult",
    "DayAnswer",
    "WorkCalendar",
    "WorkdayCount",
    "add_deadline",
    "add_working_days",
    "calendar_from_schedule",
    "default_calendar",
    "working_days_between",
]

FALLBACK = "fallback"
"""Name reported for days answered by the fallback (Monday–Friday, no holidays)."""

MAX_NON_WORKING_RUN = 60
"""More consecutive non-working days than this means a broken calendar (an error)."""

_ONE_DAY = dt.timedelta(days=1)


def _message(fallback_days: tuple[dt.date, ...], lang: str) -> str:
    if not fallback_days:
        return ""
    first, last, n = fallback_days[0], fallback_days[-1], len(fallback_days)
    span = first.isoformat() if first == last else f"{first.isoformat()}–{last.isoformat()}"
    if lang == "en":
        return (
            f"no working-day calendar knows {span} ({n} day(s)); counted Monday–Friday as "
            "working days without holidays (fallback). Register a calendar for these years."
        )
    return (
        f"{span} 共 {n} 天无工作日历数据,已按周一至周五为工作日、不计节假日估算(兜底规则);"
        "请注册该年度的工作日历。"
    )


@frozen
class _Provenance:
    calendars: tuple[str, ...]
    """Names of the calendars that answered, in the order first used (``fallback`` included)."""
    fallback_days: tuple[dt.date, ...]
    """Days no calendar knew, answered by the fallback, in date order."""

    @property
    def fallback(self) -> bool:
        """True if any day was answered by the fallback rule."""
        return bool(self.fallback_days)

    def message(self, lang: str = "zh") -> str:
        """What the fallback did, in ``lang``; empty when no fallback was used."""
        return _message(self.fallback_days, lang)


@frozen
class DayAnswer:
    """Whether a day is a working day, and which calendar said so."""

    day: dt.date
    workday: bool
    calendar: str
    """Name of the calendar that answered, or :data:`FALLBACK`."""

    @property
    def fallback(self) -> bool:
        """True when no calendar knew the day."""
        return self.calendar == FALLBACK


@frozen
class DateResult(_Provenance):
    """A date computed by calendar arithmetic, with where the answers came from."""

    date: dt.date
    at: dt.datetime | None = None
    """For hour deadlines: the exact moment; the date is its day."""


@frozen
class WorkdayCount(_Provenance):
    """A number of working days, with where the answers came from."""

    days: int


class _Tracker:
    """Collects which calendars answered while one computation runs."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.fallback: list[dt.date] = []

    def note(self, answer: DayAnswer) -> bool:
        if answer.calendar not in self.names:
            self.names.append(answer.calendar)
        if answer.fallback:
            self.fallback.append(answer.day)
        return answer.workday

    def date(self, day: dt.date, at: dt.datetime | None = None) -> DateResult:
        return DateResult(
            calendars=tuple(self.names),
            fallback_days=tuple(sorted(set(self.fallback))),
            date=day,
            at=at,
        )

    def count(self, days: int) -> WorkdayCount:
        return WorkdayCount(
            calendars=tuple(self.names),
            fallback_days=tuple(sorted(set(self.fallback))),
            days=days,
        )


def _ordered(calendars: Iterable[WorkdayCalendar]) -> tuple[WorkdayCalendar, ...]:
    return tuple(sorted(calendars, key=lambda c: (-c.priority, c.name)))


@frozen
class WorkCalendar:
    """The registered working-day calendars, asked highest priority first.

    Build one with :meth:`from_manager` (the calendars plugins register) or
    directly from :class:`~campaignkit.types.WorkdayCalendar` records.
    Answers are cached per day; the object is otherwise immutable.
    """

    calendars: tuple[WorkdayCalendar, ...] = field(converter=_ordered, default=())
    _answers: dict[dt.date, DayAnswer] = field(factory=dict, init=False, eq=False, repr=False)

    @classmethod
    def from_manager(cls, manager: PluginManager | None = None) -> WorkCalendar:
        """The calendars registered with ``manager`` (the shared manager by default)."""
        from campaignkit.manager import get_plugin_manager

        pm = manager or get_plugin_manager()
        return cls(tuple(pm.calendars().values()))

    # -- single days ---------------------------------------------------------------
    def answer(self, day: dt.date) -> DayAnswer:
        """Whether ``day`` is a working day, from the first calendar that knows it."""
        cached = self._answers.get(day)
        if cached is not None:
            return cached
        found: DayAnswer | None = None
        for cal in self.calendars:
            verdict = cal.is_workday(day)
            if verdict is not None:
                found = DayAnswer(day, bool(verdict), cal.name)
                break
        if found is None:
            found = DayAnswer(day, day.weekday() < 5, FALLBACK)
        self._answers[day] = found
        return found

    def is_workday(self, day: dt.date) -> bool:
        """True if ``day`` is a working day (see :meth:`answer` for the source)."""
        return self.answer(day).workday

    # -- arithmetic ----------------------------------------------------------------
    def _step(self, day: dt.date, n: int, tracker: _Tracker) -> dt.date:
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        run = 0
        while remaining:
            day += step
            if tracker.note(self.answer(day)):
                remaining -= 1
                run = 0
            else:
                run += 1
                if run > MAX_NON_WORKING_RUN:
                    names = ", ".join(c.name for c in self.calendars) or "none"
                    raise ValueError(
                        f"more than {MAX_NON_WORKING_RUN} non-working days in a row up to "
                        f"{day.isoformat()}: is a working-day calendar broken? (calendars: {names})"
                    )
        return day

    def add_working_days(self, start: dt.date, n: int) -> DateResult:
        """The ``n``-th working day after ``start`` (before it when ``n`` is negative).

        The start day itself is not counted; ``n == 0`` gives ``start``.
        """
        tracker = _Tracker()
        return tracker.date(self._step(start, n, tracker))

    def working_days_between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        """Working days in ``(start, end]``; negative (``-count of (end, start]``) if end < start.

        So ``add_working_days(start, working_days_between(start, end).days)`` is
        the last working day on or before ``end`` (``start`` if there is none).
        """
        tracker = _Tracker()
        lo, hi, sign = (start, end, 1) if start <= end else (end, start, -1)
        count = 0
        day = lo
        while day < hi:
            day += _ONE_DAY
            if tracker.note(self.answer(day)):
                count += 1
        return tracker.count(sign * count)

    def add_deadline(
        self,
        start: dt.date | dt.datetime,
        deadline: Deadline,
        *,
        backwards: bool = False,
    ) -> DateResult:
        """The moment ``deadline`` after ``start`` (before it with ``backwards``).

        ``hours`` are clock hours from ``start`` (a date alone counts from its
        midnight) and the result carries the exact moment in ``at``; ``days``
        are calendar days; ``working_days`` follow the calendars.
        """
        day = start.date() if isinstance(start, dt.datetime) else start
        sign = -1 if backwards else 1
        if deadline.unit is DeadlineUnit.HOURS:
            moment = (
                start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
            )
            at = moment + sign * dt.timedelta(hours=deadline.amount)
            return _Tracker().date(at.date(), at)
        if deadline.unit is DeadlineUnit.DAYS:
            return _Tracker().date(day + sign * dt.timedelta(days=deadline.amount))
        return self.add_working_days(day, sign * deadline.amount)

    def span(self, start: dt.date, end: dt.date, unit: DeadlineUnit) -> WorkdayCount:
        """Days from ``start`` to ``end`` in ``unit``'s day measure (hours count calendar days)."""
        if unit is DeadlineUnit.WORKING_DAYS:
            return self.working_days_between(start, end)
        return WorkdayCount(calendars=(), fallback_days=(), days=(end - start).days)

    def shift(self, start: dt.date, days: int, unit: DeadlineUnit) -> DateResult:
        """``start`` moved by ``days`` in ``unit``'s day measure (hours move calendar days)."""
        if unit is DeadlineUnit.WORKING_DAYS:
            return self.add_working_days(start, days)
        return _Tracker().date(start + dt.timedelta(days=days))


def default_calendar() -> WorkCalendar:
    """The calendars of the shared plugin manager."""
    return WorkCalendar.from_manager()


def add_working_days(start: dt.date, n: int, *, calendar: WorkCalendar | None = None) -> DateResult:
    """The ``n``-th working day after ``start``; see :meth:`WorkCalendar.add_working_days`."""
    return (calendar or default_calendar()).add_working_days(start, n)


def working_days_between(
    start: dt.date, end: dt.date, *, calendar: WorkCalendar | None = None
) -> WorkdayCount:
    """Working days in ``(start, end]``; see :meth:`WorkCalendar.working_days_between`."""
    return (calendar or default_calendar()).working_days_between(start, end)


def add_deadline(
    start: dt.date | dt.datetime,
    deadline: Deadline,
    *,
    calendar: WorkCalendar | None = None,
    backwards: bool = False,
) -> DateResult:
    """``deadline`` after ``start``; see :meth:`WorkCalendar.add_deadline`."""
    return (calendar or default_calendar()).add_deadline(start, deadline, backwards=backwards)


# -- schedules -----------------------------------------------------------------------

DayOrRange = dt.date | str | tuple[dt.date | str, dt.date | str]
"""A day (``date`` or ISO string) or an inclusive ``(first, last)`` range of days."""


def _day(value: dt.date | str, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"calendar {name!r}: {value!r} is not a date (YYYY-MM-DD)") from None


def _expand(items: Iterable[DayOrRange], name: str, what: str) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for item in items:
        if isinstance(item, tuple):
            if len(item) != 2:
                raise ValueError(f"calendar {name!r}: {what} range {item!r} needs (first, last)")
            first, last = _day(item[0], name), _day(item[1], name)
            if last < first:
                raise ValueError(
                    f"calendar {name!r}: {what} range ends {last.isoformat()} "
                    f"before it starts {first.isoformat()}"
                )
            day = first
            while day <= last:
                days.add(day)
                day += _ONE_DAY
        else:
            days.add(_day(item, name))
    return frozenset(days)


def calendar_from_schedule(
    name: str,
    *,
    holidays: Iterable[DayOrRange],
    workdays: Iterable[DayOrRange] = (),
    years: Iterable[int] | None = None,
    label: Label | None = None,
    priority: int = 10,
    doc: str = "",
) -> WorkdayCalendar:
    """A calendar from a published holiday schedule (放假安排).

    ``holidays`` are days off (days or inclusive ranges); ``workdays`` are the
    moved working days (调休), usually weekends. Other days of ``years`` are
    working days from Monday to Friday. ``years`` defaults to the years the
    listed days fall in; days of other years are unknown (``None``) so the next
    calendar answers. The default ``priority`` 10 puts it before the built-in
    calendar (priority 0).

    Example (a year's schedule in a few lines)::

        calendar_from_schedule(
            "anhui-2027",
            holidays=[("2027-01-01", "2027-01-03"), ("2027-02-06", "2027-02-12")],
            workdays=["2027-02-13"],
        )
    """
    off = _expand(holidays, name, "holiday")
    on = _expand(workdays, name, "workday")
    both = sorted(off & on)
    if both:
        raise ValueError(
            f"calendar {name!r}: {both[0].isoformat()} is listed as both a holiday and a workday"
        )
    covered = frozenset(years) if years is not None else frozenset(d.year for d in off | on)
    if not covered:
        raise ValueError(f"calendar {name!r}: no years (give holidays or years)")
    outside = sorted(d for d in off | on if d.year not in covered)
    if outside:
        raise ValueError(
            f"calendar {name!r}: {outside[0].isoformat()} is outside its years "
            f"({', '.join(str(y) for y in sorted(covered))})"
        )

    def is_workday(day: dt.date) -> bool | None:
        if day.year not in covered:
            return None
        if day in off:
            return False
        if day in on:
            return True
        return day.weekday() < 5

    year_list = tuple(sorted(covered))
    return WorkdayCalendar(
        name=name,
        label=label or Label(f"{name} 工作日历", f"{name} working-day calendar"),
        is_workday=is_workday,
        years=year_list,
        priority=priority,
        doc=doc,
    )
