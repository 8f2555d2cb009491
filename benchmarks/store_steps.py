"""The store's measured steps, run by :mod:`benchmarks.worker` through the public API and CLI.

Each runs in a fresh interpreter, like every other step:

- ``store_import FILE STORE``: ``campaignkit.load(FILE)`` alone, then, in the same
  process, opening a fresh SQLite store at ``STORE`` and
  ``import_ledger(campaignkit.load_workspace(FILE), author="bench")`` (the import's
  time counts the store's opening and the workspace's load); the ratio of the two is
  the import target's. The store file is kept for the next steps.
- ``store_summary STORE``: open the store, ``store.workspace(campaign)``, then exactly
  what the ``pipeline`` step computes (:func:`benchmarks.worker.full_summary`), so
  its figures can be compared with the pipeline's and DuckDB's.
- ``store_escalate STORE AS_OF OUT``: ``campaignkit escalate sqlite:///STORE --as-of
  AS_OF`` as a subprocess, its output written to ``OUT``; the wall time end to end
  (interpreter start included) and the CLI's peak memory.
- ``store_append STORE COUNT``: :data:`WRITERS` writer processes (multiprocessing's
  ``spawn``) each append ``COUNT`` ``feedback`` events, one per
  ``Store.append_events`` call, as fast as they can, round a pool of open issues
  (:func:`pool_of`); each append's latency is kept.
- ``store_append_pg FILE COUNT``: the same on PostgreSQL, in a database created for
  the run on the server ``CAMPAIGNKIT_BENCH_POSTGRESQL`` names (the ledger imported
  into it first, timed as well), dropped afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib.util
import math
import multiprocessing
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

__all__ = [
    "AUTHOR",
    "OPEN_STATES",
    "POOL",
    "POSTGRESQL_ENV",
    "STORE_MISSING",
    "WRITERS",
    "appends_for",
    "has_store",
    "percentile",
    "pool_of",
    "remove_store",
    "store_append",
    "store_append_pg",
    "store_escalate",
    "store_import",
    "store_summary",
]

WRITERS = 8
"""Writer processes of the append steps."""

POOL = 256
"""Open issues the writers append to, taken evenly through the ledger."""

OPEN_STATES = ("assigned", "in_progress")
"""States a ``feedback`` event is allowed in and keeps."""

AUTHOR = "bench"
"""Who the store's write history names for the import."""

POSTGRESQL_ENV = "CAMPAIGNKIT_BENCH_POSTGRESQL"
"""A PostgreSQL server URL the harness may create a database on (the PostgreSQL step runs
only when it is set)."""

STORE_MISSING = "sqlalchemy missing: pip install -e '.[store]'"
"""What the store rows say when the store extra is not installed."""


def has_store() -> bool:
    """True if the store extra (sqlalchemy, alembic) is installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("sqlalchemy", "alembic"))


def appends_for(issues: int) -> int:
    """Events each writer appends by default: 200 below 100k issues, 500 from 100k."""
    return 500 if issues >= 100_000 else 200


def remove_store(path: Path) -> None:
    """Remove an SQLite store file and its write-ahead log, if any."""
    for suffix in ("", "-wal", "-shm", "-journal", "-writers"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _mib(path: Path) -> float:
    return (
        sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
        / 2**20
    )


def _children_peak_mib() -> float:
    """The largest peak resident memory of this process's waited-for children, in MiB (at
    least this process's own memory when it started them: Linux carries it over ``exec``)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def store_import(path: str, store_path: str) -> dict[str, Any]:
    """``campaignkit.load`` alone, then a fresh SQLite store and ``import_ledger`` of the
    workspace ``campaignkit.load_workspace`` reads, in this one process."""
    import campaignkit as ck

    start = time.perf_counter()
    ledger = ck.load(path)
    load_s = time.perf_counter() - start
    issues = len(ledger.issues)
    del ledger
    gc.collect()
    target = Path(store_path)
    remove_store(target)
    start = time.perf_counter()
    store = ck.open(_url(target))
    open_s = time.perf_counter() - start
    try:
        start = time.perf_counter()
        ws = ck.load_workspace(path)
        workspace_s = time.perf_counter() - start
        start = time.perf_counter()
        store.import_ledger(ws, author=AUTHOR)
        write_s = time.perf_counter() - start
    finally:
        store.close()
    import_s = open_s + workspace_s + write_s
    return {
        "load_s": load_s,
        "open_s": open_s,
        "load_workspace_s": workspace_s,
        "import_ledger_s": write_s,
        "import_s": import_s,
        "ratio": import_s / load_s,
        "issues": issues,
        "store_mib": _mib(target),
    }


