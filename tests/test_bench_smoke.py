"""The benchmark harness runs end to end on a small ledger (no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

import campaignkit as ck
from benchmarks import run
from benchmarks.generate import SIZES, parse_size, write_ledger


def test_generated_ledger_is_valid_and_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    with first.open("wb") as fh:
        counts = write_ledger(fh, 500, seed=3)
    with second.open("wb") as fh:
        write_ledger(fh, 500, seed=3)
    assert first.read_bytes() == second.read_bytes()
    ledger = ck.load(first)  # raises on any invalid record
    assert len(ledger.issues) == counts["issues"] == 500
    assert len(ledger.enterprises) == counts["enterprises"] == 100
    assert len(ledger.activities) == counts["activities"] == 250
    assert {r.level for r in ledger.regions} == {"province", "city", "county", "zone"}
    assert sum(1 for r in ledger.regions if r.level == "city") == 16
    assert any(len(i.events) >= 4 for i in ledger.issues)


def test_sizes_parse() -> None:
    assert parse_size("1m") == SIZES["1m"] == 1_000_000
    assert parse_size("250k") == 250_000
    with pytest.raises(ValueError, match="unknown size"):
        parse_size("huge")


def test_smoke_run_prints_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    code = run.main(["--smoke", "--data-dir", str(tmp_path), "--json", str(tmp_path / "r.json")])
    out = capsys.readouterr().out
    assert code == 0
    assert "load + validate + summary" in out
    assert "time ratio campaignkit / pandas" in out
    assert "figures agree with pandas" in out
    assert "| yes " in out  # both sides counted the same figures
    assert "import campaignkit" in out
    assert (tmp_path / "r.json").exists()
