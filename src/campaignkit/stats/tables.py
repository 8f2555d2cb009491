"""Tables for analysts: a ledger's records as pandas DataFrames, one row per record.

:func:`issue_table` gives each issue with what is derived from its history as of a
date (state, level, department, resolution date, working days to resolve, on time,
overdue), read from the same derived views the metrics read (a
:class:`~campaignkit.workspace.Workspace` handed in is used as it is);
:func:`activity_table`, :func:`enterprise_table` and :func:`outcome_table` give the
other records. Needs the ``pandas`` extra.

Columns are named by stable keys (``state``, ``amount_yuan`` …); with ``lang="zh"`` or
``lang="en"`` the columns are named in that language and the enumerated values
(categories, channels, states, levels, kinds) are their labels instead of their keys.

Numbers are numeric columns: counts are integers (``Int64``, empty where unknown),
flags are ``boolean``, dates are ``datetime64`` (so a column groups by month and plots).
Money (yuan) and land (mu) are ``float64`` by default, ready to plot and divide
(``df.amount_yuan / 1e4`` gives 万元); a float keeps about 15 significant digits, so a
sum of many amounts may differ from the exact figure in its last cents. With
``exact=True`` they are exact decimals instead (pandas' Arrow ``decimal128(38, 6)``, from
the ``pyarrow`` package the ``pandas`` extra installs): sums stay exact to the fen; cast
to float before dividing (Arrow refuses divisions whose precision it cannot hold). The
figures of reports come from the metrics, which are always exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import Phrase, pick
from campaignkit.model.ledger import Ledger
from campaignkit.rules.records import CampaignType
from campaignkit.stats.contributions import activity_contribution, outcome_contribution
from campaignkit.stats.issue_metrics import deadline_codes
from campaignkit.stats.metrics import (
    COUNTY,
    UNASSIGNED,
    Contribution,
    ContributionColumns,
    MetricContext,
    context_of,
    exact_decimal_type,
    import_pandas,
    issue_columns,
    numeric_frame,
)
from campaignkit.workspace import Workspace

if TYPE_CHECKING:
    import pandas

__all__ = ["activity_table", "enterprise_table", "issue_table", "outcome_table"]

Source = Ledger | Workspace | MetricContext
"""What a table is made of: a ledger, a workspace holding one, or a metric context."""

_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "category": ("问题类别", "Category"),
    "channel": ("反映渠道", "Channel"),
    "raised": ("反映日期", "Raised"),
    "team": ("小组", "Team"),
    "county": ("县区", "County/district"),
    "county_name": ("县区名称", "County/district name"),
    "enterprise": ("企业", "Enterprise"),
    "activity": ("活动", "Activity"),
    "legacy": ("历史遗留", "Legacy"),
    "state": ("办理状态", "Status"),
    "level": ("办理层级", "Level"),
    "department": ("责任单位", "Department"),
    "assigned_on": ("交办日期", "Assigned"),
    "resolved_on": ("办结日期", "Resolved"),
    "working_days_to_resolve": ("办结用时（工作日）", "Working days to resolve"),
    "on_time": ("按期办结", "Resolved on time"),
    "overdue": ("超期未办结", "Overdue"),
    "reopened": ("重新办理次数", "Times reopened"),
    "escalations": ("提级次数", "Escalations"),
    "kind": ("种类", "Kind"),
    "date": ("日期", "Date"),
    "region": ("地区", "Region"),
    "title": ("标题", "Title"),
    "subject": ("对象", "Subject"),
    "enterprise_count": ("参加企业数", "Enterprises taking part"),
    "officials": ("参加干部数", "Officials"),
    "uscc": ("统一社会信用代码", "USCC"),
    "name": ("名称", "Name"),
    "classes": ("企业类别", "Classes"),
    "industry": ("行业", "Industry"),
    "status": ("状态", "Status"),
    "amount_yuan": ("金额（元）", "Amount (yuan)"),
    "land_mu": ("土地（亩）", "Land (mu)"),
    "enterprises": ("企业数", "Enterprises"),
}


def _context(source: Source, manager: PluginManager | None, as_of: dt.date | None) -> MetricContext:
    return context_of(source, manager=manager, as_of=as_of)


_AMOUNTS = ("amount_yuan", "land_mu")
"""Columns of money and land: numeric even when no row has a value."""


def _frame(
    pd: Any,
    columns: dict[str, Sequence[Any]],
    dtypes: dict[str, Any],
    lang: str | None,
    *,
    exact: bool = False,
) -> pandas.DataFrame:
    """The columns as a frame; columns of ``Decimal`` made numeric by
    :func:`~campaignkit.stats.metrics.numeric_frame` (floats, or exact decimals), and
    money and land columns of that type even without a value."""
    frame: pandas.DataFrame = pd.DataFrame(
        {name: pd.Series(values, dtype=dtypes.get(name)) for name, values in columns.items()}
    )
    frame = numeric_frame(frame, exact=exact)
    for name in _AMOUNTS:
        if name in frame.columns and frame[name].dtype == object:  # no value in any row
            dtype = pd.ArrowDtype(exact_decimal_type("exact=True")) if exact else "float64"
            frame[name] = pd.Series([None] * len(frame), dtype=dtype, index=frame.index)
    if lang is not None:
        pick("", "", lang)  # an unknown language is an error
        frame = frame.rename(columns={k: pick(*_COLUMNS[k], lang) for k in frame.columns})
    return frame


def _dates(pd: Any, values: Sequence[dt.date | None]) -> Any:
    return pd.to_datetime(pd.Series(list(values), dtype=object))


def _labels(ctype: CampaignType, what: str, lang: str | None) -> Callable[[str | None], str | None]:
    if lang is None:
        return lambda key: key
    return lambda key: None if key is None else ctype.label_of(what, key, lang)


def issue_table(
    source: Source,
    *,
    as_of: dt.date | None = None,
    lang: str | None = None,
    manager: PluginManager | None = None,
) -> pandas.DataFrame:
    """Each issue known on ``as_of`` (the report date by default), with its derived view.

    Columns: ``id``, ``category``, ``channel``, ``raised``, ``team`` and ``county`` (its
    own, else its enterprise's or activity's, as the metrics credit it: ``county`` is the
    county/district or zone its region lies in, empty for a city-level region, as in a
    breakdown by region), ``county_name``,
    ``enterprise``, ``activity``, ``legacy``, ``state``, ``level``, ``department``,
    ``assigned_on``, ``resolved_on``, ``working_days_to_resolve`` (from raised to
    resolved, in working days of the campaign type's calendar; empty while unresolved),
    ``on_time`` (its resolution clock met; empty while unresolved), ``overdue`` (open
    with a clock past due on ``as_of``), ``reopened`` and ``escalations``.

    A :class:`~campaignkit.stats.metrics.MetricContext` as the source brings its own date
    (``as_of`` naming another is a ``ValueError``: ``make_context(ledger, as_of=…)`` makes
    a context as of another date).
    """
    pd = import_pandas("issue_table")
    ctx = _context(source, manager, as_of)
    ledger, ctype = ctx.ledger, ctx.campaign_type
    issues = ledger.issues
    states = ctx.issue_state_list()
    placed = issue_columns(ctx)
    calendar = ctx.work_calendar()
    codes = deadline_codes(ctx)  # read from the workspace's shapes where there is one
    resolved = [s.resolved_on if s is not None else None for s in states]
    days = [
        None if r is None else calendar.working_days_between(i.raised, r).days
        for i, r in zip(issues, resolved, strict=True)
    ]
    kinds = [s.kind.value if s is not None else None for s in states]
    category = _labels(ctype, "issue_categories", lang)
    channel = _labels(ctype, "issue_channels", lang)
    state = (
        (lambda key: key)
        if lang is None
        else (lambda key: str(ctype.lifecycle.state(key).label.get(lang)))
    )
    level = (
        (lambda key: key)
        if lang is None
        else (lambda key: None if key is None else ctype.policy.level_label(key, lang))
    )
    # the county the metrics credit (a city-level region has none), not the raw region
    counties = [None if key == UNASSIGNED else key for key in COUNTY.column(ctx, placed)]
    columns: dict[str, Sequence[Any]] = {
        "id": [i.id for i in issues],
        "category": [category(i.category) for i in issues],
        "channel": [channel(i.channel) for i in issues],
        "raised": _dates(pd, [i.raised for i in issues]),
        "team": list(placed.team) if placed.team is not None else [None] * len(issues),
        "county": counties,
        "county_name": [ledger.region_name(c) if c else None for c in counties],
        "enterprise": [i.enterprise for i in issues],
        "activity": [i.activity for i in issues],
        "legacy": [i.legacy for i in issues],
        "state": [state(s.state) if s is not None else None for s in states],
        "level": [level(s.level) if s is not None else None for s in states],
        "department": [s.department if s is not None else None for s in states],
        "assigned_on": _dates(pd, [s.assigned_on if s is not None else None for s in states]),
        "resolved_on": _dates(pd, resolved),
        "working_days_to_resolve": days,
        "on_time": [
            bool(c & 1) if k == "resolved" else None for c, k in zip(codes, kinds, strict=True)
        ],
        "overdue": [bool(c & 2) for c in codes],
        "reopened": [s.reopened if s is not None else None for s in states],
        "escalations": [s.escalations if s is not None else None for s in states],
    }
    dtypes = {
        "legacy": "boolean",
        "working_days_to_resolve": "Int64",
        "on_time": "boolean",
        "overdue": "boolean",
        "reopened": "Int64",
        "escalations": "Int64",
    }
    return _frame(pd, columns, dtypes, lang)


def _credited(
    ctx: MetricContext, credits: Sequence[Contribution]
) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """The team, county and county name each record is credited to, from its contribution
    (as the metrics credit it: the county the ``region`` dimension gives, none for a
    city-level region)."""
    placed = ContributionColumns.of(credits)
    counties = [None if key == UNASSIGNED else key for key in COUNTY.column(ctx, placed)]
    return (
        list(placed.field("team")),
        counties,
        [ctx.ledger.region_name(c) if c else None for c in counties],
    )


def activity_table(
    source: Source,
    *,
    as_of: dt.date | None = None,
    lang: str | None = None,
    manager: PluginManager | None = None,
) -> pandas.DataFrame:
    """Each activity dated on or before ``as_of`` (the report date by default: those the
    metrics count): ``id``, ``kind``, ``date``, ``team``, ``region`` (its own),
    ``county`` and ``county_name`` (the county/district or zone its region lies in, as a
    breakdown by region credits it; empty for a city-level region), ``title``,
    ``subject``, ``enterprise_count`` (the number taking part, else the enterprises
    named), ``officials``.

    A :class:`~campaignkit.stats.metrics.MetricContext` as the source brings its own date
    (``as_of`` naming another is a ``ValueError``)."""
    pd = import_pandas("activity_table")
    ctx = _context(source, manager, as_of)
    kind = _labels(ctx.campaign_type, "activity_kinds", lang)
    acts = ctx.ledger.activities
    teams, counties, names = _credited(ctx, [activity_contribution(a) for a in acts])
    columns: dict[str, Sequence[Any]] = {
        "id": [a.id for a in acts],
        "kind": [kind(a.kind) for a in acts],
        "date": _dates(pd, [a.date for a in acts]),
        "team": teams,
        "region": [a.region for a in acts],
        "county": counties,
        "county_name": names,
        "title": [a.title for a in acts],
        "subject": [a.subject for a in acts],
        "enterprise_count": [
            a.enterprise_count if a.enterprise_count is not None else len(a.enterprises)
            for a in acts
        ],
        "officials": [a.officials for a in acts],
    }
    return _frame(pd, columns, {"enterprise_count": "Int64", "officials": "Int64"}, lang)


def enterprise_table(
    source: Source, *, lang: str | None = None, manager: PluginManager | None = None
) -> pandas.DataFrame:
    """Each enterprise: ``id``, ``uscc``, ``name``, ``region``, ``classes`` (joined by
    ``、``) and ``industry``."""
    pd = import_pandas("enterprise_table")
    ctx = _context(source, manager, None)
    label = _labels(ctx.campaign_type, "enterprise_classes", lang)
    ents = ctx.ledger.enterprises
    columns: dict[str, Sequence[Any]] = {
        "id": [e.id for e in ents],
        "uscc": [e.uscc for e in ents],
        "name": [e.name for e in ents],
        "region": [e.region for e in ents],
        "classes": ["、".join(str(label(c)) for c in e.classes) for e in ents],
        "industry": [e.industry for e in ents],
    }
    return _frame(pd, columns, {}, lang)


def outcome_table(
    source: Source,
    *,
    as_of: dt.date | None = None,
    lang: str | None = None,
    exact: bool = False,
    manager: PluginManager | None = None,
) -> pandas.DataFrame:
    """Each outcome dated on or before ``as_of`` (the report date by default: those the
    metrics count): ``id``, ``kind``, ``status``, ``date``, ``team`` (its own, else its
    activity's, as the metrics credit it), ``region`` (its own), ``county`` and
    ``county_name`` (the county/district or zone the metrics credit: its region's, else
    its first enterprise's, else its activity's; empty for a city-level region, as in a
    breakdown by region), ``activity``, ``title``, ``amount_yuan`` and ``land_mu``
    (floats, or exact decimals with ``exact=True``: see the module; of that type even when
    no outcome has one), ``enterprises`` (how many are named).

    A :class:`~campaignkit.stats.metrics.MetricContext` as the source brings its own date
    (``as_of`` naming another is a ``ValueError``)."""
    pd = import_pandas("outcome_table")
    ctx = _context(source, manager, as_of)
    kind = _labels(ctx.campaign_type, "outcome_kinds", lang)
    outs = ctx.ledger.outcomes
    teams, counties, names = _credited(ctx, [outcome_contribution(ctx, o) for o in outs])
    status = (
        (lambda key: key)
        if lang is None
        else (lambda key: Phrase("outcome-status." + key).text(lang))
    )
    columns: dict[str, Sequence[Any]] = {
        "id": [o.id for o in outs],
        "kind": [kind(o.kind) for o in outs],
        "status": [status(o.status.value) for o in outs],
        "date": _dates(pd, [o.date for o in outs]),
        "team": teams,
        "region": [o.region for o in outs],
        "county": counties,
        "county_name": names,
        "activity": [o.activity for o in outs],
        "title": [o.title for o in outs],
        "amount_yuan": [o.amount_yuan for o in outs],
        "land_mu": [o.land_mu for o in outs],
        "enterprises": [len(o.enterprises) for o in outs],
    }
    money = {"amount_yuan": object, "land_mu": object}  # made numeric as the module says
    return _frame(pd, columns, {"enterprises": "Int64", **money}, lang, exact=exact)
