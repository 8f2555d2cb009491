"""``warn_before`` per deadline stage, as a plugin's campaign type declares it: a 24-hour
first response is due soon four hours ahead, not the moment it starts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from campaignkit import hookimpl
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.clocks import ClockStatus
from campaignkit.derive.deadlines import issue_clocks, watch_list
from campaignkit.derive.views import Deriver
from campaignkit.escalation.engine import assess
from campaignkit.hooks.manager import PluginManager
from campaignkit.io import ledger_from_document, validate
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, IssueEvent
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.policy import IssuePolicy
from campaignkit.rules.records import CampaignType
from campaignkit.testing import plugin_manager

D = dt.date
HOURS, WD = DeadlineUnit.HOURS, DeadlineUnit.WORKING_DAYS
KEY = "hotline-24h"


def hotline_policy(**warnings: Deadline) -> IssuePolicy:
    """The built-in policy with a 24-hour first response and ``warnings`` by stage."""
    base = CAMPAIGN_TYPE.policy
    response = attrs.evolve(base.stage("response"), default=Deadline(24, HOURS))
    stages = tuple(response if s.key == "response" else s for s in base.stages)
    return attrs.evolve(base, stages=stages, stage_warn_before=warnings)


class Hotline:
    """A plugin whose campaign type answers within 24 hours and warns 4 hours ahead."""

    def __init__(self, policy: IssuePolicy) -> None:
        self.type = attrs.evolve(CAMPAIGN_TYPE, key=KEY, policy=policy)

    @hookimpl
    def campaignkit_campaign_types(self) -> Iterator[CampaignType]:
        yield self.type


@pytest.fixture
def manager() -> Iterator[PluginManager]:
    with plugin_manager(Hotline(hotline_policy(response=Deadline(4, HOURS)))) as pm:
        yield pm


def hotline_ledger(document: dict[str, Any]) -> Ledger:
    """The minimal ledger as the plugin's type, issue I3 assigned on 2 June 2020 at 09:00."""
    document["campaign"]["type"] = KEY
    document["campaign"]["period"]["end"] = "2020-07-31"
    event = {"kind": "assigned", "date": "2020-06-02", "time": "09:00:00", "level": "county"}
    document["issues"][2].update(raised="2020-06-01", events=[dict(event, department="人社局")])
    return ledger_from_document(document)


def clocks(ledger: Ledger, pm: PluginManager, as_of: dt.date) -> dict[str, tuple[Any, ...]]:
    policy = pm.campaign_type(KEY).policy
    issue = ledger.issue_index["I3"]
    cal = WorkCalendar.from_manager(pm)
    found = issue_clocks(issue, policy, as_of=as_of, calendar=cal)
    return {c.stage: (c.due_at or c.due, c.warn_from, c.status) for c in found}


def test_a_24_hour_stage_is_due_soon_four_hours_ahead_not_when_it_starts(
    document: dict[str, Any], manager: PluginManager
) -> None:
    ledger = hotline_ledger(document)
    assert validate(ledger, manager) == []
    due = dt.datetime(2020, 6, 3, 9, 0)
    # resolution is not named: it still warns the policy's one working day ahead
    assert clocks(ledger, manager, D(2020, 6, 2)) == {
        "response": (due, D(2020, 6, 3), ClockStatus.PENDING),
        "resolution": (D(2020, 6, 16), D(2020, 6, 15), ClockStatus.PENDING),
    }
    assert clocks(ledger, manager, D(2020, 6, 3))["response"][2] is ClockStatus.DUE_SOON


def test_without_its_own_warning_the_24_hour_stage_is_due_soon_at_once(
    document: dict[str, Any],
) -> None:
    with plugin_manager(Hotline(hotline_policy())) as pm:
        ledger = hotline_ledger(document)
        response = clocks(ledger, pm, D(2020, 6, 2))["response"]
    assert response[1:] == (D(2020, 6, 2), ClockStatus.DUE_SOON)


