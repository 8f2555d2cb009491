"""Excel in and out: template, import rules, round trips and located errors."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.utils import get_column_letter

import campaignkit as ck
from campaignkit.errors import LedgerError, Problem
from campaignkit.io import document_from_ledger, ledger_from_document
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, IssueEvent, Satisfaction
from campaignkit.report.build import build_report, render
from campaignkit.report.safety import xml_safe
from campaignkit.workbook.excel import ImportResult, import_workbook, write_template
from campaignkit.workbook.sheets import ISSUE_COLUMNS, ISSUES, LISTS, RECORD_SHEETS
from tests.conftest import minimal_document, uscc
from tests.strategies import ledgers
from tests.workbook.books import counts

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
OFFICE_COLUMNS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在县区",
    "问题类别",
    "问题描述",
    "反映渠道",
    "交办层级",
    "责任单位",
    "办理时限",
    "办理状态",
    "办理结果",
    "满意度",
)


def _ledger(doc: dict[str, Any]) -> Ledger:
    return ck.loads(orjson.dumps(doc))


@pytest.fixture(scope="module")
def huainan() -> Ledger:
    return ck.load(HUAINAN)


@pytest.fixture
def base() -> Ledger:
    """The minimal ledger without enterprises, activities and issues: what a sheet fills."""
    doc = minimal_document()
    doc["enterprises"], doc["activities"], doc["issues"] = [], [], []
    doc["outcomes"] = []
    return _ledger(doc)


def _fill(path: Path, sheet: str, rows: list[dict[str, Any]]) -> None:
    """Write rows (header → value) under the template's header row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=r, column=headers.index(header) + 1, value=value)
    wb.save(path)


def _export(ledger: Ledger, path: Path, *, show_personal: bool = False) -> Path:
    report = build_report(ledger)
    path.write_bytes(render(report, "xlsx", show_personal=show_personal))
    return path


def _problems(exc: pytest.ExceptionInfo[LedgerError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def _all_worded_in_chinese(problems: Iterable[Problem]) -> None:
    """Every problem of an import has its Chinese wording (what the command line shows)."""
    for problem in problems:
        assert problem.code, f"no code for: {problem.message}"
        assert problem.text("zh") != str(problem), f"no Chinese wording for: {problem.message}"


# -- template ------------------------------------------------------------------------


def test_template_has_the_office_layout(tmp_path: Path, base: Ledger) -> None:
    out = write_template(tmp_path / "t.xlsx", base=base)
    wb = openpyxl.load_workbook(out)
    assert [n for n in wb.sheetnames if n in RECORD_SHEETS] == [
        ISSUES,
        "企业名录",
        "活动记录",
        "成果",
    ]
    assert wb[LISTS].sheet_state == "hidden"
    headers = [c.value for c in wb[ISSUES][1]]
    assert tuple(headers[: len(OFFICE_COLUMNS)]) == OFFICE_COLUMNS
    assert headers == [c.header for c in ISSUE_COLUMNS] + ["交办文件"]
    assert wb[ISSUES].max_row == 1  # empty: header only
    # drop-down lists: categories (Chinese labels) and the base's regions and teams
    lists = wb[LISTS]
    columns = {
        lists.cell(row=1, column=c).value: get_column_letter(c)
        for c in range(1, lists.max_column + 1)
    }

    def values(name: str) -> list[Any]:
        return [c.value for c in lists[columns[name]][1:] if c.value is not None]

    assert values("categories")[:3] == ["用工", "融资", "用地"]
    assert "综合服务平台" in values("channels")
    assert values("regions") == ["大通区", "田家庵区", "经开区"]
    assert values("teams") == ["第一小组", "第二小组", "机动小组"]
    by_column = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in wb[ISSUES].data_validations.dataValidation
    }
    assert by_column["E2"] == f"'{LISTS}'!${columns['categories']}$2:${columns['categories']}$13"
    assert by_column["D2"] == f"'{LISTS}'!${columns['regions']}$2:${columns['regions']}$4"


def test_template_without_base_uses_the_campaign_type(tmp_path: Path) -> None:
    out = write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out)
    assert ISSUES in wb.sheetnames and "说明" in wb.sheetnames
    assert wb.sheetnames == [ISSUES, "企业名录", "活动记录", "成果", "说明", LISTS]
    assert wb.active is not None and wb.active.title == ISSUES  # opens where one fills in
    assert wb["说明"]["A1"].font.b and wb["说明"].column_dimensions["A"].width == 90


