"""The ``wanren-zhuwanqi`` campaign type: kinds, metrics, narrative, lifecycle and policy."""

from __future__ import annotations

from campaignkit.types import CampaignType, Label, NarrativeTemplate
from campaignkit_henan.handling import LIFECYCLE, POLICY
from campaignkit_henan.kinds import (
    ACTIVITY_KINDS,
    ENTERPRISE_CLASSES,
    EXTRA_ATTRIBUTES,
    FIGURES,
    ISSUE_CATEGORIES,
    ISSUE_CHANNELS,
    OUTCOME_KINDS,
)
from campaignkit_henan.metrics import METRICS, SUMMARY_COLUMNS

__all__ = ["CAMPAIGN_TYPE", "KEY", "NARRATIVE"]

KEY = "wanren-zhuwanqi"

NARRATIVE = NarrativeTemplate(
    zh=(
        "截至{as_of}，助企干部包联走访企业{enterprises_served}家、{pairing_visits}次",
        "开展惠企政策宣讲{briefings}场、各类对接活动{matchmaking_events}场",
        "收集企业问题{issues_collected}个（其中重大问题{major_issues}个），"
        "已化解{issues_resolved}个，问题化解率{resolution_rate}",
        "已销号{issues_closed_off}个，企业满意率{satisfaction_rate}",
        "促成融资{financing_amount}、产销对接{order_amount}",
    ),
    en=(
        "As of {as_of}, officials had made {pairing_visits} pairing visits to "
        "{enterprises_served} enterprises",
        "held {briefings} policy briefings and {matchmaking_events} matchmaking events",
        "collected {issues_collected} issues ({major_issues} major) and resolved "
        "{issues_resolved}, an issue resolution rate of {resolution_rate}",
        "closed off {issues_closed_off} with an enterprise satisfaction rate of "
        "{satisfaction_rate}",
        "and arranged {financing_amount} of financing and {order_amount} of sales orders",
    ),
)

CAMPAIGN_TYPE = CampaignType(
    key=KEY,
    label=Label("“万人助万企”活动", "Ten Thousand Officials Help Ten Thousand Enterprises"),
    activity_kinds=ACTIVITY_KINDS,
    issue_categories=ISSUE_CATEGORIES,
    issue_channels=ISSUE_CHANNELS,
    outcome_kinds=OUTCOME_KINDS,
    enterprise_classes=ENTERPRISE_CLASSES,
    metrics=METRICS,
    summary_columns=SUMMARY_COLUMNS,
    lifecycle=LIFECYCLE,
    policy=POLICY,
    narrative=NARRATIVE,
    figures=FIGURES,
    extra_attributes=EXTRA_ATTRIBUTES,
    doc="Henan's 万人助万企: issues routed in 1 day, progress in 3, solved in 7 (major: a month), "
    "then closed off (销号) with the enterprise's satisfied rating.",
)
"""The 万人助万企 campaign type."""
