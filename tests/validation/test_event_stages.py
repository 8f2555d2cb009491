"""The deadline stage an event names is one of its campaign type's, and a due date or
deadline an event gives concerns a clock the event starts: otherwise the date would count
for nothing, and the clock would run to the policy's date unnoticed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

import campaignkit as ck
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent
from campaignkit.plugins import IssuePolicy

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def ledger() -> ck.Ledger:
    return ck.load(EXAMPLE)


def _with(ledger: ck.Ledger, issue: Issue, k: int, **changes: Any) -> ck.Ledger:
    events = list(issue.events)
    events[k] = attrs.evolve(events[k], **changes)
    changed = attrs.evolve(issue, events=tuple(events))
    return ledger.replace(issues=tuple(changed if i is issue else i for i in ledger.issues))


def _first(ledger: ck.Ledger, kind: str) -> tuple[int, Issue, int]:
    for n, issue in enumerate(ledger.issues):
        for k, event in enumerate(issue.events):
            if event.kind == kind:
                return n, issue, k
    raise AssertionError(f"no {kind} event in the example")


def test_a_misspelt_stage_is_a_problem(ledger: ck.Ledger) -> None:
    n, issue, k = _first(ledger, "assigned")
    due = issue.events[k].date + dt.timedelta(days=20)
    (problem,) = ck.validate(_with(ledger, issue, k, stage="resolve", due=due))
    stages = ", ".join(s.key for s in _policy(ledger).stages)
    assert str(problem) == (
        f"issues[{n}].events[{k}].stage: unknown deadline stage 'resolve' for campaign type "
        f"'sisong-yifu' (known: {stages})"
    )
    assert problem.text("zh").endswith(
        f"活动类型 'sisong-yifu' 没有时限环节 'resolve'（已有：{stages}）"
    )


def _policy(ledger: ck.Ledger) -> IssuePolicy:
    return ck.get_plugin_manager().campaign_type(ledger.campaign.type).policy


def test_a_due_date_for_a_clock_the_event_does_not_start_is_a_problem(ledger: ck.Ledger) -> None:
    policy = _policy(ledger)
    n, issue, k = _first(ledger, "reopened")
    starts = [s.key for s in policy.stages if "reopened" in s.start]
    other = next(s.key for s in policy.stages if s.key not in starts)
    event = issue.events[k]
    (problem,) = ck.validate(_with(ledger, issue, k, stage=other, due=event.date))
    assert str(problem) == (
        f"issues[{n}].events[{k}].stage: reopened does not start the {other} clock, so its due "
        f"date or deadline would count for nothing (it starts: {', '.join(starts)})"
    )
    # naming a stage without a date of its own (a plugin's own use), or a stage the event
    # starts, is fine
    assert ck.validate(_with(ledger, issue, k, stage=other)) == []
    assert ck.validate(_with(ledger, issue, k, stage="routing")) == []
    assert ck.validate(_with(ledger, issue, k, stage=starts[0], due=event.date)) == []


def test_an_appended_event_is_checked_the_same_way(ledger: ck.Ledger) -> None:
    n, issue, _ = _first(ledger, "assigned")
    last = issue.events[-1]
    event = IssueEvent("extended", last.date, stage="resolve", due=last.date)
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(ledger, {issue.id: [event]})
    (problem,) = info.value.problems
    assert problem.path == f"issues[{n}].events[{len(issue.events)}].stage"


def test_an_extension_gives_a_due_date_or_a_deadline_not_both(ledger: ck.Ledger) -> None:
    open_ = next(i for i in ledger.issues if i.events and i.events[-1].kind == "assigned")
    m = ledger.issues.index(open_)
    day = open_.events[-1].date
    to_date = IssueEvent("extended", day, due=day + dt.timedelta(days=40))
    extended = ck.append_events(ledger, {open_.id: [to_date]})  # a new date alone: accepted
    assert ck.validate(extended) == []
    both = attrs.evolve(to_date, deadline=Deadline(5, DeadlineUnit.WORKING_DAYS))
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(ledger, {open_.id: [both]})
    (problem,) = info.value.problems
    assert str(problem) == (
        f"issues[{m}].events[{len(open_.events)}].due: an extension gives both a new due date "
        "and a deadline to add: give one (the due date would be taken and the deadline ignored)"
    )
    neither = attrs.evolve(to_date, due=None)
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(ledger, {open_.id: [neither]})
    (problem,) = info.value.problems
    assert "event 'extended' needs due or deadline" in str(problem)
