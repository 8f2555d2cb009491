"""Excel workbooks: the XLSX report and the empty template, written with openpyxl.

openpyxl is the optional ``excel`` extra (``pip install 'campaignkit[excel]'``)
and is imported only here, when a workbook is written. Every text cell goes
through :func:`~campaignkit.report.safety.neutralise_cell`, so no record text
becomes a formula; amounts stay exact (Decimal cells, or their digits as text
where a spreadsheet's number cannot hold them); personal data is masked unless
asked for.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from campaignkit.errors import CampaignkitError
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.ledger import Ledger
from campaignkit.report.build import Report
from campaignkit.report.safety import neutralise_cell, xml_safe
from campaignkit.report.tables import (
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
from campaignkit.report.text import long_date
from campaignkit.report.zipped import repeatable
from campaignkit.rules.records import CampaignType, RenderOptions
from campaignkit.workbook.sheets import (
    ACTIVITIES,
    BREAKDOWNS,
    ENTERPRISES,
    ISSUES,
    LISTS,
    OUTCOMES,
    README,
    SUMMARY,
    SheetLayout,
    choice_lists,
    each_activity_row,
    each_enterprise_row,
    each_issue_row,
    each_outcome_row,
    fit_cell,
    layouts,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["render_xlsx", "require_openpyxl", "template_workbook"]

_HEADER_FILL = "DDEBF7"
_TOTAL_FILL = "F2F2F2"
_VALIDATED_ROWS = 2000

README_LINES = (
    "填表说明",
    "1. 每张记录表第一行是表头，请勿改动表头文字和表名；从第二行起每行一条记录。",
    "2. 请勿合并单元格，请勿填写公式（粘贴时选择“只粘贴数值”）。",
    "3. 日期写成 2020-04-13 或设置为日期格式；办理时限写日期或“10个工作日”。",
    "4. 问题类别、反映渠道、交办层级、办理状态、满意度、成果类别、媒体级别等请从下拉列表选择。",
    "5. 问题台账中统一社会信用代码不在企业名录中的企业，导入时自动加入企业名录。",
    "6. 统一社会信用代码一列是文本格式；粘贴时请“只粘贴数值”，不要把代码变成数字。",
    "7. 编号（问题编号、活动编号、成果编号）填台账里已有的编号，就是修改那条记录；"
    "空白就是新记录，导入时接在台账已有编号之后编号，不会覆盖以前导入的记录。",
    "8. 金额以元计，也可写“3000万元”“1.5亿”；土地以亩计；数量可带单位（“300份”“12家”）。",
    "9. 先用 --dry-run 看导入会新增、更新哪些记录："
    "campaignkit import 本文件.xlsx --base 台账.json --dry-run",
    "10. 导入命令：campaignkit import 本文件.xlsx --base 台账.json -o 新台账.json",
    "11. 汇总表、分类统计、选项、说明四张表导入时不读取。",
)
_TEXT_FORMAT = "@"
"""Excel's text number format: what is typed stays as typed (a code keeps its digits)."""


