"""Issue-handling and coverage metrics any campaign type can include.

States are derived by replaying each issue's history as of the context's date
(:meth:`~campaignkit.stats.metrics.MetricContext.issue_states`). Each predicate is a
:class:`~campaignkit.stats.contributions.StateTest`: a plain predicate that can also
answer for every issue at once from the states by position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import compress, repeat
from operator import and_, attrgetter, gt, is_, is_not, itemgetter, mul, or_
from typing import Any, cast

from campaignkit.derive.deadlines import deadline_flag_codes
from campaignkit.derive.views import Deriver, Shape
from campaignkit.model.records import Activity, Issue, Satisfaction
from campaignkit.rules.lifecycle import IssueState, StateKind
from campaignkit.rules.records import Label, MetricDef
from campaignkit.stats.contributions import Contributions, StateTest, issues_where
from campaignkit.stats.metrics import (
    Contribution,
    ContributionColumns,
    ContributionRows,
    MetricContext,
    StateView,
)

__all__ = [
    "coverage_metrics",
    "deadline_codes",
    "issue_handling_metrics",
    "working_days_to_resolve",
]

_GE = Label("个", "")
_PCT = Label("%", "%")


_ABSENT: dict[str, Any] = {"reopened": 0, "escalations": 0, "answered_on_spot": False}
"""What an issue with no state (a context whose ``issue_states`` leaves it out) has of a
state's field: no state test holds for it. None for the fields not named."""


def _column(ctx: MetricContext, states: Sequence[IssueState | None], name: str) -> Sequence[Any]:
    """Every state's ``name``, by position: read from the replay's columns when it can;
    for an issue with no state, what :data:`_ABSENT` says."""
    if type(states) is not StateView or states.ctx is not ctx:
        if any(map(is_, states, repeat(None))):
            absent = _ABSENT.get(name)
            return [absent if s is None else getattr(s, name) for s in states]
        return list(map(attrgetter(name), states))
    if name != "last_rating":
        found: Sequence[Any] = getattr(states.columns, name)
        return found
    ratings = states.columns.ratings
    last: list[Any] = ctx.memo(
        "state_column:last_rating", lambda: [r[-1] if r else None for r in ratings]
    )
    return last


def _kinds(ctx: MetricContext, states: Sequence[IssueState]) -> Sequence[object]:
    return _column(ctx, states, "kind")


def _on_states(
    each: Callable[[MetricContext, Sequence[IssueState]], Iterable[object]],
) -> StateTest:
    """The predicate that ``each`` (a test of states by position) is, written once: asked
    about one issue, it is ``each`` of that issue's state alone."""

    def where(ctx: MetricContext, issue: Issue) -> bool:
        state = ctx.issue_states().get(issue.id)
        return state is not None and bool(next(iter(each(ctx, (state,)))))

    return StateTest(where, each)


def _state_kind(*kinds: StateKind) -> StateTest:
    return _on_states(lambda ctx, states: map(kinds.__contains__, _kinds(ctx, states)))


_RESOLVED = StateKind.RESOLVED
_LEGACY = attrgetter("legacy")
_OPEN_KINDS = (StateKind.OPEN, StateKind.WAITING)
_SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


def _each_resolved(ctx: MetricContext, states: Sequence[IssueState]) -> Iterator[bool]:
    return map(is_, _kinds(ctx, states), repeat(_RESOLVED))


def _each_open(ctx: MetricContext, states: Sequence[IssueState]) -> Iterator[bool]:
    return map(_OPEN_KINDS.__contains__, _kinds(ctx, states))


def _each_reopened(ctx: MetricContext, states: Sequence[IssueState]) -> Iterator[bool]:
    return map(gt, _column(ctx, states, "reopened"), repeat(0))


_resolved = _on_states(_each_resolved)
_open = _on_states(_each_open)
_ever_resolved = _on_states(
    lambda ctx, states: map(or_, _each_resolved(ctx, states), _each_reopened(ctx, states))
)
_on_spot = _on_states(lambda ctx, states: iter(_column(ctx, states, "answered_on_spot")))
_reopened = _on_states(_each_reopened)
_rated = _on_states(
    lambda ctx, states: map(is_not, _column(ctx, states, "last_rating"), repeat(None))
)
_satisfied = _on_states(
    lambda ctx, states: map(_SATISFIED.__contains__, _column(ctx, states, "last_rating"))
)
_escalated = _on_states(lambda ctx, states: map(gt, _column(ctx, states, "escalations"), repeat(0)))


def _is_legacy(_: MetricContext, issue: Issue) -> bool:
    return issue.legacy


