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
from wcwidth import wcwidth

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
_NO_LINE_START = set(",。;:、)》」』”’!?,.;:)%")

tabulate_module.WIDE_CHARS_MODE = True


def long_date(day: date, lang: str) -> str:
    """``2020年5月12日`` (zh) or ``12 May 2020`` (en)."""
    if lang == "en":
        return f"{day.day} {day:%B %Y}"
    return f"{day.year}年{day.month}月{day.day}日"


def _width(text: str) -> int:
    return sum(max(wcwidth(ch), 0) for ch in text)


def _tokens(text: str) -> list[str]:
    """Spaces, words of narrow characters, and single wide (CJK) characters."""
    tokens: list[str] = []
    for ch in text:
        wide = wcwidth(ch) == 2
        if tokens and not wide and (ch.isspace() == tokens[-1][-1].isspace()):
            last = tokens[-1][-1]
            if wcwidth(last) != 2:
                tokens[-1] += ch
                continue
        tokens.append(ch)
    return tokens


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Wrap text at ``width`` terminal columns: between words, and between any two
    CJK characters except before closing punctuation."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _tokens(text):
        if token.isspace():
            space = True
            continue
        w = _width(token)
        gap = 1 if space and line else 0
        if used + gap + w > width and line and token[0] not in _NO_LINE_START:
            lines.append(line)
            line, used = token, w
        else:
            line += " " * gap + token
            used += gap + w
        space = False
    lines.append(line)
    return lines


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
