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
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple, cast

import attrs
from attrs import field, frozen

from campaignkit.derive.calendar import WorkCalendar, default_calendar
from campaignkit.derive.deadlines import Clock, current_clocks, issue_clocks
from campaignkit.derive.routing import RouteChoice, route_issue
from campaignkit.errors import TransitionError
from campaignkit.gcpause import paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.hooks.watchdog import PluginTimeout, Watch, watched
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import IssueState, replay
from campaignkit.rules.policy import IssuePolicy
from campaignkit.rules.records import CampaignType, EscalationRule

if TYPE_CHECKING:
    from campaignkit.derive.walks import Node
    from campaignkit.plugins.escalation_rules import FastRules

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
    """

    issue: str
    kind: str
    """The event kind to append: ``warned``, ``marked_overdue``, ``supervised``,
    ``escalated``, ``meeting_called``, ``reopened`` …"""
    rule: str
    """Name of the escalation rule that proposed it."""
    date: dt.date
    reason: str
    """Why, in Chinese: stored as the event's ``note``."""
    level: str | None = None
    department: str | None = None
    stage: str | None = None
    due: dt.date | None = None
    reason_en: str = ""
    """Why, in English (for display)."""

    def why(self, lang: str = "zh") -> str:
        """The reason in ``lang`` (Chinese when no English text was given)."""
        return self.reason_en if lang == "en" and self.reason_en else self.reason

    def to_event(self) -> IssueEvent:
        """The event that applying this action appends."""
        return IssueEvent(
            kind=self.kind,
            date=self.date,
            level=self.level,
            department=self.department,
            stage=self.stage,
            due=self.due,
            rule=self.rule,
            note=self.reason,
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


@frozen
class RuleContext:
    """What a rule sees besides the issue: the ledger, its campaign type and the date.

    The helpers derive everything from the history as of ``as_of`` (events
    dated later are not seen) and cache it for the rules of one evaluation.
    """

    ledger: Ledger
    campaign_type: CampaignType
    as_of: dt.date
    calendar: WorkCalendar = field(factory=default_calendar)
    _events: dict[str, tuple[IssueEvent, ...]] = field(
        factory=dict, init=False, eq=False, repr=False
    )
    _states: dict[str, IssueState] = field(factory=dict, init=False, eq=False, repr=False)
    _clocks: dict[str, tuple[Clock, ...]] = field(factory=dict, init=False, eq=False, repr=False)
    _current: dict[str, Mapping[str, Clock]] = field(factory=dict, init=False, eq=False, repr=False)

    @property
    def policy(self) -> IssuePolicy:
        """The campaign type's issue policy."""
        return self.campaign_type.policy

    def events(self, issue: Issue) -> tuple[IssueEvent, ...]:
        """The issue's events dated on or before ``as_of``."""
        found = self._events.get(issue.id)
        if found is None:
            as_of = self.as_of
            found = self._events[issue.id] = tuple(e for e in issue.events if e.date <= as_of)
        return found

    def state(self, issue: Issue) -> IssueState:
        """The issue's derived state as of ``as_of``."""
        found = self._states.get(issue.id)
        if found is None:
            lifecycle = self.campaign_type.lifecycle
            found = self._states[issue.id] = replay(issue, lifecycle, self.events(issue))
        return found

    def clocks(self, issue: Issue) -> tuple[Clock, ...]:
        """Every deadline clock of the issue as of ``as_of``."""
        found = self._clocks.get(issue.id)
        if found is None:
            found = self._clocks[issue.id] = issue_clocks(
                issue, self.policy, as_of=self.as_of, calendar=self.calendar
            )
        return found

    def _reuse_clocks(self, other: RuleContext, issue_id: str) -> None:
        """Take the clocks ``other`` derived for an issue whose clock events are unchanged."""
        if issue_id in other._clocks:
            self._clocks[issue_id] = other._clocks[issue_id]
        if issue_id in other._current:
            self._current[issue_id] = other._current[issue_id]

    def current(self, issue: Issue) -> Mapping[str, Clock]:
        """The latest clock of each stage of the issue, by stage key."""
        found = self._current.get(issue.id)
        if found is None:
            found = self._current[issue.id] = current_clocks(self.clocks(issue))
        return found

    def allows(self, issue: Issue, kind: str) -> bool:
        """True if the lifecycle allows an event of ``kind`` in the issue's state now."""
        return self.campaign_type.lifecycle.allows(self.state(issue).state, kind)

    def after(self, day: dt.date, limit: Deadline) -> dt.date:
        """The date ``limit`` after ``day`` under the calendars."""
        return self.calendar.add_deadline(day, limit).date

    def since(self, issue: Issue, index: int, kind: str, stage: str | None = None) -> bool:
        """True if an event of ``kind`` follows ``issue.events[index]`` (as of ``as_of``).

        With ``stage``, only events for that stage or for no particular stage count.
        """
        return events_since(issue.events, self.as_of, index, kind, stage)

    def route(self, issue: Issue, level: str | None = None) -> RouteChoice:
        """Where the policy routes this issue (at ``level`` if given)."""
        return route_issue(issue, self.campaign_type, self.ledger, level=level)


@frozen
class RuleFailure:
    """A rule that raised (or proposed something malformed) on an issue."""

    rule: str
    issue: str | None
    message: str
    plugin: str | None = None

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


def _check(action: object, rule: EscalationRule, issue: Issue, kinds: frozenset[str]) -> str | None:
    if not isinstance(action, Action):
        return f"proposed {type(action).__name__}, expected Action"
    if action.issue != issue.id:
        return f"proposed an action for issue {action.issue!r} while evaluating {issue.id!r}"
    if action.rule != rule.name:
        return f"proposed an action naming rule {action.rule!r}"
    if action.kind not in kinds:
        return f"proposed unknown event kind {action.kind!r}"
    if not isinstance(action.date, dt.date) or isinstance(action.date, dt.datetime):
        return f"proposed an action dated {action.date!r}, expected a date"
    if not isinstance(action.reason, str):
        return f"proposed an action whose reason is {type(action.reason).__name__}, expected text"
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


def _run_issue(
    ctx: RuleContext,
    issue: Issue,
    chosen: Mapping[str, EscalationRule],
    owners: Mapping[str, str | None],
    starters: frozenset[str],
    failures: list[RuleFailure],
    progress: _Progress,
) -> tuple[list[Action], list[IssueEvent]]:
    """Every rule on one issue; proposals the lifecycle refuses are reported, not returned.

    Returns the legal actions and the events they append.
    """
    kinds = ctx.campaign_type.lifecycle.event_kinds
    proposed: list[Action] = []
    for name, rule in chosen.items():
        if progress.abandoned:
            raise _Abandoned
        progress.issue = issue.id
        progress.calls += 1
        progress.current = name
        try:
            found = list(rule.evaluate(ctx, issue))
        except Exception as exc:  # noqa: BLE001 - isolated and reported by rule name
            failures.append(
                RuleFailure(name, issue.id, f"{type(exc).__name__}: {exc}", owners[name])
            )
            continue
        finally:
            progress.current = None
        if not found:
            continue
        problems = [p for p in (_check(a, rule, issue, kinds) for a in found) if p]
        if problems:
            failures.append(RuleFailure(name, issue.id, problems[0], owners[name]))
            continue
        proposed.extend(a for a in found if isinstance(a, Action))
    return _legal(
        ctx.campaign_type, issue, ctx.state(issue).state, proposed, owners, starters, failures
    )


def _refused(
    action: Action, issue: Issue, exc: TransitionError, owners: Mapping[str, str | None]
) -> RuleFailure:
    """The failure reported for a proposal the lifecycle refuses."""
    return RuleFailure(
        action.rule, issue.id, f"proposed a refused event: {exc}", owners.get(action.rule)
    )


def _legal(
    ctype: CampaignType,
    issue: Issue,
    state: str,
    proposed: list[Action],
    owners: Mapping[str, str | None],
    starters: frozenset[str],
    failures: list[RuleFailure],
) -> tuple[list[Action], list[IssueEvent]]:
    """The proposals the lifecycle accepts in turn (clock restarts last) and their events."""
    if not proposed:
        return [], []
    lifecycle = ctype.lifecycle
    proposed.sort(key=lambda a: a.kind in starters)
    legal: list[Action] = []
    events: list[IssueEvent] = []
    for action in proposed:
        event = action.to_event()
        try:
            state = lifecycle.step(issue, state, event)
        except TransitionError as exc:
            failures.append(_refused(action, issue, exc, owners))
            continue
        legal.append(action)
        events.append(event)
    return legal, events


def assess(
    ledger: Ledger,
    as_of: dt.date,
    *,
    manager: PluginManager | None = None,
    calendar: WorkCalendar | None = None,
    rules: Mapping[str, EscalationRule] | None = None,
) -> Evaluation:
    """Run every rule for the ledger's campaign type on every issue.

    ``rules`` replaces the registered ones (by name). Within an issue, actions
    that restart a clock (e.g. ``escalated``, ``reopened``) come after the
    others, so the others refer to the clock they were proposed for. A
    proposal the lifecycle refuses is reported as a failure of its rule.

    Actions can call for more: a reopened legacy issue is open again and may
    need its supervision meeting. So the rules run again on the issues that
    received actions, with those actions in their history, until they propose
    nothing more (at most :data:`MAX_ROUNDS` rounds). That is what makes a
    second evaluation of the applied ledger for the same date propose nothing.
    """
    pm = manager or get_plugin_manager()
    ctype = pm.campaign_type(ledger.campaign.type)
    chosen = dict(rules) if rules is not None else pm.escalation_rules(ctype.key)
    cal = calendar or WorkCalendar.from_manager(pm)
    owners = {
        name: pm.owner("campaignkit_escalation_rules", name) if rules is None else None
        for name in chosen
    }
    with paused():  # many actions, clocks and states built, no cycles: see campaignkit.gcpause
        if pm.timeout is None:
            return _assess(ledger, as_of, ctype, chosen, cal, owners, _Progress())
        return _assess_watched(ledger, as_of, ctype, chosen, cal, owners, pm.timeout)


def _assess_watched(
    ledger: Ledger,
    as_of: dt.date,
    ctype: CampaignType,
    chosen: dict[str, EscalationRule],
    cal: WorkCalendar,
    owners: Mapping[str, str | None],
    timeout: float,
) -> Evaluation:
    """:func:`_assess` in a worker thread; a rule call that outlasts ``timeout`` is
    reported by name, and the evaluation starts again without that rule."""
    skipped: list[RuleFailure] = []
    while True:
        progress = _Progress()

        def work(
            rules: dict[str, EscalationRule] = chosen, progress: _Progress = progress
        ) -> Evaluation:
            return _assess(ledger, as_of, ctype, rules, cal, owners, progress)

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
                f"did not finish within {timeout:g} s; the rule was skipped",
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
) -> Evaluation:
    """The evaluation itself (see :func:`assess`)."""
    from campaignkit.plugins.escalation_rules import FastRules

    if FastRules.applies(ctype, chosen, cal):
        fast = FastRules(ledger, ctype, chosen, as_of, cal)
        return _assess_fast(fast, chosen, owners, progress)
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
    failures: list[RuleFailure] = []
    found: dict[str, list[Action]] = {}
    round_actions: dict[str, tuple[IssueEvent, ...]] = {}
    current = ledger
    pending: tuple[Issue, ...] = ledger.issues
    clock_kinds = starters | {k for st in ctype.policy.stages for k in st.stop}
    clock_kinds |= {"extended", "paused", "resumed"}
    previous: RuleContext | None = None
    for _ in range(MAX_ROUNDS):
        ctx = RuleContext(current, ctype, as_of, cal)
        if previous is not None:
            # Clocks do not change when the appended events neither start, stop,
            # extend nor pause one: reuse them instead of computing them again.
            for issue in pending:
                appended = round_actions[issue.id]
                if not any(e.kind in clock_kinds for e in appended):
                    ctx._reuse_clocks(previous, issue.id)
        previous = ctx
        round_actions = {}
        for issue in pending:
            rules = by_state[ctx.state(issue).state] if scoped else chosen
            proposed, events = _run_issue(ctx, issue, rules, owners, starters, failures, progress)
            if proposed:
                found.setdefault(issue.id, []).extend(proposed)
                round_actions[issue.id] = tuple(events)
        if not round_actions:
            break
        current = current.with_events(round_actions)
        pending = tuple(current.issue_index[i] for i in round_actions)
    else:
        _unsettled(pending, found, failures)
    actions = tuple(a for issue in ledger.issues for a in found.get(issue.id, ()))
    unique = tuple(dict.fromkeys(failures))
    return Evaluation(as_of, actions, unique, tuple(chosen))


