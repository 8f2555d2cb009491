"""A report: everything a formatter needs, computed once from a ledger.

Formatters (``campaignkit_report_formatters``) receive a :class:`Report` and
never compute figures themselves, so every output shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from attrs import frozen

from campaignkit.errors import CampaignkitError, PluginError
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.hooks.watchdog import call_with_timeout
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.ledger import Ledger
from campaignkit.model.units import exact
from campaignkit.rules.records import CampaignType
from campaignkit.stats.metrics import (
    Breakdown,
    MetricContext,
    MetricResult,
    breakdown,
    compute,
    context_of,
    make_context,
)
from campaignkit.stats.narrative import render_narrative
from campaignkit.stats.summary import SummaryTable, summary_table
from campaignkit.workspace import Workspace

__all__ = [
    "BY_CHOICES",
    "ISSUE_FIGURES",
    "RENDER_TIMEOUT_FACTOR",
    "Report",
    "StatusCount",
    "build_report",
    "render",
]

BY_CHOICES = ("team", "region", "category")
"""What the main table of a report can be by."""

RENDER_TIMEOUT_FACTOR = 10
"""Rendering a whole report may take this many times the per-hook plugin time limit."""

ISSUE_FIGURES = (
    "issues_collected",
    "issues_resolved",
    "issues_answered_on_spot",
    "issues_open",
    "issues_escalated",
    "issues_reopened",
    "legacy_issues",
    "resolution_rate",
    "satisfaction_rate",
)
"""Issue-handling figures a report shows when the campaign type defines them, unless the
type lists its own (:attr:`CampaignType.issue_figures
<campaignkit.rules.records.CampaignType.issue_figures>`)."""

BREAKDOWNS = (
    ("issues_collected", "category"),
    ("issues_collected", "region"),
    ("issues_collected", "channel"),
    ("issues_collected", "level"),
)


@frozen
class StatusCount:
    """How many issues are in one lifecycle state."""

    state: str
    label: str
    count: int


@frozen
class Report:
    """The computed content of a campaign report."""

    ledger: Ledger
    campaign_type: CampaignType
    as_of: date
    lang: str
    title: str
    narrative: str
    table: SummaryTable
    """The summary table (汇总表) by the chosen dimension."""
    headline: Mapping[str, MetricResult]
    issue_figures: Mapping[str, MetricResult]
    breakdowns: tuple[Breakdown, ...]
    statuses: tuple[StatusCount, ...]
    outcomes_by_kind: tuple[tuple[str, str, int], ...]
    """(kind, label, number of outcomes) for every outcome kind present."""
    context: MetricContext


@exact
def build_report(
    ledger: Ledger | Workspace | MetricContext,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
    by: str = "team",
    workspace: Workspace | None = None,
) -> Report:
    """Compute a :class:`Report` for ``ledger`` (summary by ``team`` or ``region``); with
    ``workspace`` (holding this ledger), the shapes it holds are read instead of derived.

    ``ledger`` may be a workspace itself, or a :class:`MetricContext` (which brings its
    own date), as for :func:`~campaignkit.stats.metrics.compute`."""
    ctx = (
        make_context(ledger, manager=manager, as_of=as_of, workspace=workspace)
        if workspace is not None and isinstance(ledger, Ledger)
        else context_of(ledger, manager=manager, as_of=as_of, what="ledger")
    )
    if not isinstance(ledger, Ledger):  # a workspace's ledger, or a context's
        ledger = ledger.ledger
    ctype = ctx.campaign_type
    table = summary_table(ctx, by=by, lang=lang)
    headline = {mid: compute(ctx, mid, lang=lang) for mid in ctype.summary_columns}
    known = {m.id for m in ctype.metrics}
    listed = ctx.campaign_type.issue_figures
    wanted = ISSUE_FIGURES if listed is None else listed
    issue_figures = {mid: compute(ctx, mid, lang=lang) for mid in wanted if mid in known}
    breakdowns = tuple(
        breakdown(ctx, mid, dim, lang=lang) for mid, dim in BREAKDOWNS if mid in known
    )
    counts: dict[str, int] = {}
    for state in ctx.issue_states().values():
        counts[state.state] = counts.get(state.state, 0) + 1
    statuses = tuple(
        StatusCount(s.key, s.label.get(lang), counts[s.key])
        for s in ctype.lifecycle.states
        if s.key in counts
    )
    dated = ctx.ledger  # the records dated by the report's day
    outcome_counts = tuple(
        (k.key, k.label.get(lang), len(dated.outcomes_by_kind.get(k.key, ())))
        for k in ctype.outcome_kinds
        if dated.outcomes_by_kind.get(k.key)
    )
    title = ledger.campaign.name + ("工作情况汇总" if lang == "zh" else " — report")
    return Report(
        ledger=ledger,
        campaign_type=ctype,
        as_of=ctx.as_of,
        lang=lang,
        title=title,
        narrative=render_narrative(ctx, lang=lang),
        table=table,
        headline=headline,
        issue_figures=issue_figures,
        breakdowns=breakdowns,
        statuses=statuses,
        outcomes_by_kind=outcome_counts,
        context=ctx,
    )


@exact
def render(
    report: Report,
    fmt: str = "text",
    *,
    manager: PluginManager | None = None,
    by: str | None = None,
    show_personal: bool = False,
    include_charts: bool = True,
) -> bytes:
    """Render ``report`` with the formatter named ``fmt`` (see ``campaignkit plugins``).

    ``by`` chooses the main table: ``"team"``, ``"region"`` or ``"category"``
    (issues by category); by default the report's own summary table
    (:func:`build_report`'s ``by``).

    A formatter that raises, returns something other than bytes or does not
    finish within :data:`RENDER_TIMEOUT_FACTOR` times the manager's plugin time
    limit raises :class:`~campaignkit.errors.PluginError` naming it and its
    plugin. A formatter that declares ``limited=False`` (every built-in format
    does: their time grows with the ledger, an XLSX of a million issues takes
    minutes) is called directly: no time limit, and its own errors (a
    ``ValueError`` for a table the campaign type cannot show) as they are.
    """
    from campaignkit.rules.records import RenderOptions

    pm = manager or report.context.manager or get_plugin_manager()
    ctype = report.context.campaign_type.key
    formatters = pm.report_formatters(ctype)
    if fmt not in formatters:
        clash = pm.clash("campaignkit_report_formatters", fmt)
        if clash is not None:
            raise clash
        raise KeyError(
            f"unknown report format {fmt!r} (available: {', '.join(formatters) or 'none'})"
        )
    if by is not None and by not in BY_CHOICES:
        raise ValueError(f"a report is by {', '.join(BY_CHOICES)}, not {by!r}")
    options = RenderOptions(
        lang=report.lang,
        by=by or report.table.by,
        show_personal=show_personal,
        include_charts=include_charts,
    )
    formatter = formatters[fmt]
    owner = pm.owner("campaignkit_report_formatters", fmt, ctype) or "?"
    what = Phrase("formatter", {"name": fmt, "plugin": owner})
    if not formatter.limited:
        # a format that declares it (the built-in ones do): no time limit, and its errors
        # are its own (``ValueError: … defines no issue figures by category``)
        output = formatter.render(report, options)
    else:
        limit = None if pm.timeout is None else pm.timeout * RENDER_TIMEOUT_FACTOR
        try:
            output = call_with_timeout(formatter.render, report, options, timeout=limit, what=what)
        except PluginError:
            raise
        except Exception as exc:
            reason: object = f"{type(exc).__name__}: {exc}"
            if type(exc) is CampaignkitError:  # campaignkit's own words, worded in each language
                reason = Phrase("campaignkit-error", {"inner": exc.phrase})
            raise PluginError(Phrase("call-failed", {"call": what, "reason": reason})) from exc
    if not isinstance(output, bytes):
        raise PluginError(Phrase("not-bytes", {"call": what, "type": type(output).__name__}))
    return output
