"""The bundled Huainan 2020 example reproduces the closing report's headline figures.

Every figure is computed from the example's records through the metric engine
and compared with the seed report's first paragraph (工作总结, 2020年5月14日).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.model.records import RegionLevel, TeamKind
from campaignkit.stats.metrics import breakdown, make_context
from campaignkit.stats.summary import summary

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020"
SEED = ROOT.parent / "shared" / "seed" / "000_69bbb03692d3f40d.simplified.txt"

# The seed's headline paragraph: metric id → (the seed's words, the figure they state).
SEED_HEADLINE: dict[str, tuple[str, Decimal]] = {
    "enterprises_visited": ("实地走访企业215家", Decimal(215)),
    "key_projects_visited": ("走访重点项目25个", Decimal(25)),
    "symposiums": ("各类座谈会16场", Decimal(16)),
    "symposium_enterprises": ("座谈会16场、参加企业325家", Decimal(325)),
    "briefings": ("召开集中宣讲大会2场", Decimal(2)),
    "briefing_enterprises": ("宣讲大会2场,参加企业176家", Decimal(176)),
    "assignment_meetings": ("集中交办会2场", Decimal(2)),
    "assignment_meeting_enterprises": ("交办会2场,参加企业42家", Decimal(42)),
    "assignment_meeting_officials": ("机关干部23人", Decimal(23)),
    "service_halls_inspected": ("暗访各类服务大厅6个", Decimal(6)),
    "return_visits": ("回访去年反映问题企业164家", Decimal(164)),
    "investment_projects": ("送招商具体项目2个", Decimal(2)),
    "investment_amount": ("拟投资10亿元", Decimal("1000000000")),
    "issues_collected": ("收集企业反映问题217个", Decimal(217)),
    "materials_distributed": ("发放11438份政策清单", Decimal(11438)),
    "media_reports": ("省级以上媒体报道25篇", Decimal(25)),
    "matchmaking_meetings": ("要素对接会4场", Decimal(4)),
    "land_mu": ("解决土地指标852亩", Decimal(852)),
    "iur_projects_signed": ("签订产学研项目23个", Decimal(23)),
    "factor_funds": ("要素涉及资金7.5亿元", Decimal("750000000")),
}


@pytest.fixture(scope="module")
def ledger() -> ck.Ledger:
    return ck.load(EXAMPLE / "ledger.json")


def test_the_seed_states_these_figures() -> None:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    text = SEED.read_text(encoding="utf-8")
    headline = text[text.index("截止到5月12日") : text.index("现将工作总结如下")]
    for metric, (words, _) in SEED_HEADLINE.items():
        assert words in headline, metric


def test_the_table_covers_every_summary_column(ledger: ck.Ledger) -> None:
    ctype = make_context(ledger).campaign_type
    assert set(SEED_HEADLINE) == set(ctype.summary_columns)


@pytest.mark.parametrize("metric", list(SEED_HEADLINE))
def test_headline_figure_is_reproduced_from_records(ledger: ck.Ledger, metric: str) -> None:
    result = ck.compute(ledger, metric)
    assert result.value is not None
    assert Decimal(result.value) == SEED_HEADLINE[metric][1]
    assert result.provenance, "a figure with no records behind it"


def test_the_example_is_valid(ledger: ck.Ledger) -> None:
    assert ck.validate(ledger) == []


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    out = tmp_path / "ledger.json"
    run = subprocess.run(
        [sys.executable, str(EXAMPLE / "generate.py"), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == (EXAMPLE / "ledger.json").read_bytes()


def test_most_issues_are_labour(ledger: ck.Ledger) -> None:
    bd = breakdown(ledger, "issues_collected", "category")
    by_key = {row.key: row.result.value for row in bd.rows}
    labour = by_key["labour"]
    assert isinstance(labour, int)
    assert labour * 2 > 217
    assert max(by_key.values(), key=lambda v: v or 0) == labour


def test_the_working_group_is_the_seeds(ledger: ck.Ledger) -> None:
    (group,) = ledger.work_groups
    assert (group.name, group.lead_unit, group.headcount) == ("第七工作组", "省工商联", 15)
    assert group.period == ck.Period(date(2020, 4, 12), date(2020, 5, 12))
    assert sum(t.members or 0 for t in group.teams) + 1 == group.headcount  # plus the leader
    kinds = [t.kind for t in group.teams]
    assert kinds.count(TeamKind.STATIONED) == 4
    assert kinds.count(TeamKind.MOBILE) == 1


def test_stationed_teams_share_the_city_without_overlap(ledger: ck.Ledger) -> None:
    covered = [code for t in ledger.teams for code in t.regions]
    assert len(covered) == len(set(covered)), "two teams cover one region"
    counties_and_zones = {
        r.code for r in ledger.regions if r.level in (RegionLevel.COUNTY, RegionLevel.ZONE)
    }
    assert set(covered) == counties_and_zones
    assert len([r for r in ledger.regions if r.level is RegionLevel.COUNTY]) == 7
    scope = ledger.campaign.scope
    assert set(scope.regions) | set(scope.zones) == counties_and_zones
    assert set(scope.enterprise_classes) == {"four_above", "specialized", "sme"}


def test_the_campaign_is_the_seeds(ledger: ck.Ledger) -> None:
    c = ledger.campaign
    assert c.name == "推进“十四五”开好局起好步“四送一服”专项行动"
    assert (c.type, c.host_province, c.report_date) == ("sisong-yifu", "340000", date(2020, 5, 12))
    (phase,) = c.phases
    assert phase.period == ck.Period(date(2020, 4, 12), date(2020, 4, 22))
    assert "驻点期间不吃请" in c.rules


def test_every_record_is_dated_inside_the_campaign(ledger: ck.Ledger) -> None:
    period = ledger.campaign.period
    assert all(a.date in period for a in ledger.activities)
    assert all(i.raised in period for i in ledger.issues)
    assert all(o.date in period for o in ledger.outcomes)
    assert all(e.date <= date(2020, 5, 12) for i in ledger.issues for e in i.events)


def test_figures_are_stable_after_the_report_date(ledger: ck.Ledger) -> None:
    # no record or event is dated after the report date; only clocks (overdue) move on
    later = summary(ledger, as_of=date(2020, 12, 31), headline_only=True)
    assert later == summary(ledger, headline_only=True)
    assert ck.compute(ledger, "issues_resolved", as_of=date(2020, 12, 31)) == ck.compute(
        ledger, "issues_resolved"
    )


def test_figures_as_of_the_end_of_the_first_phase_are_smaller(ledger: ck.Ledger) -> None:
    early = summary(ledger, as_of=date(2020, 4, 22), headline_only=True)
    final = summary(ledger, headline_only=True)
    raised = sum(1 for i in ledger.issues if i.raised <= date(2020, 4, 22))
    assert early["issues_collected"] == raised < final["issues_collected"]  # type: ignore[operator]
    assert early["assignment_meetings"] == 0  # the first was on 24 April


def test_some_enterprises_are_visited_twice_and_counted_once(ledger: ck.Ledger) -> None:
    visits = ledger.activities_by_kind["enterprise_visit"]
    named = [e for a in visits for e in a.enterprises]
    assert len(named) > len(set(named)) == 215
    result = ck.compute(ledger, "enterprises_visited")
    assert set(result.provenance) == {a.id for a in visits}


def test_the_mobile_team_does_the_inspections(ledger: ck.Ledger) -> None:
    mobile = next(t.id for t in ledger.teams if t.kind is TeamKind.MOBILE)
    inspections = ledger.activities_by_kind["unannounced_inspection"]
    assert inspections and all(a.team == mobile for a in inspections)
    assert len(inspections) > 6  # one hall was inspected twice


def test_factor_matchmaking_is_the_seeds(ledger: ck.Ledger) -> None:
    meetings = ledger.activities_by_kind["matchmaking_meeting"]
    partners = [a.extra.get("partner") for a in meetings]
    assert "淮南海关" in partners
    export = next(a for a in meetings if a.extra.get("partner") == "淮南海关")
    assert export.attendance == 79
    iur = ck.compute(ledger, "iur_amount")
    loans = ck.compute(ledger, "financing_amount")
    assert iur.value == Decimal("130000000")
    assert ck.compute(ledger, "financing_enterprises").value == 7
    banks = {p.name for o in ledger.outcomes_by_kind["financing"] for p in o.parties}
    assert len(banks) == 7
    assert ck.compute(ledger, "land_enterprises").value == 28
    universities = {
        p.name
        for o in ledger.outcomes_by_kind["iur_project"]
        for p in o.parties
        if p.role == "university"
    }
    assert len(universities) == 2
    # the factor funds are the signed IUR projects plus the signed loans
    assert Decimal(iur.value) + Decimal(loans.value or 0) == SEED_HEADLINE["factor_funds"][1]


def test_the_two_investment_projects(ledger: ck.Ledger) -> None:
    titles = sorted(o.title or "" for o in ledger.outcomes_by_kind["investment_project"])
    assert titles == ["寿县大健康项目", "山南教育项目"]
    assert ck.compute(ledger, "investment_visits").value == 4  # four batches visited


def test_city_media_reports_are_not_counted(ledger: ck.Ledger) -> None:
    reports = ledger.activities_by_kind["media_report"]
    local = [a for a in reports if a.extra["media_level"] in ("city", "county")]
    assert local
    assert ck.compute(ledger, "all_media_reports").value == 25 + len(local)


def test_issue_histories_are_varied(ledger: ck.Ledger) -> None:
    ctx = make_context(ledger)
    kinds = {e.kind for i in ledger.issues for e in i.events}
    assert {
        "assigned",
        "answered_on_spot",
        "taken_back",
        "feedback",
        "supervised",
        "escalated",
        "resolved",
        "return_visit",
        "reopened",
        "meeting_called",
    } <= kinds
    levels = {e.level for i in ledger.issues for e in i.events if e.level}
    assert levels == {"county", "city", "province"}
    documents = {i.extra.get("document") for i in ledger.issues} - {None}
    assert len(documents) == 2  # the city's two assignment documents
    legacy = [i for i in ledger.issues if i.legacy]
    meetings = {a.date for a in ledger.activities_by_kind["supervision_meeting"]}
    assert legacy
    assert any(e.kind == "meeting_called" and e.date in meetings for i in legacy for e in i.events)
    rates = {mid: ck.compute(ctx, mid).value for mid in ("resolution_rate", "satisfaction_rate")}
    assert all(v is not None and Decimal(0) < v < Decimal(1) for v in rates.values())


def test_some_enterprises_carry_personal_contacts(ledger: ck.Ledger) -> None:
    with_contact = [e for e in ledger.enterprises if e.contact is not None]
    assert 0 < len(with_contact) < len(ledger.enterprises)


def test_summary_command_prints_the_seed_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["summary", str(EXAMPLE / "ledger.json"), "--format", "json"])
    assert code == 0
    figures = orjson.loads(capsys.readouterr().out)
    for metric, (_, value) in SEED_HEADLINE.items():
        assert Decimal(figures[metric]) == value, metric
    assert figures["enterprises_visited"] == 215  # counts are JSON numbers
    assert figures["factor_funds"] == "750000000"  # amounts are exact strings
