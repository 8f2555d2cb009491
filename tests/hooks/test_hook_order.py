"""Hooks go through pluggy's own call loop: ``tryfirst``, ``trylast`` and wrappers of both
styles work, while a plugin that raises or hangs on the same hook is reported by name and
skipped, and the others still run."""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from typing import Any

import orjson
import pluggy
import pytest

import campaignkit as ck
from campaignkit import hookimpl, new_plugin_manager
from campaignkit.hooks.manager import PluginManager, canonical_name
from campaignkit.rules.records import Label, RenderOptions, ReportFormatter, Validator
from campaignkit.testing import plugin_manager
from tests.conftest import minimal_document

LIMIT = 0.5
"""The plugin time limit of these tests (seconds)."""

GUARD = 30.0
"""How long a hanging plugin hangs at most: a broken time limit fails, it does not hang."""


def _validator(name: str) -> Validator:
    return Validator(name, Label(name, name), lambda ledger, ctype: iter(()))


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set when the test ends: lets the hanging plugins' abandoned threads go."""
    event = threading.Event()
    yield event
    event.set()


def _ledger() -> ck.Ledger:
    return ck.loads(orjson.dumps(minimal_document()))


# -- event hooks ---------------------------------------------------------------------------


def _event_plugins(seen: list[str], release: threading.Event) -> list[object]:
    """Plugins on ``campaignkit_ledger_saved``, in registration order."""

    class Plain:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str) -> None:
            seen.append("plain")

    class Last:
        @hookimpl(trylast=True)
        def campaignkit_ledger_saved(self, path: str) -> None:
            seen.append("last")

    class First:
        @hookimpl(tryfirst=True)
        def campaignkit_ledger_saved(self, path: str) -> None:
            seen.append("first")

    class Raises:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str) -> None:
            raise OSError("disk full")

    class Hangs:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str) -> None:
            release.wait(GUARD)

    class Wraps:
        @hookimpl(wrapper=True)
        def campaignkit_ledger_saved(self, path: str) -> Generator[None, Any, Any]:
            seen.append("wrapper before")
            result = yield
            seen.append(f"wrapper after {result!r}")
            return result

    class OldWraps:
        @hookimpl(hookwrapper=True)
        def campaignkit_ledger_saved(self, path: str) -> Generator[None, Any, None]:
            seen.append("old wrapper before")
            outcome: pluggy.Result[Any] = yield
            seen.append(f"old wrapper after {outcome.get_result()!r}")

    class Later:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str) -> None:
            seen.append("later")

    return [Plain(), Last(), First(), Raises(), Hangs(), Wraps(), OldWraps(), Later()]


EVENT_ORDER = [
    "wrapper before",
    "old wrapper before",
    "first",
    "plain",
    "later",
    "last",
    "old wrapper after []",
    "wrapper after []",
]
"""Wrappers outermost; then tryfirst, the plain ones in registration order, trylast."""


def _problems(pm: PluginManager) -> dict[str, str]:
    return {p.plugin.rpartition(".")[2].partition("@")[0]: p.message for p in pm.load_errors}


@pytest.mark.parametrize("how", ["notify", "hook"])
def test_event_hook_order_wrappers_and_faulty_plugins(release: threading.Event, how: str) -> None:
    seen: list[str] = []
    plugins = _event_plugins(seen, release)
    pm = new_plugin_manager(plugins, entry_points=False, builtins=False, timeout=LIMIT)
    if how == "notify":
        pm.notify("campaignkit_ledger_saved", path="x.json", ledger=_ledger())
    else:
        assert pm.hook.campaignkit_ledger_saved(path="x.json", ledger=_ledger()) == []
    assert seen == EVENT_ORDER
    problems = _problems(pm)
    assert set(problems) == {"Raises", "Hangs"}, pm.load_errors
    assert problems["Raises"] == "campaignkit_ledger_saved raised OSError: disk full"
    assert "did not finish within 0.5 s" in problems["Hangs"]
    assert "campaignkit_ledger_saved" in problems["Hangs"]


def test_without_a_time_limit_the_order_is_the_same() -> None:
    seen: list[str] = []
    plugins = [p for p in _event_plugins(seen, threading.Event()) if type(p).__name__ != "Hangs"]
    pm = new_plugin_manager(plugins, entry_points=False, builtins=False, timeout=None)
    pm.notify("campaignkit_ledger_saved", path="x.json", ledger=_ledger())
    assert seen == EVENT_ORDER
    assert set(_problems(pm)) == {"Raises"}


