"""Charts of a report: issues by category and by region, issue status, outcomes by kind.

The chart *data* (:func:`report_charts`) is plain and always available. The
drawing needs matplotlib, the optional ``charts`` extra
(``pip install 'campaignkit[charts]'``); it is imported only when a chart is
drawn, so ``import campaignkit`` never loads it. Charts are drawn without
pyplot and with matplotlib's settings changed only inside
``matplotlib.rc_context`` (no global state). The SVG of the HTML report keeps
its text as text (``svg.fonttype: none``) with a CJK font list, so the
browser that shows the page draws the Chinese labels with its own fonts:
drawing needs no font, and the SVG is the same on every machine, because its
layout is computed from the labels' lengths rather than from the fonts found
where it is drawn. Labels are plain text, never mathtext (``$x$`` stays
``$x$``). A :class:`~matplotlib.figure.Figure` from :func:`draw`, shown as a
picture in a notebook, needs a CJK font on that machine (Debian:
``fonts-noto-cjk`` or ``fonts-wqy-zenhei``); :func:`cjk_font` finds one. When
matplotlib is missing, :class:`ChartsUnavailable` says so in both languages
and the HTML report shows its tables only, with that reason.
"""

from __future__ import annotations

import glob
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from attrs import frozen

from campaignkit.errors import CampaignkitError
from campaignkit.rules.records import Label

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

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
_FAMILY = re.compile(r"font-family: [^;\"]*(?:; )?")
_CSS_FAMILIES = ", ".join([*(f"'{name}'" for name in CJK_FONT_FAMILIES), "sans-serif"])


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
                "未安装 matplotlib，图表未生成（pip install 'campaignkit[charts]'）",
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


# Layout, in points (the SVG's units): sizes of text and the gaps around the axes.
_LABEL_PT = 10.0
_TITLE_PT = 12.0
_WIDTH_IN = 6.4
_MIN_AXES_IN = 3.6
_GAP_PT = 6.0
_TICK_PT = 3.5 + 3.5  # tick length and the gap to its label
_NARROW_EM = 0.62  # generous width of a Latin letter or digit in a sans-serif font
_MISSING_GLYPH = r"Glyph \d+ .* missing from font"


def _text_width(text: str, size: float) -> float:
    """The width of ``text`` in points at ``size``, as a browser's sans-serif would draw it.

    Wide characters (Chinese, full-width punctuation) are one em; others a
    generous average. Computed, not measured, so the layout does not depend on
    the fonts of the machine that draws.
    """
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else _NARROW_EM for c in text)
    return ems * size


def _literal(texts: Iterable[Text]) -> None:
    """Make matplotlib show each of ``texts`` as written: never as mathtext (a ``$`` in a
    label would start it, and a label such as ``$\\undefined$`` would fail to draw)."""
    for text in texts:
        text.set_parse_math(False)


def _font_family() -> list[str]:
    family = cjk_font()
    return [family, "DejaVu Sans"] if family else ["DejaVu Sans"]


def draw(chart: Chart) -> Figure:
    """The chart as a matplotlib Figure (horizontal bars, largest first in ledger order).

    Raises :class:`ChartsUnavailable` without matplotlib. The Figure uses a
    CJK font when :func:`cjk_font` finds one; without one, a picture of it
    (PNG, a notebook's output) shows boxes for Chinese characters and
    matplotlib warns, while its SVG with ``svg.fonttype: none`` still shows
    them in a browser. Use it in notebooks; the HTML report uses :func:`to_svg`.
    """
    _matplotlib()
    import matplotlib

    with matplotlib.rc_context({"font.family": _font_family(), "text.usetex": False}):
        return _draw(chart)


def _draw(chart: Chart, title: bool = True) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = list(chart.labels)
    label_pt = max((_text_width(label, _LABEL_PT) for label in chart.labels), default=0.0)
    left_pt = _GAP_PT + label_pt + _TICK_PT
    right_pt = _GAP_PT * 2
    width_in = max(_WIDTH_IN, (left_pt + right_pt) / 72 + _MIN_AXES_IN)
    top_pt = _GAP_PT + (_TITLE_PT * 1.2 + _GAP_PT if title else _LABEL_PT / 2)
    bottom_pt = _GAP_PT + _LABEL_PT * 1.2 + _TICK_PT
    height_in = (top_pt + bottom_pt) / 72 + 0.38 * len(chart.values)
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    width_pt, height_pt = width_in * 72, height_in * 72
    fig.subplots_adjust(
        left=left_pt / width_pt,
        right=1 - right_pt / width_pt,
        top=1 - top_pt / height_pt,
        bottom=bottom_pt / height_pt,
    )
    ax = fig.add_subplot()
    positions = list(range(len(chart.values)))
    bars = ax.barh(positions, chart.values, color=_COLOR)
    ax.set_yticks(positions, labels=labels)
    _literal(ax.get_yticklabels())
    ax.tick_params(labelsize=_LABEL_PT)
    ax.invert_yaxis()
    ax.bar_label(bars, padding=3, fontsize=_LABEL_PT)
    if title:
        _literal([ax.set_title(chart.title, loc="left", fontsize=_TITLE_PT)])
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(chart.values) * 1.15 + 0.5)
    return fig


def to_svg(chart: Chart, id_prefix: str | None = None, *, title: bool = False) -> str:
    """The chart as an inline ``<svg>`` element for HTML.

    The title is left to the page (a ``<figcaption>``) unless ``title`` is set;
    it is always the SVG's ``<title>`` and ``aria-label``.
    Text stays text (``<text>`` elements in :data:`CJK_FONT_FAMILIES`, then
    ``sans-serif``, named once on the ``<svg>``), so the browser draws it and
    drawing needs no font here;
    comments, metadata and the XML prolog are removed; every id is prefixed
    (``id_prefix``, default the chart key) so several charts can share one
    page. Deterministic: the same chart gives the same SVG on every machine.
    """
    _matplotlib()
    import io
    import warnings

    import matplotlib

    prefix = id_prefix or chart.key
    settings = matplotlib.rc_context(
        {
            "font.family": ["DejaVu Sans"],  # matplotlib's own font, found everywhere
            "svg.fonttype": "none",
            "svg.hashsalt": prefix,
            "text.usetex": False,
        }
    )
    with settings, warnings.catch_warnings():
        # Chinese glyphs are missing from DejaVu Sans; the browser has them.
        warnings.filterwarnings("ignore", _MISSING_GLYPH, UserWarning)
        fig = _draw(chart, title)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = _FAMILY.sub("", svg)  # every text in the fonts named once, on the <svg>
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _HREF.sub(lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    from campaignkit.report.safety import escape_html

    label = escape_html(chart.title)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" class="chart" style="font-family: {_CSS_FAMILIES}" ',
        1,
    )
    head_end = svg.index(">") + 1
    svg = svg[:head_end] + f"<title>{label}</title>" + svg[head_end:]
    return re.sub(r"\n\s*\n", "\n", svg).strip() + "\n"
