"""Problem messages are worded in Chinese by default, in English as written."""

from __future__ import annotations

import re

import pytest

from campaignkit.errors import Problem
from campaignkit.i18n.messages import LANGUAGES, known, localise

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_english_is_the_message_as_written() -> None:
    message = "unknown enterprise 'E0999'"
    assert localise(message, "en") == message
    assert localise(message) == "未知的企业 'E0999'"
    assert LANGUAGES[0] == "zh"


def test_quoted_values_and_keys_stay_as_they_are() -> None:
    found = localise("unknown key(s) 'enterprize'; allowed: id, category")
    assert found == "不认识的键 'enterprize';可以用的键:id, category"
    assert localise("check character should be 'Y'") == "校验码应为 'Y'"


def test_a_leading_label_is_kept_and_the_rest_worded_again() -> None:
    # a column header, as the Excel import writes it, before the message
    found = localise("问题类别: unknown issue category '吃饭' (choose from: 用工、融资)")
    assert found == "问题类别: 未知的问题类别 '吃饭'(可选:用工、融资)"


def test_a_message_nobody_worded_is_shown_as_written() -> None:
    message = "the plugin's own words: 42 widgets"
    assert localise(message) == message
    assert not known(message)


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("expected an integer, got the string '300'", "应为整数,实际是字符串 '300'"),
        ("expected a list, got an object", "应为列表,实际是对象"),
        ("2020-04-12 is before the issue was raised (2020-04-13)", "早于问题的收集日期"),
        ("duplicate issue id 'I1' (first at issues[0])", "问题编号 'I1' 重复"),
        ("not UTF-8 at byte 122 (is it GBK? save it as UTF-8)", "是不是 GBK 编码"),
        ("交办层级 and 责任单位 are both needed to assign an issue", "交办问题要同时填"),
        (
            "issue 'I2': event 'feedback' is not allowed in state 'closed'; "
            "allowed events: reopened, return_visit",
            "问题 'I2':状态 'closed' 下不能有办理记录 'feedback'",
        ),
    ],
)
def test_messages_campaignkit_writes_are_worded_in_chinese(message: str, wanted: str) -> None:
    found = localise(message)
    assert wanted in found and _CJK.search(found) and known(message)


def test_a_problem_as_a_line_in_either_language() -> None:
    problem = Problem("issues[42].enterprise", "unknown enterprise 'E0999'", "ledger.json")
    assert problem.text() == "ledger.json: issues[42].enterprise: 未知的企业 'E0999'"
    assert problem.text("en") == str(problem)
    assert str(problem) == "ledger.json: issues[42].enterprise: unknown enterprise 'E0999'"
    assert Problem("", "required key missing").text() == "缺少必填的键"


def test_command_line_errors_are_worded_in_chinese() -> None:
    assert localise("the xlsx format is binary: give --output FILE.xlsx") == (
        "xlsx 格式是二进制的,请用 --output 文件名.xlsx 写入文件"
    )
    chained = (
        "report formatter 'henan-weekly' of plugin 'henan-wanren' failed: "
        "CampaignkitError: 工作周报要用指标 a"
    )
    assert (
        localise(chained) == "插件 'henan-wanren' 的报告格式 'henan-weekly' 出错:工作周报要用指标 a"
    )


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("cannot write r.html: Permission denied", "无法写入 r.html:没有权限"),
        ("ledger.json: cannot read: No space left on device", "ledger.json: 无法读取:磁盘空间不足"),
        ("ambiguous option: --l could match --lang, --level", "选项 --l 有歧义,可能是 --lang, --level"),
        ("argument --timeout: invalid float value: 'soon'", "参数 --timeout:'soon' 不是有效的 float 值"),
        ("argument --a: not allowed with argument --b", "参数 --a 不能与 --b 同时给出"),
        ("plugin 'acme' failed: KeyError: 'x' (acme.py:3 in f)", "插件 'acme' 出错:KeyError: 'x' (acme.py:3 in f)"),
        ("unexpected TypeError: bad (--debug shows where)", "意外的错误 TypeError:bad(加 --debug 可看到出错的位置)"),
        ("report formatter 'w' of plugin 'p' did not finish within 5 s; skipped", "插件 'p' 的报告格式 'w' 在 5 秒内没有完成,已跳过"),
        ("plugin 'p' (from p-dist): cannot import: ImportError: no", "插件 'p'(来自 p-dist):无法导入:ImportError: no"),
        ("plugin 'p': WorkdayCalendar 'c' left out: priority: expected int, got str 'high'", "插件 'p':WorkdayCalendar 'c' 没有采用:priority: expected int, got str 'high'"),
    ],
)  # fmt: skip
def test_command_line_and_plugin_messages(message: str, wanted: str) -> None:
    assert localise(message) == wanted
    assert localise(message, "en") == message


def test_a_message_with_many_labels_is_worded_without_recursion() -> None:
    from campaignkit.i18n.messages import localise

    message = ": ".join(f"k{i}" for i in range(5_000)) + ": required key missing"
    assert localise(message) == message  # too many labels to look behind: left as it is
    assert localise("a.json: sheet!C7: required key missing") == ("a.json: sheet!C7: 缺少必填的键")


def test_a_rule_failure_words_the_reason_it_quotes() -> None:
    from campaignkit.i18n.messages import localise

    refused = (
        "escalation rule 'r' (plugin 'p') failed on issue 'I1': proposed a refused event: "
        "issue 'I1': event 'escalated' is not allowed in state 'closed'; "
        "allowed events: nothing (final state)"
    )
    assert localise(refused) == (
        "督办规则 'r'(插件 'p')在问题 'I1' 上出错:提出了生命周期不允许的事件:"
        "问题 'I1':状态 'closed' 下不能有办理记录 'escalated'(可以有:无(已是最终状态))"
    )
    # the rule's own exception is quoted as it was raised
    raised = "escalation rule 'r' failed on issue 'I1': KeyError: 'x'"
    assert localise(raised) == "督办规则 'r'在问题 'I1' 上出错:KeyError: 'x'"
