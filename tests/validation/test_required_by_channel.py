"""Extra attributes required of issues of some channels or categories only, declared by a
plugin's campaign type as data: an issue from the online platform must carry its ticket."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from campaignkit import hookimpl
from campaignkit.io import ledger_from_document, validate
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.records import CampaignType, ExtraAttribute, Label
from campaignkit.testing import plugin_manager

KEY = "platform-tickets"
TICKET = Label("工单号", "ticket number")


class Tickets:
    """A plugin whose campaign type declares ``ticket`` on issues with ``conditions``."""

    def __init__(self, **conditions: Any) -> None:
        ticket = ExtraAttribute("issue", "ticket", "str", TICKET, **conditions)
        self.type = attrs.evolve(
            CAMPAIGN_TYPE,
            key=KEY,
            extra_attributes=(*CAMPAIGN_TYPE.extra_attributes, ticket),
        )

    @hookimpl
    def campaignkit_campaign_types(self) -> Iterator[CampaignType]:
        yield self.type


def problems(document: dict[str, Any], **conditions: Any) -> list[tuple[str, str, str]]:
    """Each problem of the minimal ledger as the plugin's type: path, Chinese, English.
    (I1: a visit about labour, I2: a meeting about finance, I3: the platform, labour.)"""
    document["campaign"]["type"] = KEY
    with plugin_manager(Tickets(**conditions)) as pm:
        found = validate(ledger_from_document(document), pm)
    return [(p.path, p.phrase.text("zh"), p.message) for p in found]


def test_an_issue_from_the_channel_must_carry_it(document: dict[str, Any]) -> None:
    document["campaign"]["type"] = KEY
    with plugin_manager(Tickets(required=True, required_channels=("platform",))) as pm:
        (problem,) = validate(ledger_from_document(document), pm)
    assert (
        problem.text() == "issues[2].extra.ticket: 缺少工单号：来自“综合服务平台”渠道的问题必须填写"
    )
    assert problems(document, required=True, required_channels=("platform",)) == [
        (
            "issues[2].extra.ticket",
            "缺少工单号：来自“综合服务平台”渠道的问题必须填写",
            "ticket number missing: required of issues from the online platform channel",
        )
    ]


def test_issues_of_other_channels_may_carry_it_or_not(document: dict[str, Any]) -> None:
    document["issues"][0]["extra"] = {"ticket": "visit-1"}
    document["issues"][2]["extra"] = {"ticket": "2115-0042"}
    assert problems(document, required=True, required_channels=("platform",)) == []


def test_an_issue_of_the_category_must_carry_it(document: dict[str, Any]) -> None:
    found = problems(document, required=True, required_categories=("labour",))
    assert [(path, zh) for path, zh, _ in found] == [
        ("issues[0].extra.ticket", "缺少工单号：“用工”类问题必须填写"),
        ("issues[2].extra.ticket", "缺少工单号：“用工”类问题必须填写"),
    ]
    assert found[0][2] == "ticket number missing: required of labour issues"


def test_with_both_an_issue_of_the_category_from_the_channel(document: dict[str, Any]) -> None:
    conditions = {"required_channels": ("platform", "phone"), "required_categories": ("labour",)}
    assert problems(document, required=True, **conditions) == [
        (
            "issues[2].extra.ticket",
            "缺少工单号：来自“综合服务平台”渠道的“用工”类问题必须填写",
            "ticket number missing: required of labour issues from the online platform channel",
        )
    ]


def test_a_value_is_still_checked_on_every_issue(document: dict[str, Any]) -> None:
    document["issues"][0]["extra"] = {"ticket": 42}
    document["issues"][2]["extra"] = {"ticket": 2115}
    found = problems(document, required=True, required_channels=("platform",))
    assert [path for path, _, _ in found] == ["issues[0].extra.ticket", "issues[2].extra.ticket"]
    assert [en for _, _, en in found] == ["expected str, got 42", "expected str, got 2115"]


def test_required_of_every_issue_is_as_before(document: dict[str, Any]) -> None:
    found = problems(document, required=True)
    assert [(path, en) for path, _, en in found] == [
        (f"issues[{n}].extra", "required attribute 'ticket' missing") for n in range(3)
    ]


@pytest.mark.parametrize(
    ("conditions", "problem"),
    [
        (
            {"required": True, "required_channels": ("hotline",)},
            "extra attribute issue.ticket: unknown issue channel 'hotline'",
        ),
        (
            {"required": True, "required_categories": ("weather",)},
            "extra attribute issue.ticket: unknown issue category 'weather'",
        ),
        (
            {"required_channels": ("platform",)},
            "extra attribute issue.ticket: required_channels or required_categories given, "
            "but not required",
        ),
    ],
)
def test_a_condition_that_contradicts_the_type_leaves_it_out(
    conditions: dict[str, Any], problem: str
) -> None:
    with plugin_manager(Tickets(**conditions), check=False) as pm:
        assert KEY not in pm.campaign_types()
        (error,) = pm.load_errors
    assert problem in error.message


def test_a_condition_on_another_record_leaves_the_type_out() -> None:
    ticket = ExtraAttribute(
        "event", "ticket", "str", TICKET, required=True, required_channels=("platform",)
    )
    plugin = Tickets()
    plugin.type = attrs.evolve(CAMPAIGN_TYPE, key=KEY, extra_attributes=(ticket,))
    with plugin_manager(plugin, check=False) as pm:
        assert KEY not in pm.campaign_types()
        (error,) = pm.load_errors
    assert (
        "extra attribute event.ticket: required_channels and required_categories are for "
        "issue attributes"
    ) in error.message
