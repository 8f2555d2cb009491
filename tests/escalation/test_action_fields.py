"""An action a plugin's rule proposes carries a time of day, a note and extra attributes,
and the event applying it appends keeps them: an hour clock starts when the rule says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from campaignkit import hookimpl
from campaignkit.cli.app import main
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.deadlines import issue_clocks
from campaignkit.escalation.engine import Action, RuleContext, apply, assess
from campaignkit.hooks.manager import PluginManager
from campaignkit.io import dumps, ledger_from_document, load, loads
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import EMPTY, Deadline, DeadlineUnit, Issue
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.records import CampaignType, EscalationRule, ExtraAttribute, Label
from campaignkit.testing import plugin_manager

D = dt.date
KEY = "hotline-2115"
AT_NINE = dt.time(9, 0)


def hotline_type() -> CampaignType:
    """四送一服 with a 24-hour first response and a ticket number on assignments."""
    policy = CAMPAIGN_TYPE.policy
    response = attrs.evolve(policy.stage("response"), default=Deadline(24, DeadlineUnit.HOURS))
    stages = tuple(response if s.key == "response" else s for s in policy.stages)
    ticket = ExtraAttribute(
        "event", "ticket", "str", Label("工单号", "ticket number"), kinds=("assigned",)
    )
    return attrs.evolve(
        CAMPAIGN_TYPE,
        key=KEY,
        policy=attrs.evolve(policy, stages=stages),
        extra_attributes=(*CAMPAIGN_TYPE.extra_attributes, ticket),
    )


def assign_from_hotline(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Assign a raised issue at 09:00 with its hotline ticket, noting the work order."""
    if ctx.state(issue).state != "raised":
        return
    yield Action(
        issue.id,
        "assigned",
        "hotline-assign",
        ctx.as_of,
        "按热线工单交办",
        level="county",
        department="区人社局",
        reason_en="assigned by hotline work order",
        time=AT_NINE,
        note="工单 2115-0042 转办",
        extra=(("ticket", f"2115-{issue.id}"),),
    )


class Hotline:
    def __init__(self, rule: EscalationRule) -> None:
        self.rule = rule

    @hookimpl
    def campaignkit_campaign_types(self) -> Iterator[CampaignType]:
        yield hotline_type()

    @hookimpl
    def campaignkit_escalation_rules(self) -> Iterator[EscalationRule]:
        yield self.rule


RULE = EscalationRule(
    "hotline-assign", Label("热线交办", "hotline assignment"), assign_from_hotline, (KEY,)
)


HOTLINE = Hotline(RULE)
"""The plugin, for ``campaignkit --plugin tests.escalation.test_action_fields:HOTLINE``."""


@pytest.fixture
def manager() -> Iterator[PluginManager]:
    with plugin_manager(Hotline(RULE)) as pm:
        yield pm


def hotline_ledger(document: dict[str, Any]) -> Ledger:
    """The minimal ledger as the hotline type, as it stood on 20 April (I3 raised)."""
    document["campaign"]["type"] = KEY
    return ledger_from_document(document)


def test_the_appended_event_keeps_the_time_the_note_and_the_extra_attributes(
    document: dict[str, Any], manager: PluginManager
) -> None:
    ledger = hotline_ledger(document)
    result = assess(ledger, D(2020, 4, 20), manager=manager)
    assert result.failures == ()
    (action,) = [a for a in result.actions if a.rule == "hotline-assign"]
    applied = apply(ledger, [action], manager=manager)
    (event,) = applied.issue_index["I3"].events
    assert (event.kind, event.date, event.time) == ("assigned", D(2020, 4, 20), AT_NINE)
    assert (event.rule, event.note) == ("hotline-assign", "工单 2115-0042 转办")
    assert event.extra == {"ticket": "2115-I3"}
    # the appended ledger is valid under the type, and reads back the same
    again = loads(dumps(applied), manager=manager)
    assert again.issue_index["I3"].events == (event,)


def test_the_hour_clock_starts_at_the_actions_time(
    document: dict[str, Any], manager: PluginManager
) -> None:
    ledger = hotline_ledger(document)
    actions = assess(ledger, D(2020, 4, 20), manager=manager).actions
    (action,) = [a for a in actions if a.rule == "hotline-assign"]
    policy = manager.campaign_type(KEY).policy
    cal = WorkCalendar.from_manager(manager)

    def response_due(chosen: Action) -> dt.datetime | None:
        issue = apply(ledger, [chosen], manager=manager).issue_index["I3"]
        clocks = issue_clocks(issue, policy, as_of=D(2020, 4, 22), calendar=cal)
        return next(c.due_at for c in clocks if c.stage == "response")

    assert response_due(action) == dt.datetime(2020, 4, 21, 9, 0)
    assert response_due(action._replace(time=None)) == dt.datetime(2020, 4, 21, 0, 0)


