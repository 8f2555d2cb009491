"""The Huainan HTML report rendered in a real headless Chromium.

Skipped only when no Chromium is installed and ``CI`` is unset; on CI a
missing browser fails the run (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import campaignkit as ck
from campaignkit.report.build import build_report, render
from campaignkit.report.charts import report_charts

pytestmark = pytest.mark.browser

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
)
CHART_BLUE = (0x2F, 0x6F, 0xB0)


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI is set but no Chromium was found (.ci/run installs Debian's chromium)")
    pytest.skip("no Chromium installed (Debian: apt-get install chromium)")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    report = build_report(ck.load(HUAINAN))
    path = tmp_path_factory.mktemp("browser") / "huainan.html"
    path.write_bytes(render(report, "html"))
    return path


def _chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_rendered_dom_has_the_table_and_the_charts(
    chromium: str, page: Path, tmp_path: Path
) -> None:
    proc = _chromium(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    assert re.search(r'<html lang="zh-CN"', dom)
    start = dom.index('id="summary-table"')
    table = dom[start : dom.index("</table>", start)]
    # header, five teams, the group's own row, and the total
    assert table.count("<tr") == 8
    assert re.search(r'<tr class="total"><th scope="row">合计</th><td class="num">215</td>', table)
    charts = re.findall(r'<figure data-chart="([^"]+)">', dom)
    assert charts == ["issues-by-category", "issues-by-region", "issue-status", "outcomes-by-kind"]
    svgs = re.findall(r"<svg [^>]*aria-label=\"([^\"]+)\"", dom)
    assert svgs == ["问题分类", "问题分县区", "问题办理状态", "成果类别"]
    # the SVGs were parsed as SVG and closed: the sections after them are still there
    assert dom.count("<path") > 40  # bars, axes and ticks
    # the labels stay text for the browser to draw with its own CJK font
    texts = set(re.findall(r"<text\b[^>]*>([^<]*)</text>", dom))
    for chart in report_charts(build_report(ck.load(HUAINAN))):
        assert set(chart.labels) <= texts, chart.key
    assert 'id="details"' in dom[dom.rindex("</svg>") :]
    assert 'id="charts-unavailable"' not in dom


def test_the_screenshot_shows_the_charts(chromium: str, page: Path, tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    shot = tmp_path / "shot.png"
    proc = _chromium(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2400",
        page.as_uri(),
    )
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    picture = image.open(shot).convert("RGB")
    width, height = picture.size
    assert (width, height) == (1280, 2400)
    data = picture.tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    blue = sum(
        1 for p in pixels if all(abs(a - b) <= 8 for a, b in zip(p, CHART_BLUE, strict=True))
    )
    # the bars of four charts cover a visible area of the page
    assert blue > 20_000, blue


def test_printed_to_pdf_no_chart_is_parted_from_its_title(
    chromium: str, page: Path, tmp_path: Path
) -> None:
    """The report printed to PDF by Chromium: A4 pages, the wide summary table on landscape
    pages, and each chart on the page of its title (its labels are text on that page)."""
    pypdf = pytest.importorskip("pypdf")
    pdf = tmp_path / "report.pdf"
    proc = _chromium(
        chromium,
        tmp_path / "profile",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    )
    assert proc.returncode == 0 and pdf.exists(), proc.stderr[-2000:]
    reader = pypdf.PdfReader(str(pdf))
    # NFKC: the extracted text may spell ideographs as their Kangxi radicals (⼯ for 工)
    texts = [
        " ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split())
        for p in reader.pages
    ]
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    a4 = {(595.0, 842.0), (842.0, 595.0)}
    assert {(round(w), round(h)) for w, h in sizes} <= {(round(w), round(h)) for w, h in a4}
    report = build_report(ck.load(HUAINAN))
    landscape = [n for n, (w, h) in enumerate(sizes) if w > h]
    summary = next(n for n, t in enumerate(texts) if report.table.title in t)
    assert summary in landscape, "the wide summary table prints on landscape pages"
    assert len(landscape) < len(sizes)  # the rest is portrait
    charts = report_charts(report)
    assert charts
    for chart in charts:
        on = [n for n, t in enumerate(texts) if chart.title in t]
        assert on, f"{chart.title} is not in the PDF"
        text = texts[on[0]]
        after = text[text.index(chart.title) :]
        missing = [label for label in chart.labels if label not in after]
        assert not missing, f"{chart.title}: on page {on[0] + 1} without {missing}"
