"""``campaignkit report``, ``import`` and ``template``: happy paths and failures."""

from __future__ import annotations

import fcntl
import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

import campaignkit as ck
from campaignkit import hookimpl
from campaignkit.cli.app import Progress, main
from campaignkit.report.build import Report
from campaignkit.rules.records import Label, RenderOptions, ReportFormatter

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


# A report format a province adds: this module is loaded with ``--plugin tests.cli.test_cli``.
def _render_tally(report: Report, options: RenderOptions) -> bytes:
    total = report.table.total.values
    return f"issues={total['issues_collected']} visited={total['enterprises_visited']}\n".encode()


def _render_on_fire(report: Report, options: RenderOptions) -> bytes:
    raise RuntimeError("printer on fire")


def _render_text_not_bytes(report: Report, options: RenderOptions) -> bytes:
    return "tally as str"  # type: ignore[return-value]  # the mistake under test


@hookimpl
def campaignkit_report_formatters() -> Iterator[ReportFormatter]:
    yield ReportFormatter("tally", Label("计数", "tally"), "txt", "text/plain", _render_tally)
    yield ReportFormatter("on-fire", Label("坏", "broken"), "log", "text/plain", _render_on_fire)
    yield ReportFormatter(
        "str", Label("字符串", "str"), "log", "text/plain", _render_text_not_bytes
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ledger_file(document: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    return path


# -- report ----------------------------------------------------------------------------


def test_report_prints_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "report", str(HUAINAN))
    assert (code, err) == (0, "")
    assert out.startswith("推进“十四五”开好局起好步“四送一服”专项行动工作情况汇总\n")
    visited = next(line for line in out.splitlines() if line.startswith("走访企业（家）"))
    assert visited.split()[-1] == "215"


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("markdown", lambda b: b.startswith(b"# ")),
        ("csv", lambda b: b.startswith(b"\xef\xbb\xbf")),
        ("json", lambda b: orjson.loads(b)["summary"]["issues_collected"] == 217),
        ("html", lambda b: b.startswith(b"<!DOCTYPE html>")),
        ("xlsx", lambda b: b.startswith(b"PK")),
    ],
)
def test_report_writes_every_format_to_a_file(
    fmt: str, check: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / f"report.{fmt}"
    code, out, err = run(capsys, "report", str(HUAINAN), "--format", fmt, "-o", str(out_file))
    assert (code, err) == (0, "")
    data = out_file.read_bytes()
    assert check(data)
    assert out.startswith(f"{out_file}: ") and f"{len(data):,} 字节" in out
    assert [p.name for p in tmp_path.iterdir()] == [out_file.name]  # no temporary file left


def test_report_by_category_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", str(HUAINAN), "--by", "category", "--lang", "en")
    assert code == 0
    block = out.split("\n\n")[2]
    assert block.startswith("Issues by category\n")
    assert (
        next(line for line in block.splitlines() if line.startswith("labour")).split()[1] == "123"
    )


def test_report_as_of_an_earlier_date(
    ledger_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", str(ledger_file), "--as-of", "2020-04-14", "-f", "json")
    assert code == 0
    doc = orjson.loads(out)
    assert doc["as_of"] == "2020-04-14"
    # I1 was assigned on 14 April and resolved on 24 April: not yet resolved then
    assert doc["figures"]["issues_resolved"]["value"] == 0


def test_report_with_a_plugin_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--plugin", "tests.cli.test_cli", "report", str(HUAINAN), "-f", "tally"
    )
    assert (code, err) == (0, "")
    assert out == "issues=217 visited=215\n"


def test_the_output_extension_picks_a_built_in_format_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the plugin's tally format also writes .txt: report.txt is still the built-in text report
    target = tmp_path / "report.txt"
    code, out, err = run(
        capsys, "--plugin", "tests.cli.test_cli", "report", str(HUAINAN), "-o", str(target)
    )
    assert (code, err) == (0, "")
    assert out == f"{target}: 终端文本，{target.stat().st_size:,} 字节\n"
    assert target.read_bytes() == run_bytes(capsys, "report", str(HUAINAN))
    # two plugin formats write .log and no built-in one does: name one
    code, out, err = run(
        capsys,
        "--plugin",
        "tests.cli.test_cli",
        "report",
        str(HUAINAN),
        "-o",
        str(tmp_path / "r.log"),
    )
    assert (code, out) == (1, "")
    assert err == "error: 有几种格式都写 .log 文件（on-fire, str）：请用 --format 指定一种\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def run_bytes(
    capsys: pytest.CaptureFixture[bytes] | pytest.CaptureFixture[str], *argv: str
) -> bytes:
    assert main(list(argv)) == 0
    out = capsys.readouterr().out
    return out.encode() if isinstance(out, str) else out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-f", "on-fire", "--lang", "en"], "error: report formatter 'on-fire' of plugin 'tests.cli.test_cli' failed: RuntimeError: printer on fire"),
        (["-f", "on-fire"], "error: 插件 'tests.cli.test_cli' 的报告格式 'on-fire' 出错：RuntimeError: printer on fire"),
        (["-f", "str", "--lang", "en"], "error: report formatter 'str' of plugin 'tests.cli.test_cli' returned str, expected bytes"),
        (["-f", "str"], "error: 插件 'tests.cli.test_cli' 的报告格式 'str' 返回了 str，应为 bytes"),
    ],
)  # fmt: skip
def test_a_faulty_plugin_format_is_one_line_naming_it(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--plugin", "tests.cli.test_cli", "report", str(HUAINAN), *argv)
    assert (code, out, err) == (1, "", message + "\n")
    # with --output, nothing is written either
    target = tmp_path / "r.log"
    code, out, err = run(
        capsys, "--plugin", "tests.cli.test_cli", "report", str(HUAINAN), *argv, "-o", str(target)
    )
    assert (code, out, err) == (1, "", message + "\n")
    assert not target.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-f", "xlsx", "--lang", "en"], "error: the xlsx format is binary: give --output FILE.xlsx"),
        (["-f", "html", "-o", "/nonexistent-folder/r.html", "--lang", "en"], "error: cannot write /nonexistent-folder/r.html: folder '/nonexistent-folder' does not exist"),
        (["-f", "xlsx"], "error: xlsx 格式是二进制的，请用 --output 文件名.xlsx 写入文件"),
        (["-f", "html", "-o", "/nonexistent-folder/r.html"], "error: 无法写入 /nonexistent-folder/r.html：文件夹 '/nonexistent-folder' 不存在"),
    ],
)  # fmt: skip
def test_report_failures_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "report", str(HUAINAN), *argv)
    assert (code, out, err) == (1, "", message + "\n")


