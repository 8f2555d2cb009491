"""Escalation: rules propose actions on issues; applying them appends events.

Evaluating is a pure function of (ledger, as-of date): :func:`evaluate` asks
the plugin manager once for the rules of the ledger's campaign type, runs
each on each issue, and returns the proposed :class:`Action` objects, each
naming the rule that proposed it. A rule that raises, or whose call on one
issue outlasts the manager's plugin time limit, is reported by name
(:class:`RuleFailure`) and the others still run.

:func:`apply` appends the actions as events to a new ledger, checked by the
campaign type's lifecycle (an illegal action raises
:class:`~campaignkit.errors.TransitionError`); it never changes or drops an
existing event, and fires ``campaignkit_issue_state_changed`` for every issue
whose derived state changed. Rules look at the history, so evaluating the
applied ledger for the same date proposes nothing new.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, cast

import attrs
from attrs import field, frozen

from campaignkit.derive.calendar import WorkCalendar, default_calendar
from campaignkit.derive.clocks import ClockStatus, Judged, Moments, judge
from campaignkit.derive.deadlines import Clock, clock_of, current_clocks
from campaignkit.derive.routing import RouteChoice, issue_region, route
from campaignkit.derive.views import Deriver, IssueView, Shape, latest_event_date
from campaignkit.errors import ActionDateError, LedgerError, Problem, TransitionError
from campaignkit.gcpause import paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.hooks.watchdog import PluginTimeout, Watch, watched
from campaignkit.i18n.catalogue import Phrase, literal
from campaignkit.model.keys import repeated
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import EMPTY, Deadline, Issue, IssueEvent
from campaignkit.rules.lifecycle import IssueState
from campaignkit.rules.policy import DeadlineStage, IssuePolicy
from campaignkit.rules.records import CampaignType, EscalationRule
from campaignkit.workspace import Workspace

__all__ = [
    "MAX_ROUNDS",
    "Action",
    "Evaluation",
    "RuleContext",
    "RuleFailedWarning",
    "RuleFailure",
    "apply",
    "assess",
    "evaluate",
]


class Action(NamedTuple):
    """A proposed action on an issue: an event to append, and why.

    A named tuple: immutable, compared and hashed by its fields, changed with
    ``action._replace(...)``. Cheap to make, so a province's hundreds of
    thousands of proposals cost little.

    Everything after ``reason`` is optional and kept on the event applying it appends
    (:meth:`to_event`): the handling level and department, the deadline stage and due
    date it concerns, the time of day (an hour clock it starts counts from it), a note
    other than the reason, and extra attributes.
    """

    issue: str
    kind: str
    """The event kind to append: ``warned``, ``marked_overdue``, ``supervised``,
    ``escalated``, ``meeting_called``, ``reopened`` …"""
    rule: str
    """Name of the escalation rule that proposed it."""
    date: dt.date
    reason: str
    """Why, in Chinese: stored as the event's ``note`` unless ``note`` is given."""
    level: str | None = None
    department: str | None = None
    stage: str | None = None
    due: dt.date | None = None
    reason_en: str = ""
    """Why, in English (for display)."""
    time: dt.time | None = None
    """The event's time of day (None: the date alone, counted from its midnight)."""
    note: str | None = None
    """The event's ``note`` (None: the reason)."""
    extra: tuple[tuple[str, Any], ...] = ()
    """The event's extra attributes as (name, value) pairs, a tuple so the action stays
    hashable: ``(("ticket", "2115-0042"),)``. Each must be declared by the campaign type
    for events of the action's kind
    (:class:`~campaignkit.rules.records.ExtraAttribute`) and of its type."""

    def why(self, lang: str = "zh") -> str:
        """The reason in ``lang`` (Chinese when no English text was given)."""
        return self.reason_en if lang == "en" and self.reason_en else self.reason

    def to_event(self) -> IssueEvent:
        """The event that applying this action appends."""
        return IssueEvent(
            kind=self.kind,
            date=self.date,
            time=self.time,
            level=self.level,
            department=self.department,
            stage=self.stage,
            due=self.due,
            rule=self.rule,
            note=self.reason if self.note is None else self.note,
            extra=dict(self.extra) if self.extra else EMPTY,
        )


def events_since(
    events: tuple[IssueEvent, ...], as_of: dt.date, index: int, kind: str, stage: str | None
) -> bool:
    """True if an event of ``kind`` dated on or before ``as_of`` follows ``events[index]``.

    With ``stage``, only events for that stage or for no particular stage count
    (what :meth:`RuleContext.since` answers).
    """
    for event in events[index + 1 :]:
        if (
            event.kind == kind
            and event.date <= as_of
            and (stage is None or event.stage in (None, stage))
        ):
            return True
    return False


_T = TypeVar("_T")
_UNSET = object()
_new = tuple.__new__
"""Makes an :class:`Action` of a tuple of its fields (what ``_replace`` does, quicker)."""


