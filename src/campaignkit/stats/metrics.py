"""The metric engine: figures from records, each with its provenance.

A metric (:class:`~campaignkit.rules.records.MetricDef`) yields *contributions*: one
per record (or part of a record) that counts, carrying the record id, a value,
an optional distinct key and the dimensions it can be broken down by.
Aggregating contributions gives the value; their record ids are the
provenance. A distinct key is credited to its earliest contribution, so the
rows of any breakdown add up to the total.

At the size of a province (a million issues) the engine avoids work nobody
asks for: provenance is listed when first read, not for every row of every
breakdown; a metric's contributions are grouped by a built-in dimension once
per context and shared by tables and breakdowns; issue states are replayed
into columns by issue position (state objects are made only for whoever
asks for them); and the built-in issue predicates test those columns in one
pass (see :mod:`campaignkit.stats.contributions`). Anything a plugin brings (its
own dimension, a subclassed context) takes the general path, which gives the
same figures.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, cast, overload

from attrs import field, frozen

from campaignkit.errors import CampaignkitError, PluginError
from campaignkit.gcpause import build_paused
from campaignkit.hooks.manager import PluginManager, builtin_plugins, get_plugin_manager
from campaignkit.model.ledger import Ledger
from campaignkit.rules.lifecycle import IssueState, StateColumns, replay_columns
from campaignkit.rules.records import CampaignType, MetricDef

if TYPE_CHECKING:
    import pandas

__all__ = [
    "DIMENSIONS",
    "UNASSIGNED",
    "Breakdown",
    "BreakdownRow",
    "Contribution",
    "MetricContext",
    "MetricResult",
    "Number",
    "breakdown",
    "compute",
    "compute_all",
    "dimension_label",
    "known_on",
    "make_context",
]

Number = int | Decimal
UNASSIGNED = "_unassigned"
"""Row key for contributions without a value for the breakdown dimension."""


class Contribution(NamedTuple):
    """One record's share of a metric."""

    record: str
    """Id of the record that counts (provenance)."""
    value: Number = 1
    key: str | None = None
    """For ``distinct`` metrics: what is counted once (e.g. an enterprise id)."""
    team: str | None = None
    region: str | None = None
    day: date | None = None
    category: str | None = None
    channel: str | None = None
    enterprise: str | None = None
    level: str | None = None


_RECORD = itemgetter(0)
_VALUE = itemgetter(1)
_KEY = itemgetter(2)
_TEAM = itemgetter(3)
_REGION = itemgetter(4)
_DAY = itemgetter(5)
_ID = attrgetter("id")

_FAST_PATHS = True
"""Off only in tests, to check that the fast paths give what the general ones give."""


@frozen
class MetricContext:
    """What a metric is computed over: a ledger, its campaign type and an as-of date."""

    ledger: Ledger
    campaign_type: CampaignType
    as_of: date
    manager: PluginManager | None = None
    _cache: dict[str, Any] = field(factory=dict, init=False, eq=False, repr=False)

    def issue_states(self) -> Mapping[str, IssueState]:
        """Every issue's derived state, by issue id (replayed once, then cached)."""
        found = self._cache.get("states")
        if found is None:
            ids = map(_ID, self.ledger.issues)
            found = self._cache["states"] = build_paused(
                lambda: dict(zip(ids, self._replayed(), strict=True))
            )
        states: Mapping[str, IssueState] = found
        return states

    def issue_state_list(self) -> Sequence[IssueState | None]:
        """Each issue's state by its position in ``ledger.issues`` (cached).

        The state :meth:`issue_states` gives for the issue's id (None if it
        gives none): the same objects, without a lookup per issue.
        """
        found = self._cache.get("state_list")
        if found is None:
            if positional(self):
                found = self._replayed()
            else:
                states = self.issue_states()
                found = [states.get(issue.id) for issue in self.ledger.issues]
            self._cache["state_list"] = found
        listed: Sequence[IssueState | None] = found
        return listed

    def _replayed(self) -> list[IssueState]:
        """Every issue replayed as of the date, by position."""
        found = self._cache.get("replayed")
        if found is None:
            columns = self._state_columns()
            ids = map(_ID, self.ledger.issues)
            found = self._cache["replayed"] = build_paused(
                lambda: list(map(IssueState, ids, *columns))
            )
        replayed: list[IssueState] = found
        return replayed

    def _state_columns(self) -> StateColumns:
        """Every issue replayed as of the date, as columns by position (no object per issue)."""
        found = self._cache.get("state_columns")
        if found is None:
            lifecycle = self.campaign_type.lifecycle
            as_of = self.as_of
            found = self._cache["state_columns"] = build_paused(
                lambda: replay_columns(self.ledger.issues, lifecycle, as_of)
            )
        columns: StateColumns = found
        return columns

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        """Cache anything derived from the ledger for the metrics of one computation.

        ``build`` runs with the cyclic garbage collector paused: it creates
        many objects and no cycles.
        """
        if name not in self._cache:
            self._cache[name] = build_paused(build)
        return self._cache[name]


def _unique_issue_ids(ctx: MetricContext) -> bool:
    found = ctx._cache.get("unique_ids")
    if found is None:
        issues = ctx.ledger.issues
        found = ctx._cache["unique_ids"] = len(set(map(_ID, issues))) == len(issues)
    unique: bool = found
    return unique