def test_the_yellow_card_and_the_watch_list_follow_the_stage(
    document: dict[str, Any], manager: PluginManager
) -> None:
    ledger = hotline_ledger(document)
    ctype = manager.campaign_type(KEY)
    cal = WorkCalendar.from_manager(manager)

    def warned(as_of: dt.date) -> list[tuple[str, str | None]]:
        result = assess(ledger, as_of, manager=manager)
        return [(a.issue, a.stage) for a in result.actions if a.kind == "warned"]

    def watched(as_of: dt.date) -> list[tuple[str, str]]:
        items = watch_list(ledger, ctype.policy, ctype.lifecycle, as_of=as_of, calendar=cal)
        return [(i.issue.id, i.clock.stage) for i in items if i.issue.id == "I3"]

    assert warned(D(2020, 6, 2)) == []
    assert watched(D(2020, 6, 2)) == []
    assert warned(D(2020, 6, 3)) == [("I3", "response")]
    assert watched(D(2020, 6, 3)) == [("I3", "response")]


def test_a_mapping_and_pairs_declare_the_same_policy() -> None:
    four = Deadline(4, HOURS)
    by_mapping = hotline_policy(response=four)
    by_pairs = attrs.evolve(by_mapping, stage_warn_before=[("response", four)])
    assert by_mapping == by_pairs
    assert by_mapping.stage_warn_before == (("response", four),)
    assert by_mapping.warn_before_for("response") == four
    assert by_mapping.warn_before_for("resolution") == by_mapping.warn_before


def test_the_built_in_policy_warns_every_stage_one_working_day_ahead() -> None:
    policy = CAMPAIGN_TYPE.policy
    assert policy.stage_warn_before == ()
    assert {policy.warn_before_for(s.key) for s in policy.stages} == {Deadline(1, WD)}


@pytest.mark.parametrize(
    ("warnings", "problem"),
    [
        ({"answer": Deadline(4, HOURS)}, "policy: warn_before for unknown stage 'answer'"),
        (
            [("response", Deadline(4, HOURS)), ("response", Deadline(2, HOURS))],
            "policy: warn_before for stage 'response' given twice",
        ),
    ],
)
def test_a_warning_for_a_stage_the_policy_lacks_leaves_the_type_out(
    warnings: Any, problem: str
) -> None:
    policy = attrs.evolve(hotline_policy(), stage_warn_before=warnings)
    with plugin_manager(Hotline(policy), check=False) as pm:
        assert KEY not in pm.campaign_types()
        (error,) = pm.load_errors
    assert problem in error.message


def test_an_on_time_stage_the_policy_lacks_leaves_the_type_out() -> None:
    policy = attrs.evolve(hotline_policy(), on_time_stage="resolve")
    with plugin_manager(Hotline(policy), check=False) as pm:
        assert KEY not in pm.campaign_types()
        (error,) = pm.load_errors
    known = ", ".join(stage.key for stage in policy.stages)
    assert f"policy: on_time_stage 'resolve' is not one of its stages ({known})" in error.message


def test_an_extended_clock_keeps_its_stage_warning(
    document: dict[str, Any], manager: PluginManager
) -> None:
    """Extended by 24 hours, the response clock still warns four hours ahead."""
    issue = hotline_ledger(document).issue_index["I3"]
    extend = IssueEvent("extended", D(2020, 6, 2), stage="response", deadline=Deadline(24, HOURS))
    issue = attrs.evolve(issue, events=(*issue.events, extend))
    ctype = manager.campaign_type(KEY)
    deriver = Deriver(ctype.lifecycle, ctype.policy, WorkCalendar.from_manager(manager))
    (response, _) = deriver.view(issue).shape.running
    assert (response.due_at, response.warn_from) == (dt.datetime(2020, 6, 4, 9, 0), D(2020, 6, 4))
