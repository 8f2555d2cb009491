"""Teams and regions that share a name (every working group may have its 第一小组): an
exported workbook names them so that it imports back, and report tables tell them apart."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

import campaignkit as ck
from campaignkit.errors import LedgerError
from campaignkit.model.ledger import Ledger
from campaignkit.report.build import build_report, render
from campaignkit.stats.metrics import breakdown
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.sheets import ACTIVITIES, ISSUES, LISTS
from tests.conftest import minimal_document
from tests.workbook.books import book, counts, empty_base

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _huainan(change: Any) -> Ledger:
    doc = orjson.loads(HUAINAN.read_bytes())
    change(doc)
    return ck.loads(orjson.dumps(doc))


def _second_first_team(doc: dict[str, Any]) -> None:
    doc["work_groups"][0]["teams"][1]["name"] = "第一小组"  # T2, as T1


def _second_datong(doc: dict[str, Any]) -> None:
    for region in doc["regions"]:
        if region["code"] == "340403":
            region["name"] = "大通区"  # as 340402


def _export(ledger: Ledger, path: Path) -> Path:
    path.write_bytes(render(build_report(ledger), "xlsx"))
    return path


def _column(path: Path, sheet: str, header: str) -> list[Any]:
    ws = openpyxl.load_workbook(path)[sheet]
    headers = [c.value for c in ws[1]]
    col = headers.index(header) + 1
    return [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]


@pytest.mark.parametrize("change", [_second_first_team, _second_datong])
def test_a_ledger_with_shared_names_exports_and_imports_back_unchanged(
    tmp_path: Path, change: Any
) -> None:
    ledger = _huainan(change)
    assert not ck.validate(ledger)
    result = import_workbook(_export(ledger, tmp_path / "r.xlsx"), ledger)
    assert result.ledger == ledger
    assert result.unchanged == counts(ledger)


def test_teams_sharing_a_name_are_written_by_id(tmp_path: Path) -> None:
    ledger = _huainan(_second_first_team)
    path = _export(ledger, tmp_path / "r.xlsx")
    written = set(_column(path, ISSUES, "所属小组")) | set(_column(path, ACTIVITIES, "所属小组"))
    assert {"T1", "T2", "第三小组"} <= written
    assert "第一小组" not in written
    lists = openpyxl.load_workbook(path)[LISTS]
    offered = {c.value for row in lists.iter_rows() for c in row}
    assert {"T1", "T2", "第三小组"} <= offered


def test_regions_sharing_a_name_are_written_by_code(tmp_path: Path) -> None:
    ledger = _huainan(_second_datong)
    path = _export(ledger, tmp_path / "r.xlsx")
    written = set(_column(path, "企业名录", "所在县区"))
    assert {"340402", "340403", "谢家集区"} <= written
    assert "大通区" not in written


def _two_first_teams() -> Ledger:
    doc = minimal_document()
    doc["enterprises"], doc["activities"], doc["issues"], doc["outcomes"] = [], [], [], []
    group = copy.deepcopy(doc["work_groups"][0])
    group.update(id="G8", name="第八工作组")
    group["teams"] = [{"id": "T8", "name": "第一小组", "kind": "mobile"}]
    doc["work_groups"].append(group)
    return ck.loads(orjson.dumps(doc))


def _activity(team: str) -> dict[str, Any]:
    return {"序号": 1, "活动类型": "座谈会", "日期": "2020-04-13", "所属小组": team}


def test_a_shared_team_name_typed_in_is_ambiguous_naming_the_teams(tmp_path: Path) -> None:
    base = _two_first_teams()
    path = book(tmp_path / "b.xlsx", base, {ACTIVITIES: [_activity("第一小组")]})
    with pytest.raises(LedgerError) as exc:
        import_workbook(path, base)
    assert [p.text("zh").split(": ", 1)[1] for p in exc.value.problems] == [
        "活动记录!E2: 所属小组: 小组名称 '第一小组' 不明确（可能是 T1 (第七工作组), T8 (第八工作组)）"
    ]
    assert exc.value.problems[0].code == "labelled"


def test_a_team_id_typed_in_names_that_team(tmp_path: Path) -> None:
    base = _two_first_teams()
    path = book(tmp_path / "b.xlsx", base, {ACTIVITIES: [_activity("T8")]})
    assert import_workbook(path, base).ledger.activities[0].team == "T8"


def test_an_unknown_team_is_still_unknown(tmp_path: Path) -> None:
    base = empty_base()
    path = book(tmp_path / "b.xlsx", base, {ACTIVITIES: [_activity("第九小组")]})
    with pytest.raises(LedgerError) as exc:
        import_workbook(path, base)
    assert [p.text("zh").split(": ", 1)[1] for p in exc.value.problems] == [
        "活动记录!E2: 所属小组: 未知的小组 '第九小组'（基础台账里没有）"
    ]


def test_report_rows_tell_teams_and_regions_sharing_a_name_apart() -> None:
    teams = breakdown(_huainan(_second_first_team), "enterprises_visited", "team")
    labels = [row.label for row in teams.rows]
    assert labels[:3] == ["第一小组（T1）", "第一小组（T2）", "第三小组"]
    regions = breakdown(_huainan(_second_datong), "enterprises_visited", "region")
    labels = [row.label for row in regions.rows]
    assert labels[:3] == ["大通区（340402）", "大通区（340403）", "谢家集区"]
    unchanged = breakdown(ck.load(HUAINAN), "enterprises_visited", "team")
    assert [row.label for row in unchanged.rows][:2] == ["第一小组", "第二小组"]
