"""Text longer than an Excel cell holds (32,767 characters) is never written cut: the
XLSX report refuses the record, naming it, its column and the limit."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

import campaignkit as ck
from campaignkit.errors import LedgerError
from campaignkit.model.ledger import Ledger
from campaignkit.report.build import build_report, render
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.xlsx import MAX_CELL_TEXT
from tests.conftest import minimal_document


def _ledger(description: str, notes: str | None = None) -> Ledger:
    doc = minimal_document()
    doc["issues"][0]["description"] = description
    if notes is not None:
        doc["activities"][1]["notes"] = notes
    return ck.loads(orjson.dumps(doc))


def test_a_text_longer_than_a_cell_is_refused_not_cut() -> None:
    ledger = _ledger("长" * 40_000, notes="注" * (MAX_CELL_TEXT + 1))
    assert not ck.validate(ledger)  # the ledger holds up to 100,000 characters
    with pytest.raises(LedgerError) as exc:
        render(build_report(ledger), "xlsx", show_personal=True)
    found = exc.value.problems
    assert [p.code for p in found] == ["cell-too-long", "cell-too-long"]
    assert [p.text("zh") for p in found] == [
        "问题台账!F2: 问题 'I1' 的问题描述有 40000 个字符，超过 Excel 单元格能装下的 32767 个："
        "工作簿会把它截断，所以不导出（请缩短这段文字，或导出为其他格式）",
        "活动记录!L3: 活动 'A2' 的备注有 32768 个字符，超过 Excel 单元格能装下的 32767 个："
        "工作簿会把它截断，所以不导出（请缩短这段文字，或导出为其他格式）",
    ]
    assert (
        found[0]
        .text("en")
        .startswith("问题台账!F2: 问题描述 of issue 'I1' has 40000 characters, more than the 32767")
    )


def test_a_text_as_long_as_a_cell_holds_imports_back_unchanged(tmp_path: Path) -> None:
    ledger = _ledger("满" * MAX_CELL_TEXT)
    path = tmp_path / "r.xlsx"
    path.write_bytes(render(build_report(ledger), "xlsx", show_personal=True))
    result = import_workbook(path, ledger)
    assert result.ledger == ledger
    assert sum(result.updated.values()) == 0
