"""The metric engine's fast paths give exactly what its general paths give.

Fast paths: built-in issue predicates answered for every issue at once from
the states by position, contributions grouped once per context by a built-in
dimension, rate rows from those groups, provenance listed when first read.
``campaignkit.stats.metrics._FAST_PATHS = False`` turns the first three off; plugins'
own predicates, dimensions and contexts always take the general path.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import campaignkit as ck
import campaignkit.stats.metrics as metrics_module
from benchmarks.generate import write_ledger
from campaignkit.model.ledger import Ledger
from campaignkit.rules.lifecycle import IssueState, StateKind
from campaignkit.rules.records import Label, MetricDef
from campaignkit.stats.contributions import (
    StateTest,
    issue_contribution,
    issue_contributions,
    issues_where,
)
from campaignkit.stats.issue_metrics import issue_handling_metrics
from campaignkit.stats.metrics import (
    DIMENSIONS,
    Breakdown,
    Contribution,
    IssueRows,
    MetricContext,
    MetricResult,
    breakdown,
    compute,
    make_context,
    positional,
)
from campaignkit.stats.summary import summary_table
from tests.strategies import ledgers

ROOT = Path(__file__).resolve().parents[2]
HUAINAN = ROOT / "examples" / "huainan-2020" / "ledger.json"
HENAN = ROOT / "examples" / "henan-wanren-plugin" / "example-ledger.json"


def everything(ledger: Ledger, as_of: dt.date | None = None) -> list[Any]:
    """Every figure with its provenance, every breakdown and both summary tables."""
    ctx = make_context(ledger, as_of=as_of)
    out: list[Any] = [dict(ctx.issue_states())]
    for metric in ctx.campaign_type.metrics:
        out.append(compute(ctx, metric.id))
        for by in DIMENSIONS:
            out.append(breakdown(ctx, metric.id, by))
    out.append(breakdown(ctx, "issues_collected", "team", keep_empty=True, lang="en"))
    out.extend(summary_table(ctx, by=by) for by in ("team", "region"))
    # the same again on a fresh context, breakdowns first
    fresh = make_context(ledger, as_of=as_of)
    out.extend(breakdown(fresh, m.id, "region") for m in fresh.campaign_type.metrics)
    return out


def provenances(found: list[Any]) -> list[Any]:
    """Provenance read out of every result (equality reads it too; this makes sure)."""
    out: list[Any] = []
    for item in found:
        if isinstance(item, MetricResult):
            out.append(item.provenance)
        elif isinstance(item, Breakdown):
            out.append([r.result.provenance for r in item.rows] + [item.total.provenance])
    return out


def general(ledger: Ledger, as_of: dt.date | None = None) -> list[Any]:
    saved = metrics_module._FAST_PATHS
    metrics_module._FAST_PATHS = False
    try:
        return everything(ledger, as_of)
    finally:
        metrics_module._FAST_PATHS = saved


def assert_paths_agree(ledger: Ledger, as_of: dt.date | None = None) -> None:
    fast = everything(ledger, as_of)
    slow = general(ledger, as_of)
    assert provenances(fast) == provenances(slow)
    assert fast == slow


@pytest.mark.parametrize("day", [None, "2020-04-14", "2020-04-20", "2020-05-06", "2020-07-01"])
def test_huainan_fast_and_general_paths_agree(day: str | None) -> None:
    assert_paths_agree(ck.load(HUAINAN), dt.date.fromisoformat(day) if day else None)


def test_henan_plugin_fast_and_general_paths_agree() -> None:
    ledger = ck.load(HENAN)
    assert_paths_agree(ledger)
    assert_paths_agree(ledger, dt.date(2021, 10, 1))


@pytest.mark.parametrize(("issues", "seed"), [(400, 3), (1200, 7)])
def test_generated_province_ledgers_agree(tmp_path: Path, issues: int, seed: int) -> None:
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, issues, seed=seed)
    ledger = ck.load(path)
    ctx = make_context(ledger, as_of=dt.date(2024, 11, 15))
    assert positional(ctx)
    assert compute(ctx, "issues_overdue").value and compute(ctx, "issues_resolved_on_time").value
    for day in (dt.date(2024, 6, 1), dt.date(2024, 11, 15), None):
        assert_paths_agree(ledger, day)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_any_ledger_agrees(ledger: Ledger) -> None:
    assert_paths_agree(ledger)
    assert_paths_agree(ledger, dt.date(2020, 4, 25))


# -- plugins take the general path -------------------------------------------------


def test_a_plugin_dimension_is_asked_for_every_contribution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ledger = ck.load(HUAINAN)
    expected = [breakdown(ledger, m, "team") for m in ("issues_collected", "resolution_rate")]
    built_in = DIMENSIONS["team"]
    asked: list[Contribution] = []

    def team(ctx: MetricContext, c: Contribution) -> Iterable[str]:
        asked.append(c)
        return built_in(ctx, c)

    monkeypatch.setitem(DIMENSIONS, "team", team)
    found = [breakdown(ledger, m, "team") for m in ("issues_collected", "resolution_rate")]
    assert found == expected
    assert len(asked) >= 2 * len(ledger.issues)


def test_a_plugin_predicate_is_asked_for_every_issue() -> None:
    ledger = ck.load(HUAINAN)
    ctx = make_context(ledger)
    by_id = {m.id: m for m in issue_handling_metrics()}
    for metric_id in ("issues_resolved", "issues_resolved_on_time", "issues_overdue"):
        contributions = by_id[metric_id].contributions
        assert contributions is not None
        asked: list[str] = []
        produce = issues_where(_plugin_predicate(metric_id, asked))
        assert list(produce(ctx)) == list(contributions(ctx)), metric_id
        assert asked == [i.id for i in ledger.issues]


def _plugin_predicate(metric_id: str, asked: list[str]) -> Any:
    from campaignkit.stats import issue_metrics

    built_in = {
        "issues_resolved": issue_metrics._resolved,
        "issues_resolved_on_time": issue_metrics._on_time,
        "issues_overdue": issue_metrics._overdue,
    }[metric_id]
    assert isinstance(built_in, StateTest)

    def where(ctx: MetricContext, issue: ck.Issue) -> bool:
        asked.append(issue.id)
        return built_in(ctx, issue)

    return where


@attrs.frozen
class _ReopenedContext(MetricContext):
    """A plugin's context that reports every resolved issue as open."""

    def issue_states(self) -> dict[str, IssueState]:
        states = dict(super().issue_states())
        return {
            k: attrs.evolve(s, kind=StateKind.OPEN) if s.kind is StateKind.RESOLVED else s
            for k, s in states.items()
        }