@frozen
class RuleContext:
    """What a rule sees besides the issue: the ledger, its campaign type and the date.

    The helpers read each issue's derived view (:mod:`campaignkit.derive.views`) as of
    ``as_of`` (events dated later are not seen), derived once for the rules of one
    evaluation.
    """

    ledger: Ledger
    campaign_type: CampaignType
    as_of: dt.date
    calendar: WorkCalendar = field(factory=default_calendar)
    deriver: Deriver | None = field(default=None, eq=False, repr=False)
    """Derives the views; one of the campaign type and calendar is made when None."""
    _events: dict[str, tuple[IssueEvent, ...]] = field(
        factory=dict, init=False, eq=False, repr=False
    )
    _shapes: dict[str, Shape] = field(factory=dict, init=False, eq=False, repr=False)
    _views: dict[str, IssueView] = field(factory=dict, init=False, eq=False, repr=False)
    _judged: dict[int, Judged] = field(factory=dict, init=False, eq=False, repr=False)
    _after: dict[tuple[dt.date, Deadline], dt.date] = field(
        factory=dict, init=False, eq=False, repr=False
    )
    _routes: dict[tuple[str, str | None, str | None], RouteChoice] = field(
        factory=dict, init=False, eq=False, repr=False
    )
    _of_shapes: dict[tuple[object, int], object] = field(
        factory=dict, init=False, eq=False, repr=False
    )
    _stages: dict[str, DeadlineStage] = field(factory=dict, init=False, eq=False, repr=False)
    _alive: list[object] = field(factory=list, init=False, eq=False, repr=False)
    """The shapes and clocks whose ids key the answers above, kept alive as long as those
    answers (a deriver that remembers no steps makes new shapes for every walk)."""

    def __attrs_post_init__(self) -> None:
        if self.deriver is None:
            ctype = self.campaign_type
            made = Deriver(ctype.lifecycle, ctype.policy, self.calendar)
            object.__setattr__(self, "deriver", made)
        self._stages.update((s.key, s) for s in self.campaign_type.policy.stages)

    @property
    def policy(self) -> IssuePolicy:
        """The campaign type's issue policy."""
        return self.campaign_type.policy

    def _deriver(self) -> Deriver:
        assert self.deriver is not None
        return self.deriver

    def events(self, issue: Issue) -> tuple[IssueEvent, ...]:
        """The issue's events dated on or before ``as_of``."""
        found = self._events.get(issue.id)
        if found is None:
            as_of = self.as_of
            found = self._events[issue.id] = tuple(e for e in issue.events if e.date <= as_of)
        return found

    def shape(self, issue: Issue) -> Shape:
        """What the issue's history says as of ``as_of`` that issues alike share: state,
        level, running clocks as moments, and the facts rules ask about."""
        found = self._shapes.get(issue.id)
        if found is None:
            found = self._shapes[issue.id] = self._deriver().shape(issue, self.as_of)
        return found

    def view(self, issue: Issue) -> IssueView:
        """The issue's derived view as of ``as_of``: its shape with its department,
        dates and every clock with the events that started and ended it."""
        found = self._views.get(issue.id)
        if found is None:
            found = self._views[issue.id] = self._deriver().view(issue, self.as_of)
        return found

    def state(self, issue: Issue) -> IssueState:
        """The issue's derived state as of ``as_of``."""
        return self.view(issue).issue_state(issue.id)

    def judge(self, clock: Moments) -> Judged:
        """How a running clock stands as of ``as_of`` (see
        :func:`campaignkit.derive.clocks.judge`)."""
        found = self._judged.get(id(clock))
        if found is None:
            found = self._judged[id(clock)] = judge(clock, self.as_of, self.calendar)
            self._alive.append(clock)  # its id keys the answer: it must outlive it
        return found

    def running(self, issue: Issue, *statuses: ClockStatus) -> list[tuple[Moments, Judged]]:
        """The issue's running clocks whose status is one of ``statuses``, in policy stage
        order, each with how it stands."""
        return self.running_of(self.shape(issue), *statuses)

    def running_of(self, shape: Shape, *statuses: ClockStatus) -> list[tuple[Moments, Judged]]:
        """:meth:`running` of an issue of this shape."""
        found = [(c, self.judge(c)) for c in shape.running]
        found = [(c, j) for c, j in found if j.status in statuses]
        if len(found) > 1:
            order = list(self._stages)
            found.sort(key=lambda cj: order.index(cj[0].stage))
        return found

    def of_shape(self, function: Callable[[RuleContext, Shape], _T], shape: Shape) -> _T:
        """``function(self, shape)``, worked out once per shape for this context: what a
        rule reads of a shape alone, shared by its issues (and by a rule's screen)."""
        key = (function, id(shape))
        found = self._of_shapes.get(key, _UNSET)
        if found is _UNSET:
            found = self._of_shapes[key] = function(self, shape)
            self._alive.append(shape)  # its id keys the answer: it must outlive it
        return cast("_T", found)

    def stage(self, key: str) -> DeadlineStage:
        """The policy's stage with this key."""
        return self._stages[key]

    def clocks(self, issue: Issue) -> tuple[Clock, ...]:
        """Every deadline clock of the issue as of ``as_of``."""
        view = self.view(issue)
        policy, as_of, cal = self.policy, self.as_of, self.calendar
        return tuple(clock_of(issue.id, t, policy, as_of, cal) for t in view.clocks)

    def current(self, issue: Issue) -> Mapping[str, Clock]:
        """The latest clock of each stage of the issue, by stage key."""
        return current_clocks(self.clocks(issue))

    def allows(self, issue: Issue, kind: str) -> bool:
        """True if the lifecycle allows an event of ``kind`` in the issue's state now."""
        return self.campaign_type.lifecycle.allows(self.shape(issue).state, kind)

    def after(self, day: dt.date, limit: Deadline) -> dt.date:
        """The date ``limit`` after ``day`` under the calendars."""
        found = self._after.get((day, limit))
        if found is None:
            found = self._after[day, limit] = self.calendar.add_deadline(day, limit).date
        return found

    def since(self, issue: Issue, index: int, kind: str, stage: str | None = None) -> bool:
        """True if an event of ``kind`` follows ``issue.events[index]`` (as of ``as_of``).

        With ``stage``, only events for that stage or for no particular stage count.
        """
        return events_since(issue.events, self.as_of, index, kind, stage)

    def route(self, issue: Issue, level: str | None = None) -> RouteChoice:
        """Where the policy routes this issue (at ``level`` if given): by its category and
        region, worked out once for issues alike."""
        key = (issue.category, issue_region(issue, self.ledger), level)
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = route(
                self.campaign_type, key[0], key[1], self.ledger, level=level
            )
        return found


