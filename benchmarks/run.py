"""The benchmark harness: ``python -m benchmarks.run`` (or ``nox -s bench``) prints a table.

For each size it generates the synthetic ledger once (``benchmarks/data/``,
git-ignored), then runs every measured step in a fresh interpreter (see
:mod:`benchmarks.worker`) so each peak-memory figure is that step's own:
load + validate, the full summary, escalation evaluation as of a date, each
registered report format, and the pandas and DuckDB baselines on the same file.
It checks that campaignkit and each baseline counted the same figures and prints
the ratios against the targets of the performance issue (the targets compare
with pandas; DuckDB's time and memory are shown beside them, its SQL and version
go into the ``--json`` file):

- 1M issues: load + validate + summary no slower than the pandas baseline,
  with at most half its peak memory;
- 1M no more than 12 times the 100k time;
- escalation evaluation for 1M issues within 2 s;
- ``import campaignkit`` within 150 ms, importing none of the optional extras.

With the store extra installed (``--no-store`` leaves it out), each size's ledger is
also imported into an SQLite store, whose summary takes its turns with the pipeline
and the baselines, ``campaignkit escalate`` reads it end to end, and eight writer
processes append to it (and to PostgreSQL where ``CAMPAIGNKIT_BENCH_POSTGRESQL``
names a server; see :mod:`benchmarks.store_steps`), against the store's targets:

- 1M issues: the import within 2 times ``campaignkit.load``; the summary from the
  store within 0.25 times DuckDB's, the same figures, at most 500 MiB;
  ``campaignkit escalate`` within 3 s;
- 100k and 1M: one append among eight writers within 5 ms (median) and 50 ms (99th
  percentile), with the throughput.

``--smoke`` runs a 2,000-issue ledger only (the test suite does, without
asserting any timing).

``--against REF`` compares instead: the release at the git ``REF`` and this
code, each in a virtual environment of its own, side by side on the same
ledgers through the public API only (see :mod:`benchmarks.against`), e.g.
``python -m benchmarks.run --against v0.1.0 --sizes 100k,1m --repeat 3``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
from tabulate import tabulate

from benchmarks.generate import ESCALATION_DATE, GENERATOR_VERSION, parse_size, write_ledger
from benchmarks.store_steps import (
    POSTGRESQL_ENV,
    STORE_MISSING,
    appends_for,
    has_store,
    remove_store,
)

__all__ = [
    "DUCKDB_MISSING",
    "HEAVY_MODULES",
    "PG_NOT_CONFIGURED",
    "TARGETS",
    "duckdb_info",
    "import_time",
    "machine",
    "main",
    "run_size",
]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
HEAVY_MODULES = ("pandas", "numpy", "matplotlib", "openpyxl")
"""Optional extras ``import campaignkit`` must not import."""

TARGETS = {
    "ratio_time": 1.0,
    "ratio_memory": 0.5,
    "growth": 12.0,
    "escalation_s": 2.0,
    "import_ms": 150.0,
    # the store (rows "store: …"): import and summary at 1M, escalation end to end at 1M,
    # one append among eight writers at 100k and 1M
    "store_import_ratio": 2.0,
    "store_summary_ratio": 0.25,
    "store_summary_mib": 500.0,
    "store_escalate_s": 3.0,
    "store_append_median_ms": 5.0,
    "store_append_p99_ms": 50.0,
}

PG_NOT_CONFIGURED = f"not configured ({POSTGRESQL_ENV} unset)"
"""What the PostgreSQL append row says without a server (set the variable to a server URL,
``postgresql://user@host:port/db``, on which a database may be created)."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # measure as installed: bytecode cached, as pip leaves it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    path = [str(ROOT), str(ROOT / "src")]
    if env.get("PYTHONPATH"):
        path.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(path)
    return env


def _step(
    step: str, path: Path, *extra: str | Path, timeout: float | None = None
) -> dict[str, Any]:
    """Run one step of :mod:`benchmarks.worker` in a fresh interpreter."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.worker", step, str(path), *map(str, extra)],
            capture_output=True,
            env=_env(),
            cwd=ROOT,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return {"error": f"exit {proc.returncode}: {tail[0]}"}
    result: dict[str, Any] = orjson.loads(proc.stdout.splitlines()[-1])
    return result


def ledger_file(size: str, data_dir: Path = DATA, seed: int = 7) -> Path:
    """The generated ledger for ``size`` (written on first use)."""
    issues = parse_size(size)
    path = data_dir / f"ledger-{size.lower()}-s{seed}-g{GENERATOR_VERSION}.json"
    if not path.exists():
        from campaignkit.io import atomic_write

        data_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda fh: write_ledger(fh, issues, seed))
    return path


def _has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def _has_duckdb() -> bool:
    return importlib.util.find_spec("duckdb") is not None


DUCKDB_MISSING = "duckdb missing: pip install -e '.[bench]'"
"""What the DuckDB rows say when duckdb is not installed."""


def duckdb_info() -> dict[str, Any] | None:
    """The DuckDB baseline's version and statements, for the ``--json`` file (None without
    duckdb)."""
    if not _has_duckdb():
        return None
    from benchmarks.duckdb_baseline import SQL

    return {"version": importlib.metadata.version("duckdb"), "sql": SQL}


def _median_run(runs: Sequence[dict[str, Any]], key: str) -> dict[str, Any]:
    """The run whose ``key`` is the median (the lower one of an even count), with every
    run's ``key`` in ``runs_s``; the first error if any run failed."""
    failed = [r for r in runs if not isinstance(r.get(key), (int, float))]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda r: float(r[key]))
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs_s"] = [r[key] for r in runs]
    return chosen


