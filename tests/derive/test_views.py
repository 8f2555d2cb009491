"""The one walk through a history (``campaignkit.derive.views``) against a slow oracle,
and the hour clock judged by its moments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import write_ledger
from campaignkit import load
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.clocks import ClockStatus
from campaignkit.derive.deadlines import deadline_flag_codes, issue_clocks
from campaignkit.derive.views import replay
from campaignkit.escalation.engine import assess
from campaignkit.hooks.manager import new_plugin_manager
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, IssueEvent
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.policy import IssuePolicy
from tests import strategies
from tests.derive.oracle import replay_clocks

D = dt.date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"
POLICY = CAMPAIGN_TYPE.policy
CAL = WorkCalendar((CHINA_STATUTORY,))


STAGED = attrs.evolve(
    POLICY,
    stage_warn_before={
        "response": Deadline(20, DeadlineUnit.HOURS),
        "resolution": Deadline(3, DeadlineUnit.WORKING_DAYS),
    },
)
"""The built-in policy with a warning of its own for each stage (``warn_before`` per stage)."""


def oracle(
    ledger: Ledger, as_of: dt.date, policy: IssuePolicy = POLICY
) -> dict[str, list[tuple[object, ...]]]:
    """Every issue's clocks as the oracle replays them: stage, start, due, warning date,
    status, lateness."""
    found: dict[str, list[tuple[object, ...]]] = {}
    order = {s.key: i for i, s in enumerate(policy.stages)}
    for issue in ledger.issues:
        clocks = []
        for b, stop, replaced in replay_clocks(issue, policy, as_of, CAL, False):
            status, late, warn = b.judge(policy, as_of, stop, replaced)
            stopped = stop[1].date if stop else None
            clocks.append(
                (b.index, order[b.stage.key], b.due, b.due_at, warn.date, status, late, stopped)
            )
        found[issue.id] = sorted(clocks, key=lambda c: (c[0], c[1]))
    return found


def views(
    ledger: Ledger, as_of: dt.date, policy: IssuePolicy = POLICY
) -> dict[str, list[tuple[object, ...]]]:
    order = {s.key: i for i, s in enumerate(policy.stages)}
    return {
        issue.id: [
            (
                c.start_index,
                order[c.stage],
                c.due,
                c.due_at,
                c.warn_from,
                c.status,
                c.late,
                c.stopped,
            )
            for c in issue_clocks(issue, policy, as_of=as_of, calendar=CAL)
        ]
        for issue in ledger.issues
    }


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    path = tmp_path_factory.mktemp("province") / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 3000, seed=11)
    return load(path)


@pytest.mark.parametrize("policy", [POLICY, STAGED], ids=["one-warning", "by-stage"])
@pytest.mark.parametrize("as_of", [D(2020, 4, 20), D(2020, 5, 12), D(2020, 7, 31)])
def test_the_example_agrees_with_the_oracle(as_of: dt.date, policy: IssuePolicy) -> None:
    ledger = load(EXAMPLE)
    assert views(ledger, as_of, policy) == oracle(ledger, as_of, policy)


@pytest.mark.parametrize("policy", [POLICY, STAGED], ids=["one-warning", "by-stage"])
@pytest.mark.parametrize("as_of", [D(2024, 6, 1), D(2024, 11, 15)])
def test_a_generated_province_agrees_with_the_oracle(
    province: Ledger, as_of: dt.date, policy: IssuePolicy
) -> None:
    assert views(province, as_of, policy) == oracle(province, as_of, policy)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    strategies.ledgers(),
    st.dates(D(2020, 3, 1), D(2020, 12, 31)),
    st.sampled_from([POLICY, STAGED]),
)
def test_random_ledgers_agree_with_the_oracle(
    ledger: Ledger, as_of: dt.date, policy: IssuePolicy
) -> None:
    assert views(ledger, as_of, policy) == oracle(ledger, as_of, policy)


@pytest.mark.parametrize("as_of", [D(2024, 6, 1), D(2024, 11, 15)])
def test_the_flags_are_the_clocks_verdict(province: Ledger, as_of: dt.date) -> None:
    """On time: no clock of the on-time stage missed or overdue; overdue: a running one is."""
    codes = deadline_flag_codes(province.issues, POLICY, as_of=as_of, calendar=CAL)
    key = POLICY.on_time.key if POLICY.on_time else None
    for issue, code in zip(province.issues, codes, strict=True):
        clocks = issue_clocks(issue, POLICY, as_of=as_of, calendar=CAL)
        late = (ClockStatus.MISSED, ClockStatus.OVERDUE)
        on_time = not any(c.stage == key and c.status in late for c in clocks)
        overdue = any(c.status is ClockStatus.OVERDUE for c in clocks)
        assert code == on_time | overdue << 1, issue.id


def test_the_state_is_the_lifecycle_replay(province: Ledger) -> None:
    from campaignkit.derive.views import Deriver

    deriver = Deriver(CAMPAIGN_TYPE.lifecycle, POLICY, CAL)
    as_of = D(2024, 11, 15)
    for issue in province.issues:
        seen = [e for e in issue.events if e.date <= as_of]
        expected = replay(issue, CAMPAIGN_TYPE.lifecycle, seen)
        assert deriver.view(issue, as_of).issue_state(issue.id) == expected


# -- the hour clock ---------------------------------------------------------------


def hour_issue(stop_time: dt.time | None) -> Ledger:
    """Huainan's first issue with a 24-hour first response started 2 June 09:00 and stopped
    on 3 June (at ``stop_time``)."""
    ledger = load(EXAMPLE)
    base = ledger.issues[0]
    start = IssueEvent(
        "assigned",
        D(2020, 6, 2),
        time=dt.time(9, 0),
        level="county",
        department="县经信局",
        stage="response",
        deadline=Deadline(24, DeadlineUnit.HOURS),
    )
    stop = IssueEvent("feedback", D(2020, 6, 3), time=stop_time)
    issue = attrs.evolve(base, raised=D(2020, 6, 1), events=(start, stop))
    return ledger.replace(issues=(issue,))


def test_a_24_hour_stage_stopped_at_2359_the_next_day_is_missed_by_14_h_59_min() -> None:
    ledger = hour_issue(dt.time(23, 59))
    issue = ledger.issues[0]
    stages = {s.key for s in POLICY.stages}
    assert "response" in stages
    (clock,) = [
        c
        for c in issue_clocks(issue, POLICY, as_of=D(2020, 6, 10), calendar=CAL)
        if c.stage == "response"
    ]
    assert clock.due_at == dt.datetime(2020, 6, 3, 9, 0)
    assert clock.status is ClockStatus.MISSED
    assert clock.late_by == dt.timedelta(hours=14, minutes=59)
    assert clock.late == 14
    assert clock.late_label.zh == "超期小时"
    assert clock.late_text() == "14小时59分"
    assert clock.late_text("en") == "14 h 59 min"


def test_a_24_hour_stage_stopped_before_its_moment_is_met() -> None:
    issue = hour_issue(dt.time(8, 59)).issues[0]
    (clock,) = [
        c
        for c in issue_clocks(issue, POLICY, as_of=D(2020, 6, 10), calendar=CAL)
        if c.stage == "response"
    ]
    assert clock.status is ClockStatus.MET
    assert clock.late == 0


def test_an_open_24_hour_clock_is_late_in_hours_and_the_red_card_says_so() -> None:
    ledger = hour_issue(None)
    issue = ledger.issues[0]
    running = attrs.evolve(issue, events=issue.events[:1])
    ledger = ledger.replace(issues=(running,))
    (clock,) = issue_clocks(running, POLICY, as_of=D(2020, 6, 5), calendar=CAL)[:1]
    assert clock.status is ClockStatus.OVERDUE
    assert clock.late_by == dt.timedelta(hours=39)  # from 3 June 09:00 to 5 June 00:00
    assert clock.late_label.zh == "超期小时"
    pm = new_plugin_manager(entry_points=False)
    found = assess(ledger, D(2020, 6, 5), manager=pm)
    reasons = [a.reason for a in found.actions if a.kind == "marked_overdue"]
    assert any("超期39小时" in r for r in reasons), reasons


def test_working_day_clocks_are_late_in_working_days() -> None:
    ledger = load(EXAMPLE)
    late = [
        c
        for issue in ledger.issues
        for c in issue_clocks(issue, POLICY, as_of=D(2020, 7, 31), calendar=CAL)
        if c.late and c.unit is DeadlineUnit.WORKING_DAYS
    ]
    assert late
    assert {c.late_label.zh for c in late} == {"超期工作日"}
    assert all(c.late_text().endswith("个工作日") for c in late)


@pytest.mark.parametrize("as_of", [D(2024, 6, 1), D(2024, 11, 15)])
def test_extensions_pauses_and_resumptions_agree_with_the_oracle(
    province: Ledger, as_of: dt.date
) -> None:
    """Every third issue extended (by a date or a limit, named stage or not), paused and
    resumed after its last event: the moved clocks agree with the oracle."""
    issues = []
    for n, issue in enumerate(province.issues):
        if n % 3 or not issue.events:
            issues.append(issue)
            continue
        last = issue.events[-1].date
        extend = IssueEvent(
            "extended",
            last + dt.timedelta(days=1),
            deadline=Deadline(3, DeadlineUnit.WORKING_DAYS) if n % 2 else None,
            due=None if n % 2 else last + dt.timedelta(days=20),
            stage="response" if n % 4 == 0 else None,
        )
        pause = IssueEvent("paused", last + dt.timedelta(days=2))
        resume = IssueEvent("resumed", last + dt.timedelta(days=9))
        events = (*issue.events, extend, pause, resume)
        issues.append(attrs.evolve(issue, events=events))
    ledger = province.replace(issues=tuple(issues))
    assert views(ledger, as_of) == oracle(ledger, as_of)
    assert views(ledger, as_of, STAGED) == oracle(ledger, as_of, STAGED)


@pytest.mark.parametrize("as_of", [D(2024, 6, 1), D(2024, 11, 15)])
def test_running_clocks_are_the_running_current_clocks(province: Ledger, as_of: dt.date) -> None:
    from campaignkit.derive.deadlines import current_clocks, running_clocks

    order = [s.key for s in POLICY.stages]
    for issue in province.issues:
        full = [
            (c.stage, c.start_index, c.due, c.unit, c.status, c.late)
            for c in sorted(
                current_clocks(issue_clocks(issue, POLICY, as_of=as_of, calendar=CAL)).values(),
                key=lambda c: order.index(c.stage),
            )
            if c.running
        ]
        short = [
            (c.stage.key, c.start_index, c.due, c.unit, c.status, c.late)
            for c in running_clocks(issue, POLICY, as_of, CAL, issue.events)
        ]
        assert short == full, issue.id