def _unsettled(
    pending: Iterable[Issue], found: Mapping[str, list[Action]], failures: list[RuleFailure]
) -> None:
    for issue in pending:
        failures.append(
            RuleFailure(
                ", ".join(sorted({a.rule for a in found[issue.id]})),
                issue.id,
                f"the rules still propose actions after {MAX_ROUNDS} rounds",
            )
        )


def _assess_fast(
    fast: FastRules,
    chosen: Mapping[str, EscalationRule],
    owners: Mapping[str, str | None],
    progress: _Progress,
) -> Evaluation:
    """:func:`_assess` for the built-in rules: each issue's proposals in one pass.

    Each issue's node (``campaignkit.derive.walks``) is where its whole history ends,
    kept with the ledger by validation or the first evaluation; an issue with
    events after the date is walked up to the date. Issues whose walks end at
    the same node get alike proposals in every round, so the first issue to
    end at a node settles on its own (:class:`_Settler`) and the others take
    its plan, with their own id, routing and meeting reason. Failures are
    reported in the order the general path finds them: by round, then by
    issue.
    """
    settle = _Settler(fast, chosen, owners, progress)
    apart = fast.APART  # the node's issues settle each on its own
    actions: list[Action] = []
    add = actions.extend
    new = tuple.__new__
    root, after, as_of, plans = fast.root, fast.after, fast.as_of, fast.plans
    issues = fast.ledger.issues
    ends, lasts = fast.walks.index(issues)
    for position, issue in enumerate(issues):
        node = ends[position]
        if node is None or lasts[position] > as_of:
            node = root  # walked up to the date: no call per event
            try:
                for event in issue.events:
                    if event.date > as_of:
                        continue
                    step = node.after.get(id(event))
                    node = step if step is not None else after(node, event)
            except Exception:  # noqa: BLE001 - the issue settles on its own, which reports it
                found, _ = settle(position, issue)
                add(found)
                continue
        # an issue ending at a node: its plan by whether a legacy meeting is due
        node = node.rules  # alike for the rules, whether or not a deadline was missed
        store = plans[issue.legacy and fast.legacy_due(issue)]
        plan = store.get(node)
        if plan is not None and plan is not apart:
            plain, items = plan
            if not items:
                continue
            if plain:
                iid = issue.id
                add([new(Action, (iid, *item)) for item in items])
            else:
                add(fast.actions(issue, items))
            continue
        found, alike = settle(position, issue, node)
        add(found)
        if plan is None:
            store[node] = fast.plan(found) if alike else apart
    settle.failures.sort(key=lambda f: f[:2])
    unique = tuple(dict.fromkeys(f[2] for f in settle.failures))
    return Evaluation(fast.as_of, tuple(actions), unique, tuple(chosen))


