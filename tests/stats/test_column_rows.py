"""Activity contributions held as columns, and rows of a breakdown split in one pass.

``activities_of`` on a plain context gives ColumnRows; with
``campaignkit.stats.metrics._FAST_PATHS = False`` (or a subclassed context) it gives
the general list. Both must read the same, call a plugin's callables in the
same order, and give the same figures, breakdowns and provenance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import campaignkit as ck
import campaignkit.stats.metrics as metrics_module
from benchmarks.generate import write_ledger
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Activity
from campaignkit.rules.records import Label, MetricDef
from campaignkit.stats.contributions import activities_of
from campaignkit.stats.metrics import (
    DIMENSIONS,
    ColumnRows,
    IssueRows,
    MetricContext,
    breakdown,
    compute,
    group_contributions,
    make_context,
)

ROOT = Path(__file__).resolve().parents[2]
HUAINAN = ROOT / "examples" / "huainan-2020" / "ledger.json"


def generated(tmp_path: Path, issues: int, seed: int) -> Ledger:
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, issues, seed=seed)
    return ck.load(path)


def general_context(ledger: Ledger, as_of: dt.date | None = None) -> MetricContext:
    saved = metrics_module._FAST_PATHS
    metrics_module._FAST_PATHS = False
    try:
        return make_context(ledger, as_of=as_of)
    finally:
        metrics_module._FAST_PATHS = saved


@pytest.mark.parametrize("source", ["huainan", "generated"])
def test_column_rows_read_as_the_general_contributions(source: str, tmp_path: Path) -> None:
    ledger = ck.load(HUAINAN) if source == "huainan" else generated(tmp_path, 800, 11)
    fast = make_context(ledger)
    slow = general_context(ledger)
    seen = 0
    for metric in fast.campaign_type.metrics:
        if metric.contributions is None:
            continue
        found = metric.contributions(fast)
        saved = metrics_module._FAST_PATHS
        metrics_module._FAST_PATHS = False
        try:
            expected = list(metric.contributions(slow))
        finally:
            metrics_module._FAST_PATHS = saved
        assert type(expected) is list
        if type(found) is ColumnRows:
            seen += 1
            assert len(found) == len(expected)
            if expected:
                assert found[0] == expected[0] and found[-1] == expected[-1]
                assert list(found[1:9:2]) == expected[1:9:2]
                assert list(reversed(found)) == expected[::-1]
        assert list(found) == expected, metric.id
    assert seen >= 10  # the activity counts, sums and distinct subjects


def test_callables_are_called_as_on_the_general_path() -> None:
    ledger = ck.load(HUAINAN)
    calls: list[tuple[str, str]] = []

    def where(a: Activity) -> bool:
        calls.append(("where", a.id))
        return a.attendance is not None

    def value(a: Activity) -> Decimal:
        calls.append(("value", a.id))
        return Decimal(a.attendance or 0) / 2

    def distinct(a: Activity) -> str:
        calls.append(("distinct", a.id))
        return a.subject or a.id

    own = activities_of("symposium", "policy_briefing", value=value, distinct=distinct, where=where)
    fast = make_context(ledger)
    found = list(own(fast))
    fast_calls = list(calls)
    calls.clear()
    slow = general_context(ledger)
    saved = metrics_module._FAST_PATHS
    metrics_module._FAST_PATHS = False
    try:
        expected = list(own(slow))
    finally:
        metrics_module._FAST_PATHS = saved
    assert found == expected and found
    assert fast_calls == calls


def test_a_subclassed_context_gets_the_general_list() -> None:
    class Mine(MetricContext):
        pass

    ledger = ck.load(HUAINAN)
    plain = make_context(ledger)
    mine = Mine(plain.ledger, plain.campaign_type, plain.as_of, plain.manager)
    metric = plain.campaign_type.metric("symposiums")
    assert metric.contributions is not None
    assert type(metric.contributions(plain)) is ColumnRows
    listed = metric.contributions(mine)
    assert type(listed) is list and listed == list(metric.contributions(plain))


@pytest.mark.parametrize("day", [None, dt.date(2024, 6, 1)])
def test_sum_and_distinct_activity_metrics_agree(tmp_path: Path, day: dt.date | None) -> None:
    ledger = generated(tmp_path, 600, 4)
    value = activities_of("symposium", value=lambda a: Decimal(a.attendance or 0) / 3)
    subject = activities_of("symposium", "enterprise_visit", distinct=lambda a: a.team or a.id)
    base = make_context(ledger, as_of=day).campaign_type
    extra = (
        MetricDef("thirds", Label("x", "x"), Label("", ""), value, "sum", value_kind="number"),
        MetricDef("teams_active", Label("y", "y"), Label("", ""), subject, "distinct"),
    )
    ctype = attrs.evolve(base, metrics=(*base.metrics, *extra))

    def figures(ctx: MetricContext) -> list[object]:
        out: list[object] = []
        for mid in ("thirds", "teams_active", "symposium_enterprises", "key_projects_visited"):
            out.append(compute(ctx, mid))
            out.extend(breakdown(ctx, mid, by, keep_empty=True) for by in DIMENSIONS)
        return out

    plain = make_context(ledger, as_of=day)
    fast = figures(MetricContext(plain.ledger, ctype, plain.as_of, plain.manager))
    saved = metrics_module._FAST_PATHS
    metrics_module._FAST_PATHS = False
    try:
        slow = figures(MetricContext(plain.ledger, ctype, plain.as_of, plain.manager))
    finally:
        metrics_module._FAST_PATHS = saved
    assert fast == slow


def test_rows_of_a_group_are_split_in_any_order(tmp_path: Path) -> None:
    ledger = generated(tmp_path, 500, 9)
    ctx = make_context(ledger)
    for mid in ("issue_enterprises", "issues_collected", "symposium_enterprises"):
        metric = ctx.campaign_type.metric(mid)
        assert metric.contributions is not None
        items = metric.contributions(ctx)
        assert isinstance(items, IssueRows | ColumnRows)
        for by in ("team", "region", "month", "category"):
            groups = group_contributions(ctx, items, by)
            general = group_contributions(ctx, list(items), by)
            assert list(groups) == list(general)
            for key in reversed(list(groups)):  # the last row read first
                assert len(groups[key]) == len(general[key])
                assert list(groups[key]) == general[key]
