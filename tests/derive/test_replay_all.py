"""replay and replay_all (every issue through one deriver, cut at a date) give what the slow
reference gives stepping each event through the lifecycle (``tests/derive/oracle.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import campaignkit as ck
from benchmarks.generate import write_ledger
from campaignkit.derive.views import latest_event_dates, replay, replay_all, replay_columns
from campaignkit.errors import TransitionError
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Issue, IssueEvent
from campaignkit.rules.lifecycle import DEFAULT_LIFECYCLE, IssueState
from tests.derive.oracle import replay_state
from tests.strategies import ledgers

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _one_by_one(ledger: Ledger, as_of: dt.date | None) -> list[IssueState]:
    found = []
    for issue in ledger.issues:
        seen = issue.events if as_of is None else [e for e in issue.events if e.date <= as_of]
        expected = replay_state(issue, DEFAULT_LIFECYCLE, seen)
        assert replay(issue, DEFAULT_LIFECYCLE, seen) == expected
        found.append(expected)
    return found


@pytest.mark.parametrize("day", ["2020-04-12", "2020-04-20", "2020-05-12", "2020-07-01", None])
def test_huainan(day: str | None) -> None:
    ledger = ck.load(HUAINAN)
    as_of = dt.date.fromisoformat(day) if day else None
    assert replay_all(ledger.issues, DEFAULT_LIFECYCLE, as_of) == _one_by_one(ledger, as_of)


def test_generated_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 1500, seed=3)
    ledger = ck.load(path)
    for as_of in (dt.date(2024, 6, 1), dt.date(2024, 11, 15), None):
        found = replay_all(ledger.issues, DEFAULT_LIFECYCLE, as_of)
        assert found == _one_by_one(ledger, as_of)
        assert len({s.kind for s in found}) >= 3


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.integers(0, 90))
def test_any_ledger(ledger: Ledger, offset: int) -> None:
    as_of = dt.date(2020, 4, 12) + dt.timedelta(days=offset)
    assert replay_all(ledger.issues, DEFAULT_LIFECYCLE, as_of) == _one_by_one(ledger, as_of)


def _error(call: object) -> str:
    with pytest.raises(TransitionError) as info:
        call()  # type: ignore[operator]
    return str(info.value)


@pytest.mark.parametrize(
    "events",
    [
        (IssueEvent("resolved", dt.date(2020, 4, 20)),),  # not allowed when raised
        (IssueEvent("assigned", dt.date(2020, 4, 20), level="county"),),  # needs department
        (
            IssueEvent("answered_on_spot", dt.date(2020, 4, 20)),
            IssueEvent("return_visit", dt.date(2020, 4, 21)),  # needs rating
        ),
    ],
)
def test_the_same_errors(events: tuple[IssueEvent, ...]) -> None:
    good = Issue("Q-1", "labour", "fine", "visit", dt.date(2020, 4, 19))
    bad = Issue("Q-2", "labour", "broken", "visit", dt.date(2020, 4, 19), events=events)
    expected = _error(lambda: replay_state(bad, DEFAULT_LIFECYCLE))
    assert _error(lambda: replay(bad, DEFAULT_LIFECYCLE)) == expected
    assert _error(lambda: replay_all([good, bad], DEFAULT_LIFECYCLE)) == expected
    with pytest.raises(TransitionError) as info:
        replay(bad, DEFAULT_LIFECYCLE)
    assert info.value.position == len(events) - 1  # where in the history it was refused
    # an event after the date is not seen
    assert replay_all([bad], DEFAULT_LIFECYCLE, dt.date(2020, 4, 19))[0].state == "raised"


def test_context_states_from_columns(tmp_path: Path) -> None:
    """A context's metrics read the replay's columns; its states, made on demand, are replay's."""
    from campaignkit.stats.metrics import StateView, compute_all, make_context

    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 800, seed=9)
    ledger = ck.load(path)
    ctx = make_context(ledger, as_of=dt.date(2024, 11, 15))
    compute_all(ctx)
    view = ctx.issue_state_list()
    assert isinstance(view, StateView)
    expected = _one_by_one(ctx.ledger, dt.date(2024, 11, 15))
    assert len(view) == len(expected)
    assert list(view) == expected == list(ctx.issue_state_list())
    assert view[3] == expected[3] and list(view[2:5]) == expected[2:5]
    assert ctx.issue_states() == {s.issue: s for s in expected}
    columns = view.columns
    assert columns.kind == [s.kind for s in expected]
    assert columns.level == [s.level for s in expected]
    assert columns.ratings == [s.ratings for s in expected]


def _columns_equal(issues: list[Issue], as_of: dt.date) -> None:
    """The state columns as of ``as_of`` read from the whole histories' columns are the
    ones replayed without them."""
    whole = replay_columns(issues, DEFAULT_LIFECYCLE)
    plain = replay_columns(issues, DEFAULT_LIFECYCLE, as_of)
    assert replay_columns(issues, DEFAULT_LIFECYCLE, as_of, whole) == plain
    latest = latest_event_dates(issues)
    assert replay_columns(issues, DEFAULT_LIFECYCLE, as_of, whole, latest) == plain
    with pytest.raises(ValueError, match="latest dates for"):
        replay_columns(issues, DEFAULT_LIFECYCLE, as_of, whole, latest[1:])


def test_known_columns_with_histories_out_of_date_order(tmp_path: Path) -> None:
    """Histories whose dates are reversed (their events in the same order) where the
    lifecycle still takes them cut at both dates: an issue whose latest event comes
    first is replayed, not read whole."""
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 600, seed=5)
    ledger = ck.load(path)
    days = (dt.date(2024, 6, 1), dt.date(2024, 11, 15))

    def reversed_dates(issue: Issue) -> Issue:
        dates = sorted((e.date for e in issue.events), reverse=True)
        events = tuple(attrs.evolve(e, date=d) for e, d in zip(issue.events, dates, strict=True))
        changed = attrs.evolve(issue, events=events)
        try:
            for as_of in days:
                replay(changed, DEFAULT_LIFECYCLE, [e for e in events if e.date <= as_of])
        except TransitionError:
            return issue
        return changed

    mixed = [reversed_dates(issue) for issue in ledger.issues]
    assert latest_event_dates(mixed) != latest_event_dates(mixed, ordered=True)
    for as_of in days:
        _columns_equal(mixed, as_of)
        _columns_equal(list(ledger.issues), as_of)
