"""Generate the Huainan 2020 example ledger: fictional, plausible records of the seed's campaign.

The 7th working group of the provincial "四送一服" special action, led by the
provincial federation of industry and commerce (省工商联), in Huainan from
12 April to 12 May 2020. Enterprises, names, people and events are invented;
the totals they add up to are those of the closing report's headline
paragraph, and every one of them is derived from records by the metric engine.

The script is deterministic (a fixed seed for ``random.Random``, no clock, no
network): running it again gives the same bytes. Usage::

    python examples/huainan-2020/generate.py            # writes ledger.json beside it
    python examples/huainan-2020/generate.py --out PATH
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from campaignkit import (
    Activity,
    Campaign,
    Contact,
    Enterprise,
    Issue,
    IssueEvent,
    Ledger,
    Outcome,
    OutcomeStatus,
    Party,
    Period,
    Phase,
    Satisfaction,
    Scope,
    Team,
    TeamKind,
    WorkGroup,
    dump,
    validate,
)
from campaignkit.regions import load_regions
from campaignkit.summary import summary
from campaignkit.uscc import ALPHABET, check_character

SEED = 20200412
START = date(2020, 4, 12)
END = date(2020, 5, 12)
PHASE1_END = date(2020, 4, 22)
LAST_EVENT = END
"""Every event is on or before the report date, so as-of figures are stable."""

# 2020 statutory calendar for the dates the example needs: May Day 1–5 May off,
# 26 April (Sunday) and 9 May (Saturday) worked; Dragon Boat 25–27 June off, 28 June worked.
HOLIDAYS = frozenset(
    [date(2020, 5, d) for d in range(1, 6)] + [date(2020, 6, d) for d in range(25, 28)]
)
MAKEUP_WORKDAYS = frozenset([date(2020, 4, 26), date(2020, 5, 9), date(2020, 6, 28)])

CITY = "340400"
COUNTIES = ("340402", "340403", "340404", "340405", "340406", "340421", "340422")
ZONES = ("HN-ETDZ", "HN-HTDZ", "HN-CCP")
COUNTY_NAMES = {
    "340402": "大通区",
    "340403": "田家庵区",
    "340404": "谢家集区",
    "340405": "八公山区",
    "340406": "潘集区",
    "340421": "凤台县",
    "340422": "寿县",
}
SHORT_NAMES = {
    "340402": "大通",
    "340403": "田家庵",
    "340404": "谢家集",
    "340405": "八公山",
    "340406": "潘集",
    "340421": "凤台",
    "340422": "寿县",
    "HN-ETDZ": "经开区",
    "HN-HTDZ": "高新区",
    "HN-CCP": "煤化工园",
}
USCC_REGION = {**{c: c for c in COUNTIES}, "HN-ETDZ": CITY, "HN-HTDZ": CITY, "HN-CCP": "340406"}

# Four stationed teams share the counties/districts and zones (分片包干, no overlap);
# the fifth is the mobile team (机动小组) for inspections and urgent tasks.
TEAMS = (
    ("T1", "第一小组", TeamKind.STATIONED, ("340403", "340402", "HN-ETDZ"), "周立新", 3),
    ("T2", "第二小组", TeamKind.STATIONED, ("340404", "340405", "HN-HTDZ"), "吴春华", 3),
    ("T3", "第三小组", TeamKind.STATIONED, ("340406", "340421", "HN-CCP"), "郑海峰", 3),
    ("T4", "第四小组", TeamKind.STATIONED, ("340422",), "孙立群", 3),
    ("T5", "机动小组", TeamKind.MOBILE, (), "钱卫东", 2),
)
TEAM_OF_REGION = {code: t[0] for t in TEAMS for code in t[3]}
STATIONED = ("T1", "T2", "T3", "T4")
GROUP_LEADER = "工作组组长"

ENTERPRISES_PER_REGION = {
    "340403": 58,
    "340402": 24,
    "HN-ETDZ": 40,
    "340404": 34,
    "340405": 16,
    "HN-HTDZ": 36,
    "340406": 28,
    "340421": 46,
    "HN-CCP": 22,
    "340422": 62,
}
VISITED_PER_TEAM = {"T1": 62, "T2": 48, "T3": 52, "T4": 45}
VISITED_BY_MOBILE = 8
"""Enterprises only the mobile team visited; with the teams' 207 they make 215."""
RETURN_VISITED = 164
ISSUE_ENTERPRISES = 151


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BRANDS = _words(
    "舜耕 泉山 洞山 淮河 八公 寿春 楚都 龙湖 上窑 瓦埠 孔集 焦岗 芦集 "
    "茅仙 东辰 恒达 鑫源 金泰 宏远 瑞丰 安泰 华辰 中拓 汇通 信诚 永鑫 "
    "德润 昊天 嘉禾 联创 天诚 弘毅 博远 科翔 皖旭 润华 众合 鼎泰 亿丰 "
    "同创 明辉 凯盛 振宇 新桥 正阳 丰庄 堰口 保义 安丰 隐贤 毛集 李冲 "
    "望峰 曹庵 淝河 姚皋 三和 孤堆 杨公 九龙岗"
)
INDUSTRIES = (
    ("煤矿机械", "装备制造", True),
    ("矿山设备", "装备制造", True),
    ("精密机械", "装备制造", True),
    ("汽车零部件", "装备制造", True),
    ("电力设备", "装备制造", True),
    ("化工", "化工", True),
    ("精细化工", "化工", True),
    ("新材料科技", "新材料", True),
    ("食品", "农副食品加工", True),
    ("豆制品", "农副食品加工", True),
    ("米业", "农副食品加工", True),
    ("纺织", "纺织服装", True),
    ("服饰", "纺织服装", True),
    ("电子科技", "电子信息", True),
    ("光电科技", "电子信息", True),
    ("医药", "生物医药", True),
    ("生物科技", "生物医药", True),
    ("建材", "建材", True),
    ("新型墙材", "建材", True),
    ("包装材料", "轻工", True),
    ("家居", "轻工", True),
    ("新能源科技", "新能源", True),
    ("环保科技", "节能环保", True),
    ("物流", "现代物流", False),
    ("农业科技", "现代农业", False),
    ("软件", "信息服务", False),
    ("商贸", "批发零售", False),
    ("建筑工程", "建筑业", False),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰志红斌文辉力"

ISSUE_TEXT = {
    "labour": (
        "普通工人招聘困难,订单无法按期交付",
        "缺少数控机床操作等技术工人",
        "复工后外地员工返岗不足",
        "研发人才引进难、留住难",
        "一线工人流失率高,年轻人不愿进厂",
        "稳岗补贴申领流程不清楚",
        "希望开展订单式职业技能培训",
        "高技能人才子女入学问题",
        "企业招工信息发布渠道有限",
        "季节性用工缺口大",
        "缺少电工、焊工等持证人员",
        "以工代训补贴尚未到位",
    ),
    "finance": (
        "流动资金贷款到期续贷困难",
        "缺少抵押物,信用贷款额度低",
        "应收账款回款慢,资金周转紧张",
        "希望对接政策性担保",
        "技改项目融资成本高",
    ),
    "land": (
        "扩建项目缺少用地指标",
        "土地证办理进度慢",
        "标准化厂房租金偏高",
        "项目用地规划调整未批复",
    ),
    "policy": (
        "技改奖补资金尚未兑现",
        "疫情期间减免政策落实不到位",
        "专精特新企业奖励申报渠道不清楚",
        "社保费阶段性减免执行口径不一",
    ),
    "approval": (
        "施工许可审批环节多、时间长",
        "窗口一次性告知不到位,多次往返",
        "环评审批进度慢",
        "办事指南与实际要求不一致",
    ),
    "infrastructure": (
        "园区道路破损,影响物流车辆通行",
        "厂区周边排水管网不畅",
        "园区缺少公交线路,员工通勤不便",
    ),
    "utilities": (
        "用电增容报装周期长",
        "天然气供应价格偏高",
        "园区供水压力不足",
    ),
    "market": ("产品进入政府采购目录难", "希望组织参加线上展会拓展市场"),
    "technology": ("研发中心认定申报需要指导", "希望对接高校开展技术攻关"),
    "tax": ("出口退税进度慢", "研发费用加计扣除政策咨询"),
    "environment": ("环保督查停产整改期限过紧",),
    "other": ("企业周边治安环境需加强",),
}
CATEGORY_COUNTS = (
    ("labour", 123),
    ("finance", 22),
    ("policy", 14),
    ("land", 13),
    ("approval", 12),
    ("infrastructure", 8),
    ("utilities", 7),
    ("market", 6),
    ("technology", 5),
    ("tax", 4),
    ("environment", 2),
    ("other", 1),
)
"""Most issues are about labour (用工), as the report found."""

DEPARTMENTS = {
    "labour": ("{county}人社局", "市人社局", "省人社厅"),
    "finance": ("{county}金融办", "市地方金融监管局", "省地方金融监管局"),
    "land": ("{county}自然资源局", "市自然资源和规划局", "省自然资源厅"),
    "policy": ("{county}经信局", "市经信局", "省经信厅"),
    "approval": ("{county}数据资源局", "市数据资源局", "省数据资源局"),
    "infrastructure": ("{county}住建局", "市住建局", "省住建厅"),
    "utilities": ("{county}供电公司", "国网淮南供电公司", "国网安徽省电力公司"),
    "market": ("{county}商务局", "市商务局", "省商务厅"),
    "technology": ("{county}科技局", "市科技局", "省科技厅"),
    "tax": ("{county}税务局", "市税务局", "省税务局"),
    "environment": ("{county}生态环境分局", "市生态环境局", "省生态环境厅"),
    "other": ("{county}政府办", "市政府办", "省政府办公厅"),
}
LEVELS = ("county", "city", "province")
LEVEL_WEIGHTS = {
    "labour": (6, 3, 1),
    "finance": (2, 6, 2),
    "land": (2, 5, 3),
    "policy": (3, 5, 2),
    "approval": (6, 3, 1),
    "infrastructure": (5, 5, 0),
    "utilities": (3, 7, 0),
    "market": (3, 6, 1),
    "technology": (2, 6, 2),
    "tax": (3, 6, 1),
    "environment": (3, 6, 1),
    "other": (6, 4, 0),
}

# The city's assignment documents: issued after each centralised assignment meeting,
# each sets the time limits by handling level (限时办理).
CITY_DOCUMENTS = (
    (date(2020, 4, 24), "淮政办秘〔2020〕31号", {"county": 10, "city": 15, "province": 20}),
    (date(2020, 5, 6), "淮政办秘〔2020〕38号", {"county": 10, "city": 15, "province": 20}),
)

HALLS = (
    ("淮南市政务服务中心", CITY),
    ("田家庵区政务服务中心", "340403"),
    ("谢家集区政务服务中心", "340404"),
    ("潘集区政务服务中心", "340406"),
    ("凤台县政务服务中心", "340421"),
    ("寿县政务服务中心", "340422"),
)

KEY_PROJECTS = (
    ("田家庵区智能装备产业园项目", "340403"),
    ("淮南经开区新能源汽车零部件项目", "HN-ETDZ"),
    ("淮南经开区高端装备制造基地", "HN-ETDZ"),
    ("大通区农副产品冷链物流中心", "340402"),
    ("田家庵区老旧小区改造配套工程", "340403"),
    ("淮南经开区电子信息产业园二期", "HN-ETDZ"),
    ("谢家集区绿色建材产业园", "340404"),
    ("八公山区豆制品产业园", "340405"),
    ("淮南高新区大数据产业园", "HN-HTDZ"),
    ("淮南高新区光电显示材料项目", "HN-HTDZ"),
    ("谢家集区装配式建筑生产基地", "340404"),
    ("潘集区煤矿智能化改造项目", "340406"),
    ("现代煤化工产业园甲醇综合利用项目", "HN-CCP"),
    ("现代煤化工产业园精细化工新材料项目", "HN-CCP"),
    ("凤台县新型墙体材料项目", "340421"),
    ("凤台经济开发区纺织服装产业园", "340421"),
    ("凤台县光伏农业综合示范项目", "340421"),
    ("潘集区农产品深加工项目", "340406"),
    ("寿县新桥国际产业园智能制造项目", "340422"),
    ("寿县新桥国际产业园新能源电池项目", "340422"),
    ("寿县大健康产业园项目", "340422"),
    ("寿县古城保护利用工程", "340422"),
    ("寿县现代农业产业园", "340422"),
    ("淮南市引江济淮配套工程", CITY),
    ("淮南市公共卫生应急能力提升项目", CITY),
)

MEDIA = (
    ("安徽日报", "provincial"),
    ("安徽电视台《安徽新闻联播》", "provincial"),
    ("工商导报", "provincial"),
    ("中安在线", "provincial"),
    ("安徽商报", "provincial"),
    ("中华工商时报", "national"),
    ("人民网安徽频道", "national"),
)
CITY_MEDIA = (
    ("淮南日报", "city"),
    ("淮南广播电视台", "city"),
    ("淮南网", "city"),
    ("寿县融媒体中心", "county"),
    ("凤台县融媒体中心", "county"),
)
PROVINCIAL_REPORTS = 25
LOCAL_REPORTS = 11

BANKS = (
    ("徽商银行淮南分行", Decimal(150_000_000)),
    ("中国工商银行淮南分行", Decimal(120_000_000)),
    ("中国建设银行淮南分行", Decimal(100_000_000)),
    ("中国农业银行淮南分行", Decimal(80_000_000)),
    ("中国银行淮南分行", Decimal(70_000_000)),
    ("淮南通商农村商业银行", Decimal(50_000_000)),
    ("中国邮政储蓄银行淮南市分行", Decimal(50_000_000)),
)
"""Loans signed at the bank–enterprise meeting: 6.2亿 in all (the report's body says 22.18亿)."""
UNIVERSITIES = ("安徽理工大学", "淮南师范学院")
IUR_SIGNED_AT_MEETING = (
    ("煤矿井下智能巡检机器人研发", Decimal(50_000_000)),
    ("煤基新材料中试及产业化", Decimal(35_000_000)),
    ("矿用高端液压支架关键部件攻关", Decimal(28_000_000)),
    ("大豆蛋白深加工技术开发", Decimal(17_000_000)),
)
"""The four projects signed at the industry–university–research meeting: 1.3亿."""
IUR_SIGNED_LATER = 19
IUR_INTENDED = 3
LAND_QUOTA_MU = 852
LAND_ENTERPRISES = 28
EXPORT_ENTERPRISES = 79
EXPORT_MATCHED = 9
MATERIALS = 11438
POLICY_COMPILATIONS = 10000


def is_workday(day: date) -> bool:
    """Working day under the 2020 statutory calendar (only the dates this example uses)."""
    if day in MAKEUP_WORKDAYS:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


def add_workdays(day: date, n: int) -> date:
    """The ``n``-th working day after ``day``."""
    while n > 0:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


WORKDAYS = tuple(
    START + timedelta(days=i)
    for i in range((END - START).days + 1)
    if is_workday(START + timedelta(days=i))
)
PHASE1_DAYS = tuple(d for d in WORKDAYS if d <= PHASE1_END)
LATER_DAYS = tuple(d for d in WORKDAYS if d > PHASE1_END)


@dataclass
class Builder:
    """Accumulates the records of the example ledger."""

    rng: random.Random
    enterprises: list[Enterprise] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    by_region: dict[str, list[Enterprise]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, prefix: str, width: int = 3) -> str:
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}-{n:0{width}d}"

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))

    def day(self, days: Sequence[date]) -> date:
        return self.rng.choice(days)

    def activity(self, kind: str, prefix: str, day: date, **kwargs: object) -> Activity:
        act = Activity(id=self.next_id(prefix), kind=kind, date=day, **kwargs)  # type: ignore[arg-type]
        self.activities.append(act)
        return act


