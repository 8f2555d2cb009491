"""A ledger with events appended: its indexes answer for the new ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import campaignkit
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import IssueEvent

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return campaignkit.load(EXAMPLE)


def _note(day: dt.date) -> IssueEvent:
    return IssueEvent(kind="feedback", date=day, note="回访")


def test_appended_events_are_seen_through_the_issue_index(ledger: Ledger) -> None:
    assert ledger.issue_index  # built before: the new ledger must not keep the old issues
    first, second = ledger.issues[0], ledger.issues[3]
    day = dt.date(2020, 8, 1)
    after = ledger.with_events({first.id: [_note(day)], second.id: (_note(day), _note(day))})
    assert after.issue_index[first.id].events == (*first.events, _note(day))
    assert len(after.issue_index[second.id].events) == len(second.events) + 2
    assert after.issue_index[first.id] is after.issues[0]
    assert after.issue_index == {issue.id: issue for issue in after.issues}
    assert ledger.issue_index[first.id] is first  # the old ledger is as it was
    assert after.issues[1:3] == ledger.issues[1:3]


def test_the_other_indexes_are_those_of_the_same_records(ledger: Ledger) -> None:
    assert ledger.enterprise_index and ledger.team_index and ledger.region_index  # built
    after = ledger.with_events({ledger.issues[0].id: [_note(dt.date(2020, 8, 1))]})
    assert after.enterprise_index == {e.id: e for e in after.enterprises}
    assert after.team_index == {t.id: t for t in after.teams}
    assert after.region_index == {r.code: r for r in after.regions}


def test_an_issue_id_given_twice_keeps_the_first_in_the_index(ledger: Ledger) -> None:
    first = ledger.issues[0]
    twin = attrs.evolve(ledger.issues[1], id=first.id)
    doubled = ledger.replace(issues=(first, twin, *ledger.issues[2:]))
    assert len(doubled.issue_index) == len(doubled.issues) - 1
    after = doubled.with_events({first.id: [_note(dt.date(2020, 8, 1))]})
    assert after.issue_index[first.id] is after.issues[0]
    assert after.issues[1].events[-1] == _note(dt.date(2020, 8, 1))


def test_an_unknown_issue_is_refused(ledger: Ledger) -> None:
    with pytest.raises(KeyError, match="E-none"):
        ledger.with_events({"E-none": [_note(dt.date(2020, 8, 1))]})


def test_appending_to_a_ledger_whose_index_was_never_built() -> None:
    fresh = campaignkit.load(EXAMPLE)
    first = fresh.issues[0]
    after = fresh.with_events({first.id: [_note(dt.date(2020, 8, 1))]})
    assert after.issue_index[first.id].events[-1] == _note(dt.date(2020, 8, 1))
    assert after.issue_index == {issue.id: issue for issue in after.issues}


def test_an_unknown_issue_is_refused_before_any_addition_is_read(ledger: Ledger) -> None:
    read: list[IssueEvent] = []

    def events() -> Iterator[IssueEvent]:
        read.append(_note(dt.date(2020, 8, 1)))
        yield read[-1]

    with pytest.raises(KeyError, match="E-none"):
        ledger.with_events({ledger.issues[0].id: events(), "E-none": []})
    assert read == []
