"""Building blocks for metric definitions: contributions from activities, issues, outcomes.

A campaign-type plugin defines most metrics in one line each::

    MetricDef(id="symposiums", label=..., unit=...,
              contributions=activities_of("symposium"))

Every builder returns a function of a :class:`~campaignkit.stats.metrics.MetricContext`
that yields :class:`~campaignkit.stats.metrics.Contribution` objects.

The builders give :class:`~campaignkit.stats.metrics.ContributionRows`, the
engine's one representation of contributions (a plugin's own function may give
any iterable of contributions instead). Issue contributions are built once per
context, in one pass, as columns by issue position shared by every issue
metric. An issue predicate that is a :class:`StateTest` answers for every
issue at once from the states by position; any other predicate is called once
per issue.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import compress
from operator import attrgetter, itemgetter
from typing import cast

from campaignkit.model.records import Activity, Issue, Outcome, OutcomeStatus
from campaignkit.rules.lifecycle import IssueState
from campaignkit.stats.metrics import (
    Contribution,
    ContributionColumns,
    ContributionRows,
    MetricContext,
    issue_columns,
    issue_columns_of,
)

__all__ = [
    "ACHIEVED",
    "Contributions",
    "activities_of",
    "activity_contribution",
    "activity_enterprises",
    "activity_figure",
    "issue_contribution",
    "issues_where",
    "outcome_contribution",
    "outcome_values",
    "outcomes_of",
]

Contributions = Callable[[MetricContext], Iterable[Contribution]]
ACHIEVED: frozenset[OutcomeStatus] = frozenset({OutcomeStatus.SIGNED, OutcomeStatus.LANDED})
"""Outcome statuses that count as achieved (signed or landed)."""


def _activities(ctx: MetricContext, kinds: Iterable[str]) -> Iterator[Activity]:
    by_kind = ctx.ledger.activities_by_kind
    for kind in kinds:
        yield from by_kind.get(kind, ())


_new = tuple.__new__
"""``_new(Contribution, (every field))``: a contribution without a Python-level call."""
_NO_MORE = (None,) * (len(Contribution._fields) - 6)
"""The fields of an activity's contribution after its date: none set."""


def activity_contribution(
    a: Activity, value: int | Decimal = 1, key: str | None = None
) -> Contribution:
    """The contribution of activity ``a`` (adding ``value``, counted once per ``key``):
    its own team, region and date."""
    return _new(Contribution, (a.id, value, key, a.team, a.region, a.date, *_NO_MORE))


_ID = attrgetter("id")
_TEAM = attrgetter("team")
_REGION = attrgetter("region")
_DATE = attrgetter("date")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def activities_of(
    *kinds: str,
    value: Callable[[Activity], int | Decimal] | None = None,
    distinct: Callable[[Activity], str] | None = None,
    where: Callable[[Activity], bool] | None = None,
) -> Contributions:
    """One contribution per activity of ``kinds``.

    ``value`` gives what it adds (default 1: counting); ``distinct`` gives the
    key counted once (e.g. the subject visited); ``where`` filters.
    """

    def contributions(ctx: MetricContext) -> ContributionRows:
        kept: list[Activity] = []
        values: list[int | Decimal] | None = [] if value else None
        keys: list[str | None] | None = [] if distinct else None
        if value is None and distinct is None and where is None:
            kept = list(_activities(ctx, kinds))
        else:  # each called once per activity, in order: where, then value, then distinct
            for a in _activities(ctx, kinds):
                if where is None or where(a):
                    kept.append(a)
                    if values is not None and value is not None:
                        values.append(value(a))
                    if keys is not None and distinct is not None:
                        keys.append(distinct(a))
        columns = ContributionColumns(
            list(map(_ID, kept)),
            value=values,
            key=keys,
            team=list(map(_TEAM, kept)),
            region=list(map(_REGION, kept)),
            day=list(map(_DATE, kept)),
        )
        return ContributionRows(columns)

    return contributions


def activity_enterprises(*kinds: str) -> Contributions:
    """One contribution per named enterprise taking part, keyed by enterprise (distinct)."""

    def contributions(ctx: MetricContext) -> ContributionRows:
        index = ctx.ledger.enterprise_index
        named = [(a, ent) for a in _activities(ctx, kinds) for ent in a.enterprises]
        held = list(map(_FIRST, named))
        enterprises = list(map(_SECOND, named))
        found = list(map(index.get, enterprises))
        columns = ContributionColumns(
            list(map(_ID, held)),
            key=enterprises,
            team=list(map(_TEAM, held)),
            region=[a.region if e is None else e.region for a, e in zip(held, found, strict=True)],
            day=list(map(_DATE, held)),
            enterprise=enterprises,
        )
        return ContributionRows(columns)

    return contributions


def activity_figure(name: str, *kinds: str) -> Contributions:
    """The figure ``name`` of each activity that carries it (of ``kinds``, or any kind)."""

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        source: Iterable[Activity] = _activities(ctx, kinds) if kinds else ctx.ledger.activities
        for a in source:
            value = a.figures.get(name)
            if value:
                yield activity_contribution(a, value)

    return contributions


