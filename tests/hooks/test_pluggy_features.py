"""What the hook reference says of pluggy's features, checked: the ordering flags order the
calls but never settle a clash, records are gathered by name, a wrapper around a
registration hook may leave records out and put its own in, ``specname`` and
``optionalhook`` work, and no hook is ``firstresult`` or ``historic``."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import attrs

import campaignkit as ck
from campaignkit import hookimpl, new_plugin_manager
from campaignkit.hooks import specs
from campaignkit.hooks.manager import canonical_name
from campaignkit.report.build import Report, build_report, render
from campaignkit.rules.records import Label, RenderOptions, ReportFormatter, Validator

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _validator(name: str) -> Validator:
    return Validator(name, Label(name, name), lambda ledger, ctype: iter(()))


def test_records_are_gathered_by_name_whatever_the_flags() -> None:
    seen: list[list[str]] = []

    class First:
        @hookimpl(tryfirst=True)
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("zz-first")]

    class Last:
        @hookimpl(trylast=True)
        def campaignkit_validators(self) -> list[Validator]:
            return [_validator("aa-last")]

    class Looks:
        @hookimpl(wrapper=True)
        def campaignkit_validators(self) -> Generator[None, Any, Any]:
            results = yield
            seen.append([v.name for result in results for v in result])
            return results

    pm = new_plugin_manager([Last(), First(), Looks()], entry_points=False)
    names = list(pm.validators())
    assert names == sorted(names)
    # the flags order the calls: a wrapper sees the tryfirst result first, the trylast one last
    assert seen[0][0] == "zz-first" and seen[0][-1] == "aa-last"


def test_tryfirst_does_not_win_a_clash() -> None:
    class Mine:
        @hookimpl(tryfirst=True)
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            render_ = ReportFormatter("text", Label("我的", "mine"), "txt", "text/plain", _mine)
            return [render_]

    mine = Mine()
    pm = new_plugin_manager([mine], entry_points=False)
    formatters = pm.report_formatters()
    assert "text" not in formatters and "csv" in formatters  # the name is unusable, not won
    plugins = pm.clashes[("campaignkit_report_formatters", "text")]
    assert set(plugins) == {canonical_name(mine), "campaignkit.plugins.formatters"}


def _mine(report: Report, options: RenderOptions) -> bytes:
    return b"mine\n"


def test_a_wrapper_may_put_its_own_record_in_place_of_a_built_in_one() -> None:
    class Headed:
        """The built-in text format under a heading of its own: the wrapper leaves the
        built-in record out and puts one in that calls it."""

        @hookimpl(wrapper=True)
        def campaignkit_report_formatters(self) -> Generator[None, Any, Any]:
            results = yield
            text: ReportFormatter
            (text,) = [f for result in results for f in result if f.name == "text"]

            def headed(report: Report, options: RenderOptions) -> bytes:
                return "— 内部 —\n".encode() + text.render(report, options)

            kept = [[f for f in result if f.name != "text"] for result in results]
            return [*kept, [attrs.evolve(text, render=headed)]]

    headed = Headed()
    pm = new_plugin_manager([headed], entry_points=False)
    formatters = pm.report_formatters()
    # records in lists the wrapper made are its own (here the built-ins' other formats too)
    assert pm.owner("campaignkit_report_formatters", "text") == canonical_name(headed)
    assert pm.load_errors == []
    report = build_report(ck.load(HUAINAN, manager=pm), manager=pm)
    plain = new_plugin_manager(entry_points=False)
    out = render(report, "text", manager=pm)
    assert out == "— 内部 —\n".encode() + render(report, "text", manager=plain)
    assert set(formatters) == set(plain.report_formatters())


def test_specname_and_optionalhook() -> None:
    class Named:
        @hookimpl(specname="campaignkit_validators")
        def my_checks(self) -> list[Validator]:
            return [_validator("by-specname")]

        @hookimpl(optionalhook=True)
        def campaignkit_of_a_later_version(self) -> list[object]:
            return []

    named = Named()
    pm = new_plugin_manager([named], entry_points=False)
    assert "by-specname" in pm.validators()
    assert pm.load_errors == []
    # listed apart, not as an event hook this version would call
    name = pm.get_name(named)
    assert name is not None
    assert pm.optional_hooks(name) == ["campaignkit_of_a_later_version"]
    assert pm.registrations()[name] == {"validators": ["by-specname"]}


def test_no_hook_is_firstresult_or_historic() -> None:
    for name, spec in specs.hook_specs().items():
        opts = getattr(spec, specs.PROJECT_NAME + "_spec")
        assert not opts["firstresult"] and not opts["historic"], name