class _Settler:
    """Runs the rules on one issue, round after round, until they propose nothing more.

    What the general path does for every issue in turn, for one issue: each
    round the built-in rules (:meth:`FastRules.propose`) read the history with
    the earlier rounds' actions appended; an issue whose history the shortcut
    cannot take is handed to the rules one by one, as in :func:`_assess`.
    """

    def __init__(
        self,
        fast: FastRules,
        chosen: Mapping[str, EscalationRule],
        owners: Mapping[str, str | None],
        progress: _Progress,
    ) -> None:
        self.fast, self.chosen, self.owners, self.progress = fast, chosen, owners, progress
        self.starters = _clock_starters(fast.policy)
        self.ctx: RuleContext | None = None
        self.failures: list[tuple[int, int, RuleFailure]] = []
        """(round, issue position, failure): sorted, the general path's order."""

    def __call__(
        self, position: int, issue: Issue, node: Node | None = None
    ) -> tuple[list[Action], bool]:
        """The issue's settled proposals, and True if every issue whose walk ends at the
        same node gets the same (False when it failed a rule, or its history went to the
        rules one by one). ``node``: where the issue's walk up to the date stands, if
        known (the first round reads it instead of walking the history again)."""
        fast = self.fast
        lifecycle = fast.lifecycle
        moves, clock_kinds, starters = fast.moves, fast.clock_kinds, self.starters
        failures: list[RuleFailure] = []
        alike = True
        found: list[Action] = []
        history = issue.events
        for round_ in range(MAX_ROUNDS):
            try:
                state, proposed = fast.propose(issue, history, node if round_ == 0 else None)
            except Exception:  # noqa: BLE001 - the rules one by one report it as they would
                alike = False
                whole = issue
                if history is issue.events:
                    ctx = self.ctx = self.ctx or RuleContext(
                        fast.ledger, fast.campaign_type, fast.as_of, fast.calendar
                    )
                else:  # a later round: a context of its own (it remembers states by issue id)
                    events = tuple(_real(e) for e in history)
                    whole = attrs.evolve(issue, events=events)
                    ctx = RuleContext(fast.ledger, fast.campaign_type, fast.as_of, fast.calendar)
                legal, added = _run_issue(
                    ctx, whole, self.chosen, self.owners, starters, failures, self.progress
                )
                self._report(round_, position, failures)
                if not legal:
                    return found, alike
                found.extend(legal)
                history = (*history, *added)
                continue
            if not proposed:
                return found, alike
            # the proposals the lifecycle accepts in turn, as in _legal, with the appended
            # events read from the actions (every field of the event they make)
            if len(proposed) > 1:
                proposed.sort(key=lambda a: a.kind in starters)
            # Settled: every accepted action leaves the state, the level and the clocks as
            # they were. Then the rules, run again, find each accepted action in the
            # history and propose at most the refused ones again, refused alike (one
            # failure, already reported): the next round is skipped.
            settled = True
            legal = []
            for action in proposed:
                move = moves[state].get(action.kind)
                if move is None or (
                    move[1] and any(getattr(_appended(action), n) is None for n in move[1])
                ):
                    try:
                        state = lifecycle.step(issue, state, action.to_event())
                    except TransitionError as exc:
                        failures.append(_refused(action, issue, exc, self.owners))
                        continue
                    settled = False
                else:
                    if move[0] != state or action.level is not None or action.kind in clock_kinds:
                        settled = False
                    state = move[0]
                legal.append(action)
            if failures:
                alike = False
                self._report(round_, position, failures)
            found.extend(legal)
            if not legal or settled:
                return found, alike
            history = (*history, *(cast(IssueEvent, _appended(action)) for action in legal))
        _unsettled([issue], {issue.id: found}, failures)
        self._report(MAX_ROUNDS, position, failures)
        return found, False

    def _report(self, round_: int, position: int, failures: list[RuleFailure]) -> None:
        self.failures.extend((round_, position, failure) for failure in failures)
        failures.clear()


