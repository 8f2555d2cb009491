"""The 万人助万企 metrics, built from campaignkit's contribution helpers.

Besides the activity and outcome counts, two rates are the campaign's own:

* ``resolution_rate`` — 问题化解率: issues resolved (办结, including those
  answered on the spot and those closed off) among the issues collected;
* ``satisfaction_rate`` — 企业满意率: enterprises satisfied among the
  enterprises that rated the handling of their issues. An enterprise counts
  as satisfied when the latest rating of every one of its rated issues is
  satisfied or basically satisfied.

``issues_new_this_week`` counts the issues raised in the seven days up to the
as-of date, for the weekly report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

from campaignkit.contributions import (
    Contributions,
    activities_of,
    activity_enterprises,
    activity_figure,
    issues_where,
    outcome_values,
    outcomes_of,
)
from campaignkit.issue_metrics import issue_handling_metrics
from campaignkit.metrics import Contribution, MetricContext
from campaignkit.model import Issue, Satisfaction
from campaignkit.types import Label, MetricDef
from campaignkit_henan.kinds import MATCHMAKING_KINDS

__all__ = ["METRICS", "SUMMARY_COLUMNS", "is_major"]

_JIA = Label("家", "")
_GE = Label("个", "")
_CHANG = Label("场", "")
_YUAN = Label("元", "yuan")
_PCT = Label("%", "%")
_SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


def is_major(issue: Issue) -> bool:
    """A major issue (重大问题): ``extra.severity`` is ``major``."""
    return issue.extra.get("severity") == "major"


def _major(_: MetricContext, issue: Issue) -> bool:
    return is_major(issue)


def _this_week(ctx: MetricContext, issue: Issue) -> bool:
    return ctx.as_of - timedelta(days=6) <= issue.raised <= ctx.as_of


def _closed_off(ctx: MetricContext, issue: Issue) -> bool:
    return ctx.issue_states()[issue.id].state == "closed"


def _rated(ctx: MetricContext, issue: Issue) -> bool:
    return issue.enterprise is not None and ctx.issue_states()[issue.id].last_rating is not None


def _dissatisfied_enterprises(ctx: MetricContext) -> frozenset[str]:
    def build() -> frozenset[str]:
        states = ctx.issue_states()
        return frozenset(
            i.enterprise
            for i in ctx.ledger.issues
            if i.enterprise is not None
            and states[i.id].last_rating is not None
            and states[i.id].last_rating not in _SATISFIED
        )

    found: frozenset[str] = ctx.memo("henan:dissatisfied", build)
    return found


def _satisfied(ctx: MetricContext, issue: Issue) -> bool:
    return _rated(ctx, issue) and issue.enterprise not in _dissatisfied_enterprises(ctx)


def _by_enterprise(where: Callable[[MetricContext, Issue], bool]) -> Contributions:
    """Issues for which ``where`` holds, each keyed by its enterprise (for distinct counts)."""
    issues = issues_where(where)

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        for c in issues(ctx):
            yield c._replace(key=c.enterprise)

    return contributions


_OWN_RATES = ("resolution_rate", "satisfaction_rate")

METRICS = (
    MetricDef(
        "enterprises_served",
        Label("包联走访企业", "enterprises visited"),
        _JIA,
        activity_enterprises("pairing_visit"),
        "distinct",
        doc="Distinct enterprises named in pairing visits.",
    ),
    MetricDef(
        "pairing_visits",
        Label("包联走访", "pairing visits"),
        Label("次", ""),
        activities_of("pairing_visit"),
    ),
    MetricDef(
        "briefings",
        Label("惠企政策宣讲", "policy briefings"),
        _CHANG,
        activities_of("policy_briefing"),
    ),
    MetricDef(
        "briefing_enterprises",
        Label("宣讲参加企业", "briefing attendance"),
        _JIA,
        activities_of("policy_briefing", value=lambda a: a.attendance),
        "sum",
    ),
    MetricDef(
        "meetings",
        Label("政企恳谈会", "government–enterprise meetings"),
        _CHANG,
        activities_of("government_enterprise_meeting"),
    ),
    MetricDef(
        "matchmaking_events",
        Label("对接活动", "matchmaking events"),
        _CHANG,
        activities_of(*MATCHMAKING_KINDS),
    ),
    MetricDef(
        "positions_offered",
        Label("提供岗位", "jobs offered"),
        Label("个", "jobs"),
        activity_figure("positions", "employment_fair"),
        "sum",
    ),
    MetricDef("issues_collected", Label("收集问题", "issues collected"), _GE, issues_where()),
    MetricDef("major_issues", Label("重大问题", "major issues"), _GE, issues_where(_major)),
    MetricDef(
        "issues_new_this_week",
        Label("本周新收集问题", "issues raised this week"),
        _GE,
        issues_where(_this_week),
        doc="Issues raised in the seven days up to the as-of date.",
    ),
    MetricDef(
        "issues_closed_off",
        Label("已销号问题", "issues closed off"),
        _GE,
        issues_where(_closed_off),
    ),
    MetricDef(
        "financing_amount",
        Label("促成融资", "financing arranged"),
        _YUAN,
        outcome_values("amount_yuan", "financing"),
        "sum",
        value_kind="yuan",
    ),
    MetricDef(
        "financing_deals",
        Label("融资对接签约", "financing deals signed"),
        _GE,
        outcomes_of("financing"),
    ),
    MetricDef(
        "order_amount",
        Label("产销对接金额", "sales orders arranged"),
        _YUAN,
        outcome_values("amount_yuan", "sales_order"),
        "sum",
        value_kind="yuan",
    ),
    *(m for m in issue_handling_metrics() if m.id not in _OWN_RATES),
    MetricDef(
        "resolution_rate",
        Label("问题化解率", "issue resolution rate"),
        _PCT,
        numerator="issues_resolved",
        denominator="issues_collected",
        doc="Issues resolved (including closed off) among the issues collected.",
    ),
    MetricDef(
        "closeoff_rate",
        Label("问题销号率", "close-off rate"),
        _PCT,
        numerator="issues_closed_off",
        denominator="issues_collected",
    ),
    MetricDef(
        "rated_enterprises",
        Label("参评企业", "enterprises that rated"),
        _JIA,
        _by_enterprise(_rated),
        "distinct",
    ),
    MetricDef(
        "satisfied_enterprises",
        Label("满意企业", "satisfied enterprises"),
        _JIA,
        _by_enterprise(_satisfied),
        "distinct",
        doc="Enterprises whose every rated issue was last rated satisfied or basically satisfied.",
    ),
    MetricDef(
        "satisfaction_rate",
        Label("企业满意率", "enterprise satisfaction rate"),
        _PCT,
        numerator="satisfied_enterprises",
        denominator="rated_enterprises",
        doc="Satisfied enterprises among the enterprises that rated.",
    ),
)
"""Every metric of the campaign type, in the order reports list them."""

SUMMARY_COLUMNS = (
    "enterprises_served",
    "pairing_visits",
    "briefings",
    "matchmaking_events",
    "issues_collected",
    "issues_resolved",
    "issues_closed_off",
    "financing_amount",
)
"""Columns of the summary table (汇总表)."""