def require_openpyxl() -> None:
    """Raise a clear error when openpyxl (the ``excel`` extra) is missing."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise CampaignkitError(Phrase("excel-needs-openpyxl")) from None


def _text(value: str) -> str:
    """A text cell: within what XML holds, never read as a formula."""
    return neutralise_cell(xml_safe(value))


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _exact(value: Decimal) -> Decimal | str:
    """A Decimal as a cell that reads back as the same value: a number where a spreadsheet's
    binary number holds it exactly, else its digits as text (which an import reads exactly)."""
    if not value.is_finite():
        return str(value)
    if Decimal(repr(float(value))) == value:
        return value
    return f"{value:f}"


def _number_format(value: Decimal) -> str:
    """Thousands separated; decimals only where the value has them."""
    return "#,##0" if value == value.to_integral_value() else "#,##0.0#####"


class _Styles:
    """The few cell styles of a workbook, made once (openpyxl shares equal styles anyway)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=14)
        self.heading = Font(bold=True, size=12)
        self.header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
        self.total_fill = PatternFill("solid", fgColor=_TOTAL_FILL)
        self.centred = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _cell(ws: Worksheet, value: Any, **style: Any) -> Any:
    """A styled cell of a streamed sheet (openpyxl's ``WriteOnlyCell``)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _header(ws: Worksheet, styles: _Styles, values: Sequence[str]) -> list[Any]:
    """A header row: bold, filled, centred."""
    return [
        _cell(ws, _text(text), font=styles.bold, fill=styles.header_fill, alignment=styles.centred)
        for text in values
    ]


def _lists(
    lists: Mapping[str, Sequence[str]],
) -> tuple[list[tuple[str, Sequence[str]]], dict[str, str]]:
    """The choice lists that have values, one column each, and list name → range formula."""
    from openpyxl.utils import get_column_letter

    kept = [(name, values) for name, values in lists.items() if values]
    refs = {
        name: f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"
        for col, (name, values) in enumerate(kept, start=1)
        for letter in (get_column_letter(col),)
    }
    return kept, refs


def _lists_sheet(wb: Workbook, kept: Sequence[tuple[str, Sequence[str]]]) -> None:
    """The hidden sheet with one column per choice list (see :func:`_lists`)."""
    from itertools import zip_longest

    ws = wb.create_sheet(LISTS)
    ws.sheet_state = "hidden"
    ws.append([_text(name) for name, _ in kept])
    columns = [[_text(value) for value in values] for _, values in kept]
    for row in zip_longest(*columns):
        ws.append(list(row))


def _record_sheet(
    wb: Workbook,
    styles: _Styles,
    layout: SheetLayout,
    rows: Iterable[Mapping[str, Any]],
    refs: Mapping[str, str],
) -> Worksheet:
    """A record sheet, streamed row by row: header with notes, rows, drop-down lists.

    A text longer than a cell holds is written cut, with a mark (:func:`fit_cell`)."""
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws: Worksheet = wb.create_sheet(layout.name)
    _for_print(ws, "1:1", "A:A")  # the header row and each record's id on every page
    ws.freeze_panes = "B2"
    header = _header(ws, styles, layout.headers)
    for col, column in enumerate(layout.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = column.width
        if column.kind == "code":  # what is typed in later stays text too
            ws.column_dimensions[get_column_letter(col)].number_format = _TEXT_FORMAT
        note = "必填。" if column.required else ""
        note += column.note
        if note:
            header[col - 1].comment = Comment(note, "campaignkit", width=220, height=60)
    ws.append(header)
    fields = [(column.field, column.kind == "code") for column in layout.columns]
    count = 0
    for row in rows:
        count += 1
        values: list[Any] = []
        for field, code in fields:
            value = row.get(field)
            if isinstance(value, str):
                value = fit_cell(value)
            if value is None or value == "":
                values.append(None)
            elif isinstance(value, date):
                values.append(_cell(ws, value, number_format="yyyy-mm-dd"))
            elif code:
                values.append(_cell(ws, _cell_value(value), number_format=_TEXT_FORMAT))
            elif isinstance(value, Decimal):
                exact = _exact(value)
                if isinstance(exact, str):
                    values.append(exact)
                else:
                    values.append(_cell(ws, exact, number_format=_number_format(exact)))
            else:
                values.append(_cell_value(value))
        ws.append(values)
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
            ws.data_validations.append(dv)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(layout.columns))}{count + 1}"
    return ws


PERCENT = "0.00%"
"""A rate or share: the cell keeps the fraction (0.5945), shown as a percentage (59.45%)."""

YI_YUAN = '0!.00,,"亿元"'
"""Yuan shown in 亿元 with two places (the cell keeps the yuan): thousands twice over,
then a decimal point before the last two digits."""
WAN_YUAN = '0!.0,"万元"'
"""Yuan shown in 万元 with one place (the cell keeps the yuan)."""


def money_format(values: Iterable[object]) -> str | None:
    """The display of a column of yuan in a Chinese workbook, by its largest amount:
    亿元 from a hundred million, 万元 from ten thousand, else None (plain yuan). The cells
    keep the exact yuan; only what is shown is rounded (``7.50亿元``)."""
    amounts = [
        abs(Decimal(v)) for v in values if isinstance(v, int | Decimal) and not isinstance(v, bool)
    ]
    largest = max(amounts, default=Decimal(0))
    if largest >= 100_000_000:
        return YI_YUAN
    if largest >= 10_000:
        return WAN_YUAN
    return None


def _table_rows(
    ws: Worksheet, styles: _Styles, table: Table, lang: str = "zh"
) -> Iterable[list[Any]]:
    """A titled table's rows, then one empty row. In Chinese, a column of yuan is shown
    in 万元 or 亿元 (see :func:`money_format`) under its label alone. A rate or share is
    its fraction shown as a percentage (:data:`PERCENT`: ``59.45%``), wherever it is (a
    row of rates among counts too), so its header names no unit."""
    shown: dict[str, str] = {}
    if lang == "zh":
        for column in table.columns:
            if column.kind == "yuan":
                found = money_format(row.values.get(column.key) for row in table.rows)
                if found is not None:
                    shown[column.key] = found
    yield [_cell(ws, _text(table.title), font=styles.heading)]
    heads = [
        c.label if c.key in shown or c.kind == "rate" else c.header(raw_units=True)
        for c in table.columns
    ]
    yield _header(ws, styles, [table.head, *heads])
    for row in table.rows:
        total: dict[str, Any] = (
            {"font": styles.bold, "fill": styles.total_fill} if row.is_total else {}
        )
        cells = [_cell(ws, _text(row.label), **total)]
        for column in table.columns:
            kind = cell_kind(row, column)
            value: Any = row.values.get(column.key)
            if kind != "rate":  # a rate stays the fraction it is: its format shows the %
                value = raw(value, kind)
            style: dict[str, Any] = dict(total)
            fraction = isinstance(value, Decimal) and value != value.to_integral_value()
            if isinstance(value, Decimal):  # exact: as text where a number cannot hold it
                value = _exact(value)
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                # separators for reading; the cell keeps the exact value
                style["number_format"] = shown.get(column.key) or (
                    PERCENT if kind == "rate" else "#,##0.00" if fraction else "#,##0"
                )
            cells.append(_cell(ws, value, **style) if style else value)
        yield cells
    yield []


def _for_print(ws: Worksheet, title_rows: str | None = None, title_cols: str | None = None) -> None:
    """Page setup for printing: A4 landscape, as wide as the page (as many pages down as it
    takes), the header rows and label column repeated on every page."""
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def _summary_sheet(
    wb: Workbook, styles: _Styles, report: Report, table: Table, redact: Redactor
) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(SUMMARY)
    _for_print(ws, "5:5", "A:A")  # the table's header row and its team (or county) names
    ws.freeze_panes = "B6"
    ws.column_dimensions["A"].width = 16
    for col in range(2, len(table.columns) + 2):
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.append([_cell(ws, _text(redact(report.title)), font=styles.title)])
    as_of = ("As of " if report.lang == "en" else "截至") + long_date(report.as_of, report.lang)
    ws.append([as_of])
    ws.append([])
    for row in _table_rows(ws, styles, table, report.lang):
        ws.append(row)


def _save(wb: Workbook, stamp: date | None) -> bytes:
    if stamp is not None:
        moment = datetime(stamp.year, stamp.month, stamp.day)
        wb.properties.created = moment
        wb.properties.modified = moment
    wb.properties.creator = "campaignkit"
    buffer = io.BytesIO()
    wb.save(buffer)
    return repeatable(buffer.getvalue(), stamp)


def render_xlsx(report: Report, options: RenderOptions) -> bytes:
    """The XLSX report: 汇总表, 分类统计, then 问题台账, 企业名录, 活动记录 and 成果 (importable).

    The record sheets hold what the report counts: the activities, issues and outcomes
    dated on or before its as-of date (issues as they stood that day) and every
    enterprise, so a report as of an earlier day imports back changing nothing.

    The workbook is written as a stream (openpyxl's write-only mode): each row
    goes to the file as it is made, so a province's ledger takes memory for
    one row at a time instead of an object per cell.
    """
    require_openpyxl()
    from openpyxl import Workbook

    redact = Redactor(options.show_personal)
    ctype = report.campaign_type
    ledger = report.ledger
    styles = _Styles()
    wb = Workbook(write_only=True)
    _summary_sheet(wb, styles, report, main_table(report, options.by, redact), redact)
    details: list[Table] = []
    if report.issue_figures:
        details.append(issue_figure_table(report))
    details.extend(breakdown_tables(report, redact))
    if report.statuses:
        details.append(status_table(report))
    if report.outcomes_by_kind:
        details.append(outcome_table(report))
    ws = wb.create_sheet(BREAKDOWNS)
    _for_print(ws)
    ws.column_dimensions["A"].width = 22
    for table in details:
        for row in _table_rows(ws, styles, table, report.lang):
            ws.append(row)
    sheets = layouts(ctype)
    kept, refs = _lists(choice_lists(ctype, ledger))
    personal = options.show_personal
    _record_sheet(
        wb,
        styles,
        sheets[ISSUES],
        each_issue_row(ledger, ctype, as_of=report.as_of, show_personal=personal),
        refs,
    )
    _record_sheet(
        wb,
        styles,
        sheets[ENTERPRISES],
        each_enterprise_row(ledger, ctype, show_personal=personal),
        refs,
    )
    _record_sheet(
        wb,
        styles,
        sheets[ACTIVITIES],
        each_activity_row(ledger, ctype, as_of=report.as_of, show_personal=personal),
        refs,
    )
    _record_sheet(
        wb,
        styles,
        sheets[OUTCOMES],
        each_outcome_row(ledger, ctype, as_of=report.as_of, show_personal=personal),
        refs,
    )
    _lists_sheet(wb, kept)
    return _save(wb, report.as_of)


def template_workbook(ctype: CampaignType, ledger: Ledger | None = None) -> bytes:
    """An empty workbook in the import layout: 问题台账, 企业名录, 活动记录, 成果 and 说明.

    With a ``ledger`` the region and team columns offer its names in drop-down lists.
    """
    require_openpyxl()
    from openpyxl import Workbook

    styles = _Styles()
    wb = Workbook(write_only=True)
    sheets = layouts(ctype)
    kept, refs = _lists(choice_lists(ctype, ledger))
    for name in (ISSUES, ENTERPRISES, ACTIVITIES, OUTCOMES):
        _record_sheet(wb, styles, sheets[name], (), refs)
    readme = wb.create_sheet(README)
    readme.column_dimensions["A"].width = 90
    for i, line in enumerate(README_LINES):
        readme.append([_cell(readme, line, font=styles.title) if i == 0 else line])
    _lists_sheet(wb, kept)
    wb.active = 0
    return _save(wb, None)
