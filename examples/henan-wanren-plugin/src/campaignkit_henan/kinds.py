"""The kinds a 万人助万企 ledger uses: activities, issue categories and channels, outcomes."""

from __future__ import annotations

from campaignkit.types import ExtraAttribute, FigureKey, Kind, Label

__all__ = [
    "ACTIVITY_KINDS",
    "ENTERPRISE_CLASSES",
    "EXTRA_ATTRIBUTES",
    "FIGURES",
    "ISSUE_CATEGORIES",
    "ISSUE_CHANNELS",
    "MATCHMAKING_KINDS",
    "OUTCOME_KINDS",
    "SEVERITIES",
]


def _k(key: str, zh: str, en: str, doc: str = "") -> Kind:
    return Kind(key, Label(zh, en), doc)


ACTIVITY_KINDS = (
    _k("pairing_visit", "包联走访", "pairing visit", "an official visits the enterprises paired"),
    _k("policy_briefing", "惠企政策宣讲", "policy briefing"),
    _k("government_enterprise_meeting", "政企恳谈会", "government–enterprise meeting"),
    _k("bank_enterprise_matchmaking", "银企对接会", "bank–enterprise matchmaking"),
    _k("supply_demand_matchmaking", "产销对接会", "supply–demand matchmaking"),
    _k("employment_fair", "专场招聘会", "employment fair", "figures.positions: jobs offered"),
)

MATCHMAKING_KINDS = (
    "bank_enterprise_matchmaking",
    "supply_demand_matchmaking",
    "employment_fair",
)
"""Activity kinds counted as matchmaking events (对接活动)."""

ISSUE_CATEGORIES = (
    _k("financing", "融资", "financing"),
    _k("labour", "用工", "labour"),
    _k("land", "用地", "land"),
    _k("approval", "审批手续", "approvals"),
    _k("policy", "政策兑现", "policy delivery"),
    _k("market", "市场开拓", "markets"),
    _k("energy", "水电气暖", "energy and utilities"),
    _k("logistics", "物流运输", "logistics"),
    _k("innovation", "科技创新", "innovation"),
    _k("other", "其他", "other"),
)

ISSUE_CHANNELS = (
    _k("visit", "包联走访", "visit"),
    _k("meeting", "恳谈会议", "meeting"),
    _k("platform", "万人助万企平台", "online platform"),
    _k("hotline", "12345热线", "12345 hotline"),
)

OUTCOME_KINDS = (
    _k("financing", "融资对接", "financing"),
    _k("sales_order", "产销对接订单", "sales order"),
    _k("land_supply", "用地保障", "land supply"),
)

ENTERPRISE_CLASSES = (
    _k("above_scale", "规上企业", "above designated size"),
    _k("specialized", "专精特新", "specialised and innovative"),
    _k("sme", "中小微企业", "small, medium and micro"),
)

FIGURES = (FigureKey("positions", Label("提供岗位", "jobs offered"), Label("个", "jobs")),)

SEVERITIES = ("ordinary", "major")
"""``extra.severity`` of an issue: ordinary (一般, 7 days) or major (重大, a month)."""

EXTRA_ATTRIBUTES = (
    ExtraAttribute(
        "issue",
        "severity",
        "str",
        Label("问题类别（一般/重大）", "severity (ordinary/major)"),
        choices=SEVERITIES,
        choice_labels=(("ordinary", Label("一般", "ordinary")), ("major", Label("重大", "major"))),
    ),
    ExtraAttribute("issue", "ticket", "str", Label("交办单号", "assignment ticket")),
)
