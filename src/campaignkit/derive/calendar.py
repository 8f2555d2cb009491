"""Working-day arithmetic over the registered working-day calendars.

A :class:`WorkCalendar` asks the registered
:class:`~campaignkit.rules.records.WorkdayCalendar` plugins, highest ``priority``
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

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from attrs import field, frozen

from campaignkit.errors import PluginError
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.limits import deadline_too_long
from campaignkit.model.records import Deadline, DeadlineUnit
from campaignkit.rules.records import Label, WorkdayCalendar

if TYPE_CHECKING:
    from campaignkit.hooks.manager import PluginManager

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
_BEYOND = (
    f"beyond the dates a calendar can count ({dt.date.min.isoformat()} to "
    f"{dt.date.max.isoformat()})"
)
_WEEK = "1111100"
"""Monday to Sunday under the fallback: working days from Monday to Friday."""


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
        f"{span} 共 {n} 天无工作日历数据，已按周一至周五为工作日、不计节假日估算（兜底规则）；"
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


_NO_PROVENANCE: tuple[tuple[str, ...], tuple[dt.date, ...]] = ((), ())


class _Year:
    """One year's answers, precomputed: a ``1``/``0`` string and running counts."""

    __slots__ = ("cum", "first", "single", "source", "work")

    def __init__(self, first: int, work: str, source: list[str]) -> None:
        self.first = first
        """Ordinal of 1 January."""
        self.work = work
        """``1`` for a working day, ``0`` for a day off, one character per day."""
        self.source = source
        """Name of the calendar that answered each day (:data:`FALLBACK` when none did)."""
        self.single = source[0] if len(set(source)) == 1 else None
        cum = [0]
        for ch in work:
            cum.append(cum[-1] + (ch == "1"))
        self.cum = cum
        """``cum[i]``: working days among the year's first ``i`` days."""

    def provenance(self, a: int, b: int) -> tuple[tuple[str, ...], tuple[dt.date, ...]]:
        """Calendars that answered days ``[a, b)`` of the year, and the fallback days."""
        if a >= b:
            return _NO_PROVENANCE
        if self.single is not None:
            names: tuple[str, ...] = (self.single,)
        else:
            names = tuple(dict.fromkeys(self.source[a:b]))
        if FALLBACK not in names:
            return names, ()
        days = tuple(
            dt.date.fromordinal(self.first + i) for i in range(a, b) if self.source[i] == FALLBACK
        )
        return names, days


class _Trace:
    """Collects provenance over the year slices one computation touches."""

    __slots__ = ("fallback", "names", "tail")

    def __init__(self) -> None:
        self.names: dict[str, None] = {}
        self.fallback: list[dt.date] = []
        self.tail = ""

    def add(self, year: _Year, a: int, b: int, calendars: tuple[WorkdayCalendar, ...]) -> None:
        names, days = year.provenance(a, b)
        for name in names:
            self.names[name] = None
        self.fallback.extend(days)
        if a < b:
            run = self.tail + year.work[a:b]
            if "0" * (MAX_NON_WORKING_RUN + 1) in run:
                listed = ", ".join(c.name for c in calendars) or "none"
                raise ValueError(
                    f"more than {MAX_NON_WORKING_RUN} non-working days in a row in "
                    f"{dt.date.fromordinal(year.first).year}: is a working-day calendar broken? "
                    f"(calendars: {listed})"
                )
            self.tail = run[len(run.rstrip("0")) :]

    def date(self, day: dt.date, at: dt.datetime | None = None) -> DateResult:
        return DateResult(tuple(self.names), tuple(sorted(set(self.fallback))), day, at)

    def count(self, days: int) -> WorkdayCount:
        return WorkdayCount(tuple(self.names), tuple(sorted(set(self.fallback))), days)


def _ordered(calendars: Iterable[WorkdayCalendar]) -> tuple[WorkdayCalendar, ...]:
    return tuple(sorted(calendars, key=lambda c: (-c.priority, c.name)))