_legacy = StateTest(_is_legacy, lambda ctx, _: map(_LEGACY, ctx.ledger.issues))


_UNKNOWN = 255


class _Deadlines:
    """Each issue's deadline flags (1: on time, 2: overdue), read from its shape once and
    shared by both metrics: by issue id for the predicates, and by position
    (``_UNKNOWN`` until asked) for their whole-ledger form."""

    def __init__(self, ctx: MetricContext) -> None:
        ctype = ctx.campaign_type
        self.as_of = ctx.as_of
        derived = ctx.derived()
        self.workspace = derived[0] if derived is not None else None
        """The workspace whose shapes are this context's issues', if any."""
        self.positions = derived[1] if derived is not None else None
        """Where each issue is in the workspace's ledger (None: in the same places)."""
        if self.workspace is not None:
            self.deriver = self.workspace.deriver
        else:
            self.deriver = Deriver(ctype.lifecycle, ctype.policy, ctx.work_calendar())
        self.flags: dict[str, tuple[bool, bool]] = {}
        self.codes = bytearray([_UNKNOWN]) * len(ctx.ledger.issues)

    def of(self, issue: Issue) -> tuple[bool, bool]:
        found = self.flags.get(issue.id)
        if found is None:
            code = deadline_flag_codes(
                [issue], self.deriver.policy, as_of=self.as_of, deriver=self.deriver
            )[0]
            found = self.flags[issue.id] = (bool(code & 1), bool(code & 2))
        return found

    def fill(
        self,
        ctx: MetricContext,
        states: Sequence[IssueState],
        kinds: tuple[StateKind, ...],
        wanted: int,
    ) -> None:
        """Work out the flags of every issue whose state's kind is in ``kinds``."""
        codes = self.codes
        issues = ctx.ledger.issues
        chosen = compress(range(len(states)), map(kinds.__contains__, _kinds(ctx, states)))
        unknown = [n for n in chosen if codes[n] == _UNKNOWN]
        shapes: list[Shape] | None = None
        if self.workspace is not None:  # read from the shapes the workspace derived
            derived, positions = self.workspace.shapes(self.as_of), self.positions
            there = unknown if positions is None else [positions[n] for n in unknown]
            shapes = [derived[n] for n in there]
        found = deadline_flag_codes(
            [issues[n] for n in unknown],
            self.deriver.policy,
            as_of=self.as_of,
            wanted=3,
            deriver=self.deriver,
            shapes=shapes,
        )
        for n, code in zip(unknown, found, strict=True):
            codes[n] = code


def _deadlines(ctx: MetricContext) -> _Deadlines:
    found: _Deadlines = ctx.memo("deadline_flags", lambda: _Deadlines(ctx))
    return found


def _is_on_time(ctx: MetricContext, issue: Issue) -> bool:
    return _resolved(ctx, issue) and _deadlines(ctx).of(issue)[0]


def _each_on_time(ctx: MetricContext, states: Sequence[IssueState]) -> Iterator[object]:
    # flags only for resolved issues, as the predicate
    deadlines = _deadlines(ctx)
    deadlines.fill(ctx, states, (_RESOLVED,), 1)
    return map(mul, _each_resolved(ctx, states), map(and_, deadlines.codes, repeat(1)))


_on_time = StateTest(_is_on_time, _each_on_time)


def _is_overdue(ctx: MetricContext, issue: Issue) -> bool:
    return _open(ctx, issue) and _deadlines(ctx).of(issue)[1]


def _each_overdue(ctx: MetricContext, states: Sequence[IssueState]) -> Iterator[object]:
    # flags only for open issues, as the predicate
    deadlines = _deadlines(ctx)
    deadlines.fill(ctx, states, _OPEN_KINDS, 2)
    return map(mul, _each_open(ctx, states), map(and_, deadlines.codes, repeat(2)))


_overdue = StateTest(_is_overdue, _each_overdue)


def deadline_codes(ctx: MetricContext) -> list[int]:
    """Each issue's deadline flags by position, as ``issues_resolved_on_time`` and
    ``issues_overdue`` count them: 1 if it is resolved and its on-time stage's clock was
    met, 2 if it is open or waiting with a clock overdue on the context's date, else 0.
    Read from the shapes of the context's workspace where it has one (each shape judged
    once), else derived."""
    states = cast("Sequence[IssueState]", ctx.issue_state_list())
    return list(map(or_, _each_on_time(ctx, states), _each_overdue(ctx, states)))


