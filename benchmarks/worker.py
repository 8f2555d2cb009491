"""One measured step in a fresh interpreter: ``python -m benchmarks.worker STEP FILE``.

Prints one JSON object: the step's timings in seconds, the process's peak
resident memory in MiB, and for ``pipeline``, ``baseline`` and ``duckdb`` the
headline figures so the harness can check every side counted the same.

Steps:

- ``load``: ``campaignkit.load`` (read, parse, structure, validate).
- ``pipeline``: load, then the full summary: every metric, the summary table
  by team and by region, and issues broken down by category, channel and
  level.
- ``escalation``: load, then ``campaignkit.escalation.engine.evaluate`` as of a date, then
  again a week later on the same ledger (which keeps the walks of the first).
- ``reports``: load, ``build_report`` once, then ``render`` in every registered format
  (building is the expensive part and the same for every format).
- ``baseline``: the pandas notebook equivalent of ``pipeline``.
- ``duckdb``: the same figures by DuckDB SQL over the file (:mod:`benchmarks.duckdb_baseline`),
  with DuckDB's default threads; records DuckDB's version and thread count.
- ``store_import``, ``store_summary``, ``store_escalate``, ``store_append`` and
  ``store_append_pg``: the store's steps (:mod:`benchmarks.store_steps`), the
  arguments after ``FILE`` as that module says.
- ``reference``: how fast this machine is right now, for comparing runs made on
  different days or machines: ``orjson.loads`` of each issue as one line of
  its own (the lines made beforehand; the performance issue's reference is
  about 1.2 s for a million on a 2-core machine) and a fixed pure-Python loop
  of dictionary lookups and additions.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from decimal import Decimal
from typing import Any

import orjson

from benchmarks.public_steps import peak_mib

__all__ = ["LOOP_STEPS", "campaignkit_figures", "full_summary", "main", "peak_mib"]


def _rows(bd: Any) -> dict[str, int]:
    return {
        row.key: int(row.result.value)
        for row in bd.rows
        if row.key != "_unassigned" and row.result.value
    }


def campaignkit_figures(
    ctx: Any, values: dict[str, Any], breakdowns: dict[str, Any]
) -> dict[str, Any]:
    """The figures :func:`benchmarks.baseline.baseline_figures` computes, from campaignkit."""
    land = values.get("land_mu")
    return {
        "issues_collected": int(values["issues_collected"]),
        "by_category": dict(sorted(_rows(breakdowns["category"]).items())),
        "by_channel": dict(sorted(_rows(breakdowns["channel"]).items())),
        "by_team": dict(sorted(_rows(breakdowns["team"]).items())),
        "by_region": dict(sorted(_rows(breakdowns["region"]).items())),
        "by_level": dict(sorted(_rows(breakdowns["level"]).items())),
        "issues_resolved": int(values["issues_resolved"]),
        "enterprises_visited": int(values["enterprises_visited"]),
        "symposiums": int(values["symposiums"]),
        "symposium_enterprises": int(values["symposium_enterprises"]),
        "materials_distributed": int(values["materials_distributed"]),
        "land_mu": round(float(land), 1) if isinstance(land, (int, Decimal)) else None,
    }


def _load(path: str) -> tuple[Any, float]:
    import campaignkit

    start = time.perf_counter()
    ledger = campaignkit.load(path)
    return ledger, time.perf_counter() - start


def full_summary(ledger: Any, workspace: Any = None) -> tuple[float, dict[str, Any]]:
    """The full summary of ``ledger`` (read from ``workspace`` when given): every metric,
    the summary table by team and by region, and issues broken down by category, channel,
    level, team and region. Returns its seconds and its figures (:func:`campaignkit_figures`);
    the ``pipeline`` step and the store's summary both run this."""
    from campaignkit.stats.metrics import breakdown, make_context
    from campaignkit.stats.summary import summary, summary_table

    start = time.perf_counter()
    ctx = make_context(ledger, workspace=workspace)
    values = summary(ctx)
    summary_table(ctx, by="team")
    summary_table(ctx, by="region")
    breakdowns = {
        by: breakdown(ctx, "issues_collected", by)
        for by in ("category", "channel", "level", "team", "region")
    }
    summary_s = time.perf_counter() - start
    return summary_s, campaignkit_figures(ctx, values, breakdowns)


def _pipeline(path: str) -> dict[str, Any]:
    ledger, load_s = _load(path)
    summary_s, figures = full_summary(ledger)
    return {
        "load_s": load_s,
        "summary_s": summary_s,
        "total_s": load_s + summary_s,
        "issues": len(ledger.issues),
        "figures": figures,
    }


def _escalation(path: str, as_of: dt.date) -> dict[str, Any]:
    from campaignkit import escalation

    evaluate = getattr(escalation, "evaluate", None)
    if evaluate is None:
        return {"missing": "campaignkit.escalation.engine.evaluate does not exist yet"}
    ledger, load_s = _load(path)
    start = time.perf_counter()
    actions = evaluate(ledger, as_of)
    evaluate_s = time.perf_counter() - start
    # a week later, as a platform evaluating every week would: the same ledger in memory
    start = time.perf_counter()
    later = evaluate(ledger, as_of + dt.timedelta(days=7))
    return {
        "load_s": load_s,
        "evaluate_s": evaluate_s,
        "actions": len(actions),
        "again_s": time.perf_counter() - start,
        "again_actions": len(later),
    }


