"""Reconciliation: claimed figures checked against the records."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.errors import LedgerError
from campaignkit.stats.metrics import make_context
from campaignkit.stats.reconcile import (
    Claim,
    load_claims,
    parse_claim_value,
    parse_claims,
    reconcile,
)
from campaignkit.testing import load_ledger, plugin_manager
from tests import value_kinds

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020"
SEED = ROOT.parent / "shared" / "seed" / "000_69bbb03692d3f40d.simplified.txt"

# Where the body of the seed report disagrees with its own headline paragraph
# (and with the records): metric id → the figure the body states.
BODY_DISAGREES = {
    "symposiums": Decimal(17),  # 召开座谈会17场
    "symposium_enterprises": Decimal(404),  # 参加企业404家
    "issues_collected": Decimal(207),  # 企业反映问题207个
    "land_mu": Decimal(5135),  # 解决土地指标5135亩
    "iur_projects_signed": Decimal(4),  # 签约4个项目
    "financing_amount": Decimal("2218000000"),  # 签约金额22.18亿元
    "media_reports": Decimal(26),  # 省级以上媒体报道稿件26篇
}


@pytest.fixture(scope="module")
def huainan() -> ck.Ledger:
    return ck.load(EXAMPLE / "ledger.json")


def test_body_claims_list_exactly_the_disagreeing_metrics(huainan: ck.Ledger) -> None:
    found = reconcile(huainan, load_claims(EXAMPLE / "claims-body.json"))
    assert {d.claim.metric: d.claim.value for d in found} == BODY_DISAGREES
    for d in found:
        computed = ck.compute(huainan, d.claim.metric)
        assert d.computed == computed  # the value and the records behind it
        assert d.computed.provenance and d.computed.records == len(computed.provenance)
        assert d.difference == d.claim.value - Decimal(computed.value or 0)
    by_metric = {d.claim.metric: d for d in found}
    assert by_metric["symposiums"].computed.value == 16
    assert by_metric["issues_collected"].computed.value == 217
    assert by_metric["land_mu"].computed.value == Decimal(852)


def test_body_claims_that_agree_are_not_listed(huainan: ck.Ledger) -> None:
    claims = load_claims(EXAMPLE / "claims-body.json")
    agree = {c.metric for c in claims} - set(BODY_DISAGREES)
    assert {"enterprises_visited", "service_halls_inspected", "iur_amount"} <= agree
    assert {"investment_projects", "investment_amount", "issue_enterprises"} <= agree


def test_headline_claims_all_agree(huainan: ck.Ledger) -> None:
    claims = load_claims(EXAMPLE / "claims-headline.json")
    assert len(claims) == 20
    assert reconcile(huainan, claims) == []


def test_every_quote_is_the_seeds_words() -> None:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    text = SEED.read_text(encoding="utf-8")
    for name in ("claims-body.json", "claims-headline.json"):
        for claim in load_claims(EXAMPLE / name):
            assert claim.quote and claim.quote in text, (name, claim.metric)


def test_a_discrepancy_is_described_on_one_line(huainan: ck.Ledger) -> None:
    found = reconcile(huainan, {"financing_amount": "22.18亿元", "symposiums": 17})
    assert [d.describe() for d in found] == [
        "financing_amount 银企签约金额：报告 22.18亿元，记录 6.2亿元（7 条记录）",
        "symposiums 座谈会：报告 17场，记录 16场（16 条记录）",
    ]
    en = reconcile(huainan, {"symposiums": 17}, lang="en")
    assert en[0].describe("en") == (
        "symposiums (symposiums): claimed 17, computed 16 from 16 records"
    )


# -- values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "precision"),
    [
        (217, Decimal(217), None),
        ("750000000", Decimal(750000000), None),
        ("7.5亿元", Decimal(750000000), Decimal(10_000_000)),
        ("10亿", Decimal(1_000_000_000), Decimal(100_000_000)),
        ("22.18亿元", Decimal(2_218_000_000), Decimal(1_000_000)),
        ("560万元", Decimal(5_600_000), Decimal(10_000)),
        ("852亩", Decimal(852), None),
        ("16场", Decimal(16), None),
        ("11,438份", Decimal(11438), None),
        ("11，438份", Decimal(11438), None),  # a full-width comma
        ("95.2%", Decimal("0.952"), Decimal("0.001")),
    ],
)
def test_claim_values_as_reports_write_them(
    raw: object, value: Decimal, precision: Decimal | None
) -> None:
    assert parse_claim_value(raw) == (value, precision)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (7.5e8, "not exact"),
        (True, "not exact"),
        ("七亿五千万", "cannot read"),
        ("7.5亿美元", "cannot read"),
        ("5%万", "cannot read"),
        ([1], "expected a number"),
        (None, "expected a number"),
    ],
)
def test_bad_claim_values(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_claim_value(raw)


def claim(metric: str, raw: object) -> Claim:
    value, precision = parse_claim_value(raw)
    return Claim(metric, value, precision=precision)


def test_a_rounded_claim_matches_at_its_precision() -> None:
    rounded = claim("factor_funds", "7.5亿元")
    assert rounded.matches(Decimal("753000000"))
    assert rounded.matches(Decimal("745000000"))  # half up
    assert not rounded.matches(Decimal("756000000"))
    exact = claim("factor_funds", "750000000")
    assert not exact.matches(Decimal("753000000"))
    assert exact.matches(750000000)
    rate = claim("satisfaction_rate", "98.1%")
    assert rate.matches(Decimal("0.9811"))
    assert not rate.matches(Decimal("0.9851"))


def test_rounded_claims_against_the_records(huainan: ck.Ledger) -> None:
    rate = ck.compute(huainan, "satisfaction_rate").value
    assert isinstance(rate, Decimal)
    percent = (rate * 100).quantize(Decimal("0.1"))
    assert reconcile(huainan, {"satisfaction_rate": f"{percent}%"}) == []
    off = reconcile(huainan, {"satisfaction_rate": f"{percent + 1}%"})
    assert [d.claim.metric for d in off] == ["satisfaction_rate"]


def percent(value: Decimal, places: int) -> str:
    """``value`` (a fraction) as a percentage with ``places`` decimals, rounded half-up."""
    step = Decimal(1).scaleb(-places)
    return f"{(value * 100).quantize(step, rounding=ROUND_HALF_UP)}%"


def unrounded(result: ck.MetricResult) -> Decimal:
    assert result.numerator is not None and result.denominator
    return Decimal(result.numerator) / Decimal(result.denominator)


def test_a_rate_is_checked_as_the_records_give_it_not_as_rounded(huainan: ck.Ledger) -> None:
    result = ck.compute(huainan, "resolution_rate")
    assert isinstance(result.value, Decimal)
    exact = unrounded(result)
    right, rounded_twice = percent(exact, 1), percent(result.value, 1)
    # the case of the example: 129/217 is 0.594470…, stored as 0.5945
    assert right != rounded_twice
    assert reconcile(huainan, {"resolution_rate": right}) == []
    found = reconcile(huainan, {"resolution_rate": rounded_twice})
    assert [d.claim.metric for d in found] == ["resolution_rate"]
    # the line shows the rate with the decimals that tell it from the claim
    figure = found[0].figure
    assert isinstance(figure, Decimal) and percent(figure, 1) == right
    assert f"记录 {percent(figure, 3)}" in found[0].describe()
    assert found[0].difference == found[0].claim.value - figure
    # more decimals than the rate is stored with, and a plain fraction with decimals
    for places in (2, 3, 5):
        assert reconcile(huainan, {"resolution_rate": percent(exact, places)}) == []
    assert reconcile(huainan, {"resolution_rate": str(result.value)}) == []
    fraction = exact.quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
    assert reconcile(huainan, {"resolution_rate": str(fraction)}) == []
    assert reconcile(huainan, {"resolution_rate": str(fraction + Decimal("0.00001"))})


def test_averages_are_checked_before_rounding() -> None:
    with plugin_manager(value_kinds) as pm:
        ctx = make_context(load_ledger(EXAMPLE / "ledger.json", manager=pm), manager=pm)
        for metric in ("average_resolve_days", "issues_per_enterprise"):
            result = ck.compute(ctx, metric)
            exact = unrounded(result)
            finer = exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
            assert finer != result.value  # stored with two decimals
            assert reconcile(ctx, {metric: str(finer)}) == [], metric
            off = reconcile(ctx, {metric: str(finer + Decimal("0.001"))})
            assert [d.figure for d in off] == [finer]


# -- units ------------------------------------------------------------------------


def test_a_unit_the_figure_is_not_counted_in_is_a_problem(huainan: ck.Ledger) -> None:
    figures = {
        m: ck.compute(huainan, m).value
        for m in ("land_mu", "factor_funds", "media_reports", "issues_collected")
    }
    rate = ck.compute(huainan, "resolution_rate")
    assert isinstance(rate.value, Decimal)
    # the figures of the records, each in a unit it is not counted in
    claims = {
        "land_mu": f"{figures['land_mu']}元",
        "factor_funds": f"{figures['factor_funds']}亩",
        "media_reports": f"{figures['media_reports']}亩",
        "issues_collected": f"{figures['issues_collected']}%",
        "resolution_rate": f"{rate.value * 100}个",
    }
    with pytest.raises(LedgerError) as exc:
        reconcile(huainan, claims)
    assert [str(p) for p in exc.value.problems] == [
        "claims.land_mu: the figure is written in 元, but land_mu (land quota resolved) "
        "is counted in 亩",
        "claims.factor_funds: the figure is written in 亩, but factor_funds (factor funds) "
        "is counted in 元",
        "claims.media_reports: the figure is written in 亩, but media_reports "
        "(media reports (provincial and above)) is counted in 篇",
        "claims.issues_collected: the figure is written in %, but issues_collected "
        "(issues collected) is counted in 个",
        "claims.resolution_rate: the figure is written in 个, but resolution_rate "
        "(resolution rate) is a percentage",
    ]
    assert [p.phrase.text("zh") for p in exc.value.problems[:2]] == [
        "数字的单位写成了元，但解决土地指标（land_mu）以亩计",
        "数字的单位写成了亩，但要素涉及资金（factor_funds）以元计",
    ]
    # claims read from a file are checked when reconciled, with their file named
    parsed = parse_claims(claims, "draft.json")
    with pytest.raises(LedgerError) as exc:
        reconcile(huainan, parsed)
    assert len(exc.value.problems) == len(claims)
    assert str(exc.value.problems[0]).startswith("draft.json: claims.land_mu: ")


def test_the_units_figures_are_counted_in_agree(huainan: ck.Ledger) -> None:
    land = ck.compute(huainan, "land_mu").value
    funds = ck.compute(huainan, "factor_funds").value
    rate = unrounded(ck.compute(huainan, "resolution_rate"))
    enterprises = ck.compute(huainan, "issue_enterprises").value  # counted in 家
    claims = {
        "land_mu": f"{land}亩",
        "factor_funds": f"{funds}元",
        "resolution_rate": percent(rate, 2),
        "issue_enterprises": f"{enterprises}个",  # "收集问题151个企业": any measure word
        "issues_collected": str(ck.compute(huainan, "issues_collected").value),
    }
    assert reconcile(huainan, claims) == []


def test_the_command_names_a_claim_in_the_wrong_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], huainan: ck.Ledger
) -> None:
    land = ck.compute(huainan, "land_mu").value
    path = write(tmp_path, {"claims": {"land_mu": f"{land}元", "symposiums": 1.5}})
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {path}: claims.land_mu: 数字的单位写成了元，但解决土地指标（land_mu）以亩计",
        f"error: {path}: claims.symposiums: 1.5 不是精确值；请写成整数或 "
        '"130000000"、"1.3亿元" 这样的字符串',
    ]
    path = write(tmp_path, {"claims": {"land_mu": f"{land}元"}})
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path), "--lang", "en"]) == 1
    assert capsys.readouterr().err == (
        f"error: {path}: claims.land_mu: the figure is written in 元, but land_mu "
        "(land quota resolved) is counted in 亩\n"
    )


# -- claims files -----------------------------------------------------------------


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "claims.json"
    path.write_bytes(orjson.dumps(data) if not isinstance(data, bytes) else data)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(LedgerError) as exc:
        load_claims(path)
    return [str(p) for p in exc.value.problems]


def test_a_flat_mapping_is_a_claims_file(tmp_path: Path, huainan: ck.Ledger) -> None:
    path = write(tmp_path, {"symposiums": 17, "land_mu": "852亩"})
    claims = load_claims(path)
    assert [(c.metric, c.source) for c in claims] == [
        ("symposiums", str(path)),
        ("land_mu", str(path)),
    ]
    assert [d.claim.metric for d in reconcile(huainan, claims)] == ["symposiums"]


def test_every_problem_of_a_claims_file_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "source": "draft",
            "author": "x",
            "claims": {
                "symposiums": {"value": 1.5},
                "land_mu": {"quote": "解决土地指标852亩"},
                "media_reports": {"value": 25, "page": 3},
                "issues_collected": "两百",
                "briefings": 2,
            },
        },
    )
    found = problems(path)
    assert found == [
        f"{path}: unknown key(s) 'author'; a claims file has source, note and claims",
        f"{path}: claims.symposiums.value: 1.5 is not exact; write an integer or a string "
        'such as "130000000" or "1.3亿元"',
        f"{path}: claims.land_mu.value: required key missing",
        f"{path}: claims.media_reports: unknown key(s) 'page'; a claim has value and quote",
        f"{path}: claims.issues_collected: cannot read '两百' as a figure (examples: 217, "
        '"750000000", "7.5亿元", "852亩", "95.2%")',
    ]


def test_unreadable_claims_files(tmp_path: Path) -> None:
    assert problems(write(tmp_path, b"{"))[0].startswith(
        f"{tmp_path / 'claims.json'}: not valid JSON"
    )
    assert problems(write(tmp_path, [1, 2])) == [
        f"{tmp_path / 'claims.json'}: expected a JSON object"
    ]
    assert problems(write(tmp_path, {"claims": [1]})) == [
        f"{tmp_path / 'claims.json'}: claims: expected an object"
    ]
    missing = tmp_path / "nope.json"
    assert problems(missing) == [f"{missing}: cannot read: No such file or directory"]


def test_unknown_metrics_are_named_with_the_campaign_type(
    tmp_path: Path, huainan: ck.Ledger
) -> None:
    path = write(tmp_path, {"claims": {"visits": 215, "symposiums": 16, "halls": 6}})
    with pytest.raises(LedgerError) as exc:
        reconcile(huainan, load_claims(path))
    assert [str(p) for p in exc.value.problems] == [
        f"{path}: claims.visits: unknown metric 'visits' for campaign type 'sisong-yifu'",
        f"{path}: claims.halls: unknown metric 'halls' for campaign type 'sisong-yifu'",
    ]


def test_unknown_metrics_are_reported_with_the_files_other_problems(
    tmp_path: Path, huainan: ck.Ledger
) -> None:
    document = {"claims": {"nope": 1, "land_mu": 1.5, "symposiums": {"value": 16, "page": 3}}}
    path = write(tmp_path, document)
    campaign_type = make_context(huainan).campaign_type
    expected = [
        f"{path}: claims.nope: unknown metric 'nope' for campaign type 'sisong-yifu'",
        f"{path}: claims.land_mu: 1.5 is not exact; write an integer or a string "
        'such as "130000000" or "1.3亿元"',
        f"{path}: claims.symposiums: unknown key(s) 'page'; a claim has value and quote",
    ]
    with pytest.raises(LedgerError) as exc:
        load_claims(path, campaign_type=campaign_type)
    assert [str(p) for p in exc.value.problems] == expected
    with pytest.raises(LedgerError) as exc:
        reconcile(huainan, document)
    assert [str(p) for p in exc.value.problems] == [
        line.removeprefix(f"{path}: ") for line in expected
    ]


def test_parse_claims_from_a_mapping() -> None:
    claims = parse_claims({"claims": {"symposiums": {"value": 17, "quote": "召开座谈会17场"}}})
    assert claims == (Claim("symposiums", Decimal(17), "召开座谈会17场"),)


# -- the command ------------------------------------------------------------------


def test_reconcile_command_exits_1_with_one_line_per_discrepancy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["reconcile", str(EXAMPLE / "ledger.json"), str(EXAMPLE / "claims-body.json")])
    assert code == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(BODY_DISAGREES)
    assert [line.split()[0] for line in lines] == list(BODY_DISAGREES)
    assert "symposiums 座谈会：报告 17场，记录 16场（16 条记录）" in lines


def test_reconcile_command_exits_0_when_all_agree(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["reconcile", str(EXAMPLE), str(EXAMPLE / "claims-headline.json"), "--lang", "en"])
    assert code == 0
    assert capsys.readouterr().out == "all 20 claims agree with the records\n"


def test_reconcile_command_json_and_records(capsys: pytest.CaptureFixture[str]) -> None:
    ledger, claims = str(EXAMPLE / "ledger.json"), str(EXAMPLE / "claims-body.json")
    assert main(["reconcile", ledger, claims, "--format", "json"]) == 1
    data = orjson.loads(capsys.readouterr().out)
    financing = next(d for d in data if d["metric"] == "financing_amount")
    assert financing["claimed"] == "2218000000"
    assert financing["computed"] == "620000000"
    assert financing["records"] == len(financing["provenance"]) == 7
    assert financing["quote"] == "现场共有7家企业与7家银行签约,签约金额22.18亿元"
    assert main(["reconcile", ledger, claims, "--records"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == list(ck.compute(ck.load(ledger), "symposiums").provenance)


def test_reconcile_command_reports_bad_claims_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # every problem at once: an unreadable value does not hide an unknown metric
    path = write(tmp_path, {"claims": {"visits": 3, "symposiums": 1.5}})
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"error: {path}: claims.visits: unknown metric 'visits' for campaign type 'sisong-yifu'",
        f"error: {path}: claims.symposiums: 1.5 is not exact; write an integer or a string "
        'such as "130000000" or "1.3亿元"',
    ]
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {path}: claims.visits: 活动类型 'sisong-yifu' 没有指标 'visits'",
        f"error: {path}: claims.symposiums: 1.5 不是精确值；请写成整数或 "
        '"130000000"、"1.3亿元" 这样的字符串',
    ]
    # a ledger that cannot be read leaves the claims file's own problems
    assert main(["reconcile", str(tmp_path / "none.json"), str(path), "--lang", "en"]) == 1
    assert capsys.readouterr().err == (
        f"error: {path}: claims.symposiums: 1.5 is not exact; write an integer or a string "
        'such as "130000000" or "1.3亿元"\n'
    )
    path = write(tmp_path, {"claims": {"visits": 3, "halls": 6}})
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"error: {path}: claims.visits: unknown metric 'visits' for campaign type 'sisong-yifu'",
        f"error: {path}: claims.halls: unknown metric 'halls' for campaign type 'sisong-yifu'",
    ]
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {path}: claims.visits: 活动类型 'sisong-yifu' 没有指标 'visits'",
        f"error: {path}: claims.halls: 活动类型 'sisong-yifu' 没有指标 'halls'",
    ]
    assert "Traceback" not in err


def test_a_ledger_given_as_the_claims_is_one_short_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = str(EXAMPLE / "ledger.json")
    assert main(["reconcile", ledger, ledger]) == 1
    assert capsys.readouterr().err == (
        f"error: {ledger}: 这是台账，不是核对文件：核对文件写的是指标 id 和数字\n"
    )
    assert main(["reconcile", ledger, ledger, "--lang", "en"]) == 1
    assert capsys.readouterr().err == (
        f"error: {ledger}: this is a ledger, not a claims file: the claims file names metric "
        "ids and values\n"
    )


def test_an_empty_claims_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents: list[dict[str, object]] = [{}, {"claims": {}}]
    for document in documents:
        path = write(tmp_path, document)
        assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path)]) == 1
        assert capsys.readouterr().err == (
            f'error: {path}: 没有要核对的数字：核对文件的格式是 {{"claims": {{指标 id: 值, ...}}}}\n'
        )


def test_a_long_bad_value_is_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, {"claims": {"symposiums": list(range(10_000))}})
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path)]) == 1
    assert capsys.readouterr().err == (
        f'error: {path}: claims.symposiums: 应为数字或 "7.5亿元" 这样的字符串，实际是列表\n'
    )
    path = write(tmp_path, {"claims": {"symposiums": "十" * 100}})
    assert main(["reconcile", str(EXAMPLE / "ledger.json"), str(path)]) == 1
    shown = "'" + "十" * 40 + "'…"
    assert capsys.readouterr().err == (
        f"error: {path}: claims.symposiums: 无法把 {shown} 读成数字"
        '（例如：217, "750000000", "7.5亿元", "852亩", "95.2%"）\n'
    )