class StateView(Sequence[IssueState]):
    """The states of a positional context by position, made only for whoever reads them.

    ``columns`` holds what the built-in issue predicates read, without the objects.
    """

    __slots__ = ("columns", "ctx")

    def __init__(self, ctx: MetricContext) -> None:
        self.ctx = ctx
        self.columns = ctx._state_columns()

    def __len__(self) -> int:
        return len(self.columns.kind)

    @overload
    def __getitem__(self, index: int) -> IssueState: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[IssueState]: ...

    def __getitem__(self, index: int | slice) -> IssueState | Sequence[IssueState]:
        return self.ctx._replayed()[index]

    def __iter__(self) -> Iterator[IssueState]:
        return iter(self.ctx._replayed())


def state_view(ctx: MetricContext) -> StateView:
    """The :class:`StateView` of a positional context (one per context)."""
    found: StateView = ctx.memo("state_view", lambda: StateView(ctx))
    return found


def _levels(ctx: MetricContext) -> Sequence[str | None]:
    """Each issue's level by position, as :meth:`MetricContext.issue_state_list` has it."""
    if positional(ctx):
        return ctx._state_columns().level
    return [s.level if s else None for s in ctx.issue_state_list()]


def positional(ctx: MetricContext) -> bool:
    """True when issue metrics may work on :meth:`MetricContext.issue_state_list` directly.

    That is for a plain context whose issue ids are unique; a subclassed
    context (which may answer ``issue_states`` its own way) takes the general path.
    """
    return _FAST_PATHS and type(ctx) is MetricContext and _unique_issue_ids(ctx)


# -- issues as columns -------------------------------------------------------------
# Issue metrics (``contributions.issues_where``) on a positional context give
# IssueRows: positions in ``ledger.issues`` (and distinct keys), read through
# columns built once per context. A Contribution object is made only for whoever
# iterates them (a plugin, a custom dimension); the engine counts, groups and
# lists provenance from the columns.

_new = tuple.__new__
_ENTERPRISE = attrgetter("enterprise")
_ACTIVITY = attrgetter("activity")
_RAISED = attrgetter("raised")
_CATEGORY = attrgetter("category")
_CHANNEL = attrgetter("channel")


def _issue_fields(ctx: MetricContext) -> tuple[list[str | None], list[str | None]]:
    """Each issue's team and region as its contribution has them (its own, else from
    its enterprise or activity), by position."""

    def build() -> tuple[list[str | None], list[str | None]]:
        issues = ctx.ledger.issues
        enterprises = ctx.ledger.enterprise_index
        activities = ctx.ledger.activity_index
        found = [enterprises.get(e) if e else None for e in map(_ENTERPRISE, issues)]
        held = [activities.get(a) if a else None for a in map(_ACTIVITY, issues)]
        teams = [i.team or (a.team if a else None) for i, a in zip(issues, held, strict=True)]
        regions = [
            e.region if e else (a.region if a else None) for e, a in zip(found, held, strict=True)
        ]
        return teams, regions

    fields: tuple[list[str | None], list[str | None]] = ctx.memo("issue_fields", build)
    return fields


def issue_contribution_list(ctx: MetricContext) -> list[Contribution]:
    """The contribution of every issue of the context's ledger, by position (built once)."""

    def build() -> list[Contribution]:
        issues = ctx.ledger.issues
        teams, regions = _issue_fields(ctx)
        levels = _levels(ctx)
        fields = zip(
            map(_ID, issues),
            repeat(1),
            repeat(None),
            teams,
            regions,
            map(_RAISED, issues),
            map(_CATEGORY, issues),
            map(_CHANNEL, issues),
            map(_ENTERPRISE, issues),
            levels,
            strict=False,  # the repeats are endless; every other column has one per issue
        )
        return list(map(_new, repeat(Contribution), fields))

    found: list[Contribution] = ctx.memo("issue_contribution_list", build)
    return found


def _issue_ids(ctx: MetricContext) -> list[str]:
    found: list[str] = ctx.memo("issue_ids", lambda: list(map(_ID, ctx.ledger.issues)))
    return found


def _issue_days(ctx: MetricContext) -> list[date]:
    found: list[date] = ctx.memo("issue_days", lambda: list(map(_RAISED, ctx.ledger.issues)))
    return found


def _issue_row_keys(ctx: MetricContext, by: str) -> list[str]:
    """Each issue's row key for a built-in single-valued dimension (as :func:`_row_keys`)."""

    def build() -> list[str]:
        issues = ctx.ledger.issues
        if by == "team":
            return [t or UNASSIGNED for t in _issue_fields(ctx)[0]]
        if by == "region":
            regions = _issue_fields(ctx)[1]
            county_of = ctx.ledger.county_of
            counties = {code: county_of(code) or UNASSIGNED for code in set(regions)}
            return list(map(counties.__getitem__, regions))
        if by == "level":
            return [level or UNASSIGNED for level in _levels(ctx)]
        if by == "month":
            days = _issue_days(ctx)
            months = {d: d.strftime("%Y-%m") if d else UNASSIGNED for d in set(days)}
            return list(map(months.__getitem__, days))
        get = _CATEGORY if by == "category" else _CHANNEL
        return [value or UNASSIGNED for value in map(get, issues)]

    found: list[str] = ctx.memo("issue_row_keys:" + by, build)
    return found


