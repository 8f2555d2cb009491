"""One line wrapper for Chinese and English text, used by the help and the text report."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from campaignkit.cli.helptext import wrap as help_wrap
from campaignkit.i18n.text import CLOSING, OPENING, display_width, wrap
from campaignkit.report.text import wrap as report_wrap

TEXT = "截至5月12日,工作组共走访企业215家,收集问题217个,已办结129个。“四送一服”专项行动 campaignkit report"


def test_the_help_and_the_report_wrap_alike() -> None:
    assert help_wrap is wrap
    assert report_wrap(TEXT, 20) == wrap(TEXT, 20)
    assert report_wrap(TEXT) == wrap(TEXT, 80)


def test_lines_fit_and_no_line_starts_with_closing_or_ends_with_opening() -> None:
    for width in (6, 10, 17, 24, 40):
        lines = wrap(TEXT, width)
        assert "".join(lines).replace(" ", "") == TEXT.replace(" ", "")
        for line in lines:
            assert display_width(line) <= width or " " not in line
            assert line[0] not in CLOSING
            assert line[-1] not in OPENING


def test_latin_words_are_not_cut() -> None:
    lines = wrap("campaignkit report examples/huainan-2020/ledger.json", 12)
    assert lines == ["campaignkit", "report", "examples/huainan-2020/ledger.json"]


@given(st.text(alphabet="ab 中文,。“”()x1", max_size=60), st.integers(2, 30))
def test_nothing_is_lost_but_spaces(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line == line.strip() for line in lines)
