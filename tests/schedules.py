"""A published holiday schedule, as the State Council issued it, for calendar tests."""

from __future__ import annotations

from campaignkit.derive.calendar import calendar_from_schedule
from campaignkit.rules.records import WorkdayCalendar

# The 2023 schedule (国办发明电〔2022〕16号): its New Year holiday starts on 2022-12-31, a day
# of the year before, as New Year holidays often do.
HOLIDAYS_2023 = [
    ("2022-12-31", "2023-01-02"),
    ("2023-01-21", "2023-01-27"),
    ("2023-04-05", "2023-04-05"),
    ("2023-04-29", "2023-05-03"),
    ("2023-06-22", "2023-06-24"),
    ("2023-09-29", "2023-10-06"),
]
WORKDAYS_2023 = [
    "2023-01-28",
    "2023-01-29",
    "2023-04-23",
    "2023-05-06",
    "2023-06-25",
    "2023-10-07",
    "2023-10-08",
]


def schedule_2023(years: list[int] | None = None) -> WorkdayCalendar:
    """The 2023 schedule as a plugin would enter it (``years`` as given, if given)."""
    return calendar_from_schedule(
        "cn-2023", holidays=HOLIDAYS_2023, workdays=WORKDAYS_2023, years=years
    )


# The 2011 schedule (国办发明电〔2010〕40号) and the 2012 schedule (国办发明电〔2011〕39号): the
# 2012 one moves a working day to Saturday 2011-12-31, a day of the year before.
HOLIDAYS_2011 = [
    ("2011-01-01", "2011-01-03"),
    ("2011-02-02", "2011-02-08"),
    ("2011-04-03", "2011-04-05"),
    ("2011-04-30", "2011-05-02"),
    ("2011-06-04", "2011-06-06"),
    ("2011-09-10", "2011-09-12"),
    ("2011-10-01", "2011-10-07"),
]
WORKDAYS_2011 = ["2011-01-30", "2011-02-12", "2011-04-02", "2011-10-08", "2011-10-09"]
HOLIDAYS_2012 = [
    ("2012-01-01", "2012-01-03"),
    ("2012-01-22", "2012-01-28"),
    ("2012-04-02", "2012-04-04"),
    ("2012-04-29", "2012-05-01"),
    ("2012-06-22", "2012-06-24"),
    ("2012-09-30", "2012-10-07"),
]
WORKDAYS_2012 = [
    "2011-12-31",
    "2012-01-21",
    "2012-01-29",
    "2012-03-31",
    "2012-04-01",
    "2012-04-28",
    "2012-09-29",
]


def schedules_2011_2012() -> tuple[WorkdayCalendar, WorkdayCalendar]:
    """The 2011 and 2012 schedules as a plugin would enter them, each with its defaults."""
    return (
        calendar_from_schedule("cn-2011", holidays=HOLIDAYS_2011, workdays=WORKDAYS_2011),
        calendar_from_schedule("cn-2012", holidays=HOLIDAYS_2012, workdays=WORKDAYS_2012),
    )
