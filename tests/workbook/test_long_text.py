"""Text longer than an Excel cell holds (32,767 characters; a ledger allows 100,000): the
XLSX report writes it cut, with a mark saying so, and an import of the cut cell keeps
the ledger's whole text; a cut cell edited in the workbook is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

import campaignkit as ck
from campaignkit.errors import LedgerError
from campaignkit.model.ledger import Ledger
from campaignkit.report.build import build_report, render
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.sheets import ACTIVITIES, ISSUES, MAX_CELL_TEXT, looks_cut
from tests.conftest import minimal_document

LONG = "长" * 40_000
MARK = "…〔截断：全文 40000 字，超出 Excel 单元格上限 32767 字；导入时保留台账中的全文〕"


def _ledger(description: str = LONG) -> Ledger:
    doc = minimal_document()
    doc["issues"][0]["description"] = description
    doc["activities"][1]["notes"] = "请回电13912345678。" + "注" * 35_000
    doc["activities"][4]["extra"]["outlet"] = "报" * 50_000
    return ck.loads(orjson.dumps(doc))


def _export(ledger: Ledger, path: Path, *, show_personal: bool = False) -> Path:
    path.write_bytes(render(build_report(ledger), "xlsx", show_personal=show_personal))
    return path


def _cell(path: Path, sheet: str, header: str, row: int) -> Any:
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    return ws.cell(row=row, column=headers.index(header) + 1).value


@pytest.mark.parametrize("show_personal", [False, True])
def test_a_text_longer_than_a_cell_is_cut_with_a_mark_and_imports_back_whole(
    tmp_path: Path, show_personal: bool
) -> None:
    ledger = _ledger()
    assert not ck.validate(ledger)
    path = _export(ledger, tmp_path / "r.xlsx", show_personal=show_personal)
    cell = _cell(path, ISSUES, "问题描述", 2)
    assert (
        len(cell) <= MAX_CELL_TEXT and cell.endswith(MARK) and LONG.startswith(cell[: -len(MARK)])
    )
    notes = _cell(path, ACTIVITIES, "备注", 3)
    assert len(notes) <= MAX_CELL_TEXT and looks_cut(notes)
    assert ("139****5678" in notes) is not show_personal
    assert looks_cut(_cell(path, ACTIVITIES, "媒体", 6))  # an extra attribute's text
    result = import_workbook(path, ledger)
    assert result.ledger == ledger
    assert sum(result.updated.values()) == 0 and result.events_appended == 0


def test_a_text_as_long_as_a_cell_holds_is_written_whole(tmp_path: Path) -> None:
    whole = "满" * MAX_CELL_TEXT
    ledger = _ledger(whole)
    path = _export(ledger, tmp_path / "r.xlsx", show_personal=True)
    assert _cell(path, ISSUES, "问题描述", 2) == whole
    assert import_workbook(path, ledger).ledger == ledger


def test_a_cut_cell_edited_in_the_workbook_is_refused(tmp_path: Path) -> None:
    ledger = _ledger()
    path = _export(ledger, tmp_path / "r.xlsx", show_personal=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[ISSUES]
    col = [c.value for c in ws[1]].index("问题描述") + 1
    ws.cell(row=2, column=col).value = "改" + str(ws.cell(row=2, column=col).value)[1:]
    wb.save(path)
    with pytest.raises(LedgerError) as exc:
        import_workbook(path, ledger)
    assert [p.text("zh").split(": ", 1)[1] for p in exc.value.problems] == [
        "问题台账!F2: 问题描述: 是为装进单元格而截断的文字（以〔截断：…〕结尾），与台账里的不同："
        "这么长的文字请在台账里修改，不要在工作簿里改"
    ]
