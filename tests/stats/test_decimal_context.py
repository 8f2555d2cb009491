"""Figures do not depend on the decimal context of the program that asks for them, and
asking leaves that context as it was."""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import campaignkit as ck
from campaignkit.model.units import format_yuan
from campaignkit.report.build import build_report, render
from campaignkit.stats.narrative import format_number
from campaignkit.stats.reconcile import reconcile

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture
def hostile() -> Iterator[decimal.Context]:
    """A caller's context that rounds hard and traps rounding, restored afterwards."""
    before = decimal.getcontext()
    context = decimal.Context(
        prec=6, rounding=decimal.ROUND_FLOOR, traps=[decimal.Inexact, decimal.Rounded]
    )
    decimal.setcontext(context)
    try:
        yield context
    finally:
        decimal.setcontext(before)


def _figures(ledger: ck.Ledger) -> dict[str, str]:
    return {key: str(result.value) for key, result in ck.compute_all(ledger).items()}


def test_figures_and_reports_ignore_the_callers_context(hostile: decimal.Context) -> None:
    with decimal.localcontext(decimal.Context()):
        ledger = ck.load(HUAINAN)
        # an amount with more digits than the caller keeps
        n = next(n for n, o in enumerate(ledger.outcomes) if o.amount_yuan is not None)
        changed = attrs.evolve(ledger.outcomes[n], amount_yuan=Decimal("1234567.891"))
        outcomes = (*ledger.outcomes[:n], changed, *ledger.outcomes[n + 1 :])
        ledger = ledger.replace(outcomes=outcomes)
    formats = ("text", "json", "csv", "markdown")
    with decimal.localcontext(decimal.Context()):
        expected = _figures(ledger)
        rendered = {f: render(build_report(ledger), f) for f in formats}
    assert _figures(ledger) == expected
    assert {f: render(build_report(ledger), f) for f in formats} == rendered
    assert "1234567.891" in rendered["json"].decode() and "1234567.891" in rendered["csv"].decode()
    assert format_yuan(Decimal("1234567.891")) == "123.4567891万元"
    # the caller's context is as it was: nothing computed set its flags
    assert decimal.getcontext() is hostile
    assert not any(hostile.flags.values())


def test_reconciling_ignores_the_callers_context(hostile: decimal.Context) -> None:
    ledger = ck.load(HUAINAN)
    claims = {"issues_collected": 217, "land_mu": "852.4", "investment_amount": "10.0亿"}
    with decimal.localcontext(decimal.Context()):
        expected = reconcile(ledger, claims)
    assert [d.computed.id for d in expected] == ["land_mu"]
    assert reconcile(ledger, claims) == expected
    assert not any(hostile.flags.values())


def test_discrepancies_are_worded_whatever_the_callers_context(hostile: decimal.Context) -> None:
    ledger = ck.load(HUAINAN)
    rate = ck.compute(ledger, "resolution_rate")
    assert isinstance(rate.value, Decimal)
    # a claimed rate a point off, and amounts with more digits than the caller keeps
    with decimal.localcontext(decimal.Context()):
        percent = (rate.value * 100).quantize(Decimal("0.1")) + 1
    claims = {
        "resolution_rate": f"{percent}%",
        "financing_amount": "22.18亿元",
        "land_mu": "5135.25亩",
    }

    def worded() -> list[tuple[str, str, Decimal | None]]:
        found = reconcile(ledger, claims)
        return [(d.describe("zh"), d.describe("en"), d.difference) for d in found]

    with decimal.localcontext(decimal.Context()):
        expected = worded()
        shown = format_number(rate.value, rate.value_kind, rate.unit)
    assert [line[0].split()[0] for line in expected] == list(claims)
    assert worded() == expected  # prec=6, traps Inexact: nothing rounded, nothing raised
    assert format_number(rate.value, rate.value_kind, rate.unit) == shown
    with decimal.localcontext(decimal.Context(prec=3)):
        assert worded() == expected
        assert format_number(rate.value, rate.value_kind, rate.unit) == shown
    assert not any(hostile.flags.values())
