"""The 汇总表 sheet holds the report's figures exactly, however large."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl

from campaignkit.model.records import Outcome, OutcomeStatus
from campaignkit.report.build import build_report, render
from campaignkit.workbook.sheets import SUMMARY
from tests.workbook.books import empty_base

LARGE = Decimal("9999999999999999.999999")
"""Within the ledger's limits (10¹⁶ yuan, 6 places), beyond a spreadsheet number's 15 digits."""


def test_an_amount_a_number_cannot_hold_is_written_exactly(tmp_path: Path) -> None:
    base = empty_base()
    team = base.teams[0]
    project = Outcome(
        "O1",
        "investment_project",
        OutcomeStatus.SIGNED,
        date(2020, 4, 20),
        team=team.id,
        amount_yuan=LARGE,
    )
    ledger = base.replace(outcomes=(project,))
    path = tmp_path / "large.xlsx"
    path.write_bytes(render(build_report(ledger), "xlsx"))
    ws = openpyxl.load_workbook(path)[SUMMARY]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if any(str(v).startswith("拟投资") for v in r if v))
    col = next(i for i, v in enumerate(header) if v and str(v).startswith("拟投资"))
    (team_row,) = (r for r in rows if r[0] == team.name)
    total = rows[rows.index(header) + 1 + len(base.teams)]  # the 合计 row after the teams
    for row in (team_row, total):
        cell = row[col]
        assert isinstance(cell, str)  # digits as text: a number cell rounds
        assert Decimal(cell) == LARGE
