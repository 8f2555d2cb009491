"""A key given twice in one JSON object is a located problem, anywhere in a document.

JSON parsers keep one of the values and drop the other without a word (issue 22:
``"uscc": "NOT-A-CODE", "uscc": "<valid>"`` was accepted). campaignkit refuses the
document and names each such key by its path, however the document is written
(compact, indented, with spaces, with escapes), whether it is read whole, mapped
or given as text, and however large it is.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import campaignkit as ck
import campaignkit.io
from benchmarks.generate import write_ledger
from campaignkit.cli.app import main
from campaignkit.i18n.shown import path_key
from campaignkit.model.ledger import Ledger
from campaignkit.stats.reconcile import load_claims
from tests.conftest import minimal_document, uscc
from tests.strategies import ledgers

EXAMPLE = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"

Separators = tuple[str, str]
STYLES: list[tuple[Separators, bool]] = [
    ((",", ":"), False),  # as orjson writes it
    ((", ", ": "), False),  # as Python writes it
    ((" ,\n", " : "), True),  # spaces before colons, and every non-ASCII character escaped
]


def _text(value: Any, separators: Separators, ascii_only: bool, twice: Any = None) -> str:
    """``value`` as JSON; the object ``twice`` (by identity) names its first key twice:
    first with the value ``twice.first``, then with its own."""
    item, colon = separators

    def scalar(v: Any) -> str:
        return json.dumps(v, ensure_ascii=ascii_only)

    def write(v: Any) -> str:
        if isinstance(v, dict):
            members = [f"{scalar(k)}{colon}{write(x)}" for k, x in v.items()]
            if twice is not None and v is twice.target:
                first = next(iter(v))
                members.insert(0, f"{scalar(first)}{colon}{write(twice.first)}")
            return "{" + item.join(members) + "}"
        if isinstance(v, list):
            return "[" + item.join(write(x) for x in v) + "]"
        return scalar(v)

    return write(value)


class _Twice:
    def __init__(self, target: dict[str, Any], first: Any) -> None:
        self.target, self.first = target, first


def _objects(value: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every non-empty object of a document, with the path problems name it by."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict):
        if value:
            found.append((path, value))
        for key, item in value.items():
            found.extend(_objects(item, path_key(path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_objects(item, f"{path}[{index}]"))
    return found


def _problems(load: Callable[[], object]) -> list[ck.Problem]:
    with pytest.raises(ck.LedgerError) as info:
        load()
    return list(info.value.problems)


def _twice(problem: ck.Problem) -> tuple[str, str]:
    assert problem.code == "duplicate-key", problem
    return problem.path, str(problem.args["key"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ledgers(),
    st.data(),
    st.sampled_from(STYLES),
    st.sampled_from([None, "x: y", 0, [], {"k": "v"}, "same"]),
)
def test_a_key_given_twice_anywhere_is_found_where_it_is(
    ledger: Ledger, data: st.DataObject, style: tuple[Separators, bool], first: Any
) -> None:
    doc = orjson.loads(ck.dumps(ledger))
    separators, ascii_only = style
    assert ck.loads(_text(doc, separators, ascii_only).encode()) == ledger  # no key twice: read
    path, target = data.draw(st.sampled_from(_objects(doc)))
    key = next(iter(target))
    text = _text(
        doc, separators, ascii_only, _Twice(target, target[key] if first == "same" else first)
    )
    for document in (text.encode(), text):
        problems = _problems(functools.partial(ck.loads, document))
        twice = [_twice(p) for p in problems if p.code.startswith("duplicate-key")]
        assert twice == [(path_key(path, key), key)], problems


def test_the_issues_example(document: dict[str, Any]) -> None:
    valid = document["enterprises"][0]["uscc"]
    text = json.dumps(document, ensure_ascii=False).replace(
        f'"uscc": "{valid}"', f'"uscc": "NOT-A-CODE", "uscc": "{valid}"'
    )
    problems = _problems(lambda: ck.loads(text.encode(), source="ledger.json"))
    assert [p.text("en") for p in problems] == [
        "ledger.json: enterprises[0].uscc: key 'uscc' appears twice in one object"
    ]
    assert [p.text("zh") for p in problems] == [
        "ledger.json: enterprises[0].uscc: 同一个对象里键 'uscc' 出现了两次"
    ]


def test_every_repeated_key_is_named_once_with_the_others_problems() -> None:
    document = minimal_document()
    document["work_groups"][0]["headcount"] = "15"  # and a problem of another kind
    text = json.dumps(document, ensure_ascii=False)
    text = text.replace('"version": 1', '"version": 1, "version": 1', 1)
    text = text.replace('"name": "乙公司"', '"name": "a", "name": "b", "name": "乙公司"', 1)
    text = text.replace('"copies": 300', '"copies": 300, "\\u0063opies": 300', 1)
    lines = [str(p) for p in _problems(lambda: ck.loads(text))]
    assert lines == [
        "version: key 'version' appears twice in one object",
        "enterprises[1].name: key 'name' appears 3 times in one object",
        "activities[3].figures.copies: key 'copies' appears twice in one object",
        "work_groups[0].headcount: expected an integer, got the string '15'",
    ]


def test_colons_and_escaped_colons_in_text_are_no_keys(document: dict[str, Any]) -> None:
    """Text with colons makes the quick count differ from the members: read all the same."""
    document["issues"][0]["description"] = '时间: 09:30, "地点": 厂区'
    document["issues"][1]["description"] = ":开头的冒号"
    document["enterprises"][0]["name"] = "甲公司:一分厂"
    expected = ck.loads(json.dumps(document).encode())
    escaped = json.dumps(document, ensure_ascii=True).replace(":", "\\u003a")
    escaped = escaped.replace('"\\u003a', '":').replace("\\u003a ", ": ")
    assert ck.loads(escaped.encode()) == expected


@pytest.mark.parametrize("mapped", [False, True], ids=["read", "mapped"])
def test_a_key_twice_deep_in_a_large_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mapped: bool
) -> None:
    path = tmp_path / "province.json"
    with path.open("wb") as fh:
        write_ledger(fh, 3000, seed=5)
    if mapped:
        monkeypatch.setattr(campaignkit.io, "MAP_FROM", 1)
    ledger = ck.load(path)
    data = path.read_bytes()
    last = data.rindex(b'"category":')
    path.write_bytes(data[:last] + b'"category":"labour",' + data[last:])
    problems = _problems(lambda: ck.load(path))
    index = len(ledger.issues) - 1
    assert [str(p) for p in problems] == [
        f"{path}: issues[{index}].category: key 'category' appears twice in one object"
    ]


def test_a_document_key_twice_with_another_value_is_found(document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False)
    text = text.replace('"issues": [', '"issues": [{"id": "X"}], "issues": [', 1)
    assert [_twice(p) for p in _problems(lambda: ck.loads(text.encode()))] == [("issues", "issues")]


def test_the_command_line_prints_one_line_for_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = uscc(2)
    text = EXAMPLE.read_text(encoding="utf-8")
    first = text.index('"uscc": "')
    code = text[first + 9 : first + 27]
    path = tmp_path / "ledger.json"
    path.write_text(text[:first] + f'"uscc": "{valid}",\n      ' + text[first:], encoding="utf-8")
    assert main(["validate", str(path), "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"error: {path}: enterprises[0].uscc: key 'uscc' appears twice in one object"
    ]
    assert code != valid


def test_a_claims_file_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    claims = tmp_path / "claims.json"
    claims.write_text(
        '{"claims": {"enterprises_visited": 200, "enterprises_visited": 215}}', encoding="utf-8"
    )
    problems = _problems(lambda: load_claims(claims))
    assert [str(p) for p in problems] == [
        f"{claims}: claims.enterprises_visited: key 'enterprises_visited' appears twice"
        " in one object"
    ]
