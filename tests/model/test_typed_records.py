"""Records decoded by msgspec (the typed path) agree with the usual orjson path."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks.generate import write_ledger
from campaignkit.io import _strict_ledger, document_from_ledger
from campaignkit.ledgerfile.converter import converter
from campaignkit.ledgerfile.fastpath import EMPTY, Rejected, _builder, stream_structure
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Activity, Enterprise, Issue
from tests.strategies import ledgers

SKIP = {"format": "campaignkit-ledger", "version": 1}

_EVENT = b'{"kind":"assigned","date":"2024-03-13","level":"city","department":"X"}'
_BASE = b'{"id":"I1","category":"land","description":"d","channel":"platform","raised":"2024-03-11"'


def _issue(rest: bytes = b"") -> bytes:
    return _BASE + rest + b"}"


CASES = [
    _issue(),
    _issue(b',"enterprise":"E1","team":"T1","activity":"A1"'),
    _issue(b',"enterprise":null,"team":null,"activity":null'),
    _issue(b',"legacy":true'),
    _issue(b',"legacy":false'),
    _issue(b',"legacy":null'),
    _issue(b',"legacy":1'),
    _issue(b',"events":[' + _EVENT + b"," + _EVENT + b"]"),
    _issue(b',"events":[]'),
    _issue(b',"events":null'),
    _issue(b',"events":{}'),
    _issue(b',"events":[1]'),
    _issue(b',"events":[{"kind":"x","date":"2024-03-13","extra":{"n":-9223372036854775809}}]'),
    _issue(
        b',"events":[{"kind":"x","date":"2024-03-13","deadline":{"amount":-9223372036854775809,'
    ),
    _issue(b',"events":[{"kind":"x","date":"2024-02-30"}]'),
    _issue(b',"extra":{"n":-9223372036854775809}'),
    _issue(b',"extra":{"n":18446744073709551616}'),
    _issue(b',"extra":{"n":1.5,"s":"t","l":[1,{"a":null}]}'),
    _issue(b',"extra":{}'),
    _issue(b',"extra":null'),
    _issue(b',"extra":[]'),
    _issue(b',"enterprize":"E1"'),
    _issue(b',"id":"I2"'),  # a repeated key: the last value counts on both paths
    _issue(b',"legacy":true,"legacy":false'),
    _issue(b',"team":"T\\u0031"'),  # an escape
    _issue(b',"team":"\\ud800"'),  # a lone surrogate
    _issue(b',"team":"\\"quoted\\""'),
    _issue(b',"team":7'),
    _issue(b',"raised":"2024-02-30"'),
    _issue(b',"raised":20240211'),
    _issue(b',"raised":null'),
    b'{"id":"I1","category":"land","description":"d","channel":"platform"}',
    b'{"id":null,"category":"land","description":"d","channel":"platform","raised":"2024-03-11"}',
    b'{"id":-9223372036854775809,"category":"land","description":"d","channel":"platform",'
    b'"raised":"2024-03-11"}',
    b"[]",
    b"null",
    '{"id":"问题","category":"land","description":"扩建","channel":"platform","raised":"2024-03-11"}'.encode(),
]


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ok", run()
    except Exception:
        return "refused", None


def _both(raw: bytes, cls: type = Issue) -> tuple[tuple[str, Any], tuple[str, Any]]:
    builder = _builder(converter)
    typed = builder.typed(cls)
    assert typed is not None
    usual = builder.function(cls)
    try:
        return _outcome(lambda: typed(raw)), _outcome(lambda: usual(orjson.loads(raw)))
    finally:
        builder.clear()


@pytest.mark.parametrize("raw", CASES)
def test_typed_and_usual_records_agree(raw: bytes) -> None:
    typed, usual = _both(raw)
    assert typed == usual


def test_cases_cover_acceptance_and_refusal() -> None:
    results = [_both(raw)[1][0] for raw in CASES]
    assert results.count("ok") >= 10 and results.count("refused") >= 10
    results = [_both(raw, Activity)[1][0] for raw in ACTIVITY_CASES]
    assert results.count("ok") >= 8 and results.count("refused") >= 8
    results = [_both(raw, Enterprise)[1][0] for raw in ENTERPRISE_CASES]
    assert results.count("ok") >= 4 and results.count("refused") >= 4


_ACTIVITY = b'{"id":"A1","kind":"symposium","date":"2024-12-07"'
ACTIVITY_CASES = [
    _ACTIVITY + rest + b"}"
    for rest in (
        b"",
        b',"team":"T1","region":"341602","enterprises":["E1","E2"],"title":"t","subject":"s"',
        b',"enterprises":[]',
        b',"enterprises":["E1",null]',
        b',"enterprises":"E1"',
        b',"enterprise_count":59,"officials":3',
        b',"enterprise_count":null,"officials":null',
        b',"enterprise_count":-9223372036854775808',
        b',"enterprise_count":-9223372036854775809',
        b',"enterprise_count":18446744073709551615',
        b',"enterprise_count":18446744073709551616',
        b',"enterprise_count":1.0',
        b',"enterprise_count":1e2',
        b',"officials":true',
        b',"figures":{"copies":3,"copies":4}',
        b',"figures":{}',
        b',"figures":{"copies":-9223372036854775809}',
        b',"figures":{"copies":1,"more":18446744073709551616}',
        b',"figures":{"copies":2.5}',
        b',"figures":null',
        b',"notes":"n","extra":{"k":[1,2]}',
        b',"date":"2024-13-01"',
        b',"kind":"symposium"',
        b',"color":"red"',
    )
]
_ENTERPRISE = b'{"id":"E1","uscc":"91340600000000001A","name":"n","region":"340602"'
ENTERPRISE_CASES = [
    _ENTERPRISE + rest + b"}"
    for rest in (
        b"",
        b',"classes":["four_above","above_scale"],"industry":"x"',
        b',"classes":[1]',
        b',"contact":{"person":"p","phone":"1"}',
        b',"contact":null',
        b',"contact":{"fax":"1"}',
        b',"contact":{"person":-9223372036854775809}',
        b',"contact":[]',
        b',"industry":null,"extra":{"n":18446744073709551616}',
        b',"region":null',
    )
]


@pytest.mark.parametrize("raw", ACTIVITY_CASES)
def test_typed_and_usual_activities_agree(raw: bytes) -> None:
    typed, usual = _both(raw, Activity)
    assert typed == usual


@pytest.mark.parametrize("raw", ENTERPRISE_CASES)
def test_typed_and_usual_enterprises_agree(raw: bytes) -> None:
    typed, usual = _both(raw, Enterprise)
    assert typed == usual


def test_equal_events_are_shared_but_not_those_with_their_own_extra() -> None:
    with_extra = b'{"kind":"x","date":"2024-03-13","extra":{"k":1}}'
    raw = b"[" + b",".join([_issue(b',"events":[' + _EVENT + b"," + with_extra + b"]")] * 2) + b"]"
    data = (
        b'{"format":"campaignkit-ledger","version":1,"campaign":'
        + orjson.dumps(_CAMPAIGN)
        + b',"issues":'
        + raw
        + b"}"
    )
    ledger = stream_structure(data, Ledger, SKIP)
    first, second = ledger.issues
    assert first.events[0] is second.events[0] and first.events[0].extra is EMPTY
    assert first.events[1] == second.events[1] and first.events[1] is not second.events[1]
    assert ledger == _strict_ledger(orjson.loads(data), None)


_CAMPAIGN = orjson.loads(
    (Path(__file__).parents[2] / "examples/huainan-2020/ledger.json").read_bytes()
)["campaign"]


@pytest.mark.parametrize(("issues", "seed"), [(1500, 7), (800, 3)])
def test_generated_ledgers_structure_as_the_strict_converter_does(issues: int, seed: int) -> None:
    out = io.BytesIO()
    write_ledger(out, issues, seed)
    data = out.getvalue()
    assert stream_structure(data, Ledger, SKIP) == _strict_ledger(orjson.loads(data), None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_records_of_any_ledger_agree(ledger: Ledger) -> None:
    doc = document_from_ledger(ledger)
    for section, cls in (("issues", Issue), ("activities", Activity), ("enterprises", Enterprise)):
        for record in doc.get(section, []):
            typed, usual = _both(orjson.dumps(record), cls)
            assert typed == usual == ("ok", usual[1])
    assert stream_structure(orjson.dumps(document_from_ledger(ledger)), Ledger, SKIP) == ledger


def test_refusals_fall_to_the_strict_path() -> None:
    data = (
        b'{"format":"campaignkit-ledger","version":1,"campaign":'
        + orjson.dumps(_CAMPAIGN)
        + b',"issues":['
        + _issue(b',"legacy":1')
        + b"]}"
    )
    with pytest.raises(Rejected):
        stream_structure(data, Ledger, SKIP)


def test_sections_split_in_one_pass_as_the_strict_path_reads_them() -> None:
    example = (Path(__file__).parents[2] / "examples/huainan-2020/ledger.json").read_bytes()
    body = orjson.dumps(orjson.loads(example))[:-1]
    for tail, accepted in (
        (b',"issues":[]}', True),  # a repeated key: the last one counts, as for orjson
        (b',"outcomes":[],"outcomes":null}', False),
        (b',"version":2}', False),
        (b',"format":"campaignkit-ledger"}', True),
        (b',"notes":[]}', False),
        (b',"campaign":[]}', False),
        (b',"regions":{}}', False),
        (b"}", True),
    ):
        data = body + tail
        if accepted:
            assert stream_structure(data, Ledger, SKIP) == _strict_ledger(orjson.loads(data), None)
        else:
            with pytest.raises(Rejected):
                stream_structure(data, Ledger, SKIP)
    no_version = orjson.dumps({k: v for k, v in orjson.loads(example).items() if k != "version"})
    with pytest.raises(Rejected):
        stream_structure(no_version, Ledger, SKIP)
