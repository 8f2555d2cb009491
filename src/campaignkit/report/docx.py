"""The Word report (``.docx``): the headline paragraph and the 汇总表 in the layout of
official documents (党政机关公文格式, GB/T 9704-2012).

- Paper A4 (210 × 297 mm); margins 37 mm top and 28 mm left, so the text block is
  156 × 225 mm (26 mm right, 35 mm bottom).
- The title in 2号 (22 pt) 方正小标宋简体, centred; headings in 3号 黑体; body text in 3号
  (16 pt) 仿宋_GB2312, first line indented two characters, 28.95 pt lines (22 lines a
  page). The font names are set for Chinese text (``w:eastAsia``) whether or not the fonts
  are installed where the document is made: Word uses them where they are.
- The 汇总表 on a landscape A4 section of its own (it is wide), 4号 (14 pt) headings and
  5号 (10.5 pt) cells in 仿宋_GB2312, the header row repeated on every page.

Needs the ``word`` extra (python-docx), imported when a document is made.
"""

from __future__ import annotations

import io
from typing import Any

from campaignkit.errors import CampaignkitError
from campaignkit.report.build import Report
from campaignkit.report.tables import Redactor, cell_kind, display, main_table
from campaignkit.report.text import long_date
from campaignkit.report.zipped import repeatable
from campaignkit.rules.records import RenderOptions

__all__ = ["BODY_FONT", "HEADING_FONT", "TITLE_FONT", "render_docx"]

TITLE_FONT = "方正小标宋简体"
"""The title's font (2号, 22 pt)."""
HEADING_FONT = "黑体"
"""The headings' font (3号, 16 pt)."""
BODY_FONT = "仿宋_GB2312"
"""The body's font (3号, 16 pt) and the table's."""

_MM = 36000  # EMU per millimetre


def _require() -> Any:
    try:
        import docx
    except ImportError:
        raise CampaignkitError(
            "Word documents need python-docx: pip install 'campaignkit[word]'"
        ) from None
    return docx


def _font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    """``run`` in ``name`` at ``size`` points, for Latin and Chinese text alike."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _page(section: Any, *, landscape: bool) -> None:
    """A4 with the margins of GB/T 9704 (turned for a landscape page)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Emu

    wide, tall = 297 * _MM, 210 * _MM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Emu(wide), Emu(tall)
        section.top_margin, section.bottom_margin = Emu(28 * _MM), Emu(26 * _MM)
        section.left_margin, section.right_margin = Emu(37 * _MM), Emu(35 * _MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Emu(tall), Emu(wide)
        section.top_margin, section.bottom_margin = Emu(37 * _MM), Emu(35 * _MM)
        section.left_margin, section.right_margin = Emu(28 * _MM), Emu(26 * _MM)


def render_docx(report: Report, options: RenderOptions) -> bytes:
    """The Word report: title, date, the headline paragraph, then the 汇总表 (by team or
    county) on a landscape page."""
    docx = _require()
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    redact = Redactor(options.show_personal)
    lang = report.lang
    document = docx.Document()
    _page(document.sections[0], landscape=False)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(redact(report.title)), TITLE_FONT, 22)
    dated = document.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    as_of = ("As of " if lang == "en" else "截至") + long_date(report.as_of, lang)
    _font(dated.add_run(as_of), BODY_FONT, 16)

    heading = document.add_paragraph()
    _font(heading.add_run("Overview" if lang == "en" else "一、工作概况"), HEADING_FONT, 16)
    for text in filter(None, report.narrative.split("\n")):
        para = document.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(32)  # two characters of 3号
        para.paragraph_format.line_spacing = Pt(28.95)
        _font(para.add_run(redact(text)), BODY_FONT, 16)

    table = main_table(report, options.by, redact)
    section = document.add_section()
    _page(section, landscape=True)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(table.title), HEADING_FONT, 16)
    grid = document.add_table(rows=1, cols=len(table.columns) + 1)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")  # the header row on every page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(
        header.cells, [table.head, *(c.header() for c in table.columns)], strict=True
    ):
        _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5, bold=True)
    for row in table.rows:
        cells = grid.add_row().cells
        _font(cells[0].paragraphs[0].add_run(row.label), BODY_FONT, 10.5, bold=row.is_total)
        for cell, column in zip(cells[1:], table.columns, strict=True):
            shown = display(row.values.get(column.key), cell_kind(row, column), lang)
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(para.add_run(shown), BODY_FONT, 10.5, bold=row.is_total)

    props = document.core_properties
    props.author = "campaignkit"
    props.title = redact(report.title)  # as the body shows it (File → Properties)
    buffer = io.BytesIO()
    document.save(buffer)
    return repeatable(buffer.getvalue(), report.as_of)
