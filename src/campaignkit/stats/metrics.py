"""The metric engine: figures from records, each with its provenance.

A metric (:class:`~campaignkit.rules.records.MetricDef`) yields *contributions*: one
per record (or part of a record) that counts, carrying the record id, a value,
an optional distinct key and the dimensions it can be broken down by.
Aggregating contributions gives the value; their record ids are the
provenance. A distinct key is credited to its earliest contribution, so the
rows of any breakdown add up to the total.

Contributions have one representation in the engine:
:class:`ContributionRows`, some positions of :class:`ContributionColumns` (one
list per field). Whatever a metric gives is held that way — the built-in
builders of :mod:`campaignkit.stats.contributions` build the columns directly
(every issue metric shares the columns of the ledger's issues), and anything
else (a plugin's list or generator of :class:`Contribution`) is put into columns
once — and there is one way to order, credit, group and aggregate them. A
:class:`Contribution` object is made only for whoever reads one.

At the size of a province (a million issues) the engine avoids work nobody
asks for: provenance is listed when first read, not for every row of every
breakdown; a metric's contributions are grouped by a dimension once per
context and shared by tables and breakdowns, a row's positions split off when
first read; issue states are replayed into columns by issue position (state
objects are made only for whoever asks for them).
"""

from __future__ import annotations

import copy
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast, overload

from attrs import field, frozen

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.views import StateColumns, replay_columns
from campaignkit.errors import CampaignkitError, PluginError
from campaignkit.gcpause import build_paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.ledger import Ledger
from campaignkit.model.limits import MAX_PLACES
from campaignkit.model.records import Issue
from campaignkit.model.units import exact
from campaignkit.rules.lifecycle import IssueState
from campaignkit.rules.records import CampaignType, MetricDef
from campaignkit.workspace import Workspace

if TYPE_CHECKING:
    import pandas

__all__ = [
    "AVERAGE_STEP",
    "COUNTY",
    "DIMENSIONS",
    "RATE_STEP",
    "UNASSIGNED",
    "Breakdown",
    "BreakdownError",
    "BreakdownRow",
    "Contribution",
    "ContributionColumns",
    "ContributionRows",
    "CrossTab",
    "Dimension",
    "MetricContext",
    "MetricResult",
    "Number",
    "as_date",
    "breakdown",
    "compute",
    "compute_all",
    "context_of",
    "crosstab",
    "dimension_label",
    "dimensions_of",
    "exact_decimal_type",
    "known_on",
    "make_context",
    "metric_id_list",
    "numeric_frame",
]

Number = int | Decimal
_K = TypeVar("_K")
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
    enterprise_class: str | None = None
    """The enterprise class the contribution counts in, when it counts in one class only (a
    target class, a class reached): its row of the ``class`` dimension. None: every class of
    its enterprise."""


_ID = attrgetter("id")
_new = tuple.__new__
"""``_new(Contribution, (every field))``: a contribution without a Python-level call."""


