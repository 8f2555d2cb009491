"""A plugin adding figures of every value kind to the built-in campaign type, as a
province's plugin would: the working days resolved issues took, their average and median,
issues per enterprise. Registered by module name (``--plugin tests.value_kinds``) or as
this module."""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit import hookimpl
from campaignkit.rules.records import Label, MetricDef
from campaignkit.stats.contributions import issues_where
from campaignkit.stats.issue_metrics import working_days_to_resolve

__all__ = ["METRICS", "campaignkit_metrics"]

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
"""The figures, for the built-in campaign type (``sisong-yifu``)."""


@hookimpl
def campaignkit_metrics() -> Iterator[MetricDef]:
    """Add :data:`METRICS` to every campaign type that has their parts."""
    yield from METRICS