def team_of(enterprise: Enterprise) -> str:
    return TEAM_OF_REGION[enterprise.region]


def county_name(region: str) -> str:
    if region in COUNTY_NAMES:
        return COUNTY_NAMES[region]
    return {"HN-ETDZ": "经开区", "HN-HTDZ": "高新区", "HN-CCP": "潘集区"}.get(region, "淮南市")


# -- enterprises ------------------------------------------------------------------


def _uscc(rng: random.Random, region: str, used: set[str]) -> str:
    while True:
        if rng.random() < 0.7:
            org = "MA2" + "".join(rng.choice(ALPHABET[:31]) for _ in range(6))
        else:
            org = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789X")
        body = "91" + USCC_REGION[region] + org
        code = body + check_character(body)
        if code not in used:
            used.add(code)
            return code


def make_enterprises(b: Builder) -> None:
    rng = b.rng
    used_codes: set[str] = set()
    used_names: set[str] = set()
    serial = 0
    for region, count in ENTERPRISES_PER_REGION.items():
        b.by_region[region] = []
        for _ in range(count):
            serial += 1
            suffix, industry, industrial = rng.choice(INDUSTRIES)
            while True:
                brand = rng.choice(BRANDS)
                prefix = rng.choice(("淮南", "淮南市", "安徽", SHORT_NAMES[region]))
                name = f"{prefix}{brand}{suffix}"
                if name not in used_names:
                    used_names.add(name)
                    break
            roll = rng.random()
            classes: list[str] = []
            if roll < 0.42:
                classes.append("four_above")
                if industrial:
                    classes.append("above_scale")
            else:
                classes.append("sme")
            if industrial and rng.random() < 0.16:
                classes.append("specialized")
                if "sme" not in classes and rng.random() < 0.5:
                    classes.append("sme")
                if rng.random() < 0.15:
                    classes.append("little_giant")
            if industrial and rng.random() < 0.32:
                classes.append("exporter")
            if "four_above" in classes and rng.random() < 0.04:
                classes.append("listed")
            form = "股份有限公司" if "listed" in classes or rng.random() < 0.12 else "有限公司"
            contact = None
            if rng.random() < 0.55:
                contact = Contact(
                    person=b.person(),
                    phone=f"0554-{rng.randint(2, 8)}{rng.randint(0, 999999):06d}",
                )
            enterprise = Enterprise(
                id=f"E{serial:04d}",
                uscc=_uscc(rng, region, used_codes),
                name=name + form,
                region=region,
                classes=tuple(sorted(classes, key=_class_order)),
                industry=industry,
                contact=contact,
            )
            b.enterprises.append(enterprise)
            b.by_region[region].append(enterprise)


