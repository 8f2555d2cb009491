"""Region codes: GB/T 2260 codes in force during the campaign, zone codes, parent chains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck

ROOT = Path(__file__).resolve().parents[2]


def problems(doc: dict[str, Any], lang: str = "en") -> list[str]:
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    return [f"{p.path}: {p.phrase.text(lang)}" for p in info.value.problems]


def codes(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    return [(p.path, p.code) for p in info.value.problems]


def regions_only(
    start: str, end: str, regions: list[dict[str, Any]], document: dict[str, Any]
) -> dict[str, Any]:
    """The test document with only a campaign of the period ``start``–``end`` and ``regions``."""
    campaign = document["campaign"]
    campaign["period"] = {"start": start, "end": end}
    campaign["phases"] = []
    campaign["scope"] = {}
    for section in ("work_groups", "enterprises", "activities", "issues", "outcomes"):
        document[section] = []
    document["regions"] = regions
    return document


def region(code: str, name: str, level: str, parent: str | None = None) -> dict[str, Any]:
    found = {"code": code, "name": name, "level": level}
    if parent is not None:
        found["parent"] = parent
    return found


def test_the_example_ledger_is_still_valid() -> None:
    ledger = ck.load(ROOT / "examples" / "huainan-2020" / "ledger.json")
    assert len([r for r in ledger.regions if r.level == "county"]) == 7


def test_an_unknown_code(document: dict[str, Any]) -> None:
    document["regions"][2]["code"] = document["campaign"]["scope"]["regions"][0] = "999999"
    document["work_groups"][0]["teams"][0]["regions"] = ["999999"]
    for e in document["enterprises"] + document["activities"]:
        if e.get("region") == "340402":
            e["region"] = "999999"
    assert problems(document) == [
        "regions[2].code: '999999' is not a GB/T 2260 code in force during the campaign"
        " (2020-04-12 – 2020-05-12)"
    ]
    assert problems(document, "zh") == [
        "regions[2].code: '999999' 不是专项行动期间（2020-04-12 至 2020-05-12）在用的 GB/T 2260 代码"
    ]


def test_a_code_in_the_shape_of_a_county_of_a_real_city(document: dict[str, Any]) -> None:
    document["regions"].append(region("340499", "虚构区", "county", "340400"))
    assert codes(document) == [("regions[5].code", "gbt2260-unknown")]


def test_codes_retired_after_the_campaign_still_count(document: dict[str, Any]) -> None:
    """巢湖市 was a city (341400) until 2011, with 居巢区 341402; a 2010 campaign keeps them."""
    doc = regions_only(
        "2010-04-01",
        "2010-05-12",
        [
            region("340000", "安徽省", "province"),
            region("341400", "巢湖市", "city", "340000"),
            region("341402", "居巢区", "county", "341400"),
            region("341521", "寿县", "county", "340000"),  # in 六安市 then: 341500
        ],
        document,
    )
    ledger = ck.loads(orjson.dumps(doc))
    assert [r.code for r in ledger.regions] == ["340000", "341400", "341402", "341521"]


def test_a_code_retired_during_the_campaigns_year_counts(document: dict[str, Any]) -> None:
    doc = regions_only("2011-03-01", "2011-04-30", [region("341400", "巢湖市", "city")], document)
    assert len(ck.loads(orjson.dumps(doc)).regions) == 1


def test_codes_retired_before_the_campaign_are_refused(document: dict[str, Any]) -> None:
    document["regions"].append(region("341400", "巢湖市", "city", "340000"))
    assert problems(document) == [
        "regions[5].code: '341400' (巢湖市) was a GB/T 2260 code from 1999 to 2011,"
        " not during the campaign (2020-04-12 – 2020-05-12)"
    ]
    assert problems(document, "zh") == [
        "regions[5].code: '341400'（巢湖市）是 1999 年至 2011 年在用的 GB/T 2260 代码，"
        "专项行动期间（2020-04-12 至 2020-05-12）不在用"
    ]


def test_codes_made_after_the_campaign_are_refused(document: dict[str, Any]) -> None:
    """寿县 has been 340422 (淮南市) since 2015: not a code a 2014 campaign could use."""
    doc = regions_only(
        "2014-04-01",
        "2014-05-12",
        [
            region("340000", "安徽省", "province"),
            region("340400", "淮南市", "city", "340000"),
            region("340422", "寿县", "county", "340400"),
        ],
        document,
    )
    assert problems(doc) == [
        "regions[2].code: '340422' (寿县) was a GB/T 2260 code from 2015,"
        " not during the campaign (2014-04-01 – 2014-05-12)"
    ]
    doc["campaign"]["period"] = {"start": "2015-04-01", "end": "2015-05-12"}
    assert len(ck.loads(orjson.dumps(doc)).regions) == 3


def test_a_campaign_after_the_newest_list_is_told_so(document: dict[str, Any]) -> None:
    doc = regions_only(
        "2027-04-01",
        "2027-05-12",
        [region("340000", "安徽省", "province"), region("349999", "新区", "city", "340000")],
        document,
    )
    assert problems(doc) == [
        "regions[1].code: '349999' is not a GB/T 2260 code in the lists up to 2024 that"
        " campaignkit knows (a code made since needs a newer campaignkit)"
    ]


def test_full_width_digits_are_refused(document: dict[str, Any]) -> None:
    document["regions"].append(region("３４０４２１", "凤台县", "county", "340400"))
    document["regions"].append(region("٣٤٠٤٢٢", "寿县", "county", "340400"))
    assert codes(document) == [
        ("regions[5].code", "gbt2260-not-ascii"),
        ("regions[6].code", "gbt2260-not-ascii"),
    ]
    assert problems(document)[0] == (
        "regions[5].code: '３４０４２１' must be written in ASCII digits 0-9"
        " (full-width and other digits are not GB/T 2260 codes)"
    )


def test_a_code_not_of_six_digits(document: dict[str, Any]) -> None:
    document["regions"].append(region("34042", "寿县", "county", "340400"))
    document["regions"].append(region("HN-X", "寿县", "county", "340400"))
    assert problems(document) == [
        "regions[5].code: '34042' is not a six-digit GB/T 2260 code",
        "regions[6].code: 'HN-X' is not a six-digit GB/T 2260 code",
    ]


def test_the_level_must_fit_the_code(document: dict[str, Any]) -> None:
    document["regions"][1]["level"] = "county"  # 340400 淮南市
    document["regions"][3]["level"] = "city"  # 340403 田家庵区
    assert problems(document) == [
        "regions[1].level: '340400' is the code of a city, but the level is 'county'",
        "regions[3].level: '340403' is the code of a county or district, but the level is 'city'",
    ]
    assert problems(document, "zh")[0] == (
        "regions[1].level: '340400' 是地级行政区的代码，层级却是 'county'"
    )


def test_a_region_that_is_its_own_parent(document: dict[str, Any]) -> None:
    document["regions"][2]["parent"] = "340402"
    assert problems(document) == ["regions[2].parent: region '340402' is its own parent"]
    assert problems(document, "zh") == ["regions[2].parent: 地区 '340402' 的上级是它自己"]


def test_two_regions_each_the_others_parent(document: dict[str, Any]) -> None:
    document["regions"][0]["parent"] = "340400"
    assert problems(document) == [
        "regions[0].parent: the chain of parents comes back to where it started after 2 regions:"
        " '340000' → '340400' → '340000'",
        "regions[1].parent: the chain of parents comes back to where it started after 2 regions:"
        " '340400' → '340000' → '340400'",
    ]


def test_a_cycle_of_three_through_a_zone(document: dict[str, Any]) -> None:
    document["regions"][0]["parent"] = "HN-ETDZ"  # 安徽省 under 经开区 under 淮南市 under 安徽省
    assert codes(document) == [
        ("regions[0].parent", "region-parent-cycle"),
        ("regions[1].parent", "region-parent-cycle"),
        ("regions[4].parent", "region-parent-cycle"),
    ]
    assert problems(document, "zh")[2] == (
        "regions[4].parent: 上级链条经过 3 个地区后绕回了起点：'HN-ETDZ' → '340400' → '340000' → 'HN-ETDZ'"
    )


def test_regions_leading_into_a_cycle_are_not_in_it(document: dict[str, Any]) -> None:
    document["regions"][1]["parent"] = "340400"  # 淮南市 its own parent; its counties below it
    assert codes(document) == [("regions[1].parent", "region-own-parent")]


def test_a_long_chain_without_a_cycle_is_fine(document: dict[str, Any]) -> None:
    zones = [region(f"Z{k}", f"园区{k}", "zone", f"Z{k + 1}") for k in range(2000)]
    zones[-1]["parent"] = "340402"
    document["regions"].extend(zones)
    assert len(ck.loads(orjson.dumps(document)).regions) == 2005
    document["regions"][-1]["parent"] = "Z0"
    found = problems(document)
    assert len(found) == 1001  # one per region of the cycle, until validation stops
    assert found[0] == (
        "regions[5].parent: the chain of parents comes back to where it started after 2000"
        " regions: 'Z0' → 'Z1' → 'Z2' → 'Z3' → … → 'Z0'"
    )
    assert found[999].endswith("'Z999' → 'Z1000' → 'Z1001' → 'Z1002' → … → 'Z999'")
    assert found[-1].endswith("stopped after 1000 problems: fix these and validate again")


def test_a_gbt_parent_must_be_the_one_the_code_names(document: dict[str, Any]) -> None:
    document["regions"][3]["parent"] = "340402"  # a district under a district
    document["regions"].append(region("340100", "合肥市", "city", "340000"))
    document["regions"].append(region("340181", "巢湖市", "county", "340400"))  # in 合肥市
    assert problems(document) == [
        "regions[3].parent: '340402' cannot be the parent of '340403':"
        " by GB/T 2260 its parent is '340400' / '340000'",
        "regions[6].parent: '340400' cannot be the parent of '340181':"
        " by GB/T 2260 its parent is '340100' / '340000'",
    ]


def test_a_province_has_no_gbt_parent(document: dict[str, Any]) -> None:
    document["regions"].append(region("320000", "江苏省", "province", "340000"))
    assert problems(document) == [
        "regions[5].parent: '340000' cannot be the parent of '320000':"
        " by GB/T 2260 its parent is none (it is a province)"
    ]


def test_a_county_may_sit_under_its_province_or_a_zone(document: dict[str, Any]) -> None:
    """The counties of a municipality, and those a province governs directly, have no city."""
    document["regions"][2]["parent"] = "340000"
    document["regions"].append(region("HN-SX", "寿县产业园", "zone", "340400"))
    document["regions"][3]["parent"] = "HN-SX"
    assert len(ck.loads(orjson.dumps(document)).regions) == 6


@pytest.mark.parametrize(
    "code", ["HN-HTDZ", "AH-01-ETDZ", "园区", "经开区", "ＨＮ-ETDZ", "zone_7", "x", "999999"]
)
def test_zone_codes_keep_their_own_rules(document: dict[str, Any], code: str) -> None:
    document["regions"].append(region(code, "园区", "zone", "340400"))
    assert len(ck.loads(orjson.dumps(document)).regions) == 6


@pytest.mark.parametrize(
    "code", ["", "HN ETDZ", "经开\u3000区", "HN-\x1bETDZ", "HN-\u202eETDZ", "\t", "\u200b"]
)
def test_a_zone_code_is_visible_without_spaces(document: dict[str, Any], code: str) -> None:
    document["regions"].append(region(code, "园区", "zone", "340400"))
    assert codes(document) == [("regions[5].code", "zone-code")]
    assert problems(document)[0].endswith(
        "is not a zone code: use visible characters (letters, digits, '-' …), no spaces, "
        "no characters that do not show"
    )


def test_a_zone_code_has_the_length_of_a_name(document: dict[str, Any]) -> None:
    document["regions"].append(region("Z" * 1000, "园区", "zone", "340400"))
    assert len(ck.loads(orjson.dumps(document)).regions) == 6
    document["regions"][5]["code"] = "Z" * 1001
    assert problems(document) == [
        "regions[5].code: text of 1001 characters exceeds the limit of 1000"
    ]
