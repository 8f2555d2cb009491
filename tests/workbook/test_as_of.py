"""A report as of an earlier day: its workbook lists what the report counts and imports back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import campaignkit as ck
from campaignkit.model.ledger import Ledger
from campaignkit.report.build import build_report, render
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.sheets import ACTIVITIES, ISSUES, OUTCOMES
from tests.workbook.books import counts

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
EARLIER = date(2020, 5, 1)
"""Before the example's report date (2020-05-12): later issues, activities and outcomes."""


@pytest.fixture(scope="module")
def huainan() -> Ledger:
    return ck.load(HUAINAN)


def _column(path: Path, sheet: str, header: str) -> list[Any]:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = ws.iter_rows(values_only=True)
    col = list(next(rows)).index(header)
    return [row[col] for row in rows if any(v is not None for v in row)]


def test_a_report_as_of_an_earlier_day_imports_back_changing_nothing(
    tmp_path: Path, huainan: Ledger
) -> None:
    report = build_report(huainan, as_of=EARLIER)
    known = report.context.ledger  # what the report counts
    assert len(known.issues) < len(huainan.issues)
    book = tmp_path / "as-of.xlsx"
    book.write_bytes(render(report, "xlsx"))
    result = import_workbook(book, huainan)
    assert result.ledger == huainan
    assert result.events_appended == 0
    assert sum(result.added.values()) == sum(result.updated.values()) == 0
    assert result.unchanged == {**counts(known), "enterprises": len(huainan.enterprises)}
    # the sheet lists exactly the issues the report counts, the activities and outcomes too
    collected = ck.compute(report.context, "issues_collected")
    listed = _column(book, ISSUES, "问题编号")
    assert len(listed) == collected.value
    assert set(listed) == set(collected.provenance)
    assert _column(book, ACTIVITIES, "活动编号") == [a.id for a in known.activities]
    assert _column(book, OUTCOMES, "成果编号") == [o.id for o in known.outcomes]


def test_a_row_showing_an_issue_as_raised_agrees_when_it_was_assigned_that_day(
    tmp_path: Path, huainan: Ledger
) -> None:
    """The issue before any event, though its first event falls on the day it was raised."""
    issue = next(
        i
        for i in huainan.issues
        if len(i.events) > 1 and i.events[0].date == i.raised and i.events[0].kind == "assigned"
    )
    book = tmp_path / "raised.xlsx"
    book.write_bytes(render(build_report(huainan), "xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb[ISSUES]
    headers = [c.value for c in ws[1]]
    ids = headers.index("问题编号") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, ids).value == issue.id)
    handling = ("交办层级", "责任单位", "办理时限", "办理结果", "满意度")
    for header in (*handling, "交办日期", "办结日期", "回访日期"):
        ws.cell(row, headers.index(header) + 1).value = None
    ws.cell(row, headers.index("办理状态") + 1).value = "已收集"
    wb.save(book)
    result = import_workbook(book, huainan)
    assert result.ledger == huainan
    assert result.events_appended == 0
    assert f"未变问题 {issue.id}（问题台账!{row}:{row}）" in result.listing()
