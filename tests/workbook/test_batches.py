"""Batches of workbooks: no import changes a record its rows do not name, and every change
is listed record by record before anything is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import campaignkit as ck
from campaignkit.errors import LedgerError
from campaignkit.model.ledger import Ledger
from campaignkit.workbook.changes import ChangeKind, FieldChange, RecordChange
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.sheets import ACTIVITIES, ENTERPRISES, ISSUES, OUTCOMES
from tests.conftest import uscc
from tests.workbook.books import all_worded_in_both, book, empty_base, problems

FIRST: dict[str, list[dict[str, Any]]] = {
    ENTERPRISES: [
        {
            "序号": 1,
            "企业名称": "甲公司",
            "统一社会信用代码": uscc(1),
            "所在县区": "大通区",
            "所属行业": "制造业",
            "联系人": "张三",
        },
        {"序号": 2, "企业名称": "乙公司", "统一社会信用代码": uscc(2), "所在县区": "田家庵区"},
    ],
    ACTIVITIES: [
        {"序号": 1, "活动类型": "走访企业", "日期": date(2020, 4, 13), "参加企业": "甲公司"},
        {"序号": 2, "活动类型": "座谈会", "日期": date(2020, 4, 14), "参加企业数": 8},
    ],
    ISSUES: [
        {"序号": 1, "企业名称": "甲公司", "问题类别": "用工", "问题描述": "招工难", "反映渠道": "走访", "反映日期": date(2020, 4, 13)},
        {"序号": 2, "问题类别": "融资", "问题描述": "续贷", "反映渠道": "电话", "反映日期": date(2020, 4, 14)},
        {"序号": 3, "问题类别": "用地", "问题描述": "缺用地指标", "反映渠道": "走访", "反映日期": date(2020, 4, 15)},
    ],
    OUTCOMES: [
        {"序号": 1, "成果类别": "银企对接融资", "状态": "已签约", "日期": date(2020, 4, 20), "金额（元）": "3000万元"},
    ],
}  # fmt: skip

SECOND: dict[str, list[dict[str, Any]]] = {
    ENTERPRISES: [
        # the same enterprise again, by its code, with less written down
        {"序号": 1, "企业名称": "甲公司", "统一社会信用代码": uscc(1), "所在县区": "大通区"},
        {"序号": 2, "企业名称": "丙公司", "统一社会信用代码": uscc(3), "所在县区": "经开区"},
    ],
    ACTIVITIES: [
        {"序号": 1, "活动类型": "宣讲大会", "日期": date(2020, 4, 22), "参加企业数": 40},
    ],
    ISSUES: [  # 序号 from 1 again, as every office's sheet does
        {"序号": 1, "问题类别": "税费", "问题描述": "留抵退税", "反映渠道": "电话", "反映日期": date(2020, 4, 22)},
        {"序号": 2, "企业名称": "丙公司", "问题类别": "水电气", "问题描述": "电力增容", "反映渠道": "走访", "反映日期": date(2020, 4, 23)},
    ],
    OUTCOMES: [
        {"序号": 1, "成果类别": "土地指标", "状态": "已签约", "日期": date(2020, 4, 24), "土地（亩）": "12.5亩"},
    ],
}  # fmt: skip


def _records(ledger: Ledger) -> dict[tuple[str, str], object]:
    return {
        (section, r.id): r
        for section in ("enterprises", "activities", "issues", "outcomes")
        for r in getattr(ledger, section)
    }


@pytest.fixture
def first(tmp_path: Path) -> Ledger:
    return import_workbook(book(tmp_path / "first.xlsx", empty_base(), FIRST), empty_base()).ledger


def test_a_second_batch_with_the_same_seq_changes_nothing_of_the_first(
    tmp_path: Path, first: Ledger
) -> None:
    second = import_workbook(book(tmp_path / "second.xlsx", first, SECOND), first)
    before, after = _records(first), _records(second.ledger)
    assert {key: after[key] for key in before} == before  # not one record of the first changed
    assert [i.id for i in first.issues] == ["Q-0001", "Q-0002", "Q-0003"]
    new = sorted(set(after) - set(before))
    assert new == [
        ("activities", "A-0003"),
        ("enterprises", uscc(3)),
        ("issues", "Q-0004"),
        ("issues", "Q-0005"),
        ("outcomes", "O-0002"),
    ]
    assert second.ledger.issue_index["Q-0004"].description == "留抵退税"
    assert second.ledger.issue_index["Q-0005"].enterprise == uscc(3)
    assert second.ledger.outcome_index["O-0002"].land_mu == Decimal("12.5")
    # the listing says so, row by row: 甲公司 named by its code and left as it was
    assert second.listing() == [
        f"未变企业 {uscc(1)}（企业名录!2:2）",
        f"新增企业 {uscc(3)}（企业名录!3:3）",
        "新增活动 A-0003（活动记录!2:2）",
        "新增问题 Q-0004（问题台账!2:2）",
        "新增问题 Q-0005（问题台账!3:3）",
        "新增成果 O-0002（成果!2:2）",
    ]
    assert second.added == {"enterprises": 1, "activities": 1, "issues": 2, "outcomes": 1}
    assert sum(second.updated.values()) == 0


def test_the_ids_made_for_a_batch_are_the_same_every_time(tmp_path: Path, first: Ledger) -> None:
    path = book(tmp_path / "second.xlsx", first, SECOND)
    assert import_workbook(path, first).ledger == import_workbook(path, first).ledger


def test_a_batch_imported_twice_is_refused_row_by_row(tmp_path: Path, first: Ledger) -> None:
    with pytest.raises(LedgerError) as exc:
        import_workbook(book(tmp_path / "again.xlsx", first, FIRST), first)
    found = problems(exc.value)
    assert found[0] == (
        "问题台账!N2: 问题编号: 像是已经导入过：问题 Q-0001 的问题类别、问题描述、反映渠道、反映日期和企业"
        "都与这一行相同；要更新它，请在问题编号中填 Q-0001；确是另一条，请填一个新的编号"
    )
    # (the enterprises are named by their codes: those rows are theirs, unchanged)
    assert [p.split(":")[0] for p in found] == [
        "问题台账!N2",
        "问题台账!N3",
        "问题台账!N4",
        "活动记录!B2",
        "活动记录!B3",
        "成果!B2",
    ]
    assert problems(exc.value, "en")[-1] == (
        "成果!B2: 成果编号: looks imported already: outcome O-0001 has the same columns; "
        "write O-0001 in 成果编号 to update it, or a new id if this is another one"
    )
    all_worded_in_both(exc.value.problems)


def test_a_row_naming_an_id_updates_that_record_and_lists_the_columns(
    tmp_path: Path, first: Ledger
) -> None:
    rows = {
        ISSUES: [
            {"序号": 1, "问题编号": "Q-0002", "问题类别": "税费", "问题描述": "续贷", "反映渠道": "电话", "反映日期": date(2020, 4, 14), "交办层级": "县区", "责任单位": "区金融办", "交办日期": date(2020, 4, 15), "办理状态": "已交办"},
            {"序号": 2, "问题编号": "Q-0003", "问题类别": "用地", "问题描述": "缺用地指标", "反映渠道": "走访", "反映日期": date(2020, 4, 15)},
        ],
        OUTCOMES: [
            {"序号": 1, "成果编号": "O-0001", "成果类别": "银企对接融资", "状态": "已签约", "日期": date(2020, 4, 20), "金额（元）": "0.35亿"},
        ],
    }  # fmt: skip
    result = import_workbook(book(tmp_path / "edit.xlsx", first, rows), first)
    q2, o1 = result.changes[0], result.changes[2]
    assert q2 == RecordChange(
        ChangeKind.UPDATED,
        "issues",
        "Q-0002",
        "问题台账!2:2",
        (FieldChange("category", "问题类别", "finance", "tax"),),
        result.ledger.issue_index["Q-0002"].events,
    )
    assert q2.text() == ("更新问题 Q-0002（问题台账!2:2）：问题类别；追加办理记录 1 条（交办）")
    assert q2.text("en") == (
        "updated issue Q-0002 (问题台账!2:2): 问题类别; 1 event(s) appended (assign)"
    )
    assert result.changes[1].kind is ChangeKind.UNCHANGED
    assert o1.fields == (
        FieldChange("amount_yuan", "金额（元）", Decimal("30000000"), Decimal("35000000")),
    )
    assert result.listing()[2] == "更新成果 O-0001（成果!2:2）：金额（元）"
    # what no row names is as it was
    assert result.ledger.issue_index["Q-0001"] == first.issue_index["Q-0001"]
    assert result.describe() == (
        "企业 新增 0、更新 0、未变 0；活动 新增 0、更新 0、未变 0；问题 新增 0、更新 1、未变 1；"
        "成果 新增 0、更新 1、未变 0；追加办理记录 1 条"
    )


def test_an_enterprise_named_by_its_code_keeps_what_its_row_leaves_blank(
    tmp_path: Path, first: Ledger
) -> None:
    rows = {
        ENTERPRISES: [
            {"序号": 1, "企业名称": "甲公司", "统一社会信用代码": uscc(1), "所在县区": "大通区", "联系电话": "13812345678"},
        ]
    }  # fmt: skip
    result = import_workbook(book(tmp_path / "phone.xlsx", first, rows), first)
    ent = result.ledger.enterprise_index[uscc(1)]
    assert (ent.industry, ent.contact) == ("制造业", ck.Contact("张三", "13812345678"))
    assert result.listing() == [f"更新企业 {uscc(1)}（企业名录!2:2）：联系电话"]
    # a row naming the enterprise by its id describes it whole: a blank cell is blank
    rows[ENTERPRISES][0]["企业编号"] = uscc(1)
    whole = import_workbook(book(tmp_path / "whole.xlsx", first, rows), first)
    assert whole.ledger.enterprise_index[uscc(1)].industry is None
    assert "所属行业" in whole.listing()[0]


def test_ids_follow_the_highest_number_of_the_base_and_the_sheet(tmp_path: Path) -> None:
    base = empty_base()
    rows = {
        ISSUES: [
            {"序号": 1, "问题类别": "用工", "问题描述": "a", "反映渠道": "走访", "反映日期": date(2020, 4, 13)},
            {"序号": 2, "问题编号": "Q-0041", "问题类别": "用工", "问题描述": "b", "反映渠道": "走访", "反映日期": date(2020, 4, 13)},
            {"序号": 5, "问题类别": "用工", "问题描述": "c", "反映渠道": "走访", "反映日期": date(2020, 4, 13)},
        ]
    }  # fmt: skip
    ledger = import_workbook(book(tmp_path / "ids.xlsx", base, rows), base).ledger
    assert [i.id for i in ledger.issues] == ["Q-0042", "Q-0041", "Q-0046"]


def test_a_seq_below_one_cannot_make_an_id(tmp_path: Path) -> None:
    base = empty_base()
    rows = {
        ISSUES: [
            {"序号": 0, "问题类别": "用工", "问题描述": "a", "反映渠道": "走访", "反映日期": date(2020, 4, 13)},
        ]
    }  # fmt: skip
    with pytest.raises(LedgerError) as exc:
        import_workbook(book(tmp_path / "zero.xlsx", base, rows), base)
    assert problems(exc.value) == ["问题台账!A2: 序号: 应从 1 起：空白的问题编号据此生成"]


def test_a_new_code_that_is_the_id_of_another_enterprise_is_refused(tmp_path: Path) -> None:
    doc_base = empty_base()
    taken = doc_base.replace(
        enterprises=(ck.Enterprise(uscc(5), uscc(6), "丁公司", "340402"),)
    )  # an enterprise whose id is another one's code
    rows = {
        ENTERPRISES: [
            {"序号": 1, "企业名称": "戊公司", "统一社会信用代码": uscc(5), "所在县区": "大通区"},
        ]
    }  # fmt: skip
    with pytest.raises(LedgerError) as exc:
        import_workbook(book(tmp_path / "taken.xlsx", taken, rows), taken)
    assert problems(exc.value) == [
        f"企业名录!D2: 统一社会信用代码: 这个代码已是企业 '{uscc(5)}' 的编号，"
        f"而那家企业的代码是 '{uscc(6)}'：请填写企业编号"
    ]
    assert taken.enterprises[0].name == "丁公司"


def test_the_same_code_twice_in_one_sheet_is_refused(tmp_path: Path) -> None:
    base = empty_base()
    row = {"企业名称": "甲公司", "统一社会信用代码": uscc(1), "所在县区": "大通区"}
    rows = {ENTERPRISES: [{"序号": 1, **row}, {"序号": 2, **row, "企业名称": "甲公司二"}]}
    with pytest.raises(LedgerError) as exc:
        import_workbook(book(tmp_path / "twice.xlsx", base, rows), base)
    assert problems(exc.value) == [
        f"企业名录!D3: 统一社会信用代码: '{uscc(1)}' 重复（第一次在第 2 行）"
    ]