@frozen(init=False)
class RuleFailure:
    """A rule that raised (or proposed something malformed) on an issue.

    ``message`` is the English text; :attr:`phrase` words it in either language (the
    catalogue's words where the evaluation gave a code, else the text as written,
    such as the rule's own exception).
    """

    rule: str
    issue: str | None
    message: str
    plugin: str | None = None
    phrase: Phrase = field(eq=False, repr=False, default=literal(""))

    def __init__(
        self,
        rule: str,
        issue: str | None,
        message: str | Phrase,
        plugin: str | None = None,
        phrase: Phrase | None = None,
    ) -> None:
        if isinstance(message, Phrase):
            phrase, message = message, message.text("en")
        elif phrase is None or phrase.text("en") != message:  # (``evolve`` hands both on)
            phrase = literal(message)
        self.__attrs_init__(rule, issue, message, plugin, phrase)

    def __str__(self) -> str:
        where = f" (plugin {self.plugin!r})" if self.plugin else ""
        on = f" on issue {self.issue!r}" if self.issue else ""
        return f"escalation rule {self.rule!r}{where} failed{on}: {self.message}"


class RuleFailedWarning(UserWarning):
    """Issued by :func:`evaluate` for each :class:`RuleFailure`."""


@frozen
class Evaluation:
    """The result of running the rules: proposals and failures."""

    as_of: dt.date
    actions: tuple[Action, ...]
    failures: tuple[RuleFailure, ...] = ()
    rules: tuple[str, ...] = ()
    """Names of the rules that ran."""


def _check(
    action: object, rule: EscalationRule, issue: Issue, ctype: CampaignType
) -> Phrase | None:
    """Why ``action``, proposed by ``rule`` for ``issue``, cannot be applied (None if it
    can, as far as it alone tells: the lifecycle is asked later)."""
    kinds = ctype.lifecycle.event_kinds
    if not isinstance(action, Action):
        return Phrase("rule.not-an-action", {"type": type(action).__name__})
    if action.issue != issue.id:
        return Phrase(
            "rule.other-issue", {"issue": repr(action.issue), "evaluating": repr(issue.id)}
        )
    if action.rule != rule.name:
        return Phrase("rule.other-rule", {"rule": repr(action.rule)})
    if action.kind not in kinds:
        return Phrase("rule.unknown-kind", {"kind": repr(action.kind)})
    if not isinstance(action.date, dt.date) or isinstance(action.date, dt.datetime):
        return Phrase("rule.bad-date", {"day": repr(action.date)})
    if not isinstance(action.reason, str):
        return Phrase("rule.bad-reason", {"type": type(action.reason).__name__})
    if action.time is not None and not isinstance(action.time, dt.time):
        return Phrase("rule.bad-time", {"time": repr(action.time)})
    if action.note is not None and not isinstance(action.note, str):
        return Phrase("rule.bad-note", {"type": type(action.note).__name__})
    if action.extra:
        return _extra_problem(action, ctype)
    return None


def _extra_problem(action: Action, ctype: CampaignType) -> Phrase | None:
    """What is wrong with the extra attributes ``action`` proposes, if anything: each is a
    (name, value) pair, given once, declared by ``ctype`` for events of its kind and of
    the declared type."""
    extra: object = action.extra
    if not isinstance(extra, tuple):
        return Phrase("rule.bad-extra", {"type": type(extra).__name__})
    declared = {
        a.name: a
        for a in ctype.extra_attributes
        if a.record == "event" and (not a.kinds or action.kind in a.kinds)
    }
    seen: set[str] = set()
    for pair in extra:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            return Phrase("rule.bad-extra", {"type": type(pair).__name__})
        name, value = pair
        spec = declared.get(name)
        if spec is None:
            return Phrase("rule.undeclared-extra", {"name": repr(name), "kind": repr(action.kind)})
        if name in seen:
            return Phrase("rule.extra-twice", {"name": repr(name)})
        seen.add(name)
        if not spec.accepts(value):
            return Phrase(
                "rule.bad-extra-value",
                {"name": repr(name), "type": spec.type, "got": repr(value)},
            )
    return None


def _clock_starters(policy: IssuePolicy) -> frozenset[str]:
    return frozenset(kind for stage in policy.stages for kind in stage.start)


class _Abandoned(Exception):
    """Raised inside an abandoned evaluation worker to end it."""


class _Progress(Watch[str]):
    """Which rule the evaluation worker is running, on which issue (for the watchdog).

    ``current`` is the rule's name while it is called; ``calls`` counts rule
    calls, so the watchdog can tell one long call from many short ones without
    the worker reading the clock for each call.
    """

    __slots__ = ("issue",)

    def __init__(self) -> None:
        super().__init__()
        self.issue: str | None = None


MAX_ROUNDS = 5
"""How many times :func:`assess` re-runs the rules on issues that received actions."""


_Why = str | Phrase
"""Why a rule failed: the catalogue's words, or text as written (the rule's own exception)."""

_Shared = dict[tuple[str, int], tuple[list[Action], "_Why | None"]]
"""What each rule that reads shapes only proposed, by rule name and shape (its id), or
why it failed: the same for every issue of that shape."""

_Settled = tuple[list[Action], list[tuple[int, str, "_Why"]]]
"""Every action the rounds propose for an issue of a shape and every failure (round,
rule, message), when the whole evaluation of the shape's issues follows from it."""

_Outcome = tuple[list[Action], list[IssueEvent], list[tuple[str, "_Why"]]]
"""An issue's legal proposals, the events they append and its rules' failures (rule
name, message): where only rules that read shapes ran and the lifecycle refused
nothing, the same for every issue of the shape."""