_CLASS_ORDER = ("above_scale", "four_above", "specialized", "little_giant", "sme", "listed")


def _class_order(key: str) -> int:
    return _CLASS_ORDER.index(key) if key in _CLASS_ORDER else len(_CLASS_ORDER)


# -- activities -------------------------------------------------------------------


def campaign_meetings(b: Builder) -> dict[str, Activity]:
    """Kickoff, training, briefings, assignment meetings and other group-wide activities."""
    out: dict[str, Activity] = {}
    out["kickoff"] = b.activity(
        "kickoff",
        "kick",
        START,
        region=CITY,
        title="工作组与市政府联合召开专项行动部署会",
        officials=46,
    )
    out["training"] = b.activity(
        "training",
        "train",
        START,
        region=CITY,
        title="工作组成员培训(2个半小时),制定操作方案,提出“三扩三覆盖”",
    )
    return out


def symposiums(b: Builder, visited: dict[str, list[Enterprise]]) -> list[Activity]:
    plan = (
        (date(2020, 4, 14), "T1", "340403", "田家庵区企业座谈会", 22, None),
        (date(2020, 4, 15), "T2", "340404", "谢家集区企业座谈会", 18, None),
        (date(2020, 4, 15), "T3", "340406", "潘集区企业座谈会", 20, None),
        (date(2020, 4, 16), "T4", "340422", "寿县企业座谈会", 24, None),
        (
            date(2020, 4, 17),
            None,
            CITY,
            "市人大代表、政协委员企业家座谈会",
            25,
            "市人大常委会、市政协",
        ),
        (date(2020, 4, 18), None, CITY, "工商联兼职副主席(副会长)座谈会", 15, "市工商联"),
        (date(2020, 4, 20), "T3", "340421", "凤台县企业座谈会", 21, None),
        (date(2020, 4, 21), "T1", "340402", "大通区企业座谈会", 17, None),
        (date(2020, 4, 21), "T2", "340405", "八公山区企业座谈会", 14, None),
        (
            date(2020, 4, 23),
            None,
            CITY,
            "与淮南海关、市税务局联合召开企业座谈会",
            30,
            "淮南海关、淮南市税务局",
        ),
        (
            date(2020, 4, 24),
            "T4",
            "340422",
            "寿县人大代表、政协委员座谈会",
            19,
            "寿县人大常委会、县政协",
        ),
        (date(2020, 4, 27), "T2", "HN-HTDZ", "高新区企业座谈会", 23, None),
        (date(2020, 4, 28), "T1", "HN-ETDZ", "经开区企业座谈会", 26, None),
        (date(2020, 4, 29), "T3", "HN-CCP", "煤化工园企业座谈会", 12, None),
        (date(2020, 5, 7), None, CITY, "出口企业座谈会", 21, "淮南海关"),
        (
            date(2020, 5, 8),
            "T3",
            "340421",
            "凤台县人大代表、政协委员座谈会",
            18,
            "凤台县人大常委会、县政协",
        ),
    )
    out = []
    for day, team, region, title, count, partner in plan:
        pool = _pool_for(b, team, region, visited)
        named = tuple(e.id for e in b.rng.sample(pool, min(len(pool), b.rng.randint(5, 10))))
        out.append(
            b.activity(
                "symposium",
                "sym",
                day,
                team=team,
                region=region,
                title=title,
                enterprises=named,
                enterprise_count=count,
                extra={"partner": partner} if partner else {},
            )
        )
    return out