def test_saving_a_ledger_fires_the_hook_in_that_order(
    release: threading.Event, tmp_path: Any
) -> None:
    seen: list[str] = []
    pm = new_plugin_manager(_event_plugins(seen, release), entry_points=False, timeout=LIMIT)
    target = ck.dump(_ledger(), tmp_path / "ledger.json", manager=pm)
    assert seen == EVENT_ORDER
    assert ck.load(target) == _ledger()
    assert set(_problems(pm)) == {"Raises", "Hangs"}


# -- registration hooks --------------------------------------------------------------------


def test_registration_hook_order_wrappers_and_faulty_plugins(release: threading.Event) -> None:
    seen: list[list[str]] = []

    class Plain:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("plain")]

    class Last:
        @hookimpl(trylast=True)
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("last")]

    class First:
        @hookimpl(tryfirst=True)
        def campaignkit_validators(self) -> Iterator[Validator]:
            yield _validator("first")

    class Raises:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            raise RuntimeError("database unreachable")

    class Hangs:
        @hookimpl
        def campaignkit_validators(self) -> Iterator[Validator]:
            yield _validator("half")
            release.wait(GUARD)

    class WrongType:
        @hookimpl
        def campaignkit_validators(self) -> list[object]:
            return ["not a validator", _validator("kept")]

    class Adds:
        """Sees every result in call order, and adds a validator of its own."""

        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            results = yield
            seen.append([v.name for result in results for v in result])
            return [*results, [_validator("added")]]

    class Drops:
        """An old-style wrapper that leaves out the trylast plugin's result."""

        @hookimpl(hookwrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, None]:
            outcome: pluggy.Result[Any] = yield
            kept = [r for r in outcome.get_result() if all(v.name != "last" for v in r)]
            outcome.force_result(kept)

    plugins = [Plain(), Last(), First(), Raises(), Hangs(), WrongType(), Adds(), Drops()]
    with plugin_manager(*plugins, builtins=False, check=False, timeout=LIMIT) as pm:
        validators = pm.validators()
        # the new-style wrapper is outermost: it saw the old-style one's result
        assert seen == [["first", "plain", "kept"]]
        assert set(validators) == {"first", "plain", "kept", "added"}
        assert pm.owner("campaignkit_validators", "added") == canonical_name(plugins[6])
        assert pm.owner("campaignkit_validators", "plain") == canonical_name(plugins[0])
        problems = _problems(pm)
        assert set(problems) == {"Raises", "Hangs", "WrongType"}, pm.load_errors
        assert (
            problems["Raises"] == "campaignkit_validators raised RuntimeError: database unreachable"
        )
        assert "did not finish within 0.5 s" in problems["Hangs"]
        assert problems["WrongType"] == "campaignkit_validators returned str, expected Validator"
        # gathered once: asking again calls nobody
        assert pm.validators() is validators and len(seen) == 1


def test_records_a_wrapper_adds_clash_like_any_other() -> None:
    class Plain:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("twice")]

    class Adds:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            results = yield
            return [*results, [_validator("twice")]]

    plain, adds = Plain(), Adds()
    pm = new_plugin_manager([plain, adds], entry_points=False, builtins=False)
    assert "twice" not in pm.validators()
    (problem,) = pm.load_errors
    assert "'twice' is registered by" in problem.message
    assert canonical_name(plain) in problem.message
    assert canonical_name(adds) in problem.message


# -- what comes out of a wrapper is checked, record by record --------------------------------


def _in_place(style: str, added: object) -> object:
    """A wrapper (``new`` or ``old`` style) that appends ``added`` to the first result, in
    place."""

    class New:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            results = yield
            results[0].append(added)
            return results

    class Old:
        @hookimpl(hookwrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, None]:
            outcome: pluggy.Result[Any] = yield
            outcome.get_result()[0].append(added)

    return New() if style == "new" else Old()


@pytest.mark.parametrize("style", ["new", "old"])
def test_what_a_wrapper_puts_into_a_result_in_place_is_checked(style: str) -> None:
    mine = [_validator("plain")]

    class Plain:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            return mine

    wrapper = _in_place(style, "junk")
    pm = new_plugin_manager([Plain(), wrapper], entry_points=False, builtins=False)
    assert set(pm.validators()) == {"plain"}
    [problem] = pm.load_errors
    assert problem.plugin == canonical_name(wrapper)
    assert problem.message == "campaignkit_validators returned str, expected Validator"
    assert [v.name for v in mine] == ["plain"]  # the plugin's own list is left as it was


