"""Terminal text and Markdown: the report as titled tables.

Text output aligns Chinese columns by display width (tabulate with wcwidth)
and wraps the narrative at 80 terminal columns; a summary table with more
columns than rows is turned so it fits a terminal. Markdown escapes record
text so it cannot add HTML, links or emphasis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import tabulate as tabulate_module
from tabulate import tabulate

from campaignkit.i18n.text import wrap as wrap_text
from campaignkit.report.build import Report
from campaignkit.report.safety import escape_markdown
from campaignkit.report.tables import (
    Redactor,
    Table,
    breakdown_tables,
    cell_kind,
    display,
    issue_figure_table,
    main_table,
    outcome_table,
    status_table,
    word,
)
from campaignkit.rules.records import RenderOptions

__all__ = ["long_date", "render_markdown", "render_text", "report_tables", "wrap"]

WIDTH = 80

tabulate_module.WIDE_CHARS_MODE = True


def long_date(day: date, lang: str) -> str:
    """``2020年5月12日`` (zh) or ``12 May 2020`` (en)."""
    if lang == "en":
        return f"{day.day} {day:%B %Y}"
    return f"{day.year}年{day.month}月{day.day}日"


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """:func:`campaignkit.i18n.text.wrap` at ``width`` columns (80 by default)."""
    return wrap_text(text, width)


def report_tables(report: Report, options: RenderOptions, redact: Redactor) -> list[Table]:
    """The tables of a report, in reading order: main table, issue figures, breakdowns,
    statuses, outcomes (empty ones left out)."""
    tables = [main_table(report, options.by, redact)]
    if report.issue_figures:
        tables.append(issue_figure_table(report))
    tables.extend(breakdown_tables(report, redact))
    if report.statuses:
        tables.append(status_table(report))
    if report.outcomes_by_kind:
        tables.append(outcome_table(report))
    return tables


def _fit(table: Table, lang: str) -> Table:
    if len(table.columns) > len(table.rows) + 1:
        return table.transposed(word("figure", lang))
    return table


def _grid(
    table: Table, lang: str, escape: Callable[[str], str]
) -> tuple[list[str], list[list[str]]]:
    headers = [escape(table.head), *(escape(c.header()) for c in table.columns)]
    rows = [
        [
            escape(row.label),
            *(display(row.values.get(c.key), cell_kind(row, c), lang) for c in table.columns),
        ]
        for row in table.rows
    ]
    return headers, rows


def _text_table(table: Table, lang: str) -> str:
    headers, rows = _grid(_fit(table, lang), lang, lambda s: s)
    align = ("left", *("right",) * (len(headers) - 1))
    return tabulate(rows, headers, tablefmt="simple", disable_numparse=True, colalign=align)


def render_text(report: Report, options: RenderOptions) -> bytes:
    """The report for a terminal (UTF-8)."""
    redact = Redactor(options.show_personal)
    lang = report.lang
    out: list[str] = [
        redact(report.title),
        f"{word('as_of', lang)} {long_date(report.as_of, lang)}",
    ]
    if report.narrative:
        out.append("")
        out.extend(wrap(redact(report.narrative)))
    for table in report_tables(report, options, redact):
        out.extend(["", table.title, _text_table(table, lang)])
    return ("\n".join(out) + "\n").encode("utf-8")


def _md_table(table: Table, lang: str) -> Iterator[str]:
    headers, rows = _grid(_fit(table, lang), lang, escape_markdown)
    yield "| " + " | ".join(headers) + " |"
    yield "|" + "|".join([":---", *["---:"] * (len(headers) - 1)]) + "|"
    for row in rows:
        yield "| " + " | ".join(row) + " |"


def render_markdown(report: Report, options: RenderOptions) -> bytes:
    """The report as Markdown (GitHub-flavoured pipe tables), record text escaped."""
    redact = Redactor(options.show_personal)
    lang = report.lang
    out = [
        f"# {escape_markdown(redact(report.title))}",
        "",
        f"*{word('as_of', lang)} {long_date(report.as_of, lang)}*",
    ]
    if report.narrative:
        out.extend(["", escape_markdown(redact(report.narrative))])
    for table in report_tables(report, options, redact):
        out.extend(["", f"## {escape_markdown(table.title)}", "", *_md_table(table, lang)])
    return ("\n".join(out) + "\n").encode("utf-8")
