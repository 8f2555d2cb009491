"""The corpus of bad inputs: every file is refused with clear, located errors.

Each file under ``tests/corpus/bad/`` must make the API raise one
``LedgerError`` carrying every expected problem, and make ``campaignkit
validate`` exit non-zero with one ``error:`` line per problem and no traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from tests.corpus import make_corpus

CORPUS = Path(__file__).parents[1] / "corpus"
EXPECTED: dict[str, list[str]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(EXPECTED)


def test_corpus_is_large_and_current() -> None:
    assert len(FILES) >= 60
    on_disk = sorted(p.name for p in (CORPUS / "bad").iterdir())
    assert on_disk == FILES
    for name, (data, fragments) in make_corpus.CASES.items():
        assert (CORPUS / "bad" / name).read_bytes() == data, f"{name} is stale: run make_corpus"
        assert EXPECTED[name] == fragments


@pytest.mark.parametrize("name", FILES)
def test_api_raises_one_error_with_every_problem(name: str) -> None:
    path = CORPUS / "bad" / name
    with pytest.raises(ck.LedgerError) as info:
        ck.load(path)
    error = info.value
    assert error.problems, "a LedgerError always carries its problems"
    lines = [str(p) for p in error.problems]
    for line in lines:
        assert line.startswith(f"{path}: "), line  # the file is named
    text = "\n".join(lines)
    for fragment in EXPECTED[name]:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


@pytest.mark.parametrize("name", FILES)
def test_cli_reports_one_line_per_problem(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "bad" / name
    status = main(["validate", str(path), "--lang", "en"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), err
    assert "Traceback" not in err
    for fragment in EXPECTED[name]:
        assert fragment in err


@pytest.mark.parametrize(
    "name", ["json-truncated.json", "encoding-gbk.json", "many-problems.json", "deep-nesting.json"]
)
def test_real_process_prints_no_traceback(name: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "campaignkit", "validate", str(CORPUS / "bad" / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ")


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ck.LedgerError):
        main(["--debug", "validate", str(CORPUS / "bad" / "many-problems.json")])


_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", FILES)
def test_cli_words_every_problem_in_chinese_by_default(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each line names the same file and path as in English; only the message is worded
    again, and every message campaignkit writes has its Chinese wording."""
    path = CORPUS / "bad" / name
    problems = _problems(path)
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == len(problems)
    for line, problem in zip(lines, problems, strict=True):
        assert line == f"error: {problem.text('zh')}"
        assert problem.code, f"no code for: {problem.message}"
        assert _CJK.search(problem.phrase.text("zh")), problem.message
        where = f"{path}: {problem.path}: " if problem.path else f"{path}: "
        assert line.startswith(f"error: {where}")


def _problems(path: Path) -> tuple[ck.Problem, ...]:
    with pytest.raises(ck.LedgerError) as info:
        ck.load(path)
    return info.value.problems
