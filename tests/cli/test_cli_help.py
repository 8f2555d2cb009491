"""The command line's help: Chinese by default, English with ``--lang en``, wrapped by width."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest
from wcwidth import wcswidth

from campaignkit.cli.app import build_parser, main, parsers
from campaignkit.cli.helptext import ZH, key, translate, wrap


def _texts(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """(where, English text) of every description, option help, command help and title."""
    for p in parsers(parser):
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
    assert missing == [], f"add these to campaignkit.cli.helptext: {missing}"


def test_every_option_says_what_it_does() -> None:
    silent = [
        f"{p.prog} {'/'.join(a.option_strings) or a.dest}"
        for p in parsers(build_parser())
        for a in p._actions
        if not a.help and not isinstance(a, argparse._SubParsersAction)
    ]
    assert silent == []


def test_no_chinese_entry_is_left_unused() -> None:
    used = {key(text) for _, text in _texts(build_parser())}
    assert sorted(set(ZH) - used) == []


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no phrase looked for is wrapped."""
    monkeypatch.setenv("COLUMNS", "300")


@pytest.mark.usefixtures("wide")
def test_help_is_chinese_by_default_and_english_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    zh = help_of(capsys, "report", "--help")
    assert "位置参数：" in zh and "选项：" in zh
    assert "显示本帮助并退出" in zh
    assert "个人联系方式默认打码" in zh  # the command's description
    assert "统计截至这一天" in zh and "figures as of this date" not in zh
    for argv in (["report", "--help", "--lang", "en"], ["report", "--lang=en", "-h"]):
        en = help_of(capsys, *argv)
        assert "positional arguments:" in en and "figures as of this date" in en
        assert "统计截至这一天" not in en
    top = help_of(capsys, "--help")
    assert "把工作簿（问题台账、企业名录、活动记录、成果）并入台账" in top
    assert "merge a workbook" in help_of(capsys, "--help", "--lang", "en")


@pytest.mark.usefixtures("wide")
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
        usage, _, rest = text.partition("\n\n")  # the usage lines are argparse's own
        assert usage.startswith("usage:")
        for line in rest.splitlines():
            assert wcswidth(line) <= 60, line
            assert line.strip()[:1] not in set(",。、;:)"), line


def test_translate_leaves_english_and_unknown_text_as_they_are() -> None:
    assert translate("options", "zh") == "选项"
    assert translate("options", "en") == "options"
    assert translate("not a help text", "zh") == "not a help text"
    # rewrapping the English does not lose its Chinese
    assert translate("figures  as of\nthis date", "zh") == "统计截至这一天"


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("一二三四五六", 6, ["一二三", "四五六"]),
        ("一二三。四", 6, ["一二", "三。四"]),  # no line starts with closing punctuation
        ("一二(三四)", 6, ["一二", "(三四)"]),  # nor ends with an opening bracket
        ("数字(默认 zh)", 6, ["数字", "(默认", "zh)"]),
        ("naïve résumé", 3, ["naïve", "résumé"]),  # letters beyond ASCII stay whole
        ("e\u0301e\u0301e\u0301", 2, ["e\u0301e\u0301e\u0301"]),  # marks stay with letters
        ("一\u3000二", 2, ["一", "\u3000", "二"]),  # only ASCII whitespace is collapsed
        ("a\t\n b", 8, ["a b"]),
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


@pytest.mark.parametrize("width", [2, 5, 13, 40])
def test_wrap_loses_and_reorders_nothing(width: int) -> None:
    for text in {*ZH.values(), *ZH}:
        lines = wrap(text, width)
        assert "".join(lines).replace(" ", "") == "".join(text.split())
        # a space is dropped only where a line breaks
        assert sum(line.count(" ") for line in lines) + len(lines) - 1 >= len(text.split()) - 1


def test_lang_before_the_command_counts_as_after_it(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.cli.test_cli import HUAINAN

    assert main(["--lang", "en", "summary", str(HUAINAN), "--headline"]) == 0
    assert "enterprises visited" in capsys.readouterr().out
    # the last --lang wins, wherever it is
    assert main(["--lang", "en", "summary", str(HUAINAN), "--headline", "--lang", "zh"]) == 0
    assert "走访企业" in capsys.readouterr().out
    assert main(["--lang=en", "report", "missing.json"]) == 1
    assert "No such file or directory" in capsys.readouterr().err
    assert "--lang {zh,en}" in help_of(capsys, "--help")


def test_commands_are_listed_in_the_order_of_the_work(capsys: pytest.CaptureFixture[str]) -> None:
    from campaignkit.cli.app import COMMAND_ORDER

    listed = re.findall(r"^    ([a-z]+)  ", help_of(capsys, "--help"), re.M)
    assert listed == list(COMMAND_ORDER)
    with pytest.raises(SystemExit):
        main(["reprot"])
    err = capsys.readouterr().err
    assert err.rstrip().endswith(
        "（可选：" + ", ".join(repr(name) for name in COMMAND_ORDER) + "）"
    )
