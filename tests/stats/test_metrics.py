"""The metric engine: provenance, the distinct-credit rule, breakdowns and rates."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.stats.metrics import (
    DIMENSIONS,
    UNASSIGNED,
    BreakdownError,
    breakdown,
    dimensions_of,
    make_context,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020" / "ledger.json"


def load(doc: dict[str, Any]) -> ck.Ledger:
    return ck.loads(orjson.dumps(doc))


@pytest.fixture
def ledger(document: dict[str, Any]) -> ck.Ledger:
    return load(document)


@pytest.fixture(scope="module")
def huainan() -> ck.Ledger:
    return ck.load(EXAMPLE)


def activity(doc: dict[str, Any], **fields: Any) -> None:
    doc["activities"].append(fields)


# -- provenance -----------------------------------------------------------------


def test_provenance_lists_each_counted_record(ledger: ck.Ledger) -> None:
    # A1 visits E1; A2 visits E2 and E1 again
    result = ck.compute(ledger, "enterprises_visited")
    assert result.value == 2
    assert result.provenance == ("A1", "A2")
    assert result.records == 2


def test_provenance_of_a_sum_lists_the_summed_records(ledger: ck.Ledger) -> None:
    result = ck.compute(ledger, "materials_distributed")
    assert (result.value, result.provenance) == (300, ("A4",))
    land = ck.compute(ledger, "land_mu")
    assert (land.value, land.provenance, land.value_kind) == (Decimal("12.5"), ("O1",), "mu")


def test_provenance_skips_what_does_not_count(ledger: ck.Ledger) -> None:
    media = ck.compute(ledger, "media_reports")
    assert media.provenance == ("A5",)  # A6 is a city-level report
    assert ck.compute(ledger, "all_media_reports").provenance == ("A5", "A6")
    # O3 is an investment project under negotiation: counted as a project, not as factor funds
    assert ck.compute(ledger, "investment_projects").provenance == ("O3",)
    assert "O3" not in ck.compute(ledger, "factor_funds").provenance


def test_every_huainan_figure_is_backed_by_existing_records(huainan: ck.Ledger) -> None:
    ids = {
        *(a.id for a in huainan.activities),
        *(i.id for i in huainan.issues),
        *(o.id for o in huainan.outcomes),
    }
    ctx = make_context(huainan)
    scope = huainan.campaign.scope
    targets = {*scope.regions, *scope.zones, *scope.enterprise_classes}
    for metric in ctx.campaign_type.metrics:
        result = ck.compute(ctx, metric.id)
        unknown = set(result.provenance) - ids - targets
        assert not unknown, (metric.id, sorted(unknown)[:3])


def test_issue_provenance_is_the_issues(huainan: ck.Ledger) -> None:
    result = ck.compute(huainan, "issues_collected")
    assert result.provenance == tuple(i.id for i in huainan.issues)


# -- distinct credit --------------------------------------------------------------


def test_a_distinct_key_is_credited_to_its_earliest_record(ledger: ck.Ledger) -> None:
    bd = breakdown(ledger, "enterprises_visited", "team")
    rows = {r.key: r.result for r in bd.rows}
    # E1 was first visited by T1 (13 April), so T2's visit on 14 April credits only E2
    assert rows["T1"].value == 1 and rows["T1"].provenance == ("A1",)
    assert rows["T2"].value == 1 and rows["T2"].provenance == ("A2",)
    assert bd.total.value == 2


def test_moving_the_first_visit_moves_the_credit(document: dict[str, Any]) -> None:
    document["activities"][0]["date"] = "2020-04-20"  # A1 (T1, E1) now after A2 (T2, E2 + E1)
    document["issues"][0]["activity"] = None  # I1 was raised in A1, before its new date
    bd = breakdown(load(document), "enterprises_visited", "team")
    assert {r.key: r.result.value for r in bd.rows} == {"T2": 2}
    assert [
        r.key
        for r in breakdown(load(document), "enterprises_visited", "team", keep_empty=True).rows
    ] == [
        "T1",
        "T2",
        "T5",
    ]


def test_on_the_same_day_ledger_order_decides(document: dict[str, Any]) -> None:
    document["activities"][1]["date"] = "2020-04-13"  # A2 the same day as A1, later in the file
    rows = {
        r.key: r.result.value for r in breakdown(load(document), "enterprises_visited", "team").rows
    }
    assert rows == {"T1": 1, "T2": 1}
    document["activities"][0], document["activities"][1] = (
        document["activities"][1],
        document["activities"][0],
    )
    rows = {
        r.key: r.result.value for r in breakdown(load(document), "enterprises_visited", "team").rows
    }
    assert rows == {"T2": 2}


def test_distinct_projects_and_halls(document: dict[str, Any]) -> None:
    for n, (day, team, hall) in enumerate(
        [
            ("2020-04-20", "T5", "市政务服务中心"),
            ("2020-04-22", "T1", "市政务服务中心"),
            ("2020-04-23", "T5", "寿县政务服务中心"),
        ]
    ):
        activity(
            document, id=f"H{n}", kind="unannounced_inspection", date=day, team=team, subject=hall
        )
    ledger = load(document)
    result = ck.compute(ledger, "service_halls_inspected")
    assert (result.value, result.provenance) == (2, ("H0", "H1", "H2"))
    rows = {
        r.key: r.result.value for r in breakdown(ledger, "service_halls_inspected", "team").rows
    }
    assert rows == {"T5": 2}


# -- breakdowns -------------------------------------------------------------------


@pytest.mark.parametrize("by", list(DIMENSIONS))
def test_every_metric_breaks_down_by_every_dimension_it_is_divided_along(
    huainan: ck.Ledger, by: str
) -> None:
    ctx = make_context(huainan)
    for metric in ctx.campaign_type.metrics:
        if by not in dimensions_of(ctx.campaign_type, metric.id):
            with pytest.raises(BreakdownError):
                breakdown(ctx, metric.id, by)
            continue
        bd = breakdown(ctx, metric.id, by)
        assert bd.total == ck.compute(ctx, metric.id), metric.id
        if bd.additive:
            assert not metric.is_rate
            total = sum((Decimal(r.result.value or 0) for r in bd.rows), Decimal(0))
            assert total == Decimal(bd.total.value or 0), (metric.id, by)
            rows = [rec for r in bd.rows for rec in r.result.provenance]
            assert set(rows) <= set(bd.total.provenance)


def test_class_rows_need_not_add_up(ledger: ck.Ledger) -> None:
    # E2 is both specialised and small/medium/micro: it counts in both rows
    bd = breakdown(ledger, "enterprises_visited", "class")
    rows = {r.key: r.result.value for r in bd.rows}
    assert rows == {"specialized": 1, "sme": 2}
    assert bd.additive is False
    assert sum(v or 0 for v in rows.values()) > (bd.total.value or 0)


def test_issues_by_category_channel_level_region_and_month(ledger: ck.Ledger) -> None:
    def rows(by: str) -> dict[str, Any]:
        return {r.key: r.result.value for r in breakdown(ledger, "issues_collected", by).rows}

    assert rows("category") == {"labour": 2, "finance": 1}
    assert rows("channel") == {"visit": 1, "meeting": 1, "platform": 1}
    assert rows("level") == {"county": 1, UNASSIGNED: 2}  # only I1 was assigned
    assert rows("region") == {"340402": 1, "340403": 1, "HN-ETDZ": 1}
    assert rows("month") == {"2020-04": 3}
    assert rows("team") == {"T1": 1, UNASSIGNED: 2}


def test_rows_are_labelled(ledger: ck.Ledger) -> None:
    labels = {r.key: r.label for r in breakdown(ledger, "issues_collected", "category").rows}
    assert labels == {"labour": "用工", "finance": "融资"}
    en = breakdown(ledger, "issues_collected", "level", lang="en")
    assert [r.label for r in en.rows] == ["county/district", "unassigned"]
    team = breakdown(ledger, "issues_collected", "team")
    assert [r.label for r in team.rows] == ["第一小组", "工作组统筹"]
    region = breakdown(ledger, "media_reports", "region")
    assert [r.label for r in region.rows] == ["市级及全市"]


def test_months_come_in_order(document: dict[str, Any]) -> None:
    document["issues"][0]["raised"] = "2020-05-06"
    document["issues"][0]["events"] = []
    document["issues"][0]["activity"] = None
    bd = breakdown(load(document), "issues_collected", "month")
    assert [(r.key, r.result.value) for r in bd.rows] == [("2020-04", 2), ("2020-05", 1)]


def test_unknown_dimension_and_metric(ledger: ck.Ledger) -> None:
    with pytest.raises(ValueError, match=r"unknown dimension 'county'.*team, region"):
        breakdown(ledger, "issues_collected", "county")
    with pytest.raises(KeyError, match="campaign type 'sisong-yifu' has no metric 'visits'"):
        ck.compute(ledger, "visits")


def test_breakdown_to_rows(ledger: ck.Ledger) -> None:
    rows = breakdown(ledger, "enterprises_visited", "team").to_rows()
    assert rows == [
        {"team": "第一小组", "key": "T1", "enterprises_visited": 1, "records": 1},
        {"team": "第二小组", "key": "T2", "enterprises_visited": 1, "records": 1},
        {"team": "合计", "key": "_total", "enterprises_visited": 2, "records": 2},
    ]


def test_breakdown_to_dataframe(ledger: ck.Ledger) -> None:
    pytest.importorskip("pandas")
    frame = breakdown(ledger, "issues_collected", "category", lang="en").to_dataframe()
    assert list(frame.index) == ["labour", "finance", "Total"]
    assert frame.loc["Total", "issues_collected"] == 3


# -- rates ------------------------------------------------------------------------


def test_a_rate_carries_numerator_and_denominator(ledger: ck.Ledger) -> None:
    rate = ck.compute(ledger, "resolution_rate")
    # I1 resolved, I2 answered on the spot, I3 open
    assert (rate.numerator, rate.denominator) == (2, 3)
    assert rate.value == Decimal("0.6667")
    assert rate.value_kind == "rate"
    assert set(rate.provenance) == {"I1", "I2", "I3"}


def test_zero_denominators_give_none(document: dict[str, Any]) -> None:
    document["issues"] = []
    ledger = load(document)
    for mid in ("resolution_rate", "satisfaction_rate", "reopen_rate"):
        rate = ck.compute(ledger, mid)
        assert (rate.value, rate.numerator, rate.denominator) == (None, 0, 0), mid


def test_rate_rows_can_have_zero_denominators(ledger: ck.Ledger) -> None:
    bd = breakdown(ledger, "satisfaction_rate", "team")
    assert bd.additive is False
    # only I1 (team T1) has a rating
    assert [(r.key, r.result.value) for r in bd.rows] == [("T1", Decimal(1))]
    res = breakdown(ledger, "resolution_rate", "channel")
    values = {r.key: (r.result.numerator, r.result.denominator) for r in res.rows}
    assert values == {"visit": (1, 1), "meeting": (1, 1), "platform": (0, 1)}
    rows = res.to_rows(include_total=False)
    assert rows[2] == {
        "channel": "综合服务平台",
        "key": "platform",
        "resolution_rate": Decimal(0),
        "records": 1,
        "numerator": 0,
        "denominator": 1,
    }


def test_coverage_is_a_rate_of_the_scope(ledger: ck.Ledger) -> None:
    coverage = ck.compute(ledger, "region_coverage")
    # both target counties have activities; the zone only an enterprise's visit
    assert (coverage.numerator, coverage.denominator, coverage.value) == (2, 2, Decimal(1))
    by_region = breakdown(ledger, "region_coverage", "region")
    assert {r.key: r.result.value for r in by_region.rows} == {
        "340402": Decimal(1),
        "340403": Decimal(1),
    }


# -- as of a date -----------------------------------------------------------------


def test_figures_as_of_a_date(ledger: ck.Ledger) -> None:
    early = date(2020, 4, 14)
    assert ck.compute(ledger, "issues_collected", as_of=early).value == 1
    assert ck.compute(ledger, "enterprises_visited", as_of=early).value == 2
    assert ck.compute(ledger, "land_mu", as_of=early).value == 0
    # I1 was resolved on 24 April: as of 20 April it is still open
    assert ck.compute(ledger, "issues_resolved", as_of=date(2020, 4, 20)).provenance == ("I2",)
    assert ck.compute(ledger, "issues_resolved").provenance == ("I1", "I2")


def test_sums_of_decimals_are_tidy(document: dict[str, Any]) -> None:
    document["outcomes"].append(
        {
            "id": "O4",
            "kind": "land_quota",
            "status": "landed",
            "date": "2020-05-01",
            "enterprises": ["E2"],
            "land_mu": "7.50",
        }
    )
    value = ck.compute(load(document), "land_mu").value
    assert value == Decimal(20)
    assert str(value) == "20"


def test_an_empty_amount_is_a_decimal_zero(document: dict[str, Any]) -> None:
    document["outcomes"] = []
    value = ck.compute(load(document), "factor_funds").value
    assert isinstance(value, Decimal) and value == 0


def test_distinct_enterprises_raising_issues(document: dict[str, Any]) -> None:
    extra = copy.deepcopy(document["issues"][2])
    extra["id"] = "I4"
    anonymous = copy.deepcopy(document["issues"][2])
    anonymous.update(id="I5", enterprise=None)
    document["issues"] += [extra, anonymous]
    result = ck.compute(load(document), "issue_enterprises")
    assert result.value == 3  # E1, E2, E3; I4 is E3 again, I5 names no enterprise
    assert "I5" not in result.provenance


@pytest.mark.parametrize("name", ["metrics.md", "metrics.en.md"])
def test_the_metrics_page_documents_every_metric(ledger: ck.Ledger, name: str) -> None:
    page = (ROOT / "docs" / name).read_text(encoding="utf-8")
    missing = [m.id for m in make_context(ledger).campaign_type.metrics if f"`{m.id}`" not in page]
    assert missing == []


def test_the_metrics_page_snippets_print_what_the_page_shows() -> None:
    for name in ("metrics.md", "metrics.en.md"):
        page = (ROOT / "docs" / name).read_text(encoding="utf-8")
        pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", page, re.S)
        assert len(pairs) >= 8, name
        marker = "----- end of snippet -----"
        script = "".join(f"{code}\nprint({marker!r})\n" for code, _ in pairs)
        run = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stderr
        outputs = run.stdout.split(marker + "\n")[:-1]
        for (code, shown), printed in zip(pairs, outputs, strict=True):
            assert printed == shown, f"{name}:\n{code}"
