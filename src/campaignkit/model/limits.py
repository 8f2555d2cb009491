"""The documented bounds of what a ledger may hold.

Validation refuses a value beyond these bounds with a located problem, so
everything a ledger that passes validation holds can be added up, counted in
working days, rendered and printed without overflowing anything:

- **time**: a deadline is at most ten years long (:data:`MAX_DEADLINE`: 3,653
  days, 87,672 hours or 2,610 working days); a campaign's period is at most
  ten years long, and no date of its records (events, due dates, outcomes) is
  later than ten years after the period ends (:func:`latest_date`);
- **numbers**: money up to 10¹⁶ yuan (a hundred million 亿), land up to 10¹²
  mu, both with at most six decimal places; every count (enterprises,
  officials, figures, headcounts) up to 10¹²;
- **text**: free text (descriptions, notes, titles) up to
  :data:`MAX_TEXT` characters; names, ids and codes up to :data:`MAX_NAME`
  characters, without control, format or bidirectional characters
  (:func:`hidden_characters`), and with at least one visible character.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from campaignkit.model.records import Deadline, DeadlineUnit

__all__ = [
    "MAX_AMOUNT_YUAN",
    "MAX_COUNT",
    "MAX_DEADLINE",
    "MAX_LAND_MU",
    "MAX_NAME",
    "MAX_PLACES",
    "MAX_TEXT",
    "MAX_YEARS",
    "deadline_too_long",
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


def latest_date(end: dt.date) -> dt.date:
    """The latest date a record of a campaign whose period ends on ``end`` may carry:
    ten years after it (the last representable date if that is later)."""
    try:
        return end.replace(year=end.year + MAX_YEARS)
    except ValueError:  # 29 February, or beyond year 9999
        if end.year + MAX_YEARS > dt.MAXYEAR:
            return dt.date.max
        return end.replace(year=end.year + MAX_YEARS, day=28)


_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
"""Unicode categories that show nothing or change how other text shows: control and
format characters (bidirectional overrides, zero-width spaces …), surrogates, private
use, line and paragraph separators."""


def hidden_characters(text: str) -> str:
    """The characters of ``text`` that a name, id or code must not hold (control and format
    characters, surrogates, private use, line and paragraph separators), each once, in
    order of appearance; empty if there are none."""
    if text.isprintable():  # the usual case, answered in C
        return ""
    found = dict.fromkeys(ch for ch in text if unicodedata.category(ch) in _HIDDEN)
    return "".join(found)


def visible(text: str) -> bool:
    """True if ``text`` has a character that shows: not a space or a hidden character."""
    if text.isprintable():
        return bool(text) and not text.isspace()
    return any(not ch.isspace() and unicodedata.category(ch) not in _HIDDEN for ch in text)