class _Round(NamedTuple):
    """What one evaluation shares between its issues and rounds."""

    shared: _Shared
    outcomes: dict[int, _Outcome]
    """By shape (its id), where only rules that read shapes run in its state."""
    interned: dict[tuple[object, ...], IssueEvent]
    """The events appended, by the action's fields after its issue: equal, one object."""
    plans: dict[int, _Plan]
    """By shape (its id): the rules to run for its issues."""
    routed: frozenset[str]
    """The names of the rules whose proposals are routed for each issue (see :func:`_mine`)."""
    alive: list[object]
    """The shapes whose ids key the dicts above, kept alive as long as they are (a deriver
    that remembers no steps makes new shapes for every walk, and a freed shape's id is
    given to the next object made)."""
    blame: Callable[[str, Exception], _Why]
    """Why a rule (by name) failed with an exception: see :func:`_blamer`."""


class _Plan(NamedTuple):
    """The rules to run for the issues of a shape: those its state allows and whose
    screen passes it."""

    rules: tuple[tuple[str, EscalationRule], ...]
    shaped: bool
    """True if they all read shapes only: every issue of the shape gets one outcome."""


def _plan(
    ctx: RuleContext,
    shape: Shape,
    rules: tuple[tuple[str, EscalationRule], ...],
    progress: _Progress,
    memo: _Round,
) -> _Plan:
    """The rules to run for issues of ``shape`` (see :class:`_Plan`), kept for the shape.
    A screen that raises lets its rule run (and report)."""
    kept = []
    for name, rule in rules:
        if rule.screen is not None:
            if progress.abandoned:
                raise _Abandoned
            progress.calls += 1
            progress.current = name
            try:
                screened = not rule.screen(ctx, shape)
            except Exception:  # noqa: BLE001 - the rule runs and reports it
                screened = False
            finally:
                progress.current = None
            if screened:
                continue
        kept.append((name, rule))
    found = memo.plans[id(shape)] = _Plan(tuple(kept), all(r.by_shape for _, r in kept))
    memo.alive.append(shape)
    return found


def _blamer(
    owners: Mapping[str, str | None], culprit: Callable[[BaseException], tuple[str, str] | None]
) -> Callable[[str, Exception], _Why]:
    """Why a rule failed with an exception: the exception as written, and where another
    plugin's own code raised it (a calendar the rule asked, say), that plugin and where
    (``culprit`` is the manager's :meth:`~campaignkit.hooks.manager.PluginManager.culprit`)."""

    def blame(name: str, exc: Exception) -> _Why:
        why = f"{type(exc).__name__}: {exc}"
        found = culprit(exc)
        if found is None or found[0] == owners.get(name):
            return why
        return Phrase("rule.raised-in", {"error": why, "plugin": found[0], "where": found[1]})

    return blame


def _call(
    ctx: RuleContext,
    issue: Issue,
    name: str,
    rule: EscalationRule,
    progress: _Progress,
    memo: _Round,
) -> tuple[list[Action], _Why | None]:
    """One rule on one issue: its well-formed proposals, or why it failed."""
    if progress.abandoned:
        raise _Abandoned
    progress.issue = issue.id
    progress.calls += 1
    progress.current = name
    try:
        found = list(rule.evaluate(ctx, issue))
    except Exception as exc:  # noqa: BLE001 - isolated and reported by rule name
        return [], memo.blame(name, exc)
    finally:
        progress.current = None
    if not found:
        return found, None
    ctype = ctx.campaign_type
    for action in found:
        problem = _check(action, rule, issue, ctype)
        if problem:
            return [], problem
    return found, None


def _shaped(
    ctx: RuleContext,
    issue: Issue,
    shape: Shape,
    name: str,
    rule: EscalationRule,
    progress: _Progress,
    memo: _Round,
) -> tuple[list[Action], _Why | None]:
    """:func:`_call` of a rule that reads shapes only: once per shape (its proposals name
    the issue it was called on)."""
    key = (name, id(shape))
    found = memo.shared.get(key)
    if found is None:
        ctx._shapes[issue.id] = shape  # the shape the rule is asked about, in any round
        found = memo.shared[key] = _call(ctx, issue, name, rule, progress, memo)
        memo.alive.append(shape)
    return found


def _run_issue(
    ctx: RuleContext,
    issue: Issue,
    shape: Shape | None,
    rules: tuple[tuple[str, EscalationRule], ...],
    owners: Mapping[str, str | None],
    starters: frozenset[str],
    failures: list[RuleFailure],
    progress: _Progress,
    memo: _Round,
) -> tuple[list[Action], list[IssueEvent]]:
    """The ``rules`` on one issue, in order; proposals the lifecycle refuses are reported,
    not returned. Returns the legal actions and the events they append.

    With its ``shape`` known, a rule that reads shapes only
    (:attr:`EscalationRule.by_shape`) is called once per shape. Without (plugin guards:
    the shape is derived inside the rule calls), every rule is called on the issue,
    and a history the lifecycle refuses raises its TransitionError afterwards.
    """
    iid = issue.id
    own: dict[str, tuple[list[Action], _Why | None]] = {}
    if shape is not None:
        own = {n: _call(ctx, issue, n, r, progress, memo) for n, r in rules if not r.by_shape}
        if not any(found for found, _ in own.values()):
            # the other rules propose nothing: the shape's outcome, with their failures
            known = memo.outcomes.get(id(shape))
            if known is None:
                known = _outcome(ctx, issue, shape, rules, owners, starters, progress, memo)
            actions, events, problems = known
            mine = _mine(ctx, issue, actions, memo.routed)
            if mine is not None:
                failed = [(n, m) for n, (_, m) in own.items() if m is not None]
                if failed:  # in the order of the rules
                    order = [n for n, _ in rules]
                    problems = sorted([*problems, *failed], key=lambda p: order.index(p[0]))
                if problems:
                    failures.extend(RuleFailure(n, iid, m, owners[n]) for n, m in problems)
                return mine, _events_of(mine, events, memo.interned)
    proposed: list[Action] = []
    for name, rule in rules:
        if name in own:
            found, problem = own[name]
        elif shape is not None and rule.by_shape:
            found, problem = _shaped(ctx, issue, shape, name, rule, progress, memo)
        else:
            found, problem = _call(ctx, issue, name, rule, progress, memo)
        if problem is not None:
            failures.append(RuleFailure(name, iid, problem, owners[name]))
        elif found:
            shared = rule.by_shape and shape is not None
            mine = _mine(ctx, issue, found, memo.routed if shared else frozenset(), checked=False)
            proposed.extend(mine or ())
    state = (shape or ctx.shape(issue)).state
    return _legal(
        ctx.campaign_type, issue, state, proposed, owners, starters, failures, memo.interned
    )


