"""Breakdowns of figures taken over two metrics: every row of either part is shown, and
the rows of a coverage are each part's own coverage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs

import campaignkit as ck
from campaignkit.rules.records import Label, MetricDef
from campaignkit.stats.contributions import issue_contributions
from campaignkit.stats.metrics import Contribution, MetricContext, breakdown, make_context

ROOT = Path(__file__).resolve().parents[2]
HUAINAN = ROOT / "examples" / "huainan-2020" / "ledger.json"


def with_metrics(ctx: MetricContext, *extra: MetricDef) -> MetricContext:
    ctype = attrs.evolve(ctx.campaign_type, metrics=(*ctx.campaign_type.metrics, *extra))
    return MetricContext(ctx.ledger, ctype, ctx.as_of, ctx.manager)


def test_a_rate_row_the_denominator_lacks_is_shown_not_dropped() -> None:
    ledger = ck.load(HUAINAN)

    def labour(ctx: MetricContext) -> Iterator[Contribution]:
        return (c for c in issue_contributions(ctx) if c.category == "labour")

    ctx = with_metrics(
        make_context(ledger),
        MetricDef("labour_issues", Label("用工问题", "labour issues"), Label("个", ""), labour),
        MetricDef(
            "resolved_per_labour",
            Label("办结数与用工问题之比", "resolved per labour issue"),
            Label("%", "%"),
            numerator="issues_resolved",
            denominator="labour_issues",
        ),
    )
    bd = breakdown(ctx, "resolved_per_labour", "category")
    resolved = breakdown(ctx, "issues_resolved", "category")
    # every category with a resolved issue has its row, the labour one over its issues
    assert {r.key: r.result.numerator for r in bd.rows} == {
        r.key: r.result.value for r in resolved.rows
    }
    assert sum(r.result.numerator or 0 for r in bd.rows) == bd.total.numerator
    assert sum(r.result.denominator or 0 for r in bd.rows) == bd.total.denominator
    others = [r for r in bd.rows if r.key != "labour"]
    assert others and all(r.result.denominator == 0 and r.result.value is None for r in others)
