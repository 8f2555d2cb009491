"""A campaign type's self-check refuses a metric whose value kind does not fit its
definition, with the plugin named and the reason in both languages; a metric registered
separately is checked the same way for each type it joins."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

import campaignkit as ck
from campaignkit import hookimpl, new_plugin_manager
from campaignkit.hooks.manager import PluginManager
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE as SISONG
from campaignkit.rules.records import CampaignType, Label, MetricDef
from campaignkit.stats.contributions import issues_where
from campaignkit.testing import plugin_manager
from tests import value_kinds

DAYS = Label("个工作日", "working days")
RESOLVE_DAYS = value_kinds.METRICS[0]
"""A sum: the working days resolved issues took."""


def _metric(mid: str, **fields: object) -> MetricDef:
    return MetricDef(mid, Label("甲", "a"), DAYS, **fields)  # type: ignore[arg-type]


MISFITS = {
    "an average without a denominator": (
        _metric("x", numerator="resolve_days", value_kind="average"),
        "metric 'x' is an average: it needs a numerator and a denominator",
        "指标 'x' 是平均数，需要分子和分母",
    ),
    "the working days of resolved issues over their number, as a rate": (
        MetricDef(
            "x",
            Label("平均办结用时", "average days"),
            Label("%", "%"),
            numerator="resolve_days",
            denominator="issues_resolved",
        ),
        "metric 'x' is a rate (a share, shown as a percentage), but its numerator "
        "'resolve_days' adds values up while its denominator 'issues_resolved' counts: the "
        'numerator can exceed the denominator; declare value_kind "average"',
        '分子可能大于分母；请声明 value_kind "average"',
    ),
    "a rate of mu over yuan": (
        _metric("x", numerator="land_mu", denominator="factor_funds", value_kind="rate"),
        "its numerator 'land_mu' is an area in mu and its denominator 'factor_funds' an "
        "amount in yuan: a share divides like by like",
        "分子 'land_mu' 是面积（亩），分母 'factor_funds' 是金额（元）：占比只能同类相除",
    ),
    "an average over an amount": (
        _metric("x", numerator="issues_collected", denominator="land_mu", value_kind="average"),
        "metric 'x' is an average, but its denominator 'land_mu' is an area in mu, not a count",
        "指标 'x' 是平均数，但分母 'land_mu' 是面积（亩），不是个数",
    ),
    "a median of a count": (
        _metric("x", numerator="issues_collected", value_kind="median"),
        "metric 'x' is a median, but its numerator 'issues_collected' does not add values up "
        "(aggregate 'count')",
        "指标 'x' 是中位数，但分子 'issues_collected' 不是数值之和",
    ),
    "a median with a denominator": (
        _metric("x", numerator="resolve_days", denominator="issues_resolved", value_kind="median"),
        "metric 'x' is a median: it takes no denominator (got 'issues_resolved')",
        "指标 'x' 是中位数，不用分母（却给了 'issues_resolved'）",
    ),
    "a per-enterprise figure of its own contributions": (
        _metric("x", contributions=issues_where(), value_kind="per_enterprise"),
        "metric 'x' is a per-enterprise figure: it needs a numerator",
        "指标 'x' 是户均数，需要分子",
    ),
    "an average over a rate": (
        _metric(
            "x",
            numerator="resolution_rate",
            denominator="issues_collected",
            value_kind="average",
        ),
        "metric 'x': numerator 'resolution_rate' is itself a rate",
        "指标 'x' 的分子 'resolution_rate' 本身是比率",
    ),
    "a median over an unknown metric": (
        _metric("x", numerator="days", value_kind="median"),
        "metric 'x': numerator 'days' is not a metric of the type",
        "指标 'x' 的分子 'days' 不是这个活动类型的指标",
    ),
}


def _types_of(*types: CampaignType) -> object:
    class Types:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            return list(types)

    return Types()


@pytest.mark.parametrize("case", sorted(MISFITS))
def test_a_campaign_type_with_a_misfit_metric_is_left_out(case: str) -> None:
    metric, english, chinese = MISFITS[case]
    broken = attrs.evolve(SISONG, key="hotline", metrics=(*SISONG.metrics, RESOLVE_DAYS, metric))
    assert broken.problems() and english in broken.problems()[0]
    pm = new_plugin_manager([_types_of(broken)], entry_points=False)
    assert list(pm.campaign_types()) == ["sisong-yifu"]
    (problem,) = pm.load_errors
    assert problem.message.startswith("CampaignType 'hotline' left out: ")
    assert english in problem.text("en")
    assert chinese in problem.text("zh")
    assert problem.text("zh").startswith(
        f"插件 {problem.plugin!r}：CampaignType 'hotline' 没有采用："
    )


def test_the_same_metrics_with_the_kind_that_fits_are_accepted() -> None:
    fitting = attrs.evolve(
        SISONG,
        key="hotline",
        metrics=(
            *SISONG.metrics,
            *value_kinds.METRICS,
            _metric("funds_per_mu", numerator="factor_funds", denominator="land_mu"),
        ),
    )
    # yuan over mu is no share, and an average divides by a count: only that one is refused
    (only,) = fitting.problem_phrases()
    assert "'funds_per_mu' is a rate" in only.text("en")
    fitting = attrs.evolve(fitting, metrics=fitting.metrics[:-1])
    assert fitting.problems() == () == fitting.problem_phrases()


def test_an_average_is_not_a_summary_column() -> None:
    broken = attrs.evolve(
        SISONG,
        key="hotline",
        metrics=(*SISONG.metrics, *value_kinds.METRICS),
        summary_columns=(*SISONG.summary_columns, "average_resolve_days"),
    )
    (why,) = broken.problem_phrases()
    assert why.text("en") == (
        "summary column 'average_resolve_days' is an average; the summary table adds figures up"
    )
    assert why.text("zh") == "汇总表的列 'average_resolve_days' 是平均数；汇总表里的数要能相加"


def test_a_summary_column_must_divide_by_team_and_region() -> None:
    """The summary table breaks every column down by team and by region: a column whose
    metric allows neither is refused when the type registers, not first when ``summary
    --by team`` raises."""
    by_class = next(m for m in SISONG.metrics if m.id == "issues_collected")
    whole = attrs.evolve(by_class, id="issues_whole", dimensions=("category", "channel"))
    broken = attrs.evolve(
        SISONG,
        key="hotline",
        metrics=(*SISONG.metrics, whole),
        summary_columns=(*SISONG.summary_columns, "issues_whole"),
    )
    (why,) = broken.problem_phrases()
    assert why.text("en") == (
        "summary column 'issues_whole' cannot be broken down by team, region (its dimensions:"
        " category, channel), and the summary table divides every column by team and by region"
    )
    assert "汇总表的每一列都要按小组和县区细分" in why.text("zh")
    divided = attrs.evolve(whole, dimensions=("team", "region", "category"))
    fine = attrs.evolve(broken, metrics=(*SISONG.metrics, divided))
    assert fine.problem_phrases() == ()


# -- metrics registered separately -----------------------------------------------------------


def _metrics_of(*metrics: MetricDef) -> object:
    class Metrics:
        @hookimpl
        def campaignkit_metrics(self) -> Iterator[MetricDef]:
            yield from metrics

    return Metrics()


def test_a_metric_that_contradicts_itself_is_left_out_when_registered() -> None:
    plugin = _metrics_of(RESOLVE_DAYS, _metric("x", numerator="resolve_days", value_kind="average"))
    pm = new_plugin_manager([plugin], entry_points=False)
    assert set(pm.metrics()) == {"resolve_days"}
    (problem,) = pm.load_errors
    assert problem.text("en").endswith(
        "MetricDef 'x' left out: metric 'x' is an average: it needs a numerator and a denominator"
    )
    assert problem.text("zh").endswith("MetricDef 'x' 没有采用：指标 'x' 是平均数，需要分子和分母")


def _rate_of_days(campaign_types: tuple[str, ...] = ()) -> MetricDef:
    return MetricDef(
        "days_rate",
        Label("办结用时率", "days rate"),
        Label("%", "%"),
        numerator="resolve_days",
        denominator="issues_resolved",
        campaign_types=campaign_types,
    )


def test_a_metric_that_does_not_fit_a_campaign_type_is_left_out_of_it() -> None:
    plugin = _metrics_of(*value_kinds.METRICS, _rate_of_days())
    pm = new_plugin_manager([plugin], entry_points=False)
    ctype = pm.campaign_type("sisong-yifu")
    ids = {m.id for m in ctype.metrics}
    assert {m.id for m in value_kinds.METRICS} <= ids and "days_rate" not in ids
    (problem,) = pm.load_errors
    assert problem.text("en").endswith(
        "campaign type 'sisong-yifu' leaves out metric 'days_rate': metric 'days_rate' is a rate (a "
        "share, shown as a percentage), but its numerator 'resolve_days' adds values up while "
        "its denominator 'issues_resolved' counts: the numerator can exceed the denominator; "
        'declare value_kind "average" to show the figure with its unit'
    )
    assert (
        "活动类型 'sisong-yifu' 没有采用指标 'days_rate'：指标 'days_rate' 是比率"
        in problem.text("zh")
    )
    ledger = ck.load("examples/huainan-2020/ledger.json", manager=pm)
    assert ck.compute(ledger, "average_resolve_days", manager=pm).value_kind == "average"


def test_a_figure_over_a_metric_that_was_left_out_goes_too() -> None:
    over_it = _metric("over_rate", numerator="days_rate", value_kind="median")
    pm = new_plugin_manager(
        [_metrics_of(RESOLVE_DAYS, _rate_of_days(), over_it)], entry_points=False
    )
    ids = {m.id for m in pm.campaign_type("sisong-yifu").metrics}
    assert "resolve_days" in ids and not {"days_rate", "over_rate"} & ids


def test_the_plugin_listing_and_the_testing_helper_show_it_before_any_ledger_is_read() -> None:
    plugin = _metrics_of(RESOLVE_DAYS, _rate_of_days(("sisong-yifu",)))
    pm = new_plugin_manager([plugin], entry_points=False)
    pm.registrations()  # what `campaignkit plugins` lists
    (problem,) = pm.load_errors
    assert "campaign type 'sisong-yifu' leaves out metric 'days_rate'" in problem.message
    with (
        pytest.raises(
            ck.PluginError, match="leaves out metric 'days_rate': metric 'days_rate' is a rate"
        ),
        plugin_manager(plugin),
    ):
        pass


def test_the_value_kinds_plugin_loads_cleanly() -> None:
    with plugin_manager(value_kinds) as pm:
        assert isinstance(pm, PluginManager)
        ids = {m.id for m in pm.campaign_type("sisong-yifu").metrics}
        assert {m.id for m in value_kinds.METRICS} <= ids


# -- replacing a type's own metric -------------------------------------------------------------


def test_a_replacement_of_a_types_metric_is_checked_like_the_type() -> None:
    as_average = MetricDef(
        "resolution_rate",
        Label("平均办结用时", "average working days to resolve"),
        DAYS,
        numerator="resolve_days",
        denominator="issues_resolved",
        value_kind="average",
        replaces=True,
    )
    pm = new_plugin_manager([_metrics_of(RESOLVE_DAYS, as_average)], entry_points=False)
    ctype = pm.campaign_type("sisong-yifu")
    assert ctype.metric("resolution_rate").result_kind == "average"
    assert pm.load_errors == []


def test_a_replacement_that_does_not_fit_leaves_the_types_own_metric() -> None:
    # issues_resolved as the working days they took: resolution_rate over it is no share
    as_days = attrs.evolve(RESOLVE_DAYS, id="issues_resolved", replaces=True)
    pm = new_plugin_manager([_metrics_of(as_days)], entry_points=False)
    ctype = pm.campaign_type("sisong-yifu")
    assert ctype.metric("issues_resolved") == SISONG.metric("issues_resolved")
    (problem,) = pm.load_errors
    assert problem.text("en").startswith(
        f"plugin {problem.plugin!r}: campaign type 'sisong-yifu' leaves out metric "
        "'issues_resolved': metric 'resolution_rate' is a rate (a share, shown as a percentage), "
        "but its numerator 'issues_resolved' adds values up while its denominator "
        "'issues_collected' counts"
    )
    assert "活动类型 'sisong-yifu' 没有采用指标 'issues_resolved'：" in problem.text("zh")
    ledger = ck.load("examples/huainan-2020/ledger.json", manager=pm)
    assert ck.compute(ledger, "resolution_rate", manager=pm).value_kind == "rate"


def test_an_added_metric_that_fitted_only_the_replacement_goes_with_it() -> None:
    as_days = attrs.evolve(RESOLVE_DAYS, id="issues_resolved", replaces=True)
    median = _metric("median_days", numerator="issues_resolved", value_kind="median")
    pm = new_plugin_manager([_metrics_of(as_days, median)], entry_points=False)
    ids = {m.id for m in pm.campaign_type("sisong-yifu").metrics}
    assert "median_days" not in ids
    left_out = [p.message.partition("leaves out metric ")[2][:16] for p in pm.load_errors]
    assert left_out == ["'issues_resolved", "'median_days': m"]
    assert "numerator 'issues_resolved' does not add values up" in pm.load_errors[1].message


@pytest.mark.parametrize(
    ("kind", "words"), [("yuan", "金额（元）"), ("mu", "面积（亩）"), ("number", "数值")]
)
@pytest.mark.parametrize("aggregate", ["count", "distinct"])
def test_an_amount_area_or_number_that_does_not_add_up_values_is_left_out(
    kind: str, words: str, aggregate: str
) -> None:
    counted = MetricDef(
        "labour",
        Label("用工", "labour"),
        Label("元", "yuan"),
        issues_where(),
        aggregate,  # type: ignore[arg-type]
        value_kind=kind,  # type: ignore[arg-type]
    )
    pm = new_plugin_manager([_metrics_of(counted)], entry_points=False)
    assert "labour" not in pm.metrics()
    (problem,) = pm.load_errors
    assert problem.text("zh").endswith(
        f"MetricDef 'labour' 没有采用：指标 'labour' 是{words}，由各条贡献的数值相加得出："
        f'aggregate 应为 "sum"（却是 \'{aggregate}\'）；计数的指标请用 value_kind "count"'
    )
    assert f"it needs aggregate \"sum\" (got '{aggregate}')" in problem.text("en")
    summed = attrs.evolve(counted, aggregate="sum")
    pm = new_plugin_manager([_metrics_of(summed)], entry_points=False)
    assert "labour" in pm.metrics() and not pm.load_errors
