"""Changing what is built in, from a plugin author's side: replacing and wrapping a
built-in format, rule, calendar or metric by name, for every campaign type or for some,
a campaign type choosing its escalation rules, and clashes that leave the rest working."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

import campaignkit as ck
from campaignkit import hookimpl
from campaignkit.cli.app import main
from campaignkit.cli.commands.plugins import plugin_listing, render_text
from campaignkit.escalation.engine import evaluate
from campaignkit.hooks.manager import PluginManager, canonical_name, new_plugin_manager
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE as SISONG
from campaignkit.report.build import Report, build_report, render
from campaignkit.rules.records import (
    CampaignType,
    EscalationRule,
    Label,
    MetricDef,
    RenderOptions,
    ReportFormatter,
    WorkdayCalendar,
)
from campaignkit.stats.metrics import compute, make_context
from campaignkit.workspace import Workspace
from tests.conftest import minimal_document

PROVINCE = "province-x"
"""A second campaign type, the built-in one under another key (a province's variant)."""

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


class Province:
    """The province's campaign type."""

    @hookimpl
    def campaignkit_campaign_types(self) -> list[CampaignType]:
        return [attrs.evolve(SISONG, key=PROVINCE, label=Label("某省", "a province"))]


def _ledgers(pm: PluginManager) -> tuple[ck.Ledger, ck.Ledger]:
    """The same records under the built-in type and under the province's."""
    doc = minimal_document()
    built_in = ck.loads(orjson.dumps(doc), manager=pm)
    doc["campaign"]["type"] = PROVINCE
    return built_in, ck.loads(orjson.dumps(doc), manager=pm)


def _text(report: Report, options: RenderOptions) -> bytes:
    return f"省里的文本报告:{report.context.ledger.campaign.name}\n".encode()


# -- formats ----------------------------------------------------------------------------------


def test_a_format_replaced_for_every_type() -> None:
    class Plain:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            return [
                ReportFormatter(
                    "text", Label("文本", "text"), "txt", "text/plain", _text, replaces=True
                )
            ]

    plugin = Plain()
    pm = new_plugin_manager([Province(), plugin], entry_points=False)
    built_in, province = _ledgers(pm)
    for ledger in (built_in, province):
        out = render(build_report(ledger, manager=pm), "text", manager=pm)
        assert out == _text(build_report(ledger, manager=pm), RenderOptions())
    assert pm.load_errors == []
    assert pm.owner("campaignkit_report_formatters", "text") == canonical_name(plugin)
    listing = plugin_listing(pm)
    assert listing["replaced"] == [
        {
            "kind": "report_formatters",
            "name": "text",
            "plugin": canonical_name(plugin),
            "campaign_types": [],
        }
    ]
    assert f"report formatters text: {canonical_name(plugin)} (every campaign type)" in (
        render_text(listing, "en")
    )
    # the listing shows the name under both
    registered = pm.registrations()
    assert "text" in registered["campaignkit.plugins.formatters"]["report_formatters"]
    assert registered[canonical_name(plugin)]["report_formatters"] == ["text"]


def test_a_format_replaced_for_one_type_leaves_the_others_alone() -> None:
    class Limited:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            text = ReportFormatter("text", Label("文本", "text"), "txt", "text/plain", _text)
            return [attrs.evolve(text, replaces=True, campaign_types=(PROVINCE,))]

    pm = new_plugin_manager([Province(), Limited()], entry_points=False)
    plain = new_plugin_manager([Province()], entry_points=False)
    built_in, province = _ledgers(pm)
    assert render(build_report(built_in, manager=pm), "text", manager=pm) == render(
        build_report(built_in, manager=plain), "text", manager=plain
    )
    assert render(build_report(province, manager=pm), "text", manager=pm).startswith(
        "省里的文本报告".encode()
    )
    assert pm.load_errors == []
    assert [(r["name"], r["campaign_types"]) for r in plugin_listing(pm)["replaced"]] == [
        ("text", [PROVINCE])
    ]


def test_a_format_wraps_the_built_in_one() -> None:
    def wrapped(report: Report, options: RenderOptions) -> bytes:
        manager = report.context.manager or ck.get_plugin_manager()
        builtin: ReportFormatter = manager.replaced("campaignkit_report_formatters", "markdown")
        return builtin.render(report, options) + "\n> 本报告由某省插件补充。\n".encode()

    class Wraps:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            return [
                ReportFormatter(
                    "markdown",
                    Label("Markdown", "Markdown"),
                    "md",
                    "text/markdown",
                    wrapped,
                    replaces=True,
                )
            ]

    pm = new_plugin_manager([Wraps()], entry_points=False)
    plain = new_plugin_manager(entry_points=False)
    ledger = ck.load(EXAMPLE, manager=pm)
    before = render(build_report(ledger, manager=plain), "markdown", manager=plain)
    after = render(build_report(ledger, manager=pm), "markdown", manager=pm)
    assert after == before + "\n> 本报告由某省插件补充。\n".encode()


# -- clashes ----------------------------------------------------------------------------------


def _weekly(name: str) -> object:
    class Weekly:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            return [ReportFormatter("weekly", Label("周报", "weekly"), "txt", "text/plain", _text)]

        @hookimpl
        def campaignkit_escalation_rules(self) -> list[EscalationRule]:
            return [EscalationRule("nudge", Label("提醒", "nudge"), lambda ctx, issue: ())]

    Weekly.__qualname__ = name
    return Weekly()


def test_a_clash_makes_only_that_name_unusable(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _weekly("First"), _weekly("Second")
    pm = new_plugin_manager([first, second], entry_points=False)
    ledger = ck.load(EXAMPLE, manager=pm)
    report = build_report(ledger, manager=pm)
    with pytest.raises(ck.PluginError, match="'weekly' is registered by") as info:
        render(report, "weekly", manager=pm)
    assert canonical_name(first) in str(info.value) and canonical_name(second) in str(info.value)
    assert render(report, "text", manager=pm)  # everything else works
    assert "nudge" not in pm.escalation_rules(ledger.campaign.type)
    assert evaluate(ledger, dt.date(2020, 6, 1), manager=pm) == evaluate(
        ledger, dt.date(2020, 6, 1), manager=new_plugin_manager(entry_points=False)
    )
    # reported once per name, and the listing shows both plugins and the clash
    assert len(pm.load_errors) == 2
    listing = plugin_listing(pm)
    assert {(c["kind"], c["name"]) for c in listing["clashes"]} == {
        ("report_formatters", "weekly"),
        ("escalation_rules", "nudge"),
    }
    text = render_text(listing, "en")
    assert f"report formatters weekly: {canonical_name(first)}, {canonical_name(second)}" in text
    for plugin in (first, second):
        assert plugin_listing(pm)["plugins"][-1 if plugin is second else -2]["registers"] == {
            "escalation_rules": ["nudge"],
            "report_formatters": ["weekly"],
        }


def test_two_replacements_of_one_built_in_clash() -> None:
    class One:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            text = ReportFormatter("text", Label("文本", "text"), "txt", "text/plain", _text)
            return [attrs.evolve(text, replaces=True)]

    class Other(One):
        pass

    pm = new_plugin_manager([One(), Other()], entry_points=False)
    assert "text" not in pm.report_formatters() and "html" in pm.report_formatters()
    assert ("campaignkit_report_formatters", "text") in pm.clashes

    # limited to different types, they do not
    class ForProvince:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            text = ReportFormatter("text", Label("文本", "text"), "txt", "text/plain", _text)
            return [attrs.evolve(text, replaces=True, campaign_types=(PROVINCE,))]

    class ForOthers(ForProvince):
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            text = ReportFormatter("text", Label("文本", "text"), "txt", "text/plain", _text)
            return [attrs.evolve(text, replaces=True, campaign_types=("elsewhere",))]

    pm = new_plugin_manager([Province(), ForProvince(), ForOthers()], entry_points=False)
    assert pm.clashes == {} and "text" in pm.report_formatters()


WEEKLY = """
from campaignkit import hookimpl
from campaignkit.rules.records import Label, ReportFormatter

@hookimpl
def campaignkit_report_formatters():
    return [ReportFormatter("weekly", Label("周报", "weekly"), "txt", "text/plain",
                            lambda report, options: b"weekly")]
"""


def test_a_clash_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("weekly_one", "weekly_two"):
        (tmp_path / f"{name}.py").write_text(WEEKLY, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins = ["--plugin", "weekly_one", "--plugin", "weekly_two"]
    assert main([*plugins, "plugins", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "1 clash(es)" in out and "report formatters weekly: weekly_one, weekly_two" in out
    assert main([*plugins, "report", str(EXAMPLE), "--format", "text"]) == 0
    capsys.readouterr()
    assert main([*plugins, "report", str(EXAMPLE), "--format", "weekly", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "'weekly' is registered by 'weekly_one', 'weekly_two'" in err
    assert len(err.strip().splitlines()) == 1


# -- rules ------------------------------------------------------------------------------------


def _counts(actions: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for action in actions:
        found[action.rule] = found.get(action.rule, 0) + 1
    return found


def test_a_campaign_type_chooses_its_rules() -> None:
    class Chooses:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            chosen = ("reopen-dissatisfied", "legacy-meeting", "lights")
            return [attrs.evolve(SISONG, key=PROVINCE, escalation_rules=chosen)]

        @hookimpl
        def campaignkit_escalation_rules(self) -> list[EscalationRule]:
            # a rule for every type: the province's choice still decides for it
            return [EscalationRule("lights", Label("亮灯", "lights"), lambda ctx, issue: ())]

    pm = new_plugin_manager([Chooses()], entry_points=False)
    assert list(pm.escalation_rules(PROVINCE)) == [
        "legacy-meeting",
        "lights",
        "reopen-dissatisfied",
    ]
    assert "yellow-card" in pm.escalation_rules(SISONG.key)
    assert "lights" in pm.escalation_rules(SISONG.key)
    doc = orjson.loads(EXAMPLE.read_bytes())
    built_in = ck.loads(orjson.dumps(doc), manager=pm)
    doc["campaign"]["type"] = PROVINCE
    province = ck.loads(orjson.dumps(doc), manager=pm)
    as_of = dt.date(2020, 7, 31)
    cards = _counts(evaluate(built_in, as_of, manager=pm))
    assert cards.get("yellow-card") or cards.get("red-card")
    assert set(_counts(evaluate(province, as_of, manager=pm))) <= {
        "reopen-dissatisfied",
        "legacy-meeting",
    }
    assert pm.load_errors == []


def test_a_chosen_rule_nobody_registers_is_reported() -> None:
    class Chooses:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            return [attrs.evolve(SISONG, key=PROVINCE, escalation_rules=("red-card", "lihgts"))]

    pm = new_plugin_manager([Chooses()], entry_points=False)
    assert list(pm.escalation_rules(PROVINCE)) == ["red-card"]
    assert [p.message for p in pm.load_errors] == [
        f"campaign type {PROVINCE!r} chooses escalation rule 'lihgts', which no plugin registers"
    ]


def test_a_chosen_rule_limited_to_other_types_is_reported_as_such_when_listed() -> None:
    """A chosen rule registered for other types only is told apart from one nobody
    registers, and both are found when the plugins are listed (``campaignkit plugins``,
    ``campaignkit.testing``), not first when a ledger of the type is escalated."""

    class Chooses:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            chosen = ("red-card", "local-call", "lihgts")
            return [attrs.evolve(SISONG, key=PROVINCE, escalation_rules=chosen)]

        @hookimpl
        def campaignkit_escalation_rules(self) -> list[EscalationRule]:
            return [
                EscalationRule(
                    "local-call",
                    Label("电话催办", "phone call"),
                    lambda ctx, issue: (),
                    campaign_types=(SISONG.key,),
                )
            ]

    pm = new_plugin_manager([Chooses()], entry_points=False)
    pm.registrations()
    assert [p.message for p in pm.load_errors] == [
        f"campaign type {PROVINCE!r} chooses escalation rule 'local-call', which is registered"
        f" for other campaign types only ({SISONG.key}): add {PROVINCE!r} to its campaign_types",
        f"campaign type {PROVINCE!r} chooses escalation rule 'lihgts', which no plugin registers",
    ]
    assert "只为别的活动类型注册" in pm.load_errors[0].text("zh")
    assert list(pm.escalation_rules(PROVINCE)) == ["red-card"]


def test_a_rule_replaced_for_one_type() -> None:
    class Quieter:
        @hookimpl
        def campaignkit_escalation_rules(self) -> list[EscalationRule]:
            return [
                EscalationRule(
                    "red-card",
                    Label("不发红牌", "no red cards"),
                    lambda ctx, issue: (),
                    campaign_types=(PROVINCE,),
                    replaces=True,
                )
            ]

    pm = new_plugin_manager([Province(), Quieter()], entry_points=False)
    doc = orjson.loads(EXAMPLE.read_bytes())
    built_in = ck.loads(orjson.dumps(doc), manager=pm)
    doc["campaign"]["type"] = PROVINCE
    province = ck.loads(orjson.dumps(doc), manager=pm)
    as_of = dt.date(2020, 7, 31)
    plain = new_plugin_manager(entry_points=False)
    assert evaluate(built_in, as_of, manager=pm) == evaluate(built_in, as_of, manager=plain)
    assert "red-card" in _counts(evaluate(built_in, as_of, manager=pm))
    assert "red-card" not in _counts(evaluate(province, as_of, manager=pm))
    assert pm.owner("campaignkit_escalation_rules", "red-card", PROVINCE) != pm.owner(
        "campaignkit_escalation_rules", "red-card"
    )


# -- calendars and metrics --------------------------------------------------------------------


def test_a_calendar_replaced_for_one_type() -> None:
    saturday = dt.date(2020, 4, 18)

    def every_day(day: dt.date) -> bool | None:
        return True

    class SixDays:
        @hookimpl
        def campaignkit_calendars(self) -> list[WorkdayCalendar]:
            return [
                WorkdayCalendar(
                    "cn-statutory",
                    Label("每天上班", "every day"),
                    every_day,
                    campaign_types=(PROVINCE,),
                    replaces=True,
                    pure=True,
                )
            ]

    pm = new_plugin_manager([Province(), SixDays()], entry_points=False)
    built_in, province = _ledgers(pm)
    assert not Workspace.open(built_in, manager=pm).calendar.is_workday(saturday)
    assert Workspace.open(province, manager=pm).calendar.is_workday(saturday)


def test_a_metric_of_the_type_replaced() -> None:
    class Counts:
        @hookimpl
        def campaignkit_metrics(self) -> list[MetricDef]:
            own = next(m for m in SISONG.metrics if m.id == "symposiums")
            return [attrs.evolve(own, label=Label("座谈会(场次)", "symposiums"), replaces=True)]

    pm = new_plugin_manager([Counts()], entry_points=False)
    ctype = pm.campaign_type(SISONG.key)
    assert [m.id for m in ctype.metrics] == [m.id for m in SISONG.metrics]  # in its place
    mine = next(m for m in ctype.metrics if m.id == "symposiums")
    assert mine.label.zh == "座谈会(场次)"
    assert pm.replaced("campaignkit_metrics", "symposiums") == next(
        m for m in SISONG.metrics if m.id == "symposiums"
    )
    ledger = ck.load(EXAMPLE, manager=pm)
    plain = new_plugin_manager(entry_points=False)
    assert (
        compute(make_context(ledger, manager=pm), "symposiums").value
        == compute(make_context(ledger, manager=plain), "symposiums").value
    )
    assert pm.load_errors == []


# -- what overdue shows -----------------------------------------------------------------------


PHONES = """
import attrs
from campaignkit import hookimpl
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE as SISONG
from campaignkit.rules.lifecycle import Transition
from campaignkit.rules.records import Label

PHONED = Transition(
    "phoned", ("raised", "assigned", "in_progress", "paused"), None, None,
    Label("电话催办", "phoned"),
)
PROVINCE = attrs.evolve(
    SISONG,
    key="province-x",
    lifecycle=attrs.evolve(
        SISONG.lifecycle, transitions=(*SISONG.lifecycle.transitions, PHONED)
    ),
    policy=attrs.evolve(SISONG.policy, actions=(*SISONG.policy.actions, "phoned")),
)

@hookimpl
def campaignkit_campaign_types():
    return [PROVINCE]
"""


def test_an_action_kind_of_the_type_is_shown_by_overdue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province's 电话催办 (``phoned``), an action of its policy, is listed by
    ``overdue`` among the actions taken on the clock it follows."""
    (tmp_path / "phones.py").write_text(PHONES, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    doc = minimal_document()
    doc["campaign"]["type"] = PROVINCE
    issue = next(i for i in doc["issues"] if i["events"] and i["events"][0]["kind"] == "assigned")
    day = issue["events"][0]["date"]
    issue["events"] = [issue["events"][0], {"kind": "phoned", "date": day}]
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(doc))
    as_of = doc["campaign"]["period"]["end"]
    assert main(["--plugin", "phones", "overdue", str(path), "--as-of", as_of]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if issue["id"] in line]
    assert rows and all("电话催办" in row for row in rows)
    # without it among the policy's actions, the event is no action taken
    pm = new_plugin_manager(["phones"], entry_points=False)
    province = pm.campaign_type(PROVINCE)
    plain = attrs.evolve(province, policy=attrs.evolve(province.policy, actions=()))
    ledger = ck.load(path, manager=pm)
    position = [i["id"] for i in doc["issues"]].index(issue["id"])
    for ctype, cards in ((province, ("phoned",)), (plain, ())):
        ws = Workspace(
            ledger, campaign_type=ctype, calendar=Workspace.open(ledger, manager=pm).calendar
        )
        assert {c.moments.cards for c in ws.deriver.view(ledger.issues[position]).clocks} == {cards}


def test_a_type_chooses_its_issue_figures_and_section_titles() -> None:
    class Titled:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            return [
                attrs.evolve(
                    SISONG,
                    key=PROVINCE,
                    issue_figures=("issues_resolved", "issues_collected"),
                    titles=(
                        ("outcomes", Label("项目落地成果", "Projects landed")),
                        ("issue_handling", Label("诉求办理", "Requests handled")),
                    ),
                )
            ]

    pm = new_plugin_manager([Titled()], entry_points=False)
    built_in, province = _ledgers(pm)
    mine = build_report(province, manager=pm)
    assert list(mine.issue_figures) == ["issues_resolved", "issues_collected"]
    text = render(mine, "text", manager=pm).decode()
    assert "项目落地成果" in text and "诉求办理" in text and "要素对接与招商成果" not in text
    theirs = render(build_report(built_in, manager=pm), "text", manager=pm).decode()
    assert "要素对接与招商成果" in theirs and "问题办理情况" in theirs
    assert next(iter(build_report(built_in, manager=pm).issue_figures)) == "issues_collected"


def test_the_type_checks_its_issue_figures_and_titles() -> None:
    wrong = attrs.evolve(
        SISONG,
        key=PROVINCE,
        issue_figures=("issues_colected",),
        titles=(("outcome", Label("成果", "outcomes")),),
    )
    assert wrong.problems() == (
        "issue figure 'issues_colected' is not a metric of the type",
        "title of unknown report section 'outcome' (known: issue_handling, issue_status, "
        "outcomes, summary_by_category)",
    )


def test_clashes_of_calendars_and_metrics_leave_the_rest_working() -> None:
    def holiday(day: dt.date) -> bool | None:
        return False if day == dt.date(2020, 4, 20) else None

    def registers(name: str) -> object:
        class Registers:
            @hookimpl
            def campaignkit_calendars(self) -> list[WorkdayCalendar]:
                return [WorkdayCalendar("local-holidays", Label("本地假日", "local"), holiday)]

            @hookimpl
            def campaignkit_metrics(self) -> list[MetricDef]:
                own = next(m for m in SISONG.metrics if m.id == "symposiums")
                return [attrs.evolve(own, id="symposiums_again")]

        Registers.__qualname__ = name
        return Registers()

    first, second = registers("First"), registers("Second")
    pm = new_plugin_manager([first, second], entry_points=False)
    plain = new_plugin_manager(entry_points=False)
    assert set(pm.calendars()) == set(plain.calendars())  # the clashing one is unusable
    ctype = pm.campaign_type(SISONG.key)
    assert [m.id for m in ctype.metrics] == [m.id for m in SISONG.metrics]
    ledger = ck.load(EXAMPLE, manager=pm)
    assert (
        compute(make_context(ledger, manager=pm), "symposiums").value
        == compute(make_context(ledger, manager=plain), "symposiums").value
    )
    assert Workspace.open(ledger, manager=pm).calendar.is_workday(dt.date(2020, 4, 20))
    listing = plugin_listing(pm)
    assert {(c["kind"], c["name"]) for c in listing["clashes"]} == {
        ("calendars", "local-holidays"),
        ("metrics", "symposiums_again"),
    }
    for entry in listing["plugins"][-2:]:
        assert entry["registers"] == {
            "metrics": ["symposiums_again"],
            "calendars": ["local-holidays"],
        }
    assert len(pm.load_errors) == 2


def test_two_plugins_may_each_register_a_name_for_their_own_types() -> None:
    """Records of one name for different campaign types are each their types'; for one
    type (or without types) they clash."""
    from campaignkit.rules.records import Validator

    def validating(name: str, types: tuple[str, ...]) -> object:
        class Validates:
            @hookimpl
            def campaignkit_validators(self) -> list[Validator]:
                return [Validator("local", Label(name, name), lambda ledger, ct: (), types)]

        Validates.__qualname__ = name
        return Validates()

    first = validating("First", (SISONG.key,))
    second = validating("Second", (PROVINCE,))
    pm = new_plugin_manager([Province(), first, second], entry_points=False)
    assert pm.validators(SISONG.key)["local"].label.zh == "First"
    assert pm.validators(PROVINCE)["local"].label.zh == "Second"
    assert pm.clashes == {} and pm.load_errors == []
    third = validating("Third", (PROVINCE, "elsewhere"))
    pm = new_plugin_manager([Province(), first, second, third], entry_points=False)
    assert "local" not in pm.validators(PROVINCE) and ("campaignkit_validators", "local") in (
        pm.clashes
    )