def _median_ratio(ours: Sequence[dict[str, Any]], theirs: Sequence[dict[str, Any]]) -> float | None:
    """The median of campaignkit / pandas over the pairs of runs made one after the other
    (the lower one of an even count, as for the runs); None unless every run of both
    sides has a time and there is more than one pair."""
    if len(ours) < 2 or len(ours) != len(theirs):
        return None
    if not all(isinstance(r.get("total_s"), float) for r in (*ours, *theirs)):
        return None
    pairs = zip(ours, theirs, strict=True)
    found: float = statistics.median_low(a["total_s"] / b["total_s"] for a, b in pairs)
    return found


def run_size(
    size: str,
    *,
    data_dir: Path = DATA,
    seed: int = 7,
    as_of: dt.date,
    formats: str | None = None,
    timeout: float | None = None,
    repeat: int = 1,
    store: bool = True,
    appends: int | None = None,
) -> dict[str, Any]:
    """Every measurement for one size (``formats``: comma-separated report formats, default all).

    With ``repeat`` above 1, the pipeline and the pandas and DuckDB baselines (and
    the store's summary) run that many times each, in turns, the order reversed
    every turn (so a slow spell of a shared machine falls on all of them), and
    escalation (and the store's ``campaignkit escalate``) runs that many times; the
    table shows each step's median run and the median of the pairs' time ratios.

    With ``store`` (and the store extra installed) the ledger is first imported into
    an SQLite store under ``data_dir/tmp`` (removed at the end), whose summary takes
    its turns with the others, then ``campaignkit escalate`` reads it and eight
    writers append ``appends`` events each (default :func:`appends_for`), and the same
    on PostgreSQL where :data:`POSTGRESQL_ENV` names a server.
    """
    path = ledger_file(size, data_dir, seed)
    issues = parse_size(size)
    out: dict[str, Any] = {
        "size": size,
        "issues": issues,
        "file_mib": path.stat().st_size / 2**20,
        "reference": _step("reference", path, timeout=timeout),
    }
    store_file = data_dir / "tmp" / f"store-{size.lower()}-s{seed}-g{GENERATOR_VERSION}.db"
    imported: dict[str, Any] | None = None
    if store and has_store():
        remove_store(store_file)
        imported = _step("store_import", path, store_file, timeout=timeout)
    present = {
        "pipeline": True,
        "baseline": _has_pandas(),
        "duckdb": _has_duckdb(),
        "store_summary": imported is not None and "error" not in imported,
    }
    source = {step: path for step in present} | {"store_summary": store_file}
    runs: dict[str, list[dict[str, Any]]] = {step: [] for step in present}
    order = tuple(present)
    for turn in range(max(1, repeat)):
        for step in order if turn % 2 == 0 else reversed(order):
            if present[step]:
                runs[step].append(_step(step, source[step], timeout=timeout))
    pipes, bases, ducks = runs["pipeline"], runs["baseline"], runs["duckdb"]
    out["pipeline"] = _median_run(pipes, "total_s")
    out["baseline"] = _median_run(bases, "total_s") if bases else {"error": "pandas missing"}
    out["time_ratio"] = _median_ratio(pipes, bases)
    out["duckdb"] = _median_run(ducks, "total_s") if ducks else {"error": DUCKDB_MISSING}
    out["duckdb_time_ratio"] = _median_ratio(pipes, ducks)
    escalations = [
        _step("escalation", path, as_of.isoformat(), timeout=timeout) for _ in range(max(1, repeat))
    ]
    out["escalation"] = _median_run(escalations, "evaluate_s")
    if not store:
        out["store"] = {"skipped": "not measured (--no-store)"}
    elif imported is None:
        out["store"] = {"skipped": STORE_MISSING}
    else:
        try:
            out["store"] = _store_size(
                imported,
                runs["store_summary"],
                ducks,
                path,
                store_file,
                as_of=as_of,
                appends=appends or appends_for(issues),
                timeout=timeout,
                repeat=repeat,
            )
        finally:
            remove_store(store_file)
            store_file.with_suffix(".escalate.txt").unlink(missing_ok=True)
    chosen = () if formats is None else (formats,)
    out["reports"] = _step("reports", path, *chosen, timeout=timeout)
    return out


