"""The workbook layout campaign offices use, and ledger records as its rows.

Four sheets hold records: 企业名录 (enterprises), 活动记录 (activities),
问题台账 (issues) and 成果 (outcomes). Their headers are Chinese in every
language, because the layout is an interchange format: ``campaignkit template``
writes it empty, the XLSX report writes it filled, and ``campaignkit import``
reads it back. Cells of every enumerated field hold Chinese labels (问题类别
用工, 办理状态 已办结, 媒体级别 省级 …); the importer also accepts English labels
and keys. Money is in yuan and land in mu; counts may carry their unit (``300份``).

The 问题台账 row of an issue is derived from its history (:func:`handling`):
the current handling level and unit, time limit, state, result, rating and
the dates of assignment, resolution and return visit.

With an ``as_of`` date the rows are those a report as of that day counts (as
:func:`campaignkit.stats.metrics.known_on` leaves them): activities, issues and
outcomes dated after it are left out, and an issue's row shows it as it stood
at the end of that day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from campaignkit.derive.views import Deriver
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import (
    Activity,
    Contact,
    Deadline,
    DeadlineUnit,
    Enterprise,
    Issue,
    IssueEvent,
    Outcome,
    OutcomeStatus,
    Satisfaction,
)
from campaignkit.report.safety import mask_contact, mask_text, neutralise_cell, xml_safe
from campaignkit.rules.lifecycle import Lifecycle, StateKind
from campaignkit.rules.records import CampaignType, ExtraAttribute
from campaignkit.stats.metrics import known_on

__all__ = [
    "ACTIVITIES",
    "ENTERPRISES",
    "ISSUES",
    "MAX_CELL_TEXT",
    "OUTCOMES",
    "RATING_LABELS",
    "RECORD_SHEETS",
    "REPORT_SHEETS",
    "STATUS_LABELS",
    "Handling",
    "SheetColumn",
    "SheetLayout",
    "activity_rows",
    "choice_lists",
    "each_activity_row",
    "each_enterprise_row",
    "each_issue_row",
    "each_outcome_row",
    "enterprise_rows",
    "fit_cell",
    "format_limit",
    "handling",
    "issue_rows",
    "layouts",
    "looks_cut",
    "outcome_rows",
    "parse_limit",
    "record_row",
    "region_cell",
    "team_cell",
]

ENTERPRISES = "企业名录"
ACTIVITIES = "活动记录"
ISSUES = "问题台账"
OUTCOMES = "成果"
RECORD_SHEETS = (ENTERPRISES, ACTIVITIES, ISSUES, OUTCOMES)
"""Sheets that hold records, in the order they are read."""
SUMMARY = "汇总表"
BREAKDOWNS = "分类统计"
LISTS = "选项"
README = "说明"
REPORT_SHEETS = (SUMMARY, BREAKDOWNS, LISTS, README)
"""Sheets the XLSX report and the template add; the importer skips them."""

RATING_LABELS = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY_SATISFIED: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
}
STATUS_LABELS = {s: Phrase("outcome-status." + s.value).text("zh") for s in OutcomeStatus}
"""How a workbook writes an outcome's status (状态): its words in the catalogue."""
YES, NO = "是", "否"
LIST_SEPARATOR = "、"
SEPARATORS = re.compile(r"[、,,;;]")
"""What separates the names of a list cell (参加企业, 企业类别)."""

ASSIGNING = ("assigned", "escalated")
"""Event kinds that set who handles an issue (交办日期 is the latest of them)."""
LIMITING = ("assigned", "escalated", "extended")
"""Event kinds whose ``due`` or ``deadline`` is the issue's time limit (办理时限)."""
RESULTING = ("answered_on_spot", "resolved", "closed_unresolved", "closed")
"""Event kinds whose note is the handling result (办理结果)."""

MAX_CELL_TEXT = 32_767
"""The most characters an Excel cell holds (openpyxl cuts a longer text without a word)."""
_CUT_MARK = "…〔截断：全文 {length} 字，超出 Excel 单元格上限 {limit} 字；导入时保留台账中的全文〕"
_CUT = re.compile(r"…〔截断：全文 \d+ 字，超出 Excel 单元格上限 \d+ 字；导入时保留台账中的全文〕\Z")