def issue_contribution(ctx: MetricContext, issue: Issue) -> Contribution:
    """The contribution of one issue, with every dimension filled in.

    For an issue of the context's ledger, the one :func:`issue_contributions`
    has for it (built once for all of them: every issue metric asks again).
    """
    issues = ctx.ledger.issues
    positions: dict[int, int] = ctx.memo(
        "issue_positions", lambda: {id(i): n for n, i in enumerate(issues)}
    )
    n = positions.get(id(issue))  # by object: the context keeps its ledger's issues alive
    if n is None:
        state = ctx.issue_states().get(issue.id)
        return issue_columns_of(ctx, [issue], [state.level if state else None]).contribution(0)
    return issue_contributions(ctx)[n]


def issue_contributions(ctx: MetricContext) -> Sequence[Contribution]:
    """The contribution of every issue of the context's ledger, by position (built once)."""
    found: list[Contribution] = ctx.memo(
        "issue_contributions", lambda: list(ContributionRows(issue_columns(ctx)))
    )
    return found


class StateTest:
    """An issue predicate on derived states that can also answer for every issue at once.

    Calling it is the predicate ``where(ctx, issue)``, usable anywhere a
    predicate is. ``each(ctx, states)`` gives the same answers (anything
    true or false) for every issue of ``ctx.ledger``, in ledger order, from
    the states by position (``ctx.issue_state_list()``; on a plain context
    with unique issue ids a ``StateView`` of the metric engine, whose states
    are made when first read: the built-in predicates read its columns
    instead): :func:`issues_where` uses it.
    """

    __slots__ = ("each", "where")

    def __init__(
        self,
        where: Callable[[MetricContext, Issue], bool],
        each: Callable[[MetricContext, Sequence[IssueState]], Iterable[object]],
    ) -> None:
        self.where = where
        self.each = each

    def __call__(self, ctx: MetricContext, issue: Issue) -> bool:
        return self.where(ctx, issue)


def issues_where(
    where: Callable[[MetricContext, Issue], bool] | None = None,
    *,
    distinct: Callable[[Issue], str | None] | None = None,
    value: Callable[[MetricContext, Issue], int | Decimal | None] | None = None,
) -> Contributions:
    """One contribution per issue for which ``where(ctx, issue)`` holds (default: all).

    ``distinct`` gives the key counted once (e.g. the enterprise that raised
    the issue, for "enterprises that raised issues"); issues for which it
    returns None do not count. ``value`` gives what each issue adds to a ``sum``
    metric (default 1: counting), e.g. the working days it took to resolve
    (:func:`~campaignkit.stats.issue_metrics.working_days_to_resolve`); issues for which
    it returns None do not count. Each is called once per issue that holds, in order.
    """

    def contributions(ctx: MetricContext) -> ContributionRows:
        issues = ctx.ledger.issues
        columns = issue_columns(ctx)
        positions: Sequence[int]
        if where is None:
            positions = range(len(issues))
        else:
            held: Iterable[object]
            if isinstance(where, StateTest):
                held = where.each(ctx, cast("Sequence[IssueState]", ctx.issue_state_list()))
            else:
                held = (where(ctx, issue) for issue in issues)
            positions = array("l", compress(range(len(issues)), held))
        if value is not None:
            values: list[int | Decimal] = [0] * len(issues)
            valued = array("l")
            for p in positions:  # called once per issue that holds, in order
                found = value(ctx, issues[p])
                if found is not None:
                    values[p] = found
                    valued.append(p)
            columns = columns.with_values(values)
            positions = valued
        if distinct is None:
            return ContributionRows(columns, positions)
        keys: list[str | None] = [None] * len(issues)
        for p in positions:  # called once per issue that holds, in order
            keys[p] = distinct(issues[p])
        kept = array("l", [p for p in positions if keys[p] is not None])
        return ContributionRows(columns.with_keys(keys), kept)

    return contributions


def outcome_contribution(ctx: MetricContext, o: Outcome, value: int | Decimal = 1) -> Contribution:
    """The contribution of outcome ``o`` (adding ``value``): its team its own, else its
    activity's; its region its own, else its first enterprise's, else its activity's
    (the ``region`` dimension and the tables credit the county that region lies in)."""
    activity = ctx.ledger.activity_index.get(o.activity) if o.activity else None
    team = o.team or (activity.team if activity else None)
    enterprise = o.enterprises[0] if o.enterprises else None
    region = o.region
    if region is None and enterprise is not None:
        e = ctx.ledger.enterprise_index.get(enterprise)
        region = e.region if e else None
    if region is None and activity is not None:
        region = activity.region
    return Contribution(o.id, value, None, team, region, o.date, enterprise=enterprise)


def outcomes_of(*kinds: str, statuses: Container[OutcomeStatus] = ACHIEVED) -> Contributions:
    """One contribution per outcome of ``kinds`` whose status is in ``statuses``."""

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        by_kind = ctx.ledger.outcomes_by_kind
        for kind in kinds:
            for o in by_kind.get(kind, ()):
                if o.status in statuses:
                    yield outcome_contribution(ctx, o, 1)

    return contributions


def outcome_values(
    field: str, *kinds: str, statuses: Container[OutcomeStatus] = ACHIEVED
) -> Contributions:
    """The ``amount_yuan`` or ``land_mu`` of outcomes of ``kinds`` in ``statuses``."""
    if field not in ("amount_yuan", "land_mu"):
        raise ValueError(f"unknown outcome field {field!r}")

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        by_kind = ctx.ledger.outcomes_by_kind
        for kind in kinds:
            for o in by_kind.get(kind, ()):
                value = getattr(o, field)
                if o.status in statuses and value is not None:
                    yield outcome_contribution(ctx, o, value)

    return contributions
