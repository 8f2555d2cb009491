"""Building blocks for metric definitions: contributions from activities, issues, outcomes.

A campaign-type plugin defines most metrics in one line each::

    MetricDef(id="symposiums", label=..., unit=...,
              contributions=activities_of("symposium"))

Every builder returns a function of a :class:`~campaignkit.metrics.MetricContext`
that yields :class:`~campaignkit.metrics.Contribution` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator
from decimal import Decimal

from campaignkit.metrics import Contribution, MetricContext
from campaignkit.model import Activity, Issue, Outcome, OutcomeStatus

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


def _act(a: Activity, value: int | Decimal = 1, key: str | None = None) -> Contribution:
    return Contribution(a.id, value, key, a.team, a.region, a.date)


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

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        for a in _activities(ctx, kinds):
            if where is not None and not where(a):
                continue
            yield _act(a, value(a) if value else 1, distinct(a) if distinct else None)

    return contributions


def activity_enterprises(*kinds: str) -> Contributions:
    """One contribution per named enterprise taking part, keyed by enterprise (distinct)."""

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        index = ctx.ledger.enterprise_index
        for a in _activities(ctx, kinds):
            for ent in a.enterprises:
                e = index.get(ent)
                yield Contribution(
                    a.id, 1, ent, a.team, e.region if e else a.region, a.date, enterprise=ent
                )

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

    Built once per issue and context: every issue metric asks for it again.
    """
    built: dict[int, Contribution] = ctx.memo("issue_contributions", dict)
    found = built.get(id(issue))  # by object: the context keeps its ledger's issues alive
    if found is None:
        found = built[id(issue)] = _issue_contribution(ctx, issue)
    return found


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

    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        built: dict[int, Contribution] = ctx.memo("issue_contributions", dict)
        for issue in ctx.ledger.issues:
            if where is not None and not where(ctx, issue):
                continue
            key = None
            if distinct is not None:
                key = distinct(issue)
                if key is None:
                    continue
            found = built.get(id(issue))  # as in issue_contribution, inlined: once per issue
            if found is None:
                found = built[id(issue)] = _issue_contribution(ctx, issue)
            yield found if key is None else found._replace(key=key)

    return contributions


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