_UNIT_WORDS = {
    DeadlineUnit.WORKING_DAYS: "个工作日",
    DeadlineUnit.DAYS: "天",
    DeadlineUnit.HOURS: "小时",
}
_LIMIT = re.compile(
    r"\s*(\d+)\s*(个工作日|工作日|working days?|天|日|days?|个?小时|hours?)\s*", re.IGNORECASE
)


@frozen
class SheetColumn:
    """A column of a record sheet."""

    header: str
    field: str
    kind: str = "text"
    """``text``, ``code`` (text that must be typed as text: a number loses digits),
    ``int``, ``date``, ``bool``, ``decimal``, ``list`` (``、``-separated), ``limit`` (a
    date or ``N个工作日``), ``yuan`` (an amount: ``600000000``, ``3000万元``, ``1.5亿``)
    or ``mu`` (an area: ``852``, ``852亩``)."""
    required: bool = False
    choices: str | None = None
    """Name of the choice list (see :func:`choice_lists`) the cell takes a value from."""
    width: int = 14
    note: str = ""
    units: tuple[str, ...] = ()
    """Units a count may be written with (``300份``); the first is the column's own."""


@frozen
class SheetLayout:
    """A record sheet: its name and columns."""

    name: str
    columns: tuple[SheetColumn, ...]
    _fields: dict[str, SheetColumn] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_fields", {c.field: c for c in self.columns})

    @property
    def headers(self) -> tuple[str, ...]:
        """Header texts in order."""
        return tuple(c.header for c in self.columns)

    def by_field(self, field: str) -> SheetColumn:
        """The column of a field (``KeyError`` when the sheet has none)."""
        return self._fields[field]


_C = SheetColumn

ISSUE_COLUMNS = (
    _C("序号", "seq", "int", True, width=6, note="行号，必填，表内不重复"),
    _C("企业名称", "enterprise_name", width=26),
    _C(
        "统一社会信用代码",
        "uscc",
        "code",
        width=22,
        note="18位，文本格式；新企业据此添加到企业名录",
    ),
    _C("所在县区", "county", choices="regions", width=12),
    _C("问题类别", "category", required=True, choices="categories", width=12),
    _C("问题描述", "description", required=True, width=40),
    _C("反映渠道", "channel", required=True, choices="channels", width=12),
    _C("交办层级", "level", choices="levels", width=10),
    _C("责任单位", "department", width=18),
    _C("办理时限", "limit", "limit", width=14, note="日期（YYYY-MM-DD）或“10个工作日”"),
    _C("办理状态", "state", choices="states", width=12, note="空白即“已收集”"),
    _C("办理结果", "result", width=30, note="办结或关闭时的结果"),
    _C("满意度", "rating", choices="ratings", width=10),
    _C(
        "问题编号",
        "id",
        width=12,
        note="填已有编号即更新那个问题；空白时生成新编号（Q-台账已有最大号+序号）",
    ),
    _C("反映日期", "raised", "date", True, width=12),
    _C("交办日期", "assigned_on", "date", width=12, note="交办或提级的日期"),
    _C("办结日期", "resolved_on", "date", width=12),
    _C("回访日期", "visited_on", "date", width=12),
    _C("所属小组", "team", choices="teams", width=12),
    _C("来源活动", "activity", width=12, note="活动编号"),
    _C("历史遗留", "legacy", "bool", choices="yesno", width=10),
)

ENTERPRISE_COLUMNS = (
    _C("序号", "seq", "int", True, width=6),
    _C("企业编号", "id", width=14, note="空白时按统一社会信用代码匹配或生成"),
    _C("企业名称", "name", required=True, width=28),
    _C("统一社会信用代码", "uscc", "code", required=True, width=22, note="18位，文本格式"),
    _C("所在县区", "region", required=True, choices="regions", width=12),
    _C("企业类别", "classes", "list", width=18, note="多个用“、”分隔"),
    _C("所属行业", "industry", width=14),
    _C("联系人", "person", width=10),
    _C("联系电话", "phone", width=16),
    _C("电子邮箱", "email", width=20),
)