def _row_counts(column: Sequence[str], positions: Sequence[int]) -> Counter[str]:
    """How many of ``positions`` each row key of ``column`` has, in order of first position."""
    if type(positions) is range and positions == range(len(column)):
        return Counter(column)  # every position: no lookup per position
    return Counter(map(column.__getitem__, positions))


class _Split:
    """Positions split by their row key, in one pass when a row first asks for its own."""

    __slots__ = ("column", "found", "parent")

    def __init__(self, column: Sequence[str], parent: Sequence[int]) -> None:
        self.column = column
        self.parent = parent
        self.found: dict[str, array[int]] | None = None

    def of(self, row: str) -> array[int]:
        found = self.found
        if found is None:
            found = self.found = {}
            get = found.get
            for p, key in zip(self.parent, map(self.column.__getitem__, self.parent), strict=True):
                group = get(key)
                if group is None:
                    found[key] = array("l", (p,))
                else:
                    group.append(p)
        return found.get(row, array("l"))


class _PositionRows(Sequence[Contribution]):
    """Contributions held as positions in columns; a Contribution is made only when read.

    A row of a breakdown is the positions of its ``split`` under ``row``,
    found when first needed; ``count`` is its length.
    """

    __slots__ = ("_count", "_positions", "_row", "_split")

    def __init__(
        self,
        positions: Sequence[int],
        *,
        split: _Split | None = None,
        row: str = "",
        count: int = 0,
    ) -> None:
        self._positions = positions
        self._split = split
        self._row = row
        self._count = count

    @property
    def positions(self) -> Sequence[int]:
        if self._split is not None:
            self._positions = self._split.of(self._row)
            self._split = None
        return self._positions

    def __len__(self) -> int:
        return self._count if self._split is not None else len(self._positions)

    def _keys(self) -> Sequence[str | None] | None:
        """The distinct key of every position (None: the contributions' own keys)."""
        raise NotImplementedError

    def _at(self, p: int) -> Contribution:
        """The contribution at position ``p``."""
        raise NotImplementedError

    def key_values(self) -> Iterator[str | None]:
        keys = self._keys()
        if keys is None:
            return repeat(None, len(self))
        return map(keys.__getitem__, self.positions)

    @overload
    def __getitem__(self, index: int) -> Contribution: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Contribution]: ...

    def __getitem__(self, index: int | slice) -> Contribution | Sequence[Contribution]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._at(self.positions[index])

    def __reversed__(self) -> Iterator[Contribution]:
        return reversed(list(self))


def _first_positions(rows: _PositionRows) -> array[int]:
    """The positions that first credit each distinct key, in order."""
    seen: set[str | None] = set()
    add = seen.add
    kept = array("l")
    keep = kept.append
    for p, key in zip(rows.positions, rows.key_values(), strict=True):
        if key not in seen:
            add(key)
            keep(p)
    return kept


def _splits(column: Sequence[str], positions: Sequence[int]) -> Iterator[tuple[str, _Split, int]]:
    """``(row key, split, count)`` of every row of ``positions`` split by ``column``."""
    split = _Split(column, positions)
    for key, n in _row_counts(column, positions).items():
        yield key, split, n


class IssueRows(_PositionRows):
    """Issue contributions held as positions in ``ctx.ledger.issues``.

    ``keys`` (by position, for every issue) replaces each contribution's key
    (distinct metrics). Iterating makes the Contribution objects, equal to the
    general path's.
    """

    __slots__ = ("ctx", "keys")

    def __init__(
        self,
        ctx: MetricContext,
        positions: Sequence[int],
        keys: Sequence[str | None] | None = None,
        *,
        split: _Split | None = None,
        row: str = "",
        count: int = 0,
    ) -> None:
        super().__init__(positions, split=split, row=row, count=count)
        self.ctx = ctx
        self.keys = keys

    def _keys(self) -> Sequence[str | None] | None:
        return self.keys

    def records(self) -> Iterator[str]:
        return map(_issue_ids(self.ctx).__getitem__, self.positions)

    def __iter__(self) -> Iterator[Contribution]:
        every = issue_contribution_list(self.ctx)
        found = map(every.__getitem__, self.positions)
        if self.keys is None:
            return found
        return (
            _new(Contribution, (*c[:2], key, *c[3:]))  # c._replace(key=key)
            for c, key in zip(found, self.key_values(), strict=True)
        )

    def _at(self, p: int) -> Contribution:
        c = issue_contribution_list(self.ctx)[p]
        return c if self.keys is None else _new(Contribution, (*c[:2], self.keys[p], *c[3:]))


def _credited_rows(rows: IssueRows) -> IssueRows:
    return IssueRows(rows.ctx, _first_positions(rows), rows.keys)


def _ordered_rows(rows: IssueRows) -> IssueRows:
    """:func:`_ordered` of issue rows: by day if any key is set (every key is, then)."""
    if rows.keys is None or not len(rows):
        return rows
    days = _issue_days(rows.ctx)
    if days.count(None):  # type: ignore[arg-type]  # never, for a loaded ledger
        ordered = sorted(rows.positions, key=lambda p: days[p] or date.max)
    else:
        ordered = sorted(rows.positions, key=days.__getitem__)
    return IssueRows(rows.ctx, array("l", ordered), rows.keys)