def test_an_action_without_the_new_fields_is_as_before() -> None:
    action = Action("Q1", "supervised", "supervise", D(2020, 5, 6), "超期督办")
    assert (action.time, action.note, action.extra) == (None, None, ())
    event = action.to_event()
    assert (event.time, event.note, event.rule) == (None, "超期督办", "supervise")
    assert event.extra is EMPTY
    assert hash(action) == hash(action._replace())


def proposing(**fields: Any) -> EscalationRule:
    """A rule proposing the hotline assignment with ``fields`` in place of its own."""

    def rule(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
        for action in assign_from_hotline(ctx, issue):
            yield action._replace(**fields)

    return EscalationRule("hotline-assign", RULE.label, rule, (KEY,))


@pytest.mark.parametrize(
    ("fields", "zh", "en"),
    [
        (
            {"extra": (("ticket", 2115),)},
            "提出的附加属性 'ticket' 的值是 2115，应为 str",
            "proposed extra attribute 'ticket' = 2115, expected str",
        ),
        (
            {"extra": (("hotline", "2115"),)},
            "提出的附加属性 'hotline' 没有由活动类型声明用于 'assigned' 办理记录",
            "proposed extra attribute 'hotline', which the campaign type does not declare "
            "for 'assigned' events",
        ),
        (
            {"extra": (("ticket", "1"), ("ticket", "2"))},
            "附加属性 'ticket' 提出了两次",
            "proposed extra attribute 'ticket' twice",
        ),
        (
            {"extra": {"ticket": "2115"}},
            "提出的附加属性是 dict，应为（名称，值）对",
            "proposed extra attributes as dict, expected (name, value) pairs",
        ),
        (
            {"time": "09:00"},
            "提出的动作时刻是 '09:00'，应为一天中的时刻或 None",
            "proposed an action at '09:00', expected a time of day or None",
        ),
        (
            {"note": 42},
            "提出的动作备注是 int，应为文字或 None",
            "proposed an action whose note is int, expected text or None",
        ),
    ],
)
def test_a_proposal_that_cannot_be_kept_is_the_rules_failure(
    document: dict[str, Any], fields: dict[str, Any], zh: str, en: str
) -> None:
    with plugin_manager(Hotline(proposing(**fields))) as pm:
        result = assess(hotline_ledger(document), D(2020, 4, 20), manager=pm)
    assert not [a for a in result.actions if a.rule == "hotline-assign"]
    (failure,) = [f for f in result.failures if f.rule == "hotline-assign"]
    assert failure.issue == "I3"
    assert (failure.phrase.text("zh"), failure.phrase.text("en")) == (zh, en)


def test_the_event_attribute_must_be_declared_for_the_proposed_kind(
    document: dict[str, Any],
) -> None:
    """``ticket`` is declared for assignments only: a supervision carrying it fails."""

    def supervise(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
        if issue.id == "I3":
            extra = (("ticket", "2115-I3"),)
            yield Action(issue.id, "supervised", "hotline-assign", ctx.as_of, "督办", extra=extra)

    rule = EscalationRule("hotline-assign", RULE.label, supervise, (KEY,))
    with plugin_manager(Hotline(rule)) as pm:
        result = assess(hotline_ledger(document), D(2020, 4, 20), manager=pm)
    (failure,) = [f for f in result.failures if f.rule == "hotline-assign"]
    assert failure.message == (
        "proposed extra attribute 'ticket', which the campaign type does not declare "
        "for 'supervised' events"
    )


def test_escalate_apply_writes_and_shows_the_time(
    document: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ledger.json"
    path.write_bytes(dumps(hotline_ledger(document)))
    plugin = ["--plugin", "tests.escalation.test_action_fields:HOTLINE"]
    code = main([*plugin, "escalate", str(path), "--as-of", "2020-04-30", "--apply"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "  I3 2020-04-30 09:00 交办（hotline-assign）" in out.splitlines()
    with plugin_manager(HOTLINE) as pm:
        written = load(path, manager=pm)
    first = written.issue_index["I3"].events[0]
    assert (first.time, first.note, dict(first.extra)) == (
        AT_NINE,
        "工单 2115-0042 转办",
        {"ticket": "2115-I3"},
    )