def test_a_subclassed_context_is_asked_for_its_states() -> None:
    ledger = ck.load(HUAINAN)
    plain = make_context(ledger)
    own = _ReopenedContext(plain.ledger, plain.campaign_type, plain.as_of, plain.manager)
    assert not positional(own)
    assert compute(own, "issues_resolved").value == 0
    resolved, was_open = (compute(plain, m).value for m in ("issues_resolved", "issues_open"))
    assert resolved and compute(own, "issues_open").value == resolved + (was_open or 0)


def test_duplicate_issue_ids_take_the_general_path() -> None:
    ledger = ck.load(HUAINAN)
    twice = ledger.replace(issues=(*ledger.issues, *ledger.issues[:5]))  # never validated
    ctx = make_context(twice)
    assert not positional(ctx)
    assert list(ctx.issue_state_list()) == [ctx.issue_states()[i.id] for i in twice.issues]
    assert_paths_agree(twice)


# -- issue contributions and provenance -------------------------------------------


def test_issue_contribution_is_the_one_built_for_the_ledger() -> None:
    ledger = ck.load(HUAINAN)
    ctx = make_context(ledger)
    every = issue_contributions(ctx)
    assert [issue_contribution(ctx, i) for i in ledger.issues] == list(every)
    assert all(issue_contribution(ctx, i) is c for i, c in zip(ledger.issues, every, strict=True))
    foreign = attrs.evolve(ledger.issues[0], id="X1")
    assert issue_contribution(ctx, foreign) == every[0]._replace(record="X1")


def test_provenance_read_late_is_an_ordinary_field() -> None:
    ledger = ck.load(HUAINAN)
    lazy = compute(ledger, "issues_collected")
    eager = MetricResult(
        lazy.id,
        lazy.label,
        lazy.unit,
        lazy.value,
        tuple(i.id for i in ledger.issues),
        value_kind=lazy.value_kind,
    )
    assert lazy == eager and hash(lazy) == hash(eager)
    assert compute(ledger, "issues_collected") == eager  # equal before being read
    assert repr(compute(ledger, "issues_collected")) == repr(eager)
    assert attrs.asdict(compute(ledger, "issues_collected")) == attrs.asdict(eager)
    assert pickle.loads(pickle.dumps(compute(ledger, "issues_collected"))) == eager
    assert attrs.evolve(compute(ledger, "issues_collected"), value=0).provenance == (
        eager.provenance
    )
    assert compute(ledger, "issues_collected").records == len(ledger.issues)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        lazy.provenance = ()  # type: ignore[misc]


