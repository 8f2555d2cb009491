"""The external 万人助万企 plugin package, installed, end to end: load, statistics, rules, report.

The package under ``examples/henan-wanren-plugin`` is installed into the test
environment (``pip install -e examples/henan-wanren-plugin``) and found
through its ``campaignkit`` entry point; nothing in campaignkit knows it.
Expected figures are counted here straight from the example's JSON document.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.metadata
import importlib.resources
import tomllib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.errors import LedgerError, PluginError
from campaignkit.escalation.engine import Action, apply, evaluate
from campaignkit.hooks.manager import get_plugin_manager, new_plugin_manager
from campaignkit.report.build import build_report, render
from campaignkit.stats.summary import summary_table
from campaignkit.testing import load_ledger, plugin_manager
from tests.conftest import minimal_document

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "examples" / "henan-wanren-plugin"
LEDGER = PACKAGE / "example-ledger.json"
DIST = "campaignkit-henan-wanren"
TYPE = "wanren-zhuwanqi"
HENAN_RULES = {"henan-routing", "henan-major-supervision", "henan-close-off"}
SATISFIED = {"satisfied", "basically_satisfied"}
RESOLVING = {"resolved", "answered_on_spot", "closed"}


@pytest.fixture
def doc() -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(LEDGER.read_bytes())
    return data


@pytest.fixture
def ledger() -> ck.Ledger:
    return ck.load(LEDGER)


def as_of(document: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(document["campaign"]["report_date"])


def henan_actions(actions: tuple[Action, ...]) -> list[tuple[str, str, str]]:
    return sorted((a.rule, a.issue, a.kind) for a in actions if a.rule in HENAN_RULES)


# -- counted straight from the document ------------------------------------------------------


def is_resolved(issue: dict[str, Any]) -> bool:
    kinds = [e["kind"] for e in issue.get("events", []) if e["kind"] in RESOLVING | {"reopened"}]
    return bool(kinds) and kinds[-1] != "reopened"


def latest_rating(issue: dict[str, Any]) -> str | None:
    ratings = [e["rating"] for e in issue.get("events", []) if "rating" in e]
    return ratings[-1] if ratings else None


def enterprise_satisfaction(document: dict[str, Any]) -> tuple[int, int]:
    ratings: defaultdict[str, list[str]] = defaultdict(list)
    for issue in document["issues"]:
        rating = latest_rating(issue)
        if rating is not None:
            ratings[issue["enterprise"]].append(rating)
    satisfied = [e for e, rs in ratings.items() if all(r in SATISFIED for r in rs)]
    return len(satisfied), len(ratings)


def percent(numerator: int, denominator: int) -> str:
    return f"{Decimal(numerator * 100) / Decimal(denominator):f}"


# -- the installed package ------------------------------------------------------------------


def test_package_is_installed_with_its_entry_point_and_types() -> None:
    dist = importlib.metadata.distribution(DIST)
    (ep,) = [e for e in dist.entry_points if e.group == "campaignkit"]
    assert (ep.name, ep.value) == ("henan-wanren", "campaignkit_henan.plugin")
    declared = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["entry-points"]["campaignkit"] == {ep.name: ep.value}
    assert dist.version == declared["project"]["version"]
    assert (importlib.resources.files("campaignkit_henan") / "py.typed").is_file()


def test_campaignkit_does_not_refer_to_the_plugin() -> None:
    for path in (ROOT / "src" / "campaignkit").rglob("*"):
        if path.suffix in (".py", ".json", ".toml", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "campaignkit_henan" not in text and "henan-wanren" not in text, path


def test_ledger_loads_through_the_shared_manager(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    pm = get_plugin_manager()
    assert pm.sources["henan-wanren"].distribution == DIST
    assert ledger.campaign.type == TYPE == doc["campaign"]["type"]
    assert pm.owner("campaignkit_campaign_types", TYPE) == "henan-wanren"
    assert [i.id for i in ledger.issues] == [i["id"] for i in doc["issues"]]
    assert ck.dumps(ledger) == LEDGER.read_bytes()  # the file is in canonical form


def test_blocking_the_plugin_makes_its_campaign_type_unknown() -> None:
    pm = new_plugin_manager(blocked=["henan-wanren"])
    with pytest.raises(LedgerError) as info:
        ck.load(LEDGER, manager=pm)
    (problem,) = info.value.problems
    assert problem.path == "campaign.type"
    assert problem.message.startswith(f"unknown campaign type {TYPE!r} (registered: ")


def test_cli_validates_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(LEDGER)]) == 0
    assert (
        capsys.readouterr().out
        == f"{LEDGER}: 无误（企业 6 家，活动 10 场，问题 8 个，成果 4 项）\n"
    )
    assert main(["validate", str(LEDGER), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out == f"{LEDGER}: ok (6 enterprises, 10 activities, 8 issues, 4 outcomes)\n"


# -- statistics -----------------------------------------------------------------------------


def test_figures_come_from_the_records(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    issues = doc["issues"]
    visited = {
        e for a in doc["activities"] if a["kind"] == "pairing_visit" for e in a["enterprises"]
    }
    resolved = [i["id"] for i in issues if is_resolved(i)]
    closed = [i["id"] for i in issues if i.get("events") and i["events"][-1]["kind"] == "closed"]
    satisfied, rated = enterprise_satisfaction(doc)
    financing = sum(
        Decimal(o["amount_yuan"])
        for o in doc["outcomes"]
        if o["kind"] == "financing" and o["status"] in ("signed", "landed")
    )
    figures = ck.compute_all(
        ledger,
        [
            "enterprises_served",
            "issues_collected",
            "major_issues",
            "issues_resolved",
            "issues_closed_off",
            "resolution_rate",
            "satisfaction_rate",
            "financing_amount",
            "issues_new_this_week",
        ],
    )
    assert figures["enterprises_served"].value == len(visited)
    assert figures["issues_collected"].value == len(issues)
    assert figures["major_issues"].value == sum(
        1 for i in issues if i.get("extra", {}).get("severity") == "major"
    )
    assert list(figures["issues_resolved"].provenance) == resolved
    assert list(figures["issues_closed_off"].provenance) == closed
    rate = figures["resolution_rate"]
    assert (rate.numerator, rate.denominator) == (len(resolved), len(issues))
    assert rate.label == "问题化解率"
    sat = figures["satisfaction_rate"]
    assert (sat.numerator, sat.denominator) == (satisfied, rated)
    assert sat.label == "企业满意率"
    assert figures["financing_amount"].value == financing
    week = as_of(doc) - dt.timedelta(days=6)
    assert figures["issues_new_this_week"].value == sum(
        1 for i in issues if week <= dt.date.fromisoformat(i["raised"]) <= as_of(doc)
    )


def test_enterprise_satisfaction_counts_enterprises_not_issues(doc: dict[str, Any]) -> None:
    # one more satisfied issue of an enterprise that was dissatisfied elsewhere changes nothing
    extra = copy.deepcopy(doc["issues"][0])
    extra["id"] = "H99"
    extra["enterprise"] = "E4"
    doc["issues"].append(extra)
    with plugin_manager("campaignkit_henan.plugin") as pm:
        result = ck.compute(load_ledger(doc, manager=pm), "satisfaction_rate", manager=pm)
    assert (result.numerator, result.denominator) == enterprise_satisfaction(doc)


def test_summary_table_rows_add_up(ledger: ck.Ledger) -> None:
    table = summary_table(ledger, by="team")
    assert [r.label for r in table.rows][: len(ledger.teams)] == [t.name for t in ledger.teams]
    for column in table.columns:
        total = sum(row.values[column.metric] or 0 for row in table.rows)
        assert total == table.total.values[column.metric], column.metric


def test_breakdown_by_category_uses_the_plugin_labels(
    ledger: ck.Ledger, doc: dict[str, Any]
) -> None:
    bd = ck.breakdown(ledger, "issues_collected", "category")
    counts: defaultdict[str, int] = defaultdict(int)
    for issue in doc["issues"]:
        counts[issue["category"]] += 1
    assert {row.key: row.result.value for row in bd.rows} == counts
    assert {row.key: row.label for row in bd.rows}["energy"] == "水电气暖"


# -- escalation -------------------------------------------------------------------------------


def expected_rule_actions(document: dict[str, Any], day: dt.date) -> list[tuple[str, str, str]]:
    """What the three rules should propose, read off the document."""
    expected = []
    for issue in document["issues"]:
        events = [e for e in issue.get("events", []) if dt.date.fromisoformat(e["date"]) <= day]
        raised = dt.date.fromisoformat(issue["raised"])
        if not events and (day - raised).days > 1:
            expected.append(("henan-routing", issue["id"], "marked_overdue"))
        assigned = next((e for e in events if e["kind"] == "assigned"), None)
        if (
            issue.get("extra", {}).get("severity") == "major"
            and assigned
            and not is_resolved(issue)
        ):
            due = dt.date.fromisoformat(assigned["date"]) + dt.timedelta(
                days=assigned["deadline"]["amount"]
            )
            if day > due:
                expected.append(("henan-major-supervision", issue["id"], "listed_supervision"))
        kinds = [e["kind"] for e in events]
        if kinds and kinds[-1] != "closed" and is_resolved(issue):
            resolved_on = max(
                dt.date.fromisoformat(e["date"]) for e in events if e["kind"] in RESOLVING
            )
            if (day - resolved_on).days > 3 and latest_rating(issue) in SATISFIED | {None}:
                expected.append(("henan-close-off", issue["id"], "close_reminded"))
    return sorted(expected)


def test_rules_propose_what_the_records_call_for(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    day = as_of(doc)
    proposed = henan_actions(evaluate(ledger, day))
    assert proposed == expected_rule_actions(doc, day)
    assert {rule for rule, _, _ in proposed} == {"henan-routing", "henan-major-supervision"}


def test_close_off_reminder_after_a_satisfied_return_visit(doc: dict[str, Any]) -> None:
    h4 = next(i for i in doc["issues"] if i["id"] == "H4")
    h4["events"][-1]["rating"] = "satisfied"
    day = as_of(doc)
    with plugin_manager("campaignkit_henan.plugin") as pm:
        actions = evaluate(load_ledger(doc, manager=pm), day, manager=pm)
    proposed = henan_actions(actions)
    assert ("henan-close-off", "H4", "close_reminded") in proposed
    assert proposed == expected_rule_actions(doc, day)
    (reminder,) = [a for a in actions if a.rule == "henan-close-off"]
    assert reminder.reason.startswith(f"{h4['events'][2]['date']}已办结，超过3天未销号")


def test_applied_actions_are_not_proposed_again(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    day = as_of(doc)
    actions = evaluate(ledger, day)
    after = apply(ledger, actions)
    assert henan_actions(evaluate(after, day)) == []
    supervised = after.issue_index["H3"].events[-len([a for a in actions if a.issue == "H3"]) :]
    assert "listed_supervision" in [e.kind for e in supervised]
    reloaded = ck.loads(ck.dumps(after))  # the plugin's event kinds are valid in the file
    assert reloaded == after


def test_rules_apply_only_to_their_campaign_type() -> None:
    pm = get_plugin_manager()
    assert set(pm.escalation_rules(TYPE)) >= HENAN_RULES
    assert not HENAN_RULES & set(pm.escalation_rules("sisong-yifu"))
    sisong = ck.loads(orjson.dumps(minimal_document()))
    assert henan_actions(evaluate(sisong, dt.date(2020, 5, 12))) == []


def test_closing_off_needs_the_enterprises_satisfied_rating(doc: dict[str, Any]) -> None:
    h4_index = next(k for k, i in enumerate(doc["issues"]) if i["id"] == "H4")
    events = doc["issues"][h4_index]["events"]
    events.append({"kind": "closed", "date": "2021-10-25"})
    with pytest.raises(LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    (problem,) = info.value.problems
    assert problem.path == f"issues[{h4_index}].events[{len(events) - 1}].kind"
    assert problem.message.endswith(
        "event 'closed' is refused in state 'resolved': needs the enterprise's rating"
    )
    events[-1]["rating"] = "dissatisfied"
    with pytest.raises(LedgerError, match="the enterprise is dissatisfied"):
        ck.loads(orjson.dumps(doc))


def test_major_issue_must_record_its_limit(doc: dict[str, Any]) -> None:
    index = next(k for k, i in enumerate(doc["issues"]) if i["id"] == "H7")
    del doc["issues"][index]["events"][0]["deadline"]
    with pytest.raises(LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    assert [str(p) for p in info.value.problems] == [
        f"issues[{index}].events[0]: the assignment of a major issue must record its time "
        "limit (deadline or due; a month by default)"
    ]
    assert [p.text() for p in info.value.problems] == [
        f"issues[{index}].events[0]: 重大问题的交办必须写明时限（deadline 或 due；默认一个月）"
    ]


def test_unknown_severity_is_an_error_naming_the_type(doc: dict[str, Any]) -> None:
    doc["issues"][0]["extra"]["severity"] = "urgent"
    with pytest.raises(LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    assert [str(p) for p in info.value.problems] == [
        "issues[0].extra.severity: expected one of ordinary, major, got 'urgent'"
    ]


# -- the weekly report -------------------------------------------------------------------------


def test_weekly_report_through_render(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    text = render(build_report(ledger), "henan-weekly").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == f"{doc['campaign']['name']} 工作周报"
    issues = doc["issues"]
    resolved = sum(1 for i in issues if is_resolved(i))
    satisfied, rated = enterprise_satisfaction(doc)
    assert f"  收集问题：{len(issues)}个" in lines
    assert f"  问题化解率：{percent(resolved, len(issues))}%" in lines
    assert f"  企业满意率：{percent(satisfied, rated)}%" in lines
    majors = [i for i in issues if i.get("extra", {}).get("severity") == "major"]
    start = lines.index("四、重大问题")
    listed = lines[start + 1 : start + 1 + len(majors)]
    assert [line.split()[0] for line in listed] == [i["id"] for i in majors]
    assert all(i["description"] in line for i, line in zip(majors, listed, strict=True))
    total = next(line for line in lines if line.startswith("  合计："))
    assert total == f"  合计：收集问题 {len(issues)}，已办结问题 {resolved}"


def test_weekly_report_in_english(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    text = render(build_report(ledger, lang="en"), "henan-weekly").decode("utf-8")
    satisfied, rated = enterprise_satisfaction(doc)
    assert f"  enterprise satisfaction rate: {percent(satisfied, rated)}%" in text.splitlines()
    assert "4. Major issues" in text


def test_cli_writes_the_weekly_report_and_applies_the_rules(
    tmp_path: Path, doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "weekly.txt"
    assert main(["report", str(LEDGER), "--format", "henan-weekly", "--output", str(out)]) == 0
    assert out.read_bytes() == render(build_report(ck.load(LEDGER)), "henan-weekly")
    copy_path = tmp_path / "ledger.json"
    copy_path.write_bytes(LEDGER.read_bytes())
    day = doc["campaign"]["report_date"]
    assert main(["escalate", str(copy_path), "--as-of", day, "--apply"]) == 0
    applied = ck.load(copy_path)
    h3 = applied.issue_index["H3"]
    assert ("listed_supervision", "henan-major-supervision") in [
        (e.kind, e.rule) for e in h3.events
    ]
    assert main(["escalate", str(copy_path), "--as-of", day, "--apply"]) == 0
    assert ck.load(copy_path) == applied  # nothing new the second time
    capsys.readouterr()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["工作周报要用指标", "issues_new_this_week", "四送一服", "wanren-zhuwanqi"]),
        ("en", ["needs the metrics", "'sisong-yifu'", "'wanren-zhuwanqi'"]),
    ],
)
def test_weekly_report_of_another_campaign_type_says_what_it_lacks(
    lang: str, words: list[str]
) -> None:
    other = ck.load(Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json")
    with pytest.raises(PluginError) as caught:
        render(build_report(other, lang=lang), "henan-weekly")
    message = str(caught.value)
    assert "henan-weekly" in message and "henan-wanren" in message
    assert all(w in message for w in words)
    assert "KeyError" not in message
