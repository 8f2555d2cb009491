"""A plugin adding figures of every value kind, as a province's plugin would: the working
days resolved issues took, their average and median, issues per enterprise. It adds them to
the built-in campaign type, and registers a campaign type of its own (the built-in one under
another key) whose reports list them among the issue figures. Registered by module name
(``--plugin tests.value_kinds``) or as this module."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from campaignkit import hookimpl
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE as SISONG
from campaignkit.report.build import ISSUE_FIGURES
from campaignkit.rules.records import CampaignType, Label, MetricDef
from campaignkit.stats.contributions import issues_where
from campaignkit.stats.issue_metrics import working_days_to_resolve

__all__ = ["FIGURES", "KEY", "METRICS", "campaignkit_campaign_types", "campaignkit_metrics"]

WORKING_DAYS = Label("个工作日", "working days")

METRICS = (
    MetricDef(
        "resolve_days",
        Label("办结用时合计", "working days to resolve, together"),
        WORKING_DAYS,
        issues_where(value=working_days_to_resolve),
        "sum",
        value_kind="number",
    ),
    MetricDef(
        "average_resolve_days",
        Label("平均办结用时", "average working days to resolve"),
        WORKING_DAYS,
        numerator="resolve_days",
        denominator="issues_resolved",
        value_kind="average",
    ),
    MetricDef(
        "median_resolve_days",
        Label("办结用时中位数", "median working days to resolve"),
        WORKING_DAYS,
        numerator="resolve_days",
        value_kind="median",
    ),
    MetricDef(
        "issues_per_enterprise",
        Label("户均反映问题", "issues per enterprise"),
        Label("个", "issues"),
        numerator="issues_collected",
        value_kind="per_enterprise",
    ),
)
"""The figures, each of one value kind (the first is the sum they are taken over)."""

FIGURES = tuple(m.id for m in METRICS[1:])
"""The figures shown: an average, a median and a per-enterprise figure."""

KEY = "value-kinds"
"""The plugin's campaign type: the built-in one, with :data:`FIGURES` in its reports."""


@hookimpl
def campaignkit_metrics() -> Iterator[MetricDef]:
    """Add :data:`METRICS` to the built-in campaign type."""
    for metric in METRICS:
        yield attrs.evolve(metric, campaign_types=(SISONG.key,))


@hookimpl
def campaignkit_campaign_types() -> Iterator[CampaignType]:
    """The built-in campaign type under :data:`KEY`, listing :data:`FIGURES` among the issue
    figures of its reports."""
    yield attrs.evolve(
        SISONG,
        key=KEY,
        label=Label("值类型示例", "value kinds"),
        metrics=(*SISONG.metrics, *METRICS),
        issue_figures=(*ISSUE_FIGURES, *FIGURES),
    )
