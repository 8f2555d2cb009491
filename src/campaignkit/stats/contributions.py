"""Building blocks for metric definitions: contributions from activities, issues, outcomes.

A campaign-type plugin defines most metrics in one line each::

    MetricDef(id="symposiums", label=..., unit=...,
              contributions=activities_of("symposium"))

Every builder returns a function of a :class:`~campaignkit.stats.metrics.MetricContext`
that yields :class:`~campaignkit.stats.metrics.Contribution` objects.

Issue contributions are built once per context, in one pass, and held by
issue position. The built-in issue predicates (:class:`StateTest`) are
answered for every issue at once from the states by position; any other
predicate is called once per issue, as always.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import compress
from operator import attrgetter, itemgetter

from campaignkit.model.records import Activity, Issue, Outcome, OutcomeStatus
from campaignkit.rules.lifecycle import IssueState
from campaignkit.stats.metrics import (
    ColumnRows,
    Contribution,
    ContributionColumns,
    IssueRows,
    MetricContext,
    columnar,
    issue_contribution_list,
    positional,
    state_view,
)

__all__ = [
    "ACHIEVED",
    "Contributions",
    "activities_of",
    "activity_enterprises",
    "activity_figure",
    "issue_contribution",
    "issues_where",
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


def _act(a: Activity, value: int | Decimal = 1, key: str | None = None) -> Contribution:
    return _new(Contribution, (a.id, value, key, a.team, a.region, a.date, None, None, None, None))


_ID = attrgetter("id")
_TEAM = attrgetter("team")
_REGION = attrgetter("region")
_DATE = attrgetter("date")


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

    def contributions(ctx: MetricContext) -> Sequence[Contribution]:
        if not columnar(ctx):
            return [
                _act(a, value(a) if value else 1, distinct(a) if distinct else None)
                for a in _activities(ctx, kinds)
                if where is None or where(a)
            ]
        kept: list[Activity] = []
        values: list[int | Decimal] | None = [] if value else None
        keys: list[str | None] | None = [] if distinct else None
        if value is None and distinct is None and where is None:
            kept = list(_activities(ctx, kinds))
        else:  # each called on the same activities, in the same order, as the general path
            for a in _activities(ctx, kinds):
                if where is None or where(a):
                    kept.append(a)
                    if values is not None and value is not None:
                        values.append(value(a))
                    if keys is not None and distinct is not None:
                        keys.append(distinct(a))
        columns = ContributionColumns(
            list(map(_ID, kept)),
            list(map(_TEAM, kept)),
            list(map(_REGION, kept)),
            list(map(_DATE, kept)),
            value=values,
            key=keys,
        )
        return ColumnRows(columns, range(len(kept)))

    return contributions


def activity_enterprises(*kinds: str) -> Contributions:
    """One contribution per named enterprise taking part, keyed by enterprise (distinct)."""

    def contributions(ctx: MetricContext) -> list[Contribution]:
        get = ctx.ledger.enterprise_index.get
        return [
            _new(
                Contribution,
                (
                    a.id,
                    1,
                    ent,
                    a.team,
                    e.region if (e := get(ent)) is not None else a.region,
                    a.date,
                    None,
                    None,
                    ent,
                    None,
                ),
            )
            for a in _activities(ctx, kinds)
            for ent in a.enterprises
        ]

    return contributions


def activity_figure(name: str, *kinds: str) -> Contributions:
    """The figure ``name`` of each activity that carries it (of ``kinds``, or any kind)."""

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        source: Iterable[Activity] = _activities(ctx, kinds) if kinds else ctx.ledger.activities
        for a in source:
            value = a.figures.get(name)
            if value:
                yield _act(a, value)

    return contributions


def issue_contribution(ctx: MetricContext, issue: Issue) -> Contribution:
    """The contribution of one issue, with every dimension filled in.

    Built once per issue of the context's ledger (all of them at once, see
    :func:`issue_contributions`): every issue metric asks for it again.
    """
    issues = ctx.ledger.issues
    positions: dict[int, int] = ctx.memo(
        "issue_positions", lambda: {id(i): n for n, i in enumerate(issues)}
    )
    n = positions.get(id(issue))  # by object: the context keeps its ledger's issues alive
    if n is None:
        return _issue_contribution(ctx, issue)
    return issue_contributions(ctx)[n]


def issue_contributions(ctx: MetricContext) -> Sequence[Contribution]:
    """The contribution of every issue of the context's ledger, by position (built once)."""
    return issue_contribution_list(ctx)


