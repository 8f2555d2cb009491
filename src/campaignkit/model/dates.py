"""Why a written date or time of day names none: one wording for the ledger file, the
store's command line and Excel cells.

``2021-02-29`` is refused with "2021 年 2 月的日期是 1 日到 28 日"; ``25:00`` with
"小时应在 00 到 23 之间" (in English as well: see the message catalogue).
"""

from __future__ import annotations

import calendar

from campaignkit.i18n.catalogue import Phrase

__all__ = ["no_such_day", "no_such_time"]


def no_such_day(year: int, month: int) -> Phrase:
    """Why year ``year``, month ``month`` and a day :class:`datetime.date` refuses name no
    day: no year 0, no such month, or the days the month has."""
    if not 1 <= year <= 9999:
        return Phrase("why.no-such-year", {"year": year})
    if not 1 <= month <= 12:
        return Phrase("why.no-such-month", {"month": month})
    days = calendar.monthrange(year, month)[1]
    return Phrase("why.days-in-month", {"year": year, "month": month, "days": days})


def no_such_time(hour: int, minute: int) -> Phrase:
    """Why ``hour``, ``minute`` and a second :class:`datetime.time` refuses name no time of
    day: the hours, the minutes or the seconds out of their range."""
    if not 0 <= hour <= 23:
        return Phrase("why.hours")
    return Phrase("why.minutes" if not 0 <= minute <= 59 else "why.seconds")
