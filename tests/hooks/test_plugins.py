"""The plugin manager: hooks, discovery, broken plugins, clashes, blocking, the testing helper."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

import campaignkit as ck
from campaignkit import hookimpl
from campaignkit.cli.app import main
from campaignkit.cli.commands.plugins import plugin_listing, render_text
from campaignkit.derive.views import replay
from campaignkit.errors import LedgerError, PluginError
from campaignkit.escalation.engine import Action
from campaignkit.hooks.manager import (
    RECORD_TYPES,
    PluginManager,
    builtin_plugins,
    canonical_name,
    get_plugin_manager,
    new_plugin_manager,
)
from campaignkit.hooks.specs import event_hooks, hook_specs, registration_hooks
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE as SISONG
from campaignkit.rules.records import (
    CampaignType,
    EscalationRule,
    Kind,
    Label,
    MetricDef,
    ReportFormatter,
    Validator,
    WorkdayCalendar,
)
from campaignkit.rules.writes import WriteCheck
from campaignkit.stats.contributions import issues_where
from campaignkit.testing import load_ledger, plugin_manager
from tests.conftest import minimal_document

pytest_plugins = ["pytester"]

HENAN = "henan-wanren"
HENAN_DIST = "campaignkit-henan-wanren"


def _label(text: str) -> Label:
    return Label(text, text)


def _no_actions(ctx: Any, issue: Any) -> Iterator[Action]:
    return iter(())


SAMPLE_METRIC = MetricDef(
    "sample_metric", _label("样例"), _label("个"), issues_where(), campaign_types=("sample-type",)
)
SAMPLES: dict[type, object] = {
    CampaignType: attrs.evolve(SISONG, key="sample-type"),
    MetricDef: SAMPLE_METRIC,
    EscalationRule: EscalationRule("sample-rule", _label("样例规则"), _no_actions),
    ReportFormatter: ReportFormatter(
        "sample-format", _label("样例格式"), "txt", "text/plain", lambda report, options: b""
    ),
    WorkdayCalendar: WorkdayCalendar("sample-calendar", _label("样例日历"), lambda day: None),
    Validator: Validator("sample-validator", _label("样例校验"), lambda ledger, ctype: iter(())),
    WriteCheck: WriteCheck("sample-write-check", _label("样例写入检查"), lambda write: iter(())),
}
"""One record of each type a registration hook returns."""


def documented_params(hook: Callable[..., Any]) -> list[str]:
    """The parameters a hook's docstring documents (``:param name:``)."""
    return re.findall(r":param (\w+):", hook.__doc__ or "")


def event_arguments() -> dict[str, object]:
    """Real objects for every argument an event hook documents."""
    ledger = ck.loads(orjson.dumps(minimal_document()))
    issue = ledger.issues[0]
    action = Action(issue.id, "supervised", "sample-rule", dt.date(2020, 4, 30), "督办")
    return {
        "ledger": ledger,
        "issue": issue,
        "old": replay(issue, SISONG.lifecycle, issue.events[:1]),
        "new": replay(issue, SISONG.lifecycle),
        "actions": (action,),
        "path": "/tmp/ledger.json",
        "campaign_type": SISONG,
    }


def recording_plugin(
    hook: str, params: list[str], result: object
) -> tuple[object, list[dict[str, Any]]]:
    """A module plugin implementing ``hook`` with exactly ``params``, recording its calls."""
    calls: list[dict[str, Any]] = []
    namespace: dict[str, Any] = {}
    source = f"def {hook}({', '.join(params)}):\n    calls.append(dict({', '.join(f'{p}={p}' for p in params)}))\n    return result\n"
    exec(source, {"calls": calls, "result": result}, namespace)
    plugin = types.ModuleType(f"recorder_{hook}")
    setattr(plugin, hook, hookimpl(namespace[hook]))
    return plugin, calls


# -- every hook is callable with its documented arguments -------------------------------


@pytest.mark.parametrize("hook", registration_hooks())
def test_registration_hook_is_callable_and_gathered(hook: str) -> None:
    record = SAMPLES[RECORD_TYPES[hook]]
    plugin, calls = recording_plugin(hook, documented_params(hook_specs()[hook]), (record,))
    with plugin_manager(plugin, builtins=False) as pm:
        # each implementation's records, checked, as a new list
        assert getattr(pm.hook, hook)() == [[record]]
        short = hook.removeprefix("campaignkit_")
        gathered = getattr(pm, short)()
        name = next(iter(gathered))
        assert gathered[name] is record
        assert pm.registrations()[f"recorder_{hook}"] == {short: [name]}
    assert calls == [{}, {}]


