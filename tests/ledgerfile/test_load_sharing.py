"""Loading a file shares equal events and dates: same ledger, same errors, from a file or bytes."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from benchmarks.generate import write_ledger
from campaignkit.ledgerfile.converter import converter
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
    loaded = ck.load(path)
    assert loaded == ck.loads(data) == strict
    assert ck.dumps(loaded) == ck.dumps(strict)


def test_the_example_loads_the_same_either_way() -> None:
    data = EXAMPLE.read_bytes()
    assert ck.load(EXAMPLE) == ck.loads(data) == _strict(data)
    assert ck.dumps(ck.load(EXAMPLE)) == data


def test_equal_events_and_dates_are_one_object(tmp_path: Path) -> None:
    ledger = ck.load(_generated(tmp_path, 2000, 5))
    events = [e for i in ledger.issues for e in i.events]
    by_value: dict[bytes, Any] = {}
    for event in events:
        if not event.extra:  # events with attributes of their own are not shared
            key = orjson.dumps(converter.unstructure(event), option=orjson.OPT_SORT_KEYS)
            assert by_value.setdefault(key, event) is event
    assert len(by_value) < len(events) * 2 / 3
    dates = {id(e.date) for e in events}
    assert len(dates) == len({e.date for e in events})  # each date one object


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_every_bad_file_reports_the_same_problems_from_a_path(path: Path) -> None:
    with pytest.raises(ck.LedgerError) as loaded:
        ck.load(path)
    with pytest.raises(ck.LedgerError) as whole:
        ck.loads(path.read_bytes(), source=str(path))
    assert loaded.value.problems == whole.value.problems
    assert str(loaded.value) == str(whole.value)


def test_an_empty_file_is_not_json(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(ck.LedgerError, match="the file is empty"):
        ck.load(empty)


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
        assert ck.load(pipe) == ck.loads(data)
    finally:
        writer.join(timeout=10)


def test_repeated_text_of_references_and_kinds_is_one_object(tmp_path: Path) -> None:
    from campaignkit.ledgerfile.converter import SHARED_TEXT

    assert {"team", "category", "channel", "enterprise", "kind", "region"} <= SHARED_TEXT
    path = _generated(tmp_path, 2000, 5)
    for ledger in (ck.load(path), ck.loads(path.read_bytes())):
        teams = [i.team for i in ledger.issues if i.team is not None]
        assert len({id(t) for t in teams}) == len(set(teams)) < len(teams)
        categories = [i.category for i in ledger.issues]
        assert len({id(c) for c in categories}) == len(set(categories))
    # nothing is kept between loads: a second load has strings of its own
    first, second = ck.load(path), ck.load(path)
    assert first.issues[0].category == second.issues[0].category
    assert first.issues[0].category is not second.issues[0].category
