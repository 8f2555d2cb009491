"""The headline paragraph, in the seed report's own words, rendered from records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.rules.records import Label, MetricDef, NarrativeTemplate
from campaignkit.stats.metrics import MetricResult, make_context
from campaignkit.stats.narrative import format_date, format_number, format_value, render_narrative

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020" / "ledger.json"
SEED = ROOT.parent / "shared" / "seed" / "000_69bbb03692d3f40d.simplified.txt"

# The seed's first paragraph, from "截止到5月12日" to "7.5亿元" (checked against the seed below).
SEED_PARAGRAPH = (
    "截止到5月12日,工作组实地走访企业215家,走访重点项目25个;召开政协委员、人大代表各类座谈会16场、"
    "参加企业325家;召开集中宣讲大会2场,参加企业176家;集中交办会2场,参加企业42家,机关干部23人;"
    "暗访各类服务大厅6个;回访去年反映问题企业164家;送招商具体项目2个,拟投资10亿元;"
    "收集企业反映问题217个;发放11438份政策清单和省“四送一服”平台名片;省级以上媒体报道25篇;"
    "与淮南市政府联合举办各类要素对接会4场,解决土地指标852亩,签订产学研项目23个,要素涉及资金7.5亿元"
)


def full_width(text: str) -> str:
    """``text`` with its ASCII punctuation made full-width, as Chinese text is written.

    The seed report's text, as the seed holds it, has ASCII commas and semicolons; the
    paragraph is meant to be pasted into a 工作总结, so campaignkit writes it with
    full-width punctuation (，；). Its words and figures are the seed's, unchanged.
    """
    return text.translate(str.maketrans(",;:()!?", "，；：（）！？"))


@pytest.fixture(scope="module")
def huainan() -> ck.Ledger:
    return ck.load(EXAMPLE)


def test_the_paragraph_is_the_seeds() -> None:
    if not SEED.exists():
        pytest.skip("the seed report is not beside the repository")
    text = SEED.read_text(encoding="utf-8")
    start = text.index("截止到5月12日")
    end = text.index("7.5亿元", start) + len("7.5亿元")
    assert text[start:end] == SEED_PARAGRAPH


def test_chinese_narrative_is_the_seeds_first_paragraph(huainan: ck.Ledger) -> None:
    text = render_narrative(make_context(huainan))
    assert text == full_width(SEED_PARAGRAPH) + "。"
    assert text.translate(str.maketrans("，；", ",;")) == SEED_PARAGRAPH + "。"  # only those


def test_english_narrative(huainan: ck.Ledger) -> None:
    text = render_narrative(make_context(huainan), lang="en")
    assert text == (
        "As of 12 May 2020, the working group had visited 215 enterprises and 25 key projects; "
        "held 16 symposiums with 325 enterprise attendances; "
        "held 2 policy briefings attended by 176 enterprises; "
        "held 2 assignment meetings with 42 enterprises and 23 officials; "
        "inspected 6 service halls unannounced; return-visited 164 enterprises; "
        "brought 2 investment projects with intended investment of CNY 1,000,000,000; "
        "collected 217 issues; handed out 11,438 policy lists and platform cards; "
        "was covered by 25 provincial or national media reports; "
        "held 4 factor matchmaking meetings with the Huainan government, resolving 852 mu of "
        "land quota, signing 23 industry–university–research projects and involving "
        "CNY 750,000,000 in funds."
    )


def test_the_paragraph_follows_the_as_of_date(huainan: ck.Ledger) -> None:
    text = render_narrative(make_context(huainan, as_of=date(2020, 4, 22)))
    assert text.startswith("截止到4月22日，工作组实地走访企业")
    visited = ck.compute(huainan, "enterprises_visited", as_of=date(2020, 4, 22)).value
    assert f"实地走访企业{visited}家" in text
    assert visited != 215
    assert "集中交办会" not in text  # no assignment meeting had been held yet


def test_clauses_with_nothing_to_report_are_left_out(document: dict[str, Any]) -> None:
    document["outcomes"] = [o for o in document["outcomes"] if o["kind"] != "investment_project"]
    ledger = ck.loads(orjson.dumps(document))
    text = render_narrative(make_context(ledger))
    assert "招商" not in text
    assert "暗访" not in text
    assert text.startswith("截止到5月12日，工作组实地走访企业2家，走访重点项目0个；")
    assert "召开政协委员、人大代表各类座谈会1场、参加企业12家" in text
    assert "省级以上媒体报道1篇" in text
    assert "解决土地指标12.5亩" in text
    assert text.endswith("要素涉及资金500万元。")


def test_record_text_is_never_expanded(document: dict[str, Any]) -> None:
    document["work_groups"][0]["name"] = "{issues_collected}{__class__}"
    ctx = make_context(ck.loads(orjson.dumps(document)))
    template = NarrativeTemplate(zh=("{group}收集问题{issues_collected}个",), en=("",))
    assert render_narrative(ctx, template) == "{issues_collected}{__class__}收集问题3个。"


def test_a_placeholder_that_is_no_metric_fails_clearly(ledger: ck.Ledger) -> None:
    template = NarrativeTemplate(zh=("{visits}",), en=("",))
    with pytest.raises(KeyError, match="no metric 'visits'"):
        render_narrative(make_context(ledger), template)


@pytest.fixture
def ledger(document: dict[str, Any]) -> ck.Ledger:
    return ck.loads(orjson.dumps(document))


@pytest.mark.parametrize(
    ("value", "kind", "unit", "lang", "text"),
    [
        (Decimal("1000000000"), "yuan", "元", "zh", "10亿元"),
        (Decimal("750000000"), "yuan", "元", "zh", "7.5亿元"),
        (Decimal("2218000000"), "yuan", "元", "zh", "22.18亿元"),
        (Decimal("5600000"), "yuan", "元", "zh", "560万元"),
        (Decimal("3500"), "yuan", "元", "zh", "3500元"),
        (Decimal("2218000000"), "yuan", "yuan", "en", "CNY 2,218,000,000"),
        (Decimal("852"), "mu", "亩", "zh", "852亩"),
        (Decimal("12.5"), "mu", "mu", "en", "12.5 mu"),
        (16, "count", "场", "zh", "16场"),
        (11438, "count", "份", "zh", "11438份"),
        (11438, "count", "copies", "en", "11,438 copies"),
        (215, "count", "", "en", "215"),
        (Decimal("0.9811"), "rate", "%", "zh", "98.11%"),
        (Decimal("1.0000"), "rate", "%", "en", "100%"),
    ],
)
def test_format_number(value: Decimal | int, kind: str, unit: str, lang: str, text: str) -> None:
    assert format_number(value, kind, unit, lang) == text


def test_format_value_leaves_count_units_to_the_template() -> None:
    metric = MetricDef("x", Label("走访", "visits"), Label("家", ""))
    assert format_value(metric, MetricResult("x", "走访", "家", 215, ())) == "215"
    assert format_value(metric, MetricResult("x", "走访", "家", None, ())) == "—"


def test_format_date() -> None:
    assert format_date(date(2020, 5, 12)) == "5月12日"
    assert format_date(date(2020, 5, 12), "en") == "12 May 2020"