def _store_size(
    imported: dict[str, Any],
    summaries: Sequence[dict[str, Any]],
    ducks: Sequence[dict[str, Any]],
    path: Path,
    store_file: Path,
    *,
    as_of: dt.date,
    appends: int,
    timeout: float | None,
    repeat: int,
) -> dict[str, Any]:
    """The store's measurements of one size, after its import and summaries: the summary's
    ratio to DuckDB, ``campaignkit escalate`` on the store, and the writers (SQLite, then
    PostgreSQL where configured)."""
    found: dict[str, Any] = {"import": imported, "appends_each": appends}
    if "error" in imported:
        return found
    found["summary"] = _median_run(summaries, "total_s")
    ratio = _median_ratio(summaries, ducks)
    found["summary_ratio_of_pairs"] = ratio is not None
    if ratio is None:
        ours, theirs = found["summary"].get("total_s"), (ducks[0] if ducks else {}).get("total_s")
        if isinstance(ours, float) and isinstance(theirs, float) and len(ducks) == 1:
            ratio = ours / theirs
    found["summary_ratio"] = ratio
    escalations = [
        _step(
            "store_escalate",
            store_file,
            as_of.isoformat(),
            store_file.with_suffix(".escalate.txt"),
            timeout=timeout,
        )
        for _ in range(max(1, repeat))
    ]
    found["escalate"] = _median_run(escalations, "wall_s")
    # last: the writers add events to the store the steps above read as imported
    found["append"] = _step("store_append", store_file, str(appends), timeout=timeout)
    if os.environ.get(POSTGRESQL_ENV):
        found["append_pg"] = _step("store_append_pg", path, str(appends), timeout=timeout)
    else:
        found["append_pg"] = {"missing": PG_NOT_CONFIGURED}
    return found


def import_time(repeat: int = 11) -> dict[str, Any]:
    """Wall time of ``python -c "import campaignkit"`` minus ``python -c pass`` (medians)."""
    env = _env()
    probe = (
        "import sys, campaignkit; "
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )

    def wall(code: str) -> tuple[float, str]:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, env=env, cwd=ROOT, check=True
        )
        return time.perf_counter() - start, proc.stdout.decode().strip()

    wall(probe)  # writes the bytecode cache, like an install does
    with_import = [wall(probe) for _ in range(repeat)]
    bare = [wall("pass")[0] for _ in range(repeat)]
    heavy = sorted({m for _, found in with_import for m in found.split(",") if m})
    ms = 1000 * (statistics.median(t for t, _ in with_import) - statistics.median(bare))
    return {"import_ms": ms, "heavy_modules": heavy}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    mem_gib = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "processor": platform.processor() or platform.machine(),
    }


def _s(value: object) -> str:
    return f"{value:.2f} s" if isinstance(value, (int, float)) else "n/a"


