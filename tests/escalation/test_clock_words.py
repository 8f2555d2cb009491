"""How the escalation rules word lateness and time left, and when they act: the same
figure, in the same unit, as the clocks (``overdue``) give, and thresholds that agree
with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

from campaignkit import load
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.clocks import ClockStatus
from campaignkit.derive.deadlines import Clock, issue_clocks
from campaignkit.escalation.engine import Action, RuleContext
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, IssueEvent
from campaignkit.plugins import escalation_rules as builtin
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.policy import IssuePolicy
from campaignkit.rules.records import EscalationRule

D = dt.date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"
CAL = WorkCalendar((CHINA_STATUTORY,))
POLICY = CAMPAIGN_TYPE.policy
HOURS, WD = DeadlineUnit.HOURS, DeadlineUnit.WORKING_DAYS
ONE_DAY = dt.timedelta(days=1)


def one_issue(*events: IssueEvent) -> Ledger:
    """The example with only its first issue, given this history."""
    ledger = load(EXAMPLE)
    issue = attrs.evolve(ledger.issues[0], raised=events[0].date, events=events)
    return ledger.replace(issues=(issue,))


def proposed(
    rule: EscalationRule, ledger: Ledger, as_of: dt.date, policy: IssuePolicy = POLICY
) -> list[Action]:
    ctype = attrs.evolve(CAMPAIGN_TYPE, policy=policy)
    ctx = RuleContext(ledger, ctype, as_of, CAL)
    return list(rule.evaluate(ctx, ledger.issues[0]))


def clock(ledger: Ledger, stage: str, as_of: dt.date, policy: IssuePolicy = POLICY) -> Clock:
    ctype = attrs.evolve(CAMPAIGN_TYPE, policy=policy)
    clocks = issue_clocks(ledger.issues[0], ctype.policy, as_of=as_of, calendar=CAL)
    return next(c for c in reversed(clocks) if c.stage == stage)


def assigned(day: dt.date, **kw: Any) -> IssueEvent:
    return IssueEvent("assigned", day, level="county", department="区人社局", **kw)


# -- an hour clock whose due moment an extension replaced (days late) --------------------

START = dt.datetime(2020, 6, 1, 9, 0)
H72 = Deadline(72, HOURS)


def extended_hour_clock() -> Ledger:
    """A 72-hour first response from 1 June 09:00, extended by 2 working days: the extension
    gives a due date without a time of day."""
    return one_issue(
        assigned(START.date(), time=START.time(), stage="response", deadline=H72),
        IssueEvent("extended", D(2020, 6, 2), stage="response", deadline=Deadline(2, WD)),
    )


def test_an_hour_clock_late_by_the_date_is_worded_in_days_by_every_rule() -> None:
    ledger = extended_hour_clock()
    due = CAL.add_working_days((START + dt.timedelta(hours=72)).date(), 2).date
    as_of = due + 4 * ONE_DAY
    c = clock(ledger, "response", as_of)
    assert (c.status, c.due, c.due_at) == (ClockStatus.OVERDUE, due, None)
    assert c.late == (as_of - due).days
    (red,) = proposed(builtin.RED_CARD, ledger, as_of)
    (sup,) = proposed(builtin.SUPERVISE, ledger, as_of)
    for action in (red, sup):
        assert f"{c.late} day(s) late" in action.why("en"), action.why("en")
        assert f"超期{c.late}天" in action.reason, action.reason
        assert c.late_text("en") == f"{c.late} day(s)"


# -- time left on an hour clock ---------------------------------------------------------


@pytest.mark.parametrize("minute", [0, 30])
def test_the_yellow_card_of_an_hour_clock_counts_hours_to_its_due_moment(minute: int) -> None:
    start = START.replace(minute=minute)
    ledger = one_issue(assigned(start.date(), time=start.time(), stage="response", deadline=H72))
    due_at = start + dt.timedelta(hours=72)
    warn_from = CAL.add_working_days(due_at.date(), -1).date
    c = clock(ledger, "response", warn_from)
    assert (c.status, c.due_at) == (ClockStatus.DUE_SOON, due_at)
    left = due_at - dt.datetime.combine(warn_from, dt.time())
    hours, minutes = divmod(left // dt.timedelta(minutes=1), 60)
    (card,) = proposed(builtin.YELLOW_CARD, ledger, warn_from)
    en = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    zh = f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    assert f"({en} left)" in card.why("en"), card.why("en")
    assert f"剩余{zh}" in card.reason, card.reason


def test_the_yellow_card_of_a_working_day_clock_counts_working_days() -> None:
    day = D(2020, 4, 28)
    ledger = one_issue(assigned(day))
    c = clock(ledger, "resolution", day)
    as_of = c.warn_from
    left = CAL.working_days_between(as_of, c.due).days
    cards = proposed(builtin.YELLOW_CARD, ledger, as_of)
    reasons = [a.why("en") for a in cards if a.stage == "resolution"]
    assert reasons == [f"resolution due {c.due} ({left} working day(s) left): yellow card"]


# -- lateness on days off, and thresholds ------------------------------------------------


def late_by_hand(due: dt.date, as_of: dt.date) -> int:
    """Working days after ``due`` up to the first working day from ``as_of`` on."""
    day = as_of
    while not CAL.is_workday(day):
        day += ONE_DAY
    n, d = 0, due
    while d < day:
        d += ONE_DAY
        n += CAL.is_workday(d)
    return n


def test_an_overdue_working_day_clock_is_never_0_late_and_rules_act_on_the_figure() -> None:
    """Due on a Friday: every day from then on (weekends included) the figure shown is the
    one the thresholds are compared with: supervised when more than ``supervise_after``,
    raised a level when more than ``escalate_after``."""
    day = D(2020, 6, 3)
    ledger = one_issue(assigned(day))
    due = clock(ledger, "response", day).due
    assert not CAL.is_workday(due + ONE_DAY)
    supervise, escalate = POLICY.supervise_after.amount, POLICY.escalate_after.amount
    assert POLICY.supervise_after.unit is WD and POLICY.escalate_after.unit is WD
    as_of = due + ONE_DAY
    while as_of <= due + 16 * ONE_DAY:
        c = clock(ledger, "response", as_of)
        assert c.status is ClockStatus.OVERDUE
        assert c.late == late_by_hand(due, as_of) >= 1, as_of
        words = f"{c.late} working day(s) late"
        (red,) = [a for a in proposed(builtin.RED_CARD, ledger, as_of) if a.stage == "response"]
        assert f"({words})" in red.why("en")
        sup = proposed(builtin.SUPERVISE, ledger, as_of)
        assert [a.stage for a in sup] == ["response"] * (c.late > supervise), as_of
        raised = proposed(builtin.RAISE_LEVEL, ledger, as_of)
        assert [a.stage for a in raised] == ["response"] * (c.late > escalate), (as_of, c.late)
        for action in (*sup, *raised):
            assert words in action.why("en")
        as_of += ONE_DAY


def test_a_clock_stopped_on_a_day_off_after_its_due_date_is_missed_and_late() -> None:
    day = D(2020, 6, 3)
    due = clock(one_issue(assigned(day)), "response", day).due
    off = due + ONE_DAY
    assert not CAL.is_workday(off)
    ledger = one_issue(assigned(day), IssueEvent("feedback", off))
    c = clock(ledger, "response", off + 7 * ONE_DAY)
    assert c.status is ClockStatus.MISSED
    assert c.late == late_by_hand(due, off) >= 1


def test_the_example_over_may_day_shows_no_overdue_clock_0_late() -> None:
    ledger = load(EXAMPLE)
    day = D(2020, 4, 30)
    while day <= D(2020, 5, 10):
        for issue in ledger.issues:
            for c in issue_clocks(issue, POLICY, as_of=day, calendar=CAL):
                if c.status in (ClockStatus.OVERDUE, ClockStatus.MISSED):
                    assert c.late >= 1, (issue.id, c.stage, day)
                    if c.unit is WD and c.running:
                        assert c.late == late_by_hand(c.due, day)
        day += ONE_DAY


def test_an_hour_threshold_on_an_hour_clock_counts_from_its_due_moment() -> None:
    """Supervised when more than 12 hours late: counted from the due moment (20:00), not
    from the midnight starting the due date."""
    start = dt.datetime(2020, 6, 1, 20, 0)
    ledger = one_issue(assigned(start.date(), time=start.time(), stage="response", deadline=H72))
    policy = attrs.evolve(POLICY, supervise_after=Deadline(12, HOURS))
    due_at = start + dt.timedelta(hours=72)
    for as_of in (due_at.date() + ONE_DAY, due_at.date() + 2 * ONE_DAY):
        c = clock(ledger, "response", as_of, policy)
        assert c.status is ClockStatus.OVERDUE and c.late_by is not None
        sup = proposed(builtin.SUPERVISE, ledger, as_of, policy)
        assert bool(sup) == (c.late_by > dt.timedelta(hours=12)), (as_of, c.late_by)
