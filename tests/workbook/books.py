"""Workbooks as campaign offices fill them in: the template, rows typed in with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import orjson

import campaignkit as ck
from campaignkit.errors import LedgerError, Problem
from campaignkit.model.ledger import Ledger
from campaignkit.workbook.excel import write_template
from tests.conftest import minimal_document


def empty_base() -> Ledger:
    """The minimal ledger without enterprises, activities, issues and outcomes."""
    doc = minimal_document()
    doc["enterprises"], doc["activities"], doc["issues"], doc["outcomes"] = [], [], [], []
    return ck.loads(orjson.dumps(doc))


def fill(path: Path, sheet: str, rows: list[dict[str, Any]], *, first: int = 2) -> None:
    """Type rows (header → value) into a sheet, from row ``first`` on."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=first):
        for header, value in row.items():
            ws.cell(row=r, column=headers.index(header) + 1, value=value)
    wb.save(path)


def book(path: Path, base: Ledger, sheets: dict[str, list[dict[str, Any]]]) -> Path:
    """The template of ``base`` with rows typed into its sheets."""
    write_template(path, base=base)
    for sheet, rows in sheets.items():
        fill(path, sheet, rows)
    return path


def problems(exc: LedgerError, lang: str = "zh") -> list[str]:
    """The problems as the command line prints them (without the file name)."""
    return [p.text(lang).split(": ", 1)[1] for p in exc.problems]


def all_worded_in_both(found: tuple[Problem, ...]) -> None:
    """Every problem has a code and its own Chinese and English words."""
    for problem in found:
        assert problem.code, problem
        assert problem.text("zh") != problem.text("en"), problem


def counts(ledger: Ledger) -> dict[str, int]:
    """How many records of each section ``ledger`` holds, keyed as an import counts them
    (``ImportResult.unchanged`` of a workbook that changes nothing)."""
    return {
        "enterprises": len(ledger.enterprises),
        "activities": len(ledger.activities),
        "issues": len(ledger.issues),
        "outcomes": len(ledger.outcomes),
    }
