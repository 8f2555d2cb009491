"""Excel workbooks: the XLSX report and the empty template, written with openpyxl.

openpyxl is the optional ``excel`` extra (``pip install 'campaignkit[excel]'``)
and is imported only here, when a workbook is written. Every text cell goes
through :func:`~campaignkit.render.safety.neutralise_cell`, so no record text
becomes a formula; amounts stay exact (Decimal cells); personal data is
masked unless asked for.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from campaignkit.errors import CampaignkitError
from campaignkit.ledger import Ledger
from campaignkit.render.safety import neutralise_cell, xml_safe
from campaignkit.render.sheets import (
    ACTIVITIES,
    BREAKDOWNS,
    ENTERPRISES,
    ISSUES,
    LISTS,
    README,
    SUMMARY,
    SheetLayout,
    activity_rows,
    choice_lists,
    enterprise_rows,
    issue_rows,
    layouts,
)
from campaignkit.render.tables import (
    Redactor,
    Table,
    breakdown_tables,
    cell_kind,
    issue_figure_table,
    main_table,
    outcome_table,
    raw,
    status_table,
)
from campaignkit.render.text import long_date
from campaignkit.report import Report
from campaignkit.types import CampaignType, RenderOptions

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["render_xlsx", "require_openpyxl", "template_workbook"]

_HEADER_FILL = "DDEBF7"
_TOTAL_FILL = "F2F2F2"
_VALIDATED_ROWS = 2000

README_LINES = (
    "填表说明",
    "1. 每张记录表第一行是表头,请勿改动表头文字和表名;从第二行起每行一条记录。",
    "2. 请勿合并单元格,请勿填写公式(粘贴时选择“只粘贴数值”)。",
    "3. 日期写成 2020-04-13 或设置为日期格式;办理时限写日期或“10个工作日”。",
    "4. 问题类别、反映渠道、交办层级、办理状态、满意度请从下拉列表选择。",
    "5. 问题台账中统一社会信用代码不在企业名录中的企业,导入时自动加入企业名录。",
    "6. 导入命令:campaignkit import 本文件.xlsx --base 台账.json -o 新台账.json",
    "7. 汇总表、分类统计、选项、说明四张表导入时不读取。",
)


def require_openpyxl() -> None:
    """Raise a clear error when openpyxl (the ``excel`` extra) is missing."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise CampaignkitError(
            "Excel files need openpyxl: pip install 'campaignkit[excel]'"
        ) from None