ACTIVITY_COLUMNS = (
    _C("序号", "seq", "int", True, width=6),
    _C(
        "活动编号",
        "id",
        width=12,
        note="填已有编号即更新那项活动；空白时生成新编号（A-台账已有最大号+序号）",
    ),
    _C("活动类型", "kind", required=True, choices="activity_kinds", width=14),
    _C("日期", "date", "date", True, width=12),
    _C("所属小组", "team", choices="teams", width=12),
    _C("所在县区", "region", choices="regions", width=12),
    _C("标题", "title", width=24),
    _C("走访对象", "subject", width=18, note="重点项目或服务大厅的名称"),
    _C("参加企业", "enterprises", "list", width=28, note="企业名称，多个用“、”分隔"),
    _C("参加企业数", "enterprise_count", "int", width=10, units=("家",)),
    _C("机关干部人数", "officials", "int", width=10, units=("人", "名")),
    _C("备注", "notes", width=24),
)

OUTCOME_COLUMNS = (
    _C("序号", "seq", "int", True, width=6),
    _C(
        "成果编号",
        "id",
        width=14,
        note="填已有编号即更新那项成果；空白时生成新编号（O-台账已有最大号+序号）",
    ),
    _C("成果类别", "kind", required=True, choices="outcome_kinds", width=14),
    _C("状态", "status", required=True, choices="outcome_statuses", width=10),
    _C("日期", "date", "date", True, width=12),
    _C("标题", "title", width=28),
    _C("相关企业", "enterprises", "list", width=28, note="企业名称，多个用“、”分隔"),
    _C("金额（元）", "amount_yuan", "yuan", width=16, note="元；也可写 3000万元、1.5亿"),
    _C("土地（亩）", "land_mu", "mu", width=12, note="亩；也可写 852亩"),
    _C("所属小组", "team", choices="teams", width=12),
    _C("所在县区", "region", choices="regions", width=12),
    _C("来源活动", "activity", width=12, note="活动编号"),
)

_EXTRA_KIND = {"str": "text", "int": "int", "bool": "bool", "decimal": "decimal", "date": "date"}


def _extra_columns(ctype: CampaignType, record: str) -> tuple[SheetColumn, ...]:
    return tuple(
        SheetColumn(
            a.label.zh,
            f"extra:{a.name}",
            _EXTRA_KIND[a.type],
            choices=f"extra:{record}:{a.name}"
            if a.choices
            else ("yesno" if a.type == "bool" else None),
            note=f"仅用于：{'、'.join(ctype.label_of('activity_kinds', k) for k in a.kinds)}"
            if a.kinds and record == "activity"
            else _required_note(ctype, a)
            if record == "issue" and a.required and a.conditional
            else "",
        )
        for a in ctype.extra_attributes
        if a.record == record
    )


def _required_note(ctype: CampaignType, a: ExtraAttribute) -> str:
    """Which issues must fill an extra column in: ``必填：渠道为综合服务平台的用工问题``."""
    channels = "、".join(ctype.label_of("issue_channels", k) for k in a.required_channels)
    categories = "、".join(ctype.label_of("issue_categories", k) for k in a.required_categories)
    where = f"渠道为{channels}的" if channels else ""
    return f"必填：{where}{categories}问题" if categories else f"必填：{where}问题"


def layouts(ctype: CampaignType) -> dict[str, SheetLayout]:
    """The record sheets for a campaign type (its figures and extra attributes add columns)."""
    figures = tuple(
        SheetColumn(
            f.label.zh, f"figure:{f.key}", "int", width=10, units=(f.unit.zh,) if f.unit.zh else ()
        )
        for f in ctype.figures
    )
    return {
        ENTERPRISES: SheetLayout(
            ENTERPRISES, ENTERPRISE_COLUMNS + _extra_columns(ctype, "enterprise")
        ),
        ACTIVITIES: SheetLayout(
            ACTIVITIES, ACTIVITY_COLUMNS + figures + _extra_columns(ctype, "activity")
        ),
        ISSUES: SheetLayout(ISSUES, ISSUE_COLUMNS + _extra_columns(ctype, "issue")),
        OUTCOMES: SheetLayout(OUTCOMES, OUTCOME_COLUMNS + _extra_columns(ctype, "outcome")),
    }


