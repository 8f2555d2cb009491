"""The summary table (汇总表), ``summary()`` and the ``campaignkit summary`` command."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.stats.metrics import make_context
from campaignkit.stats.summary import SummaryTable, json_value, summary, summary_table

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def huainan() -> ck.Ledger:
    return ck.load(EXAMPLE)


@pytest.fixture
def ledger(document: dict[str, Any]) -> ck.Ledger:
    return ck.loads(orjson.dumps(document))


def column_sums(table: SummaryTable) -> dict[str, Decimal]:
    return {
        c.metric: sum((Decimal(r.values[c.metric] or 0) for r in table.rows), Decimal(0))
        for c in table.columns
    }


@pytest.mark.parametrize("by", ["team", "region"])
def test_total_row_is_the_sum_of_the_rows(huainan: ck.Ledger, by: str) -> None:
    table = summary_table(huainan, by=by)
    sums = column_sums(table)
    for col in table.columns:
        assert sums[col.metric] == Decimal(table.total.values[col.metric] or 0), col.metric
    # and the total row is the figure of the whole ledger
    for col in table.columns:
        assert table.total.values[col.metric] == ck.compute(huainan, col.metric).value


@pytest.mark.parametrize("by", ["team", "region"])
def test_total_row_adds_up_on_a_small_ledger(ledger: ck.Ledger, by: str) -> None:
    table = summary_table(ledger, by=by)
    for metric, total in column_sums(table).items():
        assert total == Decimal(table.total.values[metric] or 0), metric


def test_rows_per_team_in_ledger_order(huainan: ck.Ledger) -> None:
    table = summary_table(huainan)
    labels = [r.label for r in table.rows]
    assert labels == ["第一小组", "第二小组", "第三小组", "第四小组", "机动小组", "工作组统筹"]
    assert table.total.label == "合计" and table.total.is_total
    assert [c.metric for c in table.columns] == list(
        make_context(huainan).campaign_type.summary_columns
    )
    assert table.columns[0].label == "走访企业" and table.columns[0].unit == "家"
    mobile = next(r for r in table.rows if r.key == "T5")
    assert mobile.values["service_halls_inspected"] == 6


def test_rows_per_region(huainan: ck.Ledger) -> None:
    table = summary_table(huainan, by="region")
    keys = [r.key for r in table.rows]
    counties = [r.code for r in huainan.regions if r.level == "county"]
    assert keys[: len(counties)] == counties
    assert table.rows[-1].label == "市级及全市"  # city-wide meetings and media


def test_the_whole_group_row_appears_only_when_used(document: dict[str, Any]) -> None:
    for a in document["activities"]:
        a.setdefault("team", "T1")
    for i in document["issues"]:
        i["team"] = i.get("team") or "T2"
    document["outcomes"][2]["team"] = "T1"
    table = summary_table(ck.loads(orjson.dumps(document)))
    assert [r.key for r in table.rows] == ["T1", "T2", "T5"]


def test_english_labels(ledger: ck.Ledger) -> None:
    table = summary_table(ledger, lang="en")
    assert table.total.label == "Total"
    assert table.columns[0].label == "enterprises visited"


def test_only_additive_metrics_and_known_dimensions(ledger: ck.Ledger) -> None:
    with pytest.raises(ValueError, match="is a rate"):
        summary_table(ledger, metrics=["resolution_rate"])
    with pytest.raises(ValueError, match="by 'team' or 'region'"):
        summary_table(ledger, by="month")


def test_to_rows(ledger: ck.Ledger) -> None:
    table = summary_table(ledger, metrics=["enterprises_visited", "land_mu"])
    assert table.to_rows() == [
        {"team": "第一小组", "enterprises_visited": 1, "land_mu": Decimal("12.5")},
        {"team": "第二小组", "enterprises_visited": 1, "land_mu": Decimal(0)},
        {"team": "机动小组", "enterprises_visited": 0, "land_mu": Decimal(0)},
        {"team": "合计", "enterprises_visited": 2, "land_mu": Decimal("12.5")},
    ]
    assert isinstance(table.rows[1].values["land_mu"], Decimal)
    labelled = table.to_rows(include_total=False, labels=True)
    assert labelled[0] == {
        "小组": "第一小组",
        "走访企业（家）": 1,
        "解决土地指标（亩）": Decimal("12.5"),
    }
    assert len(labelled) == 3


def test_to_dataframe(huainan: ck.Ledger) -> None:
    pd = pytest.importorskip("pandas")
    frame = summary_table(huainan).to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "team"
    assert frame.loc["合计", "enterprises_visited"] == 215
    assert frame.loc["合计", "factor_funds"] == Decimal("750000000")
    rows = frame.drop(index="合计")
    assert rows["issues_collected"].sum() == frame.loc["合计", "issues_collected"]
    labelled = summary_table(huainan, by="region").to_dataframe(labels=True, include_total=False)
    assert labelled.index.name == "县区/开发区"
    assert "寿县" in labelled.index


def test_importing_campaignkit_does_not_import_pandas() -> None:
    code = (
        "import sys, campaignkit, campaignkit.stats.summary, campaignkit.stats.metrics, campaignkit.report.build;"
        "print('pandas' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_summary_maps_every_metric(huainan: ck.Ledger) -> None:
    figures = summary(huainan)
    ctype = make_context(huainan).campaign_type
    assert list(figures) == [m.id for m in ctype.metrics]
    headline = summary(huainan, headline_only=True)
    assert list(headline) == list(ctype.summary_columns)
    assert all(figures[k] == v for k, v in headline.items())


def test_json_value() -> None:
    assert json_value(215) == 215
    assert json_value(Decimal("852.0")) == "852"
    assert json_value(Decimal("12.50")) == "12.5"
    assert json_value(Decimal("0.9811")) == "0.9811"
    assert json_value(None) is None


# -- the command ------------------------------------------------------------------


def test_summary_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(EXAMPLE), "--format", "json"]) == 0
    data = orjson.loads(capsys.readouterr().out)
    assert data["symposiums"] == 16
    assert data["land_mu"] == "852"
    assert data["satisfaction_rate"] == str(ck.compute(ck.load(EXAMPLE), "satisfaction_rate").value)


def test_summary_as_of(capsys: pytest.CaptureFixture[str], huainan: ck.Ledger) -> None:
    assert main(["summary", str(EXAMPLE), "--format", "json", "--as-of", "2020-04-22"]) == 0
    data = orjson.loads(capsys.readouterr().out)
    assert data["issues_collected"] == sum(
        1 for i in huainan.issues if i.raised <= date(2020, 4, 22)
    )


def test_summary_text_is_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    from wcwidth import wcswidth

    assert main(["summary", str(EXAMPLE), "--headline"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("factor_funds" in line and "7.5亿元" in line for line in lines)
    assert any("land_mu" in line and "852亩" in line for line in lines)
    widths = {wcswidth(line) for line in lines}
    assert len(widths) == 1, widths


def test_summary_table_by_region_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(EXAMPLE), "--by", "region", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")  # UTF-8 with a byte-order mark, for Excel
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    # as the report's CSV writes it: the units in the header
    assert rows[-1]["县区"] == "合计"
    assert rows[-1]["走访企业（家）"] == "215"
    assert sum(int(r["走访企业（家）"]) for r in rows[:-1]) == 215


def test_summary_table_by_team_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(EXAMPLE), "--by", "team", "--format", "json"]) == 0
    rows = orjson.loads(capsys.readouterr().out)
    assert rows[-1]["team"] == "合计"
    assert rows[-1]["factor_funds"] == "750000000"
    assert sum(r["issues_collected"] for r in rows[:-1]) == rows[-1]["issues_collected"] == 217


def test_summary_of_a_bad_file_is_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["summary", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: 不是有效的 JSON：")
    assert main(["summary", str(bad), "--lang", "en"]) == 1
    assert capsys.readouterr().err.startswith(f"error: {bad}: not valid JSON")
    assert "Traceback" not in err


def test_summary_rejects_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["summary", str(EXAMPLE), "--as-of", "12 May"])
    assert exc.value.code == 2
    assert "参数 --as-of：应为 YYYY-MM-DD 格式的日期，实际是 '12 May'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["summary", str(EXAMPLE), "--as-of", "12 May", "--lang", "en"])
    assert exc.value.code == 2
    assert "argument --as-of: expected a date as YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labelled_columns_name_their_units_as_the_csv_headers_do(lang: str) -> None:
    pytest.importorskip("pandas")
    from campaignkit.report.tables import Redactor, summary_as_table

    table = summary_table(ck.load(EXAMPLE), lang=lang)
    frame = table.to_dataframe(labels=True)
    csv_headers = [
        c.header(raw_units=True) for c in summary_as_table(table, lang, Redactor()).columns
    ]
    assert list(frame.columns) == csv_headers
    money = next(c for c in table.columns if c.value_kind == "yuan")
    assert f"{money.label}（{money.unit}）" in frame.columns or lang == "en"
    assert list(table.to_rows(labels=True)[0])[1:] == csv_headers