def test_an_output_path_that_cannot_be_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path ending in a slash names a folder (none is there: no file of that name is
    written); a path under a file says that file is no folder."""
    folder = f"{tmp_path / 'newdir'}/"
    code, out, err = run(capsys, "report", str(HUAINAN), "-o", folder, "--lang", "en")
    assert (code, out) == (1, "")
    assert err == f"error: cannot write {folder}: folder {folder!r} does not exist\n"
    assert not list(tmp_path.iterdir())
    (tmp_path / "f").write_text("keep", "utf-8")
    under = str(tmp_path / "f" / "x.html")
    code, out, err = run(capsys, "report", str(HUAINAN), "-o", under)
    assert (code, out) == (1, "")
    assert err == f"error: 无法写入 {under}：{str(tmp_path / 'f')!r} 是文件，不是文件夹\n"
    assert (tmp_path / "f").read_text("utf-8") == "keep"


def test_output_through_a_link_keeps_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", "utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    code, _, _ = run(capsys, "report", str(HUAINAN), "-o", str(link))
    assert code == 0
    assert link.is_symlink() and real.read_text("utf-8").startswith("推进")


def test_an_unknown_format_lists_the_available_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "report", str(HUAINAN), "-f", "pdf", "--lang", "en")
    assert (code, out) == (1, "")
    assert err.startswith("error: unknown report format 'pdf' (available: csv, ")
    assert err.count("\n") == 1 and "xlsx" in err
    code, out, err = run(capsys, "report", str(HUAINAN), "-f", "pdf")
    assert (code, out) == (1, "")
    assert err.startswith("error: 未知的报告格式 'pdf'（可用：csv, ")


def test_report_of_a_missing_or_bad_ledger(
    tmp_path: Path, document: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "report", str(tmp_path / "missing.json"))
    assert code == 1
    assert err == f"error: {tmp_path / 'missing.json'}: 无法读取：没有这个文件或文件夹\n"
    _, _, err = run(capsys, "report", str(tmp_path / "missing.json"), "--lang", "en")
    assert err == f"error: {tmp_path / 'missing.json'}: cannot read: No such file or directory\n"
    document["issues"][0]["category"] = "吃饭"
    document["activities"][3]["team"] = "T9"
    bad = tmp_path / "bad.json"
    bad.write_bytes(orjson.dumps(document))
    code, _, err = run(capsys, "report", str(bad), "--lang", "en")
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2 and all(line.startswith("error: ") for line in lines)
    assert "issues[0].category: unknown issue category '吃饭'" in err
    assert "activities[3].team: unknown team 'T9'" in err
    code, _, err = run(capsys, "report", str(bad))
    assert code == 1 and "activities[3].team: 未知的小组 'T9'" in err
    assert "issues[0].category: 活动类型 'sisong-yifu' 没有问题类别 '吃饭'" in err


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", str(HUAINAN), "--as-of", "12/05/2020", "--lang", "en"])
    assert exc.value.code == 2
    assert "expected a date as YYYY-MM-DD, got '12/05/2020'" in capsys.readouterr().err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0].startswith("usage: campaignkit")
    return lines[-1]


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (["report"], "campaignkit report: error: 缺少必需的参数：ledger", "campaignkit report: error: the following arguments are required: ledger"),
        (["report", "x", "--as-of", "12/05/2020"], "campaignkit report: error: 参数 --as-of：应为 YYYY-MM-DD 格式的日期，实际是 '12/05/2020'", "campaignkit report: error: argument --as-of: expected a date as YYYY-MM-DD, got '12/05/2020'"),
        (["report", "x", "--by", "county"], "campaignkit report: error: 参数 --by：无效的选项 'county'（可选：", "campaignkit report: error: argument --by: invalid choice: 'county' (choose from "),
        (["report", "x", "--colour"], "campaignkit: error: 不认识的参数：--colour", "campaignkit: error: unrecognized arguments: --colour"),
        (["reprot", "x"], "campaignkit: error: 参数 COMMAND：无效的选项 'reprot'（可选：", "campaignkit: error: argument COMMAND: invalid choice: 'reprot' (choose from "),
        (["report", "x", "-f"], "campaignkit report: error: 参数 --format/-f：后面要跟一个值", "campaignkit report: error: argument --format/-f: expected one argument"),
    ],
)  # fmt: skip
def test_usage_errors_are_worded_in_the_asked_language(
    argv: list[str], zh: str, en: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert usage_error(capsys, *argv).startswith(zh)
    assert usage_error(capsys, *argv, "--lang", "en").startswith(en)
    assert usage_error(capsys, *argv, "--lang=en").startswith(en)


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    with pytest.raises(ck.LedgerError):
        main(["--debug", "report", str(tmp_path / "missing.json")])


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "campaignkit", "report", str(HUAINAN), "-f", "xlsx"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr == "error: xlsx 格式是二进制的，请用 --output 文件名.xlsx 写入文件\n"


# -- template and import ---------------------------------------------------------------


def _fill_issues(book: Path, rows: list[dict[str, Any]]) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["问题台账"]
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=r, column=headers.index(header) + 1, value=value)
    wb.save(book)


def test_template_then_import(
    ledger_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.xlsx"
    code, out, err = run(capsys, "template", str(book), "--base", str(ledger_file))
    assert (code, err) == (0, "")
    assert out == f"{book}: 导入模板（“四送一服”专项行动）\n"
    _fill_issues(
        book,
        [
            {"序号": 1, "问题类别": "用工", "问题描述": "缺焊工", "反映渠道": "走访", "反映日期": date(2020, 4, 20), "交办层级": "县区", "责任单位": "区人社局", "办理状态": "已交办"},
            {"序号": 2, "问题类别": "融资", "问题描述": "贷款", "反映渠道": "电话", "反映日期": date(2020, 4, 21)},
        ],
    )  # fmt: skip
    merged = tmp_path / "merged.json"
    code, out, err = run(capsys, "import", str(book), "--base", str(ledger_file), "-o", str(merged))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "新增问题 Q-0001（问题台账!2:2）",
        "新增问题 Q-0002（问题台账!3:3）",
        f"{merged}: 企业 新增 0、更新 0、未变 0；活动 新增 0、更新 0、未变 0；问题 新增 2、更新 0、未变 0；成果 新增 0、更新 0、未变 0；追加办理记录 1 条",
    ]
    ledger = ck.load(merged)
    assert [i.id for i in ledger.issues][-2:] == ["Q-0001", "Q-0002"]
    assert ledger.issues[:3] == ck.load(ledger_file).issues


def test_import_dry_run_writes_nothing(
    ledger_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.xlsx"
    main(["template", str(book)])
    _fill_issues(
        book,
        [
            {
                "序号": 1,
                "问题类别": "用工",
                "问题描述": "x",
                "反映渠道": "走访",
                "反映日期": date(2020, 4, 20),
            }
        ],
    )
    capsys.readouterr()
    code, out, _ = run(
        capsys, "import", str(book), "--base", str(ledger_file), "--dry-run", "--lang", "en"
    )
    assert code == 0
    listing, summary = out.splitlines()
    assert listing == "added issue Q-0001 (问题台账!2:2)"
    assert summary.startswith(f"{book}: enterprises: 0 added") and summary.endswith("(not written)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "ledger.json"]
    code, out, _ = run(capsys, "import", str(book), "--base", str(ledger_file), "--dry-run")
    assert out.splitlines()[0] == "新增问题 Q-0001（问题台账!2:2）"
    assert out.endswith("追加办理记录 0 条（未写入）\n")


def test_import_problems_are_one_line_each_and_nothing_is_written(
    ledger_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.xlsx"
    main(["template", str(book)])
    _fill_issues(
        book,
        [
            {"序号": 1, "问题类别": "吃饭", "问题描述": "x", "反映渠道": "走访", "反映日期": date(2020, 4, 20)},
            {"序号": 2, "问题类别": "用工", "反映渠道": "走访", "反映日期": "明天"},
        ],
    )  # fmt: skip
    capsys.readouterr()
    merged = tmp_path / "merged.json"
    code, out, err = run(capsys, "import", str(book), "--base", str(ledger_file), "-o", str(merged))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {book}: 问题台账!E2: 问题类别: 未知的问题类别 '吃饭'（可选：用工、融资、用地、政策落实、审批服务、基础设施、水电气、市场开拓、科技创新、税费、环保、其他）",
        f"error: {book}: 问题台账!F3: 问题描述: 必填",
        f"error: {book}: 问题台账!O3: 反映日期: 应为日期，如 2020-04-13，实际是 '明天'",
    ]  # fmt: skip
    args = ("import", str(book), "--base", str(ledger_file), "-o", str(merged), "--lang", "en")
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {book}: 问题台账!E2: 问题类别: unknown issue category '吃饭' (choose from: 用工、融资、用地、政策落实、审批服务、基础设施、水电气、市场开拓、科技创新、税费、环保、其他)",
        f"error: {book}: 问题台账!F3: 问题描述: required",
        f"error: {book}: 问题台账!O3: 反映日期: expected a date such as 2020-04-13, got '明天'",
    ]  # fmt: skip
    assert "Traceback" not in err
    assert not merged.exists()


def test_import_needs_a_base_and_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import", "book.xlsx"])
    assert exc.value.code == 2
    assert "--base" in capsys.readouterr().err


# -- progress --------------------------------------------------------------------------


def test_progress_bar_draws_on_a_terminal_only() -> None:
    terminal = io.StringIO()
    with Progress("读取", stream=terminal, enabled=True) as bar:
        bar.update(50, 100)
        bar.update(100, 100)
    drawn = terminal.getvalue()
    assert "读取 [" + "#" * 28 + "] 100%" in drawn
    assert drawn.endswith("\r\033[K")  # the line is cleared at the end
    pipe = io.StringIO()
    with Progress("读取", stream=pipe) as bar:  # StringIO is not a terminal
        bar.update(1, 2)
    assert pipe.getvalue() == ""


def test_a_reader_that_stops_early_ends_the_report_quietly() -> None:
    """``campaignkit report … -f html | head``: no error line, the shell's SIGPIPE status.

    The pipe is made as small as Linux allows, so the report cannot fit in it
    whatever its size: the writer is still writing when the reader stops.
    """
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    with open(read_end, "rb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "campaignkit", "report", str(HUAINAN), "-f", "html"],
            stdout=write_end,
            stderr=subprocess.PIPE,
        )
        os.close(write_end)
        assert proc.stderr is not None
        assert out.read(15) == b"<!DOCTYPE html>"
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert err == b""


# -- the documentation shows real output -----------------------------------------------

ROOT = Path(__file__).parents[2]


def _report_blocks(text: str) -> list[tuple[list[str], list[str]]]:
    """(argv, output lines) of each ``$ campaignkit report …`` that prints to stdout."""
    found = []
    for block in re.findall(r"```(?:console|text)\n(.*?)```", text, re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            if lines[i].startswith("$ campaignkit report ") and " -o " not in lines[i]:
                argv = shlex.split(lines[i][2:])[1:]
                out = []
                i += 1
                while i < len(lines) and not lines[i].startswith("$ "):
                    out.append(lines[i])
                    i += 1
                found.append((argv, out))
            else:
                i += 1
    return found


@pytest.mark.parametrize("page", ["docs/cli.md", "docs/reports.md"])
def test_report_output_in_the_docs_is_real(
    page: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    blocks = _report_blocks((ROOT / page).read_text("utf-8"))
    assert blocks
    for argv, shown in blocks:
        _, out, err = run(capsys, *argv)
        real = (out + err).splitlines()
        position = 0
        for line in shown:
            if line.strip() in ("…", "") or "…" in line:
                continue
            assert line in real[position:], f"{page}: {' '.join(argv)}: {line!r} is not printed"
            position = real.index(line, position) + 1


def test_the_readme_excerpt_is_real(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text("utf-8")
    excerpt = re.search(r"```text\n(.*?)```", readme, re.S)
    assert excerpt is not None
    code, out, _ = run(capsys, "report", "examples/huainan-2020/ledger.json")
    assert code == 0
    assert out.startswith(excerpt.group(1))


def test_report_format_follows_the_output_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from campaignkit.cli.app import main as run

    book = tmp_path / "report.xlsx"
    assert run(["report", str(HUAINAN), "-o", str(book)]) == 0
    assert book.read_bytes()[:2] == b"PK"  # a zip container: a real workbook
    page = tmp_path / "report.htm"
    assert run(["report", str(HUAINAN), "-o", str(page), "--no-charts"]) == 0
    assert page.read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    capsys.readouterr()
    odd = tmp_path / "report.csv"
    assert run(["report", str(HUAINAN), "-f", "json", "-o", str(odd)]) == 0
    assert "warning: 把 json 格式的报告写进 .csv 文件" in capsys.readouterr().err


def test_blocking_an_unknown_plugin_name_warns(capsys: pytest.CaptureFixture[str]) -> None:
    from campaignkit.cli.app import main as run

    assert run(["--block", "sisong_yifu", "validate", str(HUAINAN), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "warning: --block sisong_yifu: no plugin of that name was found" in err
    assert run(["--block", "sisong_yifu", "validate", str(HUAINAN)]) == 0
    assert "warning: --block sisong_yifu：没有找到这个名字的插件" in capsys.readouterr().err
    assert run(["--block", "campaignkit.plugins.formatters", "validate", str(HUAINAN)]) == 0
    assert "no plugin of that name" not in capsys.readouterr().err


def test_the_readme_gives_two_set_up_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```console\n(.*?)\n```", quick_start, re.S)
    assert len(commands) == 2, commands
    report, tests = commands
    assert report.startswith("python3 -m venv .venv && ") and "campaignkit report" in report
    assert tests.startswith("python3 -m venv .venv && ") and tests.endswith("nox")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert tests in ci.splitlines()  # the same command, as written


def test_a_report_is_not_written_over_the_ledger_it_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not by its own name, nor through a link to it: the ledger stays as it was."""
    ledger = tmp_path / "ledger.json"
    ledger.write_bytes(HUAINAN.read_bytes())
    link = tmp_path / "latest.json"
    link.symlink_to(ledger)
    for output in (ledger, link):
        code, out, err = run(capsys, "report", str(ledger), "-o", str(output), "--lang", "en")
        assert (code, out) == (1, "")
        assert err == (
            f"error: not writing {output}: it is the ledger file (or store) this command "
            "reads, and what it writes is no ledger; give another output file\n"
        )
        code, _, err = run(capsys, "template", "--base", str(ledger), str(output))
        assert code == 1 and err.startswith(f"error: 没有写入 {output}：这是本命令读取的台账文件")
    assert ledger.read_bytes() == HUAINAN.read_bytes()
    # the ledger a folder holds, read through the folder
    code, _, err = run(capsys, "report", str(tmp_path), "-o", str(ledger))
    assert code == 1 and "这是本命令读取的台账文件" in err
    assert ledger.read_bytes() == HUAINAN.read_bytes()
    # another file of the same content is no such file
    copy = tmp_path / "copy.json"
    copy.write_bytes(HUAINAN.read_bytes())
    code, _, _ = run(capsys, "report", str(ledger), "-o", str(copy))
    assert code == 0 and copy.read_bytes() != HUAINAN.read_bytes()


