"""GB/T 2260 administrative division codes (行政区划代码) and the years each was in force.

A code is six ASCII digits: ``xx0000`` a province, ``xxxx00`` a city (prefecture), any
other a county or district. Codes change as divisions are merged, split or moved:
寿县 was ``342422`` until 1999, ``341521`` until 2015 and is ``340422`` (淮南市)
since; 巢湖市 was the city ``341400`` until 2011 and is the county-level city
``340181`` (合肥市) since. A code counts for a campaign when it was in force at some
time during the campaign's period, so a ledger of 2010 keeps the codes of 2010.

The table ships with campaignkit (``campaignkit/data/gbt2260/``): the Ministry of
Civil Affairs' lists of 1981 to 2024 (the newest as of 31 December 2024) from the
public-domain (CC0 1.0) data set ``yescallop/areacodes``. It is read on first use
(a few milliseconds) and kept; nothing is read until a code is looked up.

>>> [d.name for d in lookup("340422")]
['寿县']
>>> in_force("340422", date(2020, 4, 12), date(2020, 5, 12))
True
>>> in_force("340422", date(2010, 4, 12), date(2010, 5, 12))
False
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from importlib.resources import files

from attrs import frozen

from campaignkit.model.records import RegionLevel

__all__ = [
    "FIRST_YEAR",
    "NEWEST_YEAR",
    "SOURCE",
    "Division",
    "divisions",
    "in_force",
    "is_code",
    "level_of",
    "lookup",
    "parent_codes",
]

FIRST_YEAR = 1981
"""The year of the first list in the table (codes in it may be older)."""
NEWEST_YEAR = 2024
"""The year of the newest list in the table (as of 31 December): codes made since are not known."""
SOURCE = (
    "民政部《中华人民共和国县级以上行政区划代码》1981–2024 年各年代码表，"
    "取自 yescallop/areacodes（CC0 1.0，提交 eed219a）"
)
"""Where the table comes from, in words for a reader."""

_PACKAGE = "campaignkit.data.gbt2260"
_DIGITS = frozenset("0123456789")


@frozen
class Division:
    """A code and a span of years it was in force (a code retired and reused has two)."""

    code: str
    name: str
    """The name at the end of the span."""
    since: int | None = None
    """The first year whose list has the code; None: already in the first list (1981)."""
    until: int | None = None
    """The first year whose list no longer has it (retired that year); None: still in force."""

    @property
    def level(self) -> RegionLevel:
        """Province, city or county, as the code's shape says."""
        return level_of(self.code)

    def in_force(self, start: date, end: date) -> bool:
        """Whether the code was in force at some time from ``start`` to ``end``.

        The lists give a year, not a day: a code made during a year counts for all of
        it, and so does a code retired during a year.
        """
        return _covers(self.since, self.until, start, end)


def _covers(since: int | None, until: int | None, start: date, end: date) -> bool:
    return (since is None or since <= end.year) and (until is None or start.year <= until)


def is_code(code: str) -> bool:
    """Whether ``code`` has the shape of a GB/T 2260 code: six ASCII digits.

    Full-width or other Unicode digits (``'３４００００'``) are not.
    """
    return len(code) == 6 and _DIGITS.issuperset(code)


def level_of(code: str) -> RegionLevel:
    """The level a code's shape gives: ``xx0000`` province, ``xxxx00`` city, else county.

    >>> level_of("340000"), level_of("340400"), level_of("340422")
    (<RegionLevel.PROVINCE: 'province'>, <RegionLevel.CITY: 'city'>, <RegionLevel.COUNTY: 'county'>)
    """
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def parent_codes(code: str) -> tuple[str, ...]:
    """The codes a division's parent may have: a county's city (``xxxx00``) or, for the
    counties of a municipality and those a province governs directly, its province
    (``xx0000``); a city's province; none for a province."""
    level = level_of(code)
    if level is RegionLevel.PROVINCE:
        return ()
    province = code[:2] + "0000"
    return (province,) if level is RegionLevel.CITY else (code[:4] + "00", province)


_Span = tuple[str, int | None, int | None]
"""A span as the table keeps it: name, since, until."""


@functools.cache
def _table() -> Mapping[str, tuple[_Span, ...]]:
    text = files(_PACKAGE).joinpath("divisions.csv").read_text(encoding="utf-8")
    table: dict[str, tuple[_Span, ...]] = {}
    for line in text.splitlines()[1:]:  # after the header; no field has a comma or quote
        code, name, since, until = line.split(",")
        span = (name, int(since) if since else None, int(until) if until else None)
        table[code] = (*table.get(code, ()), span)
    return table


def divisions() -> tuple[Division, ...]:
    """Every span of every code in the table, by code."""
    return tuple(Division(code, *span) for code, spans in _table().items() for span in spans)


def lookup(code: str) -> tuple[Division, ...]:
    """The spans ``code`` was in force, oldest first; empty if it never was a code."""
    return tuple(Division(code, *span) for span in _table().get(code, ()))


def in_force(code: str, start: date, end: date) -> bool:
    """Whether ``code`` was a GB/T 2260 code at some time from ``start`` to ``end``
    (to the year: see :meth:`Division.in_force`)."""
    return any(_covers(since, until, start, end) for _, since, until in _table().get(code, ()))