@pytest.mark.parametrize("hook", event_hooks())
def test_event_hook_is_callable_with_documented_arguments(hook: str) -> None:
    params = documented_params(hook_specs()[hook])
    available = event_arguments()
    kwargs = {p: available[p] for p in params}
    plugin, calls = recording_plugin(hook, params, None)
    with plugin_manager(plugin, builtins=False) as pm:
        getattr(pm.hook, hook)(**kwargs)
        pm.notify(hook, **kwargs)
        assert pm.registrations()[f"recorder_{hook}"] == {hook.removeprefix("campaignkit_"): []}
    assert len(calls) == 2
    for call in calls:
        assert call.keys() == kwargs.keys()
        assert all(call[k] is kwargs[k] for k in kwargs)


def test_event_hook_implementation_may_take_some_arguments() -> None:
    seen: list[str] = []

    class OnlyPath:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str) -> None:
            seen.append(path)

    with plugin_manager(OnlyPath(), builtins=False) as pm:
        pm.notify("campaignkit_ledger_saved", path="a.json", ledger=event_arguments()["ledger"])
    assert seen == ["a.json"]


def test_ledger_saved_fires_after_an_atomic_dump(tmp_path: Path) -> None:
    saved: list[tuple[str, ck.Ledger]] = []

    class Watcher:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str, ledger: ck.Ledger) -> None:
            saved.append((path, ledger))

    ledger = ck.loads(orjson.dumps(minimal_document()))
    with plugin_manager(Watcher()) as pm:
        target = ck.dump(ledger, tmp_path / "ledger.json", manager=pm)
    assert saved == [(str(target), ledger)]
    assert ck.load(target) == ledger


def test_a_raising_event_hook_is_reported_and_the_others_still_run() -> None:
    seen: list[str] = []

    class Raises:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str) -> None:
            raise OSError("disk full")

    class Works:
        @hookimpl
        def campaignkit_ledger_saved(self, path: str) -> None:
            seen.append(path)

    raises = Raises()
    with plugin_manager(raises, Works(), builtins=False) as pm:
        pm.notify("campaignkit_ledger_saved", path="x.json", ledger=None)
    assert seen == ["x.json"]
    assert [str(p) for p in pm.load_errors] == [
        f"plugin {canonical_name(raises)!r}: campaignkit_ledger_saved raised OSError: disk full"
    ]


# -- discovery ---------------------------------------------------------------------------


def test_builtins_are_every_module_of_the_plugins_package() -> None:
    pm = new_plugin_manager(entry_points=False)
    assert list(pm.sources) == list(builtin_plugins())
    assert all(s.origin == "built-in" for s in pm.sources.values())
    assert "campaignkit.plugins.sisong_yifu" in pm.sources
    assert pm.load_errors == []


def test_henan_plugin_is_discovered_through_its_installed_entry_point() -> None:
    eps = {ep.name: ep for ep in importlib.metadata.entry_points(group="campaignkit")}
    assert HENAN in eps, "pip install -e examples/henan-wanren-plugin"
    assert eps[HENAN].value == "campaignkit_henan.plugin"
    pm = new_plugin_manager()
    source = pm.sources[HENAN]
    assert source.origin == "entry point"
    assert source.distribution == HENAN_DIST
    assert source.version == importlib.metadata.version(HENAN_DIST)
    assert list(pm.sources)[: len(builtin_plugins())] == list(builtin_plugins())
    assert "wanren-zhuwanqi" in pm.campaign_types()
    assert pm.owner("campaignkit_campaign_types", "wanren-zhuwanqi") == HENAN
    assert HENAN not in new_plugin_manager(entry_points=False).sources


def test_explicit_plugin_named_by_module_and_attribute(plugin_dir: Path) -> None:
    write_module(
        plugin_dir,
        "explicit_attr_plugin",
        """
        from campaignkit import hookimpl
        from campaignkit.rules.records import Label, ReportFormatter

        class Formats:
            @hookimpl
            def campaignkit_report_formatters(self):
                yield ReportFormatter("attr-format", Label("甲", "a"), "txt", "text/plain",
                                      lambda report, options: b"")

        INSTANCE = Formats()
        """,
    )
    with plugin_manager("explicit_attr_plugin:INSTANCE", builtins=False) as pm:
        assert pm.sources["explicit_attr_plugin:INSTANCE"].origin == "explicit"
        assert list(pm.report_formatters()) == ["attr-format"]


def test_canonical_names() -> None:
    class Local:
        pass

    assert canonical_name(sys.modules[__name__]) == __name__
    assert canonical_name(Local) == f"{__name__}.{Local.__qualname__}"
    instance = Local()
    assert canonical_name(instance) == f"{__name__}.{Local.__qualname__}@{id(instance):x}"


