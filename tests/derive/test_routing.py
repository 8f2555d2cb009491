"""Routing issues to a level and department: specificity, region hierarchy, explanations."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from campaignkit.derive.routing import route, route_issue
from campaignkit.io import ledger_from_document
from campaignkit.model.ledger import Ledger
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.policy import Route
from campaignkit.rules.records import CampaignType


@pytest.fixture
def ledger(document: dict[str, Any]) -> Ledger:
    return ledger_from_document(document)


def with_routes(*routes: Route, **policy: Any) -> CampaignType:
    return attrs.evolve(
        CAMPAIGN_TYPE, policy=attrs.evolve(CAMPAIGN_TYPE.policy, routes=routes, **policy)
    )


def test_builtin_routes(ledger: Ledger) -> None:
    labour = route(CAMPAIGN_TYPE, "labour", "340403", ledger)
    assert (labour.level, labour.department, labour.match) == (
        "county",
        "田家庵区人力资源和社会保障局",
        "category",
    )
    assert "用工" in labour.explain()
    assert "田家庵区人力资源和社会保障局" in labour.explain()
    assert "labour issue in 田家庵区" in labour.explain("en")
    land = route(CAMPAIGN_TYPE, "land", "340402", ledger)
    assert (land.level, land.department) == ("city", "淮南市自然资源和规划局")
    finance = route(CAMPAIGN_TYPE, "finance", "HN-ETDZ", ledger)
    assert (finance.level, finance.department) == ("city", "淮南市地方金融监督管理局")
    other = route(CAMPAIGN_TYPE, "other", "HN-ETDZ", ledger)
    assert (other.level, other.department, other.match) == (
        "county",
        "经开区“四送一服”办公室",
        "default",
    )


def test_route_issue_uses_the_enterprise_region(ledger: Ledger) -> None:
    i1 = ledger.issue_index["I1"]  # labour, enterprise E1 in 大通区
    choice = route_issue(i1, CAMPAIGN_TYPE, ledger)
    assert choice.department == "大通区人力资源和社会保障局"


def test_most_specific_route_wins(ledger: Ledger) -> None:
    ctype = with_routes(
        Route("county", "默认单位"),
        Route("city", "市级地区单位", region="340400"),
        Route("county", "用工单位", category="labour"),
        Route("city", "市用工单位", category="labour", region="340400"),
        Route("county", "田区用工单位", category="labour", region="340403", reason="试点"),
    )
    exact = route(ctype, "labour", "340403", ledger)
    assert (exact.department, exact.match) == ("田区用工单位", "category+region")
    assert exact.route is not None and exact.route.region == "340403"
    assert "试点" in exact.explain()
    # 大通区 lies under 淮南市: the city-wide labour route is more specific than labour alone.
    parent = route(ctype, "labour", "340402", ledger)
    assert (parent.department, parent.level) == ("市用工单位", "city")
    by_region = route(ctype, "finance", "340402", ledger)
    assert (by_region.department, by_region.match) == ("市级地区单位", "region")
    assert route(ctype, "finance", None, ledger).match == "default"
    assert route(ctype, "labour", None, ledger).department == "用工单位"


def test_ties_go_to_the_first_route(ledger: Ledger) -> None:
    ctype = with_routes(Route("county", "甲", category="tax"), Route("city", "乙", category="tax"))
    assert route(ctype, "tax", "340402", ledger).department == "甲"


def test_no_route(ledger: Ledger) -> None:
    ctype = with_routes(level_offices=())
    choice = route(ctype, "labour", "340402", ledger)
    assert (choice.level, choice.department, choice.match, choice.route) == (
        "county",
        None,
        "none",
        None,
    )
    assert "没有匹配的路由规则" in choice.explain()
    assert "no route matches" in choice.explain("en")


def test_level_restricted_choice_falls_back_to_the_level_office(ledger: Ledger) -> None:
    up = route(CAMPAIGN_TYPE, "labour", "340403", ledger, level="city")
    assert (up.level, up.department, up.match) == ("city", "淮南市“四送一服”办公室", "none")
    land = route(CAMPAIGN_TYPE, "land", "340403", ledger, level="city")
    assert (land.department, land.match) == ("淮南市自然资源和规划局", "category")
    top = route(CAMPAIGN_TYPE, "land", "340403", ledger, level="province")
    assert top.department == "省“四送一服”办公室"


def test_without_a_ledger_only_exact_regions_match() -> None:
    ctype = with_routes(
        Route("county", "{county}默认"), Route("city", "{city}片区", region="340400")
    )
    assert route(ctype, "labour", "340402").department == "县区默认"
    assert route(ctype, "labour", "340400").department == "市片区"
