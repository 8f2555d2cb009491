"""The store's benchmark steps run end to end on a tiny ledger (no timing is asserted)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("sqlalchemy", reason="the store steps need the store extra (sqlalchemy)")

from benchmarks import run, store_steps

APPENDS = 5
"""Events each of the eight writers appends in these tests."""


def _row(out: str, measure: str) -> str:
    """The table's line whose measure starts with ``measure``."""
    return next(line for line in out.splitlines() if f"| {measure}" in line)


def test_store_steps_run_beside_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(store_steps.POSTGRESQL_ENV, raising=False)
    report = tmp_path / "r.json"
    argv = ["--sizes", "300", "--no-import", "--formats", "csv", "--appends", str(APPENDS)]
    code = run.main([*argv, "--data-dir", str(tmp_path), "--json", str(report)])
    out = capsys.readouterr().out
    assert code == 0
    found = json.loads(report.read_text())["sizes"][0]
    store: dict[str, Any] = found["store"]
    # the import: load alone, then the store's import, in one process
    imported = store["import"]
    assert imported["issues"] == 300 and imported["store_mib"] > 0
    assert imported["ratio"] == pytest.approx(imported["import_s"] / imported["load_s"])
    assert "| import ratio store / load" in out and "≤ 2.0 at 1M" in out
    # the summary read from the store counts what the pipeline counts
    assert store["summary"]["figures"] == found["pipeline"]["figures"]
    assert store["summary"]["issues"] == 300
    agree = _row(out, "store summary figures agree with campaignkit's")
    assert "| yes " in agree and "| met" in agree
    ratio = _row(out, "time ratio store summary / DuckDB")
    if run.duckdb_info() is None:
        assert "n/a" in ratio
    else:
        assert isinstance(store["summary_ratio"], float)
    assert "| peak memory store summary" in out
    # campaignkit escalate on the store proposes what evaluation proposes on the file
    escalate = store["escalate"]
    assert escalate["actions"] == found["escalation"]["actions"]
    assert escalate["command"][:2] == ["campaignkit", "escalate"]
    assert f"({escalate['actions']:,} actions)" in _row(out, "store: campaignkit escalate")
    # eight writers, every append landed once, latencies and throughput reported
    append = store["append"]
    assert append["appends"] == store_steps.WRITERS * APPENDS
    assert append["landed"] == append["expected"] == store_steps.WRITERS * (APPENDS + 1)
    assert 0 < append["median_ms"] <= append["p99_ms"] <= append["max_ms"]
    assert append["throughput"] > 0
    what = f"store: one append, 8 writers × {APPENDS} (SQLite)"
    assert f"| {what}: median" in out and f"| {what}: 99th percentile (max)" in out
    assert f"({store_steps.WRITERS * APPENDS} in " in _row(out, f"{what}: throughput")
    assert run.PG_NOT_CONFIGURED in _row(out, "store: one append among 8 writers (PostgreSQL)")
    # the store's files are gone
    assert not list((tmp_path / "tmp").glob("store-*"))


def test_the_store_rows_judge_their_targets_at_their_sizes() -> None:
    store: dict[str, Any] = {
        "import": {"load_s": 10.0, "import_s": 25.0, "ratio": 2.5, "store_mib": 900.0},
        "summary": {"total_s": 2.0, "peak_mib": 600.0, "figures": {"a": 1}},
        "summary_ratio": 0.2,
        "summary_ratio_of_pairs": False,
        "escalate": {"wall_s": 2.5, "actions": 7},
        "append": {
            "writers": 8,
            "appends_each": 500,
            "appends": 4000,
            "median_ms": 4.0,
            "p99_ms": 60.0,
            "max_ms": 120.0,
            "throughput": 500.0,
            "wall_s": 8.0,
            "landed": 4008,
            "expected": 4008,
        },
        "append_pg": {"missing": run.PG_NOT_CONFIGURED},
    }
    result: dict[str, Any] = {
        "issues": 1_000_000,
        "pipeline": {"figures": {"a": 1}},
        "escalation": {"actions": 7},
        "store": store,
    }

    def verdicts(issues: int) -> dict[str, str]:
        return {row[1]: row[4] for row in run._store_rows({**result, "issues": issues})}

    at_1m = verdicts(1_000_000)
    assert at_1m["import ratio store / load"] == "NOT MET"
    assert at_1m["time ratio store summary / DuckDB"] == "met"
    assert at_1m["peak memory store summary"] == "NOT MET"
    assert at_1m["store: campaignkit escalate end to end (7 actions)"] == "met"
    assert at_1m["store: one append, 8 writers × 500 (SQLite): median"] == "met"
    assert at_1m["store: one append, 8 writers × 500 (SQLite): 99th percentile (max)"] == "NOT MET"
    assert at_1m["store summary figures agree with campaignkit's"] == "met"
    at_100k = verdicts(100_000)
    assert at_100k["import ratio store / load"] == ""  # judged at 1M only
    assert at_100k["store: one append, 8 writers × 500 (SQLite): median"] == "met"
    at_10k = verdicts(10_000)
    assert at_10k["store: one append, 8 writers × 500 (SQLite): median"] == ""
    rows = {row[1]: row[2] for row in run._store_rows(result)}
    assert rows["store: one append among 8 writers (PostgreSQL)"] == run.PG_NOT_CONFIGURED
    # a lost append and an escalation that proposed otherwise are shown
    lost = {**store, "append": {**store["append"], "landed": 4007}}
    lost["escalate"] = {"wall_s": 2.5, "actions": 6}
    shown = {row[1]: row[2:] for row in run._store_rows({**result, "store": lost})}
    assert shown["store: one append, 8 writers × 500 (SQLite): appends in the write history"] == [
        "4007 of 4008",
        "all",
        "NOT MET",
    ]
    assert "store: campaignkit escalate end to end (6 actions, evaluate 7)" in shown


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert store_steps.percentile(values, 0.99) == 99.0
    assert store_steps.percentile(values, 1.0) == 100.0
    assert store_steps.percentile([1.0, 2.0, 3.0], 0.5) == 2.0
    assert store_steps.percentile([7.0], 0.99) == 7.0


def test_appends_per_writer_grow_with_the_size() -> None:
    assert store_steps.appends_for(10_000) == 200
    assert store_steps.appends_for(100_000) == store_steps.appends_for(1_000_000) == 500


def test_eight_writers_on_postgresql(tmp_path: Path) -> None:
    server = os.environ.get(store_steps.POSTGRESQL_ENV) or os.environ.get(
        "CAMPAIGNKIT_TEST_POSTGRESQL"
    )
    if not server:
        pytest.skip(
            f"no PostgreSQL server: set {store_steps.POSTGRESQL_ENV} or "
            "CAMPAIGNKIT_TEST_POSTGRESQL=postgresql://user@host:port/db"
        )
    pytest.importorskip("psycopg")
    path = run.ledger_file("300", tmp_path)
    found = store_steps.store_append_pg(str(path), APPENDS, server=server)
    assert found["backend"] == "postgresql" and found["server_version"]
    assert found["appends"] == store_steps.WRITERS * APPENDS
    assert found["landed"] == found["expected"] == store_steps.WRITERS * (APPENDS + 1)
    assert found["import_s"] > 0 and found["throughput"] > 0