def extra_attribute(ctype: CampaignType, record: str, name: str) -> ExtraAttribute:
    """The extra attribute ``name`` of ``record`` records."""
    for a in ctype.extra_attributes:
        if a.record == record and a.name == name:
            return a
    raise KeyError(name)


def fit_cell(text: str) -> str:
    """A text as a record sheet's cell holds it: itself when it fits (32,767 characters),
    else its beginning with a mark saying it is cut and how long the whole is. An import
    reading the cut text back keeps the ledger's whole text (:func:`looks_cut`)."""
    if len(text) < MAX_CELL_TEXT or len(neutralise_cell(xml_safe(text))) <= MAX_CELL_TEXT:
        return text
    mark = _CUT_MARK.format(length=len(text), limit=MAX_CELL_TEXT)
    return text[: MAX_CELL_TEXT - 1 - len(mark)] + mark  # (room for the ' of a formula)


def looks_cut(text: str) -> bool:
    """Whether a cell's text ends with the mark of :func:`fit_cell`."""
    return _CUT.search(text) is not None


def team_cell(ledger: Ledger, ident: str | None) -> str | None:
    """How a sheet names a team: its name, or its id when another team has that name too
    (every working group may have its 第一小组) or the name is another team's id. The
    importer reads an id before a name, so the cell always names the same team."""
    team = ledger.team_index.get(ident) if ident else None
    if team is None:
        return ident
    return _unambiguous(team.id, team.name, ledger.shared_team_names, ledger.team_index)


def region_cell(ledger: Ledger, code: str | None) -> str | None:
    """How a sheet names a region: its name, or its code when another region has that
    name too or the name is another region's code (see :func:`team_cell`)."""
    region = ledger.region_index.get(code) if code else None
    if region is None:
        return code or None
    return _unambiguous(region.code, region.name, ledger.shared_region_names, ledger.region_index)


def _unambiguous(key: str, name: str, shared: Container[str], keys: Container[str]) -> str:
    """A record's ``name``, or its ``key`` where the name tells it from no other: empty,
    another record's name too, or another record's key."""
    if not name or name in shared or (name != key and name in keys):
        return key
    return name


def choice_lists(ctype: CampaignType, ledger: Ledger | None = None) -> dict[str, tuple[str, ...]]:
    """The values a choice column offers: Chinese labels, region and team names."""
    lists: dict[str, tuple[str, ...]] = {
        "categories": tuple(k.label.zh for k in ctype.issue_categories),
        "channels": tuple(k.label.zh for k in ctype.issue_channels),
        "activity_kinds": tuple(k.label.zh for k in ctype.activity_kinds),
        "outcome_kinds": tuple(k.label.zh for k in ctype.outcome_kinds),
        "outcome_statuses": tuple(STATUS_LABELS.values()),
        "classes": tuple(k.label.zh for k in ctype.enterprise_classes),
        "levels": tuple(ctype.policy.level_label(level) for level in ctype.policy.levels),
        "states": tuple(s.label.zh for s in ctype.lifecycle.states),
        "ratings": tuple(RATING_LABELS.values()),
        "yesno": (YES, NO),
        "regions": (),
        "teams": (),
    }
    if ledger is not None:
        lists["regions"] = tuple(
            region_cell(ledger, r.code) or r.code
            for r in ledger.regions
            if r.level in ("county", "zone")
        )
        lists["teams"] = tuple(team_cell(ledger, t.id) or t.id for t in ledger.teams)
    for a in ctype.extra_attributes:
        if a.choices:
            lists[f"extra:{a.record}:{a.name}"] = tuple(a.choice_label(c) for c in a.choices)
    return lists


def format_limit(limit: Deadline | date | None) -> str | date | None:
    """A time limit as a cell: the due date, or ``10个工作日``."""
    if limit is None or isinstance(limit, date):
        return limit
    return f"{limit.amount}{_UNIT_WORDS[limit.unit]}"


