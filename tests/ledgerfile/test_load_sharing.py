"""Loading a file shares equal events and strings and maps the file: same ledger, same errors."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from benchmarks.generate import write_ledger
from campaignkit.io import _mapped
from campaignkit.ledgerfile.converter import converter
from campaignkit.ledgerfile.fastpath import fast_structure
from campaignkit.model.ledger import Ledger

EXAMPLE = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
BAD = sorted((Path(__file__).parents[1] / "corpus" / "bad").iterdir())


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("format", "version")}


def _strict(data: bytes) -> Ledger:
    ledger: Ledger = converter.structure(_body(orjson.loads(data)), Ledger)
    return ledger


def _generated(tmp_path: Path, issues: int, seed: int) -> Path:
    path = tmp_path / f"ledger-{issues}-{seed}.json"
    with path.open("wb") as fh:
        write_ledger(fh, issues, seed=seed)
    return path


@pytest.mark.parametrize(("issues", "seed"), [(400, 3), (2000, 7)])
def test_generated_ledgers_load_as_the_strict_converter_builds_them(
    tmp_path: Path, issues: int, seed: int
) -> None:
    path = _generated(tmp_path, issues, seed)
    data = path.read_bytes()
    strict = _strict(data)
    mapped = _mapped(path)
    assert mapped is not None  # the file took the mapped route
    assert mapped == ck.load(path) == ck.loads(data) == strict
    assert ck.dumps(mapped) == ck.dumps(strict)
    assert fast_structure(_body(orjson.loads(data)), Ledger) == strict


def test_the_example_loads_the_same_either_way() -> None:
    data = EXAMPLE.read_bytes()
    assert _mapped(EXAMPLE) == ck.loads(data) == _strict(data)
    assert ck.dumps(ck.load(EXAMPLE)) == data


def test_equal_events_and_texts_are_one_object(tmp_path: Path) -> None:
    ledger = ck.load(_generated(tmp_path, 2000, 5))
    events = [e for i in ledger.issues for e in i.events]
    by_value: dict[bytes, Any] = {}
    for event in events:
        if not event.extra:  # events with attributes of their own are not shared
            key = orjson.dumps(converter.unstructure(event), option=orjson.OPT_SORT_KEYS)
            assert by_value.setdefault(key, event) is event
    assert len(by_value) < len(events) * 2 / 3
    deadlines = {id(e.deadline) for e in events if e.deadline is not None}
    assert len(deadlines) <= len({e.deadline for e in events if e.deadline is not None})
    enterprises = {e.id: e.id for e in ledger.enterprises}
    activities = {a.id: a.id for a in ledger.activities}
    for issue in ledger.issues:  # a reference is the string of the id it names
        assert issue.enterprise is None or enterprises[issue.enterprise] is issue.enterprise
        assert issue.activity is None or activities[issue.activity] is issue.activity
    for activity in ledger.activities:
        assert all(enterprises[e] is e for e in activity.enterprises)
    descriptions: dict[str, str] = {}
    for issue in ledger.issues:
        assert descriptions.setdefault(issue.description, issue.description) is issue.description


def test_events_with_their_own_attributes_are_not_shared(document: dict[str, Any]) -> None:
    event = {"kind": "feedback", "date": "2020-04-20", "extra": {"document": "淮政办〔2020〕1号"}}
    document["issues"][0]["events"] = [dict(event), dict(event)]
    ledger = fast_structure(_body(document), Ledger)
    first, second = ledger.issues[0].events
    assert first == second and first is not second
    assert first.extra is not second.extra


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "feedback", "date": "2020-04-20", "note": 3},
        {"kind": "feedback", "date": "2020-04-20", "note": ["a"]},
        {"kind": "feedback", "date": ["2020-04-20"]},
        {"kind": "feedback", "date": "2020-04-20", "note": "x", "notes": "y"},
        {"kind": "extended", "date": "2020-04-20", "deadline": {"amount": True, "unit": "days"}},
    ],
)
def test_a_bad_copy_of_a_shared_event_is_still_refused_and_located(
    tmp_path: Path, document: dict[str, Any], event: dict[str, Any]
) -> None:
    good = {"kind": "feedback", "date": "2020-04-20", "note": "x"}
    deadline = {"kind": "extended", "date": "2020-04-20", "deadline": {"amount": 1, "unit": "days"}}
    document["issues"][0]["events"] = [
        {"kind": "taken_back", "date": "2020-04-19"},
        good,
        deadline,
        event,
    ]
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    with pytest.raises(ck.LedgerError) as mapped:
        ck.load(path)
    with pytest.raises(ck.LedgerError) as whole:
        ck.loads(path.read_bytes(), source=str(path))
    assert mapped.value.problems == whole.value.problems
    assert mapped.value.problems[0].path.startswith("issues[0].events[3]")


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_every_bad_file_reports_the_same_problems_from_a_path(path: Path) -> None:
    with pytest.raises(ck.LedgerError) as mapped:
        ck.load(path)
    with pytest.raises(ck.LedgerError) as whole:
        ck.loads(path.read_bytes(), source=str(path))
    assert mapped.value.problems == whole.value.problems
    assert str(mapped.value) == str(whole.value)


def test_files_the_map_cannot_take_go_the_usual_way(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    assert _mapped(empty) is None
    with pytest.raises(ck.LedgerError, match="not valid JSON"):
        ck.load(empty)
    assert _mapped(tmp_path / "missing.json") is None


# Hypothesis: tests/ledgerfile/test_fastpath.py's properties (the fast path and the record-by-record
# path build the ledger the strict converter builds) run with the sharing described here.


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_read_the_usual_way(tmp_path: Path) -> None:
    pipe = tmp_path / "ledger.json"
    os.mkfifo(pipe)
    data = EXAMPLE.read_bytes()

    def write() -> None:
        with pipe.open("wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert _mapped(pipe) is None  # not opened: the writer is still waiting for a reader
        assert ck.load(pipe) == ck.loads(data)
    finally:
        writer.join(timeout=10)


def test_only_large_files_are_mapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import campaignkit.io as io_module

    calls: list[Path] = []
    real = io_module._mapped

    def spy(path: Path) -> ck.Ledger | None:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(io_module, "_mapped", spy)
    small = ck.load(EXAMPLE)
    assert calls == []  # well under MAP_FROM: read whole
    monkeypatch.setattr(io_module, "MAP_FROM", EXAMPLE.stat().st_size)
    assert ck.load(EXAMPLE) == small
    assert calls == [EXAMPLE]
