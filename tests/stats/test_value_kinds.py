"""Value kinds from a plugin author's side: averages, medians and per-enterprise figures
over the built-in type's metrics (the plugin of :mod:`tests.value_kinds`), with their
provenance, rounding and breakdowns."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

import campaignkit as ck
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.hooks.manager import PluginManager
from campaignkit.rules.lifecycle import StateKind
from campaignkit.stats.metrics import UNASSIGNED, MetricContext, breakdown, make_context
from campaignkit.stats.narrative import format_number
from campaignkit.testing import load_ledger, plugin_manager
from tests import value_kinds

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def pm() -> Iterator[PluginManager]:
    with plugin_manager(value_kinds) as manager:
        yield manager


@pytest.fixture(scope="module")
def huainan(pm: PluginManager) -> MetricContext:
    return make_context(load_ledger(HUAINAN, manager=pm), manager=pm)


def two_places(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def days_taken(ctx: MetricContext, pm: PluginManager) -> dict[str, int]:
    """The working days each resolved issue took, worked out here from its state and the
    calendars: from the day it was raised to the day it was resolved."""
    calendar = WorkCalendar.from_manager(pm)
    states = ctx.issue_states()
    found = {}
    for issue in ctx.ledger.issues:
        state = states[issue.id]
        if state.kind is StateKind.RESOLVED:
            assert isinstance(state.resolved_on, type(issue.raised))
            found[issue.id] = calendar.working_days_between(issue.raised, state.resolved_on).days
    return found


def resolved(issue_id: str, raised: str, on: str, **fields: Any) -> dict[str, Any]:
    """An issue of the minimal document's enterprise E1, assigned the day it was raised."""
    return {
        "id": issue_id,
        "category": "labour",
        "description": "用工",
        "channel": "visit",
        "raised": raised,
        "enterprise": "E1",
        "events": [
            {"kind": "assigned", "date": raised, "level": "county", "department": "区人社局"},
            {"kind": "resolved", "date": on},
        ],
        **fields,
    }


# -- averages ------------------------------------------------------------------------------


def test_an_average_of_working_days_is_a_figure_with_its_unit(
    document: dict[str, Any], pm: PluginManager
) -> None:
    # I1 was raised on Monday 13 April 2020 and resolved on Friday 24 April: 9 working
    # days; I2 was answered on the spot the day it was raised: 0; I3 is open
    ledger = load_ledger(document, manager=pm)
    average = ck.compute(ledger, "average_resolve_days", manager=pm)
    assert (average.value, average.numerator, average.denominator) == (Decimal("4.5"), 9, 2)
    assert (average.value_kind, average.unit, average.label) == (
        "average",
        "个工作日",
        "平均办结用时",
    )
    assert set(average.provenance) == {"I1", "I2"}
    assert format_number(average.value or 0, average.value_kind, average.unit) == "4.5个工作日"
    english = ck.compute(ledger, "average_resolve_days", manager=pm, lang="en")
    assert format_number(english.value or 0, english.value_kind, english.unit, "en") == (
        "4.5 working days"
    )


def test_averages_and_medians_of_the_huainan_issues(
    huainan: MetricContext, pm: PluginManager
) -> None:
    days = days_taken(huainan, pm)
    assert days, "the example has resolved issues"
    average = ck.compute(huainan, "average_resolve_days")
    assert average.numerator == sum(days.values())
    assert average.denominator == len(days)
    assert average.value == two_places(Decimal(sum(days.values())) / len(days))
    assert set(average.provenance) == set(days)
    median = ck.compute(huainan, "median_resolve_days")
    assert median.value == two_places(Decimal(statistics.median(days.values())))
    assert (median.value_kind, median.numerator, median.denominator) == ("median", None, None)
    assert set(median.provenance) == set(days)


def test_a_median_of_an_even_number_of_values_is_the_mean_of_the_middle_two(
    document: dict[str, Any], pm: PluginManager
) -> None:
    document["issues"] += [
        # Friday 24 April to Monday 27 April 2020: Sunday the 26th was a working day (调休)
        resolved("I4", "2020-04-24", "2020-04-27"),
        # Monday 20 April to Monday 27 April: five working days, then the 26th and the 27th
        resolved("I5", "2020-04-20", "2020-04-27"),
    ]
    ledger = load_ledger(document, manager=pm)
    # I1 took 9 working days, I2 0, I4 2, I5 6
    assert ck.compute(ledger, "resolve_days", manager=pm).value == 17
    assert ck.compute(ledger, "median_resolve_days", manager=pm).value == Decimal(4)
    assert ck.compute(ledger, "average_resolve_days", manager=pm).value == Decimal("4.25")
    document["issues"].pop()  # I1, I2, I4: 9, 0, 2
    ledger = load_ledger(document, manager=pm)
    assert ck.compute(ledger, "median_resolve_days", manager=pm).value == Decimal(2)
    assert ck.compute(ledger, "average_resolve_days", manager=pm).value == Decimal("3.67")


