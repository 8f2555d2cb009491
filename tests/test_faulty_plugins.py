"""Faulty plugins are reported by name; the core's data is unchanged; the others keep working."""

from __future__ import annotations

import time
import types
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.hookspecs import hookimpl
from campaignkit.manager import new_plugin_manager
from campaignkit.types import Label, Validator
from campaignkit.watchdog import PluginTimeout, call_with_timeout, configured_timeout


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

    return ck.load(Path(__file__).parents[1] / "examples" / "huainan-2020" / "ledger.json")


def test_hanging_escalation_rule_is_skipped_by_name() -> None:
    import datetime as dt

    from campaignkit.escalation import assess
    from campaignkit.types import EscalationRule

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

    from campaignkit.escalation import assess
    from campaignkit.types import EscalationRule

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
    from campaignkit.report import build_report
    from campaignkit.report import render as render_report
    from campaignkit.types import ReportFormatter

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
    # a limit far shorter than any render: only plugins' formats are held to it
    from campaignkit.report import build_report
    from campaignkit.report import render as render_report

    pm = new_plugin_manager([], entry_points=False, timeout=1e-6)
    report = build_report(_huainan(), manager=pm)
    for fmt in ("text", "csv", "json", "markdown"):
        assert render_report(report, fmt, manager=pm)
