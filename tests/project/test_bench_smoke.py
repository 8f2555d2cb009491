"""The benchmark harness runs end to end on a small ledger (no timing is asserted)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

import campaignkit as ck
from benchmarks import against, run
from benchmarks.generate import ESCALATION_DATE, SIZES, parse_size, write_ledger


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
    # the store's steps have a test of their own (test_store_bench.py)
    argv = [
        "--smoke",
        "--no-store",
        "--data-dir",
        str(tmp_path),
        "--json",
        str(tmp_path / "r.json"),
    ]
    code = run.main(argv)
    out = capsys.readouterr().out
    assert code == 0
    assert "load + validate + summary" in out
    assert "time ratio campaignkit / pandas" in out
    assert "figures agree with pandas" in out
    assert "| yes " in out  # both sides counted the same figures
    assert "import campaignkit" in out
    assert "reference: orjson parses each issue line" in out
    assert "reference: fixed pure-Python loop" in out
    assert "(median of pairs)" not in out  # one run each: no pairs to take a median of
    assert "| store " in out and "not measured (--no-store)" in out
    assert "store: open SQLite" not in out
    duckdb_row = next(line for line in out.splitlines() if "| figures agree with DuckDB" in line)
    if run.duckdb_info() is None:
        assert run.DUCKDB_MISSING in duckdb_row  # says what is missing, and how to install it
    else:
        assert "| yes " in duckdb_row
    assert (tmp_path / "r.json").exists()


def test_repeat_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert run.main(["--smoke", "--repeat", "0"]) == 2
    assert "--repeat must be at least 1" in capsys.readouterr().err


def test_median_run_and_ratio_of_pairs() -> None:
    ours = [{"total_s": 30.0, "n": 1}, {"total_s": 26.0, "n": 2}, {"total_s": 28.0, "n": 3}]
    theirs = [{"total_s": 30.0}, {"total_s": 20.0}, {"total_s": 35.0}]
    chosen = run._median_run(ours, "total_s")
    assert chosen["n"] == 3  # the median run itself, with every run's time
    assert chosen["runs_s"] == [30.0, 26.0, 28.0]
    assert run._median_run(ours[:2], "total_s")["n"] == 2  # the lower of two
    # ratios of the pairs: 1.0, 1.3, 0.8 -> median 1.0 (not 28 / 30)
    assert run._median_ratio(ours, theirs) == pytest.approx(1.0)
    assert run._median_ratio(ours[:2], theirs[:2]) == pytest.approx(1.0)  # the lower of two
    failed = run._median_run([*ours, {"error": "exit 1: boom"}], "total_s")
    assert failed == {"error": "exit 1: boom"}
    assert run._median_ratio(ours, [{"error": "pandas missing"}]) is None
    assert run._median_ratio(ours, [*theirs[:2], {"error": "exit 1: boom"}]) is None
    assert run._median_ratio(ours[:1], theirs[:1]) is None  # one pair: no median to take


def test_table_shows_the_spread_of_repeated_runs() -> None:
    step = {"total_s": 28.0, "runs_s": [30.0, 26.0, 28.0]}
    assert run._runs(step, "total_s") == "28.00 s (median of 3: 26.00–30.00)"
    assert run._runs({"total_s": 28.0, "runs_s": [28.0]}, "total_s") == "28.00 s"
    row = run._ratio_row("time", 28.0, 28.0, True, 0.8)
    assert row[2] == "0.80" and row[4] == "met"


def test_a_failed_format_shows_its_own_message() -> None:
    chain = "PluginError: report formatter 'w' of plugin 'p' failed: CampaignkitError: 缺少指标 a"
    assert run._error_text(chain) == "缺少指标 a"
    wrapped = "PluginError: report formatter 'w' of plugin 'p' failed: KeyError: 'x'"
    assert run._error_text(wrapped) == "KeyError: 'x'"  # not campaignkit's: the name stays
    assert run._error_text("PluginError: report formatter 'w' failed: MemoryError") == "MemoryError"
    assert run._error_text("exit 1: boom") == "exit 1: boom"
    assert run._error_text("stopped after 60 s") == "stopped after 60 s"


def test_a_failed_reference_step_shows_why() -> None:
    result = {
        "size": "smoke",
        "issues": 2000,
        "file_mib": 1.0,
        "reference": {"error": "stopped after 5 s"},
        "pipeline": {"error": "stopped after 5 s"},
        "baseline": {"error": "pandas missing"},
        "time_ratio": None,
        "escalation": {"error": "stopped after 5 s"},
        "reports": {"error": "stopped after 5 s"},
    }
    text = run.table([result], None)
    assert "| stopped after 5 s" in text.split("reference: orjson parses each issue line")[1]


# -- a release and this code side by side (--against) ---------------------------------------


def test_both_sides_run_the_public_steps_in_turns(tmp_path: Path) -> None:
    """The steps of ``--against``, with this interpreter standing in for both environments."""
    path = run.ledger_file("300", tmp_path)
    python = Path(sys.executable)
    old, new = against.Side("old", python), against.Side("new", python)
    found = against.compare(old, new, path, as_of=ESCALATION_DATE, repeat=2)
    pipeline = found["runs"]["pipeline"]
    assert [len(pipeline["old"]), len(pipeline["new"])] == [2, 2]
    first = pipeline["old"][0]
    assert first["issues"] == 300 and first["problems"] == 0, first
    assert first["total_s"] == pytest.approx(
        first["load_s"] + first["validate_s"] + first["summary_s"]
    )
    assert first["figures"]["issues_collected"] == "300"
    assert first["version"] == ck.__version__
    assert all(isinstance(r["evaluate_s"], float) for r in found["runs"]["escalation"]["new"])
    helpers = found["runs"]["helpers"]["new"][0]
    assert helpers["issues"] == 300 and helpers["per_issue_ms"] > 0
    text = against.comparison_table([("300", 300, found)])
    assert "| load + validate + summary" in text
    assert "median of 2 runs each" in text and "new / old" in text
    assert "| same figures on both sides" in text and "| yes " in text


def test_the_table_compares_medians_and_pairs() -> None:
    def runs(*totals: float) -> list[dict[str, Any]]:
        return [{"total_s": t, "figures": {"a": "1"}} for t in totals]

    found = {
        "old": "v0",
        "new": "now",
        "runs": {
            "pipeline": {"old": runs(10.0, 12.0, 11.0), "new": runs(5.0, 9.0, 5.5)},
            "escalation": {"old": [{"error": "exit 1: boom"}], "new": [{"evaluate_s": 1.0}]},
            "helpers": {"old": [{"per_issue_ms": 16.0}], "new": [{"per_issue_ms": 0.08}]},
        },
    }
    text = against.comparison_table([("1k", 1000, found)])
    row = next(line for line in text.splitlines() if "| load + validate + summary" in line)
    # medians 11 and 5.5; ratios of the pairs 0.5, 0.75, 0.5 -> 0.5
    assert "11.00 s" in row and "5.50 s" in row and row.rstrip(" |").endswith("| 0.50")
    escalation = next(line for line in text.splitlines() if "escalation evaluate" in line)
    assert "exit 1: boom" in escalation and "n/a" in escalation
    helpers = next(line for line in text.splitlines() if "per-issue helpers" in line)
    assert "16.000 ms" in helpers and "0.080 ms" in helpers and "0.01" in helpers


def test_an_unknown_release_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("git") is None or not (run.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    code = run.main(["--smoke", "--against", "no-such-ref-x", "--venv-dir", str(tmp_path)])
    assert code == 2
    assert "cannot prepare the environments" in capsys.readouterr().err
