"""A deterministic synthetic ledger of a whole province, at any size.

``python -m benchmarks.generate 1m -o benchmarks/data/ledger-1m.json`` writes a
四送一服 ledger with one million issues and, in proportion, 200,000
enterprises, 500,000 activities and 50,000 outcomes, spread over Anhui's 16
cities and 104 counties and districts (their real GB/T 2260 codes of 2024), a
development zone per city, 16 working groups and their teams. The same size and seed
always give the same bytes. Every record is valid: USCCs carry their check
character, references resolve, dates fall in the campaign period and every
issue history is a legal path through the built-in lifecycle, so
:func:`campaignkit.load` accepts the file.

Records are written one per line inside their section's array (the file is
still one JSON document), streamed with orjson so the 1M file never sits in
memory as Python objects.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from campaignkit.model import gbt2260
from campaignkit.model.uscc import check_character

__all__ = [
    "GENERATOR_VERSION",
    "SIZES",
    "Province",
    "generate",
    "main",
    "parse_size",
    "province",
    "write_ledger",
]

GENERATOR_VERSION = 2
"""Raised whenever the generated records change, so cached benchmark files are made anew."""

SIZES: dict[str, int] = {"smoke": 2_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
"""Named sizes: number of issues."""

START = dt.date(2024, 3, 1)
END = dt.date(2024, 12, 31)
REPORT_DATE = END
ESCALATION_DATE = dt.date(2024, 11, 15)
"""The as-of date the harness evaluates escalation rules on (many issues still open)."""

# Anhui's 16 prefecture-level cities (GB/T 2260); their counties and districts are read from
# the code table campaignkit ships (those in force during the campaign: 104 in 2024)
CITIES: tuple[tuple[str, str], ...] = (
    ("340100", "合肥市"),
    ("340200", "芜湖市"),
    ("340300", "蚌埠市"),
    ("340400", "淮南市"),
    ("340500", "马鞍山市"),
    ("340600", "淮北市"),
    ("340700", "铜陵市"),
    ("340800", "安庆市"),
    ("341000", "黄山市"),
    ("341100", "滁州市"),
    ("341200", "阜阳市"),
    ("341300", "宿州市"),
    ("341500", "六安市"),
    ("341600", "亳州市"),
    ("341700", "池州市"),
    ("341800", "宣城市"),
)
_NUMERALS = "一二三四五六七八九十"

ACTIVITY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("enterprise_visit", 600),
    ("return_visit", 100),
    ("symposium", 50),
    ("key_project_visit", 50),
    ("policy_briefing", 30),
    ("material_distribution", 30),
    ("media_report", 30),
    ("publicity_push", 30),
    ("assignment_meeting", 20),
    ("unannounced_inspection", 20),
    ("matchmaking_meeting", 20),
    ("investment_visit", 10),
    ("supervision_meeting", 10),
)
CATEGORY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("labour", 30),
    ("finance", 20),
    ("land", 8),
    ("policy", 10),
    ("approval", 8),
    ("infrastructure", 5),
    ("utilities", 4),
    ("market", 6),
    ("technology", 4),
    ("tax", 3),
    ("environment", 1),
    ("other", 1),
)
_OTHER_CHANNELS = ("platform", "platform", "platform", "phone", "wechat", "walk_in", "inspection")
_CLASSES = ("above_scale", "four_above", "specialized", "little_giant", "sme", "listed", "exporter")
_OUTCOME_KINDS = (
    "land_quota",
    "financing",
    "iur_project",
    "export_matching",
    "investment_project",
    "talent",
)
_STATUSES = ("signed", "signed", "landed", "negotiating", "intended", "cancelled")
_DEPARTMENTS = (
    "人社局",
    "发改委",
    "经信局",
    "自然资源局",
    "税务局",
    "市场监管局",
    "金融办",
    "住建局",
)
_PROBLEMS = {
    "labour": "普工招聘困难，急需熟练技术工人",
    "finance": "流动资金紧张，贷款到期需续贷",
    "land": "扩建项目用地指标未落实",
    "policy": "稳岗补贴政策尚未兑现",
    "approval": "项目审批手续办理周期长",
    "infrastructure": "园区道路和管网配套不完善",
    "utilities": "用电负荷不足，需增容改造",
    "market": "产品销路受阻，希望对接采购商",
    "technology": "需要高校技术支持开展新产品研发",
    "tax": "出口退税进度较慢",
    "environment": "环评手续办理需要指导",
    "other": "其他需要协调的事项",
}
_NAME_WORDS = ("华", "鑫", "恒", "瑞", "宏", "泰", "盛", "达", "安", "丰", "新", "源", "和", "科")
_NAME_TRADES = ("科技", "机械", "电子", "新材料", "食品", "纺织", "化工", "建材", "汽车零部件")


class Province:
    """The regions, working groups and teams of the synthetic province."""

    def __init__(self) -> None:
        self.regions: list[dict[str, Any]] = [
            {"code": "340000", "name": "安徽省", "level": "province"}
        ]
        self.counties: list[str] = []
        self.city_counties: dict[str, list[str]] = {}
        self.work_groups: list[dict[str, Any]] = []
        self.team_county: dict[str, str | None] = {}
        """Team id → the county it is stationed in (None for mobile teams)."""
        self.team_city: dict[str, str] = {}
        for c, (code, name) in enumerate(CITIES):
            self.regions.append({"code": code, "name": name, "level": "city", "parent": "340000"})
            codes = []
            for county, county_name in _counties(code):
                self.regions.append(
                    {"code": county, "name": county_name, "level": "county", "parent": code}
                )
                codes.append(county)
            zone = f"AH-{code[2:4]}-ETDZ"
            self.regions.append(
                {"code": zone, "name": name[:-1] + "经开区", "level": "zone", "parent": code}
            )
            codes.append(zone)
            self.counties.extend(codes)
            self.city_counties[code] = codes
            teams = []
            for t, county in enumerate(codes):
                team_id = f"G{c + 1:02d}T{t + 1}"
                teams.append(
                    {
                        "id": team_id,
                        "name": f"第{c + 1}组第{t + 1}小组",
                        "kind": "stationed",
                        "regions": [county],
                        "members": 3,
                    }
                )
                self.team_county[team_id] = county
                self.team_city[team_id] = code
            mobile = f"G{c + 1:02d}M"
            teams.append({"id": mobile, "name": f"第{c + 1}组机动小组", "kind": "mobile"})
            self.team_county[mobile] = None
            self.team_city[mobile] = code
            self.work_groups.append(
                {
                    "id": f"G{c + 1:02d}",
                    "name": f"第{c + 1}工作组",
                    "lead_unit": "省直单位" + _NUMERALS[c % 10],
                    "headcount": 3 * len(teams) + 2,
                    "host_region": code,
                    "number": c + 1,
                    "period": {"start": START.isoformat(), "end": END.isoformat()},
                    "teams": teams,
                }
            )
        self.teams: list[str] = list(self.team_county)


def _counties(city: str) -> list[tuple[str, str]]:
    """The counties and districts of ``city`` (code and name) in force during the campaign."""
    found = {
        d.code: d.name
        for d in gbt2260.divisions()
        if d.code.startswith(city[:4]) and d.level == "county" and d.in_force(START, END)
    }
    return list(found.items())


def province() -> Province:
    """The synthetic province (the same every time)."""
    return Province()


def parse_size(text: str) -> int:
    """Number of issues for a size name (``10k``, ``100k``, ``1m``, ``smoke``) or a number."""
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    multiplier = 1
    if key.endswith("k"):
        multiplier, key = 1_000, key[:-1]
    elif key.endswith("m"):
        multiplier, key = 1_000_000, key[:-1]
    try:
        value = int(key) * multiplier
    except ValueError:
        raise ValueError(
            f"unknown size {text!r}: use {', '.join(SIZES)} or a number such as 250k"
        ) from None
    if value < 100:
        raise ValueError(f"size {text!r} is too small: at least 100 issues")
    return value


def _weighted(rng: random.Random, weights: tuple[tuple[str, int], ...]) -> Callable[[], str]:
    keys = [k for k, _ in weights]
    cum: list[int] = []
    total = 0
    for _, w in weights:
        total += w
        cum.append(total)
    table = [keys[next(i for i, c in enumerate(cum) if c > x)] for x in range(total)]
    randrange = rng.randrange

    def pick() -> str:
        return table[randrange(total)]

    return pick


class _Dates:
    """ISO strings of every day of the campaign, by offset from its start."""

    def __init__(self) -> None:
        self.days = (END - START).days
        self.iso = [(START + dt.timedelta(days=d)).isoformat() for d in range(self.days + 1)]


def generate(issues: int, seed: int = 7) -> Iterator[tuple[str, Any]]:
    """Yield ``(section, record)`` pairs of a ledger with ``issues`` issues, section by section.

    ``campaign``, ``regions`` and ``work_groups`` come first, then enterprises
    (issues / 5), activities (issues / 2), issues and outcomes (issues / 20).
    """
    rng = random.Random(seed)
    rand = rng.random
    randrange = rng.randrange
    prov = province()
    dates = _Dates()
    n_ent = max(issues // 5, 10)
    n_act = max(issues // 2, 10)
    n_out = max(issues // 20, 5)

    yield (
        "campaign",
        {
            "id": "ah-sisong-2024",
            "type": "sisong-yifu",
            "name": "2024年全省“四送一服”专项行动",
            "period": {"start": START.isoformat(), "end": END.isoformat()},
            "host_province": "340000",
            "theme": "优化营商环境，服务实体经济",
            "phases": [
                {
                    "id": "p1",
                    "name": "走访调研",
                    "period": {"start": START.isoformat(), "end": "2024-05-31"},
                },
                {
                    "id": "p2",
                    "name": "集中交办",
                    "period": {"start": "2024-06-01", "end": END.isoformat()},
                },
            ],
            "scope": {
                "enterprise_classes": ["four_above", "specialized", "sme"],
                "regions": [c for c in prov.counties if not c.startswith("AH-")],
                "zones": [c for c in prov.counties if c.startswith("AH-")],
            },
            "report_date": REPORT_DATE.isoformat(),
        },
    )
    for region in prov.regions:
        yield "regions", region
    for group in prov.work_groups:
        yield "work_groups", group

    # -- enterprises: spread over every county and zone ---------------------------------
    county_enterprises: dict[str, list[str]] = {c: [] for c in prov.counties}
    counties = prov.counties
    n_counties = len(counties)
    for i in range(n_ent):
        county = counties[randrange(n_counties)]
        ent_id = f"E{i + 1:07d}"
        county_enterprises[county].append(ent_id)
        code = county if not county.startswith("AH-") else county_city(prov, county)
        body = f"91{code}{i + 1:09d}"
        record: dict[str, Any] = {
            "id": ent_id,
            "uscc": body + check_character(body),
            "name": (
                f"{_NAME_WORDS[i % 14]}{_NAME_WORDS[(i // 14) % 14]}"
                f"{_NAME_TRADES[i % 9]}有限公司{i + 1}"
            ),
            "region": county,
            "classes": _classes(rand),
        }
        if i % 4 == 0:
            record["industry"] = _NAME_TRADES[i % 9]
        if i % 10 == 0:
            record["contact"] = {"person": "联系人", "phone": f"1{3 + i % 6}{i % 100_000_000:09d}"}
        yield "enterprises", record
    for county, ents in county_enterprises.items():
        if not ents:  # a county with no enterprise gets one borrowed name to visit
            county_enterprises[county] = [f"E{1:07d}"]

    # -- activities: a team's own county, enterprises of that county --------------------
    pick_kind = _weighted(rng, ACTIVITY_WEIGHTS)
    teams = prov.teams
    n_teams = len(teams)
    act_team: list[str] = []
    act_day: list[int] = []
    act_ents: list[list[str]] = []
    act_kind: list[str] = []
    for i in range(n_act):
        team = teams[randrange(n_teams)]
        stationed = prov.team_county[team]
        if stationed is None:
            options = prov.city_counties[prov.team_city[team]]
            county = options[randrange(len(options))]
        else:
            county = stationed
        day = randrange(dates.days + 1)
        kind = pick_kind()
        act: dict[str, Any] = {
            "id": f"A{i + 1:07d}",
            "kind": kind,
            "date": dates.iso[day],
            "team": team,
            "region": county,
        }
        pool = county_enterprises[county]
        named: list[str] = []
        if kind in ("enterprise_visit", "return_visit"):
            named = [pool[randrange(len(pool))]]
            if rand() < 0.3:
                other = pool[randrange(len(pool))]
                if other != named[0]:
                    named.append(other)
            act["enterprises"] = named
        elif kind in ("symposium", "policy_briefing", "assignment_meeting", "matchmaking_meeting"):
            named = list(dict.fromkeys(pool[randrange(len(pool))] for _ in range(3)))
            act["enterprises"] = named
            act["enterprise_count"] = len(named) + randrange(5, 60)
            if kind == "assignment_meeting":
                act["officials"] = randrange(5, 30)
            act["title"] = f"{kind}-{i + 1}"
        elif kind in ("key_project_visit", "unannounced_inspection"):
            what = "项目" if kind == "key_project_visit" else "服务大厅"
            act["subject"] = f"{county}-{what}-{randrange(40)}"
        elif kind == "material_distribution":
            act["figures"] = {"copies": randrange(50, 800)}
        elif kind == "media_report":
            act["extra"] = {
                "media_level": ("national", "provincial", "city", "county")[randrange(4)],
                "outlet": "安徽日报",
            }
        elif kind == "publicity_push":
            act["figures"] = {"group_members": randrange(20, 300)}
        act_team.append(team)
        act_day.append(day)
        act_ents.append(named)
        act_kind.append(kind)
        yield "activities", act

    # -- issues with legal histories ------------------------------------------------------
    pick_category = _weighted(rng, CATEGORY_WEIGHTS)
    last = dates.days
    iso = dates.iso
    for i in range(issues):
        category = pick_category()
        issue: dict[str, Any] = {"id": f"I{i + 1:07d}", "category": category}
        if rand() < 0.4:
            a = randrange(n_act)
            raised = min(act_day[a] + randrange(3), last)
            team = act_team[a]
            kind = act_kind[a]
            ents = act_ents[a]
            channel = "visit" if kind in ("enterprise_visit", "return_visit") else "meeting"
            if ents:
                enterprise = ents[randrange(len(ents))]
            else:
                enterprise = _team_enterprise(prov, county_enterprises, team, randrange)
            activity: str | None = f"A{a + 1:07d}"
        else:
            raised = randrange(last + 1)
            team = teams[randrange(n_teams)]
            channel = _OTHER_CHANNELS[randrange(len(_OTHER_CHANNELS))]
            enterprise = _team_enterprise(prov, county_enterprises, team, randrange)
            activity = None
        issue["description"] = _PROBLEMS[category]
        issue["channel"] = channel
        issue["raised"] = iso[raised]
        issue["enterprise"] = enterprise
        issue["team"] = team
        if activity is not None:
            issue["activity"] = activity
        if rand() < 0.05:
            issue["legacy"] = True
        if rand() < 0.1:
            issue["extra"] = {"document": f"皖四送〔2024〕{randrange(1, 200)}号"}
        events = _history(raised, last, iso, rand, randrange)
        if events:
            issue["events"] = events
        yield "issues", issue

    # -- outcomes ---------------------------------------------------------------------
    for i in range(n_out):
        kind = _OUTCOME_KINDS[randrange(len(_OUTCOME_KINDS))]
        a = randrange(n_act)
        team = act_team[a]
        pool = county_enterprises[_team_home(prov, team)]
        out: dict[str, Any] = {
            "id": f"O{i + 1:06d}",
            "kind": kind,
            "status": _STATUSES[randrange(len(_STATUSES))],
            "date": iso[min(act_day[a] + randrange(30), last)],
            "activity": f"A{a + 1:07d}",
            "team": team,
            "enterprises": [pool[randrange(len(pool))]],
        }
        if kind == "land_quota":
            out["land_mu"] = f"{randrange(5, 300)}.{randrange(10)}"
        elif kind != "talent":
            out["amount_yuan"] = str(randrange(10, 5000) * 10_000)
        if kind == "financing":
            out["parties"] = [{"role": "bank", "name": "某商业银行"}]
        yield "outcomes", out


def county_city(prov: Province, county: str) -> str:
    """The city code of a county or zone."""
    for city, codes in prov.city_counties.items():
        if county in codes:
            return city
    raise KeyError(county)


def _team_home(prov: Province, team: str) -> str:
    county = prov.team_county[team]
    return county if county is not None else prov.city_counties[prov.team_city[team]][0]


def _team_enterprise(
    prov: Province,
    county_enterprises: dict[str, list[str]],
    team: str,
    randrange: Callable[..., int],
) -> str:
    pool = county_enterprises[_team_home(prov, team)]
    return pool[randrange(len(pool))]


def _classes(rand: Callable[[], float]) -> list[str]:
    x = rand()
    if x < 0.5:
        return ["sme"]
    if x < 0.7:
        return ["four_above", "above_scale"]
    if x < 0.8:
        return ["specialized", "sme"]
    if x < 0.85:
        return ["specialized", "little_giant"]
    if x < 0.9:
        return ["exporter", "four_above"]
    if x < 0.92:
        return ["listed", "above_scale"]
    return []


_LEVELS = ("county", "county", "county", "county", "city", "city", "province")
_HIGHER = {"county": "city", "city": "province"}
_RATINGS = ("satisfied",) * 16 + ("basically_satisfied",) * 3 + ("dissatisfied",)


def _history(
    raised: int,
    last: int,
    iso: list[str],
    rand: Callable[[], float],
    randrange: Callable[..., int],
) -> list[dict[str, Any]]:
    """A legal event history starting on day ``raised``, none after day ``last``."""
    events: list[dict[str, Any]] = []
    day = raised

    def at(step: int) -> int | None:
        nonlocal day
        if day + step > last:
            return None
        day += step
        return day

    x = rand()
    if x < 0.08:
        return events  # just raised: nothing done yet
    if x < 0.23:
        events.append({"kind": "answered_on_spot", "date": iso[day]})
        if rand() < 0.4 and (d := at(randrange(5, 30))) is not None:
            events.append(
                {"kind": "return_visit", "date": iso[d], "rating": _RATINGS[randrange(20)]}
            )
        return events
    level = _LEVELS[randrange(len(_LEVELS))]
    if x < 0.33:
        events.append({"kind": "taken_back", "date": iso[day], "by": "team"})
    else:
        d = at(randrange(3))
        if d is None:
            return events
        department = _DEPARTMENTS[randrange(len(_DEPARTMENTS))]
        event: dict[str, Any] = {
            "kind": "assigned",
            "date": iso[d],
            "level": level,
            "department": department,
        }
        if rand() < 0.3:
            event["deadline"] = {"amount": (10, 15, 20)[randrange(3)], "unit": "working_days"}
        events.append(event)
    if rand() < 0.35 and (d := at(randrange(1, 6))) is not None:
        events.append({"kind": "feedback", "date": iso[d], "note": "已对接，正在办理"})
    if level in _HIGHER and events[-1]["kind"] != "taken_back" and rand() < 0.1:
        d = at(randrange(3, 12))
        if d is not None and events[0]["kind"] == "assigned":
            level = _HIGHER[level]
            events.append({"kind": "escalated", "date": iso[d], "level": level})
    if rand() < 0.04 and (d := at(randrange(1, 10))) is not None:
        events.append({"kind": "paused", "date": iso[d], "note": "等待上级政策"})
        d = at(randrange(5, 30))
        if d is None:
            return events
        events.append({"kind": "resumed", "date": iso[d]})
    y = rand()
    if y < 0.04:
        d = at(randrange(5, 40))
        if d is not None:
            events.append({"kind": "closed_unresolved", "date": iso[d], "note": "不具备解决条件"})
        return events
    if y > 0.75:
        return events  # still being handled
    d = at(randrange(2, 40))
    if d is None:
        return events
    events.append({"kind": "resolved", "date": iso[d]})
    if rand() < 0.6 and (d := at(randrange(3, 20))) is not None:
        rating = _RATINGS[randrange(20)]
        events.append({"kind": "return_visit", "date": iso[d], "rating": rating})
        if rating == "dissatisfied" and rand() < 0.5 and (d := at(randrange(1, 5))) is not None:
            events.append({"kind": "reopened", "date": iso[d]})
            if (d := at(randrange(5, 30))) is not None:
                events.append({"kind": "resolved", "date": iso[d]})
            return events
    if rand() < 0.3 and (d := at(randrange(1, 10))) is not None:
        events.append({"kind": "closed", "date": iso[d]})
    return events


_ORDER = ("campaign", "regions", "work_groups", "enterprises", "activities", "issues", "outcomes")


def write_ledger(out: IO[bytes], issues: int, seed: int = 7) -> dict[str, int]:
    """Stream the ledger to ``out``; return the number of records per section."""
    counts: dict[str, int] = dict.fromkeys(_ORDER, 0)
    dumps = orjson.dumps
    out.write(b'{"format":"campaignkit-ledger","version":1')
    current: str | None = None
    buffer: list[bytes] = []

    def flush() -> None:
        if buffer:
            if counts[current or ""] > len(buffer):  # not the section's first chunk
                out.write(b",\n")
            out.write(b",\n".join(buffer))
            buffer.clear()

    for section, record in generate(issues, seed):
        if section != current:
            flush()
            if current not in (None, "campaign"):
                out.write(b"\n]")
            current = section
            if section == "campaign":
                out.write(b',\n"campaign":')
            else:
                out.write(b',\n"' + section.encode() + b'":[\n')
        buffer.append(dumps(record))
        counts[section] += 1
        if len(buffer) >= 10_000:
            flush()
    flush()
    if current not in (None, "campaign"):
        out.write(b"\n]")
    out.write(b"}\n")
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.generate SIZE [-o FILE] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description="Write a synthetic province ledger."
    )
    parser.add_argument("size", help=f"{', '.join(SIZES)} or a number of issues (e.g. 250k)")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        n = parse_size(args.size)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.output is None:
        write_ledger(sys.stdout.buffer, n, args.seed)
        return 0
    from campaignkit.io import atomic_write

    args.output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(args.output, lambda fh: write_ledger(fh, n, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
