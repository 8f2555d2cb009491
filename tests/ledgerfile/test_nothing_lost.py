"""Nothing lost: a writer killed mid-save leaves the old file intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

import campaignkit as ck

WRITER = """
import sys, time
from campaignkit.io import atomic_write

def slow(fh):
    fh.write(b'{"format": "campaignkit-ledger", "version": 1, "campaign": ')
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)

atomic_write(sys.argv[1], slow)
"""


def test_killed_writer_leaves_old_file_intact(tmp_path: Path, document: dict[str, Any]) -> None:
    target = tmp_path / "ledger.json"
    ledger = ck.loads(orjson.dumps(document))
    ck.dump(ledger, target)
    before = target.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"  # mid-save now
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:  # pragma: no cover - only if the kill failed
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    assert ck.load(target) == ledger
    # the killed writer's temporary file is a separate, hidden file
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "ledger.json"]
    assert all(name.startswith(".ledger.json.") and name.endswith(".tmp") for name in leftovers)


def test_saving_twice_is_identical(tmp_path: Path, document: dict[str, Any]) -> None:
    ledger = ck.loads(orjson.dumps(document))
    first = ck.dump(ledger, tmp_path / "a.json").read_bytes()
    again = ck.dump(ck.load(tmp_path / "a.json"), tmp_path / "b.json").read_bytes()
    assert first == again


def test_a_file_named_as_long_as_file_systems_allow_is_written(tmp_path: Path) -> None:
    """The temporary file beside it repeats as much of its name as fits: a name of 253 or
    255 bytes (Chinese characters of three bytes each too) is written, not refused as
    too long, and nothing is left beside it."""
    from campaignkit.io import atomic_write

    names = ["a" * 249 + ".csv", "报" * 83 + ".csv", "a" * 251 + ".csv"]
    for name in names:
        assert len(os.fsencode(name)) in (253, 255)
        atomic_write(tmp_path / name, name.encode())
        assert (tmp_path / name).read_bytes() == name.encode()
    assert sorted(os.listdir(tmp_path)) == sorted(names)
    ck.dump(
        ck.load(Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"),
        tmp_path / names[2],
    )
    assert ck.load(tmp_path / names[2]).campaign.id