@pytest.mark.parametrize("style", ["new", "old"])
def test_a_wrapper_in_place_on_the_built_in_validators_breaks_nothing(style: str) -> None:
    healthy = set(new_plugin_manager(entry_points=False).validators())
    wrapper = _in_place(style, "junk")
    with plugin_manager(wrapper, check=False) as pm:
        assert set(pm.validators()) == healthy
        assert [p.plugin for p in pm.load_errors] == [canonical_name(wrapper)]


@pytest.mark.parametrize("style", ["new", "old"])
def test_a_record_a_wrapper_adds_in_place_is_its_own(style: str) -> None:
    wrapper = _in_place(style, _validator("added"))
    pm = new_plugin_manager([wrapper], entry_points=False)
    validators = pm.validators()
    assert "added" in validators and pm.load_errors == []
    assert pm.owner("campaignkit_validators", "added") == canonical_name(wrapper)
    for name in set(validators) - {"added"}:
        assert pm.owner("campaignkit_validators", name) == "campaignkit.plugins.validators"
    assert pm.registrations()[canonical_name(wrapper)] == {"validators": ["added"]}


def _plain_text(report: object, options: RenderOptions) -> bytes:
    return b"mine\n"


@pytest.mark.parametrize("style", ["new", "old"])
def test_records_a_wrapper_was_handed_keep_their_plugin(style: str) -> None:
    """A wrapper that puts its own ``text`` format in place of the built-in one, keeping the
    built-in plugin's other formats (in lists it makes), owns ``text`` only."""
    mine = ReportFormatter("text", Label("文本", "text"), "txt", "text/plain", _plain_text)

    def without_text(results: list[list[ReportFormatter]]) -> list[list[ReportFormatter]]:
        return [*([f for f in result if f.name != "text"] for result in results), [mine]]

    class New:
        @hookimpl(wrapper=True)
        def campaignkit_report_formatters(self) -> Generator[None, Any, Any]:
            return without_text((yield))

    class Old:
        @hookimpl(hookwrapper=True)
        def campaignkit_report_formatters(self) -> Generator[None, Any, None]:
            outcome: pluggy.Result[Any] = yield
            outcome.force_result(without_text(outcome.get_result()))

    wrapper = New() if style == "new" else Old()
    pm = new_plugin_manager([wrapper], entry_points=False)
    formatters = pm.report_formatters()
    assert formatters["text"] is mine and pm.load_errors == []
    owners = {name: pm.owner("campaignkit_report_formatters", name) for name in formatters}
    assert owners.pop("text") == canonical_name(wrapper)
    assert owners and set(owners.values()) == {"campaignkit.plugins.formatters"}
    assert pm.registrations()[canonical_name(wrapper)] == {"report_formatters": ["text"]}


def test_a_wrapper_around_another_leaves_each_record_with_its_plugin() -> None:
    class Merges:
        """Puts every result into one list of its own."""

        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            results = yield
            return [[v for result in results for v in result]]

    class Adds:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            results = yield
            return [*results, [_validator("added")]]

    class Plain:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("plain")]

    merges, adds, plain = Merges(), Adds(), Plain()
    pm = new_plugin_manager([merges, adds, plain], entry_points=False, builtins=False)
    assert set(pm.validators()) == {"added", "plain"} and pm.load_errors == []
    assert pm.owner("campaignkit_validators", "added") == canonical_name(adds)
    assert pm.owner("campaignkit_validators", "plain") == canonical_name(plain)
    assert pm.registrations()[canonical_name(merges)] == {}


@pytest.mark.parametrize("builtin", [True, False], ids=["built-in", "two-plugins"])
def test_a_clash_is_reported_under_the_plugin_registered_last_whatever_its_flags(
    builtin: bool,
) -> None:
    """``tryfirst`` changes the order of the calls, not which plugin a clash is filed under:
    the one registered last that is not built in."""

    def text(label: str) -> ReportFormatter:
        return ReportFormatter("text", Label(label, label), "txt", "text/plain", _plain_text)

    class Before:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            return [text("before")]

    class First:
        @hookimpl(tryfirst=True)
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            return [text("first")]

    first = First()
    plugins = [first] if builtin else [Before(), first]
    pm = new_plugin_manager(plugins, entry_points=False, builtins=builtin)
    assert "text" not in pm.report_formatters()
    [problem] = pm.load_errors
    assert problem.plugin == canonical_name(first)
    assert "'text' is registered by" in problem.message