def _pool_for(
    b: Builder, team: str | None, region: str, visited: dict[str, list[Enterprise]]
) -> list[Enterprise]:
    if team is not None and region in b.by_region:
        return list(b.by_region[region])
    if team is not None:
        return list(visited[team])
    return [e for team_list in visited.values() for e in team_list]


def enterprise_visits(b: Builder) -> dict[str, list[Enterprise]]:
    """Visits by the stationed teams in their slices, a few by the mobile team and the leader."""
    rng = b.rng
    visited: dict[str, list[Enterprise]] = {}
    chosen: set[str] = set()
    for team, _, _, regions, _, _ in TEAMS[:4]:
        pool = [e for r in regions for e in b.by_region[r]]
        picks = rng.sample(pool, VISITED_PER_TEAM[team])
        picks.sort(key=lambda e: e.id)
        visited[team] = picks
        chosen.update(e.id for e in picks)
        queue = list(picks)
        rng.shuffle(queue)
        # about two thirds in the first phase (走访调研), the rest later
        first = round(len(queue) * 0.68)
        _visit_batches(b, team, queue[:first], PHASE1_DAYS[1:])
        _visit_batches(b, team, queue[first:], LATER_DAYS)
    rest = [e for e in b.enterprises if e.id not in chosen and e.region in COUNTIES]
    mobile = sorted(rng.sample(rest, VISITED_BY_MOBILE), key=lambda e: e.id)
    visited["T5"] = mobile
    for e in mobile:
        b.activity(
            "enterprise_visit",
            "visit",
            b.day(LATER_DAYS),
            team="T5",
            region=e.region,
            enterprises=(e.id,),
            title=f"走访{e.name}",
        )
    # follow-up visits: the group leader and other teams come back to some enterprises
    again = rng.sample([e for team in STATIONED for e in visited[team]], 18)
    for i, e in enumerate(again):
        b.activity(
            "enterprise_visit",
            "visit",
            b.day(LATER_DAYS[4:]),
            team=None if i % 3 == 0 else ("T5" if i % 3 == 1 else team_of(e)),
            region=e.region,
            enterprises=(e.id,),
            title=f"回访跟踪{e.name}" if i % 3 else f"组长走访{e.name}",
        )
    return visited


def _visit_batches(b: Builder, team: str, queue: list[Enterprise], days: Sequence[date]) -> None:
    rng = b.rng
    i = 0
    while i < len(queue):
        size = rng.choices((1, 2, 3), weights=(7, 2, 1))[0]
        # a batch is one visit to neighbouring enterprises of one region
        batch = _same_region_run(queue[i : i + size])
        i += len(batch)
        names = "、".join(e.name for e in batch)
        b.activity(
            "enterprise_visit",
            "visit",
            b.day(days),
            team=team,
            region=batch[0].region,
            enterprises=tuple(e.id for e in batch),
            title=f"走访{names}",
        )


def _same_region_run(batch: list[Enterprise]) -> list[Enterprise]:
    """The leading enterprises of ``batch`` that share the first one's region."""
    run = [batch[0]]
    for e in batch[1:]:
        if e.region != batch[0].region:
            break
        run.append(e)
    return run


def key_project_visits(b: Builder) -> None:
    rng = b.rng
    revisit = set(rng.sample(range(len(KEY_PROJECTS)), 4))
    for i, (project, region) in enumerate(KEY_PROJECTS):
        team = TEAM_OF_REGION.get(region)
        b.activity(
            "key_project_visit",
            "proj",
            b.day(PHASE1_DAYS[1:] if i % 2 else WORKDAYS[1:]),
            team=team,
            region=region,
            subject=project,
            title=f"走访{project}",
        )
        if i in revisit:
            b.activity(
                "key_project_visit",
                "proj",
                b.day(LATER_DAYS[6:]),
                team=None,
                region=region,
                subject=project,
                title=f"组长调度{project}建设进度",
            )