def _only_campaign(store: Any) -> str:
    held: tuple[str, ...] = store.campaigns()
    if len(held) != 1:
        raise RuntimeError(f"the benchmark store should hold one campaign, not {held!r}")
    return held[0]


def store_summary(store_path: str) -> dict[str, Any]:
    """Open the store, read the campaign's workspace, and compute the pipeline's summary."""
    import campaignkit as ck
    from benchmarks.worker import full_summary

    start = time.perf_counter()
    store = ck.open(_url(store_path), create=False)
    open_s = time.perf_counter() - start
    try:
        start = time.perf_counter()
        ws = store.workspace(_only_campaign(store))
        workspace_s = time.perf_counter() - start
    finally:
        store.close()
    summary_s, figures = full_summary(ws.ledger, ws)
    return {
        "open_s": open_s,
        "workspace_s": workspace_s,
        "summary_s": summary_s,
        "total_s": open_s + workspace_s + summary_s,
        "issues": len(ws.ledger.issues),
        "figures": figures,
    }


_PROPOSED = re.compile(r"^(\d+) (?:项建议动作|proposed action\(s\))$")
"""The CLI's closing count line: ``N 项建议动作`` (``N proposed action(s)`` in English)."""


def _proposed(out: Path) -> int | None:
    """The number of actions ``campaignkit escalate`` said it proposes (None if it said
    none was to propose, or printed no count)."""
    with out.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - 4096))
        tail = fh.read().decode("utf-8", "replace").splitlines()
    for line in reversed(tail):
        found = _PROPOSED.match(line.strip())
        if found:
            return int(found.group(1))
    return None