def _group_rows(rows: IssueRows, by: str) -> dict[str, Sequence[Contribution]]:
    positions = rows.positions
    return {
        key: IssueRows(rows.ctx, positions, rows.keys, split=split, row=key, count=n)
        for key, split, n in _splits(_issue_row_keys(rows.ctx, by), positions)
    }


# -- other contributions as columns -----------------------------------------------
# Built-in activity metrics (``contributions.activities_of``, ``activity_enterprises``)
# on a plain context give ColumnRows: positions in columns built once per metric
# and context. As for issues, a Contribution object is made only for whoever
# iterates them.


def columnar(ctx: MetricContext) -> bool:
    """True when built-in contributions may be held as columns (a plain context)."""
    return _FAST_PATHS and type(ctx) is MetricContext


class ContributionColumns:
    """The fields of a metric's contributions, one list each, by position.

    ``value``, ``key`` and ``enterprise`` are None when every contribution has
    the default there (1, None, None); category, channel and level are None for all.
    """

    __slots__ = ("_row_keys", "day", "enterprise", "key", "record", "region", "team", "value")

    def __init__(
        self,
        record: Sequence[str],
        team: Sequence[str | None],
        region: Sequence[str | None],
        day: Sequence[date | None],
        *,
        value: Sequence[Number] | None = None,
        key: Sequence[str | None] | None = None,
        enterprise: Sequence[str | None] | None = None,
    ) -> None:
        self.record = record
        self.team = team
        self.region = region
        self.day = day
        self.value = value
        self.key = key
        self.enterprise = enterprise
        self._row_keys: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.record)

    def contribution(self, p: int) -> Contribution:
        return _new(
            Contribution,
            (
                self.record[p],
                1 if self.value is None else self.value[p],
                None if self.key is None else self.key[p],
                self.team[p],
                self.region[p],
                self.day[p],
                None,
                None,
                None if self.enterprise is None else self.enterprise[p],
                None,
            ),
        )

    def row_keys(self, ctx: MetricContext, by: str) -> list[str]:
        """Each contribution's row key for a built-in single-valued dimension.

        The key the dimension function gives, or ``_unassigned`` when it gives none.
        """
        found = self._row_keys.get(by)
        if found is None:
            if by == "team":
                found = [t or UNASSIGNED for t in self.team]
            elif by == "region":
                county_of = ctx.ledger.county_of
                counties = {c: county_of(c) or UNASSIGNED for c in set(self.region)}
                found = list(map(counties.__getitem__, self.region))
            elif by == "month":
                months = {d: d.strftime("%Y-%m") if d else UNASSIGNED for d in set(self.day)}
                found = list(map(months.__getitem__, self.day))
            else:  # category, channel, level: none of these contributions has one
                found = [UNASSIGNED] * len(self)
            self._row_keys[by] = found
        return found


class ColumnRows(_PositionRows):
    """Contributions held as positions in :class:`ContributionColumns`.

    Iterating makes the Contribution objects, equal to the general path's.
    """

    __slots__ = ("columns",)

    def __init__(
        self,
        columns: ContributionColumns,
        positions: Sequence[int],
        *,
        split: _Split | None = None,
        row: str = "",
        count: int = 0,
    ) -> None:
        super().__init__(positions, split=split, row=row, count=count)
        self.columns = columns

    def _keys(self) -> Sequence[str | None] | None:
        return self.columns.key

    def records(self) -> Iterator[str]:
        return map(self.columns.record.__getitem__, self.positions)

    def total(self) -> Number:
        """The sum of the values (as ``sum(values, start=0)``)."""
        values = self.columns.value
        if values is None:
            return len(self)
        found: Number = sum(map(values.__getitem__, self.positions), start=0)
        return found

    def __iter__(self) -> Iterator[Contribution]:
        return map(self.columns.contribution, self.positions)

    def _at(self, p: int) -> Contribution:
        return self.columns.contribution(p)


def _credited_columns(rows: ColumnRows) -> ColumnRows:
    return ColumnRows(rows.columns, _first_positions(rows))


def _ordered_columns(rows: ColumnRows) -> ColumnRows:
    """:func:`_ordered` of column rows: by day if any key is set."""
    keys = rows.columns.key
    if keys is None or not len(rows):
        return rows
    positions = rows.positions
    if list(map(keys.__getitem__, positions)).count(None) == len(positions):
        return rows
    days = rows.columns.day
    if list(map(days.__getitem__, positions)).count(None):
        ordered = sorted(positions, key=lambda p: days[p] or date.max)
    else:
        ordered = sorted(positions, key=cast("Sequence[date]", days).__getitem__)
    return ColumnRows(rows.columns, array("l", ordered))


def _group_columns(
    ctx: MetricContext, rows: ColumnRows, by: str
) -> dict[str, Sequence[Contribution]]:
    positions = rows.positions
    return {
        key: ColumnRows(rows.columns, positions, split=split, row=key, count=n)
        for key, split, n in _splits(rows.columns.row_keys(ctx, by), positions)
    }


