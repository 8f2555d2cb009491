"""The metrics of the 2115 campaign type, built from campaignkit's contribution helpers.

Besides the visits and the built-in issue-handling figures (办结率, 按期办结率, 满意率 …),
some are the hotline's own:

* ``hotline_issues`` — requests made to the 2115 hotline;
* ``issues_urged`` — requests the hotline has urged by phone (催办) up to the as-of date;
* ``average_resolution_days`` — 平均办结用时, an average (value kind ``average``, shown
  in working days): the working days from the first dispatch (派单) to the resolution
  (办结), added up over the requests solved after a dispatch
  (``resolution_working_days``), divided by how many they are
  (``issues_solved_after_dispatch``), counted by the calendar the campaign type uses.
"""

from __future__ import annotations

import datetime as dt

import attrs

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.model import Issue
from campaignkit.plugins import Label, MetricContext, MetricDef, StateKind
from campaignkit.stats.contributions import (
    activities_of,
    activity_enterprises,
    issues_where,
    outcome_values,
)
from campaignkit.stats.issue_metrics import issue_handling_metrics
from campaignkit_shandong.handling import URGED
from campaignkit_shandong.kinds import HOTLINE

__all__ = ["ISSUE_FIGURES", "METRICS", "SUMMARY_COLUMNS"]

_JIA = Label("家", "")
_JIAN = Label("件", "")
_CI = Label("次", "")
_CHANG = Label("场", "")
_DAYS = Label("个工作日", "working days")


def _from_hotline(_: MetricContext, issue: Issue) -> bool:
    return issue.channel == HOTLINE


def _urged(ctx: MetricContext, issue: Issue) -> bool:
    return any(e.kind == URGED and e.date <= ctx.as_of for e in issue.events)


def _dispatch_to_resolution(ctx: MetricContext, issue: Issue) -> tuple[dt.date, dt.date] | None:
    """The first dispatch and the resolution of a request solved after a dispatch, else None."""
    state = ctx.issue_states()[issue.id]
    dispatched, solved = state.assigned_on, state.resolved_on
    if state.kind is not StateKind.RESOLVED:
        return None
    if not isinstance(dispatched, dt.date) or not isinstance(solved, dt.date):
        return None
    return dispatched, solved


def _solved_after_dispatch(ctx: MetricContext, issue: Issue) -> bool:
    return _dispatch_to_resolution(ctx, issue) is not None


def _calendar(ctx: MetricContext) -> WorkCalendar:
    """The working days of the context's campaign type (its workspace's, if it has one)."""
    if ctx.workspace is not None:
        return ctx.workspace.calendar
    found: WorkCalendar = ctx.memo(
        "shandong:calendar", lambda: WorkCalendar.from_manager(ctx.manager, ctx.campaign_type.key)
    )
    return found


def _working_days(ctx: MetricContext, issue: Issue) -> int | None:
    """The working days a request solved after a dispatch took from it (None for others)."""
    span = _dispatch_to_resolution(ctx, issue)
    return None if span is None else _calendar(ctx).working_days_between(*span).days


_LEFT_OUT = ("issues_escalated", "legacy_issues")
"""Built-in issue figures of what the 2115 rule does not have (raising levels, legacy issues)."""


def _in_requests(metric: MetricDef) -> MetricDef:
    """A built-in issue figure in the words of requests (诉求, counted in 件)."""
    label = Label(
        metric.label.zh.replace("问题", "诉求"), metric.label.en.replace("issue", "request")
    )
    if metric.is_rate:
        return attrs.evolve(metric, label=label)
    return attrs.evolve(metric, label=label, unit=_JIAN)


METRICS = (
    MetricDef(
        "enterprises_visited",
        Label("入企走访企业", "enterprises visited"),
        _JIA,
        activity_enterprises("enterprise_visit"),
        "distinct",
        doc="Distinct enterprises named in enterprise visits.",
    ),
    MetricDef(
        "visits", Label("入企走访", "enterprise visits"), _CI, activities_of("enterprise_visit")
    ),
    MetricDef("symposiums", Label("政企座谈会", "symposiums"), _CHANG, activities_of("symposium")),
    MetricDef(
        "issues_collected", Label("受理企业诉求", "requests received"), _JIAN, issues_where()
    ),
    MetricDef(
        "hotline_issues",
        Label("其中2115热线", "from the 2115 hotline"),
        _JIAN,
        issues_where(_from_hotline),
        doc="Requests made to the 2115 enterprise hotline.",
    ),
    MetricDef(
        "issues_urged",
        Label("热线催办诉求", "requests urged by the hotline"),
        _JIAN,
        issues_where(_urged),
        doc="Requests the hotline urged by phone (催办) up to the as-of date.",
    ),
    *(_in_requests(m) for m in issue_handling_metrics() if m.id not in _LEFT_OUT),
    MetricDef(
        "issues_solved_after_dispatch",
        Label("派单后办结诉求", "requests solved after a dispatch"),
        _JIAN,
        issues_where(_solved_after_dispatch),
        doc="Requests resolved (or closed) that were dispatched first.",
    ),
    MetricDef(
        "resolution_working_days",
        Label("派单至办结用时合计", "working days from dispatch to resolution"),
        _DAYS,
        issues_where(value=_working_days),
        "sum",
        value_kind="number",
        doc="Working days from the first dispatch to the resolution, added up over the "
        "requests solved after a dispatch.",
    ),
    MetricDef(
        "average_resolution_days",
        Label("平均办结用时", "average working days to resolve"),
        _DAYS,
        numerator="resolution_working_days",
        denominator="issues_solved_after_dispatch",
        value_kind="average",
        doc="Working days from dispatch to resolution, on average over the requests solved "
        "after a dispatch (shown as working days, never as a percentage).",
    ),
    MetricDef(
        "financing_amount",
        Label("融资对接金额", "financing arranged"),
        Label("元", "yuan"),
        outcome_values("amount_yuan", "financing"),
        "sum",
        value_kind="yuan",
    ),
)
"""Every metric of the campaign type, in the order reports list them."""

SUMMARY_COLUMNS = (
    "enterprises_visited",
    "visits",
    "symposiums",
    "issues_collected",
    "hotline_issues",
    "issues_resolved",
    "issues_urged",
)
"""Columns of the summary table (汇总表)."""

ISSUE_FIGURES = (
    "issues_collected",
    "hotline_issues",
    "issues_resolved",
    "issues_answered_on_spot",
    "issues_open",
    "issues_overdue",
    "issues_urged",
    "issues_reopened",
    "resolution_rate",
    "on_time_rate",
    "average_resolution_days",
    "satisfaction_rate",
)
"""The figures of the request-handling table (诉求办理情况), in order."""