def test_an_explicit_plugin_already_loaded_by_entry_point_is_not_loaded_twice() -> None:
    pm = new_plugin_manager(["campaignkit_henan.plugin"])
    assert pm.sources[HENAN].origin == "entry point"
    assert "campaignkit_henan.plugin" not in pm.sources
    assert pm.load_errors == []


def test_shared_manager_is_cached_and_fresh_ones_are_not() -> None:
    assert get_plugin_manager() is get_plugin_manager()
    assert new_plugin_manager() is not new_plugin_manager()
    with plugin_manager() as a, plugin_manager() as b:
        assert a is not b and a is not get_plugin_manager()


# -- broken plugins are reported by name while the rest still load ---------------------


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on ``sys.path`` for plugin modules and fake installed distributions."""
    folder = tmp_path / "site"
    folder.mkdir()
    before = set(sys.modules)
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    for name in set(sys.modules) - before:
        if (getattr(sys.modules[name], "__file__", None) or "").startswith(str(folder)):
            del sys.modules[name]


def write_module(folder: Path, name: str, source: str) -> None:
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")


def install_distribution(folder: Path, dist: str, entry_points: dict[str, str]) -> None:
    """A fake installed distribution declaring ``campaignkit`` entry points."""
    info = folder / f"{dist.replace('-', '_')}-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2\n")
    lines = "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    (info / "entry_points.txt").write_text(f"[campaignkit]\n{lines}")


GOOD = """
from campaignkit import hookimpl
from campaignkit.rules.records import Label, Validator

@hookimpl
def campaignkit_validators():
    yield Validator("good-check", Label("好", "good"), lambda ledger, ctype: iter(()))