def test_a_plugin_metric_with_its_own_contributions() -> None:
    ledger = ck.load(HUAINAN)
    ctx = make_context(ledger)

    def own(ctx: MetricContext) -> Iterator[Contribution]:
        for c in issue_contributions(ctx):
            if c.category == "labour":
                yield c._replace(key=c.enterprise)

    metric = MetricDef(
        "labour_enterprises", Label("用工企业", "x"), Label("家", ""), own, "distinct"
    )
    ctype = attrs.evolve(ctx.campaign_type, metrics=(*ctx.campaign_type.metrics, metric))
    fast = make_context(ledger)
    fast = MetricContext(fast.ledger, ctype, fast.as_of, fast.manager)
    rows = [breakdown(fast, "labour_enterprises", by) for by in DIMENSIONS]
    saved = metrics_module._FAST_PATHS
    metrics_module._FAST_PATHS = False
    try:
        slow = MetricContext(fast.ledger, ctype, fast.as_of, fast.manager)
        assert rows == [breakdown(slow, "labour_enterprises", by) for by in DIMENSIONS]
    finally:
        metrics_module._FAST_PATHS = saved
    assert rows[0].total.value == len({c.enterprise for c in own(ctx)})


def test_issue_rows_read_as_the_general_contributions(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 600, seed=5)
    ledger = ck.load(path)
    fast = make_context(ledger, as_of=dt.date(2024, 11, 15))
    saved = metrics_module._FAST_PATHS
    metrics_module._FAST_PATHS = False
    try:
        slow = make_context(ledger, as_of=dt.date(2024, 11, 15))
        general_lists = {
            m.id: list(m.contributions(slow))
            for m in slow.campaign_type.metrics
            if m.contributions is not None
        }
    finally:
        metrics_module._FAST_PATHS = saved
    rows_seen = 0
    for metric in fast.campaign_type.metrics:
        if metric.contributions is None:
            continue
        found = metric.contributions(fast)
        if isinstance(found, IssueRows):
            rows_seen += 1
            assert len(found) == len(general_lists[metric.id])
            expected = general_lists[metric.id]
            if len(found):
                assert found[0] == expected[0] and found[-1] == expected[-1]
                assert list(found[-3:]) == expected[-3:] and list(found[1:9:2]) == expected[1:9:2]
                assert list(reversed(found)) == expected[::-1]
                assert found.index(expected[-1]) == len(expected) - 1
        assert list(found) == general_lists[metric.id], metric.id
    assert rows_seen >= 12  # issues_collected, issue_enterprises and the issue handling counts


def test_rows_of_issue_breakdowns_are_found_when_read() -> None:
    ledger = ck.load(HUAINAN)
    bd = breakdown(ledger, "issue_enterprises", "team")
    for row in bd.rows:
        assert row.result.records == len(row.result.provenance) == row.result.value
    by_team = {r.key: set(r.result.provenance) for r in bd.rows}
    credited = {c.record for c in issue_contributions(make_context(ledger)) if c.enterprise}
    assert set().union(*by_team.values()) <= credited


def test_an_activity_naming_an_enterprise_the_ledger_lacks() -> None:
    """Built in code, unchecked: the contribution takes the activity's own region."""
    ledger = ck.load(HUAINAN)
    activities = list(ledger.activities)
    visits = [k for k, a in enumerate(activities) if a.kind == "enterprise_visit"]
    for k in visits[:5]:
        a = activities[k]
        activities[k] = attrs.evolve(a, enterprises=("E-unknown", *a.enterprises))
    odd = ledger.replace(activities=tuple(activities))
    assert any(activities[k].region for k in visits[:5])
    assert_paths_agree(odd)
    before = compute(ledger, "enterprises_visited").value
    assert before is not None
    assert compute(odd, "enterprises_visited").value == before + 1
    # counted once, in the county of the first visit that names it (the activity's own region)
    first = activities[visits[0]]
    assert first.region
    county = ledger.county_of(first.region)
    assert county is not None

    def by_county(one: Ledger) -> dict[str, Any]:
        return {r.key: r.result.value for r in breakdown(one, "enterprises_visited", "region").rows}

    grown = {k: v for k, v in by_county(odd).items() if v != by_county(ledger).get(k)}
    assert grown == {county: (by_county(ledger).get(county) or 0) + 1}
