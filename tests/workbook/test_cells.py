"""Cells as staff type them: Chinese labels for every choice, counts with their unit, codes
as text, and every problem of a workbook in one pass, in Chinese by default."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import campaignkit as ck
from campaignkit.errors import LedgerError
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.report.build import build_report, render
from campaignkit.rules.records import Label
from campaignkit.workbook.excel import import_workbook, write_template
from campaignkit.workbook.sheets import (
    ACTIVITIES,
    ENTERPRISES,
    ISSUES,
    LISTS,
    OUTCOMES,
    RECORD_SHEETS,
    layouts,
)
from tests.conftest import uscc
from tests.workbook.books import all_worded_in_both, book, empty_base, fill, problems

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _lists(path: Path) -> dict[str, list[Any]]:
    ws = openpyxl.load_workbook(path)[LISTS]
    return {
        str(ws.cell(1, c).value): [
            v for v in (ws.cell(r, c).value for r in range(2, ws.max_row + 1)) if v
        ]
        for c in range(1, ws.max_column + 1)
    }


# -- Chinese labels for every enumerated field ----------------------------------------


def test_every_choice_list_of_the_template_offers_chinese_labels(tmp_path: Path) -> None:
    lists = _lists(write_template(tmp_path / "t.xlsx", base=empty_base()))
    assert lists["extra:activity:media_level"] == ["国家级", "省级", "市级", "县级"]
    assert lists["outcome_statuses"] == ["意向", "洽谈中", "已签约", "已落地", "已取消"]
    assert lists["outcome_kinds"][:2] == ["土地指标", "银企对接融资"]
    ascii_only = [
        (name, value)
        for name, values in lists.items()
        if name not in ("regions", "teams")
        for value in values
        if str(value).isascii()
    ]
    assert ascii_only == []  # no key such as 'provincial' in any drop-down


def test_the_export_writes_labels_and_the_import_takes_labels_and_keys(tmp_path: Path) -> None:
    huainan = ck.load(HUAINAN)
    path = tmp_path / "hn.xlsx"
    path.write_bytes(render(build_report(huainan), "xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[ACTIVITIES]
    column = [c.value for c in ws[1]].index("媒体级别") + 1
    shown = {ws.cell(r, column).value for r in range(2, ws.max_row + 1)} - {None}
    assert shown == {"国家级", "省级", "市级", "县级"}
    assert import_workbook(path, huainan).ledger == huainan
    base = empty_base()
    rows = [
        {"序号": n, "活动类型": "媒体报道", "日期": date(2020, 4, 20), "媒体级别": level}
        for n, level in enumerate(("省级", "provincial", "Provincial", " 国家级 "), start=1)
    ]
    ledger = import_workbook(book(tmp_path / "m.xlsx", base, {ACTIVITIES: rows}), base).ledger
    assert [a.extra["media_level"] for a in ledger.activities] == [
        "provincial",
        "provincial",
        "provincial",
        "national",
    ]
    assert ck.compute(ledger, "media_reports").value == 4
    fill(path := tmp_path / "m.xlsx", ACTIVITIES, [{"媒体级别": "央级"}])
    with pytest.raises(LedgerError) as exc:
        import_workbook(path, base)
    assert problems(exc.value) == [
        "活动记录!O2: 媒体级别: 应为 国家级、省级、市级、县级 之一，实际是'央级'"
    ]


# -- counts with their unit -------------------------------------------------------------


def test_a_count_may_carry_its_own_unit(tmp_path: Path) -> None:
    base = empty_base()
    rows = [
        {"序号": 1, "活动类型": "发放政策材料", "日期": date(2020, 4, 16), "发放份数": "300份"},
        {"序号": 2, "活动类型": "座谈会", "日期": date(2020, 4, 16), "参加企业数": "12家", "机关干部人数": "23名"},
        {"序号": 3, "活动类型": "集中交办会", "日期": date(2020, 4, 17), "参加企业数": "1,200 家", "机关干部人数": "5人"},
    ]  # fmt: skip
    ledger = import_workbook(book(tmp_path / "u.xlsx", base, {ACTIVITIES: rows}), base).ledger
    a1, a2, a3 = ledger.activities
    assert a1.figures == {"copies": 300}
    assert (a2.enterprise_count, a2.officials) == (12, 23)
    assert (a3.enterprise_count, a3.officials) == (1200, 5)
    assert ck.compute(ledger, "materials_distributed").value == 300


def test_a_count_in_another_unit_is_refused_naming_the_columns(tmp_path: Path) -> None:
    base = empty_base()
    rows = [
        {"序号": 1, "活动类型": "发放政策材料", "日期": date(2020, 4, 16), "发放份数": "300家"},
        {"序号": 2, "活动类型": "座谈会", "日期": date(2020, 4, 16), "参加企业数": "12个", "机关干部人数": "很多人"},
        {"序号": "3号", "活动类型": "座谈会", "日期": date(2020, 4, 16)},
    ]  # fmt: skip
    with pytest.raises(LedgerError) as exc:
        import_workbook(book(tmp_path / "u.xlsx", base, {ACTIVITIES: rows}), base)
    assert problems(exc.value) == [
        "活动记录!M2: 发放份数: '300家' 的单位不对：这一列以“份”计",
        "活动记录!J3: 参加企业数: '12个' 的单位不对：这一列以“家”计",
        "活动记录!K3: 机关干部人数: 应为整数，如 300 或 300人，实际是 '很多人'",
        "活动记录!A4: 序号: 应为整数，实际是 '3号'",
    ]
    assert problems(exc.value, "en")[0] == (
        "活动记录!M2: 发放份数: '300家' is in another unit: this column counts in 份"
    )
    all_worded_in_both(exc.value.problems)


# -- the code column ----------------------------------------------------------------------


def test_the_code_columns_are_text_in_the_template_and_the_report(tmp_path: Path) -> None:
    base = empty_base()
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", base=base))
    for sheet in (ENTERPRISES, ISSUES):
        headers = [c.value for c in wb[sheet][1]]
        letter = get_column_letter(headers.index("统一社会信用代码") + 1)
        assert wb[sheet].column_dimensions[letter].number_format == "@", sheet
    path = tmp_path / "hn.xlsx"
    path.write_bytes(render(build_report(ck.load(HUAINAN)), "xlsx"))
    ws = openpyxl.load_workbook(path)[ENTERPRISES]
    assert ws["D2"].number_format == "@" and isinstance(ws["D2"].value, str)


def test_a_code_typed_as_a_number_is_reported_as_such(tmp_path: Path) -> None:
    base = empty_base()
    rows = {
        ENTERPRISES: [
            {"序号": 1, "企业名称": "甲公司", "统一社会信用代码": 913401001234567890, "所在县区": "大通区"},
            {"序号": 2, "企业名称": "乙公司", "统一社会信用代码": 9.13401001234568e17, "所在县区": "大通区"},
        ],
        ISSUES: [
            {"序号": 1, "企业名称": "甲公司", "问题类别": "用工", "问题描述": "x", "反映渠道": "走访", "反映日期": date(2020, 4, 13)},
        ],
    }  # fmt: skip
    with pytest.raises(LedgerError) as exc:
        import_workbook(book(tmp_path / "n.xlsx", base, rows), base)
    found = problems(exc.value)
    assert len(found) == 2  # the issue naming 甲公司 adds nothing: its row says it all
    assert all(p.startswith("企业名录!D") for p in found)
    assert found[1] == (
        "企业名录!D3: 统一社会信用代码: 是数字格式（9.13401001234568e+17）：Excel 的数字只保留"
        " 15 位有效数字，代码可能已丢了位数；请把这一列设为文本格式后重新输入代码"
    )
    assert "check character" not in "\n".join(problems(exc.value, "en"))
    assert "typed as a number" in problems(exc.value, "en")[0]


# -- every problem in one pass ---------------------------------------------------------


BAD: dict[str, list[dict[str, Any]]] = {
    ENTERPRISES: [
        {"序号": 1, "企业名称": "甲公司", "统一社会信用代码": 913401001234567890, "所在县区": "大通区"},
        {"序号": 2, "企业名称": "乙公司", "统一社会信用代码": uscc(2), "所在县区": "田家庵区"},
    ],
    ACTIVITIES: [
        {"序号": 1, "活动类型": "发放政策材料", "日期": date(2020, 4, 13), "发放份数": "300家"},
        {"序号": 2, "活动类型": "座谈会", "日期": date(2020, 4, 13), "参加企业": "甲公司、乙公司", "参加企业数": "12家"},
        {"序号": 3, "活动类型": "媒体报道", "日期": date(2020, 4, 13), "媒体级别": "省级", "所属小组": "第一小组"},
    ],
    ISSUES: [
        {"序号": 1, "问题描述": "招工难", "反映渠道": "走访", "反映日期": date(2020, 4, 13), "交办层级": "县区", "责任单位": "区人社局", "办理状态": "已交办"},
        {"序号": 2, "问题类别": "融资", "问题描述": "续贷", "反映渠道": "走访", "反映日期": date(2020, 4, 14), "来源活动": "A-404"},
        {"序号": 3, "企业名称": "甲公司", "问题类别": "融资", "问题描述": "贷款贵", "反映渠道": "走访", "反映日期": date(2020, 4, 14)},
    ],
    OUTCOMES: [
        {"序号": 1, "成果类别": "银企对接融资", "状态": "已签约", "日期": date(2020, 4, 20), "金额（元）": "1.5亿美元"},
        {"序号": 2, "成果类别": "土地指标", "状态": "签了", "日期": date(2020, 4, 20), "土地（亩）": "852亩"},
    ],
}  # fmt: skip

FIXES: dict[tuple[str, str], Any] = {
    (ENTERPRISES, "D2"): uscc(1),
    (ACTIVITIES, "M2"): "300份",
    (ACTIVITIES, "E4"): "第一小组",
    (ISSUES, "E2"): "用工",
    (ISSUES, "T3"): None,
    (ISSUES, "Z1"): None,
    (OUTCOMES, "H2"): "1.5亿",
    (OUTCOMES, "D3"): "已签约",
}
"""What fixes each problem the bad workbook has (the merged cells are unmerged too)."""


def _bad_book(path: Path) -> Path:
    book(path, empty_base(), BAD)
    wb = openpyxl.load_workbook(path)
    wb[ISSUES].merge_cells("H2:I2")  # 交办层级 over 责任单位: the unit is hidden
    wb[ISSUES]["Z1"] = "备注2"  # a column the layout does not have
    wb[ACTIVITIES]["E4"] = "=B1"  # a formula where the team goes
    wb.save(path)
    return path


def test_every_problem_of_a_workbook_comes_in_one_pass(tmp_path: Path) -> None:
    base = empty_base()
    path = _bad_book(tmp_path / "bad.xlsx")
    with pytest.raises(LedgerError) as exc:
        import_workbook(path, base)
    found = problems(exc.value)
    assert [p.split(": ")[0] for p in found] == [
        "问题台账!Z1",  # structure: an unknown column …
        "问题台账!E2",  # … does not hide a blank required category
        "问题台账!H2:I2",  # merged cells
        "问题台账!T3",  # a ledger check (the activity does not exist)
        "企业名录!D2",  # a code typed as a number
        "活动记录!M2",  # a count in another unit
        "活动记录!E4",  # a formula
        "成果!H2",  # an amount in another currency
        "成果!D3",  # an unknown status
    ]
    assert found[1] == "问题台账!E2: 问题类别: 必填"
    assert found[3] == "问题台账!T3: 来源活动: 未知的活动 'A-404'"
    all_worded_in_both(exc.value.problems)
    # fixing what was listed is all it takes: nothing new comes up
    wb = openpyxl.load_workbook(path)
    wb[ISSUES].unmerge_cells("H2:I2")
    wb[ISSUES]["I2"] = "区人社局"
    for (sheet, cell), value in FIXES.items():
        wb[sheet][cell] = value
    wb.save(path)
    result = import_workbook(path, base)
    assert result.added == {"enterprises": 2, "activities": 3, "issues": 3, "outcomes": 2}
    assert ck.validate(result.ledger) == []


def test_record_sheets_are_read_in_order_and_the_layouts_match(tmp_path: Path) -> None:
    ctype = get_plugin_manager().campaign_type("sisong-yifu")
    assert tuple(layouts(ctype)) == (ENTERPRISES, ACTIVITIES, ISSUES, OUTCOMES) == RECORD_SHEETS
    headers = layouts(ctype)[OUTCOMES].headers
    assert headers[:5] == ("序号", "成果编号", "成果类别", "状态", "日期")
    assert "金额（元）" in headers and "土地（亩）" in headers


def test_a_label_for_a_choice_the_attribute_lacks_is_a_problem_of_the_type() -> None:
    ctype = get_plugin_manager().campaign_type("sisong-yifu")
    media = next(a for a in ctype.extra_attributes if a.name == "media_level")
    assert media.choice_label("provincial") == "省级"
    assert media.choice_label("provincial", "en") == "provincial"
    wrong = attrs.evolve(
        media, choice_labels=(*media.choice_labels, ("central", Label("中央级", "central")))
    )
    others = tuple(a for a in ctype.extra_attributes if a is not media)
    assert attrs.evolve(ctype, extra_attributes=(wrong, *others)).problems() == (
        "extra attribute activity.media_level: label for unknown choice 'central'",
    )


def test_a_merge_over_two_rows_is_one_problem_and_hides_nothing_else(tmp_path: Path) -> None:
    base = empty_base()
    row = {"问题描述": "x", "反映渠道": "走访", "反映日期": date(2020, 4, 13)}
    rows = {ISSUES: [{"序号": 1, "问题类别": "用工", **row}, {"序号": 2, **row}]}
    path = book(tmp_path / "merged.xlsx", base, rows)
    wb = openpyxl.load_workbook(path)
    wb[ISSUES].merge_cells("E2:E3")  # one category written for two issues
    wb[ISSUES].merge_cells("V4:V5")  # below the rows: nothing but the merge
    wb[ISSUES].merge_cells("S1:T1")  # 所属小组 over 来源活动: that header is hidden
    wb[ISSUES]["T2"] = "A-1"
    wb.save(path)
    with pytest.raises(LedgerError) as exc:
        import_workbook(path, base)
    assert [p.split(": ")[0] for p in problems(exc.value)] == [
        "问题台账!S1:T1",
        "问题台账!E2:E3",
        "问题台账!V4:V5",
    ]


def test_an_enterprise_an_issue_row_adds_is_checked_at_that_row(tmp_path: Path) -> None:
    base = empty_base()
    rows = {
        ISSUES: [
            {"序号": 1, "企业名称": "甲\u200b公司", "统一社会信用代码": uscc(1), "所在县区": "大通区", "问题类别": "用工", "问题描述": "x", "反映渠道": "走访", "反映日期": date(2020, 4, 13)},
        ]
    }  # fmt: skip
    with pytest.raises(LedgerError) as exc:
        import_workbook(book(tmp_path / "hidden.xlsx", base, rows), base)
    (found,) = problems(exc.value)
    assert found.startswith("问题台账!B2: 企业名称: 含有不显示")
