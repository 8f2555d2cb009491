"""Files: lossless round trip, canonical output, atomic writes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

import campaignkit as ck
from campaignkit.io import atomic_write
from campaignkit.model.ledger import Ledger
from tests.strategies import ledgers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_round_trip(ledger: Ledger) -> None:
    text = ck.dumps(ledger)
    again = ck.loads(text)
    assert again == ledger
    assert ck.dumps(again) == text


def test_canonical_document_round_trips_byte_for_byte(document: dict[str, Any]) -> None:
    canonical = ck.dumps(ck.loads(orjson.dumps(document)))
    assert ck.dumps(ck.loads(canonical)) == canonical
    doc = orjson.loads(canonical)
    assert list(doc)[:2] == ["format", "version"]
    assert doc["version"] == ck.FORMAT_VERSION
    # amounts are exact strings, defaults are omitted
    assert doc["outcomes"][0]["land_mu"] == "12.5"
    assert "legacy" not in doc["issues"][0]


def test_dump_and_load_path(tmp_path: Path, document: dict[str, Any]) -> None:
    ledger = ck.loads(orjson.dumps(document))
    target = ck.dump(ledger, tmp_path / "ledger.json")
    assert ck.load(target) == ledger
    assert ck.load(tmp_path) == ledger  # a folder means its ledger.json
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failure_mid_write_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "ledger.json"
    target.write_bytes(b"old and intact")

    def write_half_then_fail(fh: Any) -> None:
        fh.write(b"new but incomp")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, write_half_then_fail)
    assert target.read_bytes() == b"old and intact"
    assert os.listdir(tmp_path) == ["ledger.json"]


def test_failure_before_rename_keeps_old_file(tmp_path: Path, document: dict[str, Any]) -> None:
    target = tmp_path / "ledger.json"
    target.write_bytes(b"old")

    def crash() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new", before_replace=[crash])
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["ledger.json"]


def test_a_link_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "data" / "ledger.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert sorted(os.listdir(real.parent)) == ["ledger.json"]  # no temporary file left


def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    atomic_write(pipe, b"report text")
    reader.join(timeout=10)
    assert got == [b"report text"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # still the pipe, not a file in its place


def test_unreadable_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(ck.LedgerError, match="cannot read"):
        ck.load(tmp_path / "missing.json")
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"名称": "淮南"}'.encode("gbk"))
    with pytest.raises(ck.LedgerError, match="not UTF-8"):
        ck.load(gbk)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf{}")
    with pytest.raises(ck.LedgerError, match="byte-order mark"):
        ck.load(bom)
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(b'{"format": "campaignkit-ledger", "vers')
    with pytest.raises(ck.LedgerError, match="not valid JSON"):
        ck.load(truncated)


@pytest.mark.parametrize(
    ("content", "code", "zh"),
    [
        (b"", "empty-document", "文件是空的"),
        (b" \n\t ", "empty-document", "文件是空的"),
        (b"PK\x03\x04" + bytes(range(256)) * 40, "is-zip", "这是 Excel 工作簿"),
    ],
)
def test_a_file_that_is_no_ledger_says_what_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, code: str, zh: str
) -> None:
    """An empty file and a workbook handed where a ledger file goes: one problem saying
    so in either language, not the JSON parser's English; read whole, from memory, or
    mapped and streamed record by record."""
    from campaignkit import io

    path = tmp_path / "given.json"
    path.write_bytes(content)
    reads: list[Callable[[], object]] = [lambda: ck.load(path), lambda: ck.loads(content)]
    if code == "empty-document":  # given as text, too
        reads.append(lambda: ck.loads(content.decode()))
    for read in reads:
        with pytest.raises(ck.LedgerError) as refused:
            read()
        [problem] = refused.value.problems
        assert problem.code == code
        assert problem.phrase.text("zh").startswith(zh)
        assert "line 1 column" not in problem.phrase.text("en")
    if content:
        monkeypatch.setattr(io, "MAP_FROM", 1)  # the mapped, streamed path
        with pytest.raises(ck.LedgerError) as refused:
            ck.load(path)
        assert [p.code for p in refused.value.problems] == [code]
