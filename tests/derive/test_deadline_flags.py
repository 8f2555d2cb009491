"""The metrics' shortcuts (deadline_flags, deadline_flag_codes) agree with the full clocks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import campaignkit as ck
from benchmarks.generate import write_ledger
from campaignkit.derive.calendar import default_calendar
from campaignkit.derive.deadlines import (
    ClockStatus,
    deadline_flag_codes,
    deadline_flags,
    issue_clocks,
    resolved_on_time,
)
from campaignkit.derive.views import Deriver
from campaignkit.model.ledger import Ledger
from campaignkit.plugins.sisong_yifu import POLICY
from campaignkit.rules.lifecycle import DEFAULT_LIFECYCLE
from tests.lifecycles import with_guard
from tests.strategies import ledgers

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


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
    flags = {i.id: deadline_flags(i, POLICY, as_of=as_of, calendar=cal) for i in ledger.issues}
    codes = deadline_flag_codes(ledger.issues, POLICY, as_of=as_of, calendar=cal)
    # the one-pass form gives the same answers, issue by issue
    assert [bool(c & 1) for c in codes] == [flags[i.id][0] for i in ledger.issues]
    assert [bool(c & 2) for c in codes] == [flags[i.id][1] for i in ledger.issues]
    # asked for one bit only (the summary's two metrics), the same bit and 0 for the other
    for wanted in (1, 2):
        alone = deadline_flag_codes(ledger.issues, POLICY, as_of=as_of, calendar=cal, wanted=wanted)
        assert list(alone) == [c & wanted for c in codes]
    # handed the shapes derived already, it reads them: the same answers
    deriver = Deriver(None, POLICY, cal)
    shapes = [deriver.shape(i, as_of) for i in ledger.issues]
    handed = deadline_flag_codes(ledger.issues, POLICY, as_of=as_of, deriver=deriver, shapes=shapes)
    assert handed == codes
    if shapes:
        with pytest.raises(ValueError, match="shapes for"):
            deadline_flag_codes(ledger.issues, POLICY, as_of=as_of, shapes=shapes[1:])
    return flags


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


def test_generated_ledger_flags_match_the_clocks(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 1500, seed=11)
    ledger = ck.load(path)
    for day in ("2024-06-01", "2024-11-15", "2024-12-31"):
        as_of = dt.date.fromisoformat(day)
        full = _full(ledger, as_of)
        assert _flags(ledger, as_of) == full
        assert any(overdue for _, overdue in full.values())
        assert not all(on_time for on_time, _ in full.values())


@pytest.mark.parametrize("stage", ["response", "resolution"])
def test_on_time_bit_alone_follows_the_policy_on_time_stage(stage: str) -> None:
    # the one-stage loop of the on-time bit with another stage than the usual one
    policy = evolve(POLICY, on_time_stage=stage)
    ledger = ck.load(HUAINAN)
    cal = default_calendar()
    for day in ("2020-04-20", "2020-05-12", "2020-07-01"):
        as_of = dt.date.fromisoformat(day)
        alone = deadline_flag_codes(ledger.issues, policy, as_of=as_of, calendar=cal, wanted=1)
        full = [
            resolved_on_time(issue_clocks(i, policy, as_of=as_of, calendar=cal), policy)
            for i in ledger.issues
        ]
        assert list(alone) == [int(on_time) for on_time in full]


def test_a_deriver_that_remembers_no_steps_judges_each_shape_it_made(tmp_path: Path) -> None:
    """With a plugin's own guard the deriver remembers no step and makes new shapes on
    every walk: a shape judged once must not be mistaken for the next one made where it
    was (a freed object's id is given to the next object of its size)."""
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 1500, seed=11)
    ledger = ck.load(path)
    lifecycle = with_guard(DEFAULT_LIFECYCLE, "resolved", lambda issue, event: None)
    cal = default_calendar()
    deriver = Deriver(lifecycle, POLICY, cal)
    assert not deriver.remembers
    for day in ("2024-06-01", "2024-11-15"):
        as_of = dt.date.fromisoformat(day)
        codes = deadline_flag_codes(ledger.issues, POLICY, as_of=as_of, deriver=deriver)
        full = _full(ledger, as_of)
        assert [(bool(c & 1), bool(c & 2)) for c in codes] == [full[i.id] for i in ledger.issues]