def store_escalate(store_path: str, as_of: str, out_path: str) -> dict[str, Any]:
    """``campaignkit escalate sqlite:///STORE --as-of AS_OF > OUT``, timed end to end."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "campaignkit", "escalate", _url(store_path)]
    command += ["--as-of", as_of]
    with out.open("wb") as fh:
        start = time.perf_counter()
        proc = subprocess.run(command, stdout=fh, stderr=subprocess.PIPE, check=False)
        wall_s = time.perf_counter() - start
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"campaignkit escalate exited {proc.returncode}: {why[0]}")
    return {
        "wall_s": wall_s,
        "actions": _proposed(out),
        "output_mib": out.stat().st_size / 2**20,
        "cli_peak_mib": _children_peak_mib(),
        "command": ["campaignkit", *command[3:]],
    }


# -- eight writers ------------------------------------------------------------------------


def pool_of(ws: Any, size: int = POOL) -> tuple[list[str], dt.date]:
    """Up to ``size`` issues in :data:`OPEN_STATES`, taken evenly through the ledger, and the
    day to append on: the later of the campaign's end and its latest event or raising date
    (on or after every issue's last event)."""
    ledger = ws.ledger
    found = [
        issue.id
        for issue, shape in zip(ledger.issues, ws.shapes(), strict=True)
        if shape.state in OPEN_STATES
    ]
    if not found:
        raise RuntimeError(f"no issue is {' or '.join(OPEN_STATES)}: nothing to append to")
    step = max(1, len(found) // size)
    day: dt.date = ledger.campaign.period.end
    for issue in ledger.issues:
        last = issue.events[-1].date if issue.events else issue.raised
        if last > day:
            day = last
    return found[::step][:size], day


def percentile(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0 < q ≤ 1) of sorted values."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _writer(
    url: str,
    campaign: str,
    pool: list[str],
    proc: int,
    count: int,
    day: dt.date,
    barrier: Barrier,
    results: Queue[dict[str, Any]],
) -> None:
    """One writer: open the store, append one event untimed (its first statements are
    compiled, the rules read), wait for the others, then append ``count`` ``feedback``
    events one at a time, the ``k``-th to ``pool[(k * WRITERS + proc) % len(pool)]``, so
    at any moment the writers are on different issues; sends its latencies and when it
    started and ended (wall clock)."""
    import campaignkit as ck
    from benchmarks.worker import peak_mib

    author = f"bench-writer-{proc}"
    latencies: list[float] = []
    try:
        with ck.open(url, create=False) as store:
            event = ck.IssueEvent("feedback", day, note=f"bench p{proc} warm-up")
            start = time.perf_counter()
            store.append_events(campaign, pool[proc % len(pool)], [event], author=author)
            warmup_s = time.perf_counter() - start
            barrier.wait()
            began = time.time()
            for k in range(count):
                issue = pool[(k * WRITERS + proc) % len(pool)]
                event = ck.IssueEvent("feedback", day, note=f"bench p{proc}-{k}")
                start = time.perf_counter()
                store.append_events(campaign, issue, [event], author=author)
                latencies.append(time.perf_counter() - start)
            ended = time.time()
    except BaseException as exc:
        barrier.abort()  # the others and the harness stop waiting
        results.put({"proc": proc, "error": f"{type(exc).__name__}: {exc}"})
        raise
    results.put(
        {
            "proc": proc,
            "latencies": latencies,
            "began": began,
            "ended": ended,
            "warmup_s": warmup_s,
            "peak_mib": peak_mib(),
        }
    )


def _appended(url: str, campaign: str) -> int:
    """How many appends the campaign's write history holds."""
    import campaignkit as ck

    with ck.open(url, create=False) as store:
        return sum(1 for w in store.writes(campaign) if w.action == "append")


def _append(url: str, campaign: str, pool: list[str], day: dt.date, count: int) -> dict[str, Any]:
    """:data:`WRITERS` spawned writers appending ``count`` events each; their figures."""
    before = _appended(url, campaign)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WRITERS + 1)
    results: Queue[dict[str, Any]] = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(url, campaign, pool, p, count, day, barrier, results))
        for p in range(WRITERS)
    ]
    for p in procs:
        p.start()
    found: list[dict[str, Any]] = []
    try:
        # every writer has opened the store and appended once (or one failed: its error
        # is in the queue)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=600)
        while len(found) < len(procs) and not any("error" in r for r in found):
            found.append(results.get(timeout=3600))
    finally:
        for p in procs:
            if any("error" in r for r in found):
                p.kill()
            p.join(60)
    errors = [r["error"] for r in found if "error" in r]
    if errors:
        raise RuntimeError(f"a writer failed: {errors[0]}")
    latencies = sorted(s for r in found for s in r["latencies"])
    wall_s = max(r["ended"] for r in found) - min(r["began"] for r in found)
    landed = _appended(url, campaign) - before
    return {
        "writers": WRITERS,
        "appends_each": count,
        "appends": len(latencies),
        "pool": len(pool),
        "day": day.isoformat(),
        "median_ms": statistics.median(latencies) * 1000,
        "p90_ms": percentile(latencies, 0.90) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": latencies[-1] * 1000,
        "wall_s": wall_s,
        "throughput": len(latencies) / wall_s,
        "warmup_ms": statistics.median(r["warmup_s"] for r in found) * 1000,
        "landed": landed,
        "expected": WRITERS * (count + 1),
        "writer_peak_mib": max(r["peak_mib"] for r in found),
    }


def store_append(store_path: str, count: str | int) -> dict[str, Any]:
    """The writers on the SQLite store at ``store_path`` (its pool read from its workspace)."""
    import campaignkit as ck

    url = _url(store_path)
    with ck.open(url, create=False) as store:
        campaign = _only_campaign(store)
        ws = store.workspace(campaign)
    pool, day = pool_of(ws)
    del ws
    gc.collect()
    return {"backend": "sqlite", **_append(url, campaign, pool, day, int(count))}


def store_append_pg(path: str, count: str | int, server: str | None = None) -> dict[str, Any]:
    """The ledger at ``path`` imported into a new database on the PostgreSQL ``server``
    (:data:`POSTGRESQL_ENV` by default), then the writers on it; the database is dropped."""
    import psycopg
    import sqlalchemy as sa

    import campaignkit as ck

    server = server or os.environ.get(POSTGRESQL_ENV)
    if not server:
        raise RuntimeError(f"{POSTGRESQL_ENV} is not set")
    admin = sa.make_url(server)
    name = f"ck_bench_{uuid.uuid4().hex[:12]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    url = admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        start = time.perf_counter()
        ws = ck.load_workspace(path)
        with ck.open(url) as store:
            store.import_ledger(ws, author=AUTHOR)
            campaign = ws.ledger.campaign.id
        import_s = time.perf_counter() - start
        pool, day = pool_of(ws)
        del ws
        gc.collect()
        found = _append(url, campaign, pool, day, int(count))
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    version = None
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        version = str(row[0]) if row else None
    return {
        "backend": "postgresql",
        "server_version": version,
        "import_s": import_s,
        **found,
    }