@frozen
class MetricContext:
    """What a metric is computed over: a ledger, its campaign type and an as-of date."""

    ledger: Ledger
    campaign_type: CampaignType
    as_of: date
    manager: PluginManager | None = None
    workspace: Workspace | None = field(default=None, eq=False, repr=False)
    """Where the issues' shapes were derived once: read when it holds this very ledger,
    or the ledger this one was cut from as of an earlier date (see :meth:`derived`)."""
    _cache: dict[str, Any] = field(factory=dict, init=False, eq=False, repr=False)

    def issue_states(self) -> Mapping[str, IssueState]:
        """Every issue's derived state, by issue id (replayed once, then cached).

        A subclass may give other states, or none for an issue: the built-in state tests
        (resolved, open, on time, overdue …) then hold for no issue without a state."""
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
        gives none). While :meth:`issue_states` is this class's own and the
        issue ids are unique, that is the replay by position: a
        :class:`StateView`, whose objects are made only when read.
        """
        found = self._cache.get("state_list")
        if found is None:
            if self._by_position():
                found = StateView(self)
            else:
                states = self.issue_states()
                found = [states.get(issue.id) for issue in self.ledger.issues]
            self._cache["state_list"] = found
        listed: Sequence[IssueState | None] = found
        return listed

    def _by_position(self) -> bool:
        """True when the states by id are the replay by position (see :meth:`issue_state_list`)."""
        found = self._cache.get("by_position")
        if found is None:
            issues = self.ledger.issues
            own = type(self).issue_states is MetricContext.issue_states
            found = self._cache["by_position"] = own and len(set(map(_ID, issues))) == len(issues)
        by_position: bool = found
        return by_position

    def _replayed(self) -> list[IssueState]:
        """Every issue replayed as of the date, by position."""
        found = self._cache.get("replayed")
        if found is None:
            columns = self.state_columns()
            ids = map(_ID, self.ledger.issues)
            found = self._cache["replayed"] = build_paused(
                lambda: list(map(IssueState, ids, *columns))
            )
        replayed: list[IssueState] = found
        return replayed

    def state_columns(self) -> StateColumns:
        """Every issue replayed as of the date, as columns by position (no object per issue)."""
        found = self._cache.get("state_columns")
        if found is None:
            lifecycle = self.campaign_type.lifecycle
            as_of = self.as_of
            known = None
            latest: Sequence[date] | None = None
            derived = self.derived()
            if derived is not None:  # each history walked once, its facts kept with its shape
                ws, positions = derived
                known = ws.known_states
                if known is not None and as_of is not None:
                    latest = ws.latest_event_dates()
                if known is not None and positions is not None:
                    picked = [[column[n] for n in positions] for column in known]
                    known = StateColumns(*cast("list[list[Any]]", picked))
                    if latest is not None:
                        latest = [latest[n] for n in positions]
            found = self._cache["state_columns"] = build_paused(
                lambda: replay_columns(self.ledger.issues, lifecycle, as_of, known, latest)
            )
        columns: StateColumns = found
        return columns

    def work_calendar(self) -> WorkCalendar:
        """The working calendar this context counts deadlines and working days by: its
        workspace's where it has one, else the manager's for the campaign type (cached)."""
        found = self._cache.get("work_calendar")
        if found is None:
            ws = self.workspace
            found = self._cache["work_calendar"] = (
                ws.calendar
                if ws is not None
                else WorkCalendar.from_manager(self.manager, self.campaign_type.key)
            )
        calendar: WorkCalendar = found
        return calendar

    def derived(self) -> tuple[Workspace, list[int] | None] | None:
        """The workspace whose derived views this context's issues read, and where each
        issue is in the workspace's ledger (None: in the same places, the very ledger);
        None if there is no workspace or it holds other issues. A context as of an
        earlier date holds the workspace's ledger without the issues raised after it
        (:func:`known_on`): its issues are the workspace's, fewer.

        None too where the workspace cannot derive its issues' shapes, whole or as of the
        context's date (a ledger nobody validated, with a clock that cannot be worked out
        or a history the lifecycle refuses, even of an issue raised after that date): the
        context then derives its own issues, as it would without a workspace."""
        if "derived" not in self._cache:
            ws = self.workspace
            found: tuple[Workspace, list[int] | None] | None = None
            if ws is not None and ws.ledger is self.ledger:
                found = (ws, None)
            elif ws is not None:
                mine = self.ledger.issues
                positions: list[int] = []
                size = len(mine)
                for n, issue in enumerate(ws.ledger.issues):
                    if len(positions) < size and mine[len(positions)] is issue:
                        positions.append(n)
                if len(positions) == size:
                    found = (ws, positions)
            if found is not None:
                try:  # each history walked once, with its state facts; and as of the date
                    found[0].shapes(self.as_of)
                except (ValueError, CampaignkitError):
                    found = None
            self._cache["derived"] = found
        derived: tuple[Workspace, list[int] | None] | None = self._cache["derived"]
        return derived

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        """Cache anything derived from the ledger for the metrics of one computation.

        ``build`` runs with the cyclic garbage collector paused: it creates
        many objects and no cycles.
        """
        if name not in self._cache:
            self._cache[name] = build_paused(build)
        return self._cache[name]


class StateView(Sequence[IssueState]):
    """The replayed states of a context by position, made only for whoever reads them.

    ``columns`` holds what the built-in issue predicates read, without the objects.
    """

    __slots__ = ("columns", "ctx")

    def __init__(self, ctx: MetricContext) -> None:
        self.ctx = ctx
        self.columns = ctx.state_columns()

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


# -- contributions as columns ------------------------------------------------------

_FIELDS = Contribution._fields
_DEFAULTS = (None, 1, *(None,) * (len(_FIELDS) - 2))


def _fields_of(item: object) -> tuple[Any, ...]:
    """A contribution's fields: a :class:`Contribution`, or a tuple of the first ones (a
    plugin written for fewer fields: the others their defaults). Anything else (a record
    id given as text, say) raises ``TypeError`` naming what it is."""
    if isinstance(item, tuple) and 0 < len(item) <= len(_FIELDS):
        return item if len(item) == len(_FIELDS) else (*item, *_DEFAULTS[len(item) :])
    shown = f"{type(item).__name__} {item!r:.40}"
    raise TypeError(f"a contribution must be a Contribution or a tuple of its fields, got {shown}")


class ContributionColumns:
    """The fields of some contributions, one list each, by position.

    A field is None when every contribution has the default there (``value``
    1, the others None). The row keys of a :class:`Dimension` are worked out
    once per columns (and shared by columns that differ only in their keys).
    """

    __slots__ = (
        "category",
        "channel",
        "day",
        "enterprise",
        "enterprise_class",
        "key",
        "level",
        "record",
        "region",
        "row_keys",
        "team",
        "value",
    )

    def __init__(
        self,
        record: Sequence[str],
        *,
        value: Sequence[Number] | None = None,
        key: Sequence[str | None] | None = None,
        team: Sequence[str | None] | None = None,
        region: Sequence[str | None] | None = None,
        day: Sequence[date | None] | None = None,
        category: Sequence[str | None] | None = None,
        channel: Sequence[str | None] | None = None,
        enterprise: Sequence[str | None] | None = None,
        level: Sequence[str | None] | None = None,
        enterprise_class: Sequence[str | None] | None = None,
    ) -> None:
        self.record = record
        self.value = value
        self.key = key
        self.team = team
        self.region = region
        self.day = day
        self.category = category
        self.channel = channel
        self.enterprise = enterprise
        self.level = level
        self.enterprise_class = enterprise_class
        self.row_keys: dict[Dimension, list[str]] = {}

    @classmethod
    def of(cls, items: Iterable[Contribution]) -> ContributionColumns:
        """The columns of ``items`` (each a :class:`Contribution`, or a tuple of its fields:
        the first ones, the others their defaults)."""
        listed = items if isinstance(items, list) else list(items)
        n = len(listed)
        if n and set(map(type, listed)) != {Contribution}:
            listed = [_fields_of(t) for t in listed]
        fields: list[Any] = []
        for k, default in enumerate(_DEFAULTS):
            column = list(map(itemgetter(k), listed))
            defaulted = default is None and k > 0 and column.count(None) == n
            fields.append(None if defaulted else column)  # (the values stay as they are)
        return cls(fields[0], **dict(zip(_FIELDS[1:], fields[1:], strict=True)))

    def with_keys(self, key: Sequence[str | None]) -> ContributionColumns:
        """The same columns (sharing their row keys) with ``key`` as the distinct keys."""
        found = copy.copy(self)
        found.key = key
        return found

    def with_values(self, value: Sequence[Number]) -> ContributionColumns:
        """The same columns (sharing their row keys) with ``value`` as the values."""
        found = copy.copy(self)
        found.value = value
        return found

    def __len__(self) -> int:
        return len(self.record)

    def field(self, name: str) -> Sequence[Any]:
        """Every contribution's ``name`` (a field of :class:`Contribution`), by position."""
        found: Sequence[Any] | None = getattr(self, name)
        if found is None:
            return [_DEFAULTS[_FIELDS.index(name)]] * len(self)
        return found

    def contribution(self, p: int) -> Contribution:
        """The contribution at position ``p``."""
        return _new(
            Contribution,
            (
                self.record[p],
                1 if self.value is None else self.value[p],
                None if self.key is None else self.key[p],
                None if self.team is None else self.team[p],
                None if self.region is None else self.region[p],
                None if self.day is None else self.day[p],
                None if self.category is None else self.category[p],
                None if self.channel is None else self.channel[p],
                None if self.enterprise is None else self.enterprise[p],
                None if self.level is None else self.level[p],
                None if self.enterprise_class is None else self.enterprise_class[p],
            ),
        )


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