class _Appended(NamedTuple):
    """An accepted action as the next round of the shortcut reads it: every field of
    the event :meth:`Action.to_event` makes, without making it."""

    kind: str
    date: dt.date
    time: dt.time | None
    level: str | None
    department: str | None
    deadline: Deadline | None
    due: dt.date | None
    stage: str | None
    rating: Satisfaction | None
    by: str | None
    rule: str | None
    note: str | None
    extra: Mapping[str, object]
    action: Action


_NO_EXTRA = IssueEvent("warned", dt.date.min).extra


def _appended(action: Action) -> _Appended:
    """The event an accepted action appends, as the next round of the shortcut reads it."""
    return _Appended(
        action.kind,
        action.date,
        None,
        action.level,
        action.department,
        None,
        action.due,
        action.stage,
        None,
        None,
        action.rule,
        action.reason,
        _NO_EXTRA,
        action,
    )


def _real(event: IssueEvent | _Appended) -> IssueEvent:
    """The event itself, or the one an appended action makes."""
    return event.action.to_event() if isinstance(event, _Appended) else event


def evaluate(
    ledger: Ledger,
    as_of: dt.date,
    *,
    manager: PluginManager | None = None,
    calendar: WorkCalendar | None = None,
) -> tuple[Action, ...]:
    """The actions every rule proposes for ``ledger`` as of ``as_of``.

    Pure: the same ledger and date give the same actions. A rule that raises
    is reported by a :class:`RuleFailedWarning` naming it (use :func:`assess`
    to get the failures as data) and the other rules still run.
    """
    result = assess(ledger, as_of, manager=manager, calendar=calendar)
    for failure in result.failures:
        warnings.warn(str(failure), RuleFailedWarning, stacklevel=2)
    return result.actions