"""


def test_plugin_that_fails_to_import_is_reported_with_its_distribution(plugin_dir: Path) -> None:
    write_module(plugin_dir, "ep_broken_import", "raise RuntimeError('missing licence file')\n")
    write_module(plugin_dir, "ep_good", GOOD)
    install_distribution(
        plugin_dir, "acme-plugins", {"acme-broken": "ep_broken_import", "acme-good": "ep_good"}
    )
    pm = new_plugin_manager()
    assert [str(p) for p in pm.load_errors] == [
        "plugin 'acme-broken' (from acme-plugins): cannot import: RuntimeError: missing licence file"
    ]
    assert pm.sources["acme-good"].distribution == "acme-plugins"
    assert pm.sources["acme-good"].version == "1.2"
    assert "good-check" in pm.validators()
    assert HENAN in pm.sources
    assert "sisong-yifu" in pm.campaign_types()


def test_misspelt_hook_is_reported_with_a_suggestion_and_not_registered(plugin_dir: Path) -> None:
    write_module(
        plugin_dir,
        "misspelt_plugin",
        """
        from campaignkit import hookimpl

        @hookimpl
        def campaignkit_campaign_type():
            return []
        """,
    )
    write_module(plugin_dir, "good_plugin", GOOD)
    pm = new_plugin_manager(["misspelt_plugin", "good_plugin"], entry_points=False)
    assert [str(p) for p in pm.load_errors] == [
        "plugin 'misspelt_plugin': unknown hook 'campaignkit_campaign_type' "
        "(did you mean 'campaignkit_campaign_types'?)"
    ]
    assert "misspelt_plugin" not in pm.sources
    assert "good-check" in pm.validators()


def test_hook_function_without_marker_is_reported(plugin_dir: Path) -> None:
    write_module(
        plugin_dir,
        "unmarked_plugin",
        GOOD + "\ndef campaignkit_metrics():\n    return []\n",
    )
    pm = new_plugin_manager(["unmarked_plugin"], entry_points=False, builtins=False)
    assert [str(p) for p in pm.load_errors] == [
        "plugin 'unmarked_plugin': campaignkit_metrics is not marked with @hookimpl; ignored"
    ]
    assert "unmarked_plugin" in pm.sources


def test_hook_that_raises_is_reported_and_others_still_register() -> None:
    class Raises:
        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            raise KeyError("config")

    pm = new_plugin_manager([Raises()], entry_points=False)
    validators = pm.validators()
    name = next(n for n in pm.sources if "Raises" in n)
    assert [str(p) for p in pm.load_errors] == [
        f"plugin {name!r}: campaignkit_validators raised KeyError: 'config'"
    ]
    assert "visits-name-enterprises" in validators


def test_hook_returning_the_wrong_type_is_reported() -> None:
    class Wrong:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[object]:
            return ["txt", SAMPLES[ReportFormatter]]

        @hookimpl
        def campaignkit_campaign_types(self) -> object:
            return SAMPLES[CampaignType]  # a record, not an iterable of records

    pm = new_plugin_manager([Wrong()], entry_points=False)
    name = next(n for n in pm.sources if "Wrong" in n)
    assert "sample-format" in pm.report_formatters()
    assert list(pm.campaign_types()) == ["sisong-yifu"]
    assert [str(p) for p in pm.load_errors] == [
        f"plugin {name!r}: campaignkit_report_formatters returned str, expected ReportFormatter",
        f"plugin {name!r}: campaignkit_campaign_types returned CampaignType, "
        "expected an iterable of CampaignType",
    ]


def test_campaign_type_that_contradicts_itself_is_left_out_with_its_plugin_named() -> None:
    broken = attrs.evolve(
        SISONG,
        key="broken-type",
        summary_columns=(*SISONG.summary_columns, "no_such_metric", "resolution_rate"),
        issue_categories=(*SISONG.issue_categories, SISONG.issue_categories[0]),
    )

    class Broken:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            return [broken]

    pm = new_plugin_manager([Broken()], entry_points=False)
    assert list(pm.campaign_types()) == ["sisong-yifu"]
    (problem,) = pm.load_errors
    assert "Broken" in problem.plugin
    assert problem.message == (
        "CampaignType 'broken-type' left out: issue_categories: 'labour' is defined twice; "
        "summary column 'no_such_metric' is not a metric of the type; "
        "summary column 'resolution_rate' is a rate; the summary table adds figures up"
    )
    assert problem.text("zh") == (
        "插件 '" + problem.plugin + "'：CampaignType 'broken-type' 没有采用："
        "issue_categories 中的 'labour' 定义了两次；"
        "汇总表的列 'no_such_metric' 不是这个活动类型的指标；"
        "汇总表的列 'resolution_rate' 是比率；汇总表里的数要能相加"
    )


def test_builtin_campaign_type_is_consistent() -> None:
    assert SISONG.problems() == ()


# -- duplicates name both plugins ---------------------------------------------------------


def _clash(kind: str, name: str, *plugins: str) -> str:
    names = ", ".join(map(repr, plugins))
    return (
        f"{kind} {name!r} is registered by {names}: {name!r} is unusable until only one of "
        "them registers it"
    )


def _not_replacing(kind: str, name: str, builtin: str, plugin: str) -> str:
    return (
        f"{kind} {name!r} is registered by {builtin!r}, {plugin!r}; a plugin's record of a "
        "built-in name must say it replaces the built-in one (replaces=True), and that of "
        f"{plugin!r} does not: {name!r} is unusable until it is removed or replaces the "
        "built-in one on purpose"
    )


def test_duplicate_campaign_type_names_both_plugins() -> None:
    class Copycat:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            return [SISONG]

    copycat = Copycat()
    pm = new_plugin_manager([copycat], entry_points=False)
    message = _clash(
        "CampaignType", "sisong-yifu", "campaignkit.plugins.sisong_yifu", canonical_name(copycat)
    )
    assert "sisong-yifu" not in pm.campaign_types()  # only the clashing name is unusable
    with pytest.raises(PluginError) as info:
        pm.campaign_type("sisong-yifu")
    assert str(info.value) == message
    assert pm.report_formatters() and pm.escalation_rules()  # everything else works
    # the listing shows both plugins with the name, and the clash once
    registered = pm.registrations()
    assert registered["campaignkit.plugins.sisong_yifu"]["campaign_types"] == ["sisong-yifu"]
    assert registered[canonical_name(copycat)]["campaign_types"] == ["sisong-yifu"]
    assert [p.message for p in pm.load_errors] == [message]


def test_duplicate_formatter_names_both_plugins(plugin_dir: Path) -> None:
    source = """
    from campaignkit import hookimpl
    from campaignkit.rules.records import Label, ReportFormatter

    @hookimpl
    def campaignkit_report_formatters():
        yield ReportFormatter("weekly", Label("周报", "weekly"), "txt", "text/plain",
                              lambda report, options: b"")
    """
    write_module(plugin_dir, "weekly_a", source)
    write_module(plugin_dir, "weekly_b", source)
    pm = new_plugin_manager(["weekly_a", "weekly_b"], entry_points=False)
    formatters = pm.report_formatters()
    assert "weekly" not in formatters and {"text", "html", "xlsx"} <= set(formatters)
    assert pm.clashes == {("campaignkit_report_formatters", "weekly"): ("weekly_a", "weekly_b")}
    assert [p.message for p in pm.load_errors] == [
        _clash("ReportFormatter", "weekly", "weekly_a", "weekly_b")
    ]


def _no_checks(ledger: Any, ctype: Any) -> Iterator[Any]:
    return iter(())


def _text_format(label: str, **changes: Any) -> ReportFormatter:
    return ReportFormatter(
        "text", _label(label), "txt", "text/plain", lambda report, options: b"", **changes
    )


def _formats(*records: ReportFormatter) -> object:
    class Formats:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            return list(records)

    return Formats()


def test_two_replacements_of_one_built_in_clash_and_the_message_says_so() -> None:
    one = _formats(_text_format("one", replaces=True))
    other = _formats(_text_format("other", replaces=True, campaign_types=("sisong-yifu",)))
    pm = new_plugin_manager([one, other], entry_points=False)
    assert "text" not in pm.report_formatters()
    one_name, other_name = canonical_name(one), canonical_name(other)
    names = f"'campaignkit.plugins.formatters', {one_name!r}, {other_name!r}"
    [problem] = pm.load_errors
    assert problem.plugin == other_name
    assert problem.message == (
        f"ReportFormatter 'text' is registered by {names}, and {one_name!r}, {other_name!r} "
        "each replace the same built-in record (replaces=True) for the same campaign types: "
        "'text' is unusable until one is removed or they are limited to different campaign "
        "types (campaign_types)"
    )
    assert "都声明替换同一条内置记录（replaces=True）" in problem.text("zh")
    clash = pm.clash("campaignkit_report_formatters", "text")
    assert clash is not None and str(clash) == problem.message


def test_two_plugins_replacing_a_name_no_built_in_has_clash_plainly() -> None:
    """``replaces=True`` on a name only plugins give: no built-in record is replaced, and
    the message does not say one is."""
    name = "weekly"

    def weekly(label: str) -> ReportFormatter:
        return ReportFormatter(
            name, _label(label), "txt", "text/plain", lambda r, o: b"", replaces=True
        )

    one, other = _formats(weekly("one")), _formats(weekly("other"))
    pm = new_plugin_manager([one, other], entry_points=False)
    assert name not in pm.report_formatters()
    [problem] = pm.load_errors
    assert problem.message == (
        f"ReportFormatter {name!r} is registered by {canonical_name(one)!r}, "
        f"{canonical_name(other)!r}: {name!r} is unusable until only one of them registers it"
    )
    assert "内置" not in problem.text("zh")


@pytest.mark.parametrize("kind", [CampaignType, Validator])
def test_a_clash_of_records_that_cannot_replace_does_not_tell_to_replace(kind: type) -> None:
    """Campaign types and validators have no ``replaces``: a clash of one never says to set
    it, in either language."""

    class Copycat:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            return [SISONG] if kind is CampaignType else []

        @hookimpl
        def campaignkit_validators(self) -> list[Validator]:
            check = Validator("stationed-team-regions", _label("抄的"), _no_checks)
            return [check] if kind is Validator else []

    copycat = Copycat()
    pm = new_plugin_manager([copycat], entry_points=False)
    pm.registrations()
    [problem] = pm.load_errors
    name = "sisong-yifu" if kind is CampaignType else "stationed-team-regions"
    builtin = "sisong_yifu" if kind is CampaignType else "validators"
    assert problem.plugin == canonical_name(copycat)
    assert problem.message == _clash(
        kind.__name__, name, f"campaignkit.plugins.{builtin}", canonical_name(copycat)
    )
    for lang in ("zh", "en"):
        assert "replaces" not in problem.text(lang) and "替换" not in problem.text(lang)


def test_a_plugins_record_of_a_built_in_name_is_told_to_say_it_replaces() -> None:
    plain = _formats(_text_format("plain"))
    pm = new_plugin_manager([plain], entry_points=False)
    assert "text" not in pm.report_formatters()
    [problem] = pm.load_errors
    message = _not_replacing(
        "ReportFormatter", "text", "campaignkit.plugins.formatters", canonical_name(plain)
    )
    assert problem.message == message
    # beside a plugin that does replace it, only the one that does not is named
    replacing = _formats(_text_format("replacing", replaces=True))
    pm = new_plugin_manager([plain, replacing], entry_points=False)
    assert "text" not in pm.report_formatters()
    [problem] = pm.load_errors
    names = f"'campaignkit.plugins.formatters', {canonical_name(plain)!r}"
    assert problem.message == message.replace(names, f"{names}, {canonical_name(replacing)!r}")
    assert f"而 {canonical_name(plain)!r} 没有声明" in problem.text("zh")


def test_duplicate_entry_point_names_across_distributions(plugin_dir: Path) -> None:
    write_module(plugin_dir, "ep_one", GOOD)
    write_module(plugin_dir, "ep_two", GOOD.replace("good-check", "other-check"))
    install_distribution(plugin_dir, "alpha-dist", {"same-name": "ep_one"})
    install_distribution(plugin_dir, "beta-dist", {"same-name": "ep_two"})
    pm = new_plugin_manager()
    assert pm.sources["same-name"].distribution in ("alpha-dist", "beta-dist")
    (problem,) = pm.load_errors
    loaded = pm.sources["same-name"].distribution
    other = "beta-dist" if loaded == "alpha-dist" else "alpha-dist"
    assert str(problem) == (
        f"plugin 'same-name' (from {other}): entry point name 'same-name' is also used by "
        f"{loaded}; not loaded"
    )


def test_metric_clashing_with_a_campaign_type_names_both_plugins() -> None:
    class Extra:
        @hookimpl
        def campaignkit_metrics(self) -> list[MetricDef]:
            return [attrs.evolve(SAMPLE_METRIC, id="symposiums", campaign_types=())]

    extra = Extra()
    pm = new_plugin_manager([extra], entry_points=False)
    ctype = pm.campaign_type("sisong-yifu")  # the type keeps its own metric
    assert next(m for m in ctype.metrics if m.id == "symposiums") == next(
        m for m in SISONG.metrics if m.id == "symposiums"
    )
    assert [p.message for p in pm.load_errors] == [
        _not_replacing(
            "MetricDef", "symposiums", "campaignkit.plugins.sisong_yifu", canonical_name(extra)
        )
    ]


def test_plugin_metric_extends_a_campaign_type() -> None:
    labour = MetricDef(
        "labour_issues",
        _label("用工问题"),
        _label("个"),
        issues_where(lambda ctx, issue: issue.category == "labour"),
        campaign_types=("sisong-yifu",),
    )

    class Labour:
        @hookimpl
        def campaignkit_metrics(self) -> list[MetricDef]:
            return [labour]

    with plugin_manager(Labour()) as pm:
        ledger = load_ledger(minimal_document(), manager=pm)
        result = ck.compute(ledger, "labour_issues", manager=pm)
    labour_ids = [i["id"] for i in minimal_document()["issues"] if i["category"] == "labour"]
    assert result.value == len(labour_ids)
    assert list(result.provenance) == labour_ids


# -- blocking -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [HENAN, "campaignkit_henan.plugin", HENAN_DIST])
def test_entry_point_blocked_by_name_module_or_distribution(name: str) -> None:
    pm = new_plugin_manager(blocked=[name])
    assert HENAN not in pm.sources
    assert [s.name for s in pm.blocked_plugins] == [HENAN]
    assert "wanren-zhuwanqi" not in pm.campaign_types()


def test_blocked_builtin_is_not_loaded() -> None:
    pm = new_plugin_manager(blocked=["campaignkit.plugins.validators"], entry_points=False)
    assert "campaignkit.plugins.validators" not in pm.sources
    assert pm.validators() == {}
    assert [s.name for s in pm.blocked_plugins] == ["campaignkit.plugins.validators"]


def test_blocked_plugin_module_is_not_even_imported(plugin_dir: Path) -> None:
    write_module(plugin_dir, "never_imported", "raise RuntimeError('imported')\n")
    pm = new_plugin_manager(["never_imported"], blocked=["never_imported"], entry_points=False)
    assert pm.load_errors == []
    assert "never_imported" not in sys.modules


# -- the model accepts what plugins add -------------------------------------------------

LOCAL = attrs.evolve(
    SISONG,
    key="local-variant",
    label=Label("地方专项行动", "local variant"),
    activity_kinds=(*SISONG.activity_kinds, Kind("factory_tour", _label("工厂开放日"))),
    issue_categories=(*SISONG.issue_categories, Kind("customs", _label("通关"))),
    outcome_kinds=(*SISONG.outcome_kinds, Kind("patent", _label("专利转化"))),
)


class LocalVariant:
    @hookimpl
    def campaignkit_campaign_types(self) -> list[CampaignType]:
        return [LOCAL]


def _with_plugin_kinds(campaign_type: str) -> dict[str, Any]:
    doc = minimal_document()
    doc["campaign"]["type"] = campaign_type
    doc["activities"][0]["kind"] = "factory_tour"
    doc["issues"][2]["category"] = "customs"
    doc["outcomes"][0]["kind"] = "patent"
    return doc


@pytest.mark.campaignkit_plugins(LocalVariant())
def test_kinds_a_plugin_defines_are_valid_in_its_campaign_type(
    campaignkit_manager: PluginManager,
) -> None:
    ledger = load_ledger(_with_plugin_kinds("local-variant"), manager=campaignkit_manager)
    assert ledger.activities[0].kind == "factory_tour"
    assert ledger.issues[2].category == "customs"
    assert ledger.outcomes[0].kind == "patent"


@pytest.mark.campaignkit_plugins(LocalVariant())
def test_kinds_no_plugin_defines_are_errors_naming_the_type(
    campaignkit_manager: PluginManager,
) -> None:
    with pytest.raises(LedgerError) as info:
        load_ledger(_with_plugin_kinds("sisong-yifu"), manager=campaignkit_manager)
    messages = [str(p) for p in info.value.problems]
    assert len(messages) == 3
    assert messages[0].startswith(
        "activities[0].kind: unknown activity kind 'factory_tour' for campaign type 'sisong-yifu'"
    )
    assert messages[1].startswith(
        "issues[2].category: unknown issue category 'customs' for campaign type 'sisong-yifu'"
    )
    assert messages[2].startswith(
        "outcomes[0].kind: unknown outcome kind 'patent' for campaign type 'sisong-yifu'"
    )


def test_unknown_campaign_type_names_the_registered_ones() -> None:
    with plugin_manager() as pm, pytest.raises(LedgerError) as info:
        load_ledger(_with_plugin_kinds("local-variant"), manager=pm)
    assert [str(p) for p in info.value.problems] == [
        "campaign.type: unknown campaign type 'local-variant' (registered: sisong-yifu)"
    ]


# -- the testing helper -------------------------------------------------------------------


def test_plugin_manager_fails_at_once_on_a_broken_plugin() -> None:
    with pytest.raises(PluginError) as info, plugin_manager("no_such_module_for_campaignkit"):
        pass
    assert str(info.value) == (
        "1 plugin problem(s):\n  plugin 'no_such_module_for_campaignkit': cannot import: "
        "ModuleNotFoundError: No module named 'no_such_module_for_campaignkit'"
    )
    with plugin_manager("no_such_module_for_campaignkit", check=False) as pm:
        assert len(pm.load_errors) == 1


def test_load_ledger_accepts_documents_text_bytes_and_paths(tmp_path: Path) -> None:
    doc = minimal_document()
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(doc))
    with plugin_manager() as pm:
        loaded = [
            load_ledger(doc, manager=pm),
            load_ledger(orjson.dumps(doc).decode(), manager=pm),
            load_ledger(orjson.dumps(doc), manager=pm),
            load_ledger(path, manager=pm),
        ]
    assert all(ledger == loaded[0] for ledger in loaded)
    assert [i.id for i in loaded[0].issues] == [i["id"] for i in doc["issues"]]


def test_fixture_without_marker_gives_builtins_only(campaignkit_manager: PluginManager) -> None:
    assert list(campaignkit_manager.sources) == list(builtin_plugins())


def test_fixture_and_marker_in_a_fresh_pytest_run(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from campaignkit import hookimpl
        from campaignkit.rules.records import Label, Validator

        class Extra:
            @hookimpl
            def campaignkit_validators(self):
                yield Validator("extra-check", Label("附加", "extra"), lambda l, c: iter(()))

        @pytest.fixture
        def campaignkit_plugins():
            return [Extra()]
        """
    )
    pytester.makepyfile(
        """
        import pytest

        def test_override(campaignkit_manager):
            assert "extra-check" in campaignkit_manager.validators()

        @pytest.mark.campaignkit_plugins()
        def test_marker_replaces(campaignkit_manager):
            assert "extra-check" not in campaignkit_manager.validators()

        @pytest.mark.campaignkit_plugins("no_such_module_for_campaignkit")
        def test_broken(campaignkit_manager):
            pass
        """
    )
    result = pytester.runpytest("--strict-markers")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*plugin 'no_such_module_for_campaignkit': cannot import*"])