def _outcome(
    ctx: RuleContext,
    issue: Issue,
    shape: Shape,
    rules: tuple[tuple[str, EscalationRule], ...],
    owners: Mapping[str, str | None],
    starters: frozenset[str],
    progress: _Progress,
    memo: _Round,
) -> _Outcome:
    """What the rules that read shapes only propose for issues of ``shape`` (with the id of
    ``issue``): the legal proposals, their events and the rules' failures. Kept for the
    shape unless the lifecycle refused a proposal (the refusal names the issue)."""
    proposed: list[Action] = []
    problems: list[tuple[str, _Why]] = []
    for name, rule in rules:
        if not rule.by_shape:
            continue
        found, problem = _shaped(ctx, issue, shape, name, rule, progress, memo)
        if problem is not None:
            problems.append((name, problem))
        else:
            iid = issue.id
            proposed.extend(a if a.issue == iid else a._replace(issue=iid) for a in found)
    refused: list[RuleFailure] = []
    legal, events = _legal(
        ctx.campaign_type, issue, shape.state, proposed, owners, starters, refused, memo.interned
    )
    problems.extend((f.rule, f.phrase) for f in refused)
    outcome = (legal, events, problems)
    if not refused:
        memo.outcomes[id(shape)] = outcome
        memo.alive.append(shape)
    return outcome


def _refused(
    action: Action, issue: Issue, exc: TransitionError, owners: Mapping[str, str | None]
) -> RuleFailure:
    """The failure reported for a proposal the lifecycle refuses."""
    return RuleFailure(
        action.rule,
        issue.id,
        Phrase("rule.refused", {"inner": exc.phrase}),
        owners.get(action.rule),
    )


def _legal(
    ctype: CampaignType,
    issue: Issue,
    state: str,
    proposed: list[Action],
    owners: Mapping[str, str | None],
    starters: frozenset[str],
    failures: list[RuleFailure],
    interned: dict[tuple[object, ...], IssueEvent],
) -> tuple[list[Action], list[IssueEvent]]:
    """The proposals the lifecycle accepts in turn (clock restarts last) and their events
    (equal events, one object: see ``interned``, by the action with no issue)."""
    if not proposed:
        return [], []
    lifecycle = ctype.lifecycle
    proposed.sort(key=lambda a: a.kind in starters)
    legal: list[Action] = []
    events: list[IssueEvent] = []
    for action in proposed:
        plain = action[1:]
        event = interned.get(plain)
        if event is None:
            event = interned[plain] = action.to_event()
        try:
            state = lifecycle.step(issue, state, event)
        except TransitionError as exc:
            failures.append(_refused(action, issue, exc, owners))
            continue
        legal.append(action)
        events.append(event)
    return legal, events


def _mine(
    ctx: RuleContext,
    issue: Issue,
    actions: list[Action],
    routed: frozenset[str],
    *,
    checked: bool = True,
) -> list[Action] | None:
    """Proposals worked out for another issue of the same shape, made this issue's: its id,
    and where a rule is :attr:`~campaignkit.rules.records.EscalationRule.routed`, the
    department the policy routes it to. None (when ``checked``: the lifecycle's check of
    the proposals is shared too) if routing names no department where the lifecycle asks
    for one: then the issue is evaluated on its own."""
    iid = issue.id
    if not routed:
        return [a if a.issue == iid else _new(Action, (iid, *a[1:])) for a in actions]
    mine: list[Action] = []
    for action in actions:
        if action.rule in routed:
            department = ctx.route(issue, action.level).department
            if (
                checked
                and department is None
                and "department" in ctx._deriver().needs.get(action.kind, ())
            ):
                return None
            if action.issue != iid or action.department != department:
                action = action._replace(issue=iid, department=department)
        elif action.issue != iid:
            action = _new(Action, (iid, *action[1:]))
        mine.append(action)
    return mine


def _events_of(
    actions: list[Action], events: list[IssueEvent], interned: dict[tuple[object, ...], IssueEvent]
) -> list[IssueEvent]:
    """The events of ``actions`` (made an issue's by :func:`_mine`), where ``events`` were
    those of the proposals they were made from."""
    found = []
    for action, event in zip(actions, events, strict=True):
        if action.department != event.department:
            plain = action[1:]
            event = interned.get(plain) or interned.setdefault(plain, action.to_event())
        found.append(event)
    return found