class _Provenance:
    """The record ids behind a result, listed when first read.

    Holds the contribution lists (never changed once made); listing them is
    what :func:`_aggregate` always did: each record once, in order of first
    contribution, over the lists in turn.
    """

    __slots__ = ("parts",)

    def __init__(self, *parts: Sequence[Contribution]) -> None:
        self.parts = parts

    def ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(chain.from_iterable(map(_records, self.parts))))


def _records(items: Sequence[Contribution]) -> Iterator[str]:
    if type(items) is IssueRows or type(items) is ColumnRows:
        return items.records()
    return map(_RECORD, items)


@frozen
class MetricResult:
    """A computed figure and the records behind it."""

    id: str
    label: str
    unit: str
    value: Number | None
    """The figure; None for a rate whose denominator is zero."""
    provenance: tuple[str, ...]
    """Ids of the records counted or summed, in ledger order of first contribution."""
    numerator: Number | None = None
    denominator: Number | None = None
    value_kind: str = "count"

    @property
    def records(self) -> int:
        """How many records are behind the figure (the length of the provenance)."""
        return len(self.provenance)


# ``provenance`` stays an ordinary attrs field (init, eq, hash, repr, evolve and
# pickling all read it by name); the engine may store a _Provenance in its slot,
# listed and stored in its place on first read.
_PROVENANCE_SLOT = MetricResult.__dict__["provenance"]


def _read_provenance(self: MetricResult) -> tuple[str, ...]:
    value = _PROVENANCE_SLOT.__get__(self, MetricResult)
    if type(value) is _Provenance:
        value = value.ids()
        _PROVENANCE_SLOT.__set__(self, value)
    ids: tuple[str, ...] = value
    return ids


MetricResult.provenance = property(  # type: ignore[assignment]
    _read_provenance,
    _PROVENANCE_SLOT.__set__,
    doc="Ids of the records counted or summed, in ledger order of first contribution.",
)


def make_context(
    ledger: Ledger,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
) -> MetricContext:
    """A context for ``ledger``: its campaign type from ``manager``, as of the report date.

    ``as_of`` defaults to the campaign's ``report_date``, else the end of its period.
    Figures are those known on that day: activities and outcomes dated after
    it, issues raised after it and events after it do not count.
    """
    pm = manager or get_plugin_manager()
    ctype = pm.campaign_type(ledger.campaign.type)
    day = as_of or ledger.campaign.report_date or ledger.campaign.period.end
    return MetricContext(ledger=known_on(ledger, day), campaign_type=ctype, as_of=day, manager=pm)


def known_on(ledger: Ledger, day: date) -> Ledger:
    """The ledger without the activities, issues and outcomes dated after ``day``.

    Returns ``ledger`` itself when nothing is later (the common case), so its
    indexes are reused. Issue events are cut at ``day`` when states are replayed.
    """
    late_activities = any(a.date > day for a in ledger.activities)
    late_issues = any(i.raised > day for i in ledger.issues)
    late_outcomes = any(o.date > day for o in ledger.outcomes)
    if not (late_activities or late_issues or late_outcomes):
        return ledger
    return ledger.replace(
        activities=tuple(a for a in ledger.activities if a.date <= day),
        issues=tuple(i for i in ledger.issues if i.raised <= day),
        outcomes=tuple(o for o in ledger.outcomes if o.date <= day),
    )


def _ordered(contributions: Iterable[Contribution]) -> Sequence[Contribution]:
    if type(contributions) is IssueRows:
        return _ordered_rows(contributions)
    if type(contributions) is ColumnRows:
        return _ordered_columns(contributions)
    items = list(contributions)
    if items and list(map(_KEY, items)).count(None) != len(items):
        # earliest day first, ledger order within a day: decides who is credited
        if list(map(_DAY, items)).count(None):
            items.sort(key=lambda c: c.day or date.max)
        else:  # the same order: a day is never false
            items.sort(key=_DAY)
    return items