def _mib(value: object) -> str:
    return f"{value:,.0f} MiB" if isinstance(value, (int, float)) else "n/a"


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _runs(step: dict[str, Any], key: str) -> str:
    """A step's time, with the spread of its runs when it ran more than once."""
    runs = step.get("runs_s") or []
    text = _s(step.get(key))
    if len(runs) > 1:
        text += f" (median of {len(runs)}: {min(runs):.2f}–{max(runs):.2f})"
    return text


_OWN_ERRORS = frozenset({"CampaignkitError", "LedgerError", "PluginError"})
"""campaignkit's own errors: their messages are written for people, without the class name."""


def _error_text(text: str) -> str:
    """An error as the table shows it: without the ``… failed:`` wrapper of a failed
    format, and without the class name of campaignkit's own errors."""
    tail = text.rsplit(" failed: ", 1)[-1]
    name, sep, rest = tail.partition(": ")
    return rest if sep and rest and name in _OWN_ERRORS else tail


def _ratio_row(
    what: str, ours: object, theirs: object, big: bool, median: float | None = None
) -> list[str]:
    """A table row: campaignkit / pandas for ``time`` or ``memory``, against its target
    (``median``: the median of the ratios of runs made in pairs, when given)."""
    ratio = ours / theirs if isinstance(ours, float) and isinstance(theirs, float) else None
    if median is not None:
        ratio = median
    target = TARGETS[f"ratio_{what}"]
    return [
        "",
        f"{what} ratio campaignkit / pandas" + (" (median of pairs)" if median else ""),
        f"{ratio:.2f}" if ratio is not None else "n/a",
        f"≤ {target:.1f} at 1M",
        _verdict(ratio, target, big),
    ]


def _verdict(value: float | None, target: float, applies: bool) -> str:
    if value is None:
        return "n/a"
    if not applies:
        return ""
    return "met" if value <= target else "NOT MET"


def _figures_agree(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, list[str]]:
    fa, fb = a.get("figures"), b.get("figures")
    if not isinstance(fa, dict) or not isinstance(fb, dict):
        return False, ["figures missing"]
    differ = sorted(k for k in fa if fa.get(k) != fb.get(k))
    return not differ, differ


def _agree_row(name: str, pipe: dict[str, Any], base: dict[str, Any]) -> list[str]:
    """Whether campaignkit and the baseline ``name`` counted the same figures (or why the
    baseline has none)."""
    what = f"figures agree with {name}"
    if "error" in base:
        return ["", what, base["error"], "", ""]
    agree, differ = _figures_agree(pipe, base)
    verdict = "yes" if agree else "NO: " + ", ".join(differ)
    return ["", what, verdict, "yes", "met" if agree else "NOT MET"]


def _ms(value: object) -> str:
    return f"{value:,.1f} ms" if isinstance(value, (int, float)) else "n/a"


def _target_row(
    what: str, value: float | None, text: str, key: str, unit: str, applies: bool, where: str
) -> list[str]:
    """A row measured against ``TARGETS[key]``, with its verdict where it ``applies``."""
    target = TARGETS[key]
    shown = f"{target:.1f}" if not unit and target == int(target) else f"{target:g}"
    return ["", what, text, f"≤ {shown}{unit} {where}", _verdict(value, target, applies)]


def _number(step: dict[str, Any], key: str) -> float | None:
    value = step.get(key)
    return float(value) if isinstance(value, (int, float)) else None


def _append_rows(found: dict[str, Any], backend: str, applies: bool) -> list[list[str]]:
    """The rows of the eight writers on ``backend``: median, 99th percentile, throughput
    (against the targets on SQLite; PostgreSQL's are measured and published)."""
    if "median_ms" not in found:
        why = found.get("missing") or _short(_error_text(found.get("error", "n/a")))
        return [["", f"store: one append among 8 writers ({backend})", why, "", ""]]
    what = f"store: one append, {found['writers']} writers × {found['appends_each']:,} ({backend})"
    sqlite = backend == "SQLite"
    median, p99 = found["median_ms"], found["p99_ms"]
    rows = [
        _target_row(
            f"{what}: median",
            median,
            _ms(median),
            "store_append_median_ms",
            " ms",
            applies,
            "at 100k and 1M",
        ),
        _target_row(
            f"{what}: 99th percentile (max)",
            p99,
            f"{_ms(p99)} (max {_ms(found['max_ms'])})",
            "store_append_p99_ms",
            " ms",
            applies,
            "at 100k and 1M",
        ),
        [
            "",
            f"{what}: throughput",
            f"{found['throughput']:,.0f} appends/s "
            f"({found['appends']:,} in {found['wall_s']:.1f} s)",
            "reported",
            "",
        ],
    ]
    if not sqlite:
        for row in rows[:2]:
            row[3], row[4] = "measured", ""
    if found.get("landed") != found.get("expected"):
        rows.append(
            [
                "",
                f"{what}: appends in the write history",
                f"{found.get('landed')} of {found.get('expected')}",
                "all",
                "NOT MET",
            ]
        )
    return rows