def assess(
    ledger: Ledger,
    as_of: dt.date,
    *,
    manager: PluginManager | None = None,
    calendar: WorkCalendar | None = None,
    rules: Mapping[str, EscalationRule] | None = None,
    workspace: Workspace | None = None,
) -> Evaluation:
    """Run every rule for the ledger's campaign type on every issue.

    With ``workspace`` (holding this ledger), its campaign type, calendar and the
    shapes it derived once are used: evaluating the same workspace for several dates
    walks no history twice.

    ``rules`` replaces the registered ones (by name). Within an issue, actions
    that restart a clock (e.g. ``escalated``, ``reopened``) come after the
    others, so the others refer to the clock they were proposed for. A
    proposal the lifecycle refuses is reported as a failure of its rule.

    Actions can call for more: a reopened legacy issue is open again and may
    need its supervision meeting. So the rules run again on the issues that
    received actions, with those actions in their history, until they propose
    nothing more (at most :data:`MAX_ROUNDS` rounds). That is what makes a
    second evaluation of the applied ledger for the same date propose nothing.

    Actions name their issue by id: a ledger that gives one id to two issues (one
    nobody validated) is refused with a :class:`~campaignkit.errors.LedgerError`
    locating each repeat, as validation words it.
    """
    if workspace is not None and workspace.ledger is not ledger:
        raise ValueError("the workspace holds another ledger")
    if workspace is None or workspace.validated != ():  # (validated: no id given twice)
        shared = list(repeated(ledger.issues, "id", "issues", "issue id"))
        if shared:
            raise LedgerError(shared)
    pm = manager or (workspace.manager if workspace else None) or get_plugin_manager()
    if workspace is not None and calendar in (None, workspace.calendar):
        ctype, cal = workspace.campaign_type, workspace.calendar
    else:
        workspace = None
        ctype = pm.campaign_type(ledger.campaign.type)
        cal = calendar or WorkCalendar.from_manager(pm, ctype.key)
    chosen = dict(rules) if rules is not None else pm.escalation_rules(ctype.key)
    owners = {
        name: pm.owner("campaignkit_escalation_rules", name, ctype.key) if rules is None else None
        for name in chosen
    }
    with paused():  # many actions, clocks and states built, no cycles: see campaignkit.gcpause
        if pm.timeout is None:
            return _assess(
                ledger, as_of, ctype, chosen, cal, owners, _Progress(), pm.culprit, workspace
            )
        return _assess_watched(
            ledger, as_of, ctype, chosen, cal, owners, pm.timeout, pm.culprit, workspace
        )


def _assess_watched(
    ledger: Ledger,
    as_of: dt.date,
    ctype: CampaignType,
    chosen: dict[str, EscalationRule],
    cal: WorkCalendar,
    owners: Mapping[str, str | None],
    timeout: float,
    culprit: Callable[[BaseException], tuple[str, str] | None],
    workspace: Workspace | None = None,
) -> Evaluation:
    """:func:`_assess` in a worker thread; a rule call that outlasts ``timeout`` is
    reported by name, and the evaluation starts again without that rule."""
    skipped: list[RuleFailure] = []
    while True:
        progress = _Progress()

        def work(
            rules: dict[str, EscalationRule] = chosen, progress: _Progress = progress
        ) -> Evaluation:
            return _assess(ledger, as_of, ctype, rules, cal, owners, progress, culprit, workspace)

        try:
            result = watched(work, progress, timeout=timeout, name="escalation rules")
        except PluginTimeout as exc:
            if not progress.abandoned:
                raise  # raised by the rules' own code, not by this watchdog
            hung = str(exc.call)
        else:
            return attrs.evolve(result, failures=(*skipped, *result.failures))
        skipped.append(
            RuleFailure(
                hung,
                progress.issue,
                Phrase("rule.timeout", {"seconds": f"{timeout:g}"}),
                owners.get(hung),
            )
        )
        chosen = {name: rule for name, rule in chosen.items() if name != hung}


