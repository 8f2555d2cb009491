"""The command line on a store: the same output as on the file, writes by staff, Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

import campaignkit as ck
from campaignkit.cli.app import main

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(capsys, "store", "import", sqlite_url, str(HUAINAN), "--author", "省专班")
    assert (code, err) == (0, "")
    assert out.startswith("已导入 sisong-yifu-2020-huainan-g7")
    return sqlite_url


@pytest.mark.parametrize(
    "argv",
    [
        ("summary",),
        ("summary", "--by", "team", "--format", "csv"),
        ("summary", "--as-of", "2020-04-30", "--format", "json"),
        ("overdue", "--lang", "en"),
        ("escalate",),
        ("validate",),
    ],
)
def test_commands_print_the_same_from_the_store(
    url: str, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    on_file = run(capsys, argv[0], str(HUAINAN), *argv[1:])
    on_store = run(capsys, argv[0], url, *argv[1:])
    assert on_store[0] == on_file[0] == 0
    if argv[0] == "validate":  # names what it checked
        assert on_store[1].endswith("无误（企业 366 家，活动 467 场，问题 217 个，成果 72 项）\n")
    else:
        assert on_store == on_file


@pytest.mark.parametrize("fmt", ["markdown", "html", "xlsx", "docx"])
def test_reports_from_the_store_are_byte_identical(
    url: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / f"file.{fmt}", tmp_path / f"store.{fmt}"
    assert run(capsys, "report", str(HUAINAN), "-f", fmt, "-o", str(a), "--no-charts")[0] == 0
    assert run(capsys, "report", url, "-f", fmt, "-o", str(b), "--no-charts")[0] == 0
    assert a.read_bytes() == b.read_bytes()


def test_staff_append_events_and_read_the_history(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "store", "append", url, "Q004", "resolved", "--date", "2020-05-20", "--by", "T4",
        "--author", "T4",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "已追加 resolved 2020-05-20 到 sisong-yifu-2020-huainan-g7 / Q004 (写入编号 2)\n"
    # refused by the lifecycle: one located line, nothing written
    code, out, err = run(
        capsys, "store", "append", url, "Q004", "assigned", "--date", "2020-05-21", "--author", "T4"
    )
    assert code == 1
    assert err.count("\n") == 1 and "issues[3].events[3].kind" in err
    with pytest.raises(SystemExit) as usage:  # a usage error: the date
        main(["store", "append", url, "Q004", "feedback", "--date", "20-05-21", "--author", "T4"])
    assert usage.value.code == 2
    code, out, err = run(capsys, "store", "history", url, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "at", "(UTC)", "author", "action", "record"]
    assert lines[2].split()[-2:] == ["省专班", "import"]
    assert lines[3].split()[-3:] == ["T4", "append", "issues/Q004"]
    assert lines[-1] == "derived views are current"
    exported = tmp_path / "out.json"
    assert run(capsys, "store", "export", url, "-o", str(exported))[0] == 0
    ledger = ck.load(HUAINAN)
    event = ck.IssueEvent("resolved", dt.date(2020, 5, 20), by="T4")
    assert exported.read_bytes() == ck.dumps(ledger.with_events({"Q004": [event]}))


def test_escalate_apply_on_the_store_equals_the_file_and_is_idempotent(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "ledger.json"
    copy.write_bytes(HUAINAN.read_bytes())
    assert run(capsys, "escalate", str(copy), "--apply")[0] == 0
    code, out, err = run(capsys, "escalate", url, "--apply", "--author", "督查室")
    assert (code, err) == (0, "")
    code, out, _ = run(capsys, "escalate", url, "--apply", "--author", "督查室")
    assert out.splitlines()[-1] == "没有需要提出的动作。"
    exported = tmp_path / "out.json"
    run(capsys, "store", "export", url, "-o", str(exported))
    assert exported.read_bytes() == copy.read_bytes()
    with ck.open(url) as store:
        authors = {w.author for w in store.writes(store.campaigns()[0])[1:]}
    assert authors == {"督查室"}


def test_a_store_of_several_campaigns_asks_which(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = ck.load(HUAINAN)
    other = ledger.replace(campaign=__import__("attrs").evolve(ledger.campaign, id="other"))
    with ck.open(url) as store:
        store.import_ledger(other, author="x")
    code, _, err = run(capsys, "summary", url)
    assert code == 1
    assert "--campaign" in err and "other" in err
    code, out, _ = run(capsys, "summary", url, "--campaign", "other", "--headline")
    assert code == 0 and "走访企业" in out
    code, _, err = run(capsys, "summary", url, "--campaign", "nope")
    assert code == 1 and "nope" in err


def _workbook(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "template", str(path), "--base", str(HUAINAN))[0] == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["问题台账"]
    headers = [c.value for c in ws[1]]
    row: dict[str, int | str | dt.date] = {"序号": 1, "问题类别": "用工", "问题描述": "缺焊工", "反映渠道": "走访", "反映日期": dt.date(2020, 4, 20)}  # fmt: skip
    for header, value in row.items():
        ws.cell(row=2, column=headers.index(header) + 1, value=value)
    wb.save(path)


def test_an_excel_import_writes_into_the_store_in_one_transaction(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.xlsx"
    _workbook(book, capsys)
    code, out, err = run(capsys, "import", str(book), "--base", url, "--write")
    assert code == 1 and "--author" in err
    code, out, err = run(
        capsys, "import", str(book), "--base", str(HUAINAN), "--write", "--author", "T1"
    )
    assert code == 1 and "-o" in err
    merged = tmp_path / "merged.json"
    assert run(capsys, "import", str(book), "--base", str(HUAINAN), "-o", str(merged))[0] == 0
    code, out, err = run(capsys, "import", str(book), "--base", url, "--write", "--author", "T1")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].endswith("已提交 1 次写入")
    exported = tmp_path / "out.json"
    run(capsys, "store", "export", url, "-o", str(exported))
    assert exported.read_bytes() == merged.read_bytes()
    # importing the same workbook again is refused as the file's import refuses it
    code, out, err = run(capsys, "import", str(book), "--base", url, "--write", "--author", "T1")
    assert code == 1 and "Q-0001" in err
    with ck.open(url) as store:
        assert [w.action for w in store.writes(store.campaigns()[0])] == ["import", "add"]


def test_a_template_offers_a_store_campaigns_regions_and_teams(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``template --base URL`` reads the store's campaign as ``--base LEDGER`` reads the
    file: the same workbook, byte for byte."""
    from_store, from_file = tmp_path / "store.xlsx", tmp_path / "file.xlsx"
    code, out, err = run(capsys, "template", str(from_store), "--base", url)
    assert (code, err) == (0, "") and "导入模板" in out
    assert run(capsys, "template", str(from_file), "--base", str(HUAINAN))[0] == 0

    plain = tmp_path / "plain.xlsx"
    assert run(capsys, "template", str(plain))[0] == 0

    def cells(path: Path) -> list[tuple[str, list[object]]]:
        book = openpyxl.load_workbook(path)
        return [
            (sheet.title, [c.value for row in sheet.iter_rows() for c in row])
            for sheet in book.worksheets
        ]

    assert cells(from_store) == cells(from_file)
    assert cells(from_store) != cells(plain)  # the campaign's regions and teams are offered
    code, _, err = run(capsys, "template", str(from_store), "--base", url, "--campaign", "nope")
    assert code == 1 and "nope" in err


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:s3cr3t@127.0.0.1:1/x",
        "postgresql://postgres@127.0.0.1:1/x?password=s3cr3t",
        "mysql://admin:s3cr3t@host/x",
    ],
)
def test_a_password_is_never_shown(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "summary", url, "--lang", "en")
    assert code == 1
    assert err.count("\n") == 1 and "cannot open the store" in err
    assert "s3cr3t" not in out + err