# -- campaignkit plugins --------------------------------------------------------------------


def test_cli_lists_plugins_with_source_and_registrations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plugins", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    version = importlib.metadata.version(HENAN_DIST)
    assert f"  {HENAN} (entry point, {HENAN_DIST} {version}, campaignkit_henan.plugin)" in out
    assert "  campaignkit.plugins.sisong_yifu (built-in)\n    campaign types: sisong-yifu\n" in out
    assert "    campaign types: wanren-zhuwanqi\n" in out
    assert "plugin problem" not in out


def test_cli_json_listing(capsys: pytest.CaptureFixture[str]) -> None:
    # with every installed plugin blocked (Henan's example and any other) the built-ins remain
    installed = {ep.name for ep in importlib.metadata.entry_points(group="campaignkit")}
    assert HENAN in installed
    blocks = [arg for name in sorted(installed) for arg in ("--block", name)]
    assert main([*blocks, "plugins", "--format", "json"]) == 0
    listing = orjson.loads(capsys.readouterr().out)
    assert [p["name"] for p in listing["plugins"]] == list(builtin_plugins())
    sisong = next(p for p in listing["plugins"] if p["name"].endswith("sisong_yifu"))
    assert sisong["origin"] == "built-in"
    assert sisong["registers"] == {"campaign_types": ["sisong-yifu"]}
    blocked = {b["name"]: b["distribution"] for b in listing["blocked"]}
    assert set(blocked) == installed and blocked[HENAN] == HENAN_DIST
    assert listing["problems"] == []


