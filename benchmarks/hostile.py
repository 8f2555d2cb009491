"""The corpus runner: ``python -m benchmarks.hostile`` times ``validate`` on hostile input.

Every file of the bad-input corpus (``tests/corpus/bad/``) and a set of large
hostile inputs made here (up to 50 MB each: NUL bytes, one enormous string,
deep nesting, a giant number, tens of thousands of duplicate keys, a hundred
thousand problems, hundreds of thousands of wrongly typed fields, deadlines of
millions of working days, megabyte keys) are
each given to ``python -m campaignkit validate`` in a fresh process. For each it
records the wall time, the process's peak resident memory (``wait4``), the exit
status, the number of ``error:`` lines and whether every line of standard error
is one ``error: …`` line with no traceback.

The promise of ``docs/reliability.md``: on any hostile input up to 50 MB,
``validate`` finishes within 5 s and 1 GiB, with one line per problem. The runner
prints a Markdown table and exits non-zero if a file breaks the promise.
``--quick`` makes the large inputs 5 MB instead of 50 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "corpus" / "bad"
MAX_SECONDS = 5.0
MAX_MIB = 1024.0
MB = 1_000_000


def _minimal() -> dict[str, Any]:
    sys.path.insert(0, str(HERE.parent))
    from tests.conftest import minimal_document

    return minimal_document()


def _doc(mutate: Callable[[dict[str, Any]], None]) -> bytes:
    doc = _minimal()
    mutate(doc)
    return json.dumps(doc, ensure_ascii=False).encode()


def _large(size: int) -> Iterator[tuple[str, Callable[[Path], None]]]:
    """Large hostile inputs of about ``size`` bytes: (name, writer of the file)."""

    def nul(path: Path) -> None:
        path.write_bytes(b"\0" * size)

    def huge_string(path: Path) -> None:
        path.write_bytes(_doc(lambda d: d["issues"][0].update(description="长" * (size // 3))))

    def deep(path: Path) -> None:
        path.write_bytes(b"[" * (size // 2) + b"]" * (size // 2))

    def giant_number(path: Path) -> None:
        text = _doc(lambda d: d["work_groups"][0].update(headcount=0)).decode()
        path.write_bytes(text.replace('"headcount": 0', '"headcount": 1' + "0" * size).encode())

    def duplicate_keys(path: Path) -> None:
        base = _doc(lambda d: None).decode()
        keys = ", ".join(f'"uscc": "{i}"' for i in range(size // 16))
        path.write_bytes(base.replace('"uscc": ', keys + ', "uscc": ', 1).encode())

    def many_problems(path: Path) -> None:
        def spoil(d: dict[str, Any]) -> None:
            template = d["issues"][2]
            count = size // 250
            d["issues"] = [
                {**template, "id": f"I{i}", "enterprise": f"E{i}", "category": "?"}
                for i in range(count)
            ]

        path.write_bytes(_doc(spoil))

    def type_errors(path: Path) -> None:
        def spoil(d: dict[str, Any]) -> None:
            template = d["issues"][2]
            d["issues"] = [
                {**template, "id": f"I{i}", "raised": 20200413, "team": 5}
                for i in range(size // 130)
            ]

        path.write_bytes(_doc(spoil))

    def long_deadlines(path: Path) -> None:
        def spoil(d: dict[str, Any]) -> None:
            issue = d["issues"][0]
            events = [
                {
                    "kind": "extended",
                    "date": "2020-04-25",
                    "deadline": {"amount": 2_000_000 + i, "unit": "working_days"},
                }
                for i in range(size // 120)
            ]
            issue["events"] = [issue["events"][0], *events, *issue["events"][1:]]

        path.write_bytes(_doc(spoil))

    def huge_keys(path: Path) -> None:
        path.write_bytes(
            _doc(lambda d: d["issues"][0].update(extra={"k" * (size // 4): 1, "\n" * 1000: 2}))
        )

    yield from (
        ("nul-bytes", nul),
        ("one-huge-string", huge_string),
        ("deep-nesting", deep),
        ("giant-number", giant_number),
        ("duplicate-keys", duplicate_keys),
        ("many-problems", many_problems),
        ("type-errors", type_errors),
        ("long-deadlines", long_deadlines),
        ("huge-keys", huge_keys),
    )


def measure(path: Path, timeout: float = 120.0) -> dict[str, Any]:
    """``campaignkit validate`` on ``path`` in a fresh process: its time, memory and output
    (a process still running after ``timeout`` seconds is killed)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "campaignkit", "validate", str(path), "--lang", "en"],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # this process's own peak memory
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
    one_line = bool(lines) and all(line.startswith("error: ") for line in lines)
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "seconds": seconds,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit": proc.returncode,
        "problems": len(lines),
        "one_line": one_line and not any("Traceback" in line for line in lines),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 MB large inputs, not 50 MB")
    parser.add_argument("--write", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    size = 5 * MB if args.quick else 50 * MB
    if args.write:  # in a process of its own (see below)
        name, path = args.write
        dict(_large(size))[name](Path(path))
        return 0
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, _ in _large(size):
            path = Path(tmp) / f"{name}.json"
            # written by another process: a process started from this one starts with this
            # one's memory counted in its peak, so this one stays small
            writer = [sys.executable, "-m", "benchmarks.hostile", "--write", name, str(path)]
            subprocess.run([*writer, *(["--quick"] if args.quick else [])], check=True)
            rows.append(measure(path))
            path.unlink()
        corpus = [measure(path) for path in sorted(CORPUS.iterdir())]
    broken = [
        r
        for r in (*rows, *corpus)
        if r["seconds"] > MAX_SECONDS
        or r["peak_mib"] > MAX_MIB
        or r["exit"] != 1
        or not r["one_line"]
    ]
    print("| input | size | time | peak memory | problems | one line each |")
    print("|---|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['file']} | {r['bytes'] / MB:.1f} MB | {r['seconds']:.2f} s | "
            f"{r['peak_mib']:.0f} MiB | {r['problems']:,} | {'yes' if r['one_line'] else 'NO'} |"
        )
    slowest = max(corpus, key=lambda r: r["seconds"])
    largest = max(corpus, key=lambda r: r["peak_mib"])
    print(
        f"| the corpus: {len(corpus)} files | ≤ {max(r['bytes'] for r in corpus) / MB:.1f} MB | "
        f"≤ {slowest['seconds']:.2f} s ({slowest['file']}) | "
        f"≤ {largest['peak_mib']:.0f} MiB | {sum(r['problems'] for r in corpus):,} | "
        f"{'yes' if all(r['one_line'] for r in corpus) else 'NO'} |"
    )
    for r in broken:
        print(f"BROKEN: {r}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
