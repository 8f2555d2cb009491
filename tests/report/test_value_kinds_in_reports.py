"""Every built-in format shows an average, a median or a per-enterprise figure as a number
with its unit, never as a percentage, and its breakdown rows as figures of their own (no
share); a plugin adding such figures changes nothing in the Huainan example's report."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import attrs
import openpyxl
import orjson
import pytest

from campaignkit import new_plugin_manager
from campaignkit.hooks.manager import PluginManager
from campaignkit.model.units import format_count
from campaignkit.report.build import Report, build_report, render
from campaignkit.stats.metrics import MetricResult, breakdown, compute
from campaignkit.testing import load_ledger, plugin_manager
from tests import value_kinds

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
FIGURES = value_kinds.FIGURES
FORMATS = ("text", "markdown", "csv", "json", "html", "xlsx")


@pytest.fixture(scope="module")
def pm() -> Iterator[PluginManager]:
    with plugin_manager(value_kinds) as manager:
        yield manager


def with_breakdowns(report: Report) -> Report:
    """The report with the average by category and issues per enterprise by region among
    its breakdowns (as a plugin's own format would add them before it calls a built-in one)."""
    ctx = report.context
    lang = report.lang
    return attrs.evolve(
        report,
        breakdowns=(
            *report.breakdowns,
            breakdown(ctx, "average_resolve_days", "category", lang=lang),
            breakdown(ctx, "issues_per_enterprise", "region", lang=lang),
        ),
    )


@pytest.fixture(scope="module", params=["zh", "en"])
def report(request: pytest.FixtureRequest, pm: PluginManager) -> Report:
    """The Huainan records under the plugin's campaign type, whose reports list the
    figures among the issue figures."""
    document = orjson.loads(HUAINAN.read_bytes())
    document["campaign"]["type"] = value_kinds.KEY
    ledger = load_ledger(document, manager=pm)
    return with_breakdowns(build_report(ledger, manager=pm, lang=request.param))


def test_the_campaign_type_lists_the_figures(report: Report) -> None:
    assert list(report.issue_figures)[-len(FIGURES) :] == list(FIGURES)
    for mid in FIGURES:
        result = report.issue_figures[mid]
        assert result == compute(report.context, mid, lang=report.lang)
        assert result.value_kind == report.campaign_type.metric(mid).value_kind


def _shown(result: MetricResult) -> str:
    assert isinstance(result.value, Decimal)
    return format_count(result.value)


def _lines_of(out: str, label: str) -> list[str]:
    return [line for line in out.splitlines() if label in line]


def _labelled(result: MetricResult, lang: str) -> str:
    """A figure's row label: its label with its unit, as tables write it."""
    return f"{result.label}({result.unit})" if lang == "zh" else f"{result.label} ({result.unit})"


def _last_cell(line: str) -> str:
    return line.rstrip(" |").split()[-1]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_formats_show_the_figures_with_their_unit(report: Report, fmt: str) -> None:
    out = render(report, fmt).decode()
    for mid in FIGURES:
        result = report.issue_figures[mid]
        (line,) = [line for line in out.splitlines() if _labelled(result, report.lang) in line]
        assert _last_cell(line) == _shown(result)
        assert "%" not in line
    average = report.breakdowns[-2]
    (title,) = [
        line
        for line in out.splitlines()
        if line.lstrip("# ").startswith(average.total.label) and ("按" in line or " by " in line)
    ]
    section = out[out.index(title) :].split("\n\n")[1 if fmt == "markdown" else 0]
    assert average.total.unit in section
    assert "%" not in section and "占比" not in section and "Share" not in section
    for row in average.rows:
        (line,) = [line for line in section.splitlines() if row.label in line]
        assert _last_cell(line) == _shown(row.result)


def test_json_has_the_figures_exactly_with_their_kind_and_unit(report: Report) -> None:
    doc = orjson.loads(render(report, "json"))
    for mid in FIGURES:
        result = report.issue_figures[mid]
        figure = doc["figures"][mid]
        assert figure["value_kind"] == result.value_kind and figure["unit"] == result.unit
        assert Decimal(figure["value"]) == result.value
        if result.denominator is not None:
            parts = (Decimal(str(figure["numerator"])), Decimal(str(figure["denominator"])))
            assert parts == (result.numerator, result.denominator)
    table = next(t for t in doc["tables"] if t["key"] == "average_resolve_days-by-category")
    assert [c["kind"] for c in table["columns"]] == ["average"]
    rows = {r["key"]: r["values"]["count"] for r in table["rows"]}
    for row in report.breakdowns[-2].rows:
        assert Decimal(rows[row.key]) == row.result.value


class _Cells(HTMLParser):
    """The text of each table row's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        self.in_cell = tag in ("td", "th")

    def handle_endtag(self, tag: str) -> None:
        self.in_cell = False

    def handle_data(self, data: str) -> None:
        if self.in_cell and data.strip():
            self.rows[-1].append(data.strip())


def test_html_shows_the_figures_with_their_unit(report: Report) -> None:
    page = _Cells()
    page.feed(render(report, "html", include_charts=False).decode())
    rows = {row[0]: row[1:] for row in page.rows if row}
    for mid in FIGURES:
        result = report.issue_figures[mid]
        assert rows[_labelled(result, report.lang)] == [_shown(result)]


def test_xlsx_holds_the_exact_figures_under_their_unit(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "kinds.xlsx"
    path.write_bytes(render(report, "xlsx"))
    sheet = openpyxl.load_workbook(path).worksheets[1]
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value}
    for mid in FIGURES:
        result = report.issue_figures[mid]
        cell = cells[_labelled(result, report.lang)]
        assert Decimal(str(cell.value)) == result.value
        assert cell.number_format in ("#,##0.00", "#,##0")  # separators, never a percent


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_huainan_report_is_the_same_with_the_plugin_installed(
    pm: PluginManager, fmt: str
) -> None:
    without = new_plugin_manager(entry_points=False)
    plain = build_report(load_ledger(HUAINAN, manager=without), manager=without)
    with_plugin = build_report(load_ledger(HUAINAN, manager=pm), manager=pm)
    shown, before = render(with_plugin, fmt, manager=pm), render(plain, fmt, manager=without)
    if fmt == "xlsx":  # a workbook's files carry the time they were written: compare cells
        shown, before = _cells(shown), _cells(before)
    assert shown == before


def _cells(workbook: bytes) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    return orjson.dumps(
        {ws.title: [[str(c) for c in row] for row in ws.iter_rows(values_only=True)] for ws in book}
    )
