"""The figures in docs/reliability*.md are the test suite's own."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "docs" / "reliability.md", ROOT / "docs" / "reliability.en.md"]
FAULT_FILES = [
    "tests/hooks/test_faulty_plugins.py",
    "tests/ledgerfile/test_nothing_lost.py",
    "tests/project/test_no_code_paths.py",
]


def _given_count() -> int:
    count = 0
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in node.decorator_list:
                    target = deco.func if isinstance(deco, ast.Call) else deco
                    if isinstance(target, ast.Name) and target.id == "given":
                        count += 1
    return count


def _collected(files: list[str]) -> int:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    match = re.search(r"(\d+) tests? collected", proc.stdout)
    assert match, proc.stdout
    return int(match.group(1))


@pytest.fixture(scope="module")
def actual() -> dict[str, int]:
    return {
        "corpus": len(list((ROOT / "tests" / "corpus" / "bad").iterdir())),
        "properties": _given_count(),
        "faults": _collected(FAULT_FILES),
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_figures_match_the_suite(page: Path, actual: dict[str, int]) -> None:
    text = page.read_text(encoding="utf-8")
    bold = [int(n) for n in re.findall(r"\*\*(\d+)\*\*", text)]
    assert bold == [actual["corpus"], actual["properties"], actual["faults"]], (
        f"{page.name}: update the figures to {actual}"
    )