def _store_rows(r: dict[str, Any]) -> list[list[str]]:
    """The store's rows of one size (its import, summary, escalation and writers)."""
    found = r.get("store")
    if found is None:
        return []
    if "skipped" in found:
        return [["", "store", found["skipped"], "", ""]]
    big, mid = r["issues"] >= 1_000_000, r["issues"] >= 100_000
    imp = found["import"]
    if "error" in imp:
        return [["", "store: import into SQLite", _short(_error_text(imp["error"])), "", ""]]
    rows = [
        ["", "store: campaignkit.load (in the import's process)", _s(imp["load_s"]), "", ""],
        [
            "",
            "store: open SQLite, load_workspace, import_ledger",
            f"{_s(imp['import_s'])} ({_mib(imp.get('store_mib'))} file)",
            "",
            "",
        ],
        _target_row(
            "import ratio store / load",
            imp["ratio"],
            f"{imp['ratio']:.2f}",
            "store_import_ratio",
            "",
            big,
            "at 1M",
        ),
    ]
    summary = found["summary"]
    took = (
        _short(_error_text(summary["error"])) if "error" in summary else _runs(summary, "total_s")
    )
    rows.append(["", "store: full summary (open, workspace, summary)", took, "", ""])
    ratio = found.get("summary_ratio")
    pairs = " (median of pairs)" if found.get("summary_ratio_of_pairs") else ""
    rows.append(
        _target_row(
            f"time ratio store summary / DuckDB{pairs}",
            ratio,
            f"{ratio:.2f}" if ratio is not None else "n/a",
            "store_summary_ratio",
            "",
            big,
            "at 1M",
        )
    )
    peak = _number(summary, "peak_mib")
    rows.append(
        _target_row(
            "peak memory store summary",
            peak,
            _mib(peak),
            "store_summary_mib",
            " MiB",
            big,
            "at 1M",
        )
    )
    agree, differ = _figures_agree(r["pipeline"], summary)
    rows.append(
        [
            "",
            "store summary figures agree with campaignkit's",
            "yes" if agree else "NO: " + ", ".join(differ),
            "yes",
            "met" if agree else "NOT MET",
        ]
    )
    esc = found["escalate"]
    wall = _number(esc, "wall_s")
    if wall is None:
        text = _short(_error_text(esc.get("error", "n/a")))
        rows.append(["", "store: campaignkit escalate end to end", text, "", ""])
    else:
        actions, evaluated = esc.get("actions"), r["escalation"].get("actions")
        said = f"{actions:,} actions" if isinstance(actions, int) else "actions not counted"
        if actions != evaluated:
            said += f", evaluate {evaluated:,}" if isinstance(evaluated, int) else ""
        rows.append(
            _target_row(
                f"store: campaignkit escalate end to end ({said})",
                wall,
                _runs(esc, "wall_s"),
                "store_escalate_s",
                " s",
                big,
                "at 1M",
            )
        )
    rows.extend(_append_rows(found["append"], "SQLite", mid))
    rows.extend(_append_rows(found["append_pg"], "PostgreSQL", False))
    return rows


