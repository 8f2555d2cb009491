"""The 成果 sheet: outcomes imported with amounts in 元/万元/亿元 and land in 亩, exactly."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import campaignkit as ck
from campaignkit.errors import LedgerError
from campaignkit.model.limits import MAX_AMOUNT_YUAN, MAX_LAND_MU
from campaignkit.model.records import Outcome, OutcomeStatus, Party
from campaignkit.report.build import build_report, render
from campaignkit.workbook.cells import parse_mu, parse_yuan
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.sheets import OUTCOMES
from tests.workbook.books import all_worded_in_both, book, empty_base, problems

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _outcome(seq: int, **cells: Any) -> dict[str, Any]:
    return {
        "序号": seq,
        "成果类别": "银企对接融资",
        "状态": "已签约",
        "日期": date(2020, 4, 20),
        **cells,
    }


def test_amounts_in_yi_wan_and_yuan_and_land_in_mu_are_exact(tmp_path: Path) -> None:
    base = empty_base()
    rows = [
        _outcome(1, **{"金额（元）": "1.5亿"}),
        _outcome(2, **{"金额（元）": "3000万元"}),
        _outcome(3, **{"金额（元）": 600000000}),
        _outcome(4, **{"金额（元）": "600,000,000元"}),
        _outcome(5, **{"金额（元）": "0.1亿元"}),
        _outcome(6, **{"金额（元）": 1234.56}),  # a number cell: read by its decimal form
        _outcome(7, **{"金额（元）": "2.5万"}),
        _outcome(8, 成果类别="土地指标", **{"土地（亩）": "852亩"}),
        _outcome(9, 成果类别="土地指标", **{"土地（亩）": 44.5}),
        _outcome(10, 成果类别="土地指标", **{"土地（亩）": "12.25 亩"}),
    ]
    result = import_workbook(book(tmp_path / "o.xlsx", base, {OUTCOMES: rows}), base)
    outcomes = result.ledger.outcome_index
    amounts = [outcomes[f"O-{n:04d}"].amount_yuan for n in range(1, 8)]
    assert amounts == [
        Decimal("150000000"),
        Decimal("30000000"),
        Decimal("600000000"),
        Decimal("600000000"),
        Decimal("10000000"),
        Decimal("1234.56"),
        Decimal("25000"),
    ]
    land = [outcomes[f"O-{n:04d}"].land_mu for n in range(8, 11)]
    assert land == [Decimal("852"), Decimal("44.5"), Decimal("12.25")]
    for value in (*amounts, *land):
        assert type(value) is Decimal
        assert "E" not in str(value)  # written to a ledger as plain digits
    assert ck.compute(result.ledger, "land_mu").value == Decimal("908.75")
    # the merged ledger writes and loads again as it is
    assert ck.loads(ck.dumps(result.ledger)) == result.ledger
    assert result.added["outcomes"] == 10


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("金额（元）", "1.5亿美元", "'1.5亿美元' 的单位不对：金额只能以元、万元或亿元计"),
        ("金额（元）", "三千万", "应为金额，如 600000000、3000万元 或 1.5亿，实际是 '三千万'"),
        ("金额（元）", "-5万", "不能是负数，实际是 -50000"),
        ("土地（亩）", "5公顷", "'5公顷' 的单位不对：这一列以“亩”计"),
        ("土地（亩）", "许多", "应为以亩计的面积，如 852 或 852亩，实际是 '许多'"),
    ],
)
def test_an_amount_or_area_in_another_unit_is_refused_naming_the_unit(
    tmp_path: Path, header: str, value: str, message: str
) -> None:
    base = empty_base()
    path = book(tmp_path / "bad.xlsx", base, {OUTCOMES: [_outcome(1, **{header: value})]})
    with pytest.raises(LedgerError) as exc:
        import_workbook(path, base)
    (found,) = problems(exc.value)
    assert found == f"成果!{'H' if header.startswith('金额') else 'I'}2: {header}: {message}"
    all_worded_in_both(exc.value.problems)


def test_amounts_parse_as_offices_write_them() -> None:
    assert parse_yuan("7.5亿元") == Decimal("750000000")
    assert parse_yuan("4.86万元") == Decimal("48600")
    assert parse_yuan("１２万") == Decimal("120000")  # full-width digits, as some keyboards type
    assert parse_yuan(Decimal("0.5")) == Decimal("0.5")
    assert parse_mu(Decimal("852")) == Decimal("852")


def test_the_huainan_outcomes_export_to_the_sheet_and_import_back(tmp_path: Path) -> None:
    huainan = ck.load(HUAINAN)
    path = tmp_path / "hn.xlsx"
    path.write_bytes(render(build_report(huainan), "xlsx"))
    ws = openpyxl.load_workbook(path)[OUTCOMES]
    headers = [c.value for c in ws[1]]
    money = headers.index("金额（元）") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, money).value is not None)
    assert ws.cell(r := row, money).value == 600000000
    assert ws.cell(r, money).number_format == "#,##0"  # separators shown, the value exact
    assert ws.cell(r, headers.index("状态") + 1).value in ("已签约", "洽谈中", "意向")
    result = import_workbook(path, huainan)
    assert result.ledger == huainan  # parties kept: the sheet does not show them
    assert result.unchanged["outcomes"] == len(huainan.outcomes) == 72


def test_an_updated_outcome_keeps_its_parties(tmp_path: Path) -> None:
    base = empty_base().replace(
        outcomes=(
            Outcome(
                "C1",
                "iur_project",
                OutcomeStatus.INTENDED,
                date(2020, 4, 20),
                parties=(Party("university", "安徽理工大学"),),
            ),
        )
    )
    rows = [
        {
            "序号": 1,
            "成果编号": "C1",
            "成果类别": "产学研项目",
            "状态": "已签约",
            "日期": date(2020, 4, 25),
        }
    ]
    result = import_workbook(book(tmp_path / "p.xlsx", base, {OUTCOMES: rows}), base)
    (outcome,) = result.ledger.outcomes
    assert outcome.parties == base.outcomes[0].parties
    assert (outcome.status, outcome.date) == (OutcomeStatus.SIGNED, date(2020, 4, 25))
    assert result.listing() == ["更新成果 C1（成果!2:2）：状态、日期"]


_places = st.integers(0, 6)
_amounts = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(0, int(MAX_AMOUNT_YUAN)),
    _places,
).filter(lambda d: d <= MAX_AMOUNT_YUAN)
_areas = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(0, int(MAX_LAND_MU)),
    _places,
).filter(lambda d: d <= MAX_LAND_MU)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    amounts=st.lists(st.none() | _amounts, min_size=1, max_size=5),
    areas=st.lists(st.none() | _areas, min_size=1, max_size=5),
    title=st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=20),
)
def test_any_amount_and_area_exports_and_imports_back_exactly(
    tmp_path: Path, amounts: list[Decimal | None], areas: list[Decimal | None], title: str
) -> None:
    """Up to the ledger's limits (10¹⁶ yuan, 10¹² mu, 6 decimal places): a number cell
    where a spreadsheet's number holds the value exactly, its digits as text where not."""
    base = empty_base()
    outcomes = tuple(
        Outcome(
            f"C{i}",
            "financing",
            OutcomeStatus.SIGNED,
            date(2020, 4, 20),
            title=title if title.strip() else None,  # a blank cell is no title
            amount_yuan=amount,
            land_mu=area,
        )
        for i, (amount, area) in enumerate(zip(amounts, areas, strict=False))
    )
    ledger = base.replace(outcomes=outcomes)
    path = tmp_path / "exact.xlsx"
    path.write_bytes(render(build_report(ledger), "xlsx", show_personal=True))
    result = import_workbook(path, base)
    assert result.ledger.outcomes == outcomes


def test_the_examples_of_the_cells_module_hold() -> None:
    from campaignkit.workbook import cells

    assert doctest.testmod(cells).failed == 0