# -- round trips ---------------------------------------------------------------------

ENTERPRISE_ROWS = [
    {
        "序号": 1,
        "企业名称": "甲公司",
        "统一社会信用代码": uscc(1),
        "所在县区": "大通区",
        "企业类别": "中小微、专精特新",
        "联系人": "张三",
        "联系电话": "13812345678",
    },
    {"序号": 2, "企业名称": "乙公司", "统一社会信用代码": uscc(2), "所在县区": "田家庵区"},
]
ACTIVITY_ROWS = [
    {
        "序号": 1,
        "活动类型": "走访企业",
        "日期": date(2020, 4, 13),
        "所属小组": "第一小组",
        "所在县区": "大通区",
        "参加企业": "甲公司",
    },
    {
        "序号": 2,
        "活动类型": "座谈会",
        "日期": date(2020, 4, 15),
        "所属小组": "第二小组",
        "参加企业": "甲公司、乙公司",
        "参加企业数": 12,
    },
    {
        "序号": 3,
        "活动类型": "媒体报道",
        "日期": date(2020, 4, 20),
        "媒体级别": "provincial",
        "标题": '\'=HYPERLINK("http://x")',
    },
    {"序号": 4, "活动类型": "发放政策材料", "日期": date(2020, 4, 16), "发放份数": 300},
]
ISSUE_ROWS = [
    # answered on the spot: resolved without an assignment
    {
        "序号": 1,
        "企业名称": "甲公司",
        "统一社会信用代码": uscc(1),
        "问题类别": "用工",
        "问题描述": "普工招聘困难,联系13812345678",
        "反映渠道": "走访",
        "办理状态": "已办结",
        "办理结果": "现场解答",
        "反映日期": "2020-04-13",
        "所属小组": "第一小组",
        "来源活动": "A-0001",
    },
    # assigned with a time limit in working days
    {
        "序号": 2,
        "统一社会信用代码": uscc(2),
        "问题类别": "融资",
        "问题描述": "续贷",
        "反映渠道": "座谈会议",
        "交办层级": "县区",
        "责任单位": "区金融办",
        "办理时限": "10个工作日",
        "办理状态": "已交办",
        "反映日期": date(2020, 4, 15),
        "交办日期": date(2020, 4, 16),
    },
    # taken back for handling, with a due date
    {
        "序号": 3,
        "问题类别": "用地",
        "问题描述": "+用地指标",
        "反映渠道": "电话",
        "交办层级": "市级",
        "责任单位": "市自然资源局",
        "办理时限": date(2020, 5, 10),
        "办理状态": "办理中",
        "反映日期": date(2020, 4, 17),
        "交办日期": date(2020, 4, 18),
    },
    # resolved, rated, closed
    {
        "序号": 4,
        "统一社会信用代码": uscc(3),
        "企业名称": "丙公司",
        "所在县区": "经开区",
        "问题类别": "水电气",
        "问题描述": "@电力增容",
        "反映渠道": "综合服务平台",
        "交办层级": "县区",
        "责任单位": "供电公司",
        "办理状态": "已销号",
        "办理结果": "已增容",
        "满意度": "满意",
        "反映日期": date(2020, 4, 18),
        "交办日期": date(2020, 4, 19),
        "办结日期": date(2020, 4, 25),
        "回访日期": date(2020, 4, 28),
        "历史遗留": "是",
    },
    # closed unresolved
    {
        "序号": 5,
        "问题类别": "其他",
        "问题描述": "-历史问题",
        "反映渠道": "来访",
        "办理状态": "未解决关闭",
        "办理结果": "不属于受理范围",
        "反映日期": date(2020, 4, 20),
        "办结日期": date(2020, 4, 21),
        "问题编号": "X-1",
    },
    # raised only
    {
        "序号": 6,
        "问题类别": "税费",
        "问题描述": "留抵退税",
        "反映渠道": "微信",
        "反映日期": date(2020, 4, 22),
    },
]


