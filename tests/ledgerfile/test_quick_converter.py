"""One decoding path: the quick converter, and the detailed one to locate problems.

Both are made by :func:`campaignkit.ledgerfile.converter.make_converter` from the
same hooks: the quick one must accept exactly what the detailed one accepts and
build equal records; what it refuses, the detailed one locates.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from cattrs.errors import BaseValidationError
from hypothesis import HealthCheck, given, settings

import campaignkit as ck
from benchmarks.generate import write_ledger
from campaignkit.fastpath import Rejected, fast_structure, stream_structure
from campaignkit.io import document_from_ledger
from campaignkit.ledgerfile.converter import converter, quick_converter, structure
from campaignkit.model import EMPTY, Activity, Enterprise, Issue
from campaignkit.model.ledger import Ledger
from tests.strategies import ledgers


def _json_object(path: Path) -> bool:
    try:
        return isinstance(orjson.loads(path.read_bytes()), dict)
    except orjson.JSONDecodeError:
        return False


# Files that are not a JSON object are refused before structuring (tests/validation/test_corpus.py).
CORPUS = [
    p for p in sorted((Path(__file__).parents[1] / "corpus" / "bad").iterdir()) if _json_object(p)
]


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("format", "version")}


def _outcome(run: Callable[[], object]) -> tuple[str, object]:
    try:
        return "ok", run()
    except Exception:
        return "refused", None


def _both(value: object, cls: type) -> tuple[tuple[str, object], tuple[str, object]]:
    """What the quick and the detailed converter make of ``value``."""
    return (
        _outcome(lambda: quick_converter.structure(value, cls)),
        _outcome(lambda: converter.structure(value, cls)),
    )


def test_corpus_has_structurable_cases() -> None:
    assert len(CORPUS) >= 60


def test_the_two_converters_differ_only_in_detail() -> None:
    assert converter.detailed_validation and not quick_converter.detailed_validation


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_same_records_as_the_detailed_converter(ledger: Ledger) -> None:
    body = _body(orjson.loads(orjson.dumps(document_from_ledger(ledger))))
    quick = quick_converter.structure(body, Ledger)
    assert quick == converter.structure(body, Ledger) == structure(body, Ledger) == ledger
    assert all(isinstance(i.extra, dict) for i in quick.issues)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_refuses_what_the_detailed_converter_refuses(path: Path) -> None:
    body = _body(orjson.loads(path.read_bytes()))
    quick, detailed = _both(body, Ledger)
    assert quick == detailed
    if detailed[0] == "refused":
        with pytest.raises(BaseValidationError):
            structure(body, Ledger)  # the detailed converter's error, which names each problem


@pytest.mark.parametrize(("issues", "seed"), [(1500, 7), (800, 3)])
def test_generated_ledgers_structure_alike(issues: int, seed: int) -> None:
    out = io.BytesIO()
    write_ledger(out, issues, seed)
    body = _body(orjson.loads(out.getvalue()))
    assert quick_converter.structure(body, Ledger) == converter.structure(body, Ledger)


_EVENT = b'{"kind":"assigned","date":"2024-03-13","level":"city","department":"X"}'
_BASE = b'{"id":"I1","category":"land","description":"d","channel":"platform","raised":"2024-03-11"'


def _issue(rest: bytes = b"") -> bytes:
    return _BASE + rest + b"}"


ISSUE_CASES = [
    _issue(),
    _issue(b',"enterprise":"E1","team":"T1","activity":"A1"'),
    _issue(b',"enterprise":null,"team":null,"activity":null'),
    _issue(b',"legacy":true'),
    _issue(b',"legacy":null'),
    _issue(b',"legacy":1'),
    _issue(b',"events":[' + _EVENT + b"," + _EVENT + b"]"),
    _issue(b',"events":[]'),
    _issue(b',"events":null'),
    _issue(b',"events":{}'),
    _issue(b',"events":[1]'),
    _issue(b',"events":[{"kind":"x","date":"2024-03-13","deadline":{"amount":1,"unit":"days"}}]'),
    _issue(
        b',"events":[{"kind":"x","date":"2024-03-13","deadline":{"amount":true,"unit":"days"}}]'
    ),
    _issue(b',"events":[{"kind":"x","date":"2024-03-13","deadline":{"amount":1.0,"unit":"days"}}]'),
    _issue(b',"events":[{"kind":"x","date":"2024-03-13","deadline":[1]}]'),
    _issue(b',"events":[{"kind":"x","date":"2024-03-13","note":1}]'),
    _issue(b',"events":[{"kind":"x","date":"2024-03-13","note":["n"]}]'),
    _issue(b',"events":[{"kind":"x","date":"2024-03-13","extra":{"n":1}}]'),
    _issue(b',"events":[{"kind":"x","date":"2024-02-30"}]'),
    _issue(b',"extra":{"n":18446744073709551616}'),
    _issue(b',"extra":{"n":1.5,"s":"t","l":[1,{"a":null}]}'),
    _issue(b',"extra":{}'),
    _issue(b',"extra":null'),
    _issue(b',"extra":[]'),
    _issue(b',"enterprize":"E1"'),
    _issue(b',"team":7'),
    _issue(b',"raised":"2024-02-30"'),
    _issue(b',"raised":20240211'),
    _issue(b',"raised":null'),
    b'{"id":"I1","category":"land","description":"d","channel":"platform"}',
    b'{"id":null,"category":"land","description":"d","channel":"platform","raised":"2024-03-11"}',
    b"[]",
    b"null",
]
_ACTIVITY = b'{"id":"A1","kind":"symposium","date":"2024-12-07"'
ACTIVITY_CASES = [
    _ACTIVITY + rest + b"}"
    for rest in (
        b"",
        b',"team":"T1","region":"341602","enterprises":["E1","E2"],"title":"t","subject":"s"',
        b',"enterprises":["E1",null]',
        b',"enterprises":"E1"',
        b',"enterprise_count":59,"officials":3',
        b',"enterprise_count":null,"officials":null',
        b',"enterprise_count":1.0',
        b',"officials":true',
        b',"figures":{"copies":3}',
        b',"figures":{}',
        b',"figures":{"copies":2.5}',
        b',"figures":null',
        b',"notes":"n","extra":{"k":[1,2]}',
        b',"date":"2024-13-01"',
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
        b',"contact":[]',
        b',"region":null',
    )
]
CASES = (
    [(raw, Issue) for raw in ISSUE_CASES]
    + [(raw, Activity) for raw in ACTIVITY_CASES]
    + [(raw, Enterprise) for raw in ENTERPRISE_CASES]
)


@pytest.mark.parametrize(("raw", "cls"), CASES)
def test_each_record_structures_alike(raw: bytes, cls: type) -> None:
    # twice: the second time, equal events and dates are found again, not built
    for _ in range(2):
        quick, detailed = _both(orjson.loads(raw), cls)
        assert quick == detailed


def test_cases_cover_acceptance_and_refusal() -> None:
    results = [_both(orjson.loads(raw), cls)[1][0] for raw, cls in CASES]
    assert results.count("ok") >= 20 and results.count("refused") >= 20


def test_equal_events_are_one_object_but_not_those_with_their_own_extra(
    document: dict[str, Any],
) -> None:
    plain = {"kind": "feedback", "date": "2020-04-20", "note": "已对接"}
    deadline = {"kind": "extended", "date": "2020-04-20", "deadline": {"amount": 1, "unit": "days"}}
    own = {"kind": "feedback", "date": "2020-04-20", "extra": {"document": "淮政办〔2020〕1号"}}
    events = [dict(plain), dict(deadline), dict(own)]
    issue = _body(document)["issues"][0]
    body = {**_body(document), "issues": [{**issue, "events": events}, {**issue, "events": events}]}
    for conv in (quick_converter, converter):
        first, second = conv.structure(body, Ledger).issues
        assert first.events[0] is second.events[0] and first.events[0].extra is EMPTY
        assert first.events[1] is second.events[1]
        assert first.events[2] == second.events[2] and first.events[2] is not second.events[2]
        assert first.events[2].extra is not second.events[2].extra


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "feedback", "date": "2020-04-20", "note": 3},
        {"kind": "feedback", "date": "2020-04-20", "note": ["a"]},
        {"kind": "feedback", "date": ["2020-04-20"]},
        {"kind": "feedback", "date": "2020-04-20", "note": "x", "notes": "y"},
        {"kind": "extended", "date": "2020-04-20", "deadline": {"amount": True, "unit": "days"}},
        {"kind": "extended", "date": "2020-04-20", "deadline": {"amount": 1.0, "unit": "days"}},
    ],
)
def test_a_bad_copy_of_a_shared_event_is_still_refused_and_located(
    document: dict[str, Any], event: dict[str, Any]
) -> None:
    good = {"kind": "feedback", "date": "2020-04-20", "note": "x"}
    deadline = {"kind": "extended", "date": "2020-04-20", "deadline": {"amount": 1, "unit": "days"}}
    document["issues"][0]["events"] = [{"kind": "taken_back", "date": "2020-04-19"}, good, deadline]
    ck.loads(orjson.dumps(document))  # the good events are now known
    document["issues"][0]["events"].append(event)
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(document))
    assert info.value.problems[0].path.startswith("issues[0].events[3]")


def test_dates_are_shared(document: dict[str, Any]) -> None:
    ledger = ck.loads(orjson.dumps(document))
    assert ledger.activities[0].date is ledger.issues[0].raised  # both "2020-04-13"


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("issues", 0, "raised"), "2020-02-30"),
        (("issues", 0, "legacy"), 1),
        (("issues", 0, "events", 0, "level"), 3),
        (("activities", 3, "figures"), {"copies": True}),
        (("outcomes", 0, "land_mu"), 12.5),
        (("enterprises", 0, "classes"), "sme"),
        (("work_groups", 0, "teams", 0, "kind"), "roaming"),
        (("issues", 0, "enterprize"), "E1"),
    ],
)
def test_each_bad_value_is_refused_then_located(
    document: dict[str, Any], where: tuple[Any, ...], value: object
) -> None:
    target: Any = document
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(Exception):  # noqa: B017 - any refusal: the detailed path words it
        quick_converter.structure(_body(document), Ledger)
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(document))
    assert info.value.problems[0].path.startswith(f"{where[0]}[{where[1]}]")


def test_records_without_extra_share_one_read_only_empty_mapping(document: dict[str, Any]) -> None:
    ledger = ck.loads(orjson.dumps(document))
    shared = ledger.issues[1].extra
    assert (
        shared is EMPTY
        and ledger.issues[2].extra is EMPTY
        and ledger.activities[0].figures is EMPTY
    )
    assert shared == {} and isinstance(shared, dict) and orjson.dumps(shared) == b"{}"
    assert dict(shared) == {} and {**shared, "a": 1} == {"a": 1}
    with pytest.raises(TypeError, match="immutable"):
        shared["document"] = "x"
    with pytest.raises(TypeError, match="immutable"):
        shared.update({"a": 1})
    assert ck.dumps(ledger) == ck.dumps(ck.loads(ck.dumps(ledger)))


SKIP = {"format": "campaignkit-ledger", "version": 1}


def test_the_old_fast_path_names_still_work(document: dict[str, Any]) -> None:
    expected = ck.loads(orjson.dumps(document))
    assert fast_structure(_body(document), Ledger) == expected
    assert stream_structure(orjson.dumps(document), Ledger, SKIP) == expected
    for key, value in (("format", "other"), ("version", 2), ("ideas", [])):
        with pytest.raises(Rejected):
            stream_structure(orjson.dumps({**document, key: value}), Ledger, SKIP)
    document["issues"][0]["legacy"] = 1
    with pytest.raises(Rejected):
        fast_structure(_body(document), Ledger)