def parse_limit(text: str) -> Deadline | None:
    """``10个工作日`` → 10 working days, ``5天`` → 5 days, ``48小时`` → 48 hours; else None."""
    m = _LIMIT.fullmatch(text)
    if m is None:
        return None
    word = m.group(2).lower()
    if "工作日" in word or "working" in word:
        unit = DeadlineUnit.WORKING_DAYS
    elif "时" in word or "hour" in word:
        unit = DeadlineUnit.HOURS
    else:
        unit = DeadlineUnit.DAYS
    return Deadline(int(m.group(1)), unit)


@frozen
class Handling:
    """What an issue's history says for the 问题台账 columns."""

    state: str
    level: str | None = None
    department: str | None = None
    limit: Deadline | date | None = None
    result: str | None = None
    rating: Satisfaction | None = None
    assigned_on: date | None = None
    resolved_on: date | None = None
    """When it was resolved, or closed unresolved (办结日期)."""
    visited_on: date | None = None


def handling(
    issue: Issue,
    lifecycle: Lifecycle,
    events: Iterable[IssueEvent] | None = None,
    *,
    states: Deriver | None = None,
) -> Handling:
    """Derive the 问题台账 columns of an issue from its history (or from ``events``).

    ``states`` (a :meth:`~campaignkit.derive.views.Deriver.of_states` of ``lifecycle``)
    is worth handing on when deriving many issues: it works out each step once.
    """
    history = list(issue.events if events is None else events)
    deriver = states or Deriver.of_states(lifecycle)
    state = deriver.view(issue, events=history).issue_state(issue.id)
    limit: Deadline | date | None = None
    result: str | None = None
    assigned_on: date | None = None
    visited_on: date | None = None
    for event in history:
        if event.kind in ASSIGNING:
            assigned_on = event.date
        if event.kind in LIMITING and (event.due is not None or event.deadline is not None):
            limit = event.due if event.due is not None else event.deadline
        if event.kind in RESULTING and event.note:
            result = event.note
        if event.kind == "return_visit":
            visited_on = event.date
        if event.kind == "reopened":
            result = None
    resolved_on = state.resolved_on if isinstance(state.resolved_on, date) else None
    if state.kind is StateKind.CLOSED_UNRESOLVED:
        resolved_on = next(
            (e.date for e in reversed(history) if e.kind == "closed_unresolved"), resolved_on
        )
    return Handling(
        state=state.state,
        level=state.level,
        department=state.department,
        limit=limit,
        result=result,
        rating=state.last_rating,
        assigned_on=assigned_on,
        resolved_on=resolved_on,
        visited_on=visited_on,
    )


Row = dict[str, Any]


def _extras(record_extra: Mapping[str, Any], ctype: CampaignType, record: str) -> Row:
    out: Row = {}
    for a in ctype.extra_attributes:
        if a.record != record or a.name not in record_extra:
            continue
        value = record_extra[a.name]
        if a.choices and isinstance(value, str):
            value = a.choice_label(value)
        elif a.type == "decimal" and value is not None:
            value = Decimal(str(value))
        elif a.type == "date" and isinstance(value, str):
            value = date.fromisoformat(value)
        out[f"extra:{a.name}"] = value
    return out


def _text(redact: Callable[[str], str], value: str | None) -> str | None:
    return redact(value) if value else value


def _shown(text: str) -> str:
    return text


def _enterprise_row(
    ledger: Ledger, ctype: CampaignType, e: Enterprise, seq: int, contact: Contact | None
) -> Row:
    return {
        "seq": seq,
        "id": e.id,
        "name": e.name,
        "uscc": e.uscc,
        "region": region_cell(ledger, e.region),
        "classes": LIST_SEPARATOR.join(ctype.label_of("enterprise_classes", c) for c in e.classes),
        "industry": e.industry,
        "person": contact.person if contact else None,
        "phone": contact.phone if contact else None,
        "email": contact.email if contact else None,
        **_extras(e.extra, ctype, "enterprise"),
    }


def _activity_row(
    ledger: Ledger,
    ctype: CampaignType,
    a: Activity,
    seq: int,
    names: Mapping[str, str],
    redact: Callable[[str], str],
) -> Row:
    return {
        "seq": seq,
        "id": a.id,
        "kind": ctype.label_of("activity_kinds", a.kind),
        "date": a.date,
        "team": team_cell(ledger, a.team),
        "region": region_cell(ledger, a.region),
        "title": _text(redact, a.title),
        "subject": _text(redact, a.subject),
        "enterprises": LIST_SEPARATOR.join(names.get(e, e) for e in a.enterprises) or None,
        "enterprise_count": a.enterprise_count,
        "officials": a.officials,
        "notes": _text(redact, a.notes),
        **{f"figure:{k}": v for k, v in a.figures.items()},
        **_extras(a.extra, ctype, "activity"),
    }