class ContributionRows(Sequence[Contribution]):
    """Contributions: some positions of :class:`ContributionColumns`, in order.

    A :class:`Contribution` is made only when read. A row of a breakdown is
    the positions of its ``split`` under ``row``, found when first needed;
    ``count`` is its length until then.
    """

    __slots__ = ("_count", "_positions", "_row", "_split", "columns")

    def __init__(
        self,
        columns: ContributionColumns,
        positions: Sequence[int] | None = None,
        *,
        split: _Split | None = None,
        row: str = "",
        count: int = 0,
    ) -> None:
        self.columns = columns
        self._positions: Sequence[int] = range(len(columns)) if positions is None else positions
        self._split = split
        self._row = row
        self._count = count

    @property
    def positions(self) -> Sequence[int]:
        """The positions in :attr:`columns`, in order."""
        if self._split is not None:
            self._positions = self._split.of(self._row)
            self._split = None
        return self._positions

    def __len__(self) -> int:
        return self._count if self._split is not None else len(self._positions)

    def records(self) -> Iterator[str]:
        """Every contribution's record id, in order."""
        return map(self.columns.record.__getitem__, self.positions)

    def keys(self) -> Iterator[str | None]:
        """Every contribution's distinct key, in order."""
        keys = self.columns.key
        if keys is None:
            return repeat(None, len(self))
        return map(keys.__getitem__, self.positions)

    def total(self) -> Number:
        """The sum of the values (as ``sum(values, start=0)``)."""
        values = self.columns.value
        if values is None:
            return len(self)
        found: Number = sum(map(values.__getitem__, self.positions), start=0)
        return found

    def __iter__(self) -> Iterator[Contribution]:
        return map(self.columns.contribution, self.positions)

    @overload
    def __getitem__(self, index: int) -> Contribution: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Contribution]: ...

    def __getitem__(self, index: int | slice) -> Contribution | Sequence[Contribution]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.columns.contribution(self.positions[index])

    def __reversed__(self) -> Iterator[Contribution]:
        return reversed(list(self))


def as_rows(items: Iterable[Contribution]) -> ContributionRows:
    """``items`` as :class:`ContributionRows` (itself if it is; else put into columns)."""
    if isinstance(items, ContributionRows):
        return items
    return ContributionRows(ContributionColumns.of(items))


# -- issues as columns -------------------------------------------------------------

_ENTERPRISE = attrgetter("enterprise")
_ACTIVITY = attrgetter("activity")
_RAISED = attrgetter("raised")
_CATEGORY = attrgetter("category")
_CHANNEL = attrgetter("channel")


def issue_columns_of(
    ctx: MetricContext, issues: Sequence[Issue], levels: Sequence[str | None]
) -> ContributionColumns:
    """The contribution of each of ``issues``, as columns: team and region its own, else
    from its enterprise or activity; ``levels`` by position."""
    enterprises = ctx.ledger.enterprise_index
    activities = ctx.ledger.activity_index
    found = [enterprises.get(e) if e else None for e in map(_ENTERPRISE, issues)]
    held = [activities.get(a) if a else None for a in map(_ACTIVITY, issues)]
    teams = [i.team or (a.team if a else None) for i, a in zip(issues, held, strict=True)]
    regions = [
        e.region if e else (a.region if a else None) for e, a in zip(found, held, strict=True)
    ]
    return ContributionColumns(
        list(map(_ID, issues)),
        team=teams,
        region=regions,
        day=list(map(_RAISED, issues)),
        category=list(map(_CATEGORY, issues)),
        channel=list(map(_CHANNEL, issues)),
        enterprise=list(map(_ENTERPRISE, issues)),
        level=levels,
    )


def issue_columns(ctx: MetricContext) -> ContributionColumns:
    """The contribution of every issue of the context's ledger, by position (built once)."""

    def build() -> ContributionColumns:
        states = ctx.issue_state_list()
        if isinstance(states, StateView):
            levels: Sequence[str | None] = states.columns.level
        else:
            levels = [s.level if s else None for s in states]
        return issue_columns_of(ctx, ctx.ledger.issues, levels)

    found: ContributionColumns = ctx.memo("issue_columns", build)
    return found


# -- order, credit, aggregate ------------------------------------------------------


def _ordered(rows: ContributionRows) -> ContributionRows:
    """Earliest day first, ledger order within a day, when any key is set: decides who is
    credited."""
    keys = rows.columns.key
    if keys is None or not len(rows):
        return rows
    positions = rows.positions
    if list(map(keys.__getitem__, positions)).count(None) == len(positions):
        return rows
    days = rows.columns.field("day")
    if list(map(days.__getitem__, positions)).count(None):
        ordered = sorted(positions, key=lambda p: days[p] or date.max)
    else:  # the same order: a day is never false
        ordered = sorted(positions, key=days.__getitem__)
    return ContributionRows(rows.columns, array("l", ordered))


def _credited(rows: ContributionRows) -> ContributionRows:
    """For distinct metrics: keep the contribution that first credits each key."""
    seen: set[str | None] = set()
    add = seen.add
    kept = array("l")
    keep = kept.append
    for p, key in zip(rows.positions, rows.keys(), strict=True):
        if key not in seen:
            add(key)
            keep(p)
    return ContributionRows(rows.columns, kept)


