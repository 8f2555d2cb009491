"""One self-contained HTML page: title, narrative, summary table, charts, breakdowns.

The page loads nothing: styles are inline, charts are inline SVG, and a
Content-Security-Policy forbids scripts and every external resource, so even
text that slipped past escaping could not run. Every record text is escaped
with :func:`~campaignkit.report.safety.escape_html`. Without matplotlib the
page shows its tables and says why the charts are missing; charts need no font
(their text is drawn by the browser).
"""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.report.build import Report
from campaignkit.report.safety import escape_html as esc
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
)
from campaignkit.report.text import long_date
from campaignkit.rules.records import RenderOptions

__all__ = ["CSP", "render_html"]

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
"""The page's Content-Security-Policy: no scripts, no external resources."""

_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"WenQuanYi Zen Hei",sans-serif;margin:0;color:#1f2328;background:#fff;line-height:1.6}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.25em;margin:32px 0 8px;border-bottom:1px solid #d0d7de}
h3{font-size:1.05em;margin:20px 0 6px}
.as-of{color:#59636e;margin:0}.note{color:#8a4600;background:#fff8e6;padding:8px 12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.9em;margin:4px 0 12px}
th,td{border:1px solid #d0d7de;padding:4px 8px}th{background:#f3f5f8;font-weight:600}
th[scope=row]{text-align:left;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td,tr.total th{font-weight:700;background:#f8f9fb}
.charts{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0;flex:1 1 420px;max-width:600px}figure svg{width:100%;height:auto}
figcaption{font-weight:600}
.grid{display:flex;flex-wrap:wrap;gap:8px 32px}
@page{size:A4;margin:14mm 12mm}
@page wide{size:A4 landscape;margin:12mm}
@media print{.scroll{overflow:visible}main{max-width:none;padding:0}
#summary{page:wide}
h2,h3,figcaption{break-after:avoid;page-break-after:avoid}
.charts{display:block}
figure{display:block;max-width:100%;margin:0 0 16px;break-inside:avoid;page-break-inside:avoid}
figure svg{max-height:120mm}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}}
"""

_WORDS = {
    "narrative": ("工作概况", "Overview"),
    "charts": ("图表", "Charts"),
    "details": ("问题与成果", "Issues and outcomes"),
    "as_of": ("截至", "As of"),
    "generated": (
        "本页由台账记录生成,所有数字均可追溯到记录。",
        "Every figure on this page is derived from the ledger's records.",
    ),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return en if lang == "en" else zh


def html_table(table: Table, lang: str, element_id: str | None = None) -> str:
    """A table as HTML, every text escaped; numbers right-aligned, the total row marked."""
    ident = f' id="{esc(element_id)}"' if element_id else ""
    head = "".join(f'<th scope="col">{esc(c.header())}</th>' for c in table.columns)
    lines = [
        f'<div class="scroll"><table{ident} data-table="{esc(table.key)}">',
        f'<thead><tr><th scope="col">{esc(table.head)}</th>{head}</tr></thead><tbody>',
    ]
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{esc(display(row.values.get(c.key), cell_kind(row, c), lang))}</td>'
            for c in table.columns
        )
        css = ' class="total"' if row.is_total else ""
        lines.append(f'<tr{css}><th scope="row">{esc(row.label)}</th>{cells}</tr>')
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def _charts(report: Report, redact: Redactor) -> Iterator[str]:
    from campaignkit.report.charts import ChartsUnavailable, report_charts, to_svg

    lang = report.lang
    charts = report_charts(report, redact)
    if not charts:
        return
    yield f'<section id="charts"><h2>{esc(_w("charts", lang))}</h2>'
    try:
        drawn = [(chart, to_svg(chart, f"chart{i + 1}")) for i, chart in enumerate(charts)]
    except ChartsUnavailable as exc:
        yield f'<p class="note" id="charts-unavailable">{esc(exc.reason.get(lang))}</p>'
    else:
        yield '<div class="charts">'
        for chart, svg in drawn:
            yield f'<figure data-chart="{esc(chart.key)}">'
            yield f"<figcaption>{esc(chart.title)}</figcaption>"
            yield svg
            yield "</figure>"
        yield "</div>"
    yield "</section>"


def render_html(report: Report, options: RenderOptions) -> bytes:
    """The report as one self-contained HTML page (UTF-8)."""
    redact = Redactor(options.show_personal)
    lang = report.lang
    title = esc(redact(report.title))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body><main>",
        f"<header><h1>{title}</h1>",
        f'<p class="as-of">{esc(_w("as_of", lang))} {esc(long_date(report.as_of, lang))}</p>',
        "</header>",
    ]
    if report.narrative:
        out.append(
            f'<section id="narrative"><h2>{esc(_w("narrative", lang))}</h2>'
            f"<p>{esc(redact(report.narrative))}</p></section>"
        )
    summary = main_table(report, options.by, redact)
    out.append(f'<section id="summary"><h2>{esc(summary.title)}</h2>')
    out.append(html_table(summary, lang, "summary-table"))
    out.append("</section>")
    if options.include_charts:
        out.extend(_charts(report, redact))
    details: list[Table] = []
    if report.issue_figures:
        details.append(issue_figure_table(report))
    details.extend(breakdown_tables(report, redact))
    if report.statuses:
        details.append(status_table(report))
    if report.outcomes_by_kind:
        details.append(outcome_table(report))
    if details:
        out.append(f'<section id="details"><h2>{esc(_w("details", lang))}</h2><div class="grid">')
        for table in details:
            out.append(f"<div><h3>{esc(table.title)}</h3>{html_table(table, lang)}</div>")
        out.append("</div></section>")
    out.append(f'<footer><p class="as-of">{esc(_w("generated", lang))}</p></footer>')
    out.append("</main></body></html>")
    return ("\n".join(out) + "\n").encode("utf-8")
