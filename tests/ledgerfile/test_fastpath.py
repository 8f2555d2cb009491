"""The fast structuring path accepts exactly what the strict converter accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from cattrs.errors import BaseValidationError
from hypothesis import HealthCheck, given, settings

import campaignkit as ck
from campaignkit.io import document_from_ledger
from campaignkit.ledgerfile.converter import converter
from campaignkit.ledgerfile.fastpath import EMPTY, Rejected, fast_structure, stream_structure
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


def test_corpus_has_structurable_cases() -> None:
    assert len(CORPUS) >= 60


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("format", "version")}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_same_records_as_the_strict_converter(ledger: Ledger) -> None:
    body = _body(orjson.loads(orjson.dumps(document_from_ledger(ledger))))
    fast = fast_structure(body, Ledger)
    assert fast == converter.structure(body, Ledger) == ledger
    assert all(isinstance(i.extra, dict) for i in fast.issues)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_refuses_what_the_strict_converter_refuses(path: Path) -> None:
    doc = orjson.loads(path.read_bytes())
    body = _body(doc)
    try:
        strict = converter.structure(body, Ledger)
    except BaseValidationError:
        with pytest.raises(Rejected):
            fast_structure(body, Ledger)
    else:
        assert fast_structure(body, Ledger) == strict


def test_dates_and_repeated_strings_are_shared(document: dict[str, Any]) -> None:
    ledger = fast_structure(_body(document), Ledger)
    assert ledger.activities[0].date is ledger.issues[0].raised  # both "2020-04-13"
    assert ledger.issues[0].category is ledger.issues[2].category  # both "labour"
    assert ledger.issues[0].team is ledger.activities[0].team


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
    with pytest.raises(Rejected):
        fast_structure(_body(document), Ledger)
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(document))
    assert info.value.problems[0].path.startswith(f"{where[0]}[{where[1]}]")


SKIP = {"format": "campaignkit-ledger", "version": 1}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_record_by_record_gives_the_same_ledger(ledger: Ledger) -> None:
    assert stream_structure(ck.dumps(ledger), Ledger, SKIP) == ledger


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_record_by_record_refuses_what_the_strict_converter_refuses(path: Path) -> None:
    data = path.read_bytes()
    try:
        doc = orjson.loads(data)
        assert isinstance(doc, dict)
        strict = converter.structure(_body(doc), Ledger)
        assert doc["format"] == SKIP["format"] and doc["version"] == SKIP["version"]
    except (orjson.JSONDecodeError, BaseValidationError, TypeError, KeyError, AssertionError):
        with pytest.raises(Rejected):
            stream_structure(data, Ledger, SKIP)
    else:
        assert stream_structure(data, Ledger, SKIP) == strict


def test_wrong_format_or_unknown_section_is_refused(document: dict[str, Any]) -> None:
    assert stream_structure(orjson.dumps(document), Ledger, SKIP) == ck.loads(
        orjson.dumps(document)
    )
    for key, value in (("format", "other"), ("version", 2), ("ideas", [])):
        changed = {**document, key: value}
        with pytest.raises(Rejected):
            stream_structure(orjson.dumps(changed), Ledger, SKIP)


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
