"""Deadline clocks from issue histories: limits, explicit dates, extensions, pauses, status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from campaignkit.derive.calendar import WorkCalendar, calendar_from_schedule
from campaignkit.derive.deadlines import (
    ClockStatus,
    current_clocks,
    deadline_text,
    issue_clocks,
    ledger_clocks,
    resolved_on_time,
)
from campaignkit.io import ledger_from_document
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.plugins.sisong_yifu import POLICY
from campaignkit.rules.policy import DeadlineStage, IssuePolicy
from campaignkit.rules.records import Label
from tests.schedules import schedule_2023

D = dt.date
WD = DeadlineUnit.WORKING_DAYS
CAL = WorkCalendar((CHINA_STATUTORY,))
POL = IssuePolicy(
    stages=(
        DeadlineStage(
            "response",
            Label("首次响应", "first response"),
            start=("assigned", "escalated"),
            stop=("feedback", "taken_back", "resolved", "closed_unresolved"),
            default=Deadline(2, WD),
        ),
        DeadlineStage(
            "resolution",
            Label("限时办结", "resolution"),
            start=("assigned", "escalated", "reopened"),
            stop=("resolved", "answered_on_spot", "closed_unresolved"),
            default=Deadline(5, WD),
            limits=(("city", Deadline(10, WD)), ("province", Deadline(3, DeadlineUnit.DAYS))),
        ),
    ),
    warn_before=Deadline(1, WD),
)


RAISED = D(2020, 4, 20)


def issue(*events: IssueEvent, raised: dt.date = RAISED) -> Issue:
    return Issue("Q1", "labour", "招工难", "visit", raised, events=events)


def assigned(day: dt.date, level: str = "county", **kw: Any) -> IssueEvent:
    return IssueEvent("assigned", day, level=level, department="区人社局", **kw)


def clocks(i: Issue, as_of: dt.date, policy: IssuePolicy = POL) -> dict[str, Any]:
    return current_clocks(issue_clocks(i, policy, as_of=as_of, calendar=CAL))


def test_policy_limit_across_may_day() -> None:
    c = clocks(issue(assigned(D(2020, 4, 28))), D(2020, 4, 28))
    res, resp = c["resolution"], c["response"]
    assert res.due == D(2020, 5, 8)  # 1–5 May off
    assert res.source == "policy"
    assert res.limit == Deadline(5, WD)
    assert res.level == "county"
    assert res.department == "区人社局"
    assert resp.due == D(2020, 4, 30)
    assert res.warn_from == D(2020, 5, 7)
    assert res.status is ClockStatus.PENDING
    assert res.running
    assert res.calendars == ("cn-statutory",)
    assert not res.fallback


@pytest.mark.parametrize(
    ("as_of", "status", "late"),
    [
        (D(2020, 5, 6), ClockStatus.PENDING, 0),
        (D(2020, 5, 7), ClockStatus.DUE_SOON, 0),
        (D(2020, 5, 8), ClockStatus.DUE_SOON, 0),
        (D(2020, 5, 9), ClockStatus.OVERDUE, 1),  # Saturday 9 May was a working day
        # Sunday counts as the Monday that follows, the second working day past due
        (D(2020, 5, 10), ClockStatus.OVERDUE, 2),
        (D(2020, 5, 11), ClockStatus.OVERDUE, 2),
        (D(2020, 5, 12), ClockStatus.OVERDUE, 3),
    ],
)
def test_status_as_of(as_of: dt.date, status: ClockStatus, late: int) -> None:
    res = clocks(issue(assigned(D(2020, 4, 28))), as_of)["resolution"]
    assert res.status is status
    assert res.late == late
    assert res.as_of == as_of


def test_met_and_missed() -> None:
    on_time = issue(assigned(D(2020, 4, 28)), IssueEvent("resolved", D(2020, 5, 8)))
    late = issue(assigned(D(2020, 4, 28)), IssueEvent("resolved", D(2020, 5, 11)))
    met = clocks(on_time, D(2020, 6, 1))["resolution"]
    missed = clocks(late, D(2020, 6, 1))["resolution"]
    assert met.status is ClockStatus.MET
    assert met.stopped == D(2020, 5, 8)
    assert met.stop_kind == "resolved"
    assert met.stop_index == 1
    assert not met.running
    assert missed.status is ClockStatus.MISSED
    assert missed.late == 2
    # The response clock was stopped by the resolution too, late.
    assert clocks(late, D(2020, 6, 1))["response"].status is ClockStatus.MISSED
    assert resolved_on_time(issue_clocks(on_time, POL, as_of=D(2020, 6, 1), calendar=CAL), POL)
    assert not resolved_on_time(issue_clocks(late, POL, as_of=D(2020, 6, 1), calendar=CAL), POL)


def test_event_due_and_deadline_override_the_policy() -> None:
    with_due = clocks(issue(assigned(D(2020, 4, 28), due=D(2020, 5, 20))), D(2020, 4, 28))
    assert with_due["resolution"].due == D(2020, 5, 20)
    assert with_due["resolution"].source == "due"
    assert with_due["resolution"].limit is None
    assert with_due["response"].source == "policy"  # an unnamed stage means the last one
    named = clocks(
        issue(assigned(D(2020, 4, 28), due=D(2020, 4, 29), stage="response")), D(2020, 4, 28)
    )
    assert named["response"].due == D(2020, 4, 29)
    assert named["resolution"].source == "policy"
    days = clocks(
        issue(assigned(D(2020, 4, 28), deadline=Deadline(3, DeadlineUnit.DAYS))), D(2020, 4, 28)
    )
    assert days["resolution"].due == D(2020, 5, 1)
    assert days["resolution"].source == "deadline"
    assert days["resolution"].unit is DeadlineUnit.DAYS


def test_level_limits_and_hours() -> None:
    city = clocks(issue(assigned(D(2020, 4, 28), level="city")), D(2020, 4, 28))
    # 29, 30 April, then 6, 7, 8, 9 (Saturday worked), 11, 12, 13, 14 May: the tenth.
    assert city["resolution"].due == D(2020, 5, 14)
    prov = clocks(issue(assigned(D(2020, 4, 28), level="province")), D(2020, 4, 28))
    assert prov["resolution"].due == D(2020, 5, 1)  # three calendar days
    hours = clocks(
        issue(
            assigned(D(2020, 4, 30), time=dt.time(10, 0), deadline=Deadline(48, DeadlineUnit.HOURS))
        ),
        D(2020, 5, 2),
    )["resolution"]
    assert hours.due_at == dt.datetime(2020, 5, 2, 10, 0)
    assert hours.due == D(2020, 5, 2)
    assert hours.status is ClockStatus.DUE_SOON


def test_extensions_push_the_due_date() -> None:
    by_amount = issue(
        assigned(D(2020, 4, 28)),
        IssueEvent("extended", D(2020, 5, 7), deadline=Deadline(3, WD)),
    )
    res = clocks(by_amount, D(2020, 5, 11))["resolution"]
    assert res.due == D(2020, 5, 12)  # 8 May + 3 working days: 9, 11, 12 May
    assert res.extensions == 1
    assert res.status is ClockStatus.DUE_SOON
    assert clocks(by_amount, D(2020, 5, 11))["response"].extensions == 0
    to_date = issue(
        assigned(D(2020, 4, 28)),
        IssueEvent("extended", D(2020, 5, 7), due=D(2020, 5, 29)),
    )
    assert clocks(to_date, D(2020, 5, 11))["resolution"].due == D(2020, 5, 29)


def test_pause_stops_a_working_day_clock() -> None:
    paused = issue(assigned(D(2020, 4, 28)), IssueEvent("paused", D(2020, 4, 30)))
    res = clocks(paused, D(2020, 5, 20))["resolution"]
    assert res.status is ClockStatus.PENDING
    assert res.paused_since == D(2020, 4, 30)
    resumed = issue(*paused.events, IssueEvent("resumed", D(2020, 5, 11)))
    res = clocks(resumed, D(2020, 5, 11))["resolution"]
    # Three working days were left at the pause (6, 7, 8 May); counted again from 11 May.
    assert res.due == D(2020, 5, 14)
    assert res.paused_since is None
    assert res.status is ClockStatus.PENDING


def test_pause_after_the_due_date_does_not_rescue() -> None:
    late = issue(assigned(D(2020, 4, 28)), IssueEvent("paused", D(2020, 5, 11)))
    res = clocks(late, D(2020, 5, 12))["resolution"]
    assert res.status is ClockStatus.OVERDUE
    assert res.due == D(2020, 5, 8)


def test_pause_on_the_due_date_is_in_time_and_resumes_due_that_day() -> None:
    # the resolution clock is due 8 May (5 working days from 28 April); overdue from 9 May
    on_due = issue(assigned(D(2020, 4, 28)), IssueEvent("paused", D(2020, 5, 8)))
    res = clocks(on_due, D(2020, 5, 12))["resolution"]
    assert (res.status, res.due) == (ClockStatus.PENDING, D(2020, 5, 8))
    resumed = issue(*on_due.events, IssueEvent("resumed", D(2020, 5, 13)))
    res = clocks(resumed, D(2020, 5, 13))["resolution"]
    assert (res.status, res.due) == (ClockStatus.DUE_SOON, D(2020, 5, 13))  # none left
    assert clocks(resumed, D(2020, 5, 14))["resolution"].status is ClockStatus.OVERDUE


def test_an_extension_during_a_pause_keeps_the_clock_stopped() -> None:
    # paused 11 May, already overdue (due 8 May); extended by 5 working days
    late = issue(
        assigned(D(2020, 4, 28)),
        IssueEvent("paused", D(2020, 5, 11)),
        IssueEvent("extended", D(2020, 5, 12), deadline=Deadline(5, WD)),
    )
    extended = CAL.add_deadline(D(2020, 5, 8), Deadline(5, WD)).date  # 14 May (9 May worked)
    res = clocks(late, D(2020, 5, 20))["resolution"]
    assert (res.status, res.due) == (ClockStatus.PENDING, extended)
    # the working days from the pause to that date are counted again from the resumption
    left = CAL.span(D(2020, 5, 11), extended, WD).days
    resumed = issue(*late.events, IssueEvent("resumed", D(2020, 5, 25)))
    due = clocks(resumed, D(2020, 5, 25))["resolution"].due
    assert left == 3 and due == CAL.shift(D(2020, 5, 25), left, WD).date == D(2020, 5, 28)


def test_a_pause_of_no_working_day_moves_no_due_date() -> None:
    sunday = D(2020, 5, 10)  # the date in the assignment document, a Sunday
    kept = issue(
        assigned(D(2020, 5, 6), due=sunday),
        IssueEvent("paused", D(2020, 5, 7)),
        IssueEvent("resumed", D(2020, 5, 7)),
        IssueEvent("resolved", D(2020, 5, 9)),
    )
    res = clocks(kept, D(2020, 5, 11))["resolution"]
    assert (res.due, res.status) == (sunday, ClockStatus.MET)
    weekend = issue(  # paused on Saturday, resumed on Sunday
        assigned(D(2020, 5, 6), due=D(2020, 5, 13)),
        IssueEvent("paused", D(2020, 5, 16)),
        IssueEvent("resumed", D(2020, 5, 17)),
    )
    assert clocks(weekend, D(2020, 5, 18))["resolution"].due == D(2020, 5, 13)


def test_escalation_replaces_the_clock() -> None:
    hist = issue(
        assigned(D(2020, 4, 21)),
        IssueEvent("escalated", D(2020, 4, 29), level="city", department="市人社局"),
    )
    all_clocks = issue_clocks(hist, POL, as_of=D(2020, 4, 30), calendar=CAL)
    old = [c for c in all_clocks if c.stage == "resolution"]
    assert old[0].due == D(2020, 4, 27)  # 22, 23, 24, 26 (Sunday worked), 27 April
    assert old[0].status is ClockStatus.MISSED
    assert old[0].stop_kind == "escalated"
    assert old[1].level == "city"
    assert old[1].department == "市人社局"
    assert old[1].due == D(2020, 5, 15)
    assert old[1].status is ClockStatus.PENDING
    assert not resolved_on_time(all_clocks, POL)
    early = issue(
        assigned(D(2020, 4, 21)),
        IssueEvent("escalated", D(2020, 4, 23), level="city", department="市人社局"),
    )
    first = issue_clocks(early, POL, as_of=D(2020, 4, 30), calendar=CAL)
    assert next(c.status for c in first if c.stage == "resolution") is ClockStatus.SUPERSEDED


def test_reopen_starts_a_new_resolution_clock_and_future_events_are_unseen() -> None:
    hist = issue(
        assigned(D(2020, 4, 21)),
        IssueEvent("feedback", D(2020, 4, 22)),
        IssueEvent("resolved", D(2020, 4, 24)),
        IssueEvent("reopened", D(2020, 5, 6)),
        IssueEvent("resolved", D(2020, 5, 20)),
    )
    c = clocks(hist, D(2020, 5, 13))
    assert c["resolution"].started == D(2020, 5, 6)
    assert c["resolution"].due == D(2020, 5, 12)
    assert c["resolution"].status is ClockStatus.OVERDUE
    assert c["response"].status is ClockStatus.MET
    assert clocks(hist, D(2020, 5, 21))["resolution"].status is ClockStatus.MISSED
    assert issue_clocks(hist, POL, as_of=D(2020, 4, 20), calendar=CAL) == ()


def test_no_clock_without_a_start_event() -> None:
    spot = issue(IssueEvent("answered_on_spot", D(2020, 4, 20)))
    assert issue_clocks(spot, POL, as_of=D(2020, 5, 1), calendar=CAL) == ()
    assert resolved_on_time((), POL)


def test_deadline_reaching_2027() -> None:
    hist = issue(assigned(D(2026, 12, 28)), raised=D(2026, 12, 28))
    res = clocks(hist, D(2026, 12, 28))["resolution"]
    assert res.due == D(2027, 1, 4)  # 29, 30, 31 Dec, then Mon–Fri fallback: 1, 4 Jan
    assert res.fallback
    assert "2027-01-01" in res.message("zh")
    plugin = calendar_from_schedule("t-2027", holidays=[("2027-01-01", "2027-01-03")])
    with_plugin = current_clocks(
        issue_clocks(
            hist, POL, as_of=D(2026, 12, 28), calendar=WorkCalendar((CHINA_STATUTORY, plugin))
        )
    )["resolution"]
    assert with_plugin.due == D(2027, 1, 5)
    assert not with_plugin.fallback
    assert with_plugin.calendars == ("cn-statutory", "t-2027")


def test_a_schedule_of_the_next_year_leaves_deadlines_of_this_year_alone() -> None:
    # 2023's schedule starts on 2022-12-31; 2022's deadlines stay the statutory calendar's
    with_2023 = WorkCalendar((CHINA_STATUTORY, schedule_2023()))
    for start in (D(2022, 1, 27), D(2022, 9, 29), D(2022, 12, 26)):
        for as_of in (start, start + dt.timedelta(days=12), start + dt.timedelta(days=20)):
            hist = issue(assigned(start), raised=start)
            got = issue_clocks(hist, POL, as_of=as_of, calendar=with_2023)
            want = issue_clocks(hist, POL, as_of=as_of, calendar=CAL)
            assert [(c.due, c.status, c.late, c.fallback) for c in got] == [
                (c.due, c.status, c.late, c.fallback) for c in want
            ], (start, as_of)


def test_ledger_clocks_with_the_builtin_policy(document: dict[str, Any]) -> None:
    ledger = ledger_from_document(document)
    found = ledger_clocks(ledger, POLICY, as_of=D(2020, 5, 12), calendar=CAL)
    assert list(found) == ["I1", "I2", "I3"]
    i1 = current_clocks(found["I1"])
    # Assigned 14 April at county level: 10 working days (Sunday 26 April worked) → 27 April.
    assert i1["resolution"].due == D(2020, 4, 27)
    assert i1["resolution"].status is ClockStatus.MET
    assert i1["response"].status is ClockStatus.MISSED  # no feedback within 2 working days
    assert found["I2"] == ()
    assert found["I3"] == ()


def test_deadline_text() -> None:
    assert deadline_text(Deadline(10, WD)) == "10个工作日"
    assert deadline_text(Deadline(48, DeadlineUnit.HOURS), "en") == "48 hour(s)"
    assert deadline_text(Deadline(3, DeadlineUnit.DAYS)) == "3天"


def test_on_time_and_overdue_figures(document: dict[str, Any]) -> None:
    from campaignkit.stats.metrics import compute

    issues = document["issues"]
    issues[0]["events"][1]["date"] = "2020-04-28"  # I1 resolved a day after its 27 April due date
    issues[2]["events"] = [
        {"kind": "assigned", "date": "2020-04-16", "level": "county", "department": "区人社局"}
    ]
    ledger = ledger_from_document(document)
    as_of = D(2020, 5, 6)
    overdue = compute(ledger, "issues_overdue", as_of=as_of)
    assert overdue.value == 1
    assert overdue.provenance == ("I3",)
    # I3's first response was due 20 April (two working days): not overdue yet that day;
    # I1 (assigned 14 April, no feedback) was, until it was resolved.
    assert compute(ledger, "issues_overdue", as_of=D(2020, 4, 20)).provenance == ("I1",)
    assert compute(ledger, "issues_overdue", as_of=D(2020, 4, 21)).provenance == ("I1", "I3")
    on_time = compute(ledger, "issues_resolved_on_time", as_of=as_of)
    assert on_time.provenance == ("I2",)  # answered on the spot; I1 was late
    rate = compute(ledger, "on_time_rate", as_of=as_of)
    assert (rate.numerator, rate.denominator) == (1, 2)
    issues[0]["events"][1]["date"] = "2020-04-27"
    rate = compute(ledger_from_document(document), "on_time_rate", as_of=as_of)
    assert (rate.numerator, rate.denominator) == (2, 2)
