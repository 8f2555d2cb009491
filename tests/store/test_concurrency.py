"""Many writers at once: nothing lost, nothing twice; a killed writer leaves no trace.

Eight processes append 1,000 events each, round a handful of shared issues (so
writers on one issue queue behind each other, and writers on different issues
interleave); afterwards every event is found exactly once, every issue's derived
columns agree with its history, and the store exports a ledger that validates.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

import campaignkit as ck
from campaignkit.store import Store
from tests.store import workers

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
DAY = dt.date(2020, 12, 31)  # after every event of the example
WRITERS = 8
EACH = int(os.environ.get("CAMPAIGNKIT_STORE_EACH", "1000"))
"""Events each writer appends (the first Python of ``nox`` runs the full 1,000; the others
fewer, to keep CI short)."""


def _prepared(url: str) -> tuple[str, list[str], dict[str, int]]:
    ws = ck.load_workspace(HUAINAN)
    with ck.open(url) as store:
        store.import_ledger(ws, author="省专班")
    open_ids = [
        issue.id
        for issue, shape in zip(ws.ledger.issues, ws.shapes(), strict=True)
        if shape.state in ("assigned", "in_progress")
    ]
    before = {i.id: len(i.events) for i in ws.ledger.issues}
    return ws.ledger.campaign.id, open_ids[:6], before


def _consistent(store: Store, campaign: str, before: dict[str, int], notes: Counter[str]) -> None:
    """Every event once, counts and versions right, views as the histories say."""
    ledger = store.ledger(campaign)
    found = Counter(
        e.note for i in ledger.issues for e in i.events[before[i.id] :] if e.note is not None
    )
    assert found == notes
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT i.id, i.events, (SELECT count(*) FROM events e WHERE e.campaign_id ="
                " i.campaign_id AND e.issue_id = i.id) FROM issues i WHERE i.campaign_id = :c"
            ),
            {"c": campaign},
        ).all()
    assert all(kept == counted for _, kept, counted in rows)
    assert store.rederive(campaign, author="check") == 0  # the kept views were right
    assert ck.loads(store.export(campaign)) == ledger  # and the whole campaign validates


def _run(target: Callable[..., object], *args: object) -> multiprocessing.process.BaseProcess:
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    return process


@pytest.mark.slow
def test_eight_writers_lose_nothing(store_url: str, tmp_path: Path) -> None:
    url = store_url
    campaign, issues, before = _prepared(url)
    outs = [tmp_path / f"times-{p}.txt" for p in range(WRITERS)]
    started = time.perf_counter()
    procs = [
        _run(workers.append, url, campaign, issues, p, EACH, DAY, str(outs[p]))
        for p in range(WRITERS)
    ]
    for p in procs:
        p.join(600)
        assert p.exitcode == 0
    elapsed = time.perf_counter() - started
    notes = Counter(f"p{p}-{k}" for p in range(WRITERS) for k in range(EACH))
    with ck.open(url) as store:
        _consistent(store, campaign, before, notes)
        actions = Counter(w.action for w in store.writes(campaign))
        assert actions == {"import": 1, "append": WRITERS * EACH, "rederive": 1}
    times = sorted(float(x) for o in outs for x in o.read_text().split())
    assert len(times) == WRITERS * EACH
    print(
        f"{url.partition(':')[0]}: {WRITERS}x{EACH} appends in {elapsed:.1f} s, "
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"p99 {times[int(len(times) * 0.99)] * 1000:.1f} ms"
    )


@pytest.mark.slow
def test_writers_merging_the_same_new_record_keep_the_first(store_url: str, tmp_path: Path) -> None:
    """Four offices, each from the same reading, add an enterprise of one id at once: one
    adds it, the others are refused (nothing of theirs written), none corrects it over."""
    url = store_url
    campaign, _, _ = _prepared(url)
    go = tmp_path / "go"
    outs = [tmp_path / f"merge-{p}.txt" for p in range(4)]
    procs = [
        _run(workers.merge_adding, url, campaign, f"科室{p}", str(go), str(outs[p]))
        for p in range(4)
    ]
    for out, proc in zip(outs, procs, strict=True):  # all read the campaign before any merges
        _wait_for(out.with_name(out.name + ".read"), proc)
    go.write_text("go")
    for p in procs:
        p.join(300)
        assert p.exitcode == 0
    said = [o.read_text() for o in outs]
    assert said.count("ok") == 1, said
    assert all(s in ("store-taken", "store-merge-taken") for s in said if s != "ok"), said
    with ck.open(url) as store:
        winner = f"科室{said.index('ok')}"
        assert store.ledger(campaign).enterprise_index["E9999"].name == winner
        kept = [w for w in store.writes(campaign) if w.record_id == "E9999"]
        assert [(w.action, w.author) for w in kept] == [("add", winner)]


def _wait_for(path: Path, process: multiprocessing.process.BaseProcess) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert process.is_alive(), "the writer ended before it was stuck"
        assert time.monotonic() < deadline, "the writer never reached its commit"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_writer_killed_mid_transaction_leaves_the_store_consistent(
    store_url: str, tmp_path: Path
) -> None:
    url = store_url
    campaign, issues, before = _prepared(url)
    ready = tmp_path / "ready"
    victim = _run(workers.stuck, url, campaign, issues[0], DAY, str(ready))
    _wait_for(ready, victim)  # its event rows are written, its transaction open
    outs = [tmp_path / f"times-{p}.txt" for p in range(3)]
    others = [
        _run(workers.append, url, campaign, issues, p, 100, DAY, str(outs[p])) for p in range(3)
    ]
    time.sleep(1.0)
    assert victim.pid is not None
    os.kill(victim.pid, signal.SIGKILL)
    victim.join(30)
    # and one more, killed at whatever moment it is at
    busy = _run(workers.append, url, campaign, issues, 7, 10_000, DAY, str(tmp_path / "busy"))
    time.sleep(3.0)
    assert busy.pid is not None
    os.kill(busy.pid, signal.SIGKILL)
    busy.join(30)
    for p in others:
        p.join(600)
        assert p.exitcode == 0  # the others were not disturbed
    with ck.open(url) as store:
        ledger = store.ledger(campaign)
        landed = Counter(
            e.note
            for i in ledger.issues
            for e in i.events[before[i.id] :]
            if e.note is not None and e.note.startswith("p7-")
        )
        notes = Counter(f"p{p}-{k}" for p in range(3) for k in range(100)) + landed
        assert "lost" not in {e.note for i in ledger.issues for e in i.events}
        assert all(n == 1 for n in landed.values())
        _consistent(store, campaign, before, notes)


def _hold_queue(lock_file: str, hold: float, started: object) -> None:
    """A writer that holds the store's writer queue for ``hold`` seconds (a stopped one)."""
    import fcntl

    with open(lock_file, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        started.set()  # type: ignore[attr-defined]
        time.sleep(hold)


def test_a_writer_gives_up_on_a_queue_held_too_long(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the SQLite store's writer queue and does not let go: a
    writer waits its limit, then is refused with one clear error and writes nothing; once
    the queue is free, writing goes on (the writer that gave up left nothing locked)."""
    pytest.importorskip("fcntl")
    from campaignkit.store import engine

    campaign, open_ids, before = _prepared(sqlite_url)
    database = sa.make_url(sqlite_url).database
    assert database is not None
    started = multiprocessing.get_context("spawn").Event()
    holder = _run(_hold_queue, f"{database}-writers", 4.0, started)
    try:
        assert started.wait(30)
        monkeypatch.setattr(engine, "BUSY_TIMEOUT_S", 0.5)
        event = ck.IssueEvent("feedback", DAY, note="waited")
        with ck.open(sqlite_url) as store:
            begun = time.monotonic()
            with pytest.raises(ck.CampaignkitError) as info:
                store.append_events(campaign, open_ids[0], [event], author="T1")
            waited = time.monotonic() - begun
            assert 0.5 <= waited < 3.5
            assert "writer queue" in str(info.value) and "nothing was written" in str(info.value)
            assert "写入队列" in info.value.phrase.text("zh")
            assert (
                len(store.ledger(campaign).issue_index[open_ids[0]].events) == before[open_ids[0]]
            )
            holder.join(30)
            assert holder.exitcode == 0
            monkeypatch.setattr(engine, "BUSY_TIMEOUT_S", 5.0)
            store.append_events(campaign, open_ids[0], [event], author="T1")
            found = store.ledger(campaign).issue_index[open_ids[0]].events
            assert len(found) == before[open_ids[0]] + 1 and found[-1].note == "waited"
    finally:
        holder.join(30)
        if holder.is_alive():  # pragma: no cover - a stuck holder
            holder.kill()
