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
