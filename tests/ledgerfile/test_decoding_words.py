"""What is wrong with a document is said in plain words, where it is (issue 22).

``10**400`` is valid JSON, just out of range (it was "not valid JSON: number is
infinity when parsed as double"); ``2**64`` is an integer too large (it was "a
number with a fraction"); a ``null`` in a list of records is an entry that is
null (it was Python's "argument of type 'NoneType' is not iterable").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import campaignkit as ck
from campaignkit.stats.reconcile import load_claims
from tests.conftest import minimal_document

LARGEST = "an integer too large (the largest is 18446744073709551615)"
SMALLEST = "an integer too small (the smallest is -9223372036854775808)"
AS_DECIMAL = "written with a decimal point or an exponent"


def _problems(data: bytes | str) -> list[str]:
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(data)
    return [str(p) for p in info.value.problems]


def _with_headcount(literal: str) -> str:
    text = json.dumps(minimal_document(), ensure_ascii=False)
    assert text.count('"headcount": 15') == 1
    return text.replace('"headcount": 15', f'"headcount": {literal}')


@pytest.mark.parametrize(
    ("literal", "got"),
    [
        ("1" + "0" * 400, LARGEST),
        ("-1" + "0" * 400, SMALLEST),
        (str(2**64), LARGEST),
        (str(-(2**63) - 1), SMALLEST),
        ("1e400", "a number out of range (1e400)"),
        ("-1E+400", "a number out of range (-1E+400)"),
        ("1" * 30 + "e1", LARGEST),
        ("15.0", f"the number 15.0, {AS_DECIMAL}"),
        ("1E+2", f"the number 100.0, {AS_DECIMAL}"),
        ("-0.0", f"the number -0.0, {AS_DECIMAL}"),
        ("1.5", "a number with a fraction"),
    ],
)
def test_numbers_in_an_integer_field(literal: str, got: str) -> None:
    text = _with_headcount(literal)
    expected = [f"work_groups[0].headcount: expected an integer, got {got}"]
    assert _problems(text.encode()) == expected
    assert _problems(text) == expected  # given as text, the same words


@pytest.mark.parametrize(
    ("written", "why", "why_zh"),
    [
        (
            "2021-02-29",
            "the days of month 2 of 2021 run from 1 to 28",
            "2021 年 2 月的日期是 1 日到 28 日",
        ),
        (
            "2020-04-31",
            "the days of month 4 of 2020 run from 1 to 30",
            "2020 年 4 月的日期是 1 日到 30 日",
        ),
        (
            "2020-04-00",
            "the days of month 4 of 2020 run from 1 to 30",
            "2020 年 4 月的日期是 1 日到 30 日",
        ),
        ("2020-13-01", "there is no month 13", "没有 13 月"),
        ("0000-01-01", "there is no year 0", "没有公元 0 年"),
    ],
)
def test_a_date_not_on_the_calendar_says_why_in_the_language(
    written: str, why: str, why_zh: str
) -> None:
    doc = minimal_document()
    doc["campaign"]["period"]["start"] = written
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(json.dumps(doc))
    problem = info.value.problems[0]
    assert str(problem) == f"campaign.period.start: not a calendar date: '{written}' ({why})"
    assert problem.text("zh") == (
        f"campaign.period.start: 不是日历上的日期：'{written}'（{why_zh}）"
    )


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("24:00", "hours run from 00 to 23"),
        ("09:60", "minutes run from 00 to 59"),
        ("09:30:61", "seconds run from 00 to 59"),
    ],
)
def test_a_time_not_on_the_clock_says_why(written: str, why: str) -> None:
    doc = minimal_document()
    doc["issues"][0]["events"][0]["time"] = written
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(json.dumps(doc))
    (problem,) = info.value.problems
    assert str(problem) == f"issues[0].events[0].time: not a time of day: '{written}' ({why})"


def test_the_largest_integers_are_read() -> None:
    ledger = ck.loads(_with_headcount("-0").encode())
    assert ledger.work_groups[0].headcount == 0  # an integer written with a sign: still 0
    text = json.dumps(minimal_document(), ensure_ascii=False)
    text = text.replace('"copies": 300', f'"copies": {2**64 - 1}')
    # read exactly, then refused by the bounds on what a count may be, not by the reading
    problems = [p for p in _problems(text.encode()) if "figures" in p]
    assert problems and all("expected an integer" not in p for p in problems)


def test_numbers_out_of_range_are_located_inside_extra() -> None:
    document = minimal_document()
    document["activities"][4]["extra"] = {"media_level": "provincial", "detail": {"reach": 7}}
    text = json.dumps(document, ensure_ascii=False).replace('"reach": 7', '"reach": 1e999')
    assert _problems(text.encode()) == [
        "activities[4].extra.detail.reach: numbers here must be integers from"
        " -9223372036854775808 to 18446744073709551615 (write other numbers as strings),"
        " got a number out of range (1e999)"
    ]


def test_an_amount_too_large_for_an_integer_asks_for_a_string() -> None:
    document: dict[str, Any] = minimal_document()
    document["outcomes"][2]["amount_yuan"] = 2**70
    assert _problems(json.dumps(document).encode()) == [
        'outcomes[2].amount_yuan: expected an exact amount as a string (e.g. "1180591620717411303424"),'
        f" got {LARGEST}"
    ]


@pytest.mark.parametrize(
    ("literal", "got"),
    [
        ("1.0", f"the number 1.0, {AS_DECIMAL}"),
        ("1E0", f"the number 1.0, {AS_DECIMAL}"),
        ("true", "a boolean"),
        ("1" + "0" * 400, LARGEST),
    ],
)
def test_the_format_version_is_an_integer(literal: str, got: str) -> None:
    text = json.dumps(minimal_document(), ensure_ascii=False)
    text = text.replace('"version": 1', f'"version": {literal}', 1)
    assert _problems(text.encode()) == [
        f"version: the format version must be an integer (this campaignkit reads 1), got {got}"
    ]


@pytest.mark.parametrize(
    ("where", "what"),
    [
        (("regions",), "a region"),
        (("work_groups",), "a work group"),
        (("work_groups", 0, "teams"), "a team"),
        (("enterprises",), "an enterprise"),
        (("activities",), "an activity"),
        (("issues",), "an issue"),
        (("issues", 0, "events"), "an issue event"),
        (("outcomes",), "an outcome"),
        (("outcomes", 1, "parties"), "a party"),
        (("campaign", "phases"), "a phase"),
    ],
)
def test_a_null_entry_in_any_list_of_records(where: tuple[str | int, ...], what: str) -> None:
    document = minimal_document()
    target: Any = document
    for step in where:
        target = target[step]
    index = len(target)
    target.append(None)
    path = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in where).lstrip(".")
    assert _problems(json.dumps(document).encode()) == [
        f"{path}[{index}]: an entry that is null, where {what} (a JSON object) is expected"
    ]


@pytest.mark.parametrize(
    ("value", "got"),
    [([], "a list"), (None, "null"), ("2020", "the string '2020'"), (7, "an integer")],
)
def test_something_else_where_a_record_belongs(value: object, got: str) -> None:
    document = minimal_document()
    document["campaign"]["period"] = value
    document["enterprises"][0]["contact"] = value if value is not None else []
    problems = _problems(json.dumps(document).encode())
    assert f"campaign.period: expected a period (a JSON object), got {got}" in problems
    assert any(
        p.startswith("enterprises[0].contact: expected a contact (a JSON object)") for p in problems
    )


def test_a_large_file_that_is_not_json_is_refused_like_a_small_one(tmp_path: Path) -> None:
    """Only the part up to the first wrong byte is parsed: the same words at any size."""
    start = json.dumps(minimal_document(), ensure_ascii=False).encode()[:300]
    small = _problems(start + b"\0" * 10)
    assert len(small) == 1 and "not valid JSON" in small[0]
    assert _problems(start + b"\0" * (3 << 20)) == small
    big = tmp_path / "ledger.json"
    big.write_bytes(start + b"\0" * (3 << 20))
    with pytest.raises(ck.LedgerError) as info:
        ck.load(big)
    assert [p.text("en") for p in info.value.problems] == [f"{big}: {small[0]}"]


def test_bytes_that_are_not_utf8_are_found_past_a_megabyte() -> None:
    head = b'{"format": "campaignkit-ledger", "note": "'
    data = head + "中".encode() * ((1 << 20) // 3 + 7)  # a character crosses the first MiB
    gbk = "(is it GBK? save it as UTF-8)"
    assert _problems(data + b"\xff" + b'"}') == [f"not UTF-8 at byte {len(data)} {gbk}"]
    cut = data[: (1 << 20) + 1]  # the text ends inside a character
    whole = len(head) + (len(cut) - len(head)) // 3 * 3  # where the cut character starts
    assert whole < len(cut)
    assert _problems(cut) == [f"not UTF-8 at byte {whole} {gbk}"]


def test_a_claims_file_words_numbers_plainly(tmp_path: Path) -> None:
    claims = tmp_path / "claims.json"
    claims.write_text('{"claims": {"enterprises_visited": 1e400}}', encoding="utf-8")
    with pytest.raises(ck.LedgerError) as info:
        load_claims(claims)
    [problem] = info.value.problems
    assert str(problem) == (
        f"{claims}: claims.enterprises_visited: expected a number or a string such as"
        ' "7.5亿元", got a number out of range (1e400)'
    )


def test_a_document_of_many_wrongly_typed_records_lists_a_thousand() -> None:
    from campaignkit.validation.checks import MAX_PROBLEMS

    doc = minimal_document()
    template = doc["issues"][2]
    doc["issues"] = [{**template, "id": f"I{i}", "raised": 20200413} for i in range(1_500)]
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(json.dumps(doc).encode())
    found = [str(p) for p in info.value.problems]
    assert len(found) == MAX_PROBLEMS + 1
    assert found[0].startswith("issues[0].raised: expected a date")
    assert found[-1] == "stopped after 1000 problems: fix these and validate again"


@pytest.mark.parametrize(
    ("text", "zh"),
    [
        (
            b'{"format": "campaignkit-ledger",\n "version": 1\n',
            "数据意外结束（缺少结尾的引号或括号）（第 3 行第 1 列）",
        ),
        (b'{"format": "campaignkit-ledger", "version": 1,}', "多了结尾的逗号（第 1 行第 46 列）"),
        (
            b'{"format": "campaignkit-ledger",\n "version": 01}',
            "数字不能以 0 开头（第 2 行第 13 列）",
        ),
        (b"{'format': 'campaignkit-ledger'}", "这里应为带双引号的键名（第 1 行第 2 列）"),
    ],
)
def test_a_document_that_is_not_json_is_worded_in_the_chosen_language(text: bytes, zh: str) -> None:
    """Where the JSON breaks (line and column) and why, in Chinese by default: not the
    parser's English inside a Chinese sentence. The English words stay the parser's."""
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(text)
    (problem,) = info.value.problems
    chinese, english = problem.text("zh"), problem.text("en")
    assert chinese.startswith("不是有效的 JSON：") and chinese.endswith(zh), chinese
    assert not any("a" <= c <= "z" for c in chinese.removeprefix("不是有效的 JSON：")), chinese
    assert english.startswith("not valid JSON: ") and " line " in english and "column" in english