def _issue_contribution(ctx: MetricContext, issue: Issue) -> Contribution:
    ledger = ctx.ledger
    enterprise = ledger.enterprise_index.get(issue.enterprise) if issue.enterprise else None
    activity = ledger.activity_index.get(issue.activity) if issue.activity else None
    team = issue.team or (activity.team if activity else None)
    region = enterprise.region if enterprise else (activity.region if activity else None)
    state = ctx.issue_states().get(issue.id)
    return Contribution(
        issue.id,
        1,
        None,
        team,
        region,
        issue.raised,
        issue.category,
        issue.channel,
        issue.enterprise,
        state.level if state else None,
    )


class StateTest:
    """An issue predicate on derived states that can also answer for every issue at once.

    Calling it is the predicate ``where(ctx, issue)``, usable anywhere a
    predicate is. ``each(ctx, states)`` gives the same answers (anything
    true or false) for every issue of ``ctx.ledger``, in ledger order, from
    the states by position (a ``StateView`` of the metric engine: the
    states of ``ctx.issue_state_list()``, never None there, made when first
    read; the built-in predicates read its columns instead):
    :func:`issues_where` uses it on a plain context with unique issue ids.
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


_CONTRIBUTION = itemgetter(1)


def issues_where(
    where: Callable[[MetricContext, Issue], bool] | None = None,
    *,
    distinct: Callable[[Issue], str | None] | None = None,
) -> Contributions:
    """One contribution per issue for which ``where(ctx, issue)`` holds (default: all).

    ``distinct`` gives the key counted once (e.g. the enterprise that raised
    the issue, for "enterprises that raised issues"); issues for which it
    returns None do not count.
    """

    def contributions(ctx: MetricContext) -> Iterable[Contribution]:
        issues = ctx.ledger.issues
        if (where is None or isinstance(where, StateTest)) and positional(ctx):
            return _rows(ctx, where, distinct)
        pairs: Iterator[tuple[Issue, Contribution]] = zip(
            issues, issue_contributions(ctx), strict=True
        )
        if where is not None:
            pairs = (pair for pair in pairs if where(ctx, pair[0]))
        if distinct is None:
            return map(_CONTRIBUTION, pairs)
        return _keyed(pairs, distinct)

    return contributions


def _rows(
    ctx: MetricContext, where: StateTest | None, distinct: Callable[[Issue], str | None] | None
) -> IssueRows:
    """The issues for which ``where`` holds, as positions (built-in predicates only)."""
    issues = ctx.ledger.issues
    if where is None:
        positions: Sequence[int] = range(len(issues))
    else:
        positions = array("l", compress(range(len(issues)), where.each(ctx, state_view(ctx))))
    if distinct is None:
        return IssueRows(ctx, positions)
    keys: list[str | None] = [None] * len(issues)
    for p in positions:  # called on the same issues, in the same order, as the general path
        keys[p] = distinct(issues[p])
    return IssueRows(ctx, array("l", [p for p in positions if keys[p] is not None]), keys)


def _keyed(
    pairs: Iterable[tuple[Issue, Contribution]], distinct: Callable[[Issue], str | None]
) -> Iterator[Contribution]:
    for issue, found in pairs:
        key = distinct(issue)
        if key is not None:
            yield _new(Contribution, (*found[:2], key, *found[3:]))  # found._replace(key=key)


def _outcome(ctx: MetricContext, o: Outcome, value: int | Decimal) -> Contribution:
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
                    yield _outcome(ctx, o, 1)

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
                    yield _outcome(ctx, o, value)

    return contributions