def test_cli_reports_load_errors_and_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--plugin", "no_such_module_for_campaignkit", "plugins"]) == 1
    captured = capsys.readouterr()
    # in the command's language (Chinese by default), as the rest of the listing
    problem = (
        "插件 'no_such_module_for_campaignkit'：无法导入：ModuleNotFoundError: "
        "No module named 'no_such_module_for_campaignkit'"
    )
    assert f"插件问题 1 个：\n  {problem}\n" in captured.out
    assert "Traceback" not in captured.err


def test_listing_shows_event_hooks_and_explicit_origin() -> None:
    class Notifier:
        @hookimpl
        def campaignkit_actions_applied(
            self, ledger: ck.Ledger, actions: tuple[Action, ...]
        ) -> None:
            pass

    notifier = Notifier()
    with plugin_manager(notifier, builtins=False) as pm:
        listing = plugin_listing(pm)
    (entry,) = listing["plugins"]
    assert entry["origin"] == "explicit"
    assert entry["events"] == ["actions_applied"]
    assert entry["registers"] == {}
    assert render_text(listing, "en") == (
        f"1 plugin(s) registered:\n  {canonical_name(notifier)} (explicit)\n"
        "    event hooks: campaignkit_actions_applied\n"
    )


def test_applying_actions_fires_the_event_hooks() -> None:
    from campaignkit.escalation.engine import apply

    states: list[tuple[str, str, str]] = []
    applied: list[tuple[Action, ...]] = []

    class Listener:
        @hookimpl
        def campaignkit_issue_state_changed(self, issue: Any, old: Any, new: Any) -> None:
            states.append((issue.id, old.state, new.state))

        @hookimpl
        def campaignkit_actions_applied(
            self, ledger: ck.Ledger, actions: tuple[Action, ...]
        ) -> None:
            applied.append(actions)

    doc = minimal_document()
    day = dt.date(2020, 4, 30)
    warn = Action("I3", "supervised", "sample-rule", day, "督办")  # leaves the state as it is
    take_back = Action("I3", "taken_back", "sample-rule", day, "带回办理")
    with plugin_manager(Listener()) as pm:
        ledger = load_ledger(doc, manager=pm)
        after = apply(ledger, [warn, take_back], manager=pm)
    assert applied == [(warn, take_back)]
    assert states == [("I3", "raised", "in_progress")]
    assert after.issue_index["I3"].events[-1].kind == "taken_back"


