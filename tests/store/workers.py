"""Writer processes for the concurrency tests (run in their own interpreters)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import sqlalchemy as sa

import campaignkit as ck
from campaignkit.store import ConflictError


def append(
    url: str, campaign: str, issues: list[str], proc: int, count: int, day: dt.date, out: str
) -> None:
    """Append ``count`` feedback events, noted ``p{proc}-{k}``, round the ``issues``; write
    each append's seconds to ``out`` (one per line) when done."""
    seconds: list[float] = []
    with ck.open(url) as store:
        for k in range(count):
            issue = issues[(proc + k) % len(issues)]
            event = ck.IssueEvent("feedback", day, note=f"p{proc}-{k}")
            start = time.perf_counter()
            while True:
                try:
                    store.append_events(campaign, issue, [event], author=f"writer-{proc}")
                    break
                except ConflictError:  # pragma: no cover - without expect, writers serialise
                    continue
            seconds.append(time.perf_counter() - start)
    Path(out).write_text("\n".join(f"{s:.6f}" for s in seconds))


def stuck(url: str, campaign: str, issue: str, day: dt.date, ready: str) -> None:
    """Append one event, and stop for good just before its transaction commits (its rows
    written, its locks held) after saying so in the file ``ready``."""
    with ck.open(url) as store:

        def hang(conn: object) -> None:
            Path(ready).write_text("ready")
            time.sleep(3600)

        sa.event.listen(store.engine, "commit", hang)
        store.append_events(
            campaign, issue, [ck.IssueEvent("feedback", day, note="lost")], author="stuck"
        )


def merge_adding(url: str, campaign: str, name: str, go: str, out: str) -> None:
    """Read the campaign, say so (the file ``out`` + ``.read``), wait for the file ``go``,
    then merge it with one enterprise added (id ``E9999``, named ``name``); write ``ok``
    or the refusal's code to ``out``."""
    import attrs

    from campaignkit.errors import LedgerError
    from campaignkit.store import StoreError

    with ck.open(url) as store:
        base = store.ledger(campaign)
        first = base.enterprises[0]
        added = attrs.evolve(first, id="E9999", name=name, uscc="91340400MA0099999Y")
        mine = base.replace(enterprises=(*base.enterprises, added))
        Path(out + ".read").write_text("read")
        while not Path(go).exists():
            time.sleep(0.01)
        try:
            store.merge(mine, author=name, base=base)
            said = "ok"
        except LedgerError as exc:
            said = ",".join(p.code for p in exc.problems)
        except StoreError as exc:
            said = exc.phrase.code
    Path(out).write_text(said)