def _filled(tmp_path: Path, base: Ledger) -> Path:
    book = write_template(tmp_path / "filled.xlsx", base=base)
    _fill(book, "企业名录", ENTERPRISE_ROWS)
    _fill(book, "活动记录", ACTIVITY_ROWS)
    _fill(book, ISSUES, ISSUE_ROWS)
    return book


def test_filled_template_imports_into_a_valid_ledger(tmp_path: Path, base: Ledger) -> None:
    result = import_workbook(_filled(tmp_path, base), base)
    ledger = result.ledger
    assert ck.validate(ledger) == []
    # 丙公司 was named in 问题台账 only: added with its code as id
    assert result.added == {"enterprises": 3, "activities": 4, "issues": 6, "outcomes": 0}
    # blank 企业编号: the code is the id
    assert [e.id for e in ledger.enterprises] == [uscc(1), uscc(2), uscc(3)]
    ent = ledger.enterprise_index[uscc(1)]
    assert ent.classes == ("sme", "specialized") and ent.contact == ck.Contact(
        "张三", "13812345678"
    )
    assert ledger.enterprise_index[uscc(3)].region == "HN-ETDZ"
    acts = ledger.activity_index
    assert (
        acts["A-0002"].enterprises == (uscc(1), uscc(2)) and acts["A-0002"].enterprise_count == 12
    )
    assert acts["A-0003"].title == '=HYPERLINK("http://x")'
    assert acts["A-0003"].extra == {"media_level": "provincial"}
    assert acts["A-0004"].figures == {"copies": 300}
    issues = ledger.issue_index
    assert [e.kind for e in issues["Q-0001"].events] == ["answered_on_spot"]
    assert issues["Q-0001"].events[0].note == "现场解答"
    assert issues["Q-0001"].description == "普工招聘困难,联系13812345678"
    assert issues["Q-0002"].events == (
        IssueEvent(
            "assigned",
            date(2020, 4, 16),
            level="county",
            department="区金融办",
            deadline=Deadline(10, DeadlineUnit.WORKING_DAYS),
        ),
    )
    assert [e.kind for e in issues["Q-0003"].events] == ["assigned", "taken_back"]
    assert issues["Q-0003"].events[0].due == date(2020, 5, 10)
    assert issues["Q-0003"].description == "+用地指标"
    assert [(e.kind, e.date) for e in issues["Q-0004"].events] == [
        ("assigned", date(2020, 4, 19)),
        ("resolved", date(2020, 4, 25)),
        ("return_visit", date(2020, 4, 28)),
        ("closed", date(2020, 4, 28)),
    ]
    assert issues["Q-0004"].events[2].rating is Satisfaction.SATISFIED and issues["Q-0004"].legacy
    assert [e.kind for e in issues["X-1"].events] == ["closed_unresolved"]
    assert issues["Q-0006"].events == ()
    # the figures of the imported ledger count what the rows hold
    assert ck.compute(ledger, "issues_collected").value == len(ISSUE_ROWS)
    assert ck.compute(ledger, "materials_distributed").value == 300


