"""The documented bounds of what a ledger may hold.

Validation refuses a value beyond these bounds with a located problem, so
everything a ledger that passes validation holds can be added up, counted in
working days, rendered and printed without overflowing anything:

- **time**: a deadline is at most ten years long (:data:`MAX_DEADLINE`: 3,653
  days, 87,672 hours or 2,610 working days); a campaign's period is at most
  ten years long and ends by the end of 9959 (:data:`LAST_END_YEAR`), no date of its
  records (events, due dates, outcomes, the report date) is later than ten years after
  the period ends (:func:`latest_date`), and the extensions of one issue add at most
  ten years together (:func:`extension_days`);
- **history**: one issue's history holds at most :data:`MAX_EVENTS` events;
- **numbers**: money up to 10¹⁶ yuan (a hundred million 亿), land up to 10¹²
  mu, both with at most six decimal places; every count (enterprises,
  officials, figures, headcounts) up to 10¹²;
- **text**: free text (descriptions, notes, titles, text values of ``extra``) up
  to :data:`MAX_TEXT` characters; names, ids and codes up to :data:`MAX_NAME`
  characters, without control, format or bidirectional characters, surrogates or
  line and paragraph separators (:func:`hidden_characters`; characters of the
  private-use area, where rare Chinese characters are often kept, are allowed),
  and with at least one visible character (:func:`visible`).

So every due date a clock of an accepted ledger reaches is at most about thirty
years after the period ends, within the calendar.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from campaignkit.model.records import Deadline, DeadlineUnit

__all__ = [
    "HIDDEN_CATEGORIES",
    "LAST_END_YEAR",
    "MAX_AMOUNT_YUAN",
    "MAX_COUNT",
    "MAX_DEADLINE",
    "MAX_EVENTS",
    "MAX_LAND_MU",
    "MAX_NAME",
    "MAX_PLACES",
    "MAX_TEXT",
    "MAX_YEARS",
    "deadline_too_long",
    "extension_days",
    "hidden_characters",
    "latest_date",
    "visible",
]

MAX_YEARS = 10
"""How many years a deadline, a campaign's period and its records' dates after it may span."""

MAX_DEADLINE: dict[DeadlineUnit, int] = {
    DeadlineUnit.HOURS: 87_672,  # 3,653 days of 24 hours
    DeadlineUnit.DAYS: 3_653,  # ten years, leap days included
    DeadlineUnit.WORKING_DAYS: 2_610,  # ten years of 261 weekdays
}
"""The longest deadline in each unit: ten years."""

LAST_END_YEAR = dt.MAXYEAR - 4 * MAX_YEARS
"""The last year a campaign's period may end in (9959): its records' dates (ten years
later at most), their deadlines and an issue's extensions (ten years each at most, and
working days may take longer than their count of weekdays) stay within the calendar."""

MAX_EVENTS = 10_000
"""The most events one issue's history may hold (a real issue has a few dozen at most):
a longer history is refused whole, without walking it."""

MAX_AMOUNT_YUAN = Decimal(10) ** 16
"""The largest amount of money, in yuan (10¹⁶: a hundred million 亿)."""

MAX_LAND_MU = Decimal(10) ** 12
"""The largest area of land, in mu (10¹²: about fifty times China's land area)."""

MAX_PLACES = 6
"""The most decimal places an amount of money or land may have."""

MAX_COUNT = 10**12
"""The largest count (enterprises, officials, participants, an activity's figures)."""

MAX_TEXT = 100_000
"""The longest free text (a description, a note, a title), in characters."""

MAX_NAME = 1_000
"""The longest name, id or code, in characters."""


def deadline_too_long(deadline: Deadline) -> int | None:
    """The bound ``deadline`` exceeds (in its own unit), or None if it is within it."""
    limit = MAX_DEADLINE[deadline.unit]
    return limit if deadline.amount > limit else None


def extension_days(deadline: Deadline) -> int:
    """How much of the ten years an issue's extensions may add together ``deadline``
    takes, in days: hours by the started day, days as they are, working days double (a
    working day is never more than two calendar days on average under a real calendar)."""
    amount = deadline.amount
    if deadline.unit is DeadlineUnit.HOURS:
        return -(-amount // 24)
    if deadline.unit is DeadlineUnit.WORKING_DAYS:
        return 2 * amount
    return amount


def latest_date(end: dt.date) -> dt.date:
    """The latest date a record of a campaign whose period ends on ``end`` may carry:
    ten years after it (the last representable date if that is later)."""
    try:
        return end.replace(year=end.year + MAX_YEARS)
    except ValueError:  # 29 February, or beyond year 9999
        if end.year + MAX_YEARS > dt.MAXYEAR:
            return dt.date.max
        return end.replace(year=end.year + MAX_YEARS, day=28)


HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Unicode categories that show nothing or change how other text shows: control and
format characters (bidirectional overrides, zero-width spaces …), surrogates, line and
paragraph separators. Names may not hold them; reports show them in free text as
escapes (:func:`campaignkit.report.safety.reveal`)."""

_SHOWING = frozenset("LNPS")
"""The first letters of the categories of characters that show: letters, numbers,
punctuation and symbols (not marks alone, spaces or the hidden ones)."""

_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols that show as blank space (Hangul fillers, the blank Braille pattern)."""


def hidden_characters(text: str) -> str:
    """The characters of ``text`` that a name, id or code must not hold (control and format
    characters, surrogates, private use, line and paragraph separators), each once, in
    order of appearance; empty if there are none."""
    if text.isprintable():  # the usual case, answered in C
        return ""
    found = dict.fromkeys(ch for ch in text if unicodedata.category(ch) in HIDDEN_CATEGORIES)
    return "".join(found)


def visible(text: str) -> bool:
    """True if ``text`` has a character that shows: a letter, number, punctuation mark or
    symbol (a combining mark alone, a space, a filler or a hidden character does not)."""
    if text.isascii():  # the usual case of ids and codes
        return any(" " < ch < "\x7f" for ch in text)
    return any(unicodedata.category(ch)[0] in _SHOWING and ch not in _BLANK for ch in text)
