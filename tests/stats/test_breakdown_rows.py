"""Breakdowns of figures taken over two metrics: every row of either part is shown, and
the rows of a coverage are each part's own coverage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

import campaignkit as ck
from campaignkit.rules.records import Label, MetricDef
from campaignkit.stats.contributions import issue_contributions
from campaignkit.stats.metrics import (
    DIMENSIONS,
    UNASSIGNED,
    BreakdownError,
    Contribution,
    MetricContext,
    breakdown,
    dimensions_of,
    make_context,
)

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


# -- coverage of the enterprise classes, by class ------------------------------------


def load(doc: dict[str, Any]) -> ck.Ledger:
    return ck.loads(orjson.dumps(doc))


def classes_reached_in(ledger: ck.Ledger) -> set[str]:
    """The target classes some activity's enterprise is in, from the records."""
    targets = set(ledger.campaign.scope.enterprise_classes)
    index = ledger.enterprise_index
    return {
        cls
        for a in ledger.activities
        for e in a.enterprises
        if e in index
        for cls in index[e].classes
        if cls in targets
    }


def a_ledger_reaching_one_class_of_two(document: dict[str, Any]) -> ck.Ledger:
    """Targets 中小微, 专精特新 and 四上; E3 (规上 alone) visited too; nobody 四上."""
    document["campaign"]["scope"]["enterprise_classes"].append("four_above")
    document["activities"].append(
        {
            "id": "A9",
            "kind": "enterprise_visit",
            "date": "2020-04-17",
            "team": "T5",
            "region": "HN-ETDZ",
            "enterprises": ["E3"],
        }
    )
    return load(document)


def class_ledgers(document: dict[str, Any]) -> list[ck.Ledger]:
    return [ck.load(HUAINAN), a_ledger_reaching_one_class_of_two(document)]


def test_classes_reached_by_class_is_one_row_per_target_class_reached(
    document: dict[str, Any],
) -> None:
    for ledger in class_ledgers(document):
        bd = breakdown(ledger, "classes_reached", "class")
        reached = classes_reached_in(ledger)
        assert {r.key: r.result.value for r in bd.rows} == dict.fromkeys(reached, 1)
        assert bd.total.value == len(reached) == sum(r.result.value or 0 for r in bd.rows)
        targets = breakdown(ledger, "target_classes", "class")
        scope = ledger.campaign.scope.enterprise_classes
        assert {r.key: r.result.value for r in targets.rows} == dict.fromkeys(scope, 1)


def test_class_coverage_by_class_is_each_target_class_s_own_coverage(
    document: dict[str, Any],
) -> None:
    for ledger in class_ledgers(document):
        bd = breakdown(ledger, "class_coverage", "class")
        reached = classes_reached_in(ledger)
        scope = ledger.campaign.scope.enterprise_classes
        found = {r.key: (r.result.numerator, r.result.denominator) for r in bd.rows}
        assert found == {cls: (int(cls in reached), 1) for cls in scope}
        assert sum(n or 0 for n, _ in found.values()) == bd.total.numerator == len(reached)
        assert sum(d or 0 for _, d in found.values()) == bd.total.denominator == len(scope)
        assert UNASSIGNED not in found


# -- coverage of the target counties and zones: by region, and by nothing else ---------


def reached_in(ledger: ck.Ledger, field: str) -> set[str]:
    """The target counties (or zones) an activity, or an enterprise it names, is in."""
    targets = set(getattr(ledger.campaign.scope, field))
    index = ledger.enterprise_index
    found: set[str | None] = set()
    for a in ledger.activities:
        found.add(ledger.county_of(a.region))
        found.update(ledger.county_of(index[e].region) for e in a.enterprises if e in index)
    return {code for code in found if code is not None and code in targets}


def test_region_and_zone_coverage_by_region_is_each_target_s_own(
    document: dict[str, Any],
) -> None:
    document["campaign"]["scope"]["regions"].append("340404")  # a target nobody reached
    document["regions"].append(
        {"code": "340404", "name": "谢家集区", "level": "county", "parent": "340400"}
    )
    for ledger in (ck.load(HUAINAN), load(document)):
        for metric, field in (("region_coverage", "regions"), ("zone_coverage", "zones")):
            bd = breakdown(ledger, metric, "region")
            reached = reached_in(ledger, field)
            targets = getattr(ledger.campaign.scope, field)
            found = {r.key: (r.result.numerator, r.result.denominator) for r in bd.rows}
            assert found == {code: (int(code in reached), 1) for code in targets}, metric
            assert bd.total.numerator == len(reached) and bd.total.denominator == len(targets)


@pytest.mark.parametrize("by", ["team", "month", "category", "class"])
@pytest.mark.parametrize("metric", ["region_coverage", "zone_coverage", "target_regions"])
def test_coverage_is_not_broken_down_by_what_its_target_is_not_divided_along(
    metric: str, by: str
) -> None:
    ledger = ck.load(HUAINAN)
    ctx = make_context(ledger)
    assert dimensions_of(ctx.campaign_type, metric) == ("region",)
    with pytest.raises(BreakdownError) as refused:
        breakdown(ctx, metric, by)
    assert isinstance(refused.value, ValueError)
    words = refused.value.phrase.text()
    assert f"不能按 {by!r} 细分" in words and "可以按：region" in words
    assert ctx.campaign_type.metric(metric).label.get() in words
    assert "cannot be broken down by" in refused.value.phrase.text("en")
    with pytest.raises(BreakdownError):
        ck.crosstab(ctx, metric, "region", by)
    # what it can be broken down by still is, and its total is the figure itself
    assert breakdown(ctx, metric, "region").total == ck.compute(ctx, metric)


def test_class_coverage_is_broken_down_by_class_alone() -> None:
    ctx = make_context(ck.load(HUAINAN))
    assert dimensions_of(ctx.campaign_type, "class_coverage") == ("class",)
    assert dimensions_of(ctx.campaign_type, "classes_reached") == tuple(DIMENSIONS)
    with pytest.raises(BreakdownError) as refused:
        breakdown(ctx, "class_coverage", "month")
    assert "'target_classes'" in refused.value.phrase.text()