def test_output_to_a_descriptor_writes_into_it(tmp_path: Path) -> None:
    """``-o /dev/stdout``: into a pipe it reaches the reader; appended to a file (``>>``)
    the file keeps what it held before."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "campaignkit", "report", str(HUAINAN), "-f", "csv"]
    piped = subprocess.run([*command, "-o", "/dev/stdout"], capture_output=True, check=True)
    assert piped.stdout.startswith("\ufeff小组,".encode())
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", "utf-8")
    with open(log, "ab") as appended:
        subprocess.run([*command, "-o", "/dev/stdout"], stdout=appended, check=True)
    text = log.read_text("utf-8")
    assert text.startswith("earlier line\n\ufeff小组,")
    assert not log.is_symlink()


@pytest.mark.parametrize("command", ["summary", "report", "validate", "overdue"])
def test_campaign_option_naming_another_campaign_than_the_file_holds_is_an_error(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ledger file holds one campaign: ``--campaign`` naming another is a mistake said in
    one line (it was silently ignored), and naming the one it holds reads it."""
    path = str(Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json")
    held = ck.load(path).campaign.id
    assert main([command, path, "--campaign", "sisong-yifu-2021-other"]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"error: {path} 中的活动是 {held!r}，不是 --campaign 指定的 'sisong-yifu-2021-other'："
        "台账文件只有一期活动；请换成 'sisong-yifu-2021-other' 的文件，或去掉 --campaign\n"
    )
    assert main([command, path, "--campaign", held]) == 0
    capsys.readouterr()
