"""Working-day arithmetic: statutory holidays, 调休, plugin years and the fallback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaignkit.derive.calendar import (
    FALLBACK,
    WorkCalendar,
    add_deadline,
    add_working_days,
    calendar_from_schedule,
    working_days_between,
)
from campaignkit.hooks.manager import new_plugin_manager
from campaignkit.hooks.specs import hookimpl
from campaignkit.model.records import Deadline, DeadlineUnit
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.rules.records import Label, WorkdayCalendar

D = dt.date
WD = DeadlineUnit.WORKING_DAYS

# An illustrative 2027 schedule for tests (not the official one, which is not yet published):
# New Year 1–3 Jan, Spring Festival 5–11 Feb with 调休 on Sunday 14 Feb.
SCHEDULE_2027 = calendar_from_schedule(
    "test-2027",
    holidays=[("2027-01-01", "2027-01-03"), ("2027-02-05", "2027-02-11")],
    workdays=["2027-02-14"],
)


class Plugin2027:
    """A calendar plugin supplying 2027."""

    @staticmethod
    @hookimpl
    def campaignkit_calendars() -> Iterator[WorkdayCalendar]:
        yield SCHEDULE_2027


@pytest.fixture
def statutory() -> WorkCalendar:
    return WorkCalendar((CHINA_STATUTORY,))


def test_may_day_2020(statutory: WorkCalendar) -> None:
    result = statutory.add_working_days(D(2020, 4, 28), 5)
    assert result.date == D(2020, 5, 8)
    assert result.calendars == ("cn-statutory",)
    assert not result.fallback
    assert result.message() == ""


def test_moved_workdays_count(statutory: WorkCalendar) -> None:
    # Sunday 26 April and Saturday 9 May 2020 were worked (调休); 1–5 May were off.
    assert statutory.is_workday(D(2020, 4, 26))
    assert statutory.is_workday(D(2020, 5, 9))
    assert not statutory.is_workday(D(2020, 5, 4))
    assert statutory.add_working_days(D(2020, 4, 25), 1).date == D(2020, 4, 26)
    assert statutory.add_working_days(D(2020, 5, 8), 1).date == D(2020, 5, 9)


def test_between_and_backwards(statutory: WorkCalendar) -> None:
    assert statutory.working_days_between(D(2020, 4, 28), D(2020, 5, 8)).days == 5
    assert statutory.working_days_between(D(2020, 5, 8), D(2020, 4, 28)).days == -5
    assert statutory.working_days_between(D(2020, 5, 1), D(2020, 5, 5)).days == 0
    assert statutory.add_working_days(D(2020, 5, 8), -5).date == D(2020, 4, 28)
    assert statutory.add_working_days(D(2020, 5, 3), 0).date == D(2020, 5, 3)


def test_deadline_units(statutory: WorkCalendar) -> None:
    hours = statutory.add_deadline(
        dt.datetime(2020, 4, 30, 16, 0), Deadline(48, DeadlineUnit.HOURS)
    )
    assert hours.at == dt.datetime(2020, 5, 2, 16, 0)
    assert hours.date == D(2020, 5, 2)
    from_date = statutory.add_deadline(D(2020, 4, 30), Deadline(36, DeadlineUnit.HOURS))
    assert from_date.at == dt.datetime(2020, 5, 1, 12, 0)
    days = statutory.add_deadline(D(2020, 4, 30), Deadline(5, DeadlineUnit.DAYS))
    assert days.date == D(2020, 5, 5)
    assert days.at is None
    # 1–5 May off, 6–8 May worked, Saturday 9 May moved workday, 11 May: the fifth.
    working = statutory.add_deadline(D(2020, 4, 30), Deadline(5, WD))
    assert working.date == D(2020, 5, 11)
    back = statutory.add_deadline(D(2020, 5, 11), Deadline(5, WD), backwards=True)
    assert back.date == D(2020, 4, 30)


def test_2027_without_data_falls_back_and_says_so(statutory: WorkCalendar) -> None:
    result = statutory.add_deadline(D(2026, 12, 30), Deadline(5, WD))
    # 31 Dec 2026 is a Thursday the built-in data knows; 2027 is unknown: Mon–Fri count,
    # so New Year's Day (Friday) counts as worked: 31 Dec, 1, 4, 5, 6 Jan.
    assert result.date == D(2027, 1, 6)
    assert result.fallback
    assert FALLBACK in result.calendars
    assert result.fallback_days[0] == D(2027, 1, 1)
    assert "2027-01-01" in result.message("zh")
    assert "兜底" in result.message("zh")
    assert "fallback" in result.message("en")
    answer = statutory.answer(D(2027, 1, 1))
    assert answer.fallback
    assert answer.workday  # a Friday: the fallback knows no holidays


def test_plugin_calendar_supplies_2027() -> None:
    pm = new_plugin_manager([Plugin2027()], entry_points=False)
    cal = WorkCalendar.from_manager(pm)
    assert [c.name for c in cal.calendars] == ["test-2027", "cn-statutory"]
    result = cal.add_deadline(D(2026, 12, 30), Deadline(5, WD))
    # 31 Dec (statutory data), then 1–3 Jan off, 4–7 Jan worked: 5 working days → 7 Jan.
    assert result.date == D(2027, 1, 7)
    assert not result.fallback
    assert result.calendars == ("cn-statutory", "test-2027")
    spring = cal.add_working_days(D(2027, 2, 4), 2)
    # 5–11 Feb off, 12 Feb (Fri) worked, 13 Feb Sat off, 14 Feb Sun moved workday.
    assert spring.date == D(2027, 2, 14)
    assert not spring.fallback


def test_priority_and_unknown_years() -> None:
    always_off = WorkdayCalendar(
        "strike", Label("全休", "all off"), lambda d: False if d.year == 2020 else None, priority=5
    )
    low = WorkdayCalendar("low", Label("低", "low"), lambda d: True, priority=-1)
    cal = WorkCalendar((low, always_off, CHINA_STATUTORY))
    assert [c.name for c in cal.calendars] == ["strike", "cn-statutory", "low"]
    assert cal.answer(D(2020, 4, 28)).calendar == "strike"
    assert cal.answer(D(2021, 4, 28)).calendar == "cn-statutory"
    assert cal.answer(D(2030, 1, 5)).calendar == "low"
    with pytest.raises(ValueError, match="non-working days in a row"):
        cal.add_working_days(D(2020, 1, 1), 1)


def test_module_functions_use_registered_calendars() -> None:
    assert add_working_days(D(2020, 4, 28), 5).date == D(2020, 5, 8)
    assert working_days_between(D(2020, 4, 28), D(2020, 5, 8)).days == 5
    assert add_deadline(D(2020, 4, 28), Deadline(5, WD)).date == D(2020, 5, 8)


def test_schedule_checks() -> None:
    with pytest.raises(ValueError, match="both a holiday and a workday"):
        calendar_from_schedule("x", holidays=["2027-02-14"], workdays=["2027-02-14"])
    with pytest.raises(ValueError, match="ends 2027-01-01 before it starts"):
        calendar_from_schedule("x", holidays=[("2027-01-03", "2027-01-01")])
    with pytest.raises(ValueError, match="'x': '2027-13-01' is not a date"):
        calendar_from_schedule("x", holidays=["2027-13-01"])
    with pytest.raises(ValueError, match="outside its years"):
        calendar_from_schedule("x", holidays=["2028-01-01"], years=[2027])
    with pytest.raises(ValueError, match="no years"):
        calendar_from_schedule("x", holidays=[])
    cal = calendar_from_schedule("x", holidays=[D(2027, 1, 1)], years=[2027, 2028])
    assert cal.years == (2027, 2028)
    assert cal.is_workday(D(2028, 1, 3)) is True
    assert cal.is_workday(D(2029, 1, 3)) is None


@given(st.dates(D(2005, 1, 1), D(2026, 6, 30)), st.integers(0, 40))
def test_add_then_count_round_trips(start: dt.date, n: int) -> None:
    cal = WorkCalendar((CHINA_STATUTORY,))
    end = cal.add_working_days(start, n).date
    assert cal.working_days_between(start, end).days == n
    assert n == 0 or cal.is_workday(end)
    assert cal.add_working_days(end, -n).date <= start
