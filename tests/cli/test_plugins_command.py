"""``campaignkit plugins`` words the plugins' problems in the language of the command."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from campaignkit.cli.app import main
from campaignkit.cli.commands.plugins import plugin_listing, render_text
from campaignkit.hooks.manager import new_plugin_manager

MISSING = "no_such_module_for_campaignkit"

TEXT_FORMAT = """
from campaignkit import hookimpl
from campaignkit.rules.records import Label, ReportFormatter

@hookimpl
def campaignkit_report_formatters():
    return [ReportFormatter("text", Label("文本", "text"), "txt", "text/plain",
                            lambda report, options: b"")]
"""


def _problems(out: str, heading: str) -> list[str]:
    """The lines under the listing's problems heading."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading)) + 1
    return [line.strip() for line in lines[start:] if line.startswith("  ")]


def test_a_plugins_problem_is_listed_in_chinese_by_default_and_in_english_with_lang_en(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--plugin", MISSING, "plugins"]) == 1
    (zh,) = _problems(capsys.readouterr().out, "插件问题 1 个")
    assert zh.startswith(f"插件 '{MISSING}'：无法导入：ModuleNotFoundError")
    assert main(["--plugin", MISSING, "plugins", "--lang", "en"]) == 1
    (en,) = _problems(capsys.readouterr().out, "1 plugin problem(s)")
    assert en.startswith(f"plugin '{MISSING}': cannot import: ModuleNotFoundError")
    # the JSON listing, data for programs, keeps English whatever --lang says
    assert main(["--plugin", MISSING, "plugins", "--format", "json"]) == 1
    assert orjson.loads(capsys.readouterr().out)["problems"] == [en]


def test_a_clash_is_listed_in_chinese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_text_format.py").write_text(TEXT_FORMAT, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["--plugin", "my_text_format", "plugins"]) == 1
    (problem,) = _problems(capsys.readouterr().out, "插件问题 1 个")
    assert problem.startswith("插件 'my_text_format'：ReportFormatter 'text' 由 ")
    assert "没有声明" in problem and "registered by" not in problem


def test_the_listing_words_its_problems_in_the_language_asked_for() -> None:
    pm = new_plugin_manager([MISSING], entry_points=False)
    zh = plugin_listing(pm, "zh")
    assert zh["problems"] == [pm.load_errors[0].text("zh")]
    assert f"  插件 '{MISSING}'：无法导入：" in render_text(zh)
    assert plugin_listing(pm)["problems"] == [str(pm.load_errors[0])]  # English by default


UNKNOWN_HOOK = """
from campaignkit import hookimpl

@hookimpl
def campaignkit_validatorz():
    return []
"""

WRONG_RECORDS = """
from campaignkit import hookimpl

@hookimpl
def campaignkit_validators():
    return ["not a validator"]

def campaignkit_metrics():
    return []
"""


def test_every_kind_of_problem_a_plugin_has_is_worded_in_chinese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown hook (with a guess), a record of the wrong type and a hook not marked:
    each is one line, in Chinese by default, in English with --lang en."""
    import sys

    for name, body in (("unknown_hook_plugin", UNKNOWN_HOOK), ("wrong_records", WRONG_RECORDS)):
        (tmp_path / f"{name}.py").write_text(body, encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    argv = ["--plugin", "unknown_hook_plugin", "--plugin", "wrong_records", "plugins"]
    assert main(argv) == 1
    zh = _problems(capsys.readouterr().out, "插件问题 3 个")
    assert zh == [
        "插件 'unknown_hook_plugin'：不认识的钩子 'campaignkit_validatorz'"
        "（是不是 'campaignkit_validators'？）",
        "插件 'wrong_records'：campaignkit_metrics 没有用 @hookimpl 标记；已忽略",
        "插件 'wrong_records'：campaignkit_validators 返回了 str，应为 Validator",
    ]
    assert main([*argv, "--lang", "en"]) == 1
    en = _problems(capsys.readouterr().out, "3 plugin problem(s)")
    assert en == [
        "plugin 'unknown_hook_plugin': unknown hook 'campaignkit_validatorz' "
        "(did you mean 'campaignkit_validators'?)",
        "plugin 'wrong_records': campaignkit_metrics is not marked with @hookimpl; ignored",
        "plugin 'wrong_records': campaignkit_validators returned str, expected Validator",
    ]


BAD_LIFECYCLE = """
from campaignkit.plugins import DEFAULT_LIFECYCLE, Label, Lifecycle, Transition

LIFECYCLE = Lifecycle(
    initial="raised",
    states=DEFAULT_LIFECYCLE.states,
    transitions=(Transition("verify", ("raised",), "verifying", None, Label("核实", "verify")),),
)
"""


def test_a_lifecycle_refused_at_import_is_worded_in_the_language_of_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad_lifecycle.py").write_text(BAD_LIFECYCLE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["--plugin", "bad_lifecycle", "plugins"]) == 1
    (zh,) = _problems(capsys.readouterr().out, "插件问题 1 个")
    assert zh == (
        "插件 'bad_lifecycle'：无法导入：LifecycleError: "
        "办理记录 'verify' 的转换用到了未知的状态 'verifying'"
    )
    assert main(["--plugin", "bad_lifecycle", "plugins", "--lang", "en"]) == 1
    (en,) = _problems(capsys.readouterr().out, "1 plugin problem(s)")
    assert en == (
        "plugin 'bad_lifecycle': cannot import: LifecycleError: "
        "transition 'verify': unknown state 'verifying'"
    )


REFUSED_RECORDS = """
import attrs
from campaignkit import hookimpl
from campaignkit.plugins import Deadline, DeadlineStage, DeadlineUnit, Label, MetricDef
from campaignkit.plugins import NarrativeTemplate
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.stats.contributions import issues_where


@hookimpl
def campaignkit_metrics():
    yield MetricDef("labour_issues", Label("用工问题", "labour issues"), "件", issues_where())


@hookimpl
def campaignkit_campaign_types():
    stage = DeadlineStage(
        "visit", Label("回访", "visit"), start=("visited",), stop=("closed",),
        default=Deadline(3, DeadlineUnit.DAYS),
    )
    policy = attrs.evolve(CAMPAIGN_TYPE.policy, stages=(*CAMPAIGN_TYPE.policy.stages, stage))
    yield attrs.evolve(CAMPAIGN_TYPE, key="bad-stage", policy=policy)
    narrative = NarrativeTemplate(zh=("走访{visited}家",), en=("{visited} visited",))
    yield attrs.evolve(CAMPAIGN_TYPE, key="bad-narrative", narrative=narrative)
"""


def test_refused_records_are_worded_in_the_language_of_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "refused_records.py").write_text(REFUSED_RECORDS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["--plugin", "refused_records", "plugins"]) == 1
    zh = _problems(capsys.readouterr().out, "插件问题 3 个")
    prefix = "插件 'refused_records'："
    assert sorted(zh) == [
        prefix + "CampaignType 'bad-narrative' 没有采用："
        "工作概况段落（中文和英文模板）的占位符 {visited} 不是这个活动类型的指标",
        prefix + "CampaignType 'bad-stage' 没有采用："
        "处理策略的时限阶段 'visit'：生命周期里没有办理记录 'visited'",
        prefix + "MetricDef 'labour_issues' 没有采用：unit：应为 Label 类型的值，实际是 str '件'",
    ]
    assert main(["--plugin", "refused_records", "plugins", "--lang", "en"]) == 1
    en = _problems(capsys.readouterr().out, "3 plugin problem(s)")
    prefix = "plugin 'refused_records': "
    assert sorted(en) == [
        prefix + "CampaignType 'bad-narrative' left out: narrative placeholder {visited} "
        "(Chinese and English templates) is not a metric of the type",
        prefix + "CampaignType 'bad-stage' left out: "
        "policy stage 'visit': the lifecycle has no event 'visited'",
        prefix + "MetricDef 'labour_issues' left out: unit: expected Label, got str '件'",
    ]
