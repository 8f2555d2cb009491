"""The DuckDB baseline of the benchmark harness counts what the pandas baseline and
campaignkit count, and the harness's table says so (or says that duckdb is missing)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from benchmarks import run, worker
from benchmarks.baseline import RESOLVED_STATES, STATE_AFTER, baseline_figures
from benchmarks.duckdb_baseline import ISSUES_SQL, SQL, TOTALS_SQL, duckdb_figures
from benchmarks.generate import write_ledger

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020" / "ledger.json"
NO_DUCKDB = "duckdb is not installed (it comes with the bench extra: pip install -e '.[bench]')"


def _needs(module: str) -> None:
    reason = NO_DUCKDB if module == "duckdb" else f"{module} is not installed"
    pytest.importorskip(module, reason=reason)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("duckdb") / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 600, seed=5)
    return path


def test_duckdb_counts_what_pandas_and_campaignkit_count(generated: Path) -> None:
    _needs("duckdb")
    _needs("pandas")
    found = duckdb_figures(generated)
    assert found == baseline_figures(generated)
    assert found == worker._pipeline(str(generated))["figures"]
    assert list(found) == list(baseline_figures(generated))  # the same keys, in the same order
    assert found["issues_collected"] == 600
    assert found["by_level"] and found["issues_resolved"] and found["land_mu"]


def test_duckdb_counts_the_example_ledger_as_pandas_does() -> None:
    _needs("duckdb")
    _needs("pandas")
    found = duckdb_figures(EXAMPLE)
    assert found == baseline_figures(EXAMPLE)
    ours = worker._pipeline(str(EXAMPLE))["figures"]
    # campaignkit also places an issue with no enterprise (the example's inspections) by the
    # region of its activity; both baselines place issues by their enterprise only
    assert {k: v for k, v in found.items() if k != "by_region"} == {
        k: v for k, v in ours.items() if k != "by_region"
    }


def test_land_given_as_a_whole_number_and_other_figures_are_counted(tmp_path: Path) -> None:
    """``land_mu`` may be an integer as well as a decimal string; figures other than copies
    count for nothing; an activity may have no figures."""
    _needs("duckdb")
    _needs("pandas")
    doc = orjson.loads(EXAMPLE.read_bytes())
    land = [o for o in doc["outcomes"] if o["kind"] == "land_quota" and "land_mu" in o]
    land[0]["land_mu"] = 852
    land[1]["land_mu"] = "0.05"
    handed = [a for a in doc["activities"] if "figures" in a]
    handed[0]["figures"] = {"booklets": 3}
    del handed[1]["figures"]
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(doc))
    assert duckdb_figures(path) == baseline_figures(path)


def test_the_sql_holds_the_pandas_baselines_rules() -> None:
    """The SQL is written out as an analyst would; it keeps the pandas baseline's table of
    the state each event kind leads to, and its resolved states."""
    table = ISSUES_SQL.split("target(kind, state) AS (", 1)[1].split("\n),", 1)[0]
    assert dict(re.findall(r"\('(\w+)', '(\w+)'\)", table)) == STATE_AFTER
    assert f"state IN ({', '.join(repr(s) for s in RESOLVED_STATES)})" in TOTALS_SQL
    assert list(SQL) == ["ledger", "issues", "breakdowns", "totals"]


def test_the_worker_records_duckdbs_version_and_default_threads(
    generated: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    _needs("duckdb")
    import duckdb

    assert worker.main(["duckdb", str(generated)]) == 0
    result = orjson.loads(capsysbinary.readouterr().out.splitlines()[-1])
    assert result["version"] == duckdb.__version__
    with duckdb.connect() as con:
        default = con.execute("SELECT current_setting('threads')").fetchone()
    assert default is not None and result["threads"] == default[0]
    assert result["figures"]["issues_collected"] == 600
    assert result["total_s"] > 0 and result["peak_mib"] > 0


def test_json_records_the_sql_and_version_when_duckdb_is_there() -> None:
    info = run.duckdb_info()
    if info is None:
        assert run._has_duckdb() is False
        return
    assert info["sql"] == SQL
    assert isinstance(info["version"], str) and info["version"]


def _result(duck: dict[str, Any]) -> dict[str, Any]:
    figures = {"issues_collected": 3, "by_team": {"T1": 3}}
    return {
        "size": "smoke",
        "issues": 3,
        "file_mib": 0.0,
        "reference": {"lines_s": 0.1, "loop_s": 0.1},
        "pipeline": {"total_s": 1.0, "peak_mib": 50.0, "figures": figures},
        "baseline": {"total_s": 2.0, "peak_mib": 90.0, "figures": figures},
        "time_ratio": None,
        "duckdb": duck,
        "escalation": {"error": "not measured"},
        "reports": {"error": "not measured"},
    }


def _row(text: str, measure: str) -> list[str]:
    line = next(line for line in text.splitlines() if f"| {measure} " in line)
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_table_shows_the_duckdb_rows() -> None:
    figures = {"issues_collected": 3, "by_team": {"T1": 3}}
    duck = {
        "total_s": 0.5,
        "peak_mib": 70.0,
        "figures": figures,
        "version": "1.2.3",
        "threads": 2,
    }
    text = run.table([_result(duck)], None)
    assert _row(text, "DuckDB baseline (same figures)")[2] == "0.50 s"
    assert _row(text, "peak memory DuckDB")[2] == "70 MiB"
    assert _row(text, "figures agree with DuckDB")[2:] == ["yes", "yes", "met"]
    assert _row(text, "DuckDB version (default threads)")[2] == "DuckDB 1.2.3, 2 threads"
    wrong = {**duck, "figures": {"issues_collected": 4, "by_team": {"T1": 3}}}
    row = _row(run.table([_result(wrong)], None), "figures agree with DuckDB")
    assert row[2:] == ["NO: issues_collected", "yes", "NOT MET"]


def test_the_table_says_when_duckdb_is_missing() -> None:
    text = run.table([_result({"error": run.DUCKDB_MISSING})], None)
    assert _row(text, "DuckDB baseline (same figures)")[2] == "n/a"
    assert _row(text, "figures agree with DuckDB")[2] == run.DUCKDB_MISSING
    assert "pip install" in run.DUCKDB_MISSING
    assert "DuckDB version" not in text