def briefings(b: Builder) -> list[Activity]:
    return [
        b.activity(
            "policy_briefing",
            "brief",
            date(2020, 4, 22),
            team="T3",
            region="HN-CCP",
            title="现代煤化工产业园政策宣讲大会(安徽理工大学教授宣讲煤化气创新等优惠政策)",
            enterprise_count=96,
            figures={"copies": 300},
            extra={"partner": "潘集区人民政府"},
        ),
        b.activity(
            "policy_briefing",
            "brief",
            date(2020, 4, 29),
            team="T4",
            region="340422",
            title="寿县“四送一服”政策宣讲大会",
            enterprise_count=80,
            figures={"copies": 250},
            extra={"partner": "寿县人民政府"},
        ),
    ]


def assignment_meetings(b: Builder) -> list[Activity]:
    return [
        b.activity(
            "assignment_meeting",
            "assign",
            CITY_DOCUMENTS[0][0],
            region=CITY,
            title="第一次问题集中交办会",
            enterprise_count=22,
            officials=12,
        ),
        b.activity(
            "assignment_meeting",
            "assign",
            CITY_DOCUMENTS[1][0],
            region=CITY,
            title="第二次问题集中交办会",
            enterprise_count=20,
            officials=11,
        ),
    ]


def onsite_assignment_meetings(b: Builder) -> list[Activity]:
    plan = (
        (date(2020, 4, 27), "340422"),
        (date(2020, 4, 29), "340421"),
        (date(2020, 5, 7), "340406"),
    )
    return [
        b.activity(
            "onsite_assignment_meeting",
            "onsite",
            day,
            region=region,
            title=f"组长赴{COUNTY_NAMES[region]}召开现场交办会议",
            officials=b.rng.randint(8, 14),
        )
        for day, region in plan
    ]


def inspections(b: Builder) -> list[Activity]:
    days = (
        date(2020, 4, 16),
        date(2020, 4, 20),
        date(2020, 4, 23),
        date(2020, 4, 27),
        date(2020, 4, 30),
        date(2020, 5, 7),
        date(2020, 5, 11),
    )
    order = (*HALLS, HALLS[0])  # the city hall is checked again at the end
    return [
        b.activity(
            "unannounced_inspection",
            "insp",
            day,
            team="T5",
            region=region,
            subject=hall,
            title=f"暗访{hall}",
        )
        for day, (hall, region) in zip(days, order, strict=True)
    ]


def return_visits(b: Builder, visited: dict[str, list[Enterprise]]) -> list[Activity]:
    """Return visits to 164 enterprises whose issues were raised last year."""
    rng = b.rng
    were_visited = [e for team in visited.values() for e in team]
    overlap = rng.sample(were_visited, 78)
    seen = {e.id for e in were_visited}
    others = [e for e in b.enterprises if e.id not in seen]
    targets = overlap + rng.sample(others, RETURN_VISITED - len(overlap))
    by_team: dict[str, list[Enterprise]] = {t: [] for t in STATIONED}
    for e in sorted(targets, key=lambda e: e.id):
        by_team[team_of(e)].append(e)
    out = []
    for team, ents in by_team.items():
        rng.shuffle(ents)
        i = 0
        while i < len(ents):
            size = rng.choice((2, 3, 3, 4))
            batch = _same_region_run(ents[i : i + size])
            i += len(batch)
            out.append(
                b.activity(
                    "return_visit",
                    "rv",
                    b.day(LATER_DAYS[:-1] if rng.random() < 0.8 else PHASE1_DAYS[2:]),
                    team=team,
                    region=batch[0].region,
                    enterprises=tuple(e.id for e in batch),
                    title="回访去年反映问题企业",
                )
            )
    for e in rng.sample(targets, 6):  # a second return visit, not counted twice
        out.append(
            b.activity(
                "return_visit",
                "rv",
                b.day(LATER_DAYS[8:]),
                team=team_of(e),
                region=e.region,
                enterprises=(e.id,),
                title="再次回访,核实问题办理情况",
            )
        )
    return out


def supervision_meetings(b: Builder) -> list[Activity]:
    plan = (
        (date(2020, 4, 28), "340403", "T1"),
        (date(2020, 5, 6), "340421", "T3"),
        (date(2020, 5, 8), "340422", "T4"),
        (date(2020, 5, 11), "340404", "T2"),
    )
    return [
        b.activity(
            "supervision_meeting",
            "sup",
            day,
            team=team,
            region=region,
            title=f"{COUNTY_NAMES[region]}历史遗留问题督办会",
            officials=b.rng.randint(6, 12),
        )
        for day, region, team in plan
    ]


def matchmaking(b: Builder) -> dict[str, Activity]:
    rng = b.rng
    exporters = [e for e in b.enterprises if "exporter" in e.classes]
    export_named = sorted(rng.sample(exporters, EXPORT_ENTERPRISES), key=lambda e: e.id)
    industrial = [e for e in b.enterprises if "sme" not in e.classes or "specialized" in e.classes]
    land = sorted(rng.sample(industrial, LAND_ENTERPRISES), key=lambda e: e.id)
    iur = sorted(
        rng.sample([e for e in b.enterprises if e.industry not in ("批发零售", "建筑业")], 28),
        key=lambda e: e.id,
    )
    banks = sorted(rng.sample([e for e in b.enterprises if e not in land], 7), key=lambda e: e.id)
    return {
        "export": b.activity(
            "matchmaking_meeting",
            "match",
            date(2020, 4, 28),
            region=CITY,
            title="出口企业产品对接会",
            enterprises=tuple(e.id for e in export_named),
            extra={"partner": "淮南海关"},
            notes="对出口产品和国家进行现场咨询对接,帮助企业扩大出口渠道",
        ),
        "land": b.activity(
            "matchmaking_meeting",
            "match",
            date(2020, 4, 30),
            region=CITY,
            title="土地要素对接会",
            enterprises=tuple(e.id for e in land),
            extra={"partner": "淮南市自然资源和规划局"},
        ),
        "iur": b.activity(
            "matchmaking_meeting",
            "match",
            date(2020, 5, 8),
            region="HN-HTDZ",
            title="产学研项目对接会",
            enterprises=tuple(e.id for e in iur),
            extra={"partner": "安徽理工大学、淮南师范学院"},
            notes="2所高校、28家企业参加,发布高校研究成果10项",
        ),
        "bank": b.activity(
            "matchmaking_meeting",
            "match",
            date(2020, 5, 9),
            region=CITY,
            title="银企对接会",
            enterprises=tuple(e.id for e in banks),
            enterprise_count=36,
            extra={"partner": "淮南市地方金融监管局"},
        ),
    }


