"""A report as plain tables: the one shape every formatter writes.

A :class:`Table` has a title, a label column, value columns and rows (the
total row last). Builders here read a :class:`~campaignkit.report.build.Report`;
figures come from the report or from the metric engine, never from sums
made here. Record text (team and region names) is masked by a
:class:`Redactor` unless personal data was asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from attrs import frozen

from campaignkit.model.units import exact, format_count, format_mu, format_yuan, with_unit
from campaignkit.report.build import BY_CHOICES, Report
from campaignkit.report.safety import mask_text, reveal
from campaignkit.rules.records import DERIVED_KINDS
from campaignkit.stats.metrics import Number, breakdown
from campaignkit.stats.summary import SummaryTable, summary_table

__all__ = [
    "BARE_KINDS",
    "BY_CHOICES",
    "Column",
    "Redactor",
    "Row",
    "Table",
    "breakdown_tables",
    "category_table",
    "cell_kind",
    "display",
    "issue_figure_table",
    "main_table",
    "outcome_table",
    "raw",
    "status_table",
    "summary_as_table",
    "word",
]

CATEGORY_FIGURES = (
    "issues_collected",
    "issues_resolved",
    "issues_answered_on_spot",
    "issues_open",
    "issues_escalated",
    "legacy_issues",
    "resolution_rate",
)
"""Issue figures shown per category by ``--by category`` (those the campaign type defines)."""

_WORDS = {
    "team": ("小组", "Team"),
    "region": ("县区", "County/district"),
    "category": ("问题类别", "Issue category"),
    "channel": ("反映渠道", "Channel"),
    "level": ("交办层级", "Handling level"),
    "figure": ("指标", "Figure"),
    "count": ("数量", "Count"),
    "value": ("数值", "Value"),
    "share": ("占比", "Share"),
    "state": ("办理状态", "Status"),
    "outcome": ("成果类别", "Outcome kind"),
    "issues": ("问题", "issues"),
    "issue_handling": ("问题办理情况", "Issue handling"),
    "issue_status": ("问题办理状态", "Issue status"),
    "outcomes": ("成果", "Outcomes by kind"),
    "summary_by_category": ("问题分类统计表", "Issues by category"),
    "as_of": ("截至", "As of"),
    "total": ("合计", "Total"),
}


def word(key: str, lang: str) -> str:
    """A fixed word of the report layout in ``lang`` (``zh`` or ``en``)."""
    zh, en = _WORDS[key]
    return en if lang == "en" else zh


def title(report: Report, key: str) -> str:
    """The title of section ``key`` of ``report``: its campaign type's, else the default."""
    for name, label in report.context.campaign_type.titles:
        if name == key:
            return label.get(report.lang)
    return word(key, report.lang)


class Redactor:
    """Applies the personal-data choice to record text (phone numbers, e-mail addresses),
    and shows the characters of it that would not show as escapes
    (:func:`~campaignkit.report.safety.reveal`)."""

    def __init__(self, show_personal: bool = False) -> None:
        self.show_personal = show_personal

    def __call__(self, text: str) -> str:
        # masked first: an escape ending in a digit would hide the number that follows
        return reveal(text if self.show_personal else mask_text(text))


@frozen
class Column:
    """A value column: a metric, or a count or share."""

    key: str
    label: str
    unit: str = ""
    kind: str = "count"
    """``count``, ``number``, ``yuan``, ``mu``, ``rate`` (a fraction, shown as %),
    ``average``, ``per_enterprise`` or ``median`` (shown as numbers with their unit)."""

    def header(self, *, raw_units: bool = False) -> str:
        """Header text. Data formats (``raw_units``: CSV, XLSX) name every unit; shown
        tables name only the units of counts, numbers and averages, since amounts and
        rates carry theirs."""
        show = self.unit and (raw_units or self.kind in BARE_KINDS)
        return with_unit(self.label, self.unit) if show else self.label


@frozen
class Row:
    """A row: its key, label and a value per column key."""

    key: str
    label: str
    values: Mapping[str, Number | None]
    is_total: bool = False
    kind: str | None = None
    """Value kind of every cell of the row, when it is not the column's (turned tables)."""


@frozen
class Table:
    """A titled table; the total row, if any, is the last of ``rows``."""

    key: str
    title: str
    head: str
    """Header of the label column."""
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def transposed(self, head: str) -> Table:
        """Rows become columns and columns rows: long summary tables fit a terminal."""
        columns = tuple(Column(r.key, r.label) for r in self.rows)
        rows = tuple(
            Row(c.key, c.header(), {r.key: r.values.get(c.key) for r in self.rows}, kind=c.kind)
            for c in self.columns
        )
        return Table(self.key, self.title, head, columns, rows)


BARE_KINDS = ("count", "number", "average", "per_enterprise", "median")
"""Value kinds shown as bare numbers, their unit named beside them (in a header or label)."""


def cell_kind(row: Row, column: Column) -> str:
    """The value kind of one cell."""
    return row.kind or column.kind


