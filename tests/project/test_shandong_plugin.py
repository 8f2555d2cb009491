"""The external 企业诉求“2115”办理 plugin package, installed, end to end: it changes what
is built in, for its own campaign type only.

The package under ``examples/shandong-2115-plugin`` is installed into the test
environment (``pip install -e examples/shandong-2115-plugin``) and found through its
``campaignkit`` entry point; nothing in campaignkit knows it. It replaces the ``text``
format and wraps ``markdown`` for its type, chooses its escalation rules, adds an
action kind ``overdue`` lists, warns its hour-based answer stage four hours ahead,
proposes actions with a time of day, a note and a work-order number, words its
messages in both languages, and requires the work-order number of hotline requests
only. Expected figures are counted here straight from the example's JSON document.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.resources
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.derive.calendar import add_working_days, working_days_between
from campaignkit.derive.clocks import ClockStatus
from campaignkit.derive.deadlines import issue_clocks
from campaignkit.errors import LedgerError
from campaignkit.escalation.engine import Action, evaluate
from campaignkit.hooks.manager import PluginManager, get_plugin_manager, new_plugin_manager
from campaignkit.i18n.catalogue import template
from campaignkit.report.build import build_report, render
from campaignkit.rules.records import RenderOptions, ReportFormatter
from campaignkit.testing import load_ledger, plugin_manager

DIST = "campaignkit-shandong-2115"
HENAN_DIST = "campaignkit-henan-wanren"

try:
    importlib.metadata.distribution(DIST)
except importlib.metadata.PackageNotFoundError:
    pytest.skip(
        f"{DIST} is not installed: pip install -e examples/shandong-2115-plugin",
        allow_module_level=True,
    )

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "examples" / "shandong-2115-plugin"
LEDGER = PACKAGE / "example-ledger.json"
HUAINAN = ROOT / "examples" / "huainan-2020" / "ledger.json"
PLUGIN = "shandong-2115"
MODULE = "campaignkit_shandong.plugin"
TYPE = "suqiu-2115"
CHOSEN = {
    "yellow-card",
    "red-card",
    "supervise",
    "reopen-dissatisfied",
    "shandong-dispatch",
    "shandong-urge",
}
ACTIONS = ("warned", "marked_overdue", "urged", "supervised")
ANSWERING = {"feedback", "taken_back", "answered_on_spot", "resolved", "closed_unresolved"}
SOLVING = {"resolved", "answered_on_spot", "closed_unresolved"}
ROUND = "09:00"


@pytest.fixture
def doc() -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(LEDGER.read_bytes())
    return data


@pytest.fixture
def ledger() -> ck.Ledger:
    return ck.load(LEDGER)


def as_of(document: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(document["campaign"]["report_date"])


def issue_of(document: dict[str, Any], issue_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in document["issues"] if i["id"] == issue_id)
    return found


def path_of(document: dict[str, Any], issue_id: str) -> str:
    return f"issues[{[i['id'] for i in document['issues']].index(issue_id)}]"


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    return path


# -- counted straight from the document ------------------------------------------------------


def moment(event: dict[str, Any]) -> dt.datetime:
    time = dt.time.fromisoformat(event["time"]) if "time" in event else dt.time()
    return dt.datetime.combine(dt.date.fromisoformat(event["date"]), time)


def answers(document: dict[str, Any]) -> dict[str, int]:
    """The 24-hour answer of every dispatched request as of the report date: met, missed
    (by the moment when the answer has a time of day, else by the date) or running."""
    day = as_of(document)
    found = {"met": 0, "missed": 0, "running": 0}
    for issue in document["issues"]:
        events = [e for e in issue.get("events", []) if dt.date.fromisoformat(e["date"]) <= day]
        start = next((k for k, e in enumerate(events) if e["kind"] == "assigned"), None)
        if start is None:
            continue
        due = moment(events[start]) + dt.timedelta(hours=24)
        answer = next((e for e in events[start + 1 :] if e["kind"] in ANSWERING), None)
        if answer is None:
            found["running"] += 1
        elif "time" in answer:
            found["met" if moment(answer) <= due else "missed"] += 1
        else:
            found["met" if dt.date.fromisoformat(answer["date"]) <= due.date() else "missed"] += 1
    return found


def actions_recorded(document: dict[str, Any]) -> dict[str, int]:
    day = as_of(document)
    return {
        kind: sum(
            1
            for i in document["issues"]
            for e in i.get("events", [])
            if e["kind"] == kind and dt.date.fromisoformat(e["date"]) <= day
        )
        for kind in ACTIONS
    }


def undispatched_hotline(document: dict[str, Any]) -> list[str]:
    day = as_of(document)
    return [
        i["id"]
        for i in document["issues"]
        if i["channel"] == "hotline"
        and not i.get("events")
        and dt.date.fromisoformat(i["raised"]) < day
    ]


def to_urge(document: dict[str, Any]) -> list[str]:
    """Requests whose 15-working-day limit has its red card, no urging, and is more than a
    working day late on the report date."""
    day = as_of(document)
    found = []
    for issue in document["issues"]:
        events = issue.get("events", [])
        kinds = [e["kind"] for e in events]
        if "marked_overdue" not in kinds or "urged" in kinds or set(kinds) & SOLVING:
            continue
        assigned = dt.date.fromisoformat(next(e for e in events if e["kind"] == "assigned")["date"])
        due = add_working_days(assigned, 15).date
        if day > add_working_days(due, 1).date:
            found.append(issue["id"])
    return found


# -- the installed package ------------------------------------------------------------------


def test_package_is_installed_with_its_entry_point_and_types() -> None:
    dist = importlib.metadata.distribution(DIST)
    (ep,) = [e for e in dist.entry_points if e.group == "campaignkit"]
    assert (ep.name, ep.value) == (PLUGIN, MODULE)
    declared = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["entry-points"]["campaignkit"] == {ep.name: ep.value}
    assert dist.version == declared["project"]["version"]
    assert (importlib.resources.files("campaignkit_shandong") / "py.typed").is_file()


def test_campaignkit_does_not_refer_to_the_plugin() -> None:
    for path in (ROOT / "src" / "campaignkit").rglob("*"):
        if path.suffix in (".py", ".json", ".toml", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "campaignkit_shandong" not in text and TYPE not in text, path


def test_ledger_loads_through_the_shared_manager(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    pm = get_plugin_manager()
    assert pm.sources[PLUGIN].distribution == DIST
    assert ledger.campaign.type == TYPE == doc["campaign"]["type"]
    assert pm.owner("campaignkit_campaign_types", TYPE) == PLUGIN
    assert ck.dumps(ledger) == LEDGER.read_bytes()  # the file is in canonical form


def test_the_formats_are_replaced_for_its_type_only() -> None:
    pm = get_plugin_manager()
    pm.report_formatters()  # owners are known once the formats are gathered
    for name in ("text", "markdown"):
        assert pm.owner("campaignkit_report_formatters", name, TYPE) == PLUGIN
        assert pm.owner("campaignkit_report_formatters", name, "sisong-yifu") == (
            "campaignkit.plugins.formatters"
        )
        builtin = pm.replaced("campaignkit_report_formatters", name)
        assert isinstance(builtin, ReportFormatter)
        assert pm.report_formatters("sisong-yifu")[name] is builtin
        assert pm.report_formatters(TYPE)[name] is not builtin
    assert pm.load_errors == []


# -- the command line, end to end -----------------------------------------------------------


def test_cli_validates_the_example(doc: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    counts = [len(doc[k]) for k in ("enterprises", "activities", "issues", "outcomes")]
    assert main(["validate", str(LEDGER)]) == 0
    assert capsys.readouterr().out == (
        f"{LEDGER}: 无误(企业 {counts[0]} 家,活动 {counts[1]} 场,问题 {counts[2]} 个,"
        f"成果 {counts[3]} 项)\n"
    )
    assert main(["validate", str(LEDGER), "--lang", "en"]) == 0
    assert capsys.readouterr().out == (
        f"{LEDGER}: ok ({counts[0]} enterprises, {counts[1]} activities, {counts[2]} issues, "
        f"{counts[3]} outcomes)\n"
    )


def test_cli_summary_counts_the_records(
    doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", str(LEDGER), "--format", "json"]) == 0
    figures = orjson.loads(capsys.readouterr().out)
    issues = doc["issues"]
    assert figures["issues_collected"] == len(issues)
    assert figures["hotline_issues"] == sum(1 for i in issues if i["channel"] == "hotline")
    assert figures["issues_urged"] == sum(
        1 for i in issues if any(e["kind"] == "urged" for e in i.get("events", []))
    )
    visited = {
        e for a in doc["activities"] if a["kind"] == "enterprise_visit" for e in a["enterprises"]
    }
    assert figures["enterprises_visited"] == len(visited)


def dispatch_to_resolution(document: dict[str, Any]) -> dict[str, int]:
    """Working days from the first dispatch to the resolution of each request solved after
    a dispatch (and not reopened since)."""
    found = {}
    for issue in document["issues"]:
        events = issue.get("events", [])
        kinds = [e["kind"] for e in events]
        if "assigned" not in kinds or not SOLVING & set(kinds) or kinds.count("reopened"):
            continue
        dispatched = dt.date.fromisoformat(events[kinds.index("assigned")]["date"])
        solved = max(dt.date.fromisoformat(e["date"]) for e in events if e["kind"] in SOLVING)
        found[issue["id"]] = working_days_between(dispatched, solved).days
    return found


def average(days: list[int]) -> Decimal:
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_average_working_days_to_resolve_come_from_the_records(
    ledger: ck.Ledger, doc: dict[str, Any]
) -> None:
    expected = dispatch_to_resolution(doc)
    result = ck.compute(ledger, "average_resolution_days")
    assert result.value_kind == "average" and result.unit == "个工作日"
    assert (result.numerator, result.denominator) == (sum(expected.values()), len(expected))
    assert result.value == average(list(expected.values()))
    assert set(result.provenance) == set(expected)
    # each team's row is the average over that team's requests, not a share of the total
    by_team: dict[str, list[int]] = {}
    for issue_id, days in expected.items():
        by_team.setdefault(issue_of(doc, issue_id)["team"], []).append(days)
    rows = ck.breakdown(ledger, "average_resolution_days", "team").rows
    assert {row.key: row.result.value for row in rows if row.result.value is not None} == {
        team: average(days) for team, days in by_team.items()
    }


def test_the_average_is_shown_with_its_unit(
    ledger: ck.Ledger, doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    shown = f"{average(list(dispatch_to_resolution(doc).values())):f}"
    assert main(["report", str(LEDGER)]) == 0
    assert f"  平均办结用时:{shown}个工作日" in capsys.readouterr().out.splitlines()
    assert main(["report", str(LEDGER), "--format", "markdown"]) == 0
    assert f"| 平均办结用时(个工作日) | {shown} |" in capsys.readouterr().out.splitlines()
    assert main(["summary", str(LEDGER), "--format", "json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["average_resolution_days"] == shown
    english = render(build_report(ledger, lang="en"), "text").decode().splitlines()
    assert f"  average working days to resolve: {shown} working days" in english


def test_cli_text_report_is_the_bulletin(
    doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bulletin.txt"
    assert main(["report", str(LEDGER), "--output", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == [f"{doc['campaign']['name']} 工作通报", "截至2024年6月14日"]
    assert "二、诉求办理情况" in lines and "五、诉求分类统计表" in lines
    assert f"  受理企业诉求:{len(doc['issues'])}件" in lines
    got = answers(doc)
    assert (
        f"  首次响应(24小时,提前4小时预警):按时{got['met']}件,超时{got['missed']}件,"
        f"计时中{got['running']}件(即将到期0件,已超期0件)"
    ) in lines
    recorded = actions_recorded(doc)
    assert f"  热线催办:{recorded['urged']}次" in lines
    assert f"  黄牌预警:{recorded['warned']}次" in lines
    capsys.readouterr()
    assert main(["report", str(LEDGER), "--lang", "en"]) == 0
    english = capsys.readouterr().out.splitlines()
    assert english[0] == f"{doc['campaign']['name']}: bulletin"
    assert "2. Requests handled" in english
    assert f"  urged by the hotline: {recorded['urged']}" in english
    assert f"  requests received: {len(doc['issues'])}" in english


def test_cli_markdown_is_the_built_in_one_and_the_limits(
    ledger: ck.Ledger, doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.md"
    assert main(["report", str(LEDGER), "--format", "markdown", "--output", str(out)]) == 0
    shown = out.read_bytes()
    pm = get_plugin_manager()
    builtin = pm.replaced("campaignkit_report_formatters", "markdown")
    plain = builtin.render(build_report(ledger), RenderOptions())
    assert shown.startswith(plain)
    added = shown[len(plain) :].decode("utf-8").splitlines()
    assert "## 2115 时限执行情况" in added
    got = answers(doc)
    assert f"| 首次响应 | 24小时 | 4小时 | {got['met']} | {got['missed']} | 0 | 0 |" in added
    taken = "、".join(
        f"{label} {n}"
        for label, n in zip(
            ("黄牌预警", "红牌超期", "热线催办", "督办"),
            actions_recorded(doc).values(),
            strict=True,
        )
    )
    assert f"截至统计日已采取的措施:{taken}。" in added
    capsys.readouterr()


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", "markdown 格式包装内置的 markdown 格式"), ("en", "wraps the built-in one")],
)
def test_the_wrapped_markdown_says_when_there_is_nothing_to_wrap(
    lang: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = ["--block", "campaignkit.plugins.formatters"]
    assert main([*blocked, "report", str(LEDGER), "-f", "markdown", "--lang", lang]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert PLUGIN in line and words in line


@pytest.mark.parametrize("fmt", ["json", "csv", "html", "xlsx"])
def test_cli_writes_the_built_in_formats(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"report.{fmt}"
    assert main(["report", str(LEDGER), "--format", fmt, "--output", str(out)]) == 0
    capsys.readouterr()
    expected = render(build_report(ck.load(LEDGER)), fmt)
    assert out.read_bytes() == expected  # a workbook too: its moments are the report date
    if fmt == "json":
        (table,) = [t for t in orjson.loads(expected)["tables"] if t["key"] == "issue-figures"]
        assert table["title"] == "诉求办理情况"
        issue_figures = get_plugin_manager().campaign_type(TYPE).issue_figures
        assert [row["key"] for row in table["rows"]] == list(issue_figures or ())
    if fmt == "html":
        page = expected.decode("utf-8")
        assert "诉求办理情况" in page and "助企成果" in page
        assert "问题办理情况" not in page and "要素对接与招商成果" not in page


def test_cli_overdue_lists_the_hotline_urging(
    doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    urged = [
        i["id"] for i in doc["issues"] if any(e["kind"] == "urged" for e in i.get("events", []))
    ]
    assert urged
    assert main(["overdue", str(LEDGER)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for issue in urged:
        (row,) = [line for line in lines if line.startswith(issue + " ")]
        assert "热线催办" in row
    assert main(["overdue", str(LEDGER), "--lang", "en"]) == 0
    english = capsys.readouterr().out.splitlines()
    assert all(
        "urged by the hotline" in line for line in english if line.startswith(urged[0] + " ")
    )


def test_cli_escalates_and_applies_with_time_note_and_ticket(
    doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, doc)
    day = doc["campaign"]["report_date"]
    assert main(["escalate", str(path), "--as-of", day, "--lang", "en"]) == 0
    listed = capsys.readouterr().out
    assert "hotline dispatch (shandong-dispatch)" in listed
    assert "urged by phone" in listed
    assert main(["escalate", str(path), "--as-of", day, "--apply"]) == 0
    capsys.readouterr()
    applied = ck.load(path)
    (dispatched,) = undispatched_hotline(doc)
    (event,) = applied.issue_index[dispatched].events
    assert (event.kind, event.rule, event.time) == (
        "assigned",
        "shandong-dispatch",
        dt.time.fromisoformat(ROUND),
    )
    assert event.note == "2115派单:请于24小时内联系企业首次响应"
    assert dict(event.extra) == {"ticket": issue_of(doc, dispatched)["extra"]["ticket"]}
    # its 24-hour answer runs from the time of the dispatch, not from midnight
    pm = get_plugin_manager()
    policy = pm.campaign_type(TYPE).policy
    (answer, _) = issue_clocks(applied.issue_index[dispatched], policy, as_of=as_of(doc))
    assert answer.due_at == dt.datetime.combine(as_of(doc), dt.time(9)) + dt.timedelta(hours=24)
    for issue in to_urge(doc):
        urging = applied.issue_index[issue].events[-2:]
        (urged,) = [e for e in urging if e.kind == "urged"]
        assert urged.time == dt.time.fromisoformat(ROUND)
        assert urged.note is not None and urged.note.startswith(f"{ROUND}电话催办")
        ticket = issue_of(doc, issue).get("extra", {}).get("ticket")
        assert dict(urged.extra) == ({"ticket": ticket} if ticket else {})
    # nothing new the second time
    assert main(["escalate", str(path), "--as-of", day, "--apply"]) == 0
    assert ck.load(path) == applied
    capsys.readouterr()


# -- the rules the type chooses and its own rules ------------------------------------------


def test_the_type_chooses_its_rules() -> None:
    pm = get_plugin_manager()
    assert set(pm.escalation_rules(TYPE)) == CHOSEN
    assert {"raise-level", "legacy-meeting"} <= set(pm.escalation_rules())
    assert not {"shandong-dispatch", "shandong-urge"} & set(pm.escalation_rules("sisong-yifu"))


def test_raising_the_level_is_no_event_of_the_type(doc: dict[str, Any]) -> None:
    issue = next(i for i in doc["issues"] if i["channel"] == "visit" and len(i["events"]) == 2)
    issue["events"].append({"kind": "escalated", "date": doc["campaign"]["report_date"]})
    with plugin_manager(MODULE) as pm, pytest.raises(LedgerError) as info:
        load_ledger(doc, manager=pm)
    (problem,) = info.value.problems
    assert problem.path == f"{path_of(doc, issue['id'])}.events[2].kind"
    assert problem.message.startswith(f"unknown event kind 'escalated' for campaign type {TYPE!r}")
    assert "urged" in problem.message


def test_rules_propose_what_the_records_call_for(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    actions = evaluate(ledger, as_of(doc))
    assert {a.rule for a in actions} <= CHOSEN
    assert sorted(a.issue for a in actions if a.rule == "shandong-dispatch") == (
        undispatched_hotline(doc)
    )
    assert sorted(a.issue for a in actions if a.rule == "shandong-urge") == to_urge(doc)
    # a county-level request more than five working days late is not raised a level
    late = [i for i in to_urge(doc) if issue_of(doc, i)["events"][0]["level"] == "county"]
    assert late and not [a for a in actions if a.kind == "escalated"]


def test_proposals_carry_time_note_and_ticket(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    actions = evaluate(ledger, as_of(doc))
    mine: list[Action] = [a for a in actions if a.rule.startswith("shandong-")]
    assert mine
    for action in mine:
        assert action.time == dt.time.fromisoformat(ROUND)
        assert action.note and action.note != action.reason
        ticket = issue_of(doc, action.issue).get("extra", {}).get("ticket")
        assert action.extra == ((("ticket", ticket),) if ticket else ())
        assert action.reason_en and action.why("en") != action.why("zh")


def test_messages_are_the_plugins_in_both_languages(ledger: ck.Ledger, doc: dict[str, Any]) -> None:
    words = template("shandong.reason.urge")
    assert words.owner == "campaignkit_shandong"
    (urging, *_) = [a for a in evaluate(ledger, as_of(doc)) if a.rule == "shandong-urge"]
    assert "热线电话催办" in urging.why("zh")
    assert "urged by phone" in urging.why("en")


# -- per-stage warning --------------------------------------------------------------------


def test_the_24_hour_answer_is_not_due_soon_the_moment_it_starts(
    ledger: ck.Ledger, doc: dict[str, Any]
) -> None:
    day = as_of(doc)
    (started,) = [
        i["id"]
        for i in doc["issues"]
        if i.get("events")
        and [e["kind"] for e in i["events"]] == ["assigned"]
        and i["events"][0]["date"] == doc["campaign"]["report_date"]
    ]
    policy = get_plugin_manager().campaign_type(TYPE).policy
    issue = ledger.issue_index[started]
    answer = issue_clocks(issue, policy, as_of=day)[0]
    assert (answer.stage, answer.status) == ("response", ClockStatus.PENDING)
    next_day = issue_clocks(issue, policy, as_of=day + dt.timedelta(days=1))[0]
    assert next_day.status is ClockStatus.DUE_SOON
    # with one warning for every stage (a working day) it would be due soon at once
    everywhere = attrs.evolve(policy, stage_warn_before=())
    assert issue_clocks(issue, everywhere, as_of=day)[0].status is ClockStatus.DUE_SOON


# -- the work-order number, required of hotline requests only ------------------------------


def test_hotline_requests_must_carry_their_work_order_number(doc: dict[str, Any]) -> None:
    hotline = next(i for i in doc["issues"] if i["channel"] == "hotline")
    del hotline["extra"]["ticket"]
    with plugin_manager(MODULE) as pm, pytest.raises(LedgerError) as info:
        load_ledger(doc, manager=pm)
    (problem,) = info.value.problems
    where = f"{path_of(doc, hotline['id'])}.extra.ticket"
    assert problem.text() == f"{where}: 缺少工单号:来自“2115企业热线”渠道的问题必须填写"
    assert problem.text("en") == (
        f"{where}: work-order number missing: required of issues from the "
        "2115 enterprise hotline channel"
    )


def test_other_channels_need_no_work_order_number(doc: dict[str, Any]) -> None:
    other = next(i for i in doc["issues"] if i["channel"] != "hotline")
    assert "ticket" not in other.get("extra", {})
    with plugin_manager(MODULE) as pm:
        assert load_ledger(doc, manager=pm).issue_index[other["id"]].extra == {}
    other["channel"] = "hotline"
    with plugin_manager(MODULE) as pm, pytest.raises(LedgerError, match=r"extra\.ticket"):
        load_ledger(doc, manager=pm)


# -- other campaign types are untouched ----------------------------------------------------


def _both_plugins() -> PluginManager:
    try:
        importlib.metadata.distribution(HENAN_DIST)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{HENAN_DIST} is not installed: pip install -e examples/henan-wanren-plugin")
    pm = new_plugin_manager()
    assert {PLUGIN, "henan-wanren"} <= set(pm.sources)
    return pm


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_huainan_reports_are_unchanged_by_both_example_plugins(lang: str) -> None:
    both = _both_plugins()
    neither = new_plugin_manager(entry_points=False)
    assert not {PLUGIN, "henan-wanren"} & set(neither.sources)
    with_them = build_report(ck.load(HUAINAN, manager=both), manager=both, lang=lang)
    without = build_report(ck.load(HUAINAN, manager=neither), manager=neither, lang=lang)
    formats = list(neither.report_formatters())
    assert {"text", "markdown", "csv", "json", "html", "xlsx"} <= set(formats)
    for fmt in formats:
        shown = render(with_them, fmt, manager=both)
        before = render(without, fmt, manager=neither)
        assert shown == before, fmt  # byte for byte, the workbook too
    assert both.load_errors == []