def _issue_row(
    ledger: Ledger,
    ctype: CampaignType,
    issue: Issue,
    seq: int,
    h: Handling,
    ent: Enterprise | None,
    redact: Callable[[str], str],
) -> Row:
    county = ledger.county_of(ent.region) if ent else None
    return {
        "seq": seq,
        "enterprise_name": ent.name if ent else None,
        "uscc": ent.uscc if ent else None,
        "county": region_cell(ledger, county or (ent.region if ent else None)),
        "category": ctype.label_of("issue_categories", issue.category),
        "description": redact(issue.description),
        "channel": ctype.label_of("issue_channels", issue.channel),
        "level": ctype.policy.level_label(h.level) if h.level else None,
        "department": _text(redact, h.department),
        "limit": format_limit(h.limit),
        "state": ctype.lifecycle.state(h.state).label.zh,
        "result": _text(redact, h.result),
        "rating": RATING_LABELS[h.rating] if h.rating else None,
        "id": issue.id,
        "raised": issue.raised,
        "assigned_on": h.assigned_on,
        "resolved_on": h.resolved_on,
        "visited_on": h.visited_on,
        "team": team_cell(ledger, issue.team),
        "activity": issue.activity,
        "legacy": YES if issue.legacy else NO,
        **_extras(issue.extra, ctype, "issue"),
    }


def _outcome_row(
    ledger: Ledger,
    ctype: CampaignType,
    o: Outcome,
    seq: int,
    names: Mapping[str, str],
    redact: Callable[[str], str],
) -> Row:
    return {
        "seq": seq,
        "id": o.id,
        "kind": ctype.label_of("outcome_kinds", o.kind),
        "status": STATUS_LABELS[o.status],
        "date": o.date,
        "title": _text(redact, o.title),
        "enterprises": LIST_SEPARATOR.join(names.get(e, e) for e in o.enterprises) or None,
        "amount_yuan": o.amount_yuan,
        "land_mu": o.land_mu,
        "team": team_cell(ledger, o.team),
        "region": region_cell(ledger, o.region),
        "activity": o.activity,
        **_extras(o.extra, ctype, "outcome"),
    }


def record_row(
    ledger: Ledger,
    ctype: CampaignType,
    record: Enterprise | Activity | Issue | Outcome,
    enterprises: Mapping[str, Enterprise] | None = None,
) -> Row:
    """The row of one record, as the export writes it with personal data shown and the
    enterprises of a list cell (参加企业, 相关企业) named by id: the cells that keep the
    record as it is when imported (what a column left out of a sheet stands for).

    ``enterprises`` (by id; default the ledger's) names an issue's enterprise; the regions
    and teams are the ledger's. The row's 序号 is 0.
    """
    if isinstance(record, Enterprise):
        return _enterprise_row(ledger, ctype, record, 0, record.contact)
    if isinstance(record, Activity):
        return _activity_row(ledger, ctype, record, 0, {}, _shown)
    if isinstance(record, Issue):
        index = ledger.enterprise_index if enterprises is None else enterprises
        ent = index.get(record.enterprise) if record.enterprise else None
        return _issue_row(ledger, ctype, record, 0, handling(record, ctype.lifecycle), ent, _shown)
    return _outcome_row(ledger, ctype, record, 0, {}, _shown)


def enterprise_rows(
    ledger: Ledger, ctype: CampaignType, *, show_personal: bool = False
) -> list[Row]:
    """企业名录 rows: one per enterprise, contact data masked unless ``show_personal``."""
    return list(each_enterprise_row(ledger, ctype, show_personal=show_personal))


def each_enterprise_row(
    ledger: Ledger, ctype: CampaignType, *, show_personal: bool = False
) -> Iterator[Row]:
    """:func:`enterprise_rows` one at a time, made as they are read."""
    for seq, e in enumerate(ledger.enterprises, start=1):
        contact = e.contact if show_personal else mask_contact(e.contact)
        yield _enterprise_row(ledger, ctype, e, seq, contact)