def test_without_records_there_is_no_figure(document: dict[str, Any], pm: PluginManager) -> None:
    document["issues"] = [document["issues"][2]]  # I3 is open
    ledger = load_ledger(document, manager=pm)
    for mid in ("average_resolve_days", "median_resolve_days"):
        assert ck.compute(ledger, mid, manager=pm).value is None, mid
    document["issues"] = []
    ledger = load_ledger(document, manager=pm)
    result = ck.compute(ledger, "issues_per_enterprise", manager=pm)
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)


# -- per enterprise --------------------------------------------------------------------------


def test_a_per_enterprise_figure_divides_by_the_enterprises_its_records_name(
    document: dict[str, Any], pm: PluginManager
) -> None:
    extra = dict(document["issues"][2], id="I4", enterprise="E1")
    anonymous = dict(document["issues"][2], id="I5", enterprise=None)
    document["issues"] += [extra, anonymous]
    ledger = load_ledger(document, manager=pm)
    # five issues; E1, E2 and E3 raised them (I5 names no enterprise)
    result = ck.compute(ledger, "issues_per_enterprise", manager=pm)
    assert (result.value, result.numerator, result.denominator) == (Decimal("1.67"), 5, 3)
    assert result.value_kind == "per_enterprise"
    assert result.provenance == ("I1", "I2", "I3", "I4", "I5")


def test_issues_per_enterprise_in_the_huainan_example(huainan: MetricContext) -> None:
    issues = huainan.ledger.issues
    enterprises = {i.enterprise for i in issues if i.enterprise}
    result = ck.compute(huainan, "issues_per_enterprise")
    assert (result.numerator, result.denominator) == (len(issues), len(enterprises))
    assert result.value == two_places(Decimal(len(issues)) / len(enterprises))


# -- breakdowns -------------------------------------------------------------------------------


def _team(ctx: MetricContext, issue: ck.Issue) -> str:
    activity = ctx.ledger.activity_index.get(issue.activity) if issue.activity else None
    return issue.team or (activity.team if activity else None) or UNASSIGNED


def test_breakdown_rows_of_an_average_are_averages_over_the_rows_records(
    huainan: MetricContext, pm: PluginManager
) -> None:
    days = days_taken(huainan, pm)
    by_team: dict[str, list[int]] = {}
    for issue in huainan.ledger.issues:
        if issue.id in days:
            by_team.setdefault(_team(huainan, issue), []).append(days[issue.id])
    bd = breakdown(huainan, "average_resolve_days", "team")
    assert bd.additive is False
    rows = {r.key: r.result for r in bd.rows}
    assert set(rows) == set(by_team)
    for key, taken in by_team.items():
        row = rows[key]
        assert (row.numerator, row.denominator) == (sum(taken), len(taken)), key
        assert row.value == two_places(Decimal(sum(taken)) / len(taken)), key
        assert row.value_kind == "average"
    assert bd.total == ck.compute(huainan, "average_resolve_days")
    medians = {
        r.key: r.result.value for r in breakdown(huainan, "median_resolve_days", "team").rows
    }
    assert medians == {k: two_places(Decimal(statistics.median(v))) for k, v in by_team.items()}


@pytest.mark.parametrize("by", ["team", "region", "category", "channel", "level", "month", "class"])
def test_every_value_kind_breaks_down_by_every_dimension(huainan: MetricContext, by: str) -> None:
    for metric in value_kinds.METRICS:
        bd = breakdown(huainan, metric.id, by)
        assert bd.total == ck.compute(huainan, metric.id)
        if metric.is_derived:
            assert bd.additive is False
            total = set(bd.total.provenance)
            for row in bd.rows:
                assert set(row.result.provenance) <= total, (metric.id, row.key)
                assert row.result.value_kind == metric.result_kind
    rows = breakdown(huainan, "issues_per_enterprise", by).to_rows()
    assert all({"numerator", "denominator"} <= set(row) for row in rows)
    medians = breakdown(huainan, "median_resolve_days", by).to_rows()
    assert not any("denominator" in row for row in medians)


# -- as before --------------------------------------------------------------------------------


def test_a_numerator_and_a_denominator_without_a_kind_are_still_a_rate(
    huainan: MetricContext,
) -> None:
    for metric in huainan.campaign_type.metrics:
        if metric.numerator is not None and metric.id not in {m.id for m in value_kinds.METRICS}:
            assert metric.value_kind == "count" and metric.result_kind == "rate", metric.id
            result = ck.compute(huainan, metric.id)
            assert result.value_kind == "rate"
            assert format_number(result.value or 0, result.value_kind).endswith("%")