def _text(value: str) -> str:
    """A text cell: within what XML holds, never read as a formula."""
    return neutralise_cell(xml_safe(value))


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _header(ws: Worksheet, row: int, values: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for col, text in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=_text(text))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _lists_sheet(wb: Workbook, lists: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """A hidden sheet with one column per choice list; returns list name → range formula."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(LISTS)
    ws.sheet_state = "hidden"
    refs: dict[str, str] = {}
    col = 0
    for name, values in lists.items():
        if not values:
            continue
        col += 1
        letter = get_column_letter(col)
        ws.cell(row=1, column=col, value=_text(name))
        for i, value in enumerate(values, start=2):
            ws.cell(row=i, column=col, value=_text(value))
        refs[name] = f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    return refs


def _record_sheet(
    wb: Workbook, layout: SheetLayout, rows: Iterable[Mapping[str, Any]], refs: Mapping[str, str]
) -> Worksheet:
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws: Worksheet = wb.create_sheet(layout.name)
    _header(ws, 1, layout.headers)
    for col, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = column.width
        note = "必填。" if column.required else ""
        note += column.note
        if note:
            ws.cell(row=1, column=col).comment = Comment(note, "campaignkit", width=220, height=60)
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        for col, column in enumerate(layout.columns, start=1):
            value = row.get(column.field)
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=col, value=_cell_value(value))
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    last = max(count + 1, _VALIDATED_ROWS)
    for col, column in enumerate(layout.columns, start=1):
        if column.choices and column.choices in refs:
            letter = get_column_letter(col)
            dv = DataValidation(
                type="list",
                formula1=refs[column.choices],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error="请从下拉列表中选择",
            )
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(layout.columns))}{count + 1}"
    return ws


def _table_block(ws: Worksheet, top: int, table: Table) -> int:
    """Write a titled table at row ``top``; return the next free row."""
    from openpyxl.styles import Font, PatternFill

    ws.cell(row=top, column=1, value=_text(table.title)).font = Font(bold=True, size=12)
    _header(ws, top + 1, [table.head, *(c.header(raw_units=True) for c in table.columns)])
    total_fill = PatternFill("solid", fgColor=_TOTAL_FILL)
    r = top + 2
    for row in table.rows:
        label = ws.cell(row=r, column=1, value=_text(row.label))
        cells = [label]
        for col, column in enumerate(table.columns, start=2):
            value = raw(row.values.get(column.key), cell_kind(row, column))
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, Decimal) and value != value.to_integral_value():
                cell.number_format = "0.00"
            cells.append(cell)
        if row.is_total:
            for cell in cells:
                cell.font = Font(bold=True)
                cell.fill = total_fill
        r += 1
    return r + 1


def _summary_sheet(ws: Worksheet, report: Report, table: Table, redact: Redactor) -> None:
    from openpyxl.styles import Font

    ws.title = SUMMARY
    ws.cell(row=1, column=1, value=_text(redact(report.title))).font = Font(bold=True, size=14)
    as_of = ("As of " if report.lang == "en" else "截至") + long_date(report.as_of, report.lang)
    ws.cell(row=2, column=1, value=as_of)
    _table_block(ws, 4, table)
    ws.column_dimensions["A"].width = 16
    from openpyxl.utils import get_column_letter

    for col in range(2, len(table.columns) + 2):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.freeze_panes = "B6"


def _save(wb: Workbook, stamp: date | None) -> bytes:
    if stamp is not None:
        moment = datetime(stamp.year, stamp.month, stamp.day)
        wb.properties.created = moment
        wb.properties.modified = moment
    wb.properties.creator = "campaignkit"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_xlsx(report: Report, options: RenderOptions) -> bytes:
    """The XLSX report: 汇总表, 分类统计, then 问题台账, 企业名录 and 活动记录 (importable)."""
    require_openpyxl()
    from openpyxl import Workbook

    redact = Redactor(options.show_personal)
    ctype = report.campaign_type
    ledger = report.ledger
    wb = Workbook()
    _summary_sheet(wb.active, report, main_table(report, options.by, redact), redact)  # type: ignore[arg-type]
    details: list[Table] = []
    if report.issue_figures:
        details.append(issue_figure_table(report))
    details.extend(breakdown_tables(report, redact))
    if report.statuses:
        details.append(status_table(report))
    if report.outcomes_by_kind:
        details.append(outcome_table(report))
    ws = wb.create_sheet(BREAKDOWNS)
    ws.column_dimensions["A"].width = 22
    top = 1
    for table in details:
        top = _table_block(ws, top, table)
    sheets = layouts(ctype)
    refs = _lists_sheet(wb, choice_lists(ctype, ledger))
    personal = options.show_personal
    _record_sheet(
        wb,
        sheets[ISSUES],
        issue_rows(ledger, ctype, as_of=report.as_of, show_personal=personal),
        refs,
    )
    _record_sheet(
        wb, sheets[ENTERPRISES], enterprise_rows(ledger, ctype, show_personal=personal), refs
    )
    _record_sheet(
        wb, sheets[ACTIVITIES], activity_rows(ledger, ctype, show_personal=personal), refs
    )
    wb.move_sheet(LISTS, offset=len(wb.sheetnames))
    return _save(wb, report.as_of)


def template_workbook(ctype: CampaignType, ledger: Ledger | None = None) -> bytes:
    """An empty workbook in the import layout: 问题台账, 企业名录, 活动记录 and 说明.

    With a ``ledger`` the region and team columns offer its names in drop-down lists.
    """
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = README
    for i, line in enumerate(README_LINES, start=1):
        cell = readme.cell(row=i, column=1, value=line)
        if i == 1:
            cell.font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 90
    sheets = layouts(ctype)
    refs = _lists_sheet(wb, choice_lists(ctype, ledger))
    for name in (ISSUES, ENTERPRISES, ACTIVITIES):
        _record_sheet(wb, sheets[name], (), refs)
    wb.move_sheet(README, offset=len(wb.sheetnames) - 2)
    wb.move_sheet(LISTS, offset=len(wb.sheetnames))
    wb.active = wb.sheetnames.index(ISSUES)
    return _save(wb, None)