@frozen
class WorkCalendar:
    """The registered working-day calendars, asked highest priority first.

    Build one with :meth:`from_manager` (the calendars plugins register) or
    directly from :class:`~campaignkit.rules.records.WorkdayCalendar` records.
    The answers for a year are gathered once, the first time a day of it is
    asked, so arithmetic over long spans costs a few lookups; the object is
    otherwise immutable.
    """

    calendars: tuple[WorkdayCalendar, ...] = field(converter=_ordered, default=())
    owners: Mapping[str, str] = field(factory=dict, eq=False, repr=False, kw_only=True)
    """Which plugin registered each calendar, by calendar name (named in errors)."""
    _years: dict[int, _Year] = field(factory=dict, init=False, eq=False, repr=False)
    _memo: dict[tuple[str, dt.date, object], DateResult | WorkdayCount] = field(
        factory=dict, init=False, eq=False, repr=False
    )
    _dues: dict[object, tuple[object, dt.date]] = field(
        factory=dict, init=False, eq=False, repr=False
    )
    """Due dates of deadline clocks by how they started.

    Kept by :mod:`campaignkit.derive.deadlines`.
    """

    @classmethod
    def from_manager(
        cls, manager: PluginManager | None = None, campaign_type: str | None = None
    ) -> WorkCalendar:
        """The calendars registered with ``manager`` (the shared manager by default), as
        campaign type ``campaign_type`` counts working days (calendars replaced or
        limited to types, see :meth:`PluginManager.calendars
        <campaignkit.hooks.manager.PluginManager.calendars>`). With no type, as a type
        that no calendar is limited to: a calendar registered for some types only (its
        ``campaign_types``) changes the working days of those types alone, never those
        of the module-level helpers."""
        from campaignkit.hooks.manager import get_plugin_manager

        pm = manager or get_plugin_manager()
        calendars = pm.calendars(campaign_type)
        if campaign_type is None:
            calendars = {n: c for n, c in calendars.items() if not c.campaign_types}
        owners = {
            name: owner
            for name in calendars
            if (owner := pm.owner("campaignkit_calendars", name, campaign_type))
        }
        return cls(tuple(calendars.values()), owners=owners)

    # -- single days ---------------------------------------------------------------
    def _ask(self, day: dt.date) -> tuple[bool, str]:
        for cal in self.calendars:
            verdict = cal.is_workday(day)
            if verdict is None:
                continue
            if verdict not in (True, False):  # "no" would count as a working day
                owner = self.owners.get(cal.name)
                args = {"calendar": repr(cal.name), "value": repr(verdict), "day": day.isoformat()}
                if owner:
                    raise PluginError(
                        Phrase("calendar-answer-plugin", {**args, "plugin": repr(owner)})
                    )
                raise PluginError(Phrase("calendar-answer", args))
            return bool(verdict), cal.name
        return day.weekday() < 5, FALLBACK

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            if not dt.MINYEAR <= year <= dt.MAXYEAR:
                raise ValueError(_BEYOND)
            first = dt.date(year, 1, 1).toordinal()
            last = dt.date(year, 12, 31).toordinal()
            if all(c.years and year not in c.years for c in self.calendars):
                # no calendar knows the year (each declares its years): the fallback
                # answers every day, so the year is the weekday pattern, not 365 questions
                start = dt.date(year, 1, 1).weekday()
                week = _WEEK[start:] + _WEEK[:start]
                size = last - first + 1
                work = (week * (size // 7 + 1))[:size]
                table = _Year(first, work, [FALLBACK] * size)
            else:
                answers = [self._ask(dt.date.fromordinal(o)) for o in range(first, last + 1)]
                work = "".join("1" if ok else "0" for ok, _ in answers)
                table = _Year(first, work, [name for _, name in answers])
            self._years[year] = table
        return table

    def answer(self, day: dt.date) -> DayAnswer:
        """Whether ``day`` is a working day, from the first calendar that knows it."""
        table = self._year(day.year)
        i = day.toordinal() - table.first
        return DayAnswer(day, table.work[i] == "1", table.source[i])

    def is_workday(self, day: dt.date) -> bool:
        """True if ``day`` is a working day (see :meth:`answer` for the source)."""
        table = self._year(day.year)
        return table.work[day.toordinal() - table.first] == "1"

    # -- arithmetic ----------------------------------------------------------------
    def add_working_days(self, start: dt.date, n: int) -> DateResult:
        """The ``n``-th working day after ``start`` (before it when ``n`` is negative).

        The start day itself is not counted; ``n == 0`` gives ``start``.
        """
        key = ("add", start, n)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MAX_MEMO:  # a long-lived calendar stays bounded
                self._memo.clear()
            found = self._memo[key] = self._add(start, n)
        assert isinstance(found, DateResult)
        return found

    def _add(self, start: dt.date, n: int) -> DateResult:
        trace = _Trace()
        if n == 0:
            return trace.date(start)
        year = start.year
        table = self._year(year)
        i = start.toordinal() - table.first
        remaining = abs(n)
        if n > 0:
            a = i + 1
            while True:
                size = len(table.work)
                available = table.cum[size] - table.cum[a] if a <= size else 0
                if remaining <= available:
                    j = bisect.bisect_left(table.cum, table.cum[a] + remaining) - 1
                    trace.add(table, a, j + 1, self.calendars)
                    return trace.date(dt.date.fromordinal(table.first + j))
                trace.add(table, a, size, self.calendars)
                remaining -= available
                year += 1
                table = self._year(year)
                a = 0
        b = i
        while True:
            available = table.cum[b]
            if remaining <= available:
                j = bisect.bisect_right(table.cum, table.cum[b] - remaining) - 1
                trace.add(table, j, b, self.calendars)
                return trace.date(dt.date.fromordinal(table.first + j))
            trace.add(table, 0, b, self.calendars)
            remaining -= available
            year -= 1
            table = self._year(year)
            b = len(table.work)

    def working_days_between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        """Working days in ``(start, end]``; negative (``-count of (end, start]``) if end < start.

        So ``add_working_days(start, working_days_between(start, end).days)`` is
        the last working day on or before ``end`` (``start`` if there is none).
        """
        key = ("between", start, end)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MAX_MEMO:  # a long-lived calendar stays bounded
                self._memo.clear()
            found = self._memo[key] = self._between(start, end)
        assert isinstance(found, WorkdayCount)
        return found

    def _between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        trace = _Trace()
        lo, hi, sign = (start, end, 1) if start <= end else (end, start, -1)
        lo_ord, hi_ord = lo.toordinal(), hi.toordinal()
        count = 0
        for year in range(lo.year, hi.year + 1):
            table = self._year(year)
            a = max(lo_ord + 1 - table.first, 0)
            b = min(hi_ord + 1 - table.first, len(table.work))
            if a < b:
                count += table.cum[b] - table.cum[a]
                trace.add(table, a, b, ())
        return trace.count(sign * count)

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
        too_long = deadline_too_long(deadline)
        if too_long is not None:
            raise ValueError(
                f"a deadline of {deadline.amount} {deadline.unit.value} is longer than the "
                f"limit of {too_long} (ten years; see campaignkit.model.limits)"
            )
        day = start.date() if isinstance(start, dt.datetime) else start
        sign = -1 if backwards else 1
        try:
            if deadline.unit is DeadlineUnit.HOURS:
                moment = (
                    start
                    if isinstance(start, dt.datetime)
                    else dt.datetime.combine(start, dt.time())
                )
                at = moment + sign * dt.timedelta(hours=deadline.amount)
                return DateResult((), (), at.date(), at)
            if deadline.unit is DeadlineUnit.DAYS:
                return DateResult((), (), day + sign * dt.timedelta(days=deadline.amount))
        except OverflowError:
            raise ValueError(_BEYOND) from None
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
        return DateResult((), (), start + dt.timedelta(days=days))


_MAX_MEMO = 100_000
"""Answers a calendar remembers at most; beyond it the memory starts again."""

_SHARED: list[tuple[object, WorkCalendar]] = []
"""The default calendar, with the calendar records it was made of (see below)."""


def default_calendar() -> WorkCalendar:
    """The calendars of the shared plugin manager, as one :class:`WorkCalendar` shared by
    every call while those calendars stay the same: the module-level helpers
    (:func:`working_days_between`, :func:`add_working_days`, :func:`add_deadline`,
    :func:`~campaignkit.derive.deadlines.issue_clocks`) then cost what the calendar's own
    methods do, not a calendar built again each call. A calendar registered later makes
    a new one; while any calendar is not pure (its answers may change), each call makes its
    own, as such a calendar must be asked each time."""
    from campaignkit.hooks.manager import get_plugin_manager

    records = get_plugin_manager().calendars()
    if _SHARED and _SHARED[0][0] is records:
        return _SHARED[0][1]
    made = WorkCalendar.from_manager()
    if all(c.pure for c in records.values()):  # a calendar asked each time is not kept
        _SHARED[:] = [(records, made)]
    return made


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


_EDGE_DAYS = 7
"""How many days before 1 January a schedule may list for the year before its own (a New
Year holiday or its moved workday, such as 2022-12-31 in the 2023 schedule)."""


def _edge(day: dt.date, years: AbstractSet[int]) -> bool:
    """True if ``day`` falls in the last days of the year before one of ``years``."""
    return day.year + 1 in years and (dt.date(day.year, 12, 31) - day).days < _EDGE_DAYS


def _schedule_year(days: Iterable[dt.date]) -> frozenset[int]:
    """The year a schedule listing ``days`` is for: the year most of them fall in (the later
    one on a tie); none when no day is listed."""
    counts = Counter(d.year for d in days)
    if not counts:
        return frozenset()
    return frozenset({max(counts, key=lambda y: (counts[y], y))})


def calendar_from_schedule(
    name: str,
    *,
    holidays: Iterable[DayOrRange],
    workdays: Iterable[DayOrRange] = (),
    years: Iterable[int] | None = None,
    label: Label | None = None,
    priority: int | None = None,
    doc: str = "",
) -> WorkdayCalendar:
    """A calendar from a published holiday schedule (放假安排).

    ``holidays`` are days off (days or inclusive ranges); ``workdays`` are the
    moved working days (调休), usually weekends. ``years`` are the years the
    schedule is for: their other days are working days from Monday to Friday.
    ``years`` defaults to the year most of the listed days fall in (a schedule
    of several years names them).

    A schedule often starts in the year before its own (the 2023 New Year
    holiday ran from 2022-12-31). A listed day of the last week of December
    before one of ``years`` is answered as listed, and every other day of that
    year is unknown (``None``), so the next calendar (the built-in one, or the
    fallback) answers it: the schedule of one year never decides the year before.
    Any other listed day outside ``years`` is an error, and days of other years
    are unknown. The returned calendar's ``years`` name every year it answers a
    day of, that year before included. The default ``priority`` is the schedule's
    (latest) year, so the schedules of two years running are asked the later first:
    the days at the turn of the year that the later one lists (2012-12-29, a Saturday
    worked under the 2013 schedule) are answered as it lists them, not by the earlier
    one's Monday-to-Friday rule; every schedule is asked before the built-in calendar
    (priority 0).

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
    covered = frozenset(years) if years is not None else _schedule_year(off | on)
    if not covered:
        raise ValueError(f"calendar {name!r}: no years (give holidays or years)")
    outside = sorted(d for d in off | on if d.year not in covered and not _edge(d, covered))
    if outside:
        raise ValueError(
            f"calendar {name!r}: {outside[0].isoformat()} is outside its years "
            f"({', '.join(str(y) for y in sorted(covered))}) and not in the last "
            f"{_EDGE_DAYS} days of the year before one of them (a schedule of several years "
            "names them in years=)"
        )

    def is_workday(day: dt.date) -> bool | None:
        if day in off:
            return False
        if day in on:
            return True
        if day.year not in covered:
            return None  # a day of the year before that the schedule does not list
        return day.weekday() < 5

    year_list = tuple(sorted(covered | {d.year for d in off | on}))
    return WorkdayCalendar(
        name=name,
        label=label or Label(f"{name} 工作日历", f"{name} working-day calendar"),
        is_workday=is_workday,
        years=year_list,
        priority=max(covered) if priority is None else priority,
        doc=doc,
        pure=True,
    )
