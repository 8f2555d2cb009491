"""Exact quantities and how Chinese reports write them.

Money is stored in yuan and land in mu, always as :class:`~decimal.Decimal`.
万元 (10⁴ yuan) and 亿元 (10⁸ yuan) are *formatting*, never storage.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import ParamSpec, TypeVar

__all__ = [
    "EXACT",
    "MU_IN_SQUARE_METRES",
    "WAN",
    "YI",
    "exact",
    "format_count",
    "format_mu",
    "format_yuan",
    "mu_to_square_metres",
    "square_metres_to_mu",
    "with_unit",
]

EXACT = Context(
    prec=80,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The decimal context campaignkit's arithmetic on figures runs in, whatever the caller's
(see :func:`exact`): 80 significant digits hold any sum of amounts within the limits
(10¹⁶ yuan with six places, summed over millions of records) exactly, so no figure is
rounded by the context a host program happens to set."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def exact(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` run in a copy of :data:`EXACT`: the caller's decimal context (its
    precision, traps and flags) neither changes the result nor is changed by it."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(EXACT):
            return function(*args, **kwargs)

    return run


WAN = Decimal(10_000)
"""万: 10⁴."""
YI = Decimal(100_000_000)
"""亿: 10⁸."""
with localcontext(EXACT):  # (a copy: EXACT itself keeps no flags)
    MU_IN_SQUARE_METRES = Decimal(10_000) / Decimal(15)
"""One 亩 (mu) is 10000/15 m² ≈ 666.67 m², to :data:`EXACT`'s 80 digits whatever the
context of the program that imports campaignkit."""


@exact
def mu_to_square_metres(mu: Decimal) -> Decimal:
    """Convert mu to square metres (exact up to Decimal precision)."""
    return mu * Decimal(10_000) / Decimal(15)


@exact
def square_metres_to_mu(m2: Decimal) -> Decimal:
    """Convert square metres to mu."""
    return m2 * Decimal(15) / Decimal(10_000)


def _plain(value: Decimal) -> str:
    """Format a Decimal without exponent and without trailing zeros."""
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    return f"{value.normalize():f}"


@exact
def format_yuan(amount: Decimal | int, lang: str = "zh") -> str:
    """Write an amount of yuan as a report would.

    >>> format_yuan(Decimal("1000000000"))
    '10亿元'
    >>> format_yuan(Decimal("750000000"))
    '7.5亿元'
    >>> format_yuan(Decimal("130000000"))
    '1.3亿元'
    >>> format_yuan(Decimal("5600000"))
    '560万元'
    >>> format_yuan(Decimal("1200"))
    '1200元'
    >>> format_yuan(Decimal("2218000000"), lang="en")
    'CNY 2,218,000,000'
    """
    value = Decimal(amount)
    if lang != "zh":
        if value == value.to_integral_value():
            return f"CNY {int(value):,}"
        return f"CNY {value:,f}"
    if abs(value) >= YI:
        return f"{_plain(value / YI)}亿元"
    if abs(value) >= WAN:
        return f"{_plain(value / WAN)}万元"
    return f"{_plain(value)}元"


@exact
def format_mu(area: Decimal | int, lang: str = "zh") -> str:
    """Write an area in mu: ``852亩`` (zh) or ``852 mu`` (en)."""
    text = _plain(Decimal(area))
    return f"{text}亩" if lang == "zh" else f"{text} mu"


@exact
def format_count(value: Decimal | int) -> str:
    """Write a count or plain number without exponent or trailing zeros."""
    return _plain(Decimal(value))


def with_unit(label: str, unit: str) -> str:
    """A label with its unit, as headers name it: ``走访企业（家）``, ``拟投资（元）``,
    ``materials handed out (copies)``. Chinese words take full-width brackets, Latin ones
    ASCII brackets after a space."""
    if label[-1:].isascii() and unit.isascii():
        return f"{label} ({unit})"
    return f"{label}（{unit}）"