def test_round_trip_template_import_export_import(tmp_path: Path, base: Ledger) -> None:
    """template → filled rows → import → ledger → XLSX export → import again: same ledger."""
    first = import_workbook(_filled(tmp_path, base), base).ledger
    exported = _export(first, tmp_path / "export.xlsx", show_personal=True)
    again = import_workbook(exported, base)
    assert again.ledger == first
    # the masked export (the default) imports back into the ledger it came from unchanged
    masked = _export(first, tmp_path / "masked.xlsx")
    same = import_workbook(masked, first)
    assert same.ledger == first
    assert same.events_appended == 0 and sum(same.updated.values()) == 0
    assert same.unchanged == {"enterprises": 3, "activities": 4, "issues": 6, "outcomes": 0}


def test_huainan_exports_and_imports_back_unchanged(tmp_path: Path, huainan: Ledger) -> None:
    book = _export(huainan, tmp_path / "hn.xlsx")
    result = import_workbook(book, huainan)
    assert result.ledger == huainan
    assert result.unchanged == counts(huainan)


def test_a_row_that_moves_an_issue_on_appends_events(tmp_path: Path, huainan: Ledger) -> None:
    book = _export(huainan, tmp_path / "hn.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb[ISSUES]
    headers = [c.value for c in ws[1]]
    col = {h: headers.index(h) + 1 for h in headers}
    states = build_report(huainan).context.issue_states()
    # the first issue that is assigned and not resolved
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if states[str(ws.cell(r, col["问题编号"]).value)].state == "assigned"
    )
    ident = str(ws.cell(row, col["问题编号"]).value)
    last = max(e.date for e in huainan.issue_index[ident].events)
    ws.cell(row, col["办理状态"], "已办结")
    ws.cell(row, col["办结日期"], last)
    ws.cell(row, col["办理结果"], "已协调解决")
    wb.save(book)
    result = import_workbook(book, huainan)
    issue = result.ledger.issue_index[ident]
    old = huainan.issue_index[ident]
    assert issue.events[: len(old.events)] == old.events
    assert issue.events[len(old.events) :] == (IssueEvent("resolved", last, note="已协调解决"),)
    assert result.updated["issues"] == 1 and result.events_appended == 1
    before = ck.compute(huainan, "issues_resolved").value
    assert isinstance(before, int)
    assert ck.compute(result.ledger, "issues_resolved").value == before + 1


def test_an_escalation_in_the_sheet_is_an_escalated_event(tmp_path: Path, base: Ledger) -> None:
    first = import_workbook(_filled(tmp_path, base), base).ledger
    book = _export(first, tmp_path / "e.xlsx", show_personal=True)
    wb = openpyxl.load_workbook(book)
    ws = wb[ISSUES]
    headers = [c.value for c in ws[1]]
    r = [ws.cell(i, headers.index("问题编号") + 1).value for i in range(2, ws.max_row + 1)].index(
        "Q-0002"
    ) + 2
    ws.cell(r, headers.index("交办层级") + 1, "市级")
    ws.cell(r, headers.index("责任单位") + 1, "市金融局")
    ws.cell(r, headers.index("交办日期") + 1, date(2020, 4, 30))
    wb.save(book)
    issue = import_workbook(book, first).ledger.issue_index["Q-0002"]
    assert issue.events[-1].kind == "escalated" and issue.events[-1].level == "city"


