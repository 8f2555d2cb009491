"""The GB/T 2260 code table shipped with campaignkit: what it knows and when."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import orjson
import pytest

from campaignkit.ledgerfile.regions import load_regions
from campaignkit.model import gbt2260
from campaignkit.model.records import RegionLevel

ROOT = Path(__file__).resolve().parents[2]
SPRING_2020 = (date(2020, 4, 12), date(2020, 5, 12))


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("110000", "北京市"),
        ("110101", "东城区"),
        ("310115", "浦东新区"),
        ("440300", "深圳市"),
        ("340000", "安徽省"),
        ("340100", "合肥市"),
        ("340181", "巢湖市"),
        ("340400", "淮南市"),
        ("340402", "大通区"),
        ("340403", "田家庵区"),
        ("340404", "谢家集区"),
        ("340405", "八公山区"),
        ("340406", "潘集区"),
        ("340421", "凤台县"),
        ("340422", "寿县"),
        ("650000", "新疆维吾尔自治区"),
        ("810000", "香港特别行政区"),
    ],
)
def test_codes_in_force_in_2020(code: str, name: str) -> None:
    assert gbt2260.in_force(code, *SPRING_2020)
    assert [d.name for d in gbt2260.lookup(code) if d.in_force(*SPRING_2020)] == [name]


def test_shou_county_moved_to_huainan_in_2015() -> None:
    """寿县: 342422 (六安地区) until 1999, 341521 (六安市) until 2015, 340422 (淮南市) since."""
    assert [(d.since, d.until) for d in gbt2260.lookup("342422")] == [(None, 1999)]
    assert [(d.since, d.until) for d in gbt2260.lookup("341521")] == [(1999, 2015)]
    assert [(d.since, d.until) for d in gbt2260.lookup("340422")] == [(2015, None)]
    assert {d.name for code in ("342422", "341521", "340422") for d in gbt2260.lookup(code)} == {
        "寿县"
    }
    assert not gbt2260.in_force("340422", date(2014, 4, 1), date(2014, 5, 1))
    assert not gbt2260.in_force("341521", date(2016, 4, 1), date(2016, 5, 1))


def test_chaohu_city_became_a_county_level_city_in_2011() -> None:
    assert [(d.name, d.since, d.until) for d in gbt2260.lookup("341400")] == [
        ("巢湖市", 1999, 2011)
    ]
    assert [(d.name, d.since, d.until) for d in gbt2260.lookup("340181")] == [
        ("巢湖市", 2011, None)
    ]
    # the year of a change counts on both sides: the lists give years, not days
    assert gbt2260.in_force("341400", date(2011, 1, 1), date(2011, 1, 31))
    assert gbt2260.in_force("340181", date(2011, 1, 1), date(2011, 1, 31))
    assert not gbt2260.in_force("341400", date(2012, 1, 1), date(2012, 12, 31))


def test_codes_that_never_were() -> None:
    for code in ("999999", "340499", "349900", "000000", "３４００００", "34040", ""):
        assert gbt2260.lookup(code) == ()
        assert not gbt2260.in_force(code, *SPRING_2020)


def test_a_reused_code_has_a_span_for_each_use() -> None:
    spans = gbt2260.lookup("132201")  # 邢台市 until 1983, then 南宫市
    assert [d.name for d in spans] == ["邢台市", "南宫市"]
    assert [d.until for d in spans] == [1983, 1993]


def test_the_table_as_a_whole() -> None:
    spans = gbt2260.divisions()
    assert all(gbt2260.is_code(d.code) for d in spans)
    assert all(d.name and "," not in d.name for d in spans)
    assert all(
        d.since is None or gbt2260.FIRST_YEAR < d.since <= gbt2260.NEWEST_YEAR for d in spans
    )
    assert all(
        d.until is None or gbt2260.FIRST_YEAR < d.until <= gbt2260.NEWEST_YEAR for d in spans
    )
    assert all(d.since is None or d.until is None or d.since < d.until for d in spans)
    newest = date(gbt2260.NEWEST_YEAR, 12, 31)
    current = {d.code for d in spans if d.until is None}
    assert len(current) == 3213  # the Ministry's list of 2024: 34 provinces, 333 cities …
    assert sum(1 for c in current if gbt2260.level_of(c) is RegionLevel.PROVINCE) == 34
    assert sum(1 for c in current if c.startswith("34") and gbt2260.level_of(c) == "county") == 104
    assert all(gbt2260.in_force(c, newest, newest) for c in current)


def test_shape_and_level() -> None:
    assert gbt2260.is_code("340422")
    for code in ("３４０４２２", "٣٤٠٤٢٢", "34042", "3404220", "34042a", " 34042", ""):
        assert not gbt2260.is_code(code), code
    assert gbt2260.level_of("340000") is RegionLevel.PROVINCE
    assert gbt2260.level_of("340400") is RegionLevel.CITY
    assert gbt2260.level_of("340422") is RegionLevel.COUNTY
    assert all(d.level is gbt2260.level_of(d.code) for d in gbt2260.lookup("340400"))


def test_parent_codes() -> None:
    assert gbt2260.parent_codes("340422") == ("340400", "340000")
    assert gbt2260.parent_codes("110101") == ("110100", "110000")
    assert gbt2260.parent_codes("340400") == ("340000",)
    assert gbt2260.parent_codes("340000") == ()


def test_every_shipped_and_example_region_code_is_in_force_in_2020() -> None:
    example = orjson.loads((ROOT / "examples" / "huainan-2020" / "ledger.json").read_bytes())
    start, end = (date.fromisoformat(example["campaign"]["period"][k]) for k in ("start", "end"))
    regions = [(r["code"], r["level"]) for r in example["regions"]]
    regions += [(r.code, str(r.level)) for r in load_regions("anhui-huainan")]
    gbt = [(code, level) for code, level in regions if level != "zone"]
    assert len(gbt) >= 18
    for code, level in gbt:
        assert gbt2260.in_force(code, start, end), code
        assert gbt2260.level_of(code) == level, code


def test_the_table_is_read_once_and_only_when_asked() -> None:
    """Importing campaignkit reads nothing; the first lookup reads the table, later ones not."""
    script = textwrap.dedent(
        """
        import importlib.resources

        reads = []
        real = importlib.resources.files

        def files(package):
            reads.append(str(package))
            return real(package)

        importlib.resources.files = files
        import campaignkit

        print(reads.count("campaignkit.data.gbt2260"))
        campaignkit.load("examples/huainan-2020/ledger.json")
        print(reads.count("campaignkit.data.gbt2260"))
        campaignkit.load("examples/huainan-2020/ledger.json")
        print(reads.count("campaignkit.data.gbt2260"))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert proc.stdout.split() == ["0", "1", "1"]
