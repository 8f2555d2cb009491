"""Records of a document without a backslash are read where they are, as the scanning path reads them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import msgspec
import orjson
import pytest

from benchmarks.generate import write_ledger
from campaignkit.io import _strict_ledger
from campaignkit.ledgerfile.converter import converter
from campaignkit.ledgerfile.fastpath import _Builder, _builder, stream_structure
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Activity, Enterprise, Issue
from tests.model.test_typed_records import ACTIVITY_CASES, CASES, ENTERPRISE_CASES, SKIP, _outcome

EXAMPLE = Path(__file__).parents[2] / "examples/huainan-2020/ledger.json"
_RAWS = msgspec.json.Decoder(list[msgspec.Raw])


def _three(raw: bytes, cls: type) -> list[tuple[str, Any]]:
    """The unescaped, scanning and usual readings of ``raw`` (given as a slice of a list's text)."""
    builder = _builder(converter)
    unescaped = builder.typed(cls, unescaped=True)
    scanning = builder.typed(cls)
    assert unescaped is not None and scanning is not None and unescaped is not scanning
    usual = builder.function(cls)
    (piece,) = _RAWS.decode(b"[" + raw + b"]")
    out = []
    for run in (
        lambda: unescaped(piece),
        lambda: scanning(piece),
        lambda: usual(orjson.loads(raw)),
    ):
        try:
            out.append(_outcome(run))
        finally:
            builder.clear()
    return out


def _splits(raw: bytes) -> bool:
    """Whether ``raw`` is JSON a document can hold as one record of a list."""
    try:
        _RAWS.decode(b"[" + raw + b"]")
    except msgspec.DecodeError:
        return False
    return True


_CASES = [
    (raw, cls)
    for cases, cls in ((CASES, Issue), (ACTIVITY_CASES, Activity), (ENTERPRISE_CASES, Enterprise))
    for raw in cases
    if b"\\" not in raw and _splits(raw)
]


@pytest.mark.parametrize(("raw", "cls"), _CASES)
def test_unescaped_scanning_and_usual_records_agree(raw: bytes, cls: type) -> None:
    unescaped, scanning, usual = _three(raw, cls)
    assert unescaped == scanning == usual


def test_cases_cover_acceptance_and_refusal() -> None:
    results = [_three(raw, cls)[0][0] for raw, cls in _CASES]
    assert results.count("ok") >= 20 and results.count("refused") >= 20


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    asked: list[bool] = []
    typed = _Builder.typed

    def spy(self: _Builder, cls: type, *, unescaped: bool = False) -> Any:
        asked.append(unescaped)
        return typed(self, cls, unescaped=unescaped)

    monkeypatch.setattr(_Builder, "typed", spy)
    return asked


def _escaped(data: bytes) -> bytes:
    """``data`` with one issue's description written with an escape (the same text)."""
    doc = orjson.loads(data)
    issue = doc["issues"][len(doc["issues"]) // 2]
    text = issue["description"]
    escaped = orjson.dumps(text)[:-1] + b'\\u0020"'
    issue["description"] = text + " "
    out = orjson.dumps(doc)
    plain = orjson.dumps(text + " ")
    assert out.count(plain) >= 1
    return out.replace(plain, escaped, 1)


@pytest.mark.parametrize(("issues", "seed"), [(1500, 7), (600, 3)])
def test_generated_ledgers_either_way(
    issues: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = io.BytesIO()
    write_ledger(out, issues, seed)
    data = out.getvalue()
    asked = _spy(monkeypatch)
    assert b"\\" not in data
    assert stream_structure(data, Ledger, SKIP) == _strict_ledger(orjson.loads(data), None)
    assert asked and all(asked)
    asked.clear()
    escaped = _escaped(data)
    assert b"\\" in escaped
    assert stream_structure(escaped, Ledger, SKIP) == _strict_ledger(orjson.loads(escaped), None)
    assert asked and not any(asked)


def test_the_example_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    data = EXAMPLE.read_bytes()
    asked = _spy(monkeypatch)
    assert stream_structure(data, Ledger, SKIP) == _strict_ledger(orjson.loads(data), None)
    assert asked and all(asked)
    asked.clear()
    escaped = _escaped(data)
    assert stream_structure(escaped, Ledger, SKIP) == _strict_ledger(orjson.loads(escaped), None)
    assert asked and not any(asked)