def _tidy(value: Decimal) -> Decimal:
    """A sum without the trailing zeros its terms brought (``852.0`` → ``852``), never exponent."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _aggregate(metric: MetricDef, items: Sequence[Contribution]) -> Number:
    rows = items if type(items) is IssueRows or type(items) is ColumnRows else None
    if metric.aggregate == "sum":
        total: Number
        if type(items) is ColumnRows:
            total = items.total()
        else:
            total = len(rows) if rows is not None else sum(map(_VALUE, items), start=0)
        if isinstance(total, Decimal) or metric.value_kind in ("yuan", "mu", "number"):
            total = _tidy(Decimal(total))
        return total
    if metric.aggregate == "distinct":
        return len(set(rows.key_values() if rows is not None else map(_KEY, items)))
    return len(items)


def _credited(items: Sequence[Contribution]) -> Sequence[Contribution]:
    """For distinct metrics: keep the contribution that first credits each key."""
    if type(items) is IssueRows:
        return _credited_rows(items)
    if type(items) is ColumnRows:
        return _credited_columns(items)
    seen: set[str | None] = set()
    out = []
    for c in items:
        if c.key not in seen:
            seen.add(c.key)
            out.append(c)
    return out


def _contributions(ctx: MetricContext, metric: MetricDef) -> Sequence[Contribution]:
    if metric.contributions is None:
        raise ValueError(f"metric {metric.id!r} is a rate; it has no contributions")
    produce = metric.contributions

    def build() -> Sequence[Contribution]:
        with _blamed(ctx, metric):
            return _ordered(produce(ctx))

    items: Sequence[Contribution] = ctx.memo("contrib:" + metric.id, build)
    return items


@contextmanager
def _blamed(ctx: MetricContext, metric: MetricDef) -> Iterator[None]:
    """A plugin's metric that raises, or gives what is not a contribution, becomes a
    :class:`~campaignkit.errors.PluginError` naming the metric and its plugin."""
    try:
        yield
    except CampaignkitError:
        raise
    except Exception as exc:
        pm = ctx.manager or get_plugin_manager()
        owner = pm.owner("campaignkit_metrics", metric.id) or pm.owner(
            "campaignkit_campaign_types", ctx.campaign_type.key
        )
        own = getattr(metric.contributions, "__module__", "").partition(".")[0] == "campaignkit"
        if owner is None or owner in builtin_plugins() or own:
            raise  # campaignkit's own metric (also in a plugin's type): a bug to see in full
        raise PluginError(
            f"metric {metric.id!r} of plugin {owner!r} failed: {type(exc).__name__}: {exc}"
        ) from exc


def _ratio(num: Number, den: Number) -> Decimal | None:
    if den == 0:
        return None
    return (Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _result(
    ctx: MetricContext, metric: MetricDef, items: Sequence[Contribution] | None, lang: str
) -> MetricResult:
    """Aggregate a non-rate metric over ``items`` (default: all its contributions)."""
    chosen = _contributions(ctx, metric) if items is None else items
    with _blamed(ctx, metric):
        value = _aggregate(metric, chosen)
    return MetricResult(
        metric.id,
        metric.label.get(lang),
        metric.unit.get(lang),
        value,
        cast(tuple[str, ...], _Provenance(chosen)),
        value_kind=metric.value_kind,
    )


def compute(
    ledger: Ledger | MetricContext,
    metric_id: str,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> MetricResult:
    """Compute one metric of the ledger's campaign type, with provenance."""
    ctx = (
        ledger
        if isinstance(ledger, MetricContext)
        else make_context(ledger, manager=manager, as_of=as_of)
    )
    metric = ctx.campaign_type.metric(metric_id)
    return _rate(ctx, metric, None, lang) if metric.is_rate else _result(ctx, metric, None, lang)


