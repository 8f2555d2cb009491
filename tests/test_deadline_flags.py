"""The metrics' shortcut (deadline_flags) agrees with the full clocks (issue_clocks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import campaignkit as ck
from campaignkit.calendar import default_calendar
from campaignkit.deadlines import ClockStatus, deadline_flags, issue_clocks, resolved_on_time
from campaignkit.ledger import Ledger
from campaignkit.plugins.sisong_yifu import POLICY
from tests.strategies import ledgers

HUAINAN = Path(__file__).parents[1] / "examples" / "huainan-2020" / "ledger.json"


def _full(ledger: Ledger, as_of: dt.date) -> dict[str, tuple[bool, bool]]:
    cal = default_calendar()
    out = {}
    for issue in ledger.issues:
        clocks = issue_clocks(issue, POLICY, as_of=as_of, calendar=cal)
        overdue = any(c.status is ClockStatus.OVERDUE for c in clocks)
        out[issue.id] = (resolved_on_time(clocks, POLICY), overdue)
    return out


def _flags(ledger: Ledger, as_of: dt.date) -> dict[str, tuple[bool, bool]]:
    cal = default_calendar()
    return {i.id: deadline_flags(i, POLICY, as_of=as_of, calendar=cal) for i in ledger.issues}


@pytest.mark.parametrize("day", ["2020-04-20", "2020-05-06", "2020-05-12", "2020-07-01"])
def test_huainan_flags_match_the_clocks(day: str) -> None:
    ledger = ck.load(HUAINAN)
    as_of = dt.date.fromisoformat(day)
    full = _full(ledger, as_of)
    assert _flags(ledger, as_of) == full
    if as_of >= dt.date(2020, 5, 6):  # by then some deadlines have passed: not vacuous
        assert any(overdue for _, overdue in full.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.integers(0, 90))
def test_flags_match_the_clocks_on_any_ledger(ledger: Ledger, offset: int) -> None:
    as_of = dt.date(2020, 4, 12) + dt.timedelta(days=offset)
    assert _flags(ledger, as_of) == _full(ledger, as_of)
