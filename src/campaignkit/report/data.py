"""Data formats: CSV (the main table) and JSON (figures, tables, narrative, provenance).

CSV is UTF-8 **with** a byte-order mark and CRLF line ends, because that is
what Excel needs to open Chinese text correctly by double-click; read it in
Python with ``encoding="utf-8-sig"``. Values are exact (amounts in yuan, land
in mu, rates in percent) and text cells that a spreadsheet would run as a
formula are neutralised. :func:`csv_bytes` writes every CSV campaignkit gives
(the report's and the command line's ``summary --format csv``) this way.

JSON keeps exact decimals as strings (``"750000000"``, rates as fractions
``"0.6667"``) and integers as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import orjson

from campaignkit.report.build import Report
from campaignkit.report.safety import neutralise_cell
from campaignkit.report.tables import Redactor, Table, cell_kind, main_table, raw
from campaignkit.report.text import report_tables
from campaignkit.rules.records import RenderOptions
from campaignkit.stats.metrics import MetricResult, Number

__all__ = [
    "JSON_FORMAT",
    "JSON_VERSION",
    "CsvCell",
    "csv_bytes",
    "render_csv",
    "render_json",
    "report_document",
    "table_rows",
]

JSON_FORMAT = "campaignkit-report"
JSON_VERSION = 1
BOM = "\ufeff"

CsvCell = str | Number | None
"""A CSV cell before it is written: text, an exact number, or nothing (an empty cell)."""


def _csv_value(value: Number | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:.0f}"
    return str(value)


def _csv_cell(value: CsvCell) -> str:
    return neutralise_cell(value) if isinstance(value, str) else _csv_value(value)


def csv_bytes(rows: Iterable[Sequence[CsvCell]]) -> bytes:
    """Rows as a CSV file a spreadsheet opens safely: UTF-8 with a byte-order mark, CRLF
    line ends, every text cell through :func:`~campaignkit.report.safety.neutralise_cell`
    (so no text becomes a formula) and numbers exact, never in exponent form.

    >>> data = csv_bytes([["小组", "金额"], ["=1+1", Decimal("7.50E+8")]])
    >>> data[:3] == BOM.encode(), data.decode("utf-8-sig").split(chr(13) + chr(10))
    (True, ['小组,金额', "'=1+1,750000000", ''])
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def table_rows(table: Table) -> list[list[CsvCell]]:
    """Header and rows of a table as CSV cells: exact values (rates in percent)."""
    rows: list[list[CsvCell]] = [[table.head, *(c.header(raw_units=True) for c in table.columns)]]
    for row in table.rows:
        rows.append(
            [row.label, *(raw(row.values.get(c.key), cell_kind(row, c)) for c in table.columns)]
        )
    return rows


def render_csv(report: Report, options: RenderOptions) -> bytes:
    """The main table (summary by team/region, or issues by category) as CSV."""
    table = main_table(report, options.by, Redactor(options.show_personal))
    return csv_bytes(table_rows(table))


def _json_number(value: Number | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:.0f}"


def _result(result: MetricResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "label": result.label,
        "unit": result.unit,
        "value": _json_number(result.value),
        "value_kind": result.value_kind,
        "records": len(result.provenance),
    }
    if result.denominator is not None:
        out["numerator"] = _json_number(result.numerator)
        out["denominator"] = _json_number(result.denominator)
    return out


def _table(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "head": table.head,
        "columns": [
            {"key": c.key, "label": c.label, "unit": c.unit, "kind": c.kind} for c in table.columns
        ],
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "total": r.is_total,
                "values": {k: _json_number(v) for k, v in r.values.items()},
                **({"kind": r.kind} if r.kind else {}),
            }
            for r in table.rows
        ],
    }


def _results(results: Mapping[str, MetricResult]) -> dict[str, Any]:
    return {mid: _result(r) for mid, r in results.items()}


def report_document(report: Report, options: RenderOptions) -> dict[str, Any]:
    """The JSON document of a report (plain dicts, lists, strings and integers)."""
    redact = Redactor(options.show_personal)
    campaign = report.ledger.campaign
    tables = report_tables(report, options, redact)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "campaign": {"id": campaign.id, "type": campaign.type, "name": redact(campaign.name)},
        "as_of": report.as_of.isoformat(),
        "lang": report.lang,
        "by": options.by,
        "title": redact(report.title),
        "narrative": redact(report.narrative),
        "summary": {mid: _json_number(r.value) for mid, r in report.headline.items()},
        "figures": _results({**report.headline, **report.issue_figures}),
        "table": _table(tables[0]),
        "tables": [_table(t) for t in tables[1:]],
        "statuses": {s.state: s.count for s in report.statuses},
        "outcomes_by_kind": {k: n for k, _, n in report.outcomes_by_kind},
    }


def render_json(report: Report, options: RenderOptions) -> bytes:
    """The report as JSON (UTF-8, two-space indent)."""
    return orjson.dumps(report_document(report, options), option=orjson.OPT_INDENT_2) + b"\n"
