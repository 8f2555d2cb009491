"""Cell values of the campaign office's workbook, read as the column's kind.

A cell is read by the kind of its column (:class:`~campaignkit.workbook.sheets.SheetColumn`):

- amounts of money (``yuan``) as written in offices: ``600000000``, ``600,000,000元``,
  ``3000万元``, ``3000万``, ``1.5亿``, ``1.5亿元`` — an exact :class:`~decimal.Decimal`
  of yuan, never a float (a number cell holds a binary number: it is read back by its
  shortest decimal form, ``44.5`` and not ``44.49999…``);
- areas (``mu``): ``852``, ``852亩``, ``44.5 亩``;
- counts (``int``) with or without the column's unit: ``300``, ``300份``; another unit
  (``300家`` where copies are counted) is refused, naming the column's;
- codes (``code``, the 统一社会信用代码): text only. A number cell is refused as "typed
  as a number": Excel keeps 15 digits of a number, so an 18-digit code typed into a
  General cell has already lost some;
- dates as date cells or ``2020-04-13``, ``2020/4/13``, ``2020年4月13日``.

Every refusal is a :class:`CellError` whose :attr:`~CellError.phrase` says why in
either language; the importer puts the cell's place and column before it.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.dates import no_such_day
from campaignkit.model.units import WAN, YI
from campaignkit.report.safety import restore_cell

__all__ = ["CellError", "parse_cell", "parse_mu", "parse_yuan"]

_SPLIT = re.compile(r"\s*[、,,;;]\s*")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", ""}
_DIGITS = r"(?:\d{1,3}(?:[,，]\d{3})+|\d+)"
"""Whole digits, with thousands separated or not (``600,000,000``, ``600000000``)."""
_COUNT = re.compile(rf"({_DIGITS})\s*(\S.*)?")
_AMOUNT = re.compile(rf"(-?{_DIGITS}(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?")
_AREA = re.compile(rf"(-?{_DIGITS}(?:\.\d+)?)\s*(亩)?")
_WITH_UNIT = re.compile(rf"-?{_DIGITS}(?:\.\d+)?\s*\S.*")
_SCALE = {None: Decimal(1), "元": Decimal(1), "万": WAN, "万元": WAN, "亿": YI, "亿元": YI}


class CellError(Exception):
    """A cell whose value the column cannot take; :attr:`phrase` says why."""

    def __init__(self, phrase: Phrase) -> None:
        super().__init__(phrase)
        self.phrase = phrase


def _tidy(value: Decimal) -> Decimal:
    """The value without trailing zeros or an exponent (``6E+8`` → ``600000000``), as a
    ledger file writes it."""
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        with contextlib.suppress(InvalidOperation):  # too many digits: validation refuses it
            value = value.quantize(Decimal(1))
    return value


def _number(raw: int | float | Decimal) -> Decimal:
    """A number cell as an exact Decimal (a float by its shortest decimal form)."""
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError(Phrase("expected-number", {"got": repr(raw)}))
        return _tidy(Decimal(repr(raw)))
    return _tidy(Decimal(raw))


def _digits(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise CellError(Phrase("negative-value", {"value": f"{value:f}"}))
    return value


def parse_yuan(raw: Any) -> Decimal:
    """An amount of yuan as written in a cell: ``600000000``, ``3000万元``, ``1.5亿``.

    >>> parse_yuan("1.5亿")
    Decimal('150000000')
    >>> parse_yuan("3000万元")
    Decimal('30000000')
    >>> parse_yuan("600,000,000元")
    Decimal('600000000')
    >>> parse_yuan(44.5)
    Decimal('44.5')
    """
    if isinstance(raw, bool):
        raise CellError(Phrase("expected-yuan", {"got": str(raw)}))
    if isinstance(raw, int | float | Decimal):
        return _non_negative(_number(raw))
    text = str(raw).strip()
    m = _AMOUNT.fullmatch(text)
    if m is None:
        code = "yuan-wrong-unit" if _WITH_UNIT.fullmatch(text) else "expected-yuan"
        raise CellError(Phrase(code, {"got": text if code == "yuan-wrong-unit" else repr(text)}))
    return _non_negative(_tidy(_digits(m.group(1)) * _SCALE[m.group(2)]))


def parse_mu(raw: Any) -> Decimal:
    """An area in mu as written in a cell: ``852``, ``852亩``, ``44.5``.

    >>> parse_mu("852亩")
    Decimal('852')
    """
    if isinstance(raw, bool):
        raise CellError(Phrase("expected-mu", {"got": str(raw)}))
    if isinstance(raw, int | float | Decimal):
        return _non_negative(_number(raw))
    text = str(raw).strip()
    m = _AREA.fullmatch(text)
    if m is None:
        if _WITH_UNIT.fullmatch(text):
            raise CellError(Phrase("wrong-unit", {"got": text, "unit": "亩"}))
        raise CellError(Phrase("expected-mu", {"got": repr(text)}))
    return _non_negative(_tidy(_digits(m.group(1))))


def _count(raw: Any, units: tuple[str, ...]) -> int:
    unit = units[0] if units else ""
    if isinstance(raw, bool):
        raise CellError(Phrase("expected-whole-number", {"got": str(raw)}))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and (m := _COUNT.fullmatch(raw)) is not None:
        written = (m.group(2) or "").strip()
        if written and written not in units:
            if not units:
                raise CellError(Phrase("expected-whole-number", {"got": repr(raw)}))
            raise CellError(Phrase("wrong-unit", {"got": raw, "unit": unit}))
        value = int(m.group(1).replace(",", "").replace("，", ""))
    elif units:
        raise CellError(Phrase("expected-count", {"got": repr(raw), "unit": unit}))
    else:
        raise CellError(Phrase("expected-whole-number", {"got": repr(raw)}))
    if value < 0:
        raise CellError(Phrase("negative-value", {"value": value}))
    return value


def _typed_number(raw: int | float) -> str:
    return f"{raw:.15g}" if isinstance(raw, float) else str(raw)


def _date(raw: Any, kind: str) -> Any:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise CellError(Phrase("expected-date-without-time", {"got": f"{raw:%Y-%m-%d %H:%M}"}))
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        m = _DATE_TEXT.fullmatch(raw)
        if m:
            year, month, day = (int(g) for g in m.groups())
            try:
                return date(year, month, day)
            except ValueError:
                why = no_such_day(year, month)
                raise CellError(Phrase("not-a-calendar-date", {"value": raw, "why": why})) from None
        if kind == "limit":
            return raw
    raise CellError(Phrase("expected-date-example", {"got": repr(raw)}))


def parse_cell(raw: Any, kind: str, *, trim: bool = False, units: tuple[str, ...] = ()) -> Any:
    """A cell value as the column's ``kind``; raises :class:`CellError` saying why it cannot be
    (the kinds: :class:`~campaignkit.workbook.sheets.SheetColumn`).

    Free text is kept as written (spaces included) unless ``trim``; codes, choices,
    numbers and dates are trimmed. ``units`` are those a count may be written with.
    """
    if isinstance(raw, str):
        raw = restore_cell(raw)
        if kind != "text" or trim:
            raw = raw.strip()
    if kind == "code":
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raise CellError(Phrase("uscc-typed-as-number", {"value": _typed_number(raw)}))
        kind = "text"
    if kind in ("text", "list"):
        if isinstance(raw, bool):
            raise CellError(Phrase("expected-text", {"got": str(raw)}))
        if isinstance(raw, float):
            if not raw.is_integer():
                raise CellError(
                    Phrase("expected-text", {"got": Phrase("value.number", {"value": repr(raw)})})
                )
            raw = int(raw)
        if isinstance(raw, datetime | date):
            raise CellError(Phrase("expected-text-not-date", {"day": f"{raw:%Y-%m-%d}"}))
        text = str(raw)
        if kind == "list":
            return [part for part in _SPLIT.split(text) if part]
        return text
    if kind == "int":
        return _count(raw, units)
    if kind == "yuan":
        return parse_yuan(raw)
    if kind == "mu":
        return parse_mu(raw)
    if kind == "decimal":
        if isinstance(raw, bool):
            raise CellError(Phrase("expected-number", {"got": str(raw)}))
        try:
            return Decimal(str(raw)) if not isinstance(raw, float) else Decimal(repr(raw))
        except InvalidOperation:
            raise CellError(Phrase("expected-number", {"got": repr(raw)})) from None
    if kind == "bool":
        text = str(raw).strip().casefold()
        if raw is True or text in _YES:
            return True
        if raw is False or text in _NO:
            return False
        raise CellError(Phrase("expected-yes-no", {"got": repr(raw)}))
    if kind in ("date", "limit"):
        return _date(raw, kind)
    raise AssertionError(kind)  # pragma: no cover - the layouts use the kinds above
