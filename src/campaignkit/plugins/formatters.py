"""The built-in report formatters: text, markdown, csv, json, html and xlsx.

Each is a :class:`~campaignkit.rules.records.ReportFormatter` registered through
``campaignkit_report_formatters``, exactly as a province's own format would
be. Rendering code lives in :mod:`campaignkit.report` and
:mod:`campaignkit.workbook`; openpyxl and matplotlib are imported only when
an XLSX file or a chart is made.
"""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.hooks.specs import hookimpl
from campaignkit.report.data import render_csv, render_json
from campaignkit.report.docx import render_docx
from campaignkit.report.html import render_html
from campaignkit.report.text import render_markdown, render_text
from campaignkit.rules.records import Label, ReportFormatter
from campaignkit.workbook.xlsx import render_xlsx

__all__ = ["FORMATTERS", "campaignkit_report_formatters"]

FORMATTERS = (
    ReportFormatter(
        name="text",
        label=Label("终端文本", "terminal text"),
        extension="txt",
        media_type="text/plain; charset=utf-8",
        render=render_text,
        doc="Titled tables aligned for a terminal (Chinese characters count double).",
        limited=False,
    ),
    ReportFormatter(
        name="markdown",
        label=Label("Markdown", "Markdown"),
        extension="md",
        media_type="text/markdown; charset=utf-8",
        render=render_markdown,
        doc="Pipe tables; record text escaped so it cannot add HTML, links or emphasis.",
        limited=False,
    ),
    ReportFormatter(
        name="csv",
        label=Label("CSV 表格", "CSV"),
        extension="csv",
        media_type="text/csv; charset=utf-8",
        render=render_csv,
        doc="The main table, UTF-8 with BOM for Excel, exact values, formulas neutralised.",
        limited=False,
    ),
    ReportFormatter(
        name="json",
        label=Label("JSON 数据", "JSON"),
        extension="json",
        media_type="application/json",
        render=render_json,
        doc="Figures by metric id, tables, narrative and provenance counts; decimals as strings.",
        limited=False,
    ),
    ReportFormatter(
        name="html",
        label=Label("网页", "HTML page"),
        extension="html",
        media_type="text/html; charset=utf-8",
        render=render_html,
        doc="One self-contained page with inline SVG charts; no scripts, no external resources.",
        limited=False,
    ),
    ReportFormatter(
        name="xlsx",
        label=Label("Excel 工作簿", "Excel workbook"),
        extension="xlsx",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        render=render_xlsx,
        binary=True,
        doc="汇总表, 分类统计 and the importable 问题台账, 企业名录, 活动记录 (needs openpyxl).",
        limited=False,
    ),
    ReportFormatter(
        name="docx",
        label=Label("Word 文档", "Word document"),
        extension="docx",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render=render_docx,
        binary=True,
        doc="The headline paragraph and the 汇总表 in the official layout (GB/T 9704; needs "
        "python-docx).",
        limited=False,
    ),
)
"""The built-in formatters, in the order ``campaignkit plugins`` lists them."""


@hookimpl
def campaignkit_report_formatters() -> Iterator[ReportFormatter]:
    """Register the built-in report formatters."""
    yield from FORMATTERS