def _xml_text(value: Any) -> Any:
    """Every string of a JSON document as a workbook can hold it."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [_xml_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _xml_text(v) for k, v in value.items()}
    return value


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(generated=ledgers(max_records=6))
def test_any_ledger_exports_and_imports_back_unchanged(tmp_path: Path, generated: Ledger) -> None:
    """Masked export, neutralised formulas, text in any script: the import changes nothing.

    XML holds no control characters and stores CR as LF (a documented limit),
    so the ledger's text is first made what a workbook can hold.
    """
    ledger = ledger_from_document(_xml_text(document_from_ledger(generated)))
    book = _export(ledger, tmp_path / "any.xlsx")
    assert import_workbook(book, ledger).ledger == ledger


# -- semantics -----------------------------------------------------------------------


def test_blank_handling_cells_keep_the_ledger(tmp_path: Path, huainan: Ledger) -> None:
    book = _export(huainan, tmp_path / "hn.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb[ISSUES]
    headers = [c.value for c in ws[1]]
    for name in (
        "交办层级",
        "责任单位",
        "办理时限",
        "办理状态",
        "办理结果",
        "满意度",
        "交办日期",
        "办结日期",
        "回访日期",
    ):
        for r in range(2, ws.max_row + 1):
            ws.cell(r, headers.index(name) + 1).value = None
    wb.save(book)
    assert import_workbook(book, huainan).ledger == huainan


def test_a_sheet_reopens_only_after_a_dissatisfied_return_visit(
    tmp_path: Path, base: Ledger
) -> None:
    first = import_workbook(_filled(tmp_path, base), base).ledger
    book = _export(first, tmp_path / "r.xlsx", show_personal=True)
    wb = openpyxl.load_workbook(book)
    ws = wb[ISSUES]
    ws["K2"] = "办理中"  # Q-0001 was answered on the spot
    wb.save(book)
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, first)
    (problem,) = _problems(exc)
    assert "问题台账!K2: 办理状态:" in problem
    assert "only after a dissatisfied return visit" in problem


def test_a_reopened_issue_exports_and_imports_onto_the_ledger_before_it(
    tmp_path: Path, huainan: Ledger
) -> None:
    # an issue resolved in the ledger, then visited, found wanting and reopened
    report = build_report(huainan)
    visit = report.as_of  # the visit and reopening on the report's day, after everything else
    ident = next(
        i
        for i, s in report.context.issue_states().items()
        if s.state == "resolved"
        and not s.ratings
        and max(e.date for e in huainan.issue_index[i].events) < visit
    )
    old = huainan.issue_index[ident]
    added = (
        IssueEvent("return_visit", visit, rating=Satisfaction.DISSATISFIED),
        IssueEvent("reopened", visit),
    )
    reopened = huainan.replace(
        issues=tuple(
            attrs.evolve(i, events=(*i.events, *added)) if i.id == ident else i
            for i in huainan.issues
        )
    )
    book = _export(reopened, tmp_path / "reopened.xlsx")
    result = import_workbook(book, huainan)
    assert result.ledger.issue_index[ident].events == (*old.events, *added)
    assert result.ledger == reopened
    assert result.events_appended == 2 and result.updated["issues"] == 1
    # the same workbook onto the reopened ledger changes nothing
    assert import_workbook(book, reopened).ledger == reopened
    # the visit already in the ledger: only the reopening is appended
    visited = huainan.replace(
        issues=tuple(
            attrs.evolve(i, events=(*i.events, added[0])) if i.id == ident else i
            for i in huainan.issues
        )
    )
    assert import_workbook(book, visited).ledger == reopened


def test_back_dated_events_are_refused(tmp_path: Path, base: Ledger) -> None:
    book = write_template(tmp_path / "b.xlsx", base=base)
    row = {
        "序号": 1,
        "问题类别": "用工",
        "问题描述": "x",
        "反映渠道": "走访",
        "交办层级": "县区",
        "责任单位": "人社局",
        "办理状态": "已办结",
        "反映日期": date(2020, 4, 20),
        "交办日期": date(2020, 4, 21),
        "办结日期": date(2020, 4, 19),
    }
    _fill(book, ISSUES, [row])
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, base)
    (problem,) = _problems(exc)
    assert "问题台账!Q2: 办结日期: 2020-04-19 is before 2020-04-21" in problem


def test_a_date_raised_after_the_handling_is_said_at_that_date(
    tmp_path: Path, huainan: Ledger
) -> None:
    book = _export(huainan, tmp_path / "hn.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb[ISSUES]
    headers = [c.value for c in ws[1]]
    col = {h: headers.index(h) + 1 for h in headers}
    issues = [
        huainan.issue_index[str(ws.cell(r, col["问题编号"]).value)]
        for r in range(2, ws.max_row + 1)
    ]
    # the first issue handled on more than one day
    row = 2 + next(n for n, i in enumerate(issues) if len({e.date for e in i.events}) > 1)
    issue = issues[row - 2]
    first = issue.events[0].date
    later = max(e.date for e in issue.events)
    ws.cell(row, col["反映日期"], later)  # corrected to after its handling began
    wb.save(book)
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, huainan)
    found = _problems(exc)
    cell = f"{get_column_letter(col['反映日期'])}{row}"
    assert found and all(f"问题台账!{cell}: 反映日期: " in p for p in found)
    assert f"{first.isoformat()} is before the issue was raised ({later.isoformat()})" in found[0]


# -- errors --------------------------------------------------------------------------


def test_every_bad_cell_is_named_by_sheet_column_and_row(tmp_path: Path, base: Ledger) -> None:
    book = write_template(tmp_path / "bad.xlsx", base=base)
    bad_code = uscc(1)[:-1] + ("0" if uscc(1)[-1] != "0" else "1")
    rows = [
        {
            "序号": 1,
            "企业名称": "甲",
            "统一社会信用代码": bad_code,
            "所在县区": "大通区",
            "问题类别": "用工",
            "问题描述": "x",
            "反映渠道": "走访",
            "反映日期": date(2020, 4, 13),
        },
        {
            "序号": 2,
            "问题类别": "吃饭",
            "问题描述": "y",
            "反映渠道": "走访",
            "反映日期": "2020-13-01",
        },
        {
            "序号": 3,
            "问题类别": "用工",
            "反映渠道": "飞鸽",
            "反映日期": date(2020, 4, 13),
            "满意度": "很好",
            "办理时限": "尽快",
        },
        {
            "序号": 3,
            "问题类别": "用工",
            "问题描述": "z",
            "反映渠道": "走访",
            "反映日期": date(2020, 4, 13),
            "所属小组": "第九小组",
        },
    ]
    _fill(book, ISSUES, rows)
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, base)
    text = "\n".join(_problems(exc))
    assert f"{book}: 问题台账!C2: 统一社会信用代码: check character should be" in text
    assert "问题台账!E3: 问题类别: unknown issue category '吃饭'" in text
    assert "问题台账!O3: 反映日期: not a calendar date: '2020-13-01' (there is no month 13)" in text
    assert "问题台账!F4: 问题描述: required" in text
    assert "问题台账!G4: 反映渠道: unknown issue channel '飞鸽'" in text
    assert "问题台账!M4: 满意度: unknown rating '很好'" in text
    assert "问题台账!J4: 办理时限: expected a date or “10个工作日”, got '尽快'" in text
    assert "问题台账!A5: 序号: 3 again (first in row 4)" in text
    assert "问题台账!S5: 所属小组: unknown team '第九小组'" in text
    assert len(exc.value.problems) >= 9
    _all_worded_in_chinese(exc.value.problems)


def test_ledger_checks_of_imported_rows_point_at_cells(tmp_path: Path, base: Ledger) -> None:
    book = write_template(tmp_path / "v.xlsx", base=base)
    _fill(
        book,
        ISSUES,
        [
            {
                "序号": 1,
                "问题类别": "用工",
                "问题描述": "x",
                "反映渠道": "走访",
                "反映日期": date(2020, 4, 13),
                "来源活动": "A-404",
            },
            {
                "序号": 2,
                "问题类别": "用工",
                "问题描述": "y",
                "反映渠道": "走访",
                "反映日期": date(2021, 1, 1),
            },
        ],
    )
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, base)
    text = "\n".join(_problems(exc))
    assert "问题台账!T2: 来源活动: unknown activity 'A-404'" in text
    assert "问题台账!O3: 反映日期: 2021-01-01 is outside the campaign period" in text
    _all_worded_in_chinese(exc.value.problems)


def test_merged_cells_formulas_and_sheet_names(tmp_path: Path, base: Ledger) -> None:
    book = write_template(tmp_path / "m.xlsx", base=base)
    _fill(
        book,
        ISSUES,
        [
            {
                "序号": 1,
                "问题类别": "用工",
                "问题描述": "x",
                "反映渠道": "走访",
                "反映日期": date(2020, 4, 13),
            }
        ],
    )
    wb = openpyxl.load_workbook(book)
    wb[ISSUES].merge_cells("H2:I2")
    wb["活动记录"]["D2"] = "=TODAY()"
    wb["活动记录"]["A2"] = 1
    wb["活动记录"]["C2"] = "走访企业"
    wb["企业名录"].title = "企业名单"
    wb.create_sheet("Sheet1")
    wb.save(book)
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, base)
    text = "\n".join(_problems(exc))
    assert "问题台账!H2:I2: merged cells cannot be read" in text
    assert "活动记录!D2: a formula ('=TODAY()')" in text
    assert "企业名单: unknown sheet; did you mean '企业名录'?" in text
    assert "Sheet1: unknown sheet" in text


def test_a_time_in_a_cell_is_not_called_a_formula(tmp_path: Path, base: Ledger) -> None:
    from datetime import time

    book = write_template(tmp_path / "t.xlsx", base=base)
    wb = openpyxl.load_workbook(book)
    wb["活动记录"]["A2"] = 1
    wb["活动记录"]["C2"] = "走访企业"
    wb["活动记录"]["D2"] = time(12, 0)
    wb.save(book)
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, base)
    text = "\n".join(_problems(exc))
    assert "活动记录!D2: a time of day or a duration ('12:00:00')" in text
    assert "formula" not in text


def test_a_folder_given_as_the_workbook_says_so(tmp_path: Path, base: Ledger) -> None:
    for name in ("book.xlsx", "book"):  # (openpyxl looks at the name's extension first)
        folder = tmp_path / name
        folder.mkdir()
        with pytest.raises(LedgerError) as exc:
            import_workbook(folder, base)
        [problem] = exc.value.problems
        assert problem.code == "workbook-is-folder"
        assert problem.phrase.text("zh") == "是文件夹，不是工作簿"


def test_headers_are_checked(tmp_path: Path, base: Ledger) -> None:
    book = write_template(tmp_path / "h.xlsx", base=base)
    wb = openpyxl.load_workbook(book)
    ws = wb[ISSUES]
    ws["F1"] = "问题描素"
    ws["O1"] = None
    wb.save(book)
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, base)
    text = "\n".join(_problems(exc))
    assert "问题台账!F1: unknown column '问题描素'; did you mean '问题描述'?" in text
    assert "问题台账!1:1: required column '反映日期' is missing" in text


def test_no_record_sheet_and_not_a_workbook(tmp_path: Path, base: Ledger) -> None:
    book = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"  # type: ignore[union-attr]
    wb.save(book)
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, base)
    assert any(
        "no sheet named 企业名录、活动记录、问题台账、成果 (found: Sheet1)" in p
        for p in _problems(exc)
    )
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(LedgerError, match=r"not a readable \.xlsx workbook"):
        import_workbook(junk, base)
    with pytest.raises(LedgerError, match="no such file"):
        import_workbook(tmp_path / "missing.xlsx", base)


def test_an_issue_naming_a_known_code_with_another_name_is_refused(tmp_path: Path) -> None:
    ledger = _ledger(minimal_document())
    book = write_template(tmp_path / "n.xlsx", base=ledger)
    _fill(
        book,
        ISSUES,
        [
            {
                "序号": 1,
                "企业名称": "别的公司",
                "统一社会信用代码": uscc(1),
                "所在县区": "田家庵区",
                "问题类别": "用工",
                "问题描述": "x",
                "反映渠道": "走访",
                "反映日期": date(2020, 4, 13),
            }
        ],
    )
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, ledger)
    text = "\n".join(_problems(exc))
    assert "问题台账!B2: 企业名称: '别的公司' differs from '甲公司' of enterprise E1" in text
    assert "问题台账!D2: 所在县区: '田家庵区' differs from '大通区' of enterprise E1" in text


def test_progress_is_reported_per_row(tmp_path: Path, base: Ledger) -> None:
    seen: list[tuple[int, int]] = []
    import_workbook(
        _filled(tmp_path, base), base, progress=lambda done, total: seen.append((done, total))
    )
    rows = len(ENTERPRISE_ROWS) + len(ACTIVITY_ROWS) + len(ISSUE_ROWS)
    assert seen[-1] == (rows, rows)
    assert [d for d, _ in seen] == list(range(1, rows + 1))


def test_the_import_result_describes_itself() -> None:
    result = ImportResult(_ledger(minimal_document()), {"issues": 2}, {"issues": 1}, {}, 3)
    assert (
        result.describe()
        == "企业 新增 0、更新 0、未变 0；活动 新增 0、更新 0、未变 0；问题 新增 2、更新 1、未变 0；成果 新增 0、更新 0、未变 0；追加办理记录 3 条"
    )
    assert result.describe("en").endswith(
        "issues: 2 added, 1 updated, 0 unchanged; outcomes: 0 added, 0 updated, 0 unchanged; 3 event(s) appended"
    )


def test_contacts_masked_in_the_export_are_kept_on_import(tmp_path: Path) -> None:
    doc = minimal_document()
    doc["enterprises"][0]["contact"] = {
        "person": "欧阳娜娜",
        "phone": "13812345678",
        "email": "nana@example.cn",
    }
    doc["issues"][0]["description"] = "请回电13912345678"
    ledger = _ledger(doc)
    book = _export(ledger, tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(book)
    shown = [c.value for c in wb["企业名录"][2]]
    assert "欧***" in shown and "138****5678" in shown and "n***@example.cn" in shown
    assert "请回电139****5678" in [c.value for c in wb[ISSUES][2]]
    assert import_workbook(book, ledger).ledger == ledger
    # masked text that is not the mask of what the ledger holds is refused, never stored
    changed = copy.deepcopy(doc)
    changed["enterprises"][0]["contact"]["phone"] = "13700000000"
    changed["issues"][0]["description"] = "请回电13700000000"
    with pytest.raises(LedgerError) as exc:
        import_workbook(book, _ledger(changed))
    text = "\n".join(_problems(exc))
    assert "企业名录!I2: 联系电话: holds masked personal data that is not the ledger's" in text
    assert "问题台账!F2: 问题描述: holds masked personal data" in text


def _zip_without_a_workbook(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")


@pytest.mark.parametrize(
    ("name", "make", "zh"),
    [
        ("renamed.xlsx", lambda p: p.write_bytes(b"hello"), "文件不是 zip 格式"),
        ("table.csv", lambda p: p.write_text("a,b\n", "utf-8"), "只读取 .xlsx、.xlsm"),
        ("parts.xlsx", _zip_without_a_workbook, "zip 文件中缺少工作簿的组成部分"),
    ],
)
def test_a_file_that_is_no_workbook_says_why_in_the_chosen_language(
    tmp_path: Path, name: str, make: Any, zh: str
) -> None:
    """Why a file cannot be read as a workbook, in Chinese by default (not openpyxl's or
    zipfile's English inside the Chinese sentence); in English, the reader's own words."""
    path = tmp_path / name
    make(path)
    base = ck.load(Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json")
    with pytest.raises(LedgerError) as info:
        import_workbook(path, base)
    (problem,) = info.value.problems
    chinese = problem.phrase.text("zh")
    assert chinese.startswith("不是可读取的 .xlsx 工作簿：") and zh in chinese, chinese
    words = chinese.split("：", 1)[1]
    for name in ("xlsx", "xlsm", "xltx", "xltm", "zip", "Excel"):
        words = words.replace(name, "")
    assert not any("a" <= c.lower() <= "z" for c in words), chinese
    assert problem.phrase.text("en").startswith("not a readable .xlsx workbook: ")
