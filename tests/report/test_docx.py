"""The Word report, opened with python-docx: the official layout (GB/T 9704) and the 汇总表."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

import campaignkit as ck
from campaignkit.report.build import build_report, render
from campaignkit.report.docx import BODY_FONT, HEADING_FONT, TITLE_FONT
from campaignkit.stats.summary import summary_table

docx = pytest.importorskip("docx")

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def ledger() -> ck.Ledger:
    return ck.load(HUAINAN)


@pytest.fixture(scope="module")
def document(ledger: ck.Ledger) -> object:
    return docx.Document(io.BytesIO(render(build_report(ledger), "docx")))


def _mm(length: object) -> float:
    return float(length.mm)  # type: ignore[attr-defined]


def test_the_page_is_a4_with_the_official_margins(document: object) -> None:
    first, table = document.sections  # type: ignore[attr-defined]
    assert _mm(first.page_width) == pytest.approx(210, abs=0.1)
    assert _mm(first.page_height) == pytest.approx(297, abs=0.1)
    assert _mm(first.top_margin) == pytest.approx(37, abs=0.1)
    assert _mm(first.left_margin) == pytest.approx(28, abs=0.1)
    # the text block is 156 × 225 mm
    width = _mm(first.page_width) - _mm(first.left_margin) - _mm(first.right_margin)
    height = _mm(first.page_height) - _mm(first.top_margin) - _mm(first.bottom_margin)
    assert width == pytest.approx(156, abs=0.2) and height == pytest.approx(225, abs=0.2)
    # the wide 汇总表 on a landscape A4 page
    assert _mm(table.page_width) == pytest.approx(297, abs=0.1)
    assert _mm(table.page_height) == pytest.approx(210, abs=0.1)


def test_fonts_and_sizes_are_the_official_ones(document: object, ledger: ck.Ledger) -> None:
    from docx.oxml.ns import qn

    paragraphs = document.paragraphs  # type: ignore[attr-defined]
    title = paragraphs[0].runs[0]
    assert paragraphs[0].text == build_report(ledger).title
    assert (title.font.name, title.font.size.pt) == (TITLE_FONT, 22)  # 2号 小标宋
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    heading = next(p for p in paragraphs if p.text.endswith("工作概况")).runs[0]
    assert (heading.font.name, heading.font.size.pt) == (HEADING_FONT, 16)  # 3号 黑体
    body = next(p for p in paragraphs if "工作组实地走访企业" in p.text)
    assert body.text == build_report(ledger).narrative
    assert (body.runs[0].font.name, body.runs[0].font.size.pt) == (BODY_FONT, 16)  # 3号 仿宋
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT


def test_the_table_is_the_summary_table(document: object, ledger: ck.Ledger) -> None:
    (grid,) = document.tables  # type: ignore[attr-defined]
    table = summary_table(ledger)
    rows = [[cell.text for cell in row.cells] for row in grid.rows]
    assert [r[0] for r in rows[1:]] == [r.label for r in table.rows] + [table.total.label]
    column = [c.metric for c in table.columns].index("enterprises_visited") + 1
    total = rows[-1][column]
    assert total == str(ck.compute(ledger, "enterprises_visited").value)
    header = grid.rows[0]._tr.trPr
    assert header is not None and "tblHeader" in header.xml  # repeated on every page
    assert grid.rows[1].cells[1].paragraphs[0].runs[0].font.size.pt == 10.5


def test_the_same_report_is_the_same_file(ledger: ck.Ledger) -> None:
    assert render(build_report(ledger), "docx") == render(build_report(ledger), "docx")


def test_the_file_properties_are_masked_as_the_body_is() -> None:
    doc = orjson.loads(HUAINAN.read_bytes())
    doc["campaign"]["name"] = "专项行动（联系电话13912345678，邮箱 zhang.san@example.com）"
    ledger = ck.loads(orjson.dumps(doc))
    title = build_report(ledger).title
    assert "13912345678" in title

    def opened(show_personal: bool) -> object:
        data = render(build_report(ledger), "docx", show_personal=show_personal)
        return docx.Document(io.BytesIO(data))

    masked = opened(False)
    shown = masked.core_properties.title  # type: ignore[attr-defined]
    assert shown == masked.paragraphs[0].text  # type: ignore[attr-defined]
    assert "13912345678" not in shown and "zhang.san@example.com" not in shown
    assert "139****5678" in shown
    assert opened(True).core_properties.title == title  # type: ignore[attr-defined]