def _tidy(value: Decimal) -> Decimal:
    """A sum without the trailing zeros its terms brought (``852.0`` → ``852``), never exponent."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@exact
def _aggregate(metric: MetricDef, rows: ContributionRows) -> Number:
    if metric.aggregate == "sum":
        total = rows.total()
        if isinstance(total, Decimal) or metric.value_kind in ("yuan", "mu", "number"):
            total = _tidy(Decimal(total))
        return total
    if metric.aggregate == "distinct":
        return len(set(rows.keys()))
    return len(rows)


class _Provenance:
    """The record ids behind a result, listed when first read.

    Holds the contributions (never changed once made); listing them is each
    record once, in order of first contribution, over the parts in turn.
    """

    __slots__ = ("parts",)

    def __init__(self, *parts: ContributionRows) -> None:
        self.parts = parts

    def ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(chain.from_iterable(rows.records() for rows in self.parts)))


@frozen
class MetricResult:
    """A computed figure and the records behind it."""

    id: str
    label: str
    unit: str
    value: Number | None
    """The figure; None for a rate or an average whose denominator is zero (a
    per-enterprise figure without enterprises, a median without values)."""
    provenance: tuple[str, ...]
    """Ids of the records counted or summed, in ledger order of first contribution."""
    numerator: Number | None = None
    """Of a rate or an average: the numerator's figure; of a per-enterprise figure: the
    figure divided (None otherwise)."""
    denominator: Number | None = None
    """Of a rate or an average: the denominator's figure; of a per-enterprise figure: the
    number of enterprises (None otherwise)."""
    value_kind: str = "count"
    """The metric's :attr:`~campaignkit.rules.records.MetricDef.result_kind`: ``count``,
    ``yuan``, ``mu``, ``number``, ``rate``, ``average``, ``per_enterprise`` or ``median``."""

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


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def as_date(value: object, what: str = "as_of") -> date | None:
    """``value`` as a date: a :class:`~datetime.date` as it is, a
    :class:`~datetime.datetime` (a pandas ``Timestamp`` too) its date, a ``YYYY-MM-DD``
    string the date it writes, None as it is. Anything else is a ``TypeError``, a string
    that is no such date a ``ValueError``, each naming ``what`` and what was given."""
    if value is None:
        return None
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if _ISO_DAY.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"{what}: expected a date written YYYY-MM-DD, got {value!r}")
    raise TypeError(
        f"{what}: expected a date (datetime.date, datetime, pandas Timestamp or a"
        f" 'YYYY-MM-DD' string), got {type(value).__name__} {value!r:.40}"
    )


def context_of(
    source: object,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    what: str = "source",
) -> MetricContext:
    """The context a figure or a table of ``source`` is computed over.

    A :class:`~campaignkit.model.ledger.Ledger` gets one as of ``as_of`` (the report date
    by default: :func:`make_context`); a :class:`~campaignkit.workspace.Workspace` one of
    its ledger that reads the shapes it derived; a :class:`MetricContext` is used as it is.
    A context brings its own date: ``as_of`` naming another date is a ``ValueError``
    (``make_context(ledger, as_of=…)`` makes a context as of that date). Anything else is
    a ``TypeError`` naming the types accepted; ``what`` names the argument in both."""
    day = as_date(as_of)
    if isinstance(source, MetricContext):
        if day is not None and day != source.as_of:
            raise ValueError(
                f"as_of={day.isoformat()} given with a MetricContext as of"
                f" {source.as_of.isoformat()}: a context brings its own date; pass the"
                " ledger or workspace with as_of, or make_context(ledger, as_of=...) for a"
                " context as of another date"
            )
        return source
    if isinstance(source, Workspace):
        return make_context(source.ledger, manager=manager, as_of=day, workspace=source)
    if isinstance(source, Ledger):
        return make_context(source, manager=manager, as_of=day)
    read = isinstance(source, str | PurePath)
    hint = " (a file is read first: campaignkit.load_workspace(path))" if read else ""
    raise TypeError(
        f"{what}: expected a Ledger, a Workspace or a MetricContext, got"
        f" {type(source).__name__}{hint}"
    )


def metric_id_list(metric_ids: Iterable[str], what: str = "metrics") -> list[str]:
    """``metric_ids`` as a list; a single string (which would be read letter by letter)
    is a ``TypeError`` saying to put it in a list."""
    if isinstance(metric_ids, str):
        raise TypeError(
            f"{what}: expected a list of metric ids, got the string {metric_ids!r}"
            f" (one metric is [{metric_ids!r}])"
        )
    return list(metric_ids)


def make_context(
    ledger: Ledger,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    workspace: Workspace | None = None,
) -> MetricContext:
    """A context for ``ledger``: its campaign type from ``manager``, as of the report date.

    With ``workspace`` (holding this ledger) its campaign type and the shapes it
    derived once are used.

    ``as_of`` defaults to the campaign's ``report_date``, else the end of its period; a
    datetime or pandas ``Timestamp`` counts as its date, a ``YYYY-MM-DD`` string as the
    date it writes (anything else: :func:`as_date`'s error).
    Figures are those known on that day: activities and outcomes dated after
    it, issues raised after it and events after it do not count.
    """
    if not isinstance(ledger, Ledger):
        raise TypeError(f"make_context: expected a Ledger, got {type(ledger).__name__}")
    if workspace is not None and workspace.ledger is not ledger:
        raise ValueError("the workspace holds another ledger")
    pm = manager or (workspace.manager if workspace else None) or get_plugin_manager()
    ctype = workspace.campaign_type if workspace else pm.campaign_type(ledger.campaign.type)
    day = as_date(as_of) or ledger.campaign.report_date or ledger.campaign.period.end
    return MetricContext(
        ledger=known_on(ledger, day),
        campaign_type=ctype,
        as_of=day,
        manager=pm,
        workspace=workspace,
    )


def known_on(ledger: Ledger, day: date) -> Ledger:
    """The ledger without the activities, issues and outcomes dated after ``day``.

    Returns ``ledger`` itself when nothing is later (the common case), so its
    indexes are reused. Issue events are cut at ``day`` when states are replayed.
    ``day`` is read as :func:`as_date` reads it.
    """
    day = cast(date, as_date(day, "day"))
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


def _contributions(ctx: MetricContext, metric: MetricDef) -> ContributionRows:
    """A metric's contributions, in crediting order (once per context)."""
    if metric.contributions is None:
        raise ValueError(f"metric {metric.id!r} is a rate; it has no contributions")
    produce = metric.contributions

    def build() -> ContributionRows:
        with _blamed(ctx, metric):
            return _ordered(as_rows(produce(ctx)))

    rows: ContributionRows = ctx.memo("contrib:" + metric.id, build)
    return rows


@contextmanager
def _blamed(ctx: MetricContext, metric: MetricDef) -> Iterator[None]:
    """A metric that raises, or gives what is not a contribution, becomes a
    :class:`~campaignkit.errors.PluginError` naming the metric and the plugin that
    registered it (or its campaign type); a metric no plugin registered raises as it is,
    and so does a failure raised in another plugin's own code (a calendar the metric
    asked, say): that plugin's, which :meth:`PluginManager.culprit
    <campaignkit.hooks.manager.PluginManager.culprit>` names."""
    try:
        yield
    except CampaignkitError:
        raise
    except Exception as exc:
        pm = ctx.manager or get_plugin_manager()
        key = ctx.campaign_type.key
        # the plugin whose record this metric is, for this type; else the type's owner
        # (the type's own metric, kept beside a plugin's of the same id)
        hook = "campaignkit_metrics"
        owner = (
            pm.owner(hook, metric.id, key)
            if pm.record(hook, metric.id, key) is metric
            else pm.owner("campaignkit_campaign_types", key)
        )
        if owner is None:
            raise
        culprit = pm.culprit(exc)
        if culprit is not None and culprit[0] != owner:
            raise
        raise PluginError(
            Phrase(
                "metric-failed",
                {
                    "metric": repr(metric.id),
                    "plugin": repr(owner),
                    "why": f"{type(exc).__name__}: {exc}",
                },
            )
        ) from exc


RATE_STEP = Decimal("0.0001")
"""Rates are rounded half-up to four decimals (two as a percentage: ``98.11%``)."""

AVERAGE_STEP = Decimal("0.01")
"""Averages, per-enterprise figures and medians are rounded half-up to two decimals."""


@exact
def _ratio(num: Number, den: Number, step: Decimal = RATE_STEP) -> Decimal | None:
    if den == 0:
        return None
    return (Decimal(num) / Decimal(den)).quantize(step, rounding=ROUND_HALF_UP)


@exact
def _median(values: Iterable[Number]) -> Decimal | None:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    middle = Decimal(ordered[n // 2])
    if n % 2 == 0:
        middle = (Decimal(ordered[n // 2 - 1]) + middle) / 2
    return middle.quantize(AVERAGE_STEP, rounding=ROUND_HALF_UP)


def _result(
    ctx: MetricContext, metric: MetricDef, items: ContributionRows | None, lang: str
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


@exact
def compute(
    ledger: Ledger | Workspace | MetricContext,
    metric_id: str,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> MetricResult:
    """Compute one metric of the ledger's campaign type, with provenance."""
    ctx = context_of(ledger, manager=manager, as_of=as_of)
    metric = ctx.campaign_type.metric(metric_id)
    return _derived(ctx, metric, lang) if metric.is_derived else _result(ctx, metric, None, lang)


@exact
def compute_all(
    ledger: Ledger | Workspace | MetricContext,
    metric_ids: Iterable[str] | None = None,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> dict[str, MetricResult]:
    """Compute several metrics (default: all of the campaign type) in definition order."""
    ctx = context_of(ledger, manager=manager, as_of=as_of)
    ids = (
        [m.id for m in ctx.campaign_type.metrics]
        if metric_ids is None
        else metric_id_list(metric_ids, "metric_ids")
    )
    return {mid: compute(ctx, mid, lang=lang) for mid in ids}


# -- breakdowns ------------------------------------------------------------------


class Dimension:
    """A single-valued dimension: the row key of a contribution from one of its fields.

    Called as ``dimension(ctx, contribution)`` it is a dimension function like
    any other (the row key in a tuple, or nothing). The engine also asks it for
    the row keys of whole columns at once (:meth:`column`): ``key`` is then called
    once per distinct value of the field. Any callable of the same shape
    (possibly giving several keys, like ``class``) is a dimension too, asked
    once per contribution.
    """

    __slots__ = ("field", "key")

    def __init__(self, field: str, key: Callable[[MetricContext, Any], str | None]) -> None:
        self.field = field
        self.key = key

    def __call__(self, ctx: MetricContext, c: Contribution) -> Iterable[str]:
        found = self.key(ctx, getattr(c, self.field))
        return (found,) if found else ()

    def column(self, ctx: MetricContext, columns: ContributionColumns) -> list[str]:
        """The row key of every contribution of ``columns`` (``_unassigned`` for none)."""
        found = columns.row_keys.get(self)
        if found is None:
            values = getattr(columns, self.field)
            if values is None:
                key = self.key(ctx, None) or UNASSIGNED
                found = [key] * len(columns)
            else:
                row_key = self.key
                keys = {v: row_key(ctx, v) or UNASSIGNED for v in set(values)}
                found = list(map(keys.__getitem__, values))
            columns.row_keys[self] = found
        return found


def _own(_: MetricContext, value: str | None) -> str | None:
    return value


def _county(ctx: MetricContext, region: str | None) -> str | None:
    return ctx.ledger.county_of(region)


COUNTY = Dimension("region", _county)
"""The ``region`` dimension: the county/district or zone a contribution's region lies in
(:meth:`~campaignkit.model.ledger.Ledger.county_of`); a city-level region lies in none,
so its contributions are unassigned (the 市级及全市 row). Tables ask it too, so that a
record's county is the one the metrics credit."""


def _month(_: MetricContext, day: date | None) -> str | None:
    return day.strftime("%Y-%m") if day else None


def _dim_class(ctx: MetricContext, c: Contribution) -> Iterable[str]:
    """The class a contribution counts in, else every class of its enterprise."""
    if c.enterprise_class is not None:
        return (c.enterprise_class,)
    ent = ctx.ledger.enterprise_index.get(c.enterprise) if c.enterprise else None
    return ent.classes if ent else ()


DIMENSIONS: dict[str, Callable[[MetricContext, Contribution], Iterable[str]]] = {
    "team": Dimension("team", _own),
    "region": COUNTY,
    "class": _dim_class,
    "category": Dimension("category", _own),
    "channel": Dimension("channel", _own),
    "level": Dimension("level", _own),
    "month": Dimension("day", _month),
}
"""Dimensions a metric can be broken down by. ``class`` is multi-valued: an
enterprise in two classes counts in both rows, so those rows need not add up (a
contribution that counts one class alone, its ``enterprise_class``, is in that row only)."""


def _dimension(by: str) -> Callable[[MetricContext, Contribution], Iterable[str]]:
    if not isinstance(by, str):
        raise TypeError(
            f"a dimension is one name ({', '.join(DIMENSIONS)}), got {type(by).__name__}"
            f" {by!r:.40}; two at once are a crosstab"
        )
    try:
        return DIMENSIONS[by]
    except KeyError:
        raise ValueError(f"unknown dimension {by!r} (known: {', '.join(DIMENSIONS)})") from None


class BreakdownError(CampaignkitError, ValueError):
    """A metric asked to be broken down by a dimension its figure is not divided along
    (a campaign's target counties by team or by month)."""


def _deciders(ctype: CampaignType, metric: MetricDef) -> list[tuple[str | None, MetricDef]]:
    """The metrics whose :attr:`~MetricDef.dimensions` decide ``metric``'s: itself, then
    (under their roles) the metrics it is taken over."""
    found: list[tuple[str | None, MetricDef]] = [(None, metric)]
    if metric.is_derived:
        for role, ref in (("numerator", metric.numerator), ("denominator", metric.denominator)):
            if ref is not None:
                found.append((role, ctype.metric(ref)))
    return found


def dimensions_of(ctype: CampaignType, metric_id: str) -> tuple[str, ...]:
    """The dimensions metric ``metric_id`` of ``ctype`` can be broken down by, in the order
    of :data:`DIMENSIONS`: those it declares (every one when it declares none), and of a
    figure taken over other metrics only those they all allow too."""
    deciders = _deciders(ctype, ctype.metric(metric_id))
    return tuple(
        by
        for by in DIMENSIONS
        if all(m.dimensions is None or by in m.dimensions for _, m in deciders)
    )


def _divided(ctx: MetricContext, metric: MetricDef, by: str) -> None:
    """Refuse to break ``metric`` down by ``by`` unless it and every metric it is taken over
    can be (:func:`dimensions_of`)."""
    ctype = ctx.campaign_type
    for role, m in _deciders(ctype, metric):
        if m.dimensions is None or by in m.dimensions:
            continue
        allowed: object = ", ".join(dimensions_of(ctype, metric.id)) or Phrase(
            "breakdown.no-dimension"
        )
        words = {"metric": metric.id, "label": metric.label, "by": by, "allowed": allowed}
        if role is None:
            raise BreakdownError(Phrase("breakdown.not-divided", words))
        raise BreakdownError(
            Phrase(
                "breakdown.part-not-divided",
                {**words, "role": Phrase("metric." + role), "part": m.id, "part_label": m.label},
            )
        )


def _row_counts(column: Sequence[str], positions: Sequence[int]) -> Counter[str]:
    """How many of ``positions`` each row key of ``column`` has, in order of first position."""
    if type(positions) is range and positions == range(len(column)):
        return Counter(column)  # every position: no lookup per position
    return Counter(map(column.__getitem__, positions))


def _grouped(
    ctx: MetricContext,
    rows: ContributionRows,
    dim: Callable[[MetricContext, Contribution], Iterable[str]],
) -> dict[str, ContributionRows]:
    """The contributions of each row key of ``dim``, in order of first contribution;
    those without a key go to ``_unassigned``, those with several to each of them."""
    columns = rows.columns
    positions = rows.positions
    if isinstance(dim, Dimension):  # one key each, from a column: rows split when read
        column = dim.column(ctx, columns)
        split = _Split(column, positions)
        return {
            key: ContributionRows(columns, split=split, row=key, count=n)
            for key, n in _row_counts(column, positions).items()
        }
    groups: dict[str, array[int]] = {}
    for p in positions:
        for key in dict.fromkeys(dim(ctx, columns.contribution(p))) or (UNASSIGNED,):
            group = groups.get(key)
            if group is None:
                groups[key] = array("l", (p,))
            else:
                group.append(p)
    return {key: ContributionRows(columns, group) for key, group in groups.items()}


def group_contributions(
    ctx: MetricContext, items: Iterable[Contribution], by: str
) -> dict[str, Sequence[Contribution]]:
    """Group contributions by a dimension; those without a value go to ``_unassigned``."""
    return dict(_grouped(ctx, as_rows(items), _dimension(by)))


_WITH_PARTS = ("rate", "average", "per_enterprise")
"""Value kinds whose results carry a numerator and a denominator."""


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
    """True when the rows add up to the total (every dimension but ``class``, and never for
    a figure taken over other metrics: rates, averages, per-enterprise figures, medians)."""
    lang: str = "zh"

    def to_rows(self, *, include_total: bool = True) -> list[dict[str, Any]]:
        """Plain rows (list of dicts) for notebooks and CSV.

        Each row is ``{by: label, "key": key, metric: value, "records": n}``;
        rates, averages and per-enterprise figures add ``"numerator"`` and
        ``"denominator"``. The total row comes last, keyed ``_total``.
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
            if result.value_kind in _WITH_PARTS:
                record["numerator"] = result.numerator
                record["denominator"] = result.denominator
            out.append(record)
        return out

    def to_dataframe(self, *, include_total: bool = True, exact: bool = False) -> pandas.DataFrame:
        """The breakdown as a pandas DataFrame indexed by row label (needs the ``pandas``
        extra). Its figures are numeric columns (see :func:`numeric_frame`: floats, or
        exact decimals with ``exact=True``)."""
        pd = import_pandas("Breakdown.to_dataframe")
        rows = self.to_rows(include_total=include_total)
        frame: pandas.DataFrame = pd.DataFrame(rows, dtype=object)  # blanks stay None
        return numeric_frame(frame, exact=exact).set_index(self.by)


def numeric_frame(frame: pandas.DataFrame, *, exact: bool = False) -> pandas.DataFrame:
    """``frame`` with its columns of figures made numeric: a column of whole numbers (and
    blanks) becomes ``Int64``; one holding a ``Decimal`` (money, land, rates, averages)
    becomes ``float64``, ready to plot and divide, or with ``exact=True`` an exact Arrow
    ``decimal128(38, 6)`` (needs ``pyarrow``, which the ``pandas`` extra installs). Other
    columns (labels, record lists) are left as they are."""
    pd = import_pandas("numeric_frame")
    out = frame.copy()
    for name in out.columns:
        values = [v for v in out[name] if v is not None]
        if not values or not all(type(v) is int or isinstance(v, Decimal) for v in values):
            continue
        column = list(out[name])
        if all(type(v) is int for v in values):
            out[name] = pd.Series(column, dtype="Int64", index=out.index)
        elif exact:
            dtype = pd.ArrowDtype(exact_decimal_type("exact=True"))
            out[name] = pd.Series(
                [None if v is None else Decimal(v) for v in column], dtype=dtype, index=out.index
            )
        else:
            floats = [None if v is None else float(v) for v in column]
            out[name] = pd.Series(floats, dtype="float64", index=out.index)
    return out


def exact_decimal_type(what: str) -> Any:
    """The Arrow type that holds money and land exactly: ``decimal128(38, 6)``, six places
    (all a ledger's amounts may have, :data:`~campaignkit.model.limits.MAX_PLACES`) and 32
    digits before the point (the largest amount has 17: sums of many stay exact). Needs
    ``pyarrow`` (the ``pandas`` extra); ``what`` names the caller in the error when it is
    missing."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"{what} needs pyarrow: pip install 'campaignkit[pandas]'") from exc
    return pa.decimal128(38, MAX_PLACES)


def import_pandas(what: str) -> Any:
    """Import pandas on demand, with an error that says how to install it."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"{what} needs pandas: pip install 'campaignkit[pandas]'") from exc
    return pd


def dimension_label(ctx: MetricContext, by: str, key: str, lang: str = "zh") -> str:
    """Human label of a dimension value (team name, region name, category label …).

    A team or region whose name another one has too is told apart by its id or code:
    ``第一小组（T2）``."""
    if key == UNASSIGNED:
        if by == "team":
            return "工作组统筹" if lang == "zh" else "whole group"
        if by == "region":
            return "市级及全市" if lang == "zh" else "city-wide"
        return "未分配" if lang == "zh" else "unassigned"
    ctype = ctx.campaign_type
    if by == "team":
        team = ctx.ledger.team_index.get(key)
        if team is None:
            return key
        return _told_apart(team.name, key, ctx.ledger.shared_team_names, lang)
    if by == "region":
        name = ctx.ledger.region_name(key)
        return _told_apart(name, key, ctx.ledger.shared_region_names, lang)
    if by == "class":
        return ctype.label_of("enterprise_classes", key, lang)
    if by == "category":
        return ctype.label_of("issue_categories", key, lang)
    if by == "channel":
        return ctype.label_of("issue_channels", key, lang)
    if by == "level":
        return ctype.policy.level_label(key, lang)
    return key


def _told_apart(name: str, key: str, shared: frozenset[str], lang: str) -> str:
    if name not in shared:
        return name
    return f"{name}（{key}）" if lang == "zh" else f"{name} ({key})"


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


def _items(ctx: MetricContext, metric: MetricDef, credited: bool) -> ContributionRows:
    """A metric's contributions, or (``credited``) those that first credit each distinct key."""
    rows = _contributions(ctx, metric)
    if not credited:
        return rows
    found: ContributionRows = ctx.memo("credited:" + metric.id, lambda: _credited(rows))
    return found


def _groups(
    ctx: MetricContext, metric: MetricDef, by: str, credited: bool
) -> dict[str, ContributionRows]:
    """:func:`_grouped` of :func:`_items`, once per context and dimension."""
    dim = _dimension(by)
    name = f"groups:{metric.id}:{by}:{int(credited)}"
    found: tuple[object, dict[str, ContributionRows]] | None = ctx._cache.get(name)
    if found is None or found[0] is not dim:  # a dimension replaced since: group again
        items = _items(ctx, metric, credited)
        found = ctx._cache[name] = (dim, build_paused(lambda: _grouped(ctx, items, dim)))
    return found[1]


def _parts(ctx: MetricContext, metric: MetricDef) -> tuple[MetricDef, MetricDef]:
    assert metric.numerator is not None and metric.denominator is not None
    ctype = ctx.campaign_type
    return ctype.metric(metric.numerator), ctype.metric(metric.denominator)


def _over(ctx: MetricContext, metric: MetricDef) -> MetricDef:
    """The metric a per-enterprise figure or a median is taken over (its numerator)."""
    assert metric.numerator is not None
    return ctx.campaign_type.metric(metric.numerator)


def _derived(ctx: MetricContext, metric: MetricDef, lang: str) -> MetricResult:
    """A figure taken over other metrics: a rate, an average, per enterprise, a median."""
    if metric.result_kind in ("rate", "average"):
        return _rate(ctx, metric, lang)
    over = _over(ctx, metric)
    rows = _contributions(ctx, over)
    with _blamed(ctx, metric):
        return _taken_over(metric, over, rows, lang)


def _rate(ctx: MetricContext, metric: MetricDef, lang: str) -> MetricResult:
    num_m, den_m = _parts(ctx, metric)
    num = _contributions(ctx, num_m)
    den = _contributions(ctx, den_m)
    with _blamed(ctx, metric):
        return _rate_of(metric, num_m, num, den_m, den, lang)


def _rate_of(
    metric: MetricDef,
    num_m: MetricDef,
    num_rows: ContributionRows,
    den_m: MetricDef,
    den_rows: ContributionRows,
    lang: str,
) -> MetricResult:
    """A rate or an average: the numerator's figure over the denominator's."""
    if num_m.aggregate == "distinct":
        num_rows = _credited(num_rows)
    if den_m.aggregate == "distinct":
        den_rows = _credited(den_rows)
    num = _aggregate(num_m, num_rows)
    den = _aggregate(den_m, den_rows)
    kind = metric.result_kind
    return MetricResult(
        metric.id,
        metric.label.get(lang),
        metric.unit.get(lang),
        _ratio(num, den, RATE_STEP if kind == "rate" else AVERAGE_STEP),
        cast(tuple[str, ...], _Provenance(num_rows, den_rows)),
        num,
        den,
        kind,
    )


def _rates_of(
    ctx: MetricContext,
    metric: MetricDef,
    nums: Mapping[_K, ContributionRows],
    dens: Mapping[_K, ContributionRows],
    lang: str,
) -> dict[_K, MetricResult]:
    """A rate or an average for each row (or cell) of a breakdown: over the row's own
    numerator and denominator contributions. There is a row wherever either has
    contributions (the denominator's rows first): a numerator's row without a
    denominator is shown (its figure None), never dropped."""
    num_m, den_m = _parts(ctx, metric)
    no_num = ContributionRows(_contributions(ctx, num_m).columns, ())
    no_den = ContributionRows(_contributions(ctx, den_m).columns, ())
    with _blamed(ctx, metric):  # a row's figure is over the row's own contributions
        return {
            key: _rate_of(metric, num_m, nums.get(key, no_num), den_m, dens.get(key, no_den), lang)
            for key in dict.fromkeys(chain(dens, nums))
        }


def _taken_over(
    metric: MetricDef, over: MetricDef, rows: ContributionRows, lang: str
) -> MetricResult:
    """A per-enterprise figure or a median, over some contributions of ``over``."""
    if over.aggregate == "distinct":
        rows = _credited(rows)
    kind = metric.result_kind
    numerator: Number | None = None
    denominator: Number | None = None
    if kind == "per_enterprise":
        numerator = _aggregate(over, rows)
        enterprises = rows.columns.enterprise
        named = set() if enterprises is None else set(map(enterprises.__getitem__, rows.positions))
        named.discard(None)
        denominator = len(named)
        value = _ratio(numerator, denominator, AVERAGE_STEP)
    else:  # a median of the values
        values = rows.columns.value
        value = _median(
            repeat(1, len(rows)) if values is None else map(values.__getitem__, rows.positions)
        )
    return MetricResult(
        metric.id,
        metric.label.get(lang),
        metric.unit.get(lang),
        value,
        cast(tuple[str, ...], _Provenance(rows)),
        numerator,
        denominator,
        kind,
    )


@exact
def breakdown(
    ledger: Ledger | Workspace | MetricContext,
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
    dimensions the rows' values add up to the total. A rate's or an average's row is over
    the row's own numerator and denominator contributions.

    A metric broken down by a dimension it is not divided along (:func:`dimensions_of`:
    coverage of the campaign's target counties by team or by month) is refused with a
    :class:`BreakdownError`, never given rows that would not say what the total says.
    """
    ctx = context_of(ledger, manager=manager, as_of=as_of)
    metric = ctx.campaign_type.metric(metric_id)
    _dimension(by)
    _divided(ctx, metric, by)
    if metric.is_derived:
        total = _derived(ctx, metric, lang)
        rows_r: dict[str, MetricResult]
        if metric.result_kind in ("rate", "average"):
            num_m, den_m = _parts(ctx, metric)
            nums, dens = _groups(ctx, num_m, by, False), _groups(ctx, den_m, by, False)
            rows_r = _rates_of(ctx, metric, nums, dens, lang)
        else:
            over = _over(ctx, metric)
            groups_o = _groups(ctx, over, by, False)
            with _blamed(ctx, metric):
                rows_r = {key: _taken_over(metric, over, g, lang) for key, g in groups_o.items()}
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
    results = {key: _result(ctx, metric, group, lang) for key, group in groups.items()}
    ordered = _order_keys(ctx, by, results, keep_empty)
    rows = []
    empty = ContributionRows(_contributions(ctx, metric).columns, ())
    for key in ordered:
        result = results[key] if key in results else _result(ctx, metric, empty, lang)
        rows.append(BreakdownRow(key, dimension_label(ctx, by, key, lang), result))
    total = _result(ctx, metric, None, lang)
    return Breakdown(metric_id, by, tuple(rows), total, by != "class", lang)


@frozen
class CrossTab:
    """A metric broken down by two dimensions at once (team × category, county × month …):
    one :class:`MetricResult` per cell, worked out over that cell's own records as
    :func:`breakdown` works out a row, with the one-way breakdowns as its margins."""

    metric: str
    rows_by: str
    columns_by: str
    rows: tuple[tuple[str, str], ...]
    """The row keys with their labels, in the dimension's order (only rows with records)."""
    columns: tuple[tuple[str, str], ...]
    """The column keys with their labels, likewise."""
    cells: Mapping[tuple[str, str], MetricResult]
    """The result of each (row key, column key) that has records."""
    row_totals: Breakdown
    """The metric by the rows' dimension alone."""
    column_totals: Breakdown
    """The metric by the columns' dimension alone."""
    lang: str = "zh"

    def value(self, row: str, column: str) -> Number | None:
        """The value of a cell; 0 for a count or a sum over no records, None for a figure
        taken over others (a rate of nothing)."""
        found = self.cells.get((row, column))
        if found is not None:
            return found.value
        return (
            None if self.row_totals.total.value_kind not in ("count", "yuan", "mu", "number") else 0
        )

    def to_dataframe(self, *, totals: bool = True, exact: bool = False) -> pandas.DataFrame:
        """The table as a pandas DataFrame: a row per row label, a column per column label,
        numeric (see :func:`numeric_frame`); with ``totals`` a 合计/Total row and column
        from the one-way breakdowns (needs the ``pandas`` extra)."""
        pd = import_pandas("CrossTab.to_dataframe")
        total_word = "Total" if self.lang == "en" else "合计"
        records: list[dict[str, Any]] = []
        by_row = {r.key: r.result.value for r in self.row_totals.rows}
        for key, label in self.rows:
            record: dict[str, Any] = {self.rows_by: label}
            for column, heading in self.columns:
                record[heading] = self.value(key, column)
            if totals:
                record[total_word] = by_row.get(key)
            records.append(record)
        if totals:
            by_column = {r.key: r.result.value for r in self.column_totals.rows}
            last: dict[str, Any] = {self.rows_by: total_word}
            for column, heading in self.columns:
                last[heading] = by_column.get(column)
            last[total_word] = self.row_totals.total.value
            records.append(last)
        frame: pandas.DataFrame = numeric_frame(pd.DataFrame(records, dtype=object), exact=exact)
        return frame.set_index(self.rows_by)


def crosstab(
    ledger: Ledger | Workspace | MetricContext,
    metric_id: str,
    rows: str,
    columns: str,
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> CrossTab:
    """Break a metric down by two dimensions (any of :func:`breakdown`'s): each cell is the
    metric over the records in both its row and its column (a rate or an average over the
    cell's own numerator and denominator records). For additive metrics and dimensions a
    row's cells add up to the row's one-way figure. Refuses, as :func:`breakdown` does, a
    dimension the metric is not divided along."""
    ctx = context_of(ledger, manager=manager, as_of=as_of)
    metric = ctx.campaign_type.metric(metric_id)
    by_rows = _dimension(rows)
    _dimension(columns)
    _divided(ctx, metric, rows)
    _divided(ctx, metric, columns)

    def split(m: MetricDef, credited: bool) -> dict[tuple[str, str], ContributionRows]:
        out: dict[tuple[str, str], ContributionRows] = {}
        for column, group in _groups(ctx, m, columns, credited).items():
            for row, cell in _grouped(ctx, group, by_rows).items():
                out[(row, column)] = cell
        return out

    cells: dict[tuple[str, str], MetricResult]
    if metric.is_derived and metric.result_kind in ("rate", "average"):
        num_m, den_m = _parts(ctx, metric)
        cells = _rates_of(ctx, metric, split(num_m, False), split(den_m, False), lang)
    elif metric.is_derived:
        over = _over(ctx, metric)
        with _blamed(ctx, metric):
            cells = {k: _taken_over(metric, over, g, lang) for k, g in split(over, False).items()}
    else:
        credited = metric.aggregate == "distinct"
        cells = {k: _result(ctx, metric, g, lang) for k, g in split(metric, credited).items()}
    row_keys = _order_keys(ctx, rows, {r: True for r, _ in cells}, False)
    column_keys = _order_keys(ctx, columns, {c: True for _, c in cells}, False)
    return CrossTab(
        metric_id,
        rows,
        columns,
        tuple((k, dimension_label(ctx, rows, k, lang)) for k in row_keys),
        tuple((k, dimension_label(ctx, columns, k, lang)) for k in column_keys),
        cells,
        breakdown(ctx, metric_id, rows, lang=lang),
        breakdown(ctx, metric_id, columns, lang=lang),
        lang,
    )


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