def _assess(
    ledger: Ledger,
    as_of: dt.date,
    ctype: CampaignType,
    chosen: Mapping[str, EscalationRule],
    cal: WorkCalendar,
    owners: Mapping[str, str | None],
    progress: _Progress,
    culprit: Callable[[BaseException], tuple[str, str] | None],
    workspace: Workspace | None = None,
) -> Evaluation:
    """The evaluation itself (see :func:`assess`)."""
    starters = _clock_starters(ctype.policy)
    lifecycle = ctype.lifecycle
    # Rules that declare the event kinds they propose are not called on an issue
    # whose state allows none of them. Only with the built-in guards is the state
    # derived before the rules run: another guard is plugin code, which runs
    # inside a rule call where the watchdog sees it.
    scoped = lifecycle.plain_guards and any(r.proposes is not None for r in chosen.values())
    by_state = {
        state.key: {
            name: rule
            for name, rule in chosen.items()
            if rule.proposes is None
            or any(lifecycle.allows(state.key, kind) for kind in rule.proposes)
        }
        for state in lifecycle.states
    }
    deriver = workspace.deriver if workspace else Deriver(lifecycle, ctype.policy, cal)
    routed = frozenset(n for n, r in chosen.items() if r.routed)
    memo = _Round({}, {}, {}, {}, routed, [], _blamer(owners, culprit))
    rules_of = {state: tuple(rules.items()) for state, rules in by_state.items()}
    every = tuple(chosen.items())
    # Shapes are derived ahead of the rules only where no plugin guard runs in a step:
    # another guard is plugin code, which must run inside a rule call (the watchdog).
    ahead = lifecycle.plain_guards
    failures: list[RuleFailure] = []
    found: dict[int, list[Action]] = {}
    """The actions proposed for each issue, by its position in the ledger."""
    current = ledger
    pending: tuple[Issue, ...] = ledger.issues
    position: dict[str, int] = {}
    """The position in the ledger of each issue the rounds evaluate, by id."""
    at: list[tuple[int, int, RuleFailure]] = []
    """Each failure with the round and the issue's position: the order rounds find them."""
    earlier: dict[str, Shape] = {}
    ctx = None
    if ahead:
        # a history the lifecycle refuses raises its TransitionError here
        if workspace is not None:
            first = list(workspace.shapes(as_of))
        else:
            first = [deriver.shape(issue, as_of) for issue in pending]
        ctx = _context(current, ctype, as_of, cal, deriver, ctx)
        rest: list[int] = []
        # The issues of one shape are settled together: the rules run once on the first
        # of them, and an issue of a shape that calls for nothing costs nothing more.
        for positions in _by_shape(first):
            begun = first[positions[0]]
            settled = _settle(
                ctx, pending[positions[0]], begun, rules_of if scoped else None, every, owners,
                starters, progress, memo,
            )  # fmt: skip
            if settled is None:
                rest.extend(positions)
                continue
            actions, problems = settled
            if not actions and not problems:
                continue
            for pos in positions:
                issue = pending[pos]
                mine = _mine(ctx, issue, actions, memo.routed)
                if mine is None:
                    rest.append(pos)
                    continue
                iid = issue.id
                if problems:
                    at.extend((r, pos, RuleFailure(n, iid, m, owners[n])) for r, n, m in problems)
                if mine:
                    found[pos] = mine
        rest.sort()
        earlier = {pending[pos].id: first[pos] for pos in rest}
        position = {pending[pos].id: pos for pos in rest}
        pending = tuple(pending[pos] for pos in rest)
    else:
        position = {issue.id: n for n, issue in enumerate(ledger.issues)}
    added: dict[str, tuple[IssueEvent, ...]] = {}
    appended: dict[str, list[IssueEvent]] = {}
    """Every event the rounds so far appended, by issue."""
    for round_ in range(MAX_ROUNDS):
        ctx = _context(current, ctype, as_of, cal, deriver, ctx)
        shapes: list[Shape | None] = [None] * len(pending)
        plans: list[_Plan] = []
        if ahead:
            if round_:  # each goes on from the last round's shape with the events appended
                earlier = {
                    issue.id: deriver.shape(
                        issue, as_of, events=added[issue.id], start=earlier[issue.id]
                    )
                    for issue in pending
                }
            shapes = [earlier[issue.id] for issue in pending]
            plans = [
                memo.plans.get(id(shape))
                or _plan(ctx, shape, rules_of[shape.state] if scoped else every, progress, memo)
                for shape in earlier.values()
            ]
            if round_ and not all(plan.shaped for plan in plans):
                # a rule that reads the issue runs: it sees the ledger with the events added
                current = ledger.with_events(appended)
                pending = tuple(current.issues[position[issue.id]] for issue in pending)
                ctx = _context(current, ctype, as_of, cal, deriver, ctx)
            ctx._shapes.update(earlier)
        added = {}
        latest: dict[str, list[Action]] = {}
        """What each issue was proposed in this round (in the last: what kept it going)."""
        for n, (issue, shape) in enumerate(zip(pending, shapes, strict=True)):
            iid = issue.id
            failed: list[RuleFailure] = []
            if shape is None:
                proposed, events = _run_issue(
                    ctx, issue, None, every, owners, starters, failed, progress, memo
                )
            else:
                plan = plans[n]
                known = memo.outcomes.get(id(shape)) if plan.shaped else None
                if plan.shaped and known is None:
                    known = _outcome(
                        ctx, issue, shape, plan.rules, owners, starters, progress, memo
                    )
                mine = None if known is None else _mine(ctx, issue, known[0], memo.routed)
                if known is not None and mine is not None:  # the same for the shape's issues
                    failed.extend(RuleFailure(r, iid, m, owners[r]) for r, m in known[2])
                    proposed, events = mine, _events_of(mine, known[1], memo.interned)
                else:
                    proposed, events = _run_issue(
                        ctx, issue, shape, plan.rules, owners, starters, failed, progress, memo
                    )
            if failed:
                at.extend((round_, position[iid], f) for f in failed)
            if proposed:
                found.setdefault(position[iid], []).extend(proposed)
                latest[iid] = proposed
                added[iid] = tuple(events)
                appended.setdefault(iid, []).extend(events)
        if not added:
            break
        if not ahead:
            current = ledger.with_events(appended)
        pending = tuple(current.issues[position[iid]] for iid in added)
    else:
        late: list[RuleFailure] = []
        _unsettled(pending, latest, owners, late)
        at.extend((MAX_ROUNDS, position[f.issue or ""], f) for f in late)
    at.sort(key=lambda item: item[:2])
    failures.extend(f for _, _, f in at)
    proposals = tuple(a for pos in sorted(found) for a in found[pos])
    unique = tuple(dict.fromkeys(failures))
    return Evaluation(as_of, proposals, unique, tuple(chosen))


def _by_shape(shapes: Sequence[Shape]) -> Iterable[list[int]]:
    """The positions of the issues of each shape (one object per shape), in the order the
    shapes first occur."""
    groups: dict[int, list[int]] = {}
    get = groups.get
    for pos, shape in enumerate(shapes):
        group = get(id(shape))
        if group is None:
            groups[id(shape)] = [pos]
        else:
            group.append(pos)
    return groups.values()


def _context(
    ledger: Ledger,
    ctype: CampaignType,
    as_of: dt.date,
    cal: WorkCalendar,
    deriver: Deriver,
    last: RuleContext | None,
) -> RuleContext:
    """A context for the rules on ``ledger`` (the ledger of a round), keeping what the
    ``last`` one worked out that does not depend on the ledger's events: routes, dates
    after deadlines and how clocks stand."""
    ctx = RuleContext(ledger, ctype, as_of, cal, deriver)
    if last is not None:
        object.__setattr__(ctx, "_routes", last._routes)
        object.__setattr__(ctx, "_after", last._after)
        object.__setattr__(ctx, "_judged", last._judged)
        object.__setattr__(ctx, "_alive", last._alive)
    return ctx


