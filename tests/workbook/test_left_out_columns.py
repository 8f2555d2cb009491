"""A column left out of a record sheet keeps what the ledger has for the records the rows name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import openpyxl
import pytest

import campaignkit as ck
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.model.ledger import Ledger
from campaignkit.report.build import build_report, render
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.sheets import OUTCOMES, RECORD_SHEETS, layouts
from tests.workbook.books import counts

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
LEFT_OUT = [
    (sheet, column.header)
    for sheet, layout in layouts(get_plugin_manager().campaign_type("sisong-yifu")).items()
    if sheet in RECORD_SHEETS
    for column in layout.columns
    if not column.required and column.field != "id"  # the id names the record: not left out
]
"""Every optional column of every record sheet, the ids aside."""


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    """The Huainan example, its first enterprise with a contact given an email (the example
    has none, so the 电子邮箱 column has a value to keep)."""
    huainan = ck.load(HUAINAN)
    first = next(e for e in huainan.enterprises if e.contact is not None)
    assert first.contact is not None
    contact = attrs.evolve(first.contact, email="zhang.san@example.cn")
    enterprises = tuple(
        attrs.evolve(e, contact=contact) if e.id == first.id else e for e in huainan.enterprises
    )
    return huainan.replace(enterprises=enterprises)


@pytest.fixture(scope="module")
def exported(ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report's workbook as `campaignkit report` writes it (personal data masked)."""
    path = tmp_path_factory.mktemp("left-out") / "report.xlsx"
    path.write_bytes(render(build_report(ledger), "xlsx"))
    return path


def _without(exported: Path, out: Path, sheet: str, header: str) -> Path:
    """The workbook with the column ``header`` of ``sheet`` deleted (it had a value)."""
    wb = openpyxl.load_workbook(exported)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    col = headers.index(header) + 1
    assert any(ws.cell(r, col).value not in (None, "") for r in range(2, ws.max_row + 1))
    ws.delete_cols(col)
    wb.save(out)
    return out


@pytest.mark.parametrize(("sheet", "header"), LEFT_OUT)
def test_a_left_out_column_keeps_every_record_and_figure(
    tmp_path: Path, ledger: Ledger, exported: Path, sheet: str, header: str
) -> None:
    book = _without(exported, tmp_path / "left-out.xlsx", sheet, header)
    result = import_workbook(book, ledger)
    assert result.ledger == ledger
    assert result.unchanged == counts(ledger)
    assert sum(result.updated.values()) == sum(result.added.values()) == 0
    assert result.events_appended == 0
    before = {mid: r.value for mid, r in ck.compute_all(ledger).items()}
    after = {mid: r.value for mid, r in ck.compute_all(result.ledger).items()}
    assert after == before


def test_a_left_out_column_is_empty_for_a_new_record(
    tmp_path: Path, ledger: Ledger, exported: Path
) -> None:
    book = _without(exported, tmp_path / "no-amount.xlsx", OUTCOMES, "金额（元）")
    wb = openpyxl.load_workbook(book)
    ws = wb[OUTCOMES]
    headers = [c.value for c in ws[1]]
    new: dict[str, int | str | date] = {
        "序号": ws.max_row,
        "成果类别": "银企对接融资",
        "状态": "已签约",
        "日期": date(2020, 4, 20),
    }
    row = ws.max_row + 1
    for header, value in new.items():
        ws.cell(row, headers.index(header) + 1, value)
    wb.save(book)
    result = import_workbook(book, ledger)
    (added,) = (o for o in result.ledger.outcomes if o.id not in ledger.outcome_index)
    assert added.amount_yuan is None
    assert result.ledger.outcomes[:-1] == ledger.outcomes  # the amounts kept
    assert result.unchanged["outcomes"] == len(ledger.outcomes)
    assert result.listing()[-1] == f"新增成果 {added.id}（成果!{row}:{row}）"
    assert sum(result.updated.values()) == 0