def test_a_file_that_is_not_a_store_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_db = tmp_path / "ledger.db"
    not_db.write_bytes(HUAINAN.read_bytes())
    code, _, err = run(capsys, "summary", f"sqlite:///{not_db}", "--lang", "en")
    assert code == 1
    assert err == f"error: sqlite:///{not_db}: cannot open the store: file is not a database\n"


def test_without_the_store_extra_a_store_url_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "campaignkit.store", None)  # as if not installed
    code, _, err = run(capsys, "summary", sqlite_url)
    assert code == 1
    assert err.count("\n") == 1 and "pip install 'campaignkit[store]'" in err


def test_a_refused_import_creates_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An author the write history cannot name is refused before anything is created."""
    target = tmp_path / "sub" / "dir" / "new.db"
    code, out, err = run(
        capsys, "store", "import", f"sqlite:///{target}", str(HUAINAN), "--author", " "
    )
    assert (code, out) == (1, "")
    assert err == "error: 写入者 ' ' 无法记入写入历史：是空白\n"
    assert not (tmp_path / "sub").exists()


def test_expect_is_a_count_of_events(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run(capsys, "store", "append", url, "Q004", "feedback", "--date", "2020-05-12",
            "--author", "T3", "--expect", "-1", "--lang", "en")  # fmt: skip
    assert exc.value.code == 2
    assert "argument --expect: expected a whole number of at least 0, got '-1'" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("store", "--lang", "en", "history", "URL"),
        ("store", "--lang=en", "history", "URL"),
        ("--lang", "en", "store", "history", "URL"),
        ("store", "history", "URL", "--lang", "en"),
    ],
)
def test_lang_is_taken_anywhere_on_the_line(
    url: str, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *(url if a == "URL" else a for a in argv))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "derived views are current"


def test_a_bad_value_is_located_at_its_argument(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "store", "append", url, "Q004", "return_visit", "--date", "2020-05-12",
        "--time", "24:30", "--rating", "great", "--author", "T3",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: --time: 不是有效的时刻：'24:30'（小时应在 00 到 23 之间）",
        "error: --rating: 应为 'satisfied', 'basically_satisfied', 'dissatisfied' 之一，"
        "实际是字符串 'great'",
    ]
    code, out, err = run(
        capsys, "store", "append", url, "Q004", "feedback", "--date", "2020-05-12",
        "--time", "09:60", "--author", "T3", "--lang", "en",
    )  # fmt: skip
    assert err == "error: --time: not a time of day: '09:60' (minutes run from 00 to 59)\n"
    with ck.open(url) as store:
        assert len(store.writes("sisong-yifu-2020-huainan-g7")) == 1  # the import alone


def test_a_report_is_not_written_over_the_store_it_reads(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    before = path.stat().st_size
    code, out, err = run(capsys, "report", url, "-o", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: 没有写入 {path}：这是本命令读取的台账文件（或数据库）")
    assert path.stat().st_size == before
    with ck.open(url) as store:
        assert store.campaigns()


def _spellings(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``path`` as an output may name it: absolute, relative to the working folder, and
    through ``..``."""
    monkeypatch.chdir(path.parent)
    return [str(path), path.name, f"../{path.parent.name}/{path.name}"]