def table(results: Sequence[dict[str, Any]], imp: dict[str, Any] | None) -> str:
    """The printed table: one block of rows per size, then growth and import time."""
    rows: list[list[str]] = []
    for r in results:
        size, pipe, base, esc = r["size"], r["pipeline"], r["baseline"], r["escalation"]
        big = r["issues"] >= 1_000_000
        label = f"{size} ({r['issues']:,} issues, {r['file_mib']:,.0f} MiB)"
        ref = r.get("reference", {})
        parsed = _short(_error_text(ref["error"])) if "error" in ref else _s(ref.get("lines_s"))
        rows.append([label, "reference: orjson parses each issue line", parsed, "", ""])
        rows.append(["", "reference: fixed pure-Python loop", _s(ref.get("loop_s")), "", ""])
        rows.append(["", "load + validate", _s(pipe.get("load_s")), "", ""])
        rows.append(["", "full summary", _s(pipe.get("summary_s")), "", ""])
        rows.append(["", "load + validate + summary", _runs(pipe, "total_s"), "", ""])
        rows.append(["", "pandas baseline (same figures)", _runs(base, "total_s"), "", ""])
        rows.append(
            _ratio_row("time", pipe.get("total_s"), base.get("total_s"), big, r.get("time_ratio"))
        )
        rows.append(["", "peak memory campaignkit", _mib(pipe.get("peak_mib")), "", ""])
        rows.append(["", "peak memory pandas", _mib(base.get("peak_mib")), "", ""])
        rows.append(_ratio_row("memory", pipe.get("peak_mib"), base.get("peak_mib"), big))
        rows.append(_agree_row("pandas", pipe, base))
        duck = r.get("duckdb") or {"error": "not measured"}
        rows.append(["", "DuckDB baseline (same figures)", _runs(duck, "total_s"), "", ""])
        rows.append(["", "peak memory DuckDB", _mib(duck.get("peak_mib")), "", ""])
        rows.append(_agree_row("DuckDB", pipe, duck))
        if "version" in duck:
            threads = duck.get("threads")
            ran = f"DuckDB {duck['version']}, {threads} threads" if threads else duck["version"]
            rows.append(["", "DuckDB version (default threads)", ran, "", ""])
        if "evaluate_s" in esc:
            rows.append(
                [
                    "",
                    f"escalation evaluate ({esc['actions']:,} actions)",
                    _runs(esc, "evaluate_s"),
                    f"≤ {TARGETS['escalation_s']:.0f} s at 1M",
                    _verdict(esc["evaluate_s"], TARGETS["escalation_s"], big),
                ]
            )
            if "again_s" in esc:
                rows.append(
                    [
                        "",
                        f"escalation a week later, same ledger ({esc['again_actions']:,} actions)",
                        _s(esc["again_s"]),  # of the median first evaluation's run
                        "",
                        "",
                    ]
                )
        else:
            rows.append(
                ["", "escalation evaluate", esc.get("missing") or esc.get("error", "n/a"), "", ""]
            )
        rows.extend(_store_rows(r))
        reports = r["reports"]
        if "build_s" not in reports:
            rows.append(["", "reports", reports.get("missing") or reports.get("error"), "", ""])
            continue
        rows.append(["", "build_report", _s(reports["build_s"]), "", ""])
        for fmt, rep in reports["formats"].items():
            value = _short(_error_text(rep["error"])) if "error" in rep else _s(rep["render_s"])
            rows.append(["", f"render {fmt}", value, "", ""])
    by_size = {r["issues"]: r for r in results}
    if 100_000 in by_size and 1_000_000 in by_size:
        small = by_size[100_000]["pipeline"].get("total_s")
        large = by_size[1_000_000]["pipeline"].get("total_s")
        if isinstance(small, float) and isinstance(large, float):
            growth = large / small
            rows.append(
                [
                    "growth",
                    "1M / 100k (load + validate + summary)",
                    f"{growth:.1f}×",
                    f"≤ {TARGETS['growth']:.0f}×",
                    _verdict(growth, TARGETS["growth"], True),
                ]
            )
    if imp is not None:
        rows.append(
            [
                "import",
                "import campaignkit",
                f"{imp['import_ms']:.0f} ms",
                f"≤ {TARGETS['import_ms']:.0f} ms",
                _verdict(imp["import_ms"], TARGETS["import_ms"], True),
            ]
        )
        heavy = imp["heavy_modules"]
        rows.append(
            [
                "",
                "optional extras imported",
                ", ".join(heavy) if heavy else "none",
                "none",
                "NOT MET" if heavy else "met",
            ]
        )
    return tabulate(rows, headers=["size", "measure", "value", "target", ""], tablefmt="github")


