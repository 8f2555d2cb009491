"""Tables for analysts: each record as a DataFrame row, agreeing with the metrics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import campaignkit as ck
from campaignkit.derive.calendar import WorkCalendar, default_calendar, working_days_between
from campaignkit.stats.tables import activity_table, enterprise_table, issue_table, outcome_table

pd = pytest.importorskip("pandas")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def workspace() -> ck.Workspace:
    return ck.load_workspace(EXAMPLE)


def _figure(workspace: ck.Workspace, metric: str, as_of: dt.date | None = None) -> object:
    from campaignkit.metrics import make_context

    ctx = make_context(workspace.ledger, workspace=workspace, as_of=as_of)
    return ck.compute(ctx, metric).value


@pytest.mark.parametrize("as_of", [None, dt.date(2020, 4, 30), dt.date(2020, 5, 6)])
def test_the_issue_table_agrees_with_the_metrics(
    workspace: ck.Workspace, as_of: dt.date | None
) -> None:
    df = issue_table(workspace, as_of=as_of)
    assert len(df) == _figure(workspace, "issues_collected", as_of)
    assert int(df.on_time.sum()) == _figure(workspace, "issues_resolved_on_time", as_of)
    assert int(df.overdue.sum()) == _figure(workspace, "issues_overdue", as_of)
    assert int(df.resolved_on.notna().sum()) >= int(df.on_time.notna().sum())
    assert int((df.escalations > 0).sum()) == _figure(workspace, "issues_escalated", as_of)
    # the same table from the ledger alone, without the workspace's derived views
    alone = issue_table(workspace.ledger, as_of=as_of)
    pd.testing.assert_frame_equal(df, alone)


def test_issue_columns_are_typed_and_days_are_working_days(workspace: ck.Workspace) -> None:
    df = issue_table(workspace)
    assert str(df.working_days_to_resolve.dtype) == "Int64"
    assert str(df.on_time.dtype) == "boolean" and str(df.overdue.dtype) == "boolean"
    assert pd.api.types.is_datetime64_any_dtype(df.raised)
    calendar = workspace.calendar
    resolved = df.dropna(subset=["resolved_on"]).head(20)
    for raised, done, days in zip(
        resolved.raised.dt.date,
        resolved.resolved_on.dt.date,
        resolved.working_days_to_resolve,
        strict=True,
    ):
        assert days == calendar.working_days_between(raised, done).days
    unresolved = df[df.resolved_on.isna()]
    assert unresolved.working_days_to_resolve.isna().all() and unresolved.on_time.isna().all()
    # a month's issues group and count
    by_month = df.groupby(df.raised.dt.to_period("M")).size()
    assert int(by_month.sum()) == len(df)


def test_labels_in_either_language(workspace: ck.Workspace) -> None:
    keys = issue_table(workspace)
    zh = issue_table(workspace, lang="zh")
    en = issue_table(workspace, lang="en")
    assert list(zh.columns[:3]) == ["编号", "问题类别", "反映渠道"]
    assert list(en.columns[:3]) == ["ID", "Category", "Channel"]
    ctype = workspace.campaign_type
    first = keys.iloc[0]
    assert zh.iloc[0]["问题类别"] == ctype.label_of("issue_categories", first.category, "zh")
    assert en.iloc[0]["Status"] == ctype.lifecycle.state(first.state).label.en
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        issue_table(workspace, lang="fr")


def test_money_plots_and_divides_and_stays_exact_on_request(workspace: ck.Workspace) -> None:
    ledger = workspace.ledger
    exact_total = sum((o.amount_yuan for o in ledger.outcomes if o.amount_yuan), Decimal(0))
    df = outcome_table(workspace)
    assert str(df.amount_yuan.dtype) == "float64"
    assert df.amount_yuan.sum() == pytest.approx(float(exact_total))
    wan = df.amount_yuan / 1e4  # 万元, as an analyst writes it
    assert wan.sum() == pytest.approx(float(exact_total) / 1e4)
    pytest.importorskip("pyarrow")
    exact = outcome_table(workspace, exact=True)
    assert exact.amount_yuan.sum() == exact_total
    assert pd.api.types.is_numeric_dtype(exact.amount_yuan)


def test_the_other_records(workspace: ck.Workspace) -> None:
    ledger = workspace.ledger
    acts = activity_table(workspace)
    assert list(acts.id) == [a.id for a in ledger.activities]
    named = [a.enterprise_count or len(a.enterprises) for a in ledger.activities]
    assert [int(n) if n is not None else 0 for n in acts.enterprise_count.fillna(0)] == named
    ents = enterprise_table(workspace)
    assert list(ents.uscc) == [e.uscc for e in ledger.enterprises]
    outs = outcome_table(workspace, lang="zh")
    assert "金额（元）" in outs.columns and len(outs) == len(ledger.outcomes)


def test_a_metric_id_typo_suggests_the_right_one(workspace: ck.Workspace) -> None:
    with pytest.raises(KeyError, match="did you mean 'issues_collected'"):
        ck.compute(workspace.ledger, "issues_colected")


def test_module_level_helpers_share_one_calendar() -> None:
    assert default_calendar() is default_calendar()
    day = dt.date(2020, 4, 1)
    assert (
        working_days_between(day, dt.date(2020, 5, 6)).days
        == WorkCalendar.from_manager().working_days_between(day, dt.date(2020, 5, 6)).days
    )


def test_summary_and_breakdown_frames_are_numeric(workspace: ck.Workspace) -> None:
    from campaignkit.stats.summary import summary_table

    table = summary_table(workspace.ledger)
    frame = table.to_dataframe()
    assert str(frame["factor_funds"].dtype) == "float64"
    assert str(frame["issues_collected"].dtype) == "Int64"
    total = table.total.values["factor_funds"]
    assert total is not None
    assert (frame["factor_funds"] / 1e4).iloc[-1] == pytest.approx(float(total) / 1e4)
    assert frame["factor_funds"].iloc[:-1].sum() == pytest.approx(float(total))
    pytest.importorskip("pyarrow")
    exact = table.to_dataframe(exact=True)
    assert exact["factor_funds"].iloc[:-1].sum() == total
    rate = ck.breakdown(workspace.ledger, "resolution_rate", "category").to_dataframe()
    assert str(rate["resolution_rate"].dtype) == "float64"


@pytest.mark.parametrize("as_of", [None, dt.date(2020, 4, 25)])
def test_the_county_column_is_the_county_a_breakdown_by_region_credits(
    workspace: ck.Workspace, as_of: dt.date | None
) -> None:
    from campaignkit.metrics import make_context
    from campaignkit.stats.metrics import UNASSIGNED

    ledger = workspace.ledger
    ctx = make_context(ledger, workspace=workspace, as_of=as_of)
    issues = issue_table(ctx)
    city = {r.code for r in ledger.regions if ledger.county_of(r.code) is None}
    activities = ledger.activity_index
    at_city = [
        i.id
        for i in ledger.issues
        if not i.enterprise and i.activity and activities[i.activity].region in city
    ]
    assert at_city  # the example has an issue from an inspection at city level
    # it lies in no county, as the breakdown's 市级及全市 row says
    row = issues.set_index("id").loc[at_city[0]]
    assert pd.isna(row.county) and pd.isna(row.county_name)
    counted = issues.groupby(issues.county.fillna(UNASSIGNED)).size().to_dict()
    by_region = ck.breakdown(ctx, "issues_collected", "region")
    assert counted == {r.key: r.result.value for r in by_region.rows if r.result.value}
    names = issues.groupby(issues.county_name.fillna("")).size().to_dict()
    assert names.get("", 0) == counted.get(UNASSIGNED, 0)


def test_a_two_way_breakdown(workspace: ck.Workspace) -> None:
    ledger = workspace.ledger
    table = ck.crosstab(ledger, "issues_collected", "team", "category")
    by_team = {r.key: r.result.value for r in ck.breakdown(ledger, "issues_collected", "team").rows}
    for key, _ in table.rows:  # each row's cells add up to the team's figure
        assert sum(table.value(key, c) or 0 for c, _ in table.columns) == by_team[key]
    # a cell counts the issues of its team and category (credited as the metrics credit them)
    issues = ck.issue_table(workspace)
    team, category = table.rows[0][0], table.columns[0][0]
    expected = int(((issues.team == team) & (issues.category == category)).sum())
    assert table.value(team, category) == expected
    frame = table.to_dataframe()
    assert frame.loc["合计", "合计"] == len(ledger.issues)
    assert str(frame.iloc[:, 0].dtype) == "Int64"
    # a rate is worked out over each cell's own records
    rates = ck.crosstab(ledger, "resolution_rate", "region", "channel")
    cell = next(iter(rates.cells.values()))
    assert cell.numerator is not None and cell.denominator
    assert cell.value is not None
    assert float(cell.value) == pytest.approx(cell.numerator / cell.denominator, abs=1e-4)
    assert str(rates.to_dataframe().iloc[:, 0].dtype) == "float64"


def test_an_issue_with_no_state_in_a_subclassed_context() -> None:
    """A plugin's context whose ``issue_states`` leaves an issue out: the table still has
    its row, with no state and neither flag."""
    from campaignkit.stats.metrics import make_context
    from tests.stats.contexts import partial

    plain = make_context(ck.load(EXAMPLE))
    own = partial(plain)
    table = issue_table(own)
    whole = issue_table(plain)
    assert len(table) == len(whole) == len(plain.ledger.issues)
    first = table.iloc[0]
    assert first["state"] is None or first["state"] != first["state"]  # missing
    assert not first["overdue"] and first["on_time"] is not True
    assert table.iloc[1:].equals(whole.iloc[1:])


@pytest.mark.parametrize("as_of", [None, dt.date(2020, 4, 22)])
def test_activity_and_outcome_tables_hold_the_records_known_on_the_date(
    workspace: ck.Workspace, as_of: dt.date | None
) -> None:
    ledger = workspace.ledger
    day = as_of or ledger.campaign.report_date
    assert day is not None
    acts = activity_table(workspace, as_of=as_of)
    outs = outcome_table(workspace, as_of=as_of, exact=True)
    assert list(acts.id) == [a.id for a in ledger.activities if a.date <= day]
    assert list(outs.id) == [o.id for o in ledger.outcomes if o.date <= day]
    assert len(outs) < len(ledger.outcomes) or as_of is None
    # the table's money for a metric's records is the metric's figure as of that day
    funds = ck.compute(ledger, "factor_funds", as_of=as_of)
    assert outs[outs.id.isin(funds.provenance)].amount_yuan.sum() == funds.value


@pytest.mark.parametrize("metric", ["factor_funds", "land_mu", "investment_amount"])
def test_outcomes_group_by_the_county_and_team_the_metrics_credit(
    workspace: ck.Workspace, metric: str
) -> None:
    from campaignkit.stats.metrics import UNASSIGNED

    pytest.importorskip("pyarrow")
    ledger = workspace.ledger
    outs = outcome_table(workspace, exact=True)
    result = ck.compute(ledger, metric)
    counted = outs[outs.id.isin(result.provenance)]
    column = "land_mu" if metric == "land_mu" else "amount_yuan"
    for by, key in (("region", "county"), ("team", "team")):
        grouped = counted.groupby(counted[key].fillna(UNASSIGNED))[column].sum().to_dict()
        rows = ck.breakdown(ledger, metric, by).rows
        assert grouped == {r.key: r.result.value for r in rows}
    named = outs.dropna(subset=["county"])
    assert list(named.county_name) == [ledger.region_name(c) for c in named.county]
    # most outcomes carry no region of their own: the county comes from their enterprise
    assert outs.region.isna().sum() > outs.county.isna().sum()


def test_activities_group_by_the_county_the_metrics_credit(workspace: ck.Workspace) -> None:
    from campaignkit.stats.metrics import UNASSIGNED

    ledger = workspace.ledger
    acts = activity_table(workspace)
    for metric in ("symposiums", "briefings", "key_projects_visited"):
        result = ck.compute(ledger, metric)
        counted = acts[acts.id.isin(result.provenance)]
        by_county = counted.groupby(counted.county.fillna(UNASSIGNED)).size().to_dict()
        rows = ck.breakdown(ledger, metric, "region").rows
        if metric != "key_projects_visited":  # counted once per project: fewer than visits
            assert by_county == {r.key: r.result.value for r in rows}
        assert set(by_county) == {r.key for r in rows}
    cities = acts[acts.region.notna() & acts.county.isna()]
    assert all(ledger.county_of(r) is None for r in cities.region)


def test_outcome_statuses_are_worded_in_the_tables_language(workspace: ck.Workspace) -> None:
    from campaignkit.workbook.sheets import STATUS_LABELS

    keys = outcome_table(workspace)
    zh = outcome_table(workspace, lang="zh")
    en = outcome_table(workspace, lang="en")
    expected = [STATUS_LABELS[ck.OutcomeStatus(s)] for s in keys.status]
    assert list(zh["状态"]) == expected and "已签约" in expected
    assert list(en["Status"]) == list(keys.status)


@pytest.mark.parametrize("kinds", [(), ("financing",)])
def test_money_and_land_columns_are_numeric_without_a_value(
    workspace: ck.Workspace, kinds: tuple[str, ...]
) -> None:
    ledger = workspace.ledger
    kept = tuple(o for o in ledger.outcomes if o.kind in kinds)
    assert all(o.land_mu is None for o in kept)
    fewer = ledger.replace(outcomes=kept)
    df = outcome_table(fewer)
    assert str(df.amount_yuan.dtype) == "float64" and str(df.land_mu.dtype) == "float64"
    assert float(df.land_mu.sum()) == 0.0
    pytest.importorskip("pyarrow")
    exact = outcome_table(fewer, exact=True)
    assert exact.land_mu.dtype == exact.amount_yuan.dtype
    assert isinstance(exact.land_mu.dtype, pd.ArrowDtype)
    assert "decimal128(38, 6)" in str(exact.land_mu.dtype)