@pytest.mark.parametrize("side", ["", "-wal", "-shm", "-writers", "-journal"])
def test_an_export_is_not_written_over_the_store_or_its_files(
    url: str, side: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = Path(url.removeprefix("sqlite:///"))
    before = database.read_bytes()
    target = Path(f"{database}{side}")
    existed = target.exists()
    for output in _spellings(target, monkeypatch):
        code, out, err = run(capsys, "store", "export", url, "-o", output)
        assert (code, out) == (1, "")
        assert err.count("\n") == 1
        if side:
            assert err.startswith(f"error: 没有写入 {output}：这是 {target}，本命令读取的 SQLite")
        else:
            assert err.startswith(f"error: 没有写入 {output}：这是本命令读取的台账文件（或数据库）")
    assert target.exists() == existed
    assert database.read_bytes() == before
    with ck.open(url) as store:
        assert len(store.writes(store.campaigns()[0])) == 1


def test_an_excel_import_from_a_store_is_not_written_over_it(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.xlsx"
    _workbook(book, capsys)
    database = Path(url.removeprefix("sqlite:///"))
    before = database.read_bytes()
    for target in (database, Path(f"{database}-writers")):
        for output in _spellings(target, monkeypatch):
            code, _, err = run(capsys, "import", str(book), "--base", url, "-o", output)
            assert code == 1
            assert err.count("\n") == 1 and err.startswith(f"error: 没有写入 {output}：")
    assert database.read_bytes() == before
    # a ledger file given as the base may still be written over with the merge
    copy = tmp_path / "ledger.json"
    copy.write_bytes(HUAINAN.read_bytes())
    code, _, err = run(capsys, "import", str(book), "--base", str(copy), "-o", str(copy))
    assert (code, err) == (0, "")
    assert "Q-0001" in ck.load(copy).issue_index


def test_an_append_gives_a_due_date_and_a_deadline(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for limit in (("--deadline", "10", "working_days"), ("--due", "2020-06-30")):
        code, out, err = run(
            capsys, "store", "append", url, "Q004", "extended", "--date", "2020-05-12",
            *limit, "--author", "T3",
        )  # fmt: skip
        assert (code, err) == (0, "")
        assert out.startswith("已追加 extended 2020-05-12")
    with ck.open(url) as store:
        events = store.ledger(store.campaigns()[0]).issue_index["Q004"].events[-2:]
    assert events == (
        ck.IssueEvent(
            "extended",
            dt.date(2020, 5, 12),
            deadline=ck.Deadline(10, ck.DeadlineUnit("working_days")),
        ),
        ck.IssueEvent("extended", dt.date(2020, 5, 12), due=dt.date(2020, 6, 30)),
    )
    # both at once is refused by the lifecycle's check, located in the ledger
    code, out, err = run(
        capsys, "store", "append", url, "Q004", "extended", "--date", "2020-05-13",
        "--deadline", "3", "days", "--due", "2020-06-30", "--author", "T3",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("error: sisong-yifu-2020-huainan-g7: issues[3].events[4]")
    code, out, err = run(
        capsys, "store", "append", url, "Q004", "extended", "--date", "2020-05-13",
        "--deadline", "1.5", "weeks", "--due", "2020-13-01", "--author", "T3",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert sorted(err.splitlines()) == [
        "error: --deadline: 应为 'hours', 'days', 'working_days' 之一，实际是字符串 'weeks'",
        "error: --deadline: 应为整数，实际是字符串 '1.5'",
        "error: --due: 不是日历上的日期：'2020-13-01'（没有 13 月）",
    ]
    with ck.open(url) as store:
        assert len(store.writes(store.campaigns()[0])) == 3  # the import and two appends


@pytest.mark.parametrize(
    ("given", "why"),
    [
        (
            "mysql://u@h/db",
            "数据库只能是 SQLite 或 PostgreSQL，不支持 mysql：请写 sqlite:///文件 或 "
            "postgresql://用户@主机/数据库",
        ),
        ("sqlite+nodriver:///PATH", "没有安装 sqlite 的数据库驱动 'nodriver'"),
        ("URL?mode=ro", "SQLite 数据库的地址不带查询参数（mode）：只写 sqlite:///文件"),
        (
            "URL?cache=shared&uri=true",
            "SQLite 数据库的地址不带查询参数（cache, uri）：只写 sqlite:///文件",
        ),
    ],
    ids=["other-database", "no-driver", "query", "queries"],
)
def test_a_url_no_store_opens_by_is_one_chinese_line(
    url: str,
    given: str,
    why: str,
    capsys: pytest.CaptureFixture[str],
    recwarn: pytest.WarningsRecorder,
) -> None:
    given = given.replace("URL", url).replace("PATH", url.removeprefix("sqlite:///"))
    code, out, err = run(capsys, "summary", given)
    assert (code, out) == (1, "")
    assert err == f"error: {given}：无法打开数据库：{why}\n"
    assert not [w for w in recwarn if "sqlalchemy" in type(w.message).__module__]


def test_a_url_s_scheme_is_read_in_any_case(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = run(capsys, "summary", url)
    assert expected[0] == 0
    for scheme in ("SQLITE", "SQLite"):
        assert run(capsys, "summary", scheme + url.removeprefix("sqlite")) == expected


def test_a_writer_lock_that_cannot_be_taken_is_one_chinese_line(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = Path(url.removeprefix("sqlite:///") + "-writers")
    lock.unlink(missing_ok=True)
    lock.mkdir()
    code, out, err = run(
        capsys, "store", "append", url, "Q004", "feedback", "--date", "2020-05-12", "--author", "T3"
    )
    assert (code, out) == (1, "")
    assert err == f"error: 无法取得数据库的写入锁 {lock}：这是一个文件夹；什么也没有写入\n"
    lock.rmdir()
    with ck.open(url) as store:
        assert len(store.writes(store.campaigns()[0])) == 1