def test_event_hooks_are_handed_the_campaign_type_of_the_manager_that_applied() -> None:
    """A type only a manager of the caller's own registers (``campaignkit --plugin``) is
    handed to the event hooks: a notifier needs not ask the shared manager, which does
    not know it."""
    from campaignkit.escalation.engine import apply

    variant = attrs.evolve(SISONG, key="variant-only-here")
    handed: list[tuple[str, str, str]] = []

    class Variant:
        @hookimpl
        def campaignkit_campaign_types(self) -> list[CampaignType]:
            return [variant]

        @hookimpl
        def campaignkit_issue_state_changed(self, issue: Any, campaign_type: Any) -> None:
            handed.append(("state", issue.id, campaign_type.key))

        @hookimpl
        def campaignkit_actions_applied(
            self, ledger: ck.Ledger, actions: tuple[Action, ...], campaign_type: Any
        ) -> None:
            department = replay(ledger.issue_index["I3"], campaign_type.lifecycle).department
            handed.append(("applied", str(department), campaign_type.key))

    doc = minimal_document()
    doc["campaign"]["type"] = variant.key
    day = dt.date(2020, 4, 30)
    take_back = Action("I3", "taken_back", "sample-rule", day, "带回办理")
    with plugin_manager(Variant()) as pm:
        ledger = load_ledger(doc, manager=pm)
        apply(ledger, [take_back], manager=pm)
    assert not pm.load_errors, pm.load_errors
    with pytest.raises(PluginError):
        ck.get_plugin_manager().campaign_type(variant.key)
    department = replay(ledger.issue_index["I3"], SISONG.lifecycle).department
    assert handed == [
        ("state", "I3", variant.key),
        ("applied", str(department), variant.key),
    ]