def display(value: Number | None, kind: str, lang: str) -> str:
    """A value as shown: ``10亿元``, ``852亩``, ``0元``, ``66.67%``, ``0%``, ``215``,
    ``3.5``, ``0``; ``—`` for none.

    A rate always carries its ``%``, and an amount or an area its unit, 0 too (their
    headers and labels name none: a row of zeros still says what it counts). Counts,
    numbers, averages, per-enterprise figures and medians are bare: their unit is in the
    column's header or the row's label."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{format_count(Decimal(value) * 100)}%"
    if kind == "yuan":
        return format_yuan(value, lang)
    if kind == "mu":
        return format_mu(value, lang)
    return format_count(value)


@exact
def raw(value: Number | None, kind: str) -> Number | None:
    """A value for CSV: exact, rates as percent (``66.67``, the header saying ``(%)``).
    XLSX keeps a rate's fraction and shows it as a percentage instead."""
    if value is None:
        return None
    if kind == "rate":
        return (Decimal(value) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value


def summary_as_table(st: SummaryTable, lang: str, redact: Redactor) -> Table:
    """The summary table (汇总表) as every format shows it: labels through ``redact``,
    the total row last."""
    rows = tuple(
        Row(r.key, redact(r.label), dict(r.values), r.is_total) for r in (*st.rows, st.total)
    )
    columns = tuple(Column(c.metric, c.label, c.unit, c.value_kind) for c in st.columns)
    return Table("summary", redact(st.title), word(st.by, lang), columns, rows)


def category_table(report: Report, redact: Redactor) -> Table:
    """Issue figures per category (``--by category``), from the metric engine."""
    ctx = report.context
    lang = report.lang
    ctype = report.campaign_type
    known = {m.id for m in ctype.metrics}
    ids = [mid for mid in CATEGORY_FIGURES if mid in known]
    if not ids:
        raise ValueError(f"campaign type {ctype.key!r} defines no issue figures by category")
    breakdowns = {mid: breakdown(ctx, mid, "category", lang=lang) for mid in ids}
    columns = tuple(
        Column(
            mid,
            breakdowns[mid].total.label,
            breakdowns[mid].total.unit,
            ctype.metric(mid).result_kind,
        )
        for mid in ids
    )
    by_key = {mid: {r.key: r.result.value for r in breakdowns[mid].rows} for mid in ids}
    rows = [
        Row(row.key, redact(row.label), {mid: by_key[mid].get(row.key, 0) for mid in ids})
        for row in breakdowns[ids[0]].rows
    ]
    total = {mid: breakdowns[mid].total.value for mid in ids}
    rows.append(Row("_total", word("total", lang), total, True))
    heading = title(report, "summary_by_category")
    return Table("summary", heading, word("category", lang), columns, tuple(rows))


def main_table(report: Report, by: str, redact: Redactor) -> Table:
    """The report's main table: the summary by team or region, or issues by category."""
    if by not in BY_CHOICES:
        raise ValueError(f"a report is by {', '.join(BY_CHOICES)}, not {by!r}")
    if by == "category":
        return category_table(report, redact)
    st = (
        report.table
        if report.table.by == by
        else summary_table(report.context, by=by, lang=report.lang)
    )
    return summary_as_table(st, report.lang, redact)


@exact
def _share(value: Number | None, total: Number | None) -> Decimal | None:
    if value is None or not total:
        return None
    return (Decimal(value) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def breakdown_tables(report: Report, redact: Redactor) -> tuple[Table, ...]:
    """One table per breakdown of the report (issues by category, region, channel, level)."""
    lang = report.lang
    tables = []
    for bd in report.breakdowns:
        total = bd.total.value
        kind = bd.total.value_kind
        # a figure taken over other metrics (a rate, an average …): each row's own, no share
        heading = word("value", lang) if kind in DERIVED_KINDS else word("count", lang)
        count = Column("count", heading, bd.total.unit, kind)
        share = Column("share", word("share", lang), "%", "rate")
        rows = [
            Row(
                r.key,
                redact(r.label),
                {"count": r.result.value, "share": _share(r.result.value, total)},
            )
            for r in bd.rows
        ]
        rows.append(
            Row(
                "_total",
                word("total", lang),
                {"count": total, "share": Decimal(1) if total else None},
                True,
            )
        )
        dim = word(bd.by, lang)
        title = (
            f"{bd.total.label} by {dim.lower()}" if lang == "en" else f"{bd.total.label}（按{dim}）"
        )
        tables.append(
            Table(
                f"{bd.metric}-by-{bd.by}",
                title,
                dim,
                (count, share) if bd.additive else (count,),
                tuple(rows),
            )
        )
    return tuple(tables)


def issue_figure_table(report: Report) -> Table:
    """The issue-handling figures as a two-column table (figure, value)."""
    lang = report.lang
    column = Column("value", word("count", lang))
    rows = tuple(
        Row(
            mid,
            with_unit(r.label, r.unit) if r.unit and r.value_kind != "rate" else r.label,
            {"value": r.value},
            kind=r.value_kind,
        )
        for mid, r in report.issue_figures.items()
    )
    return Table(
        "issue-figures", title(report, "issue_handling"), word("figure", lang), (column,), rows
    )


def status_table(report: Report) -> Table:
    """Issues per lifecycle state, as of the report date."""
    lang = report.lang
    column = Column("count", word("count", lang))
    rows = [Row(s.state, s.label, {"count": s.count}) for s in report.statuses]
    rows.append(
        Row("_total", word("total", lang), {"count": len(report.context.issue_states())}, True)
    )
    return Table(
        "issue-status", title(report, "issue_status"), word("state", lang), (column,), tuple(rows)
    )


def outcome_table(report: Report) -> Table:
    """Outcomes per kind."""
    lang = report.lang
    column = Column("count", word("count", lang))
    rows = tuple(Row(k, label, {"count": n}) for k, label, n in report.outcomes_by_kind)
    return Table("outcomes", title(report, "outcomes"), word("outcome", lang), (column,), rows)