def compute_all(
    ledger: Ledger | MetricContext,
    metric_ids: Iterable[str] | None = None,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> dict[str, MetricResult]:
    """Compute several metrics (default: all of the campaign type) in definition order."""
    ctx = (
        ledger
        if isinstance(ledger, MetricContext)
        else make_context(ledger, manager=manager, as_of=as_of)
    )
    ids = [m.id for m in ctx.campaign_type.metrics] if metric_ids is None else list(metric_ids)
    return {mid: compute(ctx, mid, lang=lang) for mid in ids}


# -- breakdowns ------------------------------------------------------------------


def _dim_team(ctx: MetricContext, c: Contribution) -> Iterable[str]:
    return (c.team,) if c.team else ()


def _dim_region(ctx: MetricContext, c: Contribution) -> Iterable[str]:
    county = ctx.ledger.county_of(c.region)
    return (county,) if county else ()


def _dim_class(ctx: MetricContext, c: Contribution) -> Iterable[str]:
    ent = ctx.ledger.enterprise_index.get(c.enterprise) if c.enterprise else None
    return ent.classes if ent else ()


def _dim_attr(name: str) -> Callable[[MetricContext, Contribution], Iterable[str]]:
    def dim(_: MetricContext, c: Contribution) -> Iterable[str]:
        value = getattr(c, name)
        return (value,) if value else ()

    return dim


def _dim_month(_: MetricContext, c: Contribution) -> Iterable[str]:
    return (c.day.strftime("%Y-%m"),) if c.day else ()


DIMENSIONS: dict[str, Callable[[MetricContext, Contribution], Iterable[str]]] = {
    "team": _dim_team,
    "region": _dim_region,
    "class": _dim_class,
    "category": _dim_attr("category"),
    "channel": _dim_attr("channel"),
    "level": _dim_attr("level"),
    "month": _dim_month,
}
"""Dimensions a metric can be broken down by. ``class`` is multi-valued: an
enterprise in two classes counts in both rows, so those rows need not add up."""

_BUILT_IN = dict(DIMENSIONS)


def _row_keys(ctx: MetricContext, items: Sequence[Contribution], by: str) -> Iterable[str] | None:
    """Each contribution's row key for a built-in single-valued dimension, else None.

    The key the dimension function gives, or ``_unassigned`` when it gives none
    (every built-in dimension but ``class`` gives at most one).
    """
    if not _FAST_PATHS or by == "class" or by not in _BUILT_IN:
        return None
    if DIMENSIONS.get(by) is not _BUILT_IN[by]:  # a plugin's own dimension function
        return None
    if by == "region":
        county_of = ctx.ledger.county_of
        counties = {code: county_of(code) or UNASSIGNED for code in set(map(_REGION, items))}
        return map(counties.__getitem__, map(_REGION, items))
    if by == "month":
        days = set(map(_DAY, items))
        months = {d: d.strftime("%Y-%m") if d else UNASSIGNED for d in days}
        return map(months.__getitem__, map(_DAY, items))
    field = {"team": 3, "category": 6, "channel": 7, "level": 9}[by]
    return (value or UNASSIGNED for value in map(itemgetter(field), items))


@frozen
class BreakdownRow:
    """One row of a breakdown: a dimension value and the metric computed over it."""

    key: str
    label: str
    result: MetricResult


@frozen
class Breakdown:
    """A metric broken down by one dimension, with the total over everything."""

    metric: str
    by: str
    rows: tuple[BreakdownRow, ...]
    total: MetricResult
    additive: bool
    """True when the rows add up to the total (every dimension but ``class``, and never rates)."""
    lang: str = "zh"

    def to_rows(self, *, include_total: bool = True) -> list[dict[str, Any]]:
        """Plain rows (list of dicts) for notebooks and CSV.

        Each row is ``{by: label, "key": key, metric: value, "records": n}``;
        rates add ``"numerator"`` and ``"denominator"``. The total row comes
        last, keyed ``_total``.
        """
        rows = [(r.key, r.label, r.result) for r in self.rows]
        if include_total:
            rows.append(("_total", "合计" if self.lang == "zh" else "Total", self.total))
        out = []
        for key, label, result in rows:
            record: dict[str, Any] = {
                self.by: label,
                "key": key,
                self.metric: result.value,
                "records": result.records,
            }
            if result.value_kind == "rate":
                record["numerator"] = result.numerator
                record["denominator"] = result.denominator
            out.append(record)
        return out

    def to_dataframe(self, *, include_total: bool = True) -> pandas.DataFrame:
        """The breakdown as a pandas DataFrame indexed by row label (needs the ``pandas`` extra)."""
        pd = import_pandas("Breakdown.to_dataframe")
        frame: pandas.DataFrame = pd.DataFrame(self.to_rows(include_total=include_total))
        return frame.set_index(self.by)


def import_pandas(what: str) -> Any:
    """Import pandas on demand, with an error that says how to install it."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"{what} needs pandas: pip install 'campaignkit[pandas]'") from exc
    return pd


def dimension_label(ctx: MetricContext, by: str, key: str, lang: str = "zh") -> str:
    """Human label of a dimension value (team name, region name, category label …)."""
    if key == UNASSIGNED:
        if by == "team":
            return "工作组统筹" if lang == "zh" else "whole group"
        if by == "region":
            return "市级及全市" if lang == "zh" else "city-wide"
        return "未分配" if lang == "zh" else "unassigned"
    ctype = ctx.campaign_type
    if by == "team":
        team = ctx.ledger.team_index.get(key)
        return team.name if team else key
    if by == "region":
        return ctx.ledger.region_name(key)
    if by == "class":
        return ctype.label_of("enterprise_classes", key, lang)
    if by == "category":
        return ctype.label_of("issue_categories", key, lang)
    if by == "channel":
        return ctype.label_of("issue_channels", key, lang)
    if by == "level":
        return ctype.policy.level_label(key, lang)
    return key


def _row_order(ctx: MetricContext, by: str) -> list[str]:
    if by == "team":
        return [t.id for t in ctx.ledger.teams]
    if by == "region":
        return [r.code for r in ctx.ledger.regions if r.level in ("county", "zone")]
    if by == "class":
        return [k.key for k in ctx.campaign_type.enterprise_classes]
    if by == "category":
        return [k.key for k in ctx.campaign_type.issue_categories]
    if by == "channel":
        return [k.key for k in ctx.campaign_type.issue_channels]
    if by == "level":
        return list(ctx.campaign_type.policy.levels)
    return []


def group_contributions(
    ctx: MetricContext, items: Sequence[Contribution], by: str
) -> dict[str, Sequence[Contribution]]:
    """Group contributions by a dimension; those without a value go to ``_unassigned``."""
    try:
        dim = DIMENSIONS[by]
    except KeyError:
        raise ValueError(f"unknown dimension {by!r} (known: {', '.join(DIMENSIONS)})") from None
    if type(items) is IssueRows:
        if _row_keys(ctx, (), by) is not None:
            return _group_rows(items, by)
        items = list(items)
    elif type(items) is ColumnRows:
        if _row_keys(ctx, (), by) is not None:
            return _group_columns(ctx, items, by)
        items = list(items)
    groups: dict[str, list[Contribution]] = {}
    row_keys = _row_keys(ctx, items, by)
    if row_keys is not None:
        get = groups.get
        for key, c in zip(row_keys, items, strict=True):
            group = get(key)
            if group is None:
                groups[key] = [c]
            else:
                group.append(c)
        return dict(groups)
    for c in items:
        keys = tuple(dim(ctx, c)) or (UNASSIGNED,)
        for key in keys:
            groups.setdefault(key, []).append(c)
    return dict(groups)


def _items(ctx: MetricContext, metric: MetricDef, credited: bool) -> Sequence[Contribution]:
    """A metric's contributions, or (``credited``) those that first credit each distinct key."""
    items = _contributions(ctx, metric)
    if not credited:
        return items
    found: Sequence[Contribution] = ctx.memo("credited:" + metric.id, lambda: _credited(items))
    return found


def _groups(
    ctx: MetricContext, metric: MetricDef, by: str, credited: bool
) -> dict[str, Sequence[Contribution]] | None:
    """:func:`group_contributions` of :func:`_items`, once per context, for built-in dimensions.

    None for ``class`` and for a dimension a plugin replaced: group those each time.
    """
    if _row_keys(ctx, (), by) is None:
        return None
    items = _items(ctx, metric, credited)
    name = f"groups:{metric.id}:{by}:{int(credited)}"
    groups: dict[str, Sequence[Contribution]] = ctx.memo(
        name, lambda: group_contributions(ctx, items, by)
    )
    return groups


def _parts(ctx: MetricContext, metric: MetricDef) -> tuple[MetricDef, MetricDef]:
    assert metric.numerator is not None and metric.denominator is not None
    ctype = ctx.campaign_type
    return ctype.metric(metric.numerator), ctype.metric(metric.denominator)


def _rate(
    ctx: MetricContext, metric: MetricDef, keep: Callable[[Contribution], bool] | None, lang: str
) -> MetricResult:
    num_m, den_m = _parts(ctx, metric)
    num_items: Sequence[Contribution] = _contributions(ctx, num_m)
    den_items: Sequence[Contribution] = _contributions(ctx, den_m)
    if keep is not None:
        num_items = [c for c in num_items if keep(c)]
        den_items = [c for c in den_items if keep(c)]
    with _blamed(ctx, metric):
        return _rate_of(metric, num_m, num_items, den_m, den_items, lang)


def _rate_of(
    metric: MetricDef,
    num_m: MetricDef,
    num_items: Sequence[Contribution],
    den_m: MetricDef,
    den_items: Sequence[Contribution],
    lang: str,
) -> MetricResult:
    if num_m.aggregate == "distinct":
        num_items = _credited(num_items)
    if den_m.aggregate == "distinct":
        den_items = _credited(den_items)
    num = _aggregate(num_m, num_items)
    den = _aggregate(den_m, den_items)
    return MetricResult(
        metric.id,
        metric.label.get(lang),
        metric.unit.get(lang),
        _ratio(num, den),
        cast(tuple[str, ...], _Provenance(num_items, den_items)),
        num,
        den,
        "rate",
    )


def breakdown(
    ledger: Ledger | MetricContext,
    metric_id: str,
    by: str,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
    keep_empty: bool = False,
) -> Breakdown:
    """Break a metric down by ``by`` (team, region, class, category, channel, level, month).

    Rows come in the ledger's or campaign type's order (months sorted); rows
    with nothing in them are left out unless ``keep_empty``. For additive
    dimensions the rows' values add up to the total.
    """
    ctx = (
        ledger
        if isinstance(ledger, MetricContext)
        else make_context(ledger, manager=manager, as_of=as_of)
    )
    metric = ctx.campaign_type.metric(metric_id)
    if metric.is_rate:
        total = _rate(ctx, metric, None, lang)
        dim = DIMENSIONS.get(by)
        if dim is None:
            raise ValueError(f"unknown dimension {by!r} (known: {', '.join(DIMENSIONS)})")
        num_m, den_m = _parts(ctx, metric)
        den_groups = _groups(ctx, den_m, by, False)
        num_groups = _groups(ctx, num_m, by, False)
        if den_groups is not None and num_groups is not None:
            # a single-valued dimension: a row's contributions are its group's
            with _blamed(ctx, metric):
                rows_r = {
                    key: _rate_of(metric, num_m, num_groups.get(key, []), den_m, group, lang)
                    for key, group in den_groups.items()
                }
        else:
            keys_seen = group_contributions(ctx, _contributions(ctx, den_m), by)
            rows_r = {key: _rate(ctx, metric, _member(ctx, dim, key), lang) for key in keys_seen}
        ordered = _order_keys(ctx, by, rows_r, keep_empty)
        return Breakdown(
            metric_id,
            by,
            tuple(
                BreakdownRow(k, dimension_label(ctx, by, k, lang), rows_r[k])
                for k in ordered
                if k in rows_r
            ),
            total,
            False,
            lang,
        )
    credited = metric.aggregate == "distinct"
    groups = _groups(ctx, metric, by, credited)
    if groups is None:
        groups = group_contributions(ctx, _items(ctx, metric, credited), by)
    results = {key: _result(ctx, metric, group, lang) for key, group in groups.items()}
    ordered = _order_keys(ctx, by, results, keep_empty)
    rows = []
    for key in ordered:
        result = results[key] if key in results else _result(ctx, metric, [], lang)
        rows.append(BreakdownRow(key, dimension_label(ctx, by, key, lang), result))
    total = _result(ctx, metric, None, lang)
    return Breakdown(metric_id, by, tuple(rows), total, by != "class", lang)


def _member(
    ctx: MetricContext, dim: Callable[[MetricContext, Contribution], Iterable[str]], key: str
) -> Callable[[Contribution], bool]:
    def keep(c: Contribution) -> bool:
        return key in (tuple(dim(ctx, c)) or (UNASSIGNED,))

    return keep


def _order_keys(
    ctx: MetricContext, by: str, present: Mapping[str, object], keep_empty: bool
) -> list[str]:
    order = _row_order(ctx, by)
    keys = [k for k in order if keep_empty or k in present]
    rest = sorted(k for k in present if k not in order and k != UNASSIGNED)
    keys.extend(rest)
    if UNASSIGNED in present:
        keys.append(UNASSIGNED)
    return keys