def enterprise_names(ledger: Ledger) -> dict[str, str]:
    """How 活动记录 names each enterprise: its name, or its id when the name is shared,
    holds a list separator, or could be mistaken for another enterprise's id or code."""
    count: dict[str, int] = {}
    for e in ledger.enterprises:
        count[e.name] = count.get(e.name, 0) + 1
    codes = {e.id for e in ledger.enterprises} | {e.uscc for e in ledger.enterprises}
    out = {}
    for e in ledger.enterprises:
        plain = e.name == e.name.strip() and not SEPARATORS.search(e.name)
        unique = count[e.name] == 1 and (e.name not in codes or e.name in (e.id, e.uscc))
        out[e.id] = e.name if plain and unique and e.name else e.id
    return out


def activity_rows(
    ledger: Ledger,
    ctype: CampaignType,
    *,
    as_of: date | None = None,
    show_personal: bool = False,
) -> list[Row]:
    """活动记录 rows: one per activity dated on or before ``as_of`` (every activity without
    it); free text masked unless ``show_personal``."""
    return list(each_activity_row(ledger, ctype, as_of=as_of, show_personal=show_personal))


def each_activity_row(
    ledger: Ledger,
    ctype: CampaignType,
    *,
    as_of: date | None = None,
    show_personal: bool = False,
) -> Iterator[Row]:
    """:func:`activity_rows` one at a time, made as they are read."""
    redact: Callable[[str], str] = _shown if show_personal else mask_text
    names = enterprise_names(ledger)
    known = (ledger if as_of is None else known_on(ledger, as_of)).activities
    for seq, a in enumerate(known, start=1):
        yield _activity_row(ledger, ctype, a, seq, names, redact)


def issue_rows(
    ledger: Ledger,
    ctype: CampaignType,
    *,
    as_of: date | None = None,
    show_personal: bool = False,
) -> list[Row]:
    """问题台账 rows: one per issue raised on or before ``as_of`` (every issue without it),
    handling derived from its history up to ``as_of``."""
    return list(each_issue_row(ledger, ctype, as_of=as_of, show_personal=show_personal))


def each_issue_row(
    ledger: Ledger,
    ctype: CampaignType,
    *,
    as_of: date | None = None,
    show_personal: bool = False,
) -> Iterator[Row]:
    """:func:`issue_rows` one at a time, made as they are read."""
    redact: Callable[[str], str] = _shown if show_personal else mask_text
    enterprises = ledger.enterprise_index
    states = Deriver.of_states(ctype.lifecycle)
    known = (ledger if as_of is None else known_on(ledger, as_of)).issues
    for seq, issue in enumerate(known, start=1):
        events = [e for e in issue.events if as_of is None or e.date <= as_of]
        h = handling(issue, ctype.lifecycle, events, states=states)
        ent = enterprises.get(issue.enterprise) if issue.enterprise else None
        yield _issue_row(ledger, ctype, issue, seq, h, ent, redact)


def outcome_rows(
    ledger: Ledger,
    ctype: CampaignType,
    *,
    as_of: date | None = None,
    show_personal: bool = False,
) -> list[Row]:
    """成果 rows: one per outcome dated on or before ``as_of`` (every outcome without it);
    its title masked unless ``show_personal``.

    Parties (参与方) are not in the sheet: an import keeps those the ledger has.
    """
    return list(each_outcome_row(ledger, ctype, as_of=as_of, show_personal=show_personal))


def each_outcome_row(
    ledger: Ledger,
    ctype: CampaignType,
    *,
    as_of: date | None = None,
    show_personal: bool = False,
) -> Iterator[Row]:
    """:func:`outcome_rows` one at a time, made as they are read."""
    redact: Callable[[str], str] = _shown if show_personal else mask_text
    names = enterprise_names(ledger)
    known = (ledger if as_of is None else known_on(ledger, as_of)).outcomes
    for seq, o in enumerate(known, start=1):
        yield _outcome_row(ledger, ctype, o, seq, names, redact)
