"""Problems carry a code; their words come from the catalogue, in Chinese by default."""

from __future__ import annotations

import pytest

from campaignkit.errors import Problem, TransitionError
from campaignkit.i18n.catalogue import Phrase, noun
from campaignkit.i18n.messages import LANGUAGES, known, localise


def test_a_coded_problem_reads_in_either_language() -> None:
    problem = Problem.of(
        "unknown-reference",
        "issues[42].enterprise",
        source="ledger.json",
        what=noun("enterprise"),
        key="E0999",
    )
    assert problem.code == "unknown-reference"
    assert problem.message == "unknown enterprise 'E0999'"
    assert problem.text() == "ledger.json: issues[42].enterprise: 未知的企业 'E0999'"
    assert problem.text("en") == str(problem)
    assert str(problem) == "ledger.json: issues[42].enterprise: unknown enterprise 'E0999'"
    assert LANGUAGES[0] == "zh"


def test_an_old_style_problem_shows_its_message_as_written() -> None:
    problem = Problem("issues[3].extra", "a major issue needs its assignment")
    assert problem.code == ""
    assert problem.message == "a major issue needs its assignment"
    assert (
        problem.text()
        == problem.text("en")
        == "issues[3].extra: a major issue needs its assignment"
    )
    located = Problem("", "the plugin's own words", "a.json")
    assert str(located) == "a.json: the plugin's own words" == located.text("zh")


def test_a_problem_needs_every_argument_its_words_use() -> None:
    with pytest.raises(TypeError, match="key"):
        Problem.of("unknown-reference", "x", what=noun("enterprise"))
    with pytest.raises(TypeError):
        Problem("x")


def test_quoted_values_and_keys_stay_as_they_are() -> None:
    found = Phrase("unknown-keys-allowed", {"keys": "'enterprize'", "allowed": "id, category"})
    assert found.text() == "不认识的键 'enterprize'；可以用的键：id, category"
    assert Phrase("uscc-check-character", {"expected": "Y"}).text() == "校验码应为 'Y'"


def test_words_inside_words_are_worded_in_the_same_language() -> None:
    got = Phrase("value.string", {"value": "'300'"})
    phrase = Phrase("expected-integer", {"got": got})
    assert phrase.text("en") == "expected an integer, got the string '300'"
    assert phrase.text() == "应为整数，实际是字符串 '300'"
    labelled = Phrase(
        "labelled",
        {
            "label": "问题类别",
            "inner": Phrase(
                "unknown-choice",
                {"what": noun("issue category"), "key": "吃饭", "choices": "用工、融资"},
            ),
        },
    )
    assert labelled.text() == "问题类别: 未知的问题类别 '吃饭'（可选：用工、融资）"


def test_a_refused_event_reads_in_either_language() -> None:
    error = TransitionError("I2", "closed", "feedback", None, ["reopened", "return_visit"])
    assert str(error) == (
        "issue 'I2': event 'feedback' is not allowed in state 'closed'; "
        "allowed events: reopened, return_visit"
    )
    assert error.phrase.text() == (
        "问题 'I2'：状态 'closed' 下不能有办理记录 'feedback'（可以有：reopened, return_visit）"
    )
    final = TransitionError("I1", "closed", "escalated", "x", [])
    assert final.phrase.text().endswith("（可以有：无（已是最终状态））")


def test_localise_words_a_phrase_and_leaves_other_text_as_written() -> None:
    phrase = Phrase("binary-format", {"name": "xlsx", "extension": "xlsx"})
    assert localise(phrase) == "xlsx 格式是二进制的，请用 --output 文件名.xlsx 写入文件"
    assert localise(phrase, "en") == "the xlsx format is binary: give --output FILE.xlsx"
    message = "the plugin's own words: 42 widgets"
    assert localise(message) == message
    assert not known(message)


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        ("ambiguous option: --l could match --lang, --level", "选项 --l 有歧义，可能是 --lang, --level"),
        ("argument --timeout: invalid float value: 'soon'", "参数 --timeout：'soon' 不是有效的 float 值"),
        ("argument --a: not allowed with argument --b", "参数 --a 不能与 --b 同时给出"),
        ("argument --format/-f: expected one argument", "参数 --format/-f：后面要跟一个值"),
        ("cannot read: No space left on device", "无法读取：磁盘空间不足"),
        ("metric 'm' of plugin 'p' failed: KeyError: 'x'", "插件 'p' 的指标 'm' 出错：KeyError: 'x'"),
    ],
)  # fmt: skip
def test_english_campaignkit_receives_as_text_is_read_back(message: str, wanted: str) -> None:
    """argparse's words, and those of the packages that give no codes yet."""
    assert localise(message) == wanted
    assert localise(message, "en") == message
    assert known(message)


def test_a_refused_event_quoted_by_a_rule_failure_is_read_back() -> None:
    refused = (
        "proposed a refused event: issue 'I1': event 'escalated' is not allowed in state "
        "'closed'; allowed events: nothing (final state)"
    )
    assert localise(refused) == (
        "提出了生命周期不允许的事件："
        "问题 'I1'：状态 'closed' 下不能有办理记录 'escalated'（可以有：无（已是最终状态））"
    )


def test_a_long_message_is_read_back_quickly() -> None:
    message = ": ".join(f"k{i}" for i in range(5_000)) + ": required key missing"
    assert localise(message) == message
