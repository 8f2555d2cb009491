"""``campaignkit report -o FILE``: a format and an extension that do not go together are
warned about; ``.htm`` is html's own extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaignkit.cli.app import main

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _warnings(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    capsys.readouterr()
    assert main(["report", str(HUAINAN), *args]) == 0
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]


def test_html_named_to_an_htm_file_is_no_mismatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "r.htm"
    assert _warnings(capsys, "-f", "html", "-o", str(page), "--no-charts") == []
    assert page.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert _warnings(capsys, "-f", "html", "-o", str(tmp_path / "r.HTM"), "--no-charts") == []


@pytest.mark.parametrize(
    ("lang", "warning"),
    [
        ("zh", "warning: 没有哪种格式写 .pdf 文件：写成 text 格式（可用 --format 指明格式）"),
        (
            "en",
            "warning: no format writes .pdf files: writing the text format (name one with --format)",
        ),
    ],
)
def test_an_extension_no_format_writes_falls_back_to_text_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, warning: str
) -> None:
    out = tmp_path / "x.pdf"
    assert _warnings(capsys, "-o", str(out), "--lang", lang) == [warning]
    assert not out.read_bytes().startswith(b"%PDF")


def test_a_matching_or_missing_extension_is_not_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _warnings(capsys, "-o", str(tmp_path / "r.txt")) == []
    assert _warnings(capsys, "-o", str(tmp_path / "r")) == []
    assert _warnings(capsys, "-o", str(tmp_path / "r.md")) == []
