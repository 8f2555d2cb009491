"""What the figures and tables are computed over: a ledger, a workspace or a context, as of
a date given in any of the usual types; a wrong argument is refused with one clear error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import campaignkit as ck
from campaignkit.report.build import build_report
from campaignkit.stats.metrics import MetricContext, make_context
from campaignkit.stats.summary import summary, summary_table

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"
EARLIER = dt.date(2020, 4, 22)


@pytest.fixture(scope="module")
def workspace() -> ck.Workspace:
    return ck.load_workspace(EXAMPLE)


def _apis() -> dict[str, Callable[..., Any]]:
    """Every API taking a source and ``as_of``, called on its first metric or dimension."""
    return {
        "compute": lambda src, **kw: ck.compute(src, "issues_collected", **kw).value,
        "compute_all": lambda src, **kw: (
            ck.compute_all(src, ["issues_collected"], **kw)["issues_collected"].value
        ),
        "breakdown": lambda src, **kw: (
            ck.breakdown(src, "issues_collected", "team", **kw).total.value
        ),
        "crosstab": lambda src, **kw: (
            ck.crosstab(src, "issues_collected", "team", "category", **kw).row_totals.total.value
        ),
        "summary_table": lambda src, **kw: summary_table(src, **kw).total.values[
            "issues_collected"
        ],
        "summary": lambda src, **kw: summary(src, **kw)["issues_collected"],
        "build_report": lambda src, **kw: (
            build_report(src, **kw).headline["issues_collected"].value
        ),
    }


def _tables() -> dict[str, Callable[..., Any]]:
    pytest.importorskip("pandas")
    return {
        "issue_table": lambda src, **kw: len(ck.issue_table(src, **kw)),
        "activity_table": lambda src, **kw: len(ck.activity_table(src, **kw)),
        "outcome_table": lambda src, **kw: len(ck.outcome_table(src, **kw)),
    }


@pytest.mark.parametrize("name", [*_apis(), "issue_table", "activity_table", "outcome_table"])
def test_a_context_brings_its_own_date(workspace: ck.Workspace, name: str) -> None:
    call = {**_apis(), **_tables()}[name]
    ctx = make_context(workspace.ledger, workspace=workspace)
    assert ctx.as_of != EARLIER
    with pytest.raises(ValueError, match=r"make_context\(ledger, as_of="):
        call(ctx, as_of=EARLIER)
    # its own date, named or not, is the context's figure; another date is another context
    assert call(ctx, as_of=ctx.as_of) == call(ctx)
    earlier = make_context(workspace.ledger, workspace=workspace, as_of=EARLIER)
    assert call(earlier) == call(workspace.ledger, as_of=EARLIER)
    assert call(earlier) != call(ctx)


@pytest.mark.parametrize("name", [*_apis(), "issue_table", "activity_table", "outcome_table"])
def test_a_date_in_another_type_is_that_date(workspace: ck.Workspace, name: str) -> None:
    pd = pytest.importorskip("pandas")
    call = {**_apis(), **_tables()}[name]
    ledger = workspace.ledger
    expected = call(ledger, as_of=EARLIER)
    for day in ("2020-04-22", dt.datetime(2020, 4, 22, 18, 30), pd.Timestamp("2020-04-22")):
        assert call(ledger, as_of=day) == expected
    with pytest.raises(
        ValueError, match=r"as_of: expected a date written YYYY-MM-DD, got '2020/4/22'"
    ):
        call(ledger, as_of="2020/4/22")
    with pytest.raises(TypeError, match=r"as_of: expected a date .* got int 20200422"):
        call(ledger, as_of=20200422)


@pytest.mark.parametrize("name", [*_apis(), "issue_table", "activity_table", "outcome_table"])
def test_a_workspace_is_a_source_anything_else_is_named(workspace: ck.Workspace, name: str) -> None:
    call = {**_apis(), **_tables()}[name]
    assert call(workspace) == call(workspace.ledger)
    assert call(workspace, as_of=EARLIER) == call(workspace.ledger, as_of=EARLIER)
    for wrong in (str(EXAMPLE), EXAMPLE):
        with pytest.raises(TypeError, match="a Ledger, a Workspace or a MetricContext, got"):
            call(wrong)
    with pytest.raises(TypeError, match="load_workspace"):
        call(str(EXAMPLE))


def test_a_report_of_a_workspace_is_the_report_of_its_ledger(workspace: ck.Workspace) -> None:
    from campaignkit.report.build import render

    assert render(build_report(workspace), "markdown") == render(
        build_report(workspace.ledger), "markdown"
    )
    assert isinstance(build_report(workspace).context, MetricContext)


def test_one_metric_id_is_not_a_list_of_them(workspace: ck.Workspace) -> None:
    ledger = workspace.ledger
    with pytest.raises(
        TypeError, match=r"got the string 'issues_collected'.*\['issues_collected'\]"
    ):
        ck.compute_all(ledger, "issues_collected")
    with pytest.raises(TypeError, match=r"got the string 'land_mu'"):
        summary_table(ledger, metrics="land_mu")
    assert list(ck.compute_all(ledger, ("land_mu",))) == ["land_mu"]


@pytest.mark.parametrize("by", [["team"], ("team", "category"), None])
def test_a_dimension_is_one_name(workspace: ck.Workspace, by: object) -> None:
    with pytest.raises(TypeError, match="team, region, class, category, channel, level, month"):
        ck.breakdown(workspace.ledger, "issues_collected", by)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="team, region, class"):
        ck.crosstab(workspace.ledger, "issues_collected", "team", by)  # type: ignore[arg-type]
