"""``campaignkit summary --format csv`` says the report's figures the way the report's CSV
does: every unit in the header, rates in percent."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import campaignkit as ck
from campaignkit.cli.app import main

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _out(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> bytes:
    assert main(list(args)) == 0
    return capsysbinary.readouterr().out


@pytest.mark.parametrize("by", ["team", "region"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_table_as_csv_is_the_reports_csv(
    capsysbinary: pytest.CaptureFixture[bytes], by: str, lang: str
) -> None:
    summary = _out(
        capsysbinary, "summary", str(HUAINAN), "--by", by, "--format", "csv", "--lang", lang
    )
    report = _out(capsysbinary, "report", str(HUAINAN), "-f", "csv", "--by", by, "--lang", lang)
    assert summary == report


def test_the_summary_table_as_csv_names_every_unit(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    out = _out(capsysbinary, "summary", str(HUAINAN), "--by", "team", "--format", "csv")
    head, first, *_ = csv.reader(io.StringIO(out.decode("utf-8-sig")))
    ledger = ck.load(HUAINAN)
    invested = ck.breakdown(ledger, "investment_amount", "team").rows[0].result.value
    assert head[0] == "小组" and "拟投资（元）" in head and "走访企业（家）" in head
    assert first[head.index("拟投资（元）")] == f"{invested:.0f}"


def test_figures_as_csv_give_rates_in_percent(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    out = _out(capsysbinary, "summary", str(HUAINAN), "--format", "csv")
    rows = {row[0]: row for row in csv.reader(io.StringIO(out.decode("utf-8-sig")))}
    rate = ck.compute(ck.load(HUAINAN), "resolution_rate").value
    assert rate is not None
    percent = (Decimal(rate) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert rows["resolution_rate"] == ["resolution_rate", "问题办结率", "%", str(percent)]
    assert rows["issues_collected"] == ["issues_collected", "收集问题", "个", "217"]
