"""Every built-in format, produced for the Huainan example and checked by content."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from openpyxl.utils import get_column_letter
from wcwidth import wcswidth

import campaignkit as ck
from campaignkit.model.ledger import Ledger
from campaignkit.plugins.formatters import FORMATTERS
from campaignkit.report import charts
from campaignkit.report.build import Report, build_report, render
from campaignkit.report.text import wrap
from campaignkit.rules.records import RenderOptions
from campaignkit.stats.metrics import breakdown
from campaignkit.workbook.sheets import ISSUES
from campaignkit.workbook.xlsx import WAN_YUAN, YI_YUAN, money_format

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"

SEED_HEADLINE = {
    # the first paragraph of the seed report (see docs: DOMAIN), as reports write them
    "enterprises_visited": "215",
    "issues_collected": "217",
    "materials_distributed": "11438",
    "land_mu": "852亩",
    "investment_amount": "10亿元",
    "factor_funds": "7.5亿元",
}


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return ck.load(HUAINAN)


@pytest.fixture(scope="module")
def report(ledger: Ledger) -> Report:
    return build_report(ledger)


def _text(report: Report, fmt: str, **kw: Any) -> str:
    return render(report, fmt, **kw).decode("utf-8")


def test_the_built_in_formats_are_registered_plugins() -> None:
    formatters = ck.get_plugin_manager().report_formatters()
    assert set(formatters) >= {"text", "markdown", "csv", "json", "html", "xlsx"}
    assert formatters["xlsx"].binary and not formatters["html"].binary
    assert {f.name for f in FORMATTERS} <= set(formatters)


# -- text ------------------------------------------------------------------------------


def test_text_shows_the_totals_and_the_narrative(report: Report) -> None:
    out = _text(report, "text")
    assert out.startswith(report.title + "\n截至 2020年5月12日\n")
    assert report.narrative.replace("\n", "")[:30] in out.replace("\n", "")
    total = report.table.total.values
    total_line = next(line for line in out.splitlines() if line.startswith("走访企业（家）"))
    assert total_line.split()[-1] == str(total["enterprises_visited"])
    for figure in SEED_HEADLINE.values():
        assert figure in out


def test_text_columns_align_by_display_width(report: Report) -> None:
    out = _text(report, "text")
    block = out.split("\n\n")[2]  # the summary table: title, header, rule, rows
    lines = block.splitlines()[1:]
    # every line has the same display width (Chinese characters count double), so the
    # right-aligned total column ends in the same terminal column on every line
    widths = {wcswidth(line) for line in lines}
    assert len(widths) == 1, widths
    assert len({len(line) for line in lines}) > 1  # …which character counts alone would not give


def test_narrative_wraps_between_words_and_characters(ledger: Ledger, report: Report) -> None:
    english = build_report(ledger, lang="en").narrative
    lines = wrap(english, 40)
    assert all(wcswidth(line) <= 40 for line in lines)
    assert " ".join(lines) == " ".join(english.split())  # no word was cut
    chinese = wrap(report.narrative, 40)
    assert "".join(chinese) == report.narrative
    assert all(wcswidth(line) <= 41 for line in chinese)  # closing punctuation may hang
    assert not any(line[0] in ",。;、" for line in chinese)


def test_text_in_english(ledger: Ledger) -> None:
    out = render(build_report(ledger, lang="en"), "text").decode()
    assert "As of 12 May 2020" in out
    assert "enterprises visited" in out and "Total" in out
    assert "CNY 1,000,000,000" in out  # intended investment, exact


def test_text_by_category_and_by_region(ledger: Ledger, report: Report) -> None:
    by_region = build_report(ledger, by="region")
    out = render(by_region, "text").decode()
    assert "寿县" in out.split("\n\n")[2]
    cat = render(report, "text", by="category")
    assert cat == FORMATTERS[0].render(report, RenderOptions(by="category"))
    table = cat.decode().split("\n\n")[2]
    assert table.splitlines()[0] == "问题分类统计表"
    labour = breakdown(report.context, "issues_collected", "category").rows[0]
    row = next(line for line in table.splitlines() if line.startswith(labour.label))
    assert row.split()[1] == str(labour.result.value)


def _last_cells(out: str, fmt: str, label: str) -> list[str]:
    """The last cell of each row of ``out`` (a report in ``fmt``) labelled ``label``."""
    if fmt == "html":
        rows = re.findall(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', out)
        return [re.findall(r'<td class="num">(.*?)</td>', row)[-1] for row in rows]
    if fmt == "markdown":
        found = [line for line in out.splitlines() if line.startswith(f"| {label} |")]
        return [line.strip("| ").split(" | ")[-1] for line in found]
    return [line.split()[-1] for line in out.splitlines() if line.split()[:1] == [label]]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_zero_rate_is_shown_as_a_percentage(ledger: Ledger, fmt: str) -> None:
    # early on, some category had no issue resolved yet: its resolution rate is 0
    report = build_report(ledger, as_of=dt.date(2020, 4, 16))
    rates = breakdown(report.context, "resolution_rate", "category").rows
    zero = [r.label for r in rates if r.result.value == 0]
    assert zero
    kw: dict[str, Any] = {"include_charts": False} if fmt == "html" else {}
    out = _text(report, fmt, by="category", **kw)
    for label in zero:  # the rate is the by-category table's last column
        assert _last_cells(out, fmt, label)[0] == "0%"


def test_render_by_chooses_the_main_table(ledger: Ledger, report: Report) -> None:
    # by default the report's own table; any other by renders that one instead
    assert render(report, "csv") == render(report, "csv", by="team")
    by_region = render(report, "csv", by="region").decode()
    assert by_region == render(build_report(ledger, by="region"), "csv").decode()
    assert by_region != render(report, "csv").decode()
    with pytest.raises(ValueError, match="a report is by team, region, category, not 'county'"):
        render(report, "csv", by="county")


# -- markdown --------------------------------------------------------------------------


def test_markdown_tables(report: Report) -> None:
    out = _text(report, "markdown")
    assert out.startswith(f"# {report.title}\n")
    tables = [b for b in out.split("\n\n") if b.startswith("|")]
    assert len(tables) >= 6
    for table in tables:
        counts = {line.count(" | ") for line in table.splitlines() if not line.startswith("|:")}
        assert len(counts) == 1
    row = next(line for line in out.splitlines() if line.startswith("| 收集问题（个） |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    expected = [str(r.values["issues_collected"]) for r in report.table.rows]
    assert cells[1:] == [*expected, str(report.table.total.values["issues_collected"])]


# -- csv -------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    assert b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_is_the_summary_table_with_exact_values(report: Report) -> None:
    rows = _csv_rows(render(report, "csv"))
    header, *body = rows
    assert header[0] == "小组" and "拟投资（元）" in header and "解决土地指标（亩）" in header
    columns = [c.metric for c in report.table.columns]
    assert len(header) == len(columns) + 1
    labels = [r.label for r in report.table.rows] + ["合计"]
    assert [r[0] for r in body] == labels
    total = body[-1]
    for i, metric in enumerate(columns, start=1):
        assert Decimal(total[i]) == Decimal(report.table.total.values[metric] or 0)
        # the rows add up to the total row
        assert sum(Decimal(r[i]) for r in body[:-1]) == Decimal(total[i])


def test_csv_by_category_has_rates_in_percent(report: Report) -> None:
    from campaignkit.rules.records import RenderOptions

    csv_formatter = next(f for f in FORMATTERS if f.name == "csv")
    rows = _csv_rows(csv_formatter.render(report, RenderOptions(by="category")))
    header = rows[0]
    assert header[0] == "问题类别" and "问题办结率（%）" in header
    rate = report.issue_figures["resolution_rate"].value
    assert isinstance(rate, Decimal)
    percent = (rate * 100).quantize(Decimal("0.01"))
    assert Decimal(rows[-1][header.index("问题办结率（%）")]) == percent


# -- json ------------------------------------------------------------------------------


def test_json_has_every_figure_exactly(report: Report) -> None:
    doc = orjson.loads(render(report, "json"))
    assert doc["format"] == "campaignkit-report" and doc["as_of"] == "2020-05-12"
    assert doc["narrative"] == report.narrative
    for metric, result in report.headline.items():
        value = doc["summary"][metric]
        assert value == (result.value if isinstance(result.value, int) else str(result.value))
        assert doc["figures"][metric]["records"] == len(result.provenance)
    assert doc["summary"]["factor_funds"] == "750000000"
    rate = doc["figures"]["resolution_rate"]
    exact = Decimal(rate["numerator"]) / Decimal(rate["denominator"])
    assert Decimal(rate["value"]) == exact.quantize(Decimal("0.0001"))
    assert doc["table"]["rows"][-1]["total"] is True
    assert sum(doc["statuses"].values()) == len(report.ledger.issues)


# -- html ------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_html_is_one_self_contained_page(report: Report) -> None:
    html = _text(report, "html")
    page = _page(html)
    assert page.attrs[page.tags.index("html")]["lang"] == "zh-CN"
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not any(
        "src" in a or ("href" in a and not str(a["href"]).startswith("#")) for a in page.attrs
    )
    assert "@import" not in html and "url(http" not in html
    # only SVG namespaces mention http
    assert set(re.findall(r"https?://[^\"' )]+", html)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    csp = next(a for a in page.attrs if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in str(csp["content"])
    text = "".join(page.text)
    assert report.title in text and report.narrative in text


def test_html_summary_table_and_charts(report: Report) -> None:
    html = _text(report, "html")
    page = _page(html)
    table = html[
        html.index('id="summary-table"') : html.index("</table>", html.index('id="summary-table"'))
    ]
    assert table.count("<tr") == len(report.table.rows) + 2  # header, rows, total
    assert '<tr class="total"><th scope="row">合计</th><td class="num">215</td>' in table
    figures = [a["data-chart"] for a in page.attrs if "data-chart" in a]
    assert figures == ["issues-by-category", "issues-by-region", "issue-status", "outcomes-by-kind"]
    assert page.tags.count("svg") == 4
    ids = [a["id"] for a in page.attrs if a.get("id")]
    assert len(ids) == len(set(ids)), "ids stay unique with several inline SVGs"
    assert "<!--" not in html
    for title in ("问题分类", "问题分县区", "问题办理状态", "成果类别"):
        assert f"<figcaption>{title}</figcaption>" in html


def test_html_without_matplotlib_still_renders_tables(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    html = _text(report, "html")
    assert 'id="summary-table"' in html and "<svg" not in html
    assert "未安装 matplotlib" in html and "campaignkit[charts]" in html


def test_html_charts_need_no_font_to_be_drawn(
    report: Report, monkeypatch: pytest.MonkeyPatch, recwarn: pytest.WarningsRecorder
) -> None:
    """The labels stay text in the SVG, in a CJK font list: the browser draws them."""
    monkeypatch.setattr(charts, "cjk_font", lambda: None)  # as on a machine without one
    html = _text(report, "html")
    assert html.count("<svg ") == 4 and 'id="charts-unavailable"' not in html
    for chart in charts.report_charts(report):
        svg = html[html.index("<svg ", html.index(f'data-chart="{chart.key}"')) :]
        svg = svg[: svg.index("</svg>")]
        texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
        assert set(chart.labels) <= set(texts)
        assert "Noto Sans CJK SC" in svg[: svg.index(">")]
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_svg_does_not_depend_on_the_fonts_found(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = charts.report_charts(report)[1]
    with_font = charts.to_svg(chart, "c")
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    assert charts.to_svg(chart, "c") == with_font


def test_chart_labels_are_plain_text_never_mathtext(report: Report) -> None:
    chart = charts.report_charts(report)[1]
    odd = ("$\\undefinedcommand$", "$x^2$ & <b>", "a\\$b$", "100$")
    chart = charts.Chart(chart.key, "$\\frac$ issues", odd, (4, 3, 2, 1))
    svg = charts.to_svg(chart, "odd", title=True)
    texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
    assert {"$\\undefinedcommand$", "$x^2$ &amp; &lt;b&gt;", "a\\$b$", "100$"} <= set(texts)
    assert "$\\frac$ issues" in texts
    figure = charts.draw(chart)
    figure.savefig(io.BytesIO(), format="svg")  # the mathtext parser never sees them
    labels = figure.axes[0].get_yticklabels()
    assert [t.get_text() for t in labels] == list(odd)  # as written, and never parsed as math
    assert not any(t.get_parse_math() for t in labels)


def test_html_in_english_and_without_charts(ledger: Ledger) -> None:
    english = build_report(ledger, lang="en")
    html = render(english, "html", include_charts=False).decode()
    assert '<html lang="en">' in html and "<svg" not in html and 'id="charts"' not in html
    assert "As of 12 May 2020" in html


# -- charts ----------------------------------------------------------------------------


def test_chart_data_comes_from_the_report(report: Report) -> None:
    found = {c.key: c for c in charts.report_charts(report)}
    by_category = next(b for b in report.breakdowns if b.by == "category")
    chart = found["issues-by-category"]
    assert chart.labels == tuple(r.label for r in by_category.rows)
    assert sum(chart.values) == by_category.total.value
    assert found["issue-status"].values == tuple(s.count for s in report.statuses)
    assert sum(found["outcomes-by-kind"].values) == len(report.ledger.outcomes)


def test_svg_is_deterministic_and_prefixed(report: Report) -> None:
    chart = charts.report_charts(report)[0]
    one, two = charts.to_svg(chart, "c1"), charts.to_svg(chart, "c1")
    assert one == two
    assert one.startswith("<svg ") and 'aria-label="问题分类"' in one
    assert all(i.startswith("c1-") for i in re.findall(r'id="([^"]+)"', one))
    assert "<metadata" not in one and "<!--" not in one
    figure = charts.draw(chart)
    assert figure.axes[0].get_title(loc="left") == "问题分类"


def test_importing_campaignkit_loads_no_plotting_or_excel_library() -> None:
    code = (
        "import sys, campaignkit, campaignkit.report.charts, campaignkit.workbook.excel, campaignkit.cli.app\n"
        "campaignkit.get_plugin_manager().report_formatters()\n"
        "print(sorted(m for m in ('matplotlib', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- xlsx ------------------------------------------------------------------------------


def test_xlsx_reopens_with_the_same_figures(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "hn.xlsx"
    path.write_bytes(render(report, "xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:5] == ["汇总表", "分类统计", "问题台账", "企业名录", "活动记录"]
    ws = wb["汇总表"]
    assert ws["A1"].value == report.title
    header = [c.value for c in ws[5]]
    assert header[0] == "小组"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=6) if r[0].value}
    total = rows["合计"]
    for i, column in enumerate(report.table.columns, start=1):
        assert Decimal(str(total[i].value)) == Decimal(
            report.table.total.values[column.metric] or 0
        )
    for row in report.table.rows:
        cells = rows[row.label]
        for i, column in enumerate(report.table.columns, start=1):
            assert Decimal(str(cells[i].value)) == Decimal(row.values[column.metric] or 0)


def test_xlsx_rates_and_shares_are_percentages(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "hn.xlsx"
    path.write_bytes(render(report, "xlsx"))
    sheet = openpyxl.load_workbook(path)["分类统计"]
    cells = {row[0].value: row[1:] for row in sheet.iter_rows() if row[0].value}
    rate = report.issue_figures["resolution_rate"]
    shown = cells[rate.label][0]  # among the counts: the fraction, shown as a percentage
    assert Decimal(str(shown.value)) == rate.value and shown.number_format.endswith("%")
    assert (
        cells[report.issue_figures["issues_collected"].label + "（个）"][0].number_format == "#,##0"
    )
    by_category = breakdown(report.context, "issues_collected", "category")
    top = by_category.rows[0]
    count, share = cells[top.label]
    assert count.value == top.result.value and count.number_format == "#,##0"
    assert by_category.total.value
    fraction = Decimal(top.result.value or 0) / Decimal(by_category.total.value)
    assert abs(Decimal(str(share.value)) - fraction) <= Decimal("0.00005")
    assert share.number_format.endswith("%")
    # the summary sheet by category: the rate column too, its header naming no unit
    path.write_bytes(render(report, "xlsx", by="category"))
    summary = openpyxl.load_workbook(path)["汇总表"]
    header = [c.value for c in summary[5]]
    rates = breakdown(report.context, "resolution_rate", "category")
    column = header.index(rates.total.label)
    row = next(r for r in summary.iter_rows(min_row=6) if r[0].value == rates.rows[0].label)
    assert Decimal(str(row[column].value)) == rates.rows[0].result.value
    assert row[column].number_format.endswith("%")


def test_xlsx_layout_of_every_sheet(report: Report, tmp_path: Path) -> None:
    """Styles, notes, drop-down lists, frozen panes and filters, as the workbook is streamed."""
    path = tmp_path / "hn.xlsx"
    path.write_bytes(render(report, "xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "汇总表",
        "分类统计",
        "问题台账",
        "企业名录",
        "活动记录",
        "成果",
        "选项",
    ]
    assert wb["选项"].sheet_state == "hidden"
    summary = wb["汇总表"]
    assert summary.freeze_panes == "B6"
    assert summary["A1"].font.b and summary["A1"].font.sz == 14
    assert summary["A4"].font.b and summary["A4"].font.sz == 12  # the table's title
    head = summary["A5"]
    assert head.font.b and head.fill.fgColor.rgb.endswith("DDEBF7")
    assert head.alignment.horizontal == "center" and head.alignment.wrap_text
    total_row = next(r for r in summary.iter_rows(min_row=6) if r[0].value == "合计")
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("F2F2F2") for c in total_row)
    assert summary.column_dimensions["A"].width == 16
    assert summary.column_dimensions["B"].width == 12
    issues = wb[ISSUES]
    count = len(report.ledger.issues)
    assert issues.freeze_panes == "B2"
    assert issues.auto_filter.ref == f"A1:{get_column_letter(issues.max_column)}{count + 1}"
    assert issues["A1"].comment is not None and issues["A1"].comment.text.startswith("必填。")
    lists = {str(dv.sqref): dv.formula1 for dv in issues.data_validations.dataValidation}
    assert lists and all(r.endswith(f"{max(count + 1, 2000)}") for r in lists)
    assert all(f.startswith("'选项'!$") for f in lists.values())
    dated = [c for row in issues.iter_rows(min_row=2) for c in row if isinstance(c.value, dt.date)]
    assert dated and all(c.number_format == "yyyy-mm-dd" for c in dated)
    options = wb["选项"]
    for formula in lists.values():  # each list's range holds exactly its values
        column, first, last = re.fullmatch(r"'选项'!\$(\w+)\$(\d+):\$\w+\$(\d+)", formula).groups()  # type: ignore[union-attr]
        assert options[f"{column}{int(last)}"].value is not None
        assert options[f"{column}{int(last) + 1}"].value is None
        assert int(first) == 2 and options[f"{column}1"].value


def test_xlsx_issue_ledger_sheet(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "hn.xlsx"
    path.write_bytes(render(report, "xlsx"))
    ws = openpyxl.load_workbook(path)[ISSUES]
    header = [c.value for c in ws[1]]
    assert header[:13] == [
        "序号", "企业名称", "统一社会信用代码", "所在县区", "问题类别", "问题描述", "反映渠道",
        "交办层级", "责任单位", "办理时限", "办理状态", "办理结果", "满意度",
    ]  # fmt: skip
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.ledger.issues)
    col = {h: header.index(h) for h in header}
    categories = [r[col["问题类别"]] for r in rows]
    labour = next(b for b in report.breakdowns if b.by == "category").rows[0]
    assert categories.count(labour.label) == labour.result.value
    states = [r[col["办理状态"]] for r in rows]
    for status in report.statuses:
        assert states.count(status.label) == status.count
    first = report.ledger.issues[0]
    ent = report.ledger.enterprise_index[first.enterprise or ""]
    assert rows[0][col["企业名称"]] == ent.name and rows[0][col["统一社会信用代码"]] == ent.uscc
    assert rows[0][col["问题描述"]] == first.description
    ratings = [r[col["满意度"]] for r in rows if r[col["满意度"]]]
    assert set(ratings) <= {"满意", "基本满意", "不满意"}
    assert len(ratings) == report.issue_figures["satisfaction_rate"].denominator


def test_a_format_declares_whether_it_is_held_to_the_time_limit() -> None:
    """No format is special because it is built in: each says whether it is cut short
    after the plugin time limit (``limited``). The built-in ones say no; a plugin's
    format that says no too is called as they are, its own errors reaching the caller."""
    from campaignkit.hooks.manager import new_plugin_manager
    from campaignkit.hooks.specs import hookimpl
    from campaignkit.report.build import build_report
    from campaignkit.report.build import render as render_report
    from campaignkit.rules.records import Label, ReportFormatter

    assert all(not f.limited for f in FORMATTERS)

    def slow_then_wrong(report: Any, options: Any) -> bytes:
        import time

        time.sleep(0.2)
        raise ValueError("no such table for this campaign type")

    class Plugin:
        @hookimpl
        def campaignkit_report_formatters(self) -> list[ReportFormatter]:
            label = Label("慢", "slow")
            return [
                ReportFormatter("slow", label, "txt", "text/plain", slow_then_wrong, limited=False),
                ReportFormatter("held", label, "txt", "text/plain", slow_then_wrong),
            ]

    pm = new_plugin_manager([Plugin()], entry_points=False, timeout=None)
    report = build_report(ck.load(HUAINAN), manager=pm)
    assert "held" in pm.report_formatters(report.context.campaign_type.key)  # gathered, kept
    pm.timeout = 0.001  # then the limit (gathering under it would race on a busy machine)
    with pytest.raises(ValueError, match="no such table"):
        render_report(report, "slow", manager=pm)  # not cut short, its own error
    with pytest.raises(ck.PluginError, match="did not finish"):
        render_report(report, "held", manager=pm)


def test_the_workbook_of_a_report_is_the_same_bytes_each_time() -> None:
    """Every moment a workbook holds is the report date (zip entries and document
    properties), never the time it was written: the same report, the same file."""
    import io
    import zipfile

    ledger = ck.load(HUAINAN)
    report = build_report(ledger)
    data = render(report, "xlsx")
    day = ledger.campaign.report_date
    assert day is not None
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert {i.date_time for i in book.infolist()} == {(day.year, day.month, day.day, 0, 0, 0)}
        core = book.read("docProps/core.xml").decode()
    assert core.count(f"{day.isoformat()}T00:00:00Z") == 2  # created and modified
    assert render(build_report(ledger), "xlsx") == data


def test_the_workbook_prints_on_a4_landscape_with_its_headers_on_every_page() -> None:
    import io

    openpyxl = pytest.importorskip("openpyxl")
    ledger = ck.load(HUAINAN)
    book = openpyxl.load_workbook(io.BytesIO(render(build_report(ledger), "xlsx")))
    for ws in book.worksheets[:5]:
        setup = ws.page_setup
        assert (str(setup.paperSize), setup.orientation) == ("9", "landscape"), ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    summary = book.worksheets[0]
    assert (summary.print_title_rows, summary.print_title_cols) == ("$5:$5", "$A:$A")
    label = ck.get_plugin_manager().campaign_type(ledger.campaign.type).metric("factor_funds")
    header = [c.value for c in summary[5]]
    column = next(n for n, h in enumerate(header) if h and h.startswith(label.label.zh))
    total = next(row for row in summary.iter_rows(min_row=6) if row[0].value == "合计")
    expected = ck.compute(ledger, "factor_funds").value
    # exact yuan in the cell, shown in 亿元 (7.50亿元) under the label alone
    assert total[column].value == expected and total[column].number_format == YI_YUAN
    assert header[column] == label.label.zh
    english = openpyxl.load_workbook(io.BytesIO(render(build_report(ledger, lang="en"), "xlsx")))
    assert english.worksheets[0].cell(total[column].row, column + 1).number_format == "#,##0"


@pytest.mark.parametrize(
    ("amounts", "shown"),
    [
        ([Decimal("750000000"), 0], YI_YUAN),
        ([Decimal("48600"), Decimal("1.5")], WAN_YUAN),
        ([500, None], None),
        ([], None),
    ],
)
def test_money_is_shown_in_wan_or_yi_by_its_largest_amount(
    amounts: list[object], shown: str | None
) -> None:
    assert money_format(amounts) == shown


@pytest.mark.parametrize("day", [dt.date(2120, 5, 12), dt.date(1975, 5, 12)])
def test_a_workbook_dated_beyond_what_a_zip_holds_is_written(day: dt.date) -> None:
    """A zip holds the years 1980 to 2107: its entries take the nearest date, the
    document's properties keep the report's own."""
    import io
    import zipfile

    from campaignkit.report.zipped import repeatable

    original = render(build_report(ck.load(HUAINAN)), "xlsx")
    data = repeatable(original, day)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        years = {i.date_time[0] for i in book.infolist()}
        core = book.read("docProps/core.xml").decode()
    assert years == {2107 if day.year > 2107 else 1980}
    assert f"{day.isoformat()}T00:00:00Z" in core


def test_the_outcome_counts_of_an_earlier_day_are_those_dated_by_it() -> None:
    """The report's outcomes by kind count the outcomes its day knows, as its figures do."""
    import datetime as dt
    from collections import Counter

    ledger = ck.load(HUAINAN)
    day = dt.date(2020, 5, 1)
    earlier = Counter(o.kind for o in ledger.outcomes if o.date <= day)
    assert 0 < sum(earlier.values()) < len(ledger.outcomes)
    report = build_report(ledger, as_of=day)
    assert {kind: n for kind, _, n in report.outcomes_by_kind} == dict(earlier)
    whole = build_report(ledger)
    assert sum(n for _, _, n in whole.outcomes_by_kind) == len(ledger.outcomes)


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_a_row_of_zero_amounts_still_shows_its_unit(fmt: str) -> None:
    ledger = ck.load(HUAINAN)
    report = build_report(ledger.replace(outcomes=()))
    shown = render(report, fmt).decode()
    for column in report.table.columns:
        if column.value_kind in ("yuan", "mu"):
            assert report.table.total.values[column.metric] == 0
            line = next(x for x in shown.splitlines() if x.lstrip("| ").startswith(column.label))
            assert f"0{column.unit}" in line, line
