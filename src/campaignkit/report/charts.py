"""Charts of a report: issues by category and by region, issue status, outcomes by kind.

The chart *data* (:func:`report_charts`) is plain and always available. The
drawing needs matplotlib, the optional ``charts`` extra
(``pip install 'campaignkit[charts]'``); it is imported only when a chart is
drawn, so ``import campaignkit`` never loads it. Charts are drawn without
pyplot (no global state) as SVG with text turned into paths, so the SVG
shows the same everywhere without fonts; Chinese labels need a CJK font on
the machine that draws them (Debian: ``fonts-noto-cjk`` or
``fonts-wqy-zenhei``). When matplotlib or the font is missing,
:class:`ChartsUnavailable` says so in both languages and the HTML report
shows its tables only, with that reason.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from attrs import frozen

from campaignkit.errors import CampaignkitError
from campaignkit.rules.records import Label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from campaignkit.report.build import Report

__all__ = [
    "CJK_FONT_FAMILIES",
    "Chart",
    "ChartsUnavailable",
    "cjk_font",
    "draw",
    "report_charts",
    "to_svg",
]

CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
)
"""Font families tried, in order, for Chinese labels."""

_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK*.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/**/NotoSansCJK*",
)
_COLOR = "#2f6fb0"
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")


class ChartsUnavailable(CampaignkitError):
    """Charts cannot be drawn here; ``reason`` says why, in Chinese and English."""

    def __init__(self, reason: Label) -> None:
        self.reason = reason
        super().__init__(reason.en)


@frozen
class Chart:
    """What one chart shows: a title and a count per label."""

    key: str
    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]


def report_charts(report: Report, redact: Callable[[str], str] = lambda s: s) -> tuple[Chart, ...]:
    """The charts of a report that have something to show (record text through ``redact``)."""
    en = report.lang == "en"
    charts: list[Chart] = []
    titles = {
        "category": "Issues by category" if en else "问题分类",
        "region": "Issues by county/district" if en else "问题分县区",
    }
    for bd in report.breakdowns:
        if bd.metric == "issues_collected" and bd.by in titles:
            rows = [r for r in bd.rows if isinstance(r.result.value, int) and r.result.value]
            charts.append(
                Chart(
                    f"issues-by-{bd.by}",
                    titles[bd.by],
                    tuple(redact(r.label) for r in rows),
                    tuple(int(r.result.value or 0) for r in rows),
                )
            )
    if report.statuses:
        charts.append(
            Chart(
                "issue-status",
                "Issue status" if en else "问题办理状态",
                tuple(s.label for s in report.statuses),
                tuple(s.count for s in report.statuses),
            )
        )
    if report.outcomes_by_kind:
        charts.append(
            Chart(
                "outcomes-by-kind",
                "Outcomes by kind" if en else "成果类别",
                tuple(label for _, label, _ in report.outcomes_by_kind),
                tuple(n for _, _, n in report.outcomes_by_kind),
            )
        )
    return tuple(c for c in charts if c.values)


def _matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ChartsUnavailable(
            Label(
                "未安装 matplotlib,图表未生成(pip install 'campaignkit[charts]')",
                "matplotlib is not installed, so no charts (pip install 'campaignkit[charts]')",
            )
        ) from None


def cjk_font() -> str | None:
    """The name of a font family with Chinese glyphs known to matplotlib, or None.

    Fonts installed after matplotlib built its font cache are found by path
    and added.
    """
    _matplotlib()
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in CJK_FONT_FAMILIES if n in names), None)

    found = known()
    if found is None:
        for pattern in _FONT_FILES:
            for path in sorted(glob.glob(pattern, recursive=True)):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = known()
    return found


def _needs_cjk(chart: Chart) -> bool:
    return any(not text.isascii() for text in (chart.title, *chart.labels))


def _font(charts: Sequence[Chart]) -> list[str]:
    if not any(_needs_cjk(c) for c in charts):
        return ["DejaVu Sans"]
    family = cjk_font()
    if family is None:
        raise ChartsUnavailable(
            Label(
                "未找到中文字体,图表未生成(Debian/Ubuntu: apt-get install fonts-noto-cjk)",
                "no CJK font found, so no charts (Debian/Ubuntu: apt-get install fonts-noto-cjk)",
            )
        )
    return [family, "DejaVu Sans"]


def draw(chart: Chart) -> Figure:
    """The chart as a matplotlib Figure (horizontal bars, largest first in ledger order).

    Raises :class:`ChartsUnavailable` without matplotlib or, for Chinese text,
    without a CJK font. Use it in notebooks; the HTML report uses :func:`to_svg`.
    """
    _matplotlib()
    import matplotlib

    with matplotlib.rc_context({"font.family": _font([chart]), "svg.fonttype": "path"}):
        return _draw(chart)


def _draw(chart: Chart, title: bool = True) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    height = (1.2 if title else 0.9) + 0.38 * len(chart.values)
    fig = Figure(figsize=(6.4, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    positions = list(range(len(chart.values)))
    bars = ax.barh(positions, chart.values, color=_COLOR)
    ax.set_yticks(positions, labels=list(chart.labels))
    ax.invert_yaxis()
    ax.bar_label(bars, padding=3)
    if title:
        ax.set_title(chart.title, loc="left", fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(chart.values) * 1.15 + 0.5)
    return fig


def to_svg(chart: Chart, id_prefix: str | None = None, *, title: bool = False) -> str:
    """The chart as an inline ``<svg>`` element for HTML.

    The title is left to the page (a ``<figcaption>``) unless ``title`` is set;
    it is always the SVG's ``<title>`` and ``aria-label``.
    Text is drawn as paths; comments, metadata and the XML prolog are removed;
    every id is prefixed (``id_prefix``, default the chart key) so several
    charts can share one page. Deterministic: the same chart gives the same SVG.
    """
    _matplotlib()
    import io

    import matplotlib

    prefix = id_prefix or chart.key
    family = _font([chart])
    with matplotlib.rc_context(
        {"font.family": family, "svg.fonttype": "path", "svg.hashsalt": prefix}
    ):
        fig = _draw(chart, title)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _HREF.sub(lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    from campaignkit.report.safety import escape_html

    label = escape_html(chart.title)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)
    head_end = svg.index(">") + 1
    svg = svg[:head_end] + f"<title>{label}</title>" + svg[head_end:]
    return re.sub(r"\n\s*\n", "\n", svg).strip() + "\n"