def working_days_to_resolve(ctx: MetricContext, issue: Issue) -> int | None:
    """The working days an issue took from the day it was raised to the day it was
    resolved (the working days after the one and up to the other, by the calendars of
    the context's manager: an issue answered the day it was raised took 0); None for an
    issue not resolved as of the context's date.

    A value for :func:`~campaignkit.stats.contributions.issues_where`: a ``sum`` metric
    of it is the working days resolved issues took, over which an ``average`` or a
    ``median`` metric is taken.
    """
    state = ctx.issue_states().get(issue.id)
    if state is None or state.kind is not _RESOLVED or not isinstance(state.resolved_on, date):
        return None
    return ctx.work_calendar().working_days_between(issue.raised, state.resolved_on).days


def issue_handling_metrics() -> tuple[MetricDef, ...]:
    """Counts and rates of issue handling, identical for every campaign type."""
    return (
        MetricDef(
            "issues_resolved", Label("已办结问题", "issues resolved"), _GE, issues_where(_resolved)
        ),
        MetricDef("issues_open", Label("在办问题", "issues open"), _GE, issues_where(_open)),
        MetricDef(
            "issues_answered_on_spot",
            Label("现场答复问题", "issues answered on the spot"),
            _GE,
            issues_where(_on_spot),
        ),
        MetricDef(
            "issues_closed_unresolved",
            Label("未解决关闭问题", "issues closed unresolved"),
            _GE,
            issues_where(_state_kind(StateKind.CLOSED_UNRESOLVED)),
        ),
        MetricDef(
            "issues_ever_resolved",
            Label("曾办结问题", "issues ever resolved"),
            _GE,
            issues_where(_ever_resolved),
            doc="Issues resolved now or at some point before a reopening.",
        ),
        MetricDef(
            "issues_reopened",
            Label("重新办理问题", "issues reopened"),
            _GE,
            issues_where(_reopened),
        ),
        MetricDef(
            "issues_escalated",
            Label("提级办理问题", "issues escalated"),
            _GE,
            issues_where(_escalated),
        ),
        MetricDef(
            "issues_resolved_on_time",
            Label("按期办结问题", "issues resolved on time"),
            _GE,
            issues_where(_on_time),
            doc="Resolved issues whose resolution clock was never missed (deadline stage "
            "``policy.on_time_stage``); an issue answered on the spot counts as on time.",
        ),
        MetricDef(
            "issues_overdue",
            Label("超期未办结问题", "issues overdue"),
            _GE,
            issues_where(_overdue),
            doc="Open issues with a running deadline clock past its due date as of the date.",
        ),
        MetricDef(
            "legacy_issues", Label("历史遗留问题", "legacy issues"), _GE, issues_where(_legacy)
        ),
        MetricDef(
            "issues_rated", Label("已回访评价问题", "issues rated"), _GE, issues_where(_rated)
        ),
        MetricDef(
            "issues_satisfied",
            Label("满意及基本满意问题", "issues rated satisfied"),
            _GE,
            issues_where(_satisfied),
        ),
        MetricDef(
            "resolution_rate",
            Label("问题办结率", "resolution rate"),
            _PCT,
            numerator="issues_resolved",
            denominator="issues_collected",
        ),
        MetricDef(
            "on_time_rate",
            Label("按期办结率", "on-time resolution rate"),
            _PCT,
            numerator="issues_resolved_on_time",
            denominator="issues_resolved",
        ),
        MetricDef(
            "satisfaction_rate",
            Label("满意率", "satisfaction rate"),
            _PCT,
            numerator="issues_satisfied",
            denominator="issues_rated",
            doc="Satisfied or basically satisfied among rated issues (latest rating counts).",
        ),
        MetricDef(
            "reopen_rate",
            Label("重新办理率", "reopen rate"),
            _PCT,
            numerator="issues_reopened",
            denominator="issues_ever_resolved",
            doc="Reopened issues among those ever resolved (a reopened issue may be open now).",
        ),
    )


def _targets(field: str) -> Contributions:
    def contributions(ctx: MetricContext) -> Iterator[Contribution]:
        for code in getattr(ctx.ledger.campaign.scope, field):
            yield Contribution(code, 1, code, region=code)

    return contributions


_ID = attrgetter("id")
_TEAM = attrgetter("team")
_DATE = attrgetter("date")
_FIRST, _SECOND, _THIRD, _FOURTH = map(itemgetter, range(4))


def _counties(ctx: MetricContext) -> tuple[list[str | None], dict[str, str | None]]:
    """Each activity's county (by position) and each enterprise's (by id), once per context."""

    def build() -> tuple[list[str | None], dict[str, str | None]]:
        ledger = ctx.ledger
        county_of = ledger.county_of
        activities = [county_of(a.region) for a in ledger.activities]
        enterprises = {k: county_of(e.region) for k, e in ledger.enterprise_index.items()}
        return activities, enterprises

    found: tuple[list[str | None], dict[str, str | None]] = ctx.memo("coverage_counties", build)
    return found