# -- wrappers that fail ----------------------------------------------------------------------


def _failing_wrappers(release: threading.Event) -> dict[str, object]:
    """Wrappers that fail in each way, by what they do."""

    class RaisesBefore:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            raise RuntimeError("before")
            return (yield)  # pragma: no cover - a generator that raises first

    class RaisesAfter:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            yield
            raise RuntimeError("after")

    class HangsAfter:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            results = yield
            release.wait(GUARD)
            return [*results, [_validator("too late")]]

    class ReturnsText:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            yield
            return "text"

    class NeverYields:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            return []
            yield  # pragma: no cover - makes it a generator

    class YieldsTwice:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            yield
            yield

    class OldRaisesAfterForcing:
        @hookimpl(hookwrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, None]:
            outcome: pluggy.Result[Any] = yield
            outcome.force_result([])
            raise RuntimeError("old after")

    class OldHangsBefore:
        @hookimpl(hookwrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, None]:
            release.wait(GUARD)
            yield

    return {
        "RaisesBefore": RaisesBefore(),
        "RaisesAfter": RaisesAfter(),
        "HangsAfter": HangsAfter(),
        "ReturnsText": ReturnsText(),
        "NeverYields": NeverYields(),
        "YieldsTwice": YieldsTwice(),
        "OldRaisesAfterForcing": OldRaisesAfterForcing(),
        "OldHangsBefore": OldHangsBefore(),
    }


FAILURES = {
    "RaisesBefore": "campaignkit_validators raised RuntimeError: before",
    "RaisesAfter": "campaignkit_validators raised RuntimeError: after",
    "HangsAfter": "did not finish within 0.5 s",
    "ReturnsText": "campaignkit_validators returned str, expected a list of results",
    "NeverYields": "campaignkit_validators: the wrapper did not yield; skipped",
    "YieldsTwice": "campaignkit_validators: the wrapper yielded more than once; skipped",
    "OldRaisesAfterForcing": "campaignkit_validators raised RuntimeError: old after",
    "OldHangsBefore": "did not finish within 0.5 s",
}


@pytest.mark.parametrize("failing", sorted(FAILURES))
def test_a_failing_wrapper_is_reported_and_the_result_passes_through(
    release: threading.Event, failing: str
) -> None:
    class Plain:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("plain")]

    wrapper = _failing_wrappers(release)[failing]
    pm = new_plugin_manager([Plain(), wrapper], entry_points=False, builtins=False, timeout=LIMIT)
    assert set(pm.validators()) == {"plain"}
    [problem] = pm.load_errors
    assert problem.plugin == canonical_name(wrapper)
    assert FAILURES[failing] in problem.message


def test_every_failing_wrapper_at_once_on_the_built_in_validators(
    release: threading.Event,
) -> None:
    healthy = set(new_plugin_manager(entry_points=False).validators())
    wrappers = _failing_wrappers(release)
    pm = new_plugin_manager(list(wrappers.values()), entry_points=False, timeout=LIMIT)
    assert set(pm.validators()) == healthy
    assert set(_problems(pm)) == set(FAILURES)


def test_what_pluggy_would_refuse_is_said_in_the_catalogue_s_words() -> None:
    class NotAGenerator:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> list[Validator]:
            return []

    class AsksTooMuch:
        @hookimpl
        def campaignkit_validators(self, ledger: object) -> list[Validator]:
            return []

    class Plain:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("plain")]

    plugins = [Plain(), NotAGenerator(), AsksTooMuch()]
    pm = new_plugin_manager(plugins, entry_points=False, builtins=False)
    assert set(pm.validators()) == {"plain"}
    wrapper, asks = pm.load_errors
    assert (wrapper.plugin, asks.plugin) == (
        canonical_name(plugins[1]),
        canonical_name(plugins[2]),
    )
    assert wrapper.message == (
        "campaignkit_validators: declared a wrapper but is not a generator function "
        "(it must yield once); not registered"
    )
    assert "\n" not in wrapper.text("zh") and wrapper.text("zh").endswith(
        "声明为包装（wrapper）却不是生成器函数（其中要有一次 yield）；插件未注册"
    )
    assert asks.message == (
        "campaignkit_validators: asks for ledger, which the hook does not pass "
        "(it passes: -); not registered"
    )
