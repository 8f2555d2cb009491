"""A row closed off with the enterprise's rating: where the lifecycle says the rating goes."""

from __future__ import annotations

from datetime import date

from campaignkit.model.records import Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import DEFAULT_LIFECYCLE, Lifecycle
from campaignkit.workbook.history import plan
from campaignkit.workbook.sheets import Handling, handling

ISSUE = Issue(
    "Q-0001",
    "labour",
    "招工难",
    "visit",
    date(2021, 4, 1),
    events=(
        IssueEvent("assigned", date(2021, 4, 2), level="county", department="县人社局"),
        IssueEvent("resolved", date(2021, 4, 20)),
    ),
)
TARGET = Handling(
    "closed",
    level="county",
    department="县人社局",
    rating=Satisfaction.SATISFIED,
    assigned_on=date(2021, 4, 2),
    resolved_on=date(2021, 4, 20),
)


def _closed_with(lifecycle: Lifecycle) -> tuple[IssueEvent, ...]:
    events = plan(ISSUE, TARGET, lifecycle, ("county", "city", "province"))
    reached = handling(ISSUE, lifecycle, (*ISSUE.events, *events))
    assert (reached.state, reached.rating) == ("closed", Satisfaction.SATISFIED)
    return events


def test_a_closing_that_carries_the_rating_gets_it() -> None:
    from campaignkit_henan.handling import LIFECYCLE  # closing off needs the rating

    assert LIFECYCLE.rated is not None and "closed" in LIFECYCLE.rated
    events = _closed_with(LIFECYCLE)
    assert [(e.kind, e.rating) for e in events] == [("closed", Satisfaction.SATISFIED)]


def test_the_built_in_lifecycle_records_a_return_visit_before_closing() -> None:
    events = _closed_with(DEFAULT_LIFECYCLE)
    assert [(e.kind, e.rating) for e in events] == [
        ("return_visit", Satisfaction.SATISFIED),
        ("closed", None),
    ]
