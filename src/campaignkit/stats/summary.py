"""The summary table (汇总表): rows per team or region, a total row, one column per metric.

The total row is computed from all records and equals the sum of the rows
(distinct counts are credited to the row of their first occurrence; records
without a team or region fall in an "unassigned" row, shown only when used).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import frozen

from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.ledger import Ledger
from campaignkit.model.units import format_count, with_unit
from campaignkit.stats.metrics import (
    MetricContext,
    Number,
    breakdown,
    compute_all,
    context_of,
    import_pandas,
    metric_id_list,
    numeric_frame,
)
from campaignkit.workspace import Workspace

if TYPE_CHECKING:
    import pandas

__all__ = ["Column", "SummaryRow", "SummaryTable", "json_value", "summary", "summary_table"]

_HEAD = {"team": ("小组", "team"), "region": ("县区/开发区", "region")}


@frozen
class Column:
    """A column of the summary table: one metric."""

    metric: str
    label: str
    unit: str
    value_kind: str

    def heading(self) -> str:
        """The label with its unit, as a CSV's header names it (``拟投资（元）``)."""
        return with_unit(self.label, self.unit) if self.unit else self.label


@frozen
class SummaryRow:
    """A row: a team, a region, or the total."""

    key: str
    label: str
    values: Mapping[str, Number | None]
    is_total: bool = False


@frozen
class SummaryTable:
    """The 汇总表 of a campaign, by team or by region."""

    by: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[SummaryRow, ...]
    total: SummaryRow
    lang: str = "zh"

    def to_rows(self, *, include_total: bool = True, labels: bool = False) -> list[dict[str, Any]]:
        """Plain rows (list of dicts) for notebooks and CSV: ``{by: label, metric: value}``.

        With ``labels`` the keys are the column labels with their units instead of metric
        ids, as the CSV's headers name them (``拟投资（元）``, ``走访企业（家）``).
        """
        zh, en = _HEAD.get(self.by, (self.by, self.by))
        head = (zh if self.lang == "zh" else en) if labels else self.by
        out = []
        for row in (*self.rows, self.total) if include_total else self.rows:
            record: dict[str, Any] = {head: row.label}
            for col in self.columns:
                record[col.heading() if labels else col.metric] = row.values.get(col.metric)
            out.append(record)
        return out

    def to_dataframe(
        self, *, include_total: bool = True, labels: bool = False, exact: bool = False
    ) -> pandas.DataFrame:
        """The table as a pandas DataFrame indexed by row label (needs the ``pandas`` extra).

        Its figures are numeric columns: counts ``Int64``, money, land and rates
        ``float64`` (``df["factor_funds"].plot.bar()``, ``df["factor_funds"] / 1e4``), or
        exact decimals with ``exact=True`` (see
        :func:`~campaignkit.stats.metrics.numeric_frame`). pandas is imported here, on
        first use, never by ``import campaignkit``.
        """
        pd = import_pandas("SummaryTable.to_dataframe")
        rows = self.to_rows(include_total=include_total, labels=labels)
        frame = numeric_frame(pd.DataFrame(rows, dtype=object), exact=exact)  # blanks stay None
        return frame.set_index(next(iter(rows[0])) if rows else self.by)


def summary_table(
    ledger: Ledger | Workspace | MetricContext,
    *,
    by: str = "team",
    metrics: Iterable[str] | None = None,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> SummaryTable:
    """Build the summary table by ``team`` or ``region`` (county/district/zone).

    ``metrics`` defaults to the campaign type's ``summary_columns``.
    """
    if by not in ("team", "region"):
        raise ValueError(f"the summary table is by 'team' or 'region', not {by!r}")
    ctx = context_of(ledger, manager=manager, as_of=as_of)
    ctype = ctx.campaign_type
    ids = list(ctype.summary_columns) if metrics is None else metric_id_list(metrics)
    columns = []
    cells: dict[str, dict[str, Number | None]] = {}
    labels: dict[str, str] = {}
    order: list[str] = []
    totals: dict[str, Number | None] = {}
    zeros: dict[str, Number] = {}
    for mid in ids:
        metric = ctype.metric(mid)
        if metric.is_derived:
            kind = Phrase("value-kind." + metric.result_kind).text("en")
            raise ValueError(
                f"metric {mid!r} is {kind}; a summary table holds additive figures only"
            )
        columns.append(
            Column(mid, metric.label.get(lang), metric.unit.get(lang), metric.value_kind)
        )
        zeros[mid] = 0 if metric.value_kind == "count" else Decimal(0)
        bd = breakdown(ctx, mid, by, lang=lang, keep_empty=True)
        totals[mid] = bd.total.value
        for row in bd.rows:
            if row.key not in cells:
                cells[row.key] = {}
                labels[row.key] = row.label
                order.append(row.key)
            cells[row.key][mid] = row.result.value
    rows = tuple(
        SummaryRow(key, labels[key], {mid: cells[key].get(mid, zeros[mid]) for mid in ids})
        for key in order
    )
    total = SummaryRow("_total", "合计" if lang == "zh" else "Total", totals, is_total=True)
    title = (
        f"{ctx.ledger.campaign.name}工作情况汇总表"
        if lang == "zh"
        else f"{ctx.ledger.campaign.name}: summary"
    )
    return SummaryTable(by, title, tuple(columns), rows, total, lang)


def summary(
    ledger: Ledger | Workspace | MetricContext,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    headline_only: bool = False,
) -> dict[str, Number | None]:
    """``{metric id: value}`` for every metric of the campaign type (or the headline ones)."""
    ctx = context_of(ledger, manager=manager, as_of=as_of)
    ids = ctx.campaign_type.summary_columns if headline_only else None
    return {mid: r.value for mid, r in compute_all(ctx, ids).items()}


def json_value(value: Number | None) -> int | str | None:
    """A figure as JSON: counts as numbers, exact decimals (yuan, mu, rates) as strings.

    >>> from decimal import Decimal
    >>> json_value(215), json_value(Decimal("750000000")), json_value(Decimal("0.9811"))
    (215, '750000000', '0.9811')
    """
    if value is None or isinstance(value, int):
        return value
    return format_count(value)