def _settle(
    ctx: RuleContext,
    issue: Issue,
    shape: Shape,
    rules_of: Mapping[str, tuple[tuple[str, EscalationRule], ...]] | None,
    every: tuple[tuple[str, EscalationRule], ...],
    owners: Mapping[str, str | None],
    starters: frozenset[str],
    progress: _Progress,
    memo: _Round,
) -> _Settled | None:
    """The evaluation of every issue of ``shape``, round after round, worked out on
    ``issue`` (proposals with its id): where only rules that read shapes run in every
    round, nothing is refused and the rounds settle, it is the same for all of them.
    None otherwise: each such issue is evaluated on its own."""
    actions: list[Action] = []
    problems: list[tuple[int, str, _Why]] = []
    for round_ in range(MAX_ROUNDS):
        plan = memo.plans.get(id(shape))
        if plan is None:
            rules = rules_of[shape.state] if rules_of is not None else every
            plan = _plan(ctx, shape, rules, progress, memo)
        if not plan.shaped:
            return None
        ctx._shapes[issue.id] = shape
        known = memo.outcomes.get(id(shape))
        if known is None:
            _outcome(ctx, issue, shape, plan.rules, owners, starters, progress, memo)
            known = memo.outcomes.get(id(shape))
            if known is None:  # the lifecycle refused a proposal: it names the issue
                return None
        legal, events, found = known
        problems.extend((round_, rule, message) for rule, message in found)
        if not legal:
            return actions, problems
        iid = issue.id
        actions.extend(a if a.issue == iid else a._replace(issue=iid) for a in legal)
        shape = ctx._deriver().shape(issue, ctx.as_of, events=events, start=shape)
    return None


def _unsettled(
    pending: Iterable[Issue],
    latest: Mapping[str, list[Action]],
    owners: Mapping[str, str | None],
    failures: list[RuleFailure],
) -> None:
    """The failure of each issue the rounds did not settle: named after the rules that
    still proposed in the last round (and their plugin, where they share one), not every
    rule that proposed on the way."""
    for issue in pending:
        names = sorted({a.rule for a in latest[issue.id]})
        plugins = {owners.get(name) for name in names}
        failures.append(
            RuleFailure(
                ", ".join(names),
                issue.id,
                Phrase("rule.rounds", {"rounds": MAX_ROUNDS}),
                plugins.pop() if len(plugins) == 1 else None,
            )
        )


def evaluate(
    ledger: Ledger,
    as_of: dt.date,
    *,
    manager: PluginManager | None = None,
    calendar: WorkCalendar | None = None,
    workspace: Workspace | None = None,
) -> tuple[Action, ...]:
    """The actions every rule proposes for ``ledger`` as of ``as_of``.

    Pure: the same ledger and date give the same actions. A rule that raises
    is reported by a :class:`RuleFailedWarning` naming it (use :func:`assess`
    to get the failures as data) and the other rules still run.
    """
    result = assess(ledger, as_of, manager=manager, calendar=calendar, workspace=workspace)
    for failure in result.failures:
        warnings.warn(str(failure), RuleFailedWarning, stacklevel=2)
    return result.actions


def apply(
    ledger: Ledger, actions: Iterable[Action], *, manager: PluginManager | None = None
) -> Ledger:
    """A new ledger with ``actions`` appended as events, checked by the lifecycle.

    All or nothing: an action the lifecycle refuses raises
    :class:`~campaignkit.errors.TransitionError`, actions dated before their
    issue's latest event raise :class:`~campaignkit.errors.ActionDateError` (a
    ``LedgerError`` locating every such issue, and a ``ValueError``) and an unknown
    issue ``KeyError``,
    before anything is applied. Afterwards ``campaignkit_issue_state_changed``
    fires for each issue whose derived state changed, then
    ``campaignkit_actions_applied`` once with every applied action.
    """
    pm = manager or get_plugin_manager()
    ctype = pm.campaign_type(ledger.campaign.type)
    lifecycle = ctype.lifecycle
    applied = tuple(actions)
    grouped: dict[str, list[Action]] = {}
    for action in applied:
        grouped.setdefault(action.issue, []).append(action)
    missing = sorted(i for i in grouped if i not in ledger.issue_index)
    if missing:
        raise KeyError(f"unknown issue(s): {', '.join(missing)}")
    early: list[tuple[str, Action, dt.date]] = []
    for issue_id, group in grouped.items():
        last = latest_event_date(ledger.issue_index[issue_id])  # its events in any order
        for action in group:
            if action.date < last:
                early.append((issue_id, action, last))
                break
            last = action.date
    if early:
        position = {issue.id: n for n, issue in enumerate(ledger.issues)}
        raise ActionDateError(
            Problem.of(
                "action-before-latest",
                f"issues[{position[issue_id]}]",
                issue=issue_id,
                kind=lifecycle.event_words(action.kind) or action.kind,
                rule=action.rule,
                day=action.date.isoformat(),
                latest=last.isoformat(),
            )
            for issue_id, action, last in sorted(early, key=lambda e: position[e[0]])
        )
    additions: dict[str, tuple[IssueEvent, ...]] = {}
    changes: list[tuple[str, IssueState, IssueState]] = []
    states = Deriver.of_states(lifecycle)
    for issue_id, group in grouped.items():
        issue = ledger.issue_index[issue_id]
        events = tuple(a.to_event() for a in group)
        old = states.view(issue).issue_state(issue_id)
        new = states.view(issue, events=(*issue.events, *events)).issue_state(issue_id)
        additions[issue_id] = events
        if new != old:
            changes.append((issue_id, old, new))
    result = ledger.with_events(additions)
    for issue_id, old, new in changes:
        pm.notify(
            "campaignkit_issue_state_changed",
            ledger=result,
            issue=result.issue_index[issue_id],
            old=old,
            new=new,
            actions=tuple(grouped[issue_id]),
            campaign_type=ctype,
        )
    if applied:
        pm.notify(
            "campaignkit_actions_applied", ledger=result, actions=applied, campaign_type=ctype
        )
    return result