def main(argv: list[str] | None = None) -> int:
    """Command line of the harness."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument(
        "--sizes", default="10k,100k,1m", help="comma-separated sizes (default: 10k,100k,1m)"
    )
    parser.add_argument("--smoke", action="store_true", help="one 2,000-issue ledger only")
    parser.add_argument("--data-dir", type=Path, default=DATA, help="where ledgers are generated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=ESCALATION_DATE,
        help=f"escalation date (default {ESCALATION_DATE.isoformat()})",
    )
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--no-import", action="store_true", help="skip the import-time check")
    parser.add_argument(
        "--formats", help="comma-separated report formats to render (default: every registered one)"
    )
    parser.add_argument(
        "--timeout", type=float, help="stop any one measured step after this many seconds"
    )
    parser.add_argument(
        "--against",
        metavar="REF",
        help="compare this code with the release at git REF (e.g. v0.1.0), each in its own "
        "virtual environment, through the public API only",
    )
    parser.add_argument(
        "--venv-dir",
        type=Path,
        default=DATA / "venvs",
        help="where --against keeps the virtual environments (default benchmarks/data/venvs)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the pipeline, the pandas and DuckDB baselines (taking turns) and escalation "
        "this many times and report medians (default 1)",
    )
    parser.add_argument(
        "--no-store",
        action="store_true",
        help="skip the store's steps (import into SQLite, summary, escalate, eight writers)",
    )
    parser.add_argument(
        "--appends",
        type=int,
        metavar="N",
        help="events each of the store's eight writers appends (default 200 below 100k issues, "
        "500 from 100k)",
    )
    args = parser.parse_args(argv)
    if args.appends is not None and args.appends < 1:
        print("error: --appends must be at least 1", file=sys.stderr)
        return 2
    if args.repeat < 1:
        print("error: --repeat must be at least 1", file=sys.stderr)
        return 2
    sizes = ["smoke"] if args.smoke else [s for s in args.sizes.split(",") if s.strip()]
    try:
        for size in sizes:
            parse_size(size)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    info = machine()
    print(
        f"machine: {info['cpus']} CPUs, {info['memory_gib']} GiB, Python {info['python']}, "
        f"{info['platform']}",
        flush=True,
    )
    if args.against is not None:
        return _against(args, sizes, info)
    if not _has_duckdb():
        print(f"note: no DuckDB baseline ({DUCKDB_MISSING})", file=sys.stderr, flush=True)
    if not args.no_store and not has_store():
        print(f"note: no store steps ({STORE_MISSING})", file=sys.stderr, flush=True)
    results = []
    for size in sizes:
        print(f"measuring {size} …", file=sys.stderr, flush=True)
        results.append(
            run_size(
                size,
                data_dir=args.data_dir,
                seed=args.seed,
                as_of=args.as_of,
                formats=args.formats,
                timeout=args.timeout,
                repeat=args.repeat,
                store=not args.no_store,
                appends=args.appends,
            )
        )
    imp = None if args.no_import else import_time(5 if args.smoke else 11)
    print(table(results, imp))
    if args.json is not None:
        from campaignkit.io import atomic_write

        payload = {"machine": info, "duckdb": duckdb_info(), "sizes": results, "import": imp}
        atomic_write(args.json, orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


def _against(args: argparse.Namespace, sizes: Sequence[str], info: dict[str, Any]) -> int:
    """``--against REF``: the release and this code side by side, in one table."""
    from benchmarks import against

    try:
        print(f"preparing the environment of {args.against} …", file=sys.stderr, flush=True)
        old = against.environment(args.against, args.venv_dir.resolve())
        print("preparing the environment of this code …", file=sys.stderr, flush=True)
        new = against.worktree_environment(args.venv_dir.resolve())
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"error: cannot prepare the environments: {exc}", file=sys.stderr)
        return 2
    results = []
    for size in sizes:
        print(f"measuring {size} on both sides …", file=sys.stderr, flush=True)
        path = ledger_file(size, args.data_dir, args.seed).resolve()
        found = against.compare(
            old, new, path, as_of=args.as_of, repeat=args.repeat, timeout=args.timeout
        )
        results.append((size, parse_size(size), found))
    print(against.comparison_table(results))
    if args.json is not None:
        from campaignkit.io import atomic_write

        payload = {
            "machine": info,
            "against": args.against,
            "sizes": [{"size": s, "issues": n, **r} for s, n, r in results],
        }
        atomic_write(args.json, orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