def investment_visits(b: Builder) -> list[Activity]:
    plan = (
        (date(2020, 4, 21), "上海市安徽商会企业家赴淮南考察"),
        (date(2020, 4, 28), "杭州市淮南商会企业赴淮南考察"),
        (date(2020, 5, 7), "南京市安徽商会企业家赴淮南考察"),
        (date(2020, 5, 11), "长三角地区有投资意向企业赴淮南考察"),
    )
    return [
        b.activity("investment_visit", "invest", day, region=CITY, title=title)
        for day, title in plan
    ]


def publicity(b: Builder) -> None:
    rng = b.rng
    days = sorted(rng.sample(WORKDAYS[1:], PROVINCIAL_REPORTS - 6) + rng.sample(WORKDAYS[1:], 6))
    for i, day in enumerate(days):
        outlet, level = MEDIA[i % len(MEDIA)] if i % 4 else MEDIA[2]
        b.activity(
            "media_report",
            "media",
            day,
            title=f"{outlet}报道省“四送一服”工作组在淮南开展专项行动",
            extra={"media_level": level, "outlet": outlet},
        )
    for i in range(LOCAL_REPORTS):
        outlet, level = CITY_MEDIA[i % len(CITY_MEDIA)]
        team = {"寿县融媒体中心": "T4", "凤台县融媒体中心": "T3"}.get(outlet)
        b.activity(
            "media_report",
            "media",
            b.day(WORKDAYS[2:]),
            team=team,
            title=f"{outlet}:驻点小组组长在线访谈" if team else f"{outlet}播发优惠政策摘要",
            extra={"media_level": level, "outlet": outlet},
        )
    push_days = sorted(rng.choice(WORKDAYS[1:]) for _ in range(21))
    for i, day in enumerate(push_days):
        b.activity(
            "publicity_push",
            "push",
            day,
            title=f"企业微信群推送政策“豆腐块”第{i + 1}期",
            figures={"group_members": 578} if i == len(push_days) - 1 else {},
        )


def materials(b: Builder, already: int) -> None:
    """Policy compilations (10000 printed) and platform cards, handed out team by team."""
    rng = b.rng
    compilations = POLICY_COMPILATIONS - already
    cards = MATERIALS - POLICY_COMPILATIONS
    teams = (*STATIONED, "T5")
    comp_share = _split(rng, compilations, (3, 2, 3, 3, 1))
    card_share = _split(rng, cards, (3, 2, 2, 3, 1))
    for team, comp, card in zip(teams, comp_share, card_share, strict=True):
        regions = next(t[3] for t in TEAMS if t[0] == team) or (CITY,)
        for part in _split(rng, comp, (1,) * rng.randint(2, 4)):
            b.activity(
                "material_distribution",
                "mat",
                b.day(WORKDAYS[1:]),
                team=team,
                region=rng.choice(regions),
                title="发放政策汇编",
                figures={"copies": part},
            )
        for part in _split(rng, card, (1,) * rng.randint(1, 3)):
            b.activity(
                "material_distribution",
                "mat",
                b.day(WORKDAYS[1:]),
                team=team,
                region=rng.choice(regions),
                title="发放省“四送一服”平台名片",
                figures={"copies": part},
            )


