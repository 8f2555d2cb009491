"""Faulty plugins are reported by name; the core's data is unchanged; the others keep working."""

from __future__ import annotations

import time
import types
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.hooks.manager import new_plugin_manager
from campaignkit.hooks.specs import hookimpl
from campaignkit.hooks.watchdog import PluginTimeout, call_with_timeout, configured_timeout
from campaignkit.rules.records import Label, Validator


def plugin(name: str, **hooks: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook_name, func in hooks.items():
        setattr(module, hook_name, hookimpl(func))
    return module


def hangs_registering() -> Iterator[Validator]:
    time.sleep(5)
    yield from ()


def hangs_midway() -> Iterator[Validator]:
    yield Validator("half", Label("半", "half"), lambda ledger, ctype: iter(()))
    time.sleep(5)


def raises() -> list[Validator]:
    raise RuntimeError("database unreachable")


def wrong_type() -> list[str]:
    return ["not a validator"]


@pytest.mark.parametrize(
    ("name", "hook", "message"),
    [
        ("slowpoke", hangs_registering, "did not finish within 0.3 s"),
        ("halfway", hangs_midway, "did not finish within 0.3 s"),
        ("grumpy", raises, "raised RuntimeError: database unreachable"),
        ("confused", wrong_type, "str"),
    ],
)
def test_faulty_validator_plugin_is_reported_and_the_rest_works(
    name: str, hook: Any, message: str, document: dict[str, Any]
) -> None:
    pm = new_plugin_manager(
        [plugin(name, campaignkit_validators=hook)], entry_points=False, timeout=0.3
    )
    started = time.monotonic()
    validators = pm.validators()
    assert time.monotonic() - started < 3  # nobody waited for the sleeper
    # the built-in validators are all still there, the faulty plugin's are not
    assert {"visits-name-enterprises", "stationed-team-regions"} <= set(validators)
    assert "half" not in validators
    problems = [str(p) for p in pm.load_errors if p.plugin == name]
    assert problems and message in problems[0], pm.load_errors
    # the core still loads and validates ledgers with this manager, with the same result
    ledger = ck.loads(orjson.dumps(document), manager=pm)
    assert ledger == ck.loads(
        orjson.dumps(document), manager=new_plugin_manager(entry_points=False)
    )
    assert pm.campaign_type("sisong-yifu").key == "sisong-yifu"


def test_hanging_event_hook_does_not_hang_the_caller(document: dict[str, Any]) -> None:
    calls: list[str] = []

    def sleepy(path: str, ledger: ck.Ledger) -> None:
        time.sleep(5)

    def quick(path: str, ledger: ck.Ledger) -> None:
        calls.append(path)

    pm = new_plugin_manager(
        [
            plugin("sleepy", campaignkit_ledger_saved=sleepy),
            plugin("quick", campaignkit_ledger_saved=quick),
        ],
        entry_points=False,
        timeout=0.3,
    )
    started = time.monotonic()
    pm.notify("campaignkit_ledger_saved", path="x.json", ledger=ck.loads(orjson.dumps(document)))
    assert time.monotonic() - started < 3
    assert calls == ["x.json"]
    assert any(p.plugin == "sleepy" and "did not finish" in p.message for p in pm.load_errors)


def test_watchdog_passes_results_and_errors_through() -> None:
    assert call_with_timeout(lambda a, b: a + b, 2, 3, timeout=1, what="add") == 5
    with pytest.raises(ZeroDivisionError):
        call_with_timeout(lambda: 1 / 0, timeout=1, what="divide")
    with pytest.raises(PluginTimeout, match=r"nap did not finish within 0\.1 s"):
        call_with_timeout(time.sleep, 2, timeout=0.1, what="nap")
    assert call_with_timeout(lambda: "direct", timeout=None, what="no limit") == "direct"


def test_timeout_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_PLUGIN_TIMEOUT", "2.5")
    assert configured_timeout() == 2.5
    assert new_plugin_manager(entry_points=False).timeout == 2.5
    monkeypatch.setenv("CAMPAIGNKIT_PLUGIN_TIMEOUT", "0")
    assert configured_timeout() is None
    monkeypatch.setenv("CAMPAIGNKIT_PLUGIN_TIMEOUT", "soon")
    assert configured_timeout() == 30.0


# -- escalation rules and formatters -------------------------------------------------------


def _huainan() -> ck.Ledger:
    from pathlib import Path

    return ck.load(Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json")


def test_hanging_escalation_rule_is_skipped_by_name() -> None:
    import datetime as dt

    from campaignkit.escalation.engine import assess
    from campaignkit.rules.records import EscalationRule

    ledger = _huainan()
    as_of = dt.date(2020, 5, 6)
    stuck_on = ledger.issues[len(ledger.issues) // 2].id

    def stalls(ctx: Any, issue: ck.Issue) -> Iterator[Any]:
        if issue.id == stuck_on:
            time.sleep(5)
        yield from ()

    def rules() -> Iterator[EscalationRule]:
        yield EscalationRule("stalls", Label("卡住", "stalls"), stalls)

    healthy = new_plugin_manager(entry_points=False, timeout=None)
    pm = new_plugin_manager(
        [plugin("stuck", campaignkit_escalation_rules=rules)], entry_points=False, timeout=0.5
    )
    started = time.monotonic()
    result = assess(ledger, as_of, manager=pm)
    assert time.monotonic() - started < 4.5
    [failure] = result.failures
    assert failure.rule == "stalls" and failure.plugin == "stuck" and failure.issue == stuck_on
    assert "did not finish within 0.5 s" in str(failure)
    # the built-in rules still ran, with the same proposals as without the faulty plugin
    assert result.actions == assess(ledger, as_of, manager=healthy).actions
    assert result.actions
    assert "stalls" not in result.rules


def test_raising_escalation_rule_is_reported_and_the_others_run() -> None:
    import datetime as dt

    from campaignkit.escalation.engine import assess
    from campaignkit.rules.records import EscalationRule

    ledger = _huainan()

    def broken(ctx: Any, issue: ck.Issue) -> Iterator[Any]:
        raise LookupError("no such department")

    def rules() -> Iterator[EscalationRule]:
        yield EscalationRule("broken", Label("坏", "broken"), broken)

    pm = new_plugin_manager(
        [plugin("brittle", campaignkit_escalation_rules=rules)], entry_points=False
    )
    result = assess(ledger, dt.date(2020, 5, 6), manager=pm)
    assert {f.rule for f in result.failures} == {"broken"}
    assert all("LookupError: no such department" in str(f) for f in result.failures)
    assert result.actions == assess(ledger, dt.date(2020, 5, 6)).actions


def _late(report: Any, options: Any) -> bytes:
    time.sleep(5)
    return b"late"


@pytest.mark.parametrize(
    ("render", "message"),
    [
        (
            lambda report, options: (_ for _ in ()).throw(RuntimeError("printer on fire")),
            "failed: RuntimeError: printer on fire",
        ),
        (lambda report, options: "text, not bytes", "returned str, expected bytes"),
        (_late, "did not finish within 1 s"),
    ],
)
def test_faulty_formatter_is_reported_by_name(render: Any, message: str) -> None:
    from campaignkit.report.build import build_report
    from campaignkit.report.build import render as render_report
    from campaignkit.rules.records import ReportFormatter

    def formatters() -> Iterator[ReportFormatter]:
        yield ReportFormatter("faulty", Label("坏格式", "faulty"), "txt", "text/plain", render)

    pm = new_plugin_manager(
        [plugin("inkjet", campaignkit_report_formatters=formatters)],
        entry_points=False,
        timeout=0.1,
    )
    ledger = _huainan()
    report = build_report(ledger, manager=pm)
    with pytest.raises(ck.PluginError) as info:
        render_report(report, "faulty", manager=pm)
    assert "report formatter 'faulty' of plugin 'inkjet'" in str(info.value)
    assert message in str(info.value)
    # the built-in formatters still work on the same report, and the ledger is untouched
    assert "215" in render_report(report, "text", manager=pm).decode("utf-8")
    assert report.ledger == _huainan()


def test_built_in_formats_have_no_time_limit() -> None:
    # under a limit far shorter than any render only plugins' formats are held to it
    from campaignkit.report.build import build_report
    from campaignkit.report.build import render as render_report

    pm = new_plugin_manager([], entry_points=False, timeout=None)
    report = build_report(_huainan(), manager=pm)
    assert pm.report_formatters(report.context.campaign_type.key)  # gathered once, kept
    # now a limit far shorter than any render (gathering the formatters under it would be
    # a race the hook calls may lose on a busy machine)
    pm.timeout = 1e-6
    for fmt in ("text", "csv", "json", "markdown"):
        assert render_report(report, fmt, manager=pm)


# -- faults in the code a plugin's records carry, seen from the command line -------------

HUAINAN_FILE = "examples/huainan-2020/ledger.json"

_PLUGIN_HEAD = """
import datetime as dt
from campaignkit import hookimpl
from campaignkit.stats.contributions import Contribution
from campaignkit.errors import Problem
from campaignkit.rules.records import Label, MetricDef, Validator, WorkdayCalendar
"""


@pytest.fixture
def plugin_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Write a plugin module ``name`` (importable for ``--plugin name``) from its body."""
    import sys
    import textwrap

    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(__import__("pathlib").Path(__file__).parents[2])
    written: list[str] = []

    def write(name: str, body: str) -> str:
        (tmp_path / f"{name}.py").write_text(_PLUGIN_HEAD + textwrap.dedent(body), "utf-8")
        written.append(name)
        return name

    yield write
    for name in written:
        sys.modules.pop(name, None)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    from campaignkit.cli.app import main

    code = main(list(argv))
    return code, capsys.readouterr().err


_RAISING_METRIC = """
def contributions(ctx):
    raise RuntimeError("printer on fire")

@hookimpl
def campaignkit_metrics():
    yield MetricDef("on_fire", Label("着火", "on fire"), Label("个", ""), contributions)
"""


def test_a_raising_plugin_metric_is_one_line_naming_it(
    plugin_file: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    name = plugin_file("metric_on_fire", _RAISING_METRIC)
    code, err = _cli(capsys, "--plugin", name, "summary", HUAINAN_FILE, "--lang", "en")
    assert (code, err) == (
        1,
        "error: metric 'on_fire' of plugin 'metric_on_fire' failed: RuntimeError: printer on fire\n",
    )
    code, err = _cli(capsys, "--plugin", name, "summary", HUAINAN_FILE)
    assert (code, err) == (
        1,
        "error: 插件 'metric_on_fire' 的指标 'on_fire' 出错：RuntimeError: printer on fire\n",
    )


@pytest.mark.parametrize(
    ("produce", "message"),
    [
        ("return 42", "TypeError: 'int' object is not iterable"),
        (
            "return ['junk']",
            "TypeError: a contribution must be a Contribution or a tuple of its fields, "
            "got str 'junk'",
        ),
        (
            "return [Contribution(record=ctx.ledger.issues[0].id, value='abc')]",
            "TypeError: unsupported operand",
        ),
    ],
)
def test_a_plugin_metric_giving_no_contributions_is_named(
    produce: str, message: str, plugin_file: Any
) -> None:
    from campaignkit.stats.metrics import compute

    name = plugin_file(
        "metric_junk",
        f"""
        def contributions(ctx):
            {produce}

        @hookimpl
        def campaignkit_metrics():
            yield MetricDef("junk", Label("乱", "junk"), Label("个", ""), contributions, "sum")
        """,
    )
    pm = new_plugin_manager([name], entry_points=False)
    with pytest.raises(ck.PluginError) as info:
        compute(_huainan(), "junk", manager=pm)
    assert str(info.value).startswith("metric 'junk' of plugin 'metric_junk' failed: ")
    assert message in str(info.value)
    # the built-in metrics of the same ledger are unharmed
    assert compute(_huainan(), "issues_collected", manager=pm).value == 217


@pytest.mark.parametrize("aggregate", ["count", "distinct", "sum"])
def test_record_ids_given_for_contributions_are_refused_not_counted(
    aggregate: str, plugin_file: Any
) -> None:
    from campaignkit.stats.metrics import compute

    name = plugin_file(
        "metric_ids",
        f"""
        def contributions(ctx):
            return [issue.id for issue in ctx.ledger.issues]

        @hookimpl
        def campaignkit_metrics():
            yield MetricDef("ids", Label("编号", "ids"), Label("个", ""), contributions, {aggregate!r})
        """,
    )
    pm = new_plugin_manager([name], entry_points=False)
    first = _huainan().issues[0].id
    with pytest.raises(ck.PluginError) as info:
        compute(_huainan(), "ids", manager=pm)
    assert str(info.value) == (
        "metric 'ids' of plugin 'metric_ids' failed: TypeError: a contribution must be a "
        f"Contribution or a tuple of its fields, got str {first!r}"
    )


CALENDAR_ON_FIRE = """
def is_workday(day):
    raise RuntimeError("calendar on fire")

@hookimpl
def campaignkit_calendars():
    label = Label("坏日历", "broken calendar")
    yield WorkdayCalendar("on-fire", label, is_workday, (2020,), 100)
"""
"""A plugin whose working-day calendar raises on every day asked."""


def test_plugin_code_that_raises_anywhere_is_named_with_its_place(
    plugin_file: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # a working-day calendar whose answer raises, asked by the overdue listing
    name = plugin_file(
        "calendar_on_fire",
        CALENDAR_ON_FIRE,
    )
    code, err = _cli(capsys, "--plugin", name, "overdue", HUAINAN_FILE, "--lang", "en")
    assert code == 1
    assert err.startswith(
        "error: plugin 'calendar_on_fire' failed: RuntimeError: calendar on fire "
        "(calendar_on_fire.py:"
    )
    assert err.endswith(" in is_workday)\n") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("body", "raised"),
    [
        ('raise RuntimeError("calendar on fire")', RuntimeError),
        ('return "no"', ck.PluginError),  # an answer of the wrong type
    ],
)
def test_a_failing_plugin_calendar_is_the_plugins_failure_when_loading_a_workspace(
    plugin_file: Any, body: str, raised: type[Exception]
) -> None:
    """Loading a workspace derives the clocks while validating: a plugin calendar that
    fails there is raised as the plugin's failure (named by the manager), not reported as
    a problem of every issue's history, as a calendar's arithmetic out of range is."""
    name = plugin_file(
        "calendar_failing",
        f"""
        def is_workday(day):
            {body}

        @hookimpl
        def campaignkit_calendars():
            label = Label("坏日历", "broken calendar")
            yield WorkdayCalendar("failing", label, is_workday, (2020,), 100)
        """,
    )
    pm = new_plugin_manager([name], entry_points=False)
    with pytest.raises(raised) as info:
        ck.load_workspace(HUAINAN_FILE, manager=pm)
    if raised is RuntimeError:
        assert pm.culprit(info.value) is not None
        assert pm.culprit(info.value)[0] == name  # type: ignore[index]
    else:
        assert "'failing'" in str(info.value)
    assert ck.load(HUAINAN_FILE, manager=pm).issues  # validating states alone asks no calendar


def test_problems_found_while_a_command_runs_are_printed(
    plugin_file: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # the validators hook raises only when the command asks for validators
    name = plugin_file(
        "validators_on_fire",
        """
        @hookimpl
        def campaignkit_validators():
            raise RuntimeError("validators on fire")
        """,
    )
    code, err = _cli(capsys, "--plugin", name, "validate", HUAINAN_FILE, "--lang", "en")
    assert code == 0
    assert err == (
        "warning: plugin 'validators_on_fire': campaignkit_validators raised "
        "RuntimeError: validators on fire\n"
    )
    _, err = _cli(capsys, "--plugin", name, "validate", HUAINAN_FILE)
    assert err == (
        "warning: 插件 'validators_on_fire'：campaignkit_validators 出错："
        "RuntimeError: validators on fire\n"
    )


@pytest.mark.parametrize(
    ("record", "wrong"),
    [
        ('MetricDef(None, Label("甲", "a"), Label("个", ""), lambda ctx: [])', "id: expected str, got NoneType"),
        ('MetricDef("a", "not a label", Label("个", ""), lambda ctx: [])', "label: expected Label, got str"),
        ('MetricDef("a", Label("甲", "a"), Label("个", ""), lambda ctx: [], value_kind="litres")', "value_kind: expected Literal"),
        ('MetricDef("a", Label("甲", "a"), Label("个", ""), 42)', "contributions: expected Callable"),
        ('MetricDef("a", Label("甲", "a"), Label("个", ""), lambda ctx: [], campaign_types=("x", 1))', "campaign_types: expected tuple[str, ...]"),
    ],
)  # fmt: skip
def test_a_record_with_a_field_of_the_wrong_type_is_left_out(
    record: str, wrong: str, plugin_file: Any
) -> None:
    name = plugin_file(
        "wrong_field",
        f"""
        @hookimpl
        def campaignkit_metrics():
            yield {record}
            yield MetricDef("fine", Label("好", "fine"), Label("个", ""), lambda ctx: [])
        """,
    )
    pm = new_plugin_manager([name], entry_points=False)
    assert set(pm.metrics()) == {"fine"}
    [problem] = [p for p in pm.load_errors if p.plugin == name]
    assert problem.message.startswith("MetricDef ") and " left out: " in problem.message
    assert wrong in problem.message


def test_a_calendar_with_a_text_priority_is_left_out(plugin_file: Any) -> None:
    from campaignkit.derive.calendar import WorkCalendar

    name = plugin_file(
        "calendar_priority",
        """
        @hookimpl
        def campaignkit_calendars():
            label = Label("日历", "calendar")
            yield WorkdayCalendar("text-priority", label, lambda day: None, (2020,), "high")
        """,
    )
    pm = new_plugin_manager([name], entry_points=False)
    assert "text-priority" not in pm.calendars()
    assert [c.name for c in WorkCalendar.from_manager(pm).calendars] == ["cn-statutory"]
    assert [p.message for p in pm.load_errors] == [
        "WorkdayCalendar 'text-priority' left out: priority: expected int, got str 'high'"
    ]


@pytest.mark.parametrize(
    ("found", "message"),
    [
        ('["junk"]', "MalformedProblem: gave str 'junk', expected Problem"),
        ('[Problem("issues[0]", 42)]', "MalformedProblem: gave a Problem with message: expected str, got int 42"),
    ],
)  # fmt: skip
def test_a_validator_giving_no_problems_is_named(
    found: str, message: str, plugin_file: Any
) -> None:
    name = plugin_file(
        "validator_junk",
        f"""
        @hookimpl
        def campaignkit_validators():
            yield Validator("junk", Label("乱", "junk"), lambda ledger, ctype: {found})
        """,
    )
    pm = new_plugin_manager([name], entry_points=False)
    with pytest.raises(ck.LedgerError) as info:
        ck.load(HUAINAN_FILE, manager=pm)
    [problem] = info.value.problems
    assert problem.message.startswith(f"validator 'junk' of plugin '{name}' failed: {message}")
    assert problem.text() != problem.text("en")  # worded in Chinese as well
    assert isinstance(info.value, ck.LedgerError)


CHINESE_FAILURES = [
    (
        "raise RuntimeError('validator exploded')",
        "RuntimeError: validator exploded",
    ),
    (
        "return ['issues[0]: something wrong']",
        "MalformedProblem: 给出的是 str 'issues[0]: something wrong'，应为 Problem",
    ),
    (
        "return [Problem('issues[0]', 42)]",
        "MalformedProblem: 给出的 Problem 有误：message：应为 str 类型的值，实际是 int 42",
    ),
    (
        "return [Problem.of('unknown-reference', 'issues[0]', key='x')]",
        "MalformedProblem: 问题 'unknown-reference' 缺少参数 what",
    ),
    (
        "return [Problem.of('jiangxi.no-such-code', 'issues[0]', thing='x')]",
        "MalformedProblem: 给出的问题代码 'jiangxi.no-such-code' 不在消息目录里："
        "请在插件导入时用 campaignkit.plugins.register 登记它的中英文措辞",
    ),
]


@pytest.mark.parametrize(("body", "why"), CHINESE_FAILURES)
def test_a_failing_validator_is_worded_in_chinese_naming_its_plugin(
    body: str, why: str, plugin_file: Any
) -> None:
    name = plugin_file(
        "validator_failing",
        f"""
        from campaignkit.errors import Problem

        def check(ledger, ctype):
            {body}

        @hookimpl
        def campaignkit_validators():
            yield Validator("v", Label("校验", "check"), check)
        """,
    )
    pm = new_plugin_manager([name], entry_points=False)
    with pytest.raises(ck.LedgerError) as info:
        ck.load(HUAINAN_FILE, manager=pm)
    [problem] = info.value.problems
    assert problem.phrase.text("zh") == f"插件 '{name}' 的校验 'v' 出错：{why}"


def test_an_action_dated_with_text_is_a_failure_of_its_rule() -> None:
    import datetime as dt

    from campaignkit.escalation.engine import Action, assess
    from campaignkit.rules.records import EscalationRule

    ledger = _huainan()

    def text_dates(ctx: Any, issue: ck.Issue) -> Iterator[Any]:
        if ctx.allows(issue, "supervised"):
            yield Action(issue.id, "supervised", "text-dates", ctx.as_of.isoformat(), "x")

    def rules() -> Iterator[EscalationRule]:
        yield EscalationRule("text-dates", Label("文本日期", "text dates"), text_dates)

    pm = new_plugin_manager(
        [plugin("scribe", campaignkit_escalation_rules=rules)], entry_points=False
    )
    result = assess(ledger, dt.date(2020, 5, 6), manager=pm)
    assert result.failures and {f.rule for f in result.failures} == {"text-dates"}
    assert all(
        "proposed an action dated '2020-05-06', expected a date" in str(f) for f in result.failures
    )
    assert result.actions == assess(ledger, dt.date(2020, 5, 6)).actions


def test_a_calendar_answering_text_is_refused_by_name() -> None:
    from campaignkit.derive.calendar import WorkCalendar
    from campaignkit.rules.records import WorkdayCalendar

    def answer(day: Any) -> Any:
        return "no"  # the mistake under test: text, not a bool

    wordy = WorkdayCalendar("wordy", Label("啰嗦", "wordy"), answer, (2020,), 100)
    with pytest.raises(ck.PluginError) as info:
        WorkCalendar((wordy,)).is_workday(__import__("datetime").date(2020, 5, 1))
    assert str(info.value) == (
        "calendar 'wordy' answered 'no' for 2020-01-01; expected True, False or None"
    )


def test_a_calendar_answering_text_names_its_plugin(
    plugin_file: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    name = plugin_file(
        "calendar_wordy",
        """
        @hookimpl
        def campaignkit_calendars():
            label = Label("啰嗦", "wordy")
            yield WorkdayCalendar("wordy", label, lambda day: "no", (2020,), 100)
        """,
    )
    code, err = _cli(capsys, "--plugin", name, "overdue", HUAINAN_FILE, "--lang", "en")
    assert (code, err) == (
        1,
        "error: calendar 'wordy' (plugin 'calendar_wordy') answered 'no' for 2020-01-01; "
        "expected True, False or None\n",
    )
    code, err = _cli(capsys, "--plugin", name, "overdue", HUAINAN_FILE)
    assert (code, err) == (
        1,
        "error: 插件 'calendar_wordy' 的工作日历 'wordy' 对 2020-01-01 的回答是 'no'，"
        "应为 True、False 或 None\n",
    )


def test_a_list_where_a_tuple_is_declared_is_kept() -> None:
    from campaignkit.rules.records import wrong_fields

    lenient = Validator(
        "lists",
        Label("列表", "lists"),
        lambda ledger, ctype: [],
        ["sisong-yifu"],  # type: ignore[arg-type]
    )
    assert list(wrong_fields(lenient)) == []
    pm = new_plugin_manager(
        [plugin("lister", campaignkit_validators=lambda: [lenient])], entry_points=False
    )
    assert "lists" in pm.validators("sisong-yifu")
    text: Any = "x"  # a string is a sequence too, but not of names
    wordy = Validator("text", Label("文", "text"), lambda ledger, ctype: [], text)
    assert list(wrong_fields(wordy)) == ["campaign_types: expected tuple[str, ...], got str 'x'"]


def test_the_culprit_is_the_plugin_whose_own_file_raised(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    package = tmp_path / "acme"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def fine():\n    return 1\n")
    (package / "b.py").write_text("def broken():\n    raise RuntimeError('b broke')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        pm = new_plugin_manager(["acme.a", "acme.b"], entry_points=False)
        from acme.b import broken  # type: ignore[import-not-found]

        with pytest.raises(RuntimeError) as info:
            broken()
        assert pm.culprit(info.value) == ("acme.b", "b.py:2 in broken")
        # campaignkit's own plugins are never the culprit: their errors are campaignkit's
        from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE

        with pytest.raises(Exception) as own:
            CAMPAIGN_TYPE.metric("no such metric")
        assert pm.culprit(own.value) is None
    finally:
        for name in [m for m in sys.modules if m == "acme" or m.startswith("acme.")]:
            del sys.modules[name]


def test_the_language_of_usage_errors_is_the_last_lang_given() -> None:
    from campaignkit.cli.app import asked_lang

    assert asked_lang(["report", "x", "--lang", "zh", "--lang", "en"]) == "en"
    assert asked_lang(["report", "x", "--lan", "en"]) == "en"
    assert asked_lang(["report", "x", "--lang=en"]) == "en"
    assert asked_lang(["report", "--", "--lang", "en"]) == "zh"
    assert asked_lang(["report", "x", "--lang", "fr"]) == "zh"
    assert asked_lang(["report", "x", "--l", "en"]) == "zh"  # too short to be --lang
    assert asked_lang(["report", "x", "--l", "en"], shortest=3) == "en"


def test_lang_may_be_abbreviated_as_argparse_allows(capsys: pytest.CaptureFixture[str]) -> None:
    from campaignkit.cli.app import build_parser, lang_abbreviation, main
    from tests.cli.test_cli import HUAINAN

    # no other option starts with --l, so argparse takes --l for --lang
    assert lang_abbreviation(build_parser()) == 3
    assert main(["summary", str(HUAINAN), "--headline", "--l", "en"]) == 0
    assert "enterprises visited" in capsys.readouterr().out
    assert main(["--l", "en", "summary", str(HUAINAN), "--headline"]) == 0
    assert "enterprises visited" in capsys.readouterr().out


def test_a_plugin_calendar_failing_inside_a_metric_is_the_calendars_failure(
    plugin_file: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A built-in metric that asks a plugin's calendar which fails: the failure is the
    calendar's, named with its place, not the metric's plugin's."""
    from campaignkit.stats.metrics import compute

    name = plugin_file(
        "calendar_in_summary",
        CALENDAR_ON_FIRE,
    )
    pm = new_plugin_manager([name], entry_points=False)
    with pytest.raises(RuntimeError, match="calendar on fire") as info:
        compute(_huainan(), "issues_overdue", manager=pm)
    assert not isinstance(info.value, ck.PluginError)
    assert pm.culprit(info.value) is not None
    assert pm.culprit(info.value)[0] == name  # type: ignore[index]
    assert compute(_huainan(), "issues_collected", manager=pm).value == 217
    code, err = _cli(capsys, "--plugin", name, "summary", HUAINAN_FILE, "--lang", "en")
    assert code == 1
    assert err.startswith(
        "error: plugin 'calendar_in_summary' failed: RuntimeError: calendar on fire "
        "(calendar_in_summary.py:"
    )


def test_a_rule_failing_in_another_plugins_code_names_that_plugin(plugin_file: Any) -> None:
    """An escalation rule that calls into another plugin's code, which raises: the failure
    is still the rule's (the other rules run), and it names the plugin whose code raised
    and where; a rule that fails in its own code is worded as before."""
    import datetime as dt

    from campaignkit.escalation.engine import assess

    helper = plugin_file(
        "helpers_on_fire",
        """
        def overdue_days(issue):
            raise RuntimeError("helper on fire")
        """,
    )
    rules = plugin_file(
        "rule_with_helper",
        f"""
        import {helper}
        from campaignkit.rules.records import EscalationRule

        def uses_helper(ctx, issue):
            {helper}.overdue_days(issue)
            yield from ()

        def fails_itself(ctx, issue):
            raise ValueError("own fault")

        @hookimpl
        def campaignkit_escalation_rules():
            yield EscalationRule("uses-helper", Label("用助手", "uses helper"), uses_helper)
            yield EscalationRule("fails-itself", Label("自己错", "fails itself"), fails_itself)
        """,
    )
    ledger, as_of = _huainan(), dt.date(2020, 5, 6)
    pm = new_plugin_manager([helper, rules], entry_points=False)
    result = assess(ledger, as_of, manager=pm)
    borrowed = [f for f in result.failures if f.rule == "uses-helper"]
    own = [f for f in result.failures if f.rule == "fails-itself"]
    assert len(borrowed) == len(own) == len(ledger.issues)
    failure = borrowed[0]
    assert failure.plugin == rules
    assert failure.message.startswith(
        f"RuntimeError: helper on fire (raised in plugin {helper!r}, {helper}.py:"
    )
    assert failure.message.endswith(" in overdue_days)")
    assert failure.phrase.text("zh").startswith(
        f"RuntimeError: helper on fire（出错的是插件 {helper!r} 的代码，{helper}.py:"
    )
    assert own[0].message == "ValueError: own fault"
    # the built-in rules still ran, with the same proposals as without the faulty plugins
    healthy = new_plugin_manager(entry_points=False)
    assert result.actions == assess(ledger, as_of, manager=healthy).actions


_CLASS_PLUGIN = """
class Holiday:
    '''A plugin written as a class, its hooks methods taking self.'''

    day = dt.date(2020, 4, 21)

    @hookimpl
    def campaignkit_calendars(self):
        yield WorkdayCalendar(
            "class-holiday",
            Label("类写的休息日", "a class's day off"),
            lambda d: False if d == self.day else None,
            priority=50,
        )


class NeedsAnArgument:
    def __init__(self, day):
        self.day = day

    @hookimpl
    def campaignkit_calendars(self):
        return []
"""


def test_a_class_named_by_module_and_attribute_is_registered_as_an_instance(
    plugin_file: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--plugin module:Class`` makes the class an instance (its hooks take ``self``); a
    class that needs arguments is one located load problem, in the command's language."""
    import datetime as dt

    from campaignkit.cli.app import main
    from campaignkit.derive.calendar import WorkCalendar

    name = plugin_file("class_plugin", _CLASS_PLUGIN)
    pm = new_plugin_manager([f"{name}:Holiday"], entry_points=False)
    assert not pm.load_errors, pm.load_errors
    calendar = WorkCalendar.from_manager(pm)
    assert calendar.add_working_days(dt.date(2020, 4, 20), 1).date == dt.date(2020, 4, 22)
    bad = new_plugin_manager([f"{name}:NeedsAnArgument"], entry_points=False)
    (error,) = bad.load_errors
    assert error.plugin == f"{name}:NeedsAnArgument"
    assert error.phrase is not None and error.phrase.code == "plugin.class-not-made"
    assert main(["--plugin", f"{name}:NeedsAnArgument", "plugins", "--lang", "en"]) == 1
    assert "the class NeedsAnArgument cannot be made without arguments" in capsys.readouterr().out
    assert main(["--plugin", f"{name}:NeedsAnArgument", "plugins"]) == 1
    assert "类 NeedsAnArgument 不能不带参数地实例化" in capsys.readouterr().out
