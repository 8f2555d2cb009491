"""A release and this code side by side: ``python -m benchmarks.run --against v0.1.0``.

Each side gets a virtual environment of its own, made with the interpreter
that runs the harness: the release from ``git archive`` of its commit, this
code from the working tree (both ``uv pip install -e``; uv is the one found
on ``PATH``, else installed into the new environment with pip). Environments
are kept under ``--venv-dir`` by commit and reused. For each size the same
ledger file is measured by :mod:`benchmarks.public_steps` (the public API
only) in a fresh interpreter of each environment, the two sides taking turns
to go first, ``--repeat`` times; the table shows each side's median and the
median of the pairs' ratios this code / release.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
from attrs import frozen
from tabulate import tabulate

__all__ = ["Side", "compare", "comparison_table", "environment", "worktree_environment"]

ROOT = Path(__file__).resolve().parent.parent
STEPS = Path(__file__).resolve().parent / "public_steps.py"


@frozen
class Side:
    """One side of the comparison: its label and the interpreter of its environment."""

    label: str
    python: Path


def _git(*args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {out.stderr.strip() or out.returncode}")
    return out.stdout.strip()


def _bin(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def _install(venv: Path, project: Path) -> Path:
    """``project`` installed (editable) into the environment ``venv``, made if missing."""
    python = _bin(venv) / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    uv = shutil.which("uv")
    if uv is None:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "uv"], check=True)
        uv = str(_bin(venv) / "uv")
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(python), "-e", str(project)],
        check=True,
        cwd=project,
    )
    return python


def environment(ref: str, base: Path) -> Side:
    """The environment of the git ``ref`` (made on first use, under ``base``)."""
    commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    place = base / f"{re.sub(r'[^A-Za-z0-9._-]', '_', ref)}-{commit[:12]}"
    ready = place / "ready"
    if not ready.exists():
        shutil.rmtree(place, ignore_errors=True)
        source = place / "src"
        source.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
            capture_output=True,
            check=True,
        )
        tar = place / "source.tar"
        tar.write_bytes(archive.stdout)
        with tarfile.open(tar) as fh:
            fh.extractall(source, filter="data")
        tar.unlink()
        _install(place / "venv", source)
        ready.write_text(commit + "\n", encoding="ascii")
    return Side(f"{ref} ({commit[:7]})", _bin(place / "venv") / "python")


def worktree_environment(base: Path) -> Side:
    """The environment of this working tree (its own, made on first use, brought up to date)."""
    described = _git("describe", "--always", "--dirty", "--tags")
    python = _install(base / "worktree", ROOT)
    return Side(f"this code ({described})", python)


def _run(side: Side, args: Sequence[str], timeout: float | None) -> dict[str, Any]:
    """One step of :mod:`benchmarks.public_steps` in a fresh interpreter of ``side``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    try:
        proc = subprocess.run(
            [str(side.python), "-I", str(STEPS), *args],
            capture_output=True,
            env=env,
            cwd=side.python.parent,  # nothing of the harness or the project on the path
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return {"error": f"exit {proc.returncode}: {tail[0]}"}
    found: dict[str, Any] = orjson.loads(proc.stdout.splitlines()[-1])
    return found


def _median(runs: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values and len(values) == len(runs) else None


def _pair_ratio(new: Sequence[dict[str, Any]], old: Sequence[dict[str, Any]], key: str) -> Any:
    """The median of new / old over the runs made one after the other (None if any failed)."""
    pairs = [(a.get(key), b.get(key)) for a, b in zip(new, old, strict=True)]
    ratios = [
        a / b for a, b in pairs if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b
    ]
    return statistics.median(ratios) if ratios and len(ratios) == len(pairs) else None


MEASURES = (
    ("pipeline", "load_s", "load (campaignkit.load reads and validates)"),
    ("pipeline", "validate_s", "validate (campaignkit.validate)"),
    ("pipeline", "summary_s", "summary (compute_all + 5 breakdowns)"),
    ("pipeline", "total_s", "load + validate + summary"),
    ("pipeline", "peak_mib", "peak memory, MiB"),
    ("escalation", "evaluate_s", "escalation evaluate"),
    ("escalation", "peak_mib", "peak memory of escalation, MiB"),
    ("helpers", "per_issue_ms", "per-issue helpers, ms per issue (first 300 issues)"),
)


def compare(
    old: Side,
    new: Side,
    path: Path,
    *,
    as_of: dt.date,
    repeat: int = 1,
    timeout: float | None = None,
) -> dict[str, Any]:
    """Every step on ``path`` ``repeat`` times on each side, taking turns to go first."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        step: {"old": [], "new": []} for step in ("pipeline", "escalation", "helpers")
    }
    for step, extra in (("pipeline", ()), ("escalation", (as_of.isoformat(),)), ("helpers", ())):
        for turn in range(max(1, repeat)):
            order = (("old", old), ("new", new)) if turn % 2 == 0 else (("new", new), ("old", old))
            for key, side in order:
                runs[step][key].append(_run(side, (step, str(path), *extra), timeout))
    return {"old": old.label, "new": new.label, "runs": runs}


def _figures_agree(runs: dict[str, list[dict[str, Any]]]) -> str:
    old = [r["figures"] for r in runs["old"] if isinstance(r.get("figures"), dict)]
    new = [r["figures"] for r in runs["new"] if isinstance(r.get("figures"), dict)]
    if not old or len(old) != len(runs["old"]) or len(new) != len(runs["new"]):
        return "n/a"
    differ = sorted(k for k in old[0] if any(f.get(k) != old[0][k] for f in new))
    return "yes" if not differ else "NO: " + ", ".join(differ)


def _cell(value: float | None, key: str, errors: Sequence[str]) -> str:
    if value is None:
        return errors[0] if errors else "n/a"
    if key == "per_issue_ms":
        return f"{value:.3f} ms"
    return f"{value:,.0f}" if key == "peak_mib" else f"{value:.2f} s"


def comparison_table(results: Sequence[tuple[str, int, dict[str, Any]]]) -> str:
    """One table: per size, each measure's median on both sides and the ratio new / old."""
    if not results:
        return ""
    first = results[0][2]
    rows: list[list[str]] = []
    for size, issues, result in results:
        label = f"{size} ({issues:,} issues)"
        for step, key, what in MEASURES:
            old, new = result["runs"][step]["old"], result["runs"][step]["new"]
            errors = [str(r["error"]) for r in (*old, *new) if "error" in r]
            if key == "evaluate_s" and new and isinstance(new[0].get("actions"), int):
                what = f"{what} ({new[0]['actions']:,} actions)"
            ratio = _pair_ratio(new, old, key)
            rows.append(
                [
                    label,
                    what,
                    _cell(_median(old, key), key, errors),
                    _cell(_median(new, key), key, errors),
                    f"{ratio:.2f}" if ratio is not None else "n/a",
                ]
            )
            label = ""
        rows.append(
            ["", "same figures on both sides", "", _figures_agree(result["runs"]["pipeline"]), ""]
        )
    runs = len(first["runs"]["pipeline"]["old"])
    headers = [
        "size",
        f"measure (median of {runs} run{'s' if runs != 1 else ''} each)",
        first["old"],
        first["new"],
        "new / old",
    ]
    return tabulate(rows, headers=headers, tablefmt="github")