def _reports(path: str, only: str | None = None) -> dict[str, Any]:
    from campaignkit.hooks.manager import get_plugin_manager
    from campaignkit.report.build import build_report, render

    formats = sorted(get_plugin_manager().report_formatters())
    if only is not None:
        formats = [f for f in only.split(",") if f]
    if not formats:
        return {"missing": "no report formatter registered"}
    ledger, load_s = _load(path)
    start = time.perf_counter()
    report = build_report(ledger)
    build_s = time.perf_counter() - start
    renders: dict[str, Any] = {}
    for fmt in formats:
        start = time.perf_counter()
        try:
            out = render(report, fmt)
        except Exception as exc:  # noqa: BLE001 - one broken format does not stop the others
            renders[fmt] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        renders[fmt] = {"render_s": time.perf_counter() - start, "bytes": len(out)}
    return {"load_s": load_s, "build_s": build_s, "formats": renders}


LOOP_STEPS = 3_000_000
"""Steps of the fixed pure-Python loop of the ``reference`` step."""


def _reference(path: str) -> dict[str, Any]:
    import gc

    import msgspec

    gc.disable()  # what is timed is parsing, not the collector going over the parsed objects
    with open(path, "rb") as fh:
        data = fh.read()
    # each issue's own text, cut out of the file without parsing the document into objects
    raw = msgspec.json.decode(data, type=dict[str, msgspec.Raw])["issues"]
    lines = list(map(bytes, msgspec.json.decode(raw, type=list[msgspec.Raw])))
    del data, raw
    loads = orjson.loads
    start = time.perf_counter()
    for line in lines:
        loads(line)
    lines_s = time.perf_counter() - start
    del lines
    gc.enable()
    table = {i: i for i in range(1000)}
    total = 0
    start = time.perf_counter()
    for i in range(LOOP_STEPS):
        total += table[i % 1000]
    loop_s = time.perf_counter() - start
    return {"lines_s": lines_s, "loop_s": loop_s, "loop_steps": LOOP_STEPS, "check": total}


def _baseline(path: str) -> dict[str, Any]:
    from benchmarks.baseline import baseline_figures

    start = time.perf_counter()
    figures = baseline_figures(path)
    return {"total_s": time.perf_counter() - start, "figures": figures}


def _duckdb(path: str) -> dict[str, Any]:
    from benchmarks.duckdb_baseline import duckdb_figures

    start = time.perf_counter()
    import duckdb  # timed, as the pandas baseline's import of pandas is

    con = duckdb.connect()  # in memory, DuckDB's defaults (threads: one per core)
    try:
        figures = duckdb_figures(path, con)
        total_s = time.perf_counter() - start
        threads = con.execute("SELECT current_setting('threads')").fetchone()
    finally:
        con.close()
    return {
        "total_s": total_s,
        "figures": figures,
        "version": duckdb.__version__,
        "threads": int(threads[0]) if threads else None,
    }


def _store(step: str, path: str, extra: list[str]) -> dict[str, Any]:
    """A step of the store (:mod:`benchmarks.store_steps`)."""
    from benchmarks import store_steps

    if step == "store_import":
        return store_steps.store_import(path, extra[0])
    if step == "store_summary":
        return store_steps.store_summary(path)
    if step == "store_escalate":
        return store_steps.store_escalate(path, extra[0], extra[1])
    if step == "store_append":
        return store_steps.store_append(path, extra[0])
    if step == "store_append_pg":
        return store_steps.store_append_pg(path, extra[0])
    raise ValueError(f"unknown step {step!r}")


def main(argv: list[str] | None = None) -> int:
    """Run one step and print its measurements as JSON on stdout."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print(
            "usage: python -m benchmarks.worker STEP FILE [AS_OF | FORMATS | STORE …]",
            file=sys.stderr,
        )
        return 2
    step, path = args[0], args[1]
    if step == "load":
        result: dict[str, Any] = {"load_s": _load(path)[1]}
    elif step == "pipeline":
        result = _pipeline(path)
    elif step == "escalation":
        as_of = dt.date.fromisoformat(args[2]) if len(args) > 2 else dt.date.today()
        result = _escalation(path, as_of)
    elif step == "reports":
        result = _reports(path, args[2] if len(args) > 2 else None)
    elif step == "baseline":
        result = _baseline(path)
    elif step == "duckdb":
        result = _duckdb(path)
    elif step == "reference":
        result = _reference(path)
    elif step.startswith("store_"):
        result = _store(step, path, args[2:])
    else:
        print(f"unknown step {step!r}", file=sys.stderr)
        return 2
    result["peak_mib"] = peak_mib()
    sys.stdout.buffer.write(orjson.dumps(result) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
