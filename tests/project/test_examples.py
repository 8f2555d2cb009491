"""Every example runs: each script under examples/ and each notebook, so none can rot.

Scripts are discovered (every ``*.py`` with an ``if __name__ == "__main__":``
guard), not listed, so a new example is covered the day it lands. Each runs
in a subprocess on a copy of its example folder, from an empty temporary
working directory, so whatever it writes lands in temporary space; a file the
example ships and the run rewrites must come out byte for byte the same
(committed outputs are never stale).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import nbformat
import pytest
from nbclient import NotebookClient

import campaignkit as ck

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SKIP_PARTS = {"build", "__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
MAIN_GUARD = re.compile(r"""^if __name__ == ["']__main__["']:""", re.MULTILINE)
TIMEOUT = 600


def _included(path: Path) -> bool:
    return not SKIP_PARTS.intersection(path.relative_to(EXAMPLES).parts)


def discover_scripts() -> list[Path]:
    """Every runnable example script: a ``*.py`` under examples/ with a main guard."""
    return [
        path
        for path in sorted(EXAMPLES.rglob("*.py"))
        if _included(path) and MAIN_GUARD.search(path.read_text(encoding="utf-8"))
    ]


def discover_notebooks() -> list[Path]:
    """Every notebook under examples/."""
    return [path for path in sorted(EXAMPLES.rglob("*.ipynb")) if _included(path)]


# nbformat.read is not annotated
read_notebook = cast(Callable[..., Any], nbformat.read)

SCRIPTS = discover_scripts()
NOTEBOOKS = discover_notebooks()


def _ignore(_: str, names: list[str]) -> set[str]:
    return {name for name in names if name in SKIP_PARTS}


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _copy_examples(tmp_path: Path) -> Path:
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy, ignore=_ignore)
    return copy


def _assert_shipped_files_unchanged(copy: Path, before: dict[str, str]) -> None:
    after = _digests(copy)
    stale = sorted(rel for rel, digest in before.items() if after.get(rel, digest) != digest)
    assert not stale, (
        "running the example rewrote shipped files with different content "
        f"(regenerate and commit them): {', '.join('examples/' + s for s in stale)}"
    )


def test_discovery_finds_the_examples() -> None:
    # the discovery itself: scripts with a main guard and the notebook tutorial are found
    names = {p.relative_to(EXAMPLES).as_posix() for p in SCRIPTS}
    assert "huainan-2020/generate.py" in names
    assert all(MAIN_GUARD.search(p.read_text(encoding="utf-8")) for p in SCRIPTS)
    assert EXAMPLES / "notebook" / "huainan-analysis.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_example_script_runs(script: Path, tmp_path: Path) -> None:
    copy = _copy_examples(tmp_path)
    target = copy / script.relative_to(EXAMPLES)
    before = _digests(copy)
    workdir = tmp_path / "out"
    workdir.mkdir()
    # an example with a src/ layout (a plugin package) is importable as if installed
    top = copy / script.relative_to(EXAMPLES).parts[0]
    paths = [str(top / "src")] if (top / "src").is_dir() else []
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run(
        [sys.executable, str(target)],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"{script.relative_to(ROOT)} exited with {result.returncode}\n"
        f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-5000:]}"
    )
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr[-5000:]
    _assert_shipped_files_unchanged(copy, before)


def _outputs(nb: Any) -> list[Any]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_notebook_is_stored_without_outputs(notebook: Path) -> None:
    nb = read_notebook(notebook, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{notebook.name}: store it without outputs (they are made by running it)"
            )


EXTRAS = {"ck.open(": "store", "import pandas": "pandas", "matplotlib": "charts"}
"""What a notebook's code uses, and the extra that installs it."""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_notebook_names_every_extra_it_needs(notebook: Path) -> None:
    nb = read_notebook(notebook, as_version=4)
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    told = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    installs = re.findall(r"pip install -e \"\.\[([a-z,]+)\]\"", told)
    assert installs, f"{notebook.name}: say what to install"
    for extras in installs:
        for used, extra in EXTRAS.items():
            if used in code:
                assert extra in extras.split(","), f"{notebook.name} uses {used}: install [{extra}]"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_notebook_counts_states_as_the_metrics_do(notebook: Path) -> None:
    nb = read_notebook(notebook, as_version=4)
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    # replay_all replays whole histories, past the report date the figures stop at
    assert "replay_all" not in code, f"{notebook.name}: count states with ck.issue_table"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_notebook_runs(notebook: Path, tmp_path: Path) -> None:
    copy = _copy_examples(tmp_path)
    before = _digests(copy)
    target = copy / notebook.relative_to(EXAMPLES)
    nb = read_notebook(target, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=TIMEOUT,
        resources={"metadata": {"path": str(target.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, when a cell fails
    assert not [out for out in _outputs(nb) if out.output_type == "error"]
    _assert_shipped_files_unchanged(copy, before)


def test_huainan_notebook_shows_figures_from_the_ledger(tmp_path: Path) -> None:
    copy = _copy_examples(tmp_path)
    target = copy / "notebook" / "huainan-analysis.ipynb"
    nb = read_notebook(target, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=TIMEOUT,
        resources={"metadata": {"path": str(target.parent)}},
    )
    client.execute()
    outputs = _outputs(nb)
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    data = [out["data"] for out in outputs if "data" in out]
    ledger = ck.load(EXAMPLES / "huainan-2020" / "ledger.json")
    issues = ck.compute(ledger, "issues_collected").value
    by_category = ck.breakdown(ledger, "issues_collected", "category").rows
    largest = max(by_category, key=lambda row: row.result.value or 0)
    # the figures it prints are the ones campaignkit computes from the same records
    assert f"{len(ledger.issues)} issues, {len(ledger.outcomes)} outcomes" in text
    assert f"{issues} issues; the largest category is" in text
    line = next(x for x in text.splitlines() if "the largest category is" in x)
    assert largest.label in line or largest.result.label in line or largest.key in line
    # DataFrames (HTML tables) and matplotlib figures (PNG images) were shown
    assert sum("text/html" in d for d in data) >= 5
    assert sum("image/png" in d for d in data) >= 3
