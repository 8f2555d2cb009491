"""The built-in working-day calendar: China's statutory holidays and moved workdays (调休).

The data comes from the ``chinesecalendar`` package. It covers the years that
package knows (2004 to 2026 in version 1.11); for other years the calendar
answers ``None`` and the next calendar, or the documented fallback
(Monday–Friday, no holidays), answers instead. A plugin adds a year with
:func:`~campaignkit.derive.calendar.calendar_from_schedule` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import chinese_calendar

from campaignkit.derive.calendar import calendar_from_schedule
from campaignkit.hooks.specs import hookimpl
from campaignkit.rules.records import Label, WorkdayCalendar

__all__ = ["CHINA_STATUTORY", "calendar_from_schedule", "campaignkit_calendars", "is_workday"]


def is_workday(day: dt.date) -> bool | None:
    """What ``chinesecalendar`` says about ``day``; None for years it has no data for."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def _known_years() -> tuple[int, ...]:
    days = [*chinese_calendar.holidays, *chinese_calendar.workdays]
    if not days:  # pragma: no cover - the package always ships data
        return ()
    return tuple(range(min(days).year, max(days).year + 1))


CHINA_STATUTORY = WorkdayCalendar(
    name="cn-statutory",
    label=Label("国家法定节假日及调休", "China statutory holidays and moved workdays"),
    is_workday=is_workday,
    years=_known_years(),
    priority=0,
    doc="From the chinesecalendar package; unknown years answer None.",
    pure=True,
)
"""China's statutory calendar (priority 0: plugin calendars of higher priority go first)."""


@hookimpl
def campaignkit_calendars() -> Iterator[WorkdayCalendar]:
    """Register the statutory calendar."""
    yield CHINA_STATUTORY
