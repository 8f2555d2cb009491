"""The command line's help: Chinese by default, English with ``--lang en``, wrapped by width."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
from wcwidth import wcswidth

from campaignkit.cli import build_parser, main
from campaignkit.helptext import ZH, key, translate, wrap


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def _texts(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """(where, English text) of every description, option help, command help and title."""
    for p in _parsers(parser):
        if p.description:
            yield f"{p.prog} description", p.description
        for group in p._action_groups:
            if group.title:
                yield f"{p.prog} section", group.title
        for action in p._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                yield f"{p.prog} {'/'.join(action.option_strings) or action.dest}", action.help
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert choice.help
                    yield f"{p.prog} {choice.dest}", choice.help


def test_every_help_text_has_its_chinese() -> None:
    missing = [where for where, text in _texts(build_parser()) if key(text) not in ZH]
    assert missing == [], f"add these to campaignkit.helptext: {missing}"


def test_no_chinese_entry_is_left_unused() -> None:
    used = {key(text) for _, text in _texts(build_parser())}
    assert sorted(set(ZH) - used) == []


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    assert exc.value.code == 0
    return capsys.readouterr().out


def test_help_is_chinese_by_default_and_english_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    zh = help_of(capsys, "report", "--help")
    assert "位置参数:" in zh and "选项:" in zh
    assert "显示本帮助并退出" in zh
    assert "个人联系方式默认打码" in zh  # the command's description
    assert "按这一天统计" in zh and "figures as of this date" not in zh
    for argv in (["report", "--help", "--lang", "en"], ["report", "--lang=en", "-h"]):
        en = help_of(capsys, *argv)
        assert "positional arguments:" in en and "figures as of this date" in en
        assert "按这一天统计" not in en
    top = help_of(capsys, "--help")
    assert "把工作簿(问题台账、企业名录、活动记录)并入台账" in top
    assert "merge a workbook" in help_of(capsys, "--help", "--lang", "en")


def test_descriptions_read_plainly_in_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    for lang in ("zh", "en"):
        text = help_of(capsys, "report", "--help", "--lang", lang)
        assert "``" not in text and "report LEDGER" in text


def test_help_lines_fit_the_terminal_by_display_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    for command in ("import", "report", "summary", "plugins"):
        text = help_of(capsys, command, "--help")
        for line in text.splitlines():
            if line.startswith("usage:") or line.startswith(" " * 10 + "["):
                continue  # argparse's own usage line is wrapped by argparse
            assert wcswidth(line) <= 60, line


def test_translate_leaves_english_and_unknown_text_as_they_are() -> None:
    assert translate("options", "zh") == "选项"
    assert translate("options", "en") == "options"
    assert translate("not a help text", "zh") == "not a help text"
    # rewrapping the English does not lose its Chinese
    assert translate("figures  as of\nthis date", "zh") == "按这一天统计"


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("一二三四五六", 6, ["一二三", "四五六"]),
        ("按 --output 的扩展名", 10, ["按", "--output", "的扩展名"]),
        ("show this help and exit", 10, ["show this", "help and", "exit"]),
        ("a-very-long-option-name x", 8, ["a-very-long-option-name", "x"]),
        ("  ", 8, []),
    ],
)
def test_wrap_counts_a_chinese_character_as_two_columns(
    text: str, width: int, lines: list[str]
) -> None:
    assert wrap(text, width) == lines
    for line in wrap(text, width):
        assert wcswidth(line) <= width or " " not in line
