"""Working-day arithmetic: statutory holidays, 调休, plugin years and the fallback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaignkit.derive.calendar import (
    FALLBACK,
    DayAnswer,
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
from tests.schedules import HOLIDAYS_2023, schedule_2023, schedules_2011_2012

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


def days_of(*years: int) -> Iterator[dt.date]:
    day = D(years[0], 1, 1)
    while day.year in years:
        yield day
        day += dt.timedelta(days=1)


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


def test_a_calendar_for_some_types_counts_for_them_alone() -> None:
    """A calendar limited to a campaign type changes that type's working days, not those
    of a calendar asked for no type (what the module-level helpers count with)."""
    local = WorkdayCalendar(
        "local-day-off",
        Label("地方休息日", "local day off"),
        lambda d: False if d == D(2020, 4, 21) else None,
        priority=50,
        campaign_types=("sanqing-sanbang",),
    )

    class Local:
        @hookimpl
        def campaignkit_calendars(self) -> list[WorkdayCalendar]:
            return [local]

    pm = new_plugin_manager([Local()], entry_points=False)
    assert "local-day-off" in pm.calendars()  # registered, as the listing shows
    plain = WorkCalendar.from_manager(pm)
    assert [c.name for c in plain.calendars] == ["cn-statutory"]
    assert plain.add_working_days(D(2020, 4, 20), 2).date == D(2020, 4, 22)
    typed = WorkCalendar.from_manager(pm, "sanqing-sanbang")
    assert [c.name for c in typed.calendars] == ["local-day-off", "cn-statutory"]
    assert typed.add_working_days(D(2020, 4, 20), 2).date == D(2020, 4, 23)
    other = WorkCalendar.from_manager(pm, "sisong-yifu")
    assert other.add_working_days(D(2020, 4, 20), 2).date == D(2020, 4, 22)


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


def test_a_schedule_starting_the_year_before_leaves_that_year_to_the_next_calendar(
    statutory: WorkCalendar,
) -> None:
    cal = WorkCalendar((CHINA_STATUTORY, schedule_2023()))
    assert [c.name for c in cal.calendars] == ["cn-2023", "cn-statutory"]
    for day in days_of(2022):  # the schedule answers 31 Dec, the statutory data the rest
        assert cal.answer(day).workday == statutory.answer(day).workday, day
        assert cal.answer(day).calendar == ("cn-2023" if day == D(2022, 12, 31) else "cn-statutory")
    for day in days_of(2023):  # the statutory data carries the same published schedule
        assert cal.answer(day) == attrs.evolve(statutory.answer(day), calendar="cn-2023")
    for start in (D(2022, 1, 28), D(2022, 9, 29), D(2022, 12, 28), D(2023, 9, 27)):
        for n in (1, 5, 10, -5):
            got, want = cal.add_working_days(start, n), statutory.add_working_days(start, n)
            assert got.date == want.date, (start, n)
            assert not got.fallback
        end = start + dt.timedelta(days=30)
        assert cal.working_days_between(start, end).days == (
            statutory.working_days_between(start, end).days
        )
    assert cal.add_working_days(D(2022, 9, 29), 5).calendars == ("cn-statutory",)
    assert cal.add_working_days(D(2022, 12, 28), 5).calendars == ("cn-statutory", "cn-2023")


def test_a_schedule_answers_its_days_of_the_year_before_alone() -> None:
    cal = WorkCalendar((schedule_2023(),))  # no calendar knows the rest of 2022
    assert cal.answer(D(2022, 12, 31)) == DayAnswer(D(2022, 12, 31), False, "cn-2023")
    assert cal.answer(D(2022, 12, 30)).fallback
    assert cal.answer(D(2022, 10, 3)).fallback
    friday = cal.add_working_days(D(2022, 12, 29), 2)  # 30 Dec, then 3 Jan (31 Dec-2 Jan off)
    assert friday.date == D(2023, 1, 3)
    assert friday.fallback_days == (D(2022, 12, 30),)


def test_the_year_of_a_schedule() -> None:
    default, given = schedule_2023(), schedule_2023(years=[2023])
    assert default.years == given.years == (2022, 2023)  # the years it answers a day of
    for day in days_of(2022, 2023):
        assert default.is_workday(day) == given.is_workday(day), day
    assert default.is_workday(D(2022, 12, 31)) is False
    assert default.is_workday(D(2022, 10, 3)) is None
    assert default.is_workday(D(2023, 10, 9)) is True
    assert default.is_workday(D(2024, 1, 2)) is None
    # the 2012 schedule moved a workday to Saturday 2011-12-31
    new_year_2012 = calendar_from_schedule(
        "cn-2012", holidays=[("2012-01-01", "2012-01-03")], workdays=["2011-12-31"], years=[2012]
    )
    assert new_year_2012.is_workday(D(2011, 12, 31)) is CHINA_STATUTORY.is_workday(D(2011, 12, 31))
    assert new_year_2012.is_workday(D(2011, 12, 30)) is None
    # a listed day of the year before that is no New Year's edge is a mistake, not a claim
    with pytest.raises(ValueError, match="'cn-2023': 2022-10-07 is outside its years \\(2023\\)"):
        calendar_from_schedule("cn-2023", holidays=HOLIDAYS_2023, workdays=["2022-10-07"])
    with pytest.raises(ValueError, match="2022-12-24 is outside its years"):
        calendar_from_schedule("x", holidays=["2022-12-24", "2023-01-01"], years=[2023])
    with pytest.raises(ValueError, match="2024-01-01 is outside its years"):
        calendar_from_schedule("x", holidays=HOLIDAYS_2023, workdays=["2024-01-01"], years=[2023])
    several = calendar_from_schedule("x", holidays=["2027-05-01", "2028-05-01"], years=[2027, 2028])
    assert several.is_workday(D(2027, 5, 3)) is several.is_workday(D(2028, 5, 2)) is True


@given(st.dates(D(2005, 1, 1), D(2026, 6, 30)), st.integers(0, 40))
def test_add_then_count_round_trips(start: dt.date, n: int) -> None:
    cal = WorkCalendar((CHINA_STATUTORY,))
    end = cal.add_working_days(start, n).date
    assert cal.working_days_between(start, end).days == n
    assert n == 0 or cal.is_workday(end)
    assert cal.add_working_days(end, -n).date <= start


def test_the_later_of_two_years_schedules_answers_the_turn_of_the_year() -> None:
    """Saturday 2011-12-31 was worked under the 2012 schedule; the 2011 schedule knows it as
    a Saturday. Each in its default priority, the pair agrees with the statutory data on
    every day of both years, whichever order they come in."""
    first, second = schedules_2011_2012()
    statutory = WorkCalendar((CHINA_STATUTORY,))
    days = [dt.date(2011, 1, 1) + dt.timedelta(days=n) for n in range(731)]
    for pair in ((first, second), (second, first)):
        both = WorkCalendar(pair)
        assert [both.is_workday(d) for d in days] == [statutory.is_workday(d) for d in days]
        turn = both.answer(dt.date(2011, 12, 31))
        assert (turn.workday, turn.calendar) == (True, "cn-2012")
    assert (first.priority, second.priority) == (2011, 2012)