def _reached(field: str) -> Contributions:
    def contributions(ctx: MetricContext) -> ContributionRows:
        targets = set(getattr(ctx.ledger.campaign.scope, field))
        activities = ctx.ledger.activities
        counties, of_enterprise = _counties(ctx)
        pairs = list(zip(activities, counties, strict=True))
        # each activity in a target county, then each enterprise named there in another one
        own: list[tuple[Activity, str | None, str | None]] = [
            (a, county, None) for a, county in pairs if county in targets
        ]
        named: list[tuple[Activity, str | None, str | None]] = [
            (a, county, ent)
            for a, own_county in pairs
            for ent in a.enterprises
            if (county := of_enterprise.get(ent)) in targets and county != own_county
        ]
        return _activity_rows(own + named)

    return contributions


def _activity_rows(found: list[tuple[Activity, str | None, str | None]]) -> ContributionRows:
    """``(activity, county, enterprise)`` as contributions keyed by, and in, the county."""
    held = list(map(_FIRST, found))
    keys = list(map(_SECOND, found))
    return ContributionRows(
        ContributionColumns(
            list(map(_ID, held)),
            key=keys,
            team=list(map(_TEAM, held)),
            region=keys,
            day=list(map(_DATE, held)),
            enterprise=list(map(_THIRD, found)),
        )
    )


def _class_targets(ctx: MetricContext) -> Iterator[Contribution]:
    for cls in ctx.ledger.campaign.scope.enterprise_classes:
        yield Contribution(cls, 1, cls, enterprise_class=cls)


def _classes_reached(ctx: MetricContext) -> ContributionRows:
    targets = set(ctx.ledger.campaign.scope.enterprise_classes)
    index = ctx.ledger.enterprise_index
    found = [
        (a, cls, ent, e.region)
        for a in ctx.ledger.activities
        for ent in a.enterprises
        if (e := index.get(ent)) is not None
        for cls in e.classes
        if cls in targets
    ]
    held = list(map(_FIRST, found))
    classes = list(map(_SECOND, found))  # each counts the class it reaches, in its row alone
    return ContributionRows(
        ContributionColumns(
            list(map(_ID, held)),
            key=classes,
            team=list(map(_TEAM, held)),
            region=list(map(_FOURTH, found)),
            day=list(map(_DATE, held)),
            enterprise=list(map(_THIRD, found)),
            enterprise_class=classes,
        )
    )


_WHOLE = (
    "Set by the campaign as a whole: divided by its own parts alone (each county, zone or"
    " class a target), not by team, month or anything else."
)
_BY_REGION = ("region",)


def coverage_metrics() -> tuple[MetricDef, ...]:
    """Coverage of the campaign's scope: regions, zones and enterprise classes reached."""
    area = Label("个", "")
    return (
        MetricDef(
            "target_regions",
            Label("目标县区", "target regions"),
            area,
            _targets("regions"),
            "distinct",
            doc=_WHOLE,
            dimensions=_BY_REGION,
        ),
        MetricDef(
            "regions_reached",
            Label("已覆盖县区", "regions reached"),
            area,
            _reached("regions"),
            "distinct",
        ),
        MetricDef(
            "target_zones",
            Label("目标开发区", "target zones"),
            area,
            _targets("zones"),
            "distinct",
            doc=_WHOLE,
            dimensions=_BY_REGION,
        ),
        MetricDef(
            "zones_reached",
            Label("已覆盖开发区", "zones reached"),
            area,
            _reached("zones"),
            "distinct",
        ),
        MetricDef(
            "target_classes",
            Label("目标企业类别", "target enterprise classes"),
            Label("类", ""),
            _class_targets,
            "distinct",
            doc=_WHOLE,
            dimensions=("class",),
        ),
        MetricDef(
            "classes_reached",
            Label("已覆盖企业类别", "enterprise classes reached"),
            Label("类", ""),
            _classes_reached,
            "distinct",
        ),
        MetricDef(
            "region_coverage",
            Label("县区覆盖率", "region coverage"),
            _PCT,
            numerator="regions_reached",
            denominator="target_regions",
        ),
        MetricDef(
            "zone_coverage",
            Label("开发区覆盖率", "zone coverage"),
            _PCT,
            numerator="zones_reached",
            denominator="target_zones",
        ),
        MetricDef(
            "class_coverage",
            Label("企业类别覆盖率", "enterprise class coverage"),
            _PCT,
            numerator="classes_reached",
            denominator="target_classes",
        ),
    )
