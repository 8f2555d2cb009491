"""The ``suqiu-2115`` campaign type: kinds, metrics, narrative, lifecycle, policy, the
escalation rules it chooses, and what its reports list and call their sections."""

from __future__ import annotations

from campaignkit.plugins import CampaignType, Label, NarrativeTemplate
from campaignkit_shandong.handling import LIFECYCLE, POLICY
from campaignkit_shandong.kinds import (
    ACTIVITY_KINDS,
    ENTERPRISE_CLASSES,
    EXTRA_ATTRIBUTES,
    ISSUE_CATEGORIES,
    ISSUE_CHANNELS,
    OUTCOME_KINDS,
)
from campaignkit_shandong.metrics import ISSUE_FIGURES, METRICS, SUMMARY_COLUMNS

__all__ = [
    "CAMPAIGN_TYPE",
    "DISPATCH_RULE",
    "ESCALATION_RULES",
    "KEY",
    "NARRATIVE",
    "TITLES",
    "URGE_RULE",
]

KEY = "suqiu-2115"

DISPATCH_RULE = "shandong-dispatch"
"""The rule that dispatches hotline work orders left over (派单)."""
URGE_RULE = "shandong-urge"
"""The rule by which the hotline urges a unit by phone (催办)."""

ESCALATION_RULES = (
    "yellow-card",
    "red-card",
    "supervise",
    "reopen-dissatisfied",
    DISPATCH_RULE,
    URGE_RULE,
)
"""The rules that run for this type: the built-in yellow card, red card, supervision and
reopening, and the plugin's own two. The built-in raising of levels and supervision
meetings for legacy issues are left out: the 2115 rule has neither."""

TITLES = (
    ("issue_handling", Label("诉求办理情况", "Requests handled")),
    ("issue_status", Label("诉求办理状态", "Request states")),
    ("outcomes", Label("助企成果", "Outcomes")),
    ("summary_by_category", Label("诉求分类统计表", "Requests by category")),
)
"""What this type's reports call their sections."""

NARRATIVE = NarrativeTemplate(
    zh=(
        "截至{as_of},服务专员入企走访企业{enterprises_visited}家、{visits}次,"
        "召开政企座谈会{symposiums}场",
        "受理企业诉求{issues_collected}件(其中2115热线{hotline_issues}件),"
        "已办结{issues_resolved}件,办结率{resolution_rate},按期办结率{on_time_rate},"
        "派单后平均{average_resolution_days}个工作日办结",
        "热线催办{issues_urged}件,企业满意率{satisfaction_rate}",
    ),
    en=(
        "As of {as_of}, service officers had made {visits} visits to {enterprises_visited} "
        "enterprises and held {symposiums} symposiums",
        "received {issues_collected} requests ({hotline_issues} from the 2115 hotline) and "
        "solved {issues_resolved}, a resolution rate of {resolution_rate} "
        "({on_time_rate} on time, {average_resolution_days} working days after the dispatch "
        "on average)",
        "the hotline urged {issues_urged} by phone; satisfaction rate {satisfaction_rate}",
    ),
)

CAMPAIGN_TYPE = CampaignType(
    key=KEY,
    label=Label("企业诉求“2115”办理", "2115 enterprise requests"),
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
    extra_attributes=EXTRA_ATTRIBUTES,
    issue_figures=ISSUE_FIGURES,
    titles=TITLES,
    escalation_rules=ESCALATION_RULES,
    doc="Enterprise requests handled the 2115 way: answered within 24 hours of the dispatch, "
    "solved within 15 working days, yellow card a day (the answer: four hours) before a "
    "limit, red card when it passes, then the hotline's phone urging and supervision.",
)
"""The 2115 campaign type."""
