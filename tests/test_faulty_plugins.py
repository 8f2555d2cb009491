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