def _split(rng: random.Random, total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` into parts roughly proportional to ``weights`` (exact sum)."""
    noisy = [w * rng.uniform(0.8, 1.2) for w in weights]
    scale = total / sum(noisy)
    parts = [int(x * scale) for x in noisy]
    parts[0] += total - sum(parts)
    return parts


# -- outcomes ---------------------------------------------------------------------


def make_outcomes(b: Builder, meetings: dict[str, Activity], invest: list[Activity]) -> None:
    rng = b.rng
    index = {e.id: e for e in b.enterprises}
    export = meetings["export"]
    for ent in sorted(rng.sample(export.enterprises, EXPORT_MATCHED)):
        e = index[ent]
        b.outcomes.append(
            Outcome(
                id=b.next_id("out-export"),
                kind="export_matching",
                status=OutcomeStatus.SIGNED,
                date=export.date,
                activity=export.id,
                team=team_of(e),
                title="对接新的出口渠道",
                enterprises=(ent,),
                parties=(Party("customs", "淮南海关"),),
            )
        )
    land = meetings["land"]
    mu = _split(rng, LAND_QUOTA_MU * 2, [rng.randint(2, 12) for _ in land.enterprises])
    for ent, half_mu in zip(land.enterprises, mu, strict=True):
        e = index[ent]
        b.outcomes.append(
            Outcome(
                id=b.next_id("out-land"),
                kind="land_quota",
                status=OutcomeStatus.SIGNED,
                date=land.date,
                activity=land.id,
                team=team_of(e),
                title=f"{e.name}扩建用地指标",
                enterprises=(ent,),
                land_mu=Decimal(half_mu) / 2,
            )
        )
    iur = meetings["iur"]
    iur_ents = list(iur.enterprises)
    rng.shuffle(iur_ents)
    for (title, amount), ent in zip(IUR_SIGNED_AT_MEETING, iur_ents, strict=False):
        b.outcomes.append(
            Outcome(
                id=b.next_id("out-iur"),
                kind="iur_project",
                status=OutcomeStatus.SIGNED,
                date=iur.date,
                activity=iur.id,
                team=team_of(index[ent]),
                title=title,
                enterprises=(ent,),
                parties=(Party("university", rng.choice(UNIVERSITIES)),),
                amount_yuan=amount,
            )
        )
    topics = ("工艺改进", "产品检测", "联合研发", "人才培养", "技术咨询", "中试合作")
    later = iur_ents[4:] + rng.sample(
        [e.id for e in b.enterprises if e.id not in iur_ents], IUR_SIGNED_LATER + IUR_INTENDED
    )
    for k, ent in enumerate(later[: IUR_SIGNED_LATER + IUR_INTENDED]):
        e = index[ent]
        intended = k >= IUR_SIGNED_LATER
        b.outcomes.append(
            Outcome(
                id=b.next_id("out-iur"),
                kind="iur_project",
                status=OutcomeStatus.INTENDED if intended else OutcomeStatus.SIGNED,
                date=b.day([d for d in LATER_DAYS if d >= iur.date] if k < 12 else LATER_DAYS),
                activity=iur.id if k < 12 else None,
                team=team_of(e),
                title=f"{e.industry}{rng.choice(topics)}合作协议",
                enterprises=(ent,),
                parties=(Party("university", rng.choice(UNIVERSITIES)),),
            )
        )
    bank = meetings["bank"]
    for (name, amount), ent in zip(BANKS, bank.enterprises, strict=True):
        b.outcomes.append(
            Outcome(
                id=b.next_id("out-loan"),
                kind="financing",
                status=OutcomeStatus.SIGNED,
                date=bank.date,
                activity=bank.id,
                team=team_of(index[ent]),
                title="银企对接签约",
                enterprises=(ent,),
                parties=(Party("bank", name),),
                amount_yuan=amount,
            )
        )
    b.outcomes.append(
        Outcome(
            id=b.next_id("out-invest"),
            kind="investment_project",
            status=OutcomeStatus.NEGOTIATING,
            date=invest[1].date,
            activity=invest[1].id,
            team="T1",
            title="山南教育项目",
            region="340403",
            parties=(Party("investor", "杭州某教育投资集团"),),
            amount_yuan=Decimal(600_000_000),
        )
    )
    b.outcomes.append(
        Outcome(
            id=b.next_id("out-invest"),
            kind="investment_project",
            status=OutcomeStatus.NEGOTIATING,
            date=invest[3].date,
            activity=invest[3].id,
            team="T4",
            title="寿县大健康项目",
            region="340422",
            parties=(Party("investor", "上海某健康产业公司"),),
            amount_yuan=Decimal(400_000_000),
        )
    )


# -- issues -----------------------------------------------------------------------


@dataclass
class Raised:
    """Where an issue came from, before its history is written."""

    channel: str
    day: date
    enterprise: str | None
    team: str | None
    activity: str | None
    legacy: bool = False


def raise_issues(
    b: Builder,
    symposia: list[Activity],
    halls: list[Activity],
    rvisits: list[Activity],
) -> list[Raised]:
    rng = b.rng
    index = {e.id: e for e in b.enterprises}
    raised: list[Raised] = []
    visits = [a for a in b.activities if a.kind == "enterprise_visit" and a.team in STATIONED]
    for a in rng.sample(visits, 88):
        ents = list(a.enterprises)
        for ent in ents[: rng.choice((1, 1, 1, 2))]:
            for _ in range(rng.choice((1, 1, 1, 2))):
                raised.append(Raised("visit", a.date, ent, a.team, a.id))
    for a in symposia:
        for ent in rng.sample(list(a.enterprises), min(len(a.enterprises), rng.randint(1, 3))):
            team = a.team or team_of(index[ent])
            raised.append(Raised("meeting", a.date, ent, team, a.id))
    for a in halls[:6]:
        raised.append(Raised("inspection", a.date, None, "T5", a.id))
    legacy_visits = rng.sample([a for a in rvisits if a.date <= date(2020, 5, 8)], 12)
    for a in legacy_visits:
        raised.append(Raised("visit", a.date, a.enterprises[0], a.team, a.id, legacy=True))
    rigid = {r.enterprise for r in raised if r.enterprise is not None}
    flexible = 217 - len(raised)
    new_needed = ISSUE_ENTERPRISES - len(rigid)
    if not 0 <= new_needed <= flexible:
        raise SystemExit(f"cannot reach {ISSUE_ENTERPRISES} issue enterprises ({new_needed=})")
    fresh = rng.sample(sorted(e.id for e in b.enterprises if e.id not in rigid), new_needed)
    again = sorted(rigid)
    channels = rng.sample(
        ["platform"] * 40 + ["phone"] * 8 + ["wechat"] * 9 + ["walk_in"] * 6, flexible
    )
    for k, channel in enumerate(channels):
        ent = fresh[k] if k < new_needed else rng.choice(again)
        raised.append(Raised(channel, b.day(WORKDAYS[1:]), ent, team_of(index[ent]), None))
    raised.sort(key=lambda r: r.day)
    return raised


def _level(b: Builder, category: str) -> str:
    return b.rng.choices(LEVELS, weights=LEVEL_WEIGHTS[category])[0]


def _department(category: str, level: str, region: str | None) -> str:
    template = DEPARTMENTS[category][LEVELS.index(level)]
    return template.format(county=county_name(region or CITY))


def _document_for(day: date) -> tuple[date, str, dict[str, int]] | None:
    for doc in CITY_DOCUMENTS:
        if day <= doc[0]:
            return doc
    return None


def _rating(b: Builder) -> Satisfaction:
    return b.rng.choices(
        (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED),
        weights=(13, 5, 2),
    )[0]


def history(
    b: Builder, r: Raised, category: str, region: str | None, supervision: list[Activity]
) -> tuple[list[IssueEvent], str | None]:
    """An issue's event history and the city document it was assigned by (if any)."""
    rng = b.rng
    events: list[IssueEvent] = []
    by = r.team or GROUP_LEADER
    document: str | None = None

    def after(day: date, lo: int, hi: int) -> date:
        return add_workdays(day, rng.randint(lo, hi))

    def resolved_then(day: date) -> None:
        events.append(IssueEvent("resolved", day, by=by, note="问题已办结,企业确认"))
        if rng.random() < 0.55:
            visit = after(day, 1, 4)
            rating = _rating(b)
            events.append(IssueEvent("return_visit", visit, rating=rating, by=by))
            if rating is Satisfaction.DISSATISFIED:
                events.append(IssueEvent("reopened", visit, by=by, note="企业不满意,重新办理"))
                if rng.random() < 0.5:
                    again = after(visit, 2, 5)
                    events.append(IssueEvent("resolved", again, by=by))
                    events.append(
                        IssueEvent(
                            "return_visit",
                            after(again, 1, 2),
                            rating=Satisfaction.SATISFIED,
                            by=by,
                        )
                    )

    if r.legacy:
        doc_day = max(r.day, supervision[0].date)
        level = "city"
        events.append(
            IssueEvent(
                "assigned",
                r.day,
                level=level,
                department=_department(category, level, region),
                due=add_workdays(r.day, 15),
                stage="resolution",
                by=by,
                note="历史遗留问题,核实后交办",
            )
        )
        meeting = next((m for m in supervision if m.date >= doc_day), None)
        if meeting is not None:
            events.append(IssueEvent("meeting_called", meeting.date, by=GROUP_LEADER))
            events.append(IssueEvent("supervised", meeting.date, by=GROUP_LEADER, note="现场督办"))
            if rng.random() < 0.5:
                resolved_then(after(meeting.date, 1, 4))
        return _clip(events), document

    mode = rng.random()
    if mode < 0.24:
        events.append(IssueEvent("answered_on_spot", r.day, by=by, note="政策解答,现场答复"))
        if rng.random() < 0.35:
            events.append(IssueEvent("return_visit", after(r.day, 2, 8), rating=_rating(b), by=by))
    elif mode < 0.44:
        events.append(IssueEvent("taken_back", r.day, by=by, note="带回办理,及时反馈"))
        events.append(IssueEvent("feedback", after(r.day, 1, 3), by=by))
        if rng.random() < 0.8:
            resolved_then(after(r.day, 4, 9))
    elif mode < 0.95:
        doc = _document_for(r.day)
        if doc is None:  # raised after the last meeting: assigned directly by the team
            day, level = after(r.day, 0, 1), _level(b, category)
            due = add_workdays(day, 10)
        else:
            day, document, limits = doc
            level = _level(b, category)
            due = add_workdays(day, limits[level])
        department = _department(category, level, region)
        events.append(
            IssueEvent(
                "assigned",
                day,
                level=level,
                department=department,
                due=due,
                stage="resolution",
                by=GROUP_LEADER if document else by,
            )
        )
        events.append(IssueEvent("feedback", after(day, 1, 3), department=department))
        roll = rng.random()
        if roll < 0.06 and level != "province":
            up = LEVELS[LEVELS.index(level) + 1]
            esc_day = after(day, 4, 6)
            events.append(
                IssueEvent(
                    "escalated",
                    esc_day,
                    level=up,
                    department=_department(category, up, region),
                    by=GROUP_LEADER,
                    note="县区难以解决,提级办理",
                )
            )
            if rng.random() < 0.5:
                resolved_then(after(esc_day, 2, 4))
        elif roll < 0.16:
            events.append(IssueEvent("supervised", after(day, 5, 7), by=GROUP_LEADER))
        elif roll < 0.18:
            events.append(
                IssueEvent(
                    "closed_unresolved",
                    after(day, 3, 6),
                    by=GROUP_LEADER,
                    note="涉及国家政策调整,已向企业解释说明",
                )
            )
        elif roll < 0.8:
            resolved_then(after(day, 3, 10))
    return _clip(events), document


def _clip(events: list[IssueEvent]) -> list[IssueEvent]:
    """Keep the events up to the report date (a later one and those after it are dropped)."""
    out = []
    for e in events:
        if e.date > LAST_EVENT:
            break
        out.append(e)
    return out


def make_issues(b: Builder, raised: list[Raised], supervision: list[Activity]) -> None:
    rng = b.rng
    index = {e.id: e for e in b.enterprises}
    categories: list[str] = []
    for key, count in CATEGORY_COUNTS:
        categories.extend([key] * count)
    inspections_first = [r for r in raised if r.channel == "inspection"]
    # inspection findings are about approvals and services; the rest are shuffled
    rest = list(categories)
    for _ in inspections_first:
        rest.remove("approval")
    rng.shuffle(rest)
    for n, r in enumerate(raised, start=1):
        category = "approval" if r.channel == "inspection" else rest.pop()
        ent = index[r.enterprise] if r.enterprise else None
        region = ent.region if ent else None
        if region is None and r.activity is not None:
            region = next(a.region for a in b.activities if a.id == r.activity)
        events, document = history(b, r, category, region, supervision)
        text = rng.choice(ISSUE_TEXT[category])
        if r.channel == "inspection":
            text = rng.choice(ISSUE_TEXT["approval"])
        b.issues.append(
            Issue(
                id=f"Q{n:03d}",
                category=category,
                description=text,
                channel=r.channel,
                raised=r.day,
                enterprise=r.enterprise,
                team=r.team,
                activity=r.activity,
                legacy=r.legacy,
                events=tuple(events),
                extra={"document": document} if document else {},
            )
        )


# -- the ledger -------------------------------------------------------------------


def build() -> Ledger:
    """Build the example ledger (deterministic)."""
    b = Builder(random.Random(SEED))
    make_enterprises(b)
    meetings = campaign_meetings(b)
    visited = enterprise_visits(b)
    key_project_visits(b)
    symposia = symposiums(b, visited)
    brief = briefings(b)
    assignment_meetings(b)
    onsite_assignment_meetings(b)
    halls = inspections(b)
    rvisits = return_visits(b, visited)
    supervision = supervision_meetings(b)
    match = matchmaking(b)
    invest = investment_visits(b)
    publicity(b)
    materials(b, sum(a.figures.get("copies", 0) for a in brief))
    make_outcomes(b, match, invest)
    make_issues(b, raise_issues(b, symposia, halls, rvisits), supervision)
    del meetings
    activities = sorted(b.activities, key=lambda a: a.date)
    outcomes = sorted(b.outcomes, key=lambda o: o.date)
    campaign = Campaign(
        id="sisong-yifu-2020-huainan-g7",
        type="sisong-yifu",
        name="推进“十四五”开好局起好步“四送一服”专项行动",
        theme="推进“十四五”开好局起好步",
        period=Period(START, END),
        host_province="340000",
        phases=(Phase("phase-1", "第一阶段走访调研", Period(START, PHASE1_END)),),
        scope=Scope(
            enterprise_classes=("four_above", "specialized", "sme"),
            regions=COUNTIES,
            zones=ZONES,
        ),
        rules=("工作小组工作时间不回肥", "企业生产不打扰", "驻点期间不吃请"),
        report_date=END,
    )
    group = WorkGroup(
        id="G7",
        name="第七工作组",
        lead_unit="省工商联",
        headcount=15,
        host_region=CITY,
        period=Period(START, END),
        number=7,
        teams=tuple(
            Team(id=tid, name=name, kind=kind, regions=regions, leader=leader, members=members)
            for tid, name, kind, regions, leader, members in TEAMS
        ),
    )
    return Ledger(
        campaign=campaign,
        regions=load_regions("anhui-huainan"),
        work_groups=(group,),
        enterprises=tuple(b.enterprises),
        activities=tuple(activities),
        issues=tuple(b.issues),
        outcomes=tuple(outcomes),
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).with_name("ledger.json"),
        help="where to write the ledger (default: ledger.json beside this script)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print the headline figures")
    args = parser.parse_args(list(argv) if argv is not None else None)
    ledger = build()
    problems = validate(ledger)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    dump(ledger, args.out)
    if not args.quiet:
        print(f"wrote {args.out}")
        for metric, value in summary(ledger, headline_only=True).items():
            print(f"  {metric}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