def apply(
    ledger: Ledger, actions: Iterable[Action], *, manager: PluginManager | None = None
) -> Ledger:
    """A new ledger with ``actions`` appended as events, checked by the lifecycle.

    All or nothing: an action the lifecycle refuses raises
    :class:`~campaignkit.errors.TransitionError`, an action dated before the
    issue's last event raises ``ValueError`` and an unknown issue ``KeyError``,
    before anything is applied. Afterwards ``campaignkit_issue_state_changed``
    fires for each issue whose derived state changed, then
    ``campaignkit_actions_applied`` once with every applied action.
    """
    pm = manager or get_plugin_manager()
    lifecycle = pm.campaign_type(ledger.campaign.type).lifecycle
    applied = tuple(actions)
    grouped: dict[str, list[Action]] = {}
    for action in applied:
        grouped.setdefault(action.issue, []).append(action)
    missing = sorted(i for i in grouped if i not in ledger.issue_index)
    if missing:
        raise KeyError(f"unknown issue(s): {', '.join(missing)}")
    additions: dict[str, tuple[IssueEvent, ...]] = {}
    changes: list[tuple[str, IssueState, IssueState]] = []
    for issue_id, group in grouped.items():
        issue = ledger.issue_index[issue_id]
        events = tuple(a.to_event() for a in group)
        last = issue.events[-1].date if issue.events else issue.raised
        for action in group:
            if action.date < last:
                raise ValueError(
                    f"issue {issue_id!r}: action {action.kind!r} of rule {action.rule!r} is "
                    f"dated {action.date.isoformat()}, before the issue's last event or "
                    f"raising ({last.isoformat()})"
                )
            last = action.date
        old = replay(issue, lifecycle)
        new = replay(issue, lifecycle, (*issue.events, *events))
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
        )
    if applied:
        pm.notify("campaignkit_actions_applied", ledger=result, actions=applied)
    return result
