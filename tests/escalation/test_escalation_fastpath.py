"""Rules that read shapes only, called once per shape, propose what they do called on
every issue.

:func:`campaignkit.escalation.engine.assess` calls a rule with ``by_shape`` once per
shape and gives the other issues of that shape its proposals. Here the same rules are
also handed wrapped in another function without ``by_shape`` (called on every issue),
with and without their declared event kinds (which let the evaluation skip a rule on
an issue whose state allows none of them); both agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import write_ledger
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.deadlines import (
    ClockStatus,
    deadline_flags,
    issue_clocks,
    resolved_on_time,
)
from campaignkit.derive.views import replay
from campaignkit.errors import LedgerError, TransitionError
from campaignkit.escalation.engine import Action, Evaluation, RuleContext, assess
from campaignkit.hooks.manager import PluginManager, new_plugin_manager
from campaignkit.hooks.specs import hookimpl
from campaignkit.io import load, validate
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.plugins import escalation_rules as builtin
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.lifecycle import (
    DEFAULT_LIFECYCLE,
    Lifecycle,
    Needs,
    StateKind,
    Transition,
)
from campaignkit.rules.records import CampaignType, EscalationRule
from campaignkit.workspace import Workspace
from tests import strategies

D = dt.date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"
FAST = {rule.name: rule for rule in builtin.RULES}


def wrapped(rule: EscalationRule, *, scoped: bool) -> EscalationRule:
    """The same rule behind another function, so the engine calls it like a plugin rule."""
    inner = rule.evaluate

    def evaluate(ctx: RuleContext, issue: Issue) -> Iterable[Action]:
        return inner(ctx, issue)

    return attrs.evolve(
        rule, evaluate=evaluate, proposes=rule.proposes if scoped else None, by_shape=False
    )


def general(
    *, scoped: bool, rules: Mapping[str, EscalationRule] = FAST
) -> dict[str, EscalationRule]:
    return {name: wrapped(rule, scoped=scoped) for name, rule in rules.items()}


@pytest.fixture(scope="module")
def pm() -> PluginManager:
    return new_plugin_manager(entry_points=False)


def agree(
    ledger: Ledger,
    as_of: dt.date,
    pm: PluginManager,
    chosen: Mapping[str, EscalationRule] = FAST,
) -> Evaluation:
    """Assess both ways; both agree on actions, failures and rules. Returns the first."""
    fast = assess(ledger, as_of, manager=pm, rules=chosen)
    for scoped in (True, False):
        rules = general(scoped=scoped, rules=chosen)
        slow = assess(ledger, as_of, manager=pm, rules=rules)
        assert slow.actions == fast.actions
        assert slow.failures == fast.failures
        assert slow.rules == fast.rules
    return fast


@pytest.fixture(scope="module")
def example() -> Ledger:
    return load(EXAMPLE)


@pytest.mark.parametrize(
    "as_of", [D(2020, 4, 1), D(2020, 4, 20), D(2020, 5, 6), D(2020, 5, 12), D(2020, 7, 31)]
)
def test_agree_on_the_example(example: Ledger, pm: PluginManager, as_of: dt.date) -> None:
    agree(example, as_of, pm)


def test_the_registered_rules_agree(example: Ledger, pm: PluginManager) -> None:
    as_of = D(2020, 5, 12)
    registered = assess(example, as_of, manager=pm)
    chosen = pm.escalation_rules(CAMPAIGN_TYPE.key)
    assert registered.actions == agree(example, as_of, pm, chosen).actions
    assert registered.actions


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    path = tmp_path_factory.mktemp("province") / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 3000, seed=5)
    return load(path)


@pytest.mark.parametrize("as_of", [D(2024, 3, 20), D(2024, 6, 1), D(2024, 11, 15), D(2025, 2, 1)])
def test_agree_on_a_generated_province(province: Ledger, pm: PluginManager, as_of: dt.date) -> None:
    fast = agree(province, as_of, pm)
    kinds = {a.kind for a in fast.actions}
    if as_of == D(2024, 11, 15):
        assert {"warned", "marked_overdue", "supervised", "escalated", "reopened"} <= kinds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.ledgers(), st.dates(D(2020, 4, 1), D(2020, 8, 31)))
def test_agree_on_random_ledgers(ledger: Ledger, as_of: dt.date) -> None:
    agree(ledger, as_of, new_plugin_manager(entry_points=False))


def test_a_history_that_does_not_replay_fails_the_same_way(
    example: Ledger, pm: PluginManager
) -> None:
    first = example.issues[0]
    broken = attrs.evolve(first, events=(IssueEvent("resolved", first.raised),))
    ledger = example.replace(issues=(broken, *example.issues[1:]))
    messages = []
    for rules in (FAST, general(scoped=True), general(scoped=False)):
        with pytest.raises(TransitionError) as info:
            assess(ledger, D(2020, 5, 12), manager=pm, rules=rules)
        messages.append(str(info.value))
    assert len(set(messages)) == 1


def test_a_rule_is_not_called_where_its_event_kinds_are_not_allowed(
    example: Ledger, pm: PluginManager
) -> None:
    seen: list[str] = []

    def counting(ctx: RuleContext, issue: Issue) -> Iterable[Action]:
        seen.append(ctx.state(issue).state)
        return ()

    as_of = D(2020, 5, 12)
    rule = EscalationRule("count", builtin.REOPEN_DISSATISFIED.label, counting)
    assess(example, as_of, manager=pm, rules={"count": rule})
    assert len(seen) == len(example.issues)
    everywhere = set(seen)
    seen.clear()
    scoped = attrs.evolve(rule, proposes=("reopened",))
    assess(example, as_of, manager=pm, rules={"count": scoped})
    allowed = {s for s in everywhere if DEFAULT_LIFECYCLE.allows(s, "reopened")}
    assert seen and set(seen) == allowed
    assert len(everywhere) > len(allowed)


def test_transitions_keep_comparing_as_before() -> None:
    assert isinstance(DEFAULT_LIFECYCLE.transitions[0], Transition)
    assert DEFAULT_LIFECYCLE == DEFAULT_LIFECYCLE


CUT = D(2024, 9, 1)


@pytest.fixture(scope="module")
def extended(province: Ledger) -> Ledger:
    """Generated ledgers have no extensions: add some, of every kind, on 1 September."""
    cut = CUT
    issues = []
    extended = 0
    for n, issue in enumerate(province.issues):
        events = tuple(e for e in issue.events if e.date <= cut)
        if issue.raised > cut:
            continue
        state = replay(issue, DEFAULT_LIFECYCLE, events)
        if state.kind in (StateKind.OPEN, StateKind.WAITING) and n % 3:
            deadline = Deadline(n % 4, DeadlineUnit.WORKING_DAYS if n % 5 else DeadlineUnit.DAYS)
            stage = (None, "response", "resolution")[n % 3]
            due = cut + dt.timedelta(days=n % 9) if n % 7 == 0 else None
            events = (*events, IssueEvent("extended", cut, deadline=deadline, stage=stage, due=due))
            extended += 1
        issues.append(attrs.evolve(issue, events=events))
    assert extended > 100
    return province.replace(issues=tuple(issues))


@pytest.mark.parametrize("as_of", [CUT, D(2024, 9, 10), D(2024, 10, 20)])
def test_agree_with_extensions(extended: Ledger, pm: PluginManager, as_of: dt.date) -> None:
    agree(extended, as_of, pm)


@pytest.mark.parametrize("as_of", [D(2024, 6, 1), CUT, D(2024, 10, 20)])
def test_deadline_flags_match_the_clocks(
    province: Ledger, extended: Ledger, as_of: dt.date
) -> None:
    """The flags remember due dates in the calendar: two policies sharing one calendar
    (the second with other limits) each get their own."""
    stricter = attrs.evolve(
        CAMPAIGN_TYPE.policy,
        stages=tuple(
            attrs.evolve(s, default=Deadline(3, DeadlineUnit.DAYS), limits=())
            for s in CAMPAIGN_TYPE.policy.stages
        ),
    )
    cal = WorkCalendar((CHINA_STATUTORY,))
    for ledger in (province, extended):
        for policy in (CAMPAIGN_TYPE.policy, stricter, CAMPAIGN_TYPE.policy):
            for issue in ledger.issues:
                clocks = issue_clocks(issue, policy, as_of=as_of, calendar=cal)
                full = (
                    resolved_on_time(clocks, policy),
                    any(c.status is ClockStatus.OVERDUE for c in clocks),
                )
                assert deadline_flags(issue, policy, as_of=as_of, calendar=cal) == full


class _Variant:
    """A campaign type like 四送一服 whose lifecycle refuses every yellow card (a field
    check), moves a paused issue on a supervision meeting, and whose response clock
    stops at supervision: refused proposals, state changes and clock stops by the
    rules' own actions."""

    @hookimpl
    def campaignkit_campaign_types(self) -> Iterator[CampaignType]:
        def change(t: Transition) -> Transition:
            if t.event == "warned":
                return attrs.evolve(t, guard=Needs("department"))
            if t.event == "meeting_called":
                return attrs.evolve(t, target="in_progress")
            return t

        lifecycle = Lifecycle(
            DEFAULT_LIFECYCLE.initial,
            DEFAULT_LIFECYCLE.states,
            tuple(change(t) for t in DEFAULT_LIFECYCLE.transitions),
        )
        policy = CAMPAIGN_TYPE.policy
        stages = tuple(
            attrs.evolve(s, stop=(*s.stop, "supervised")) if s.key == "response" else s
            for s in policy.stages
        )
        yield attrs.evolve(
            CAMPAIGN_TYPE,
            key="sisong-variant",
            lifecycle=lifecycle,
            policy=attrs.evolve(policy, stages=stages),
        )


@pytest.mark.parametrize("as_of", [D(2024, 6, 1), D(2024, 11, 15)])
def test_agree_when_the_lifecycle_refuses_or_moves(province: Ledger, as_of: dt.date) -> None:
    pm = new_plugin_manager([_Variant()], entry_points=False)
    ctype = pm.campaign_type("sisong-variant")
    ledger = province.replace(campaign=attrs.evolve(province.campaign, type="sisong-variant"))
    WorkCalendar.from_manager(pm)
    assert ctype.lifecycle.plain_guards
    fast = assess(ledger, as_of, manager=pm, rules=FAST)
    assert any("warned" in f.message for f in fast.failures)
    for scoped in (True, False):
        slow = assess(ledger, as_of, manager=pm, rules=general(scoped=scoped))
        assert slow.actions == fast.actions
        assert slow.failures == fast.failures


TWIN = "Q004"
"""An issue of the example assigned on 24 April and not resolved: the twins' base."""


def twin_kinds(
    example: Ledger, pm: PluginManager, twins: list[Issue], first: int
) -> tuple[Evaluation, dict[str, list[str]]]:
    """Both paths agree on the example with ``twins`` T0 and T1 added (T1 first if
    ``first``) as of 31 July 2020; the fast evaluation and each twin's action kinds."""
    if first:
        twins = twins[::-1]
    ledger = example.replace(issues=(*example.issues, *twins))
    fast = agree(ledger, D(2020, 7, 31), pm)
    return fast, {i: [a.kind for a in fast.actions if a.issue == i] for i in ("T0", "T1")}


@pytest.mark.parametrize("first", [0, 1])
def test_issues_alike_but_for_a_meeting_get_their_own_proposals(
    example: Ledger, pm: PluginManager, first: int
) -> None:
    """A legacy issue that had its supervision meeting gets none; its twin without one
    gets one, whichever of the two comes first."""
    base = example.issue_index[TWIN]
    met = (*base.events, IssueEvent("meeting_called", D(2020, 5, 6)))
    twins = [
        attrs.evolve(base, id="T0", legacy=True, events=met),
        attrs.evolve(base, id="T1", legacy=True),
    ]
    fast, kinds = twin_kinds(example, pm, twins, first)
    assert "meeting_called" in kinds["T1"] and "meeting_called" not in kinds["T0"]
    others = [(a.kind, a.stage) for a in fast.actions if a.issue == "T0"]
    assert others == [
        (a.kind, a.stage) for a in fast.actions if a.issue == "T1" and a.kind != "meeting_called"
    ]


def test_issues_alike_but_for_their_category_are_routed_on_their_own(
    example: Ledger, pm: PluginManager
) -> None:
    """Issues whose histories read alike share their proposals, except where each one's
    category and region route its escalation."""
    base = example.issue_index[TWIN]
    categories = sorted({i.category for i in example.issues})
    twins = [attrs.evolve(base, id=f"T{n}", category=c) for n, c in enumerate(categories)]
    ledger = example.replace(issues=(*example.issues, *twins))
    fast = agree(ledger, D(2020, 7, 31), pm)
    raised = {a.issue: a.department for a in fast.actions if a.kind == "escalated"}
    assert {f"T{n}" for n in range(len(twins))} <= set(raised)
    assert len({raised[f"T{n}"] for n in range(len(twins))}) > 1


@pytest.mark.parametrize("first", [0, 1])
@pytest.mark.parametrize("card", ["marked_overdue", "supervised", "escalated"])
def test_extended_issues_alike_but_for_a_card_get_their_own_proposals(
    example: Ledger, pm: PluginManager, first: int, card: str
) -> None:
    """Twins whose due dates an extension moved: the one that already holds a card
    gets other proposals than its twin, whichever of the two comes first."""
    base = example.issue_index[TWIN]
    moved = (
        *base.events,
        IssueEvent("extended", D(2020, 4, 29), deadline=Deadline(2, DeadlineUnit.WORKING_DAYS)),
    )
    level = "city" if card == "escalated" else None
    held = (*moved, IssueEvent(card, D(2020, 6, 1), stage="resolution", level=level))
    twins = [attrs.evolve(base, id="T0", events=held), attrs.evolve(base, id="T1", events=moved)]
    _, kinds = twin_kinds(example, pm, twins, first)
    assert card in kinds["T1"]
    assert kinds["T0"] != kinds["T1"]
    if card != "escalated":  # an escalation restarts the clock, which may be overdue again
        assert card not in kinds["T0"]


@pytest.mark.parametrize("first", [0, 1])
def test_a_legacy_issue_reopened_gets_its_meeting_in_the_next_round(
    example: Ledger, pm: PluginManager, first: int
) -> None:
    """A resolved issue reopened for a dissatisfied visit is open again: a legacy one due
    its meeting gets it in the next round, its twin that is not legacy does not."""
    base = example.issue_index[TWIN]
    events = (
        base.events[0],
        IssueEvent("resolved", D(2020, 4, 28)),
        IssueEvent("return_visit", D(2020, 5, 7), rating=Satisfaction.DISSATISFIED),
    )
    twins = [
        attrs.evolve(base, id="T0", legacy=True, events=events),
        attrs.evolve(base, id="T1", events=events),
    ]
    _, kinds = twin_kinds(example, pm, twins, first)
    assert kinds == {"T0": ["reopened", "meeting_called"], "T1": ["reopened"]}


def test_a_history_out_of_date_order_is_read_as_of_each_date(
    example: Ledger, pm: PluginManager
) -> None:
    """A ledger built in code (not loaded) may hold events out of date order: each date
    reads the events dated on or before it, as the rules one by one do."""
    base = example.issue_index[TWIN]
    events = (
        base.events[0],
        IssueEvent("escalated", D(2020, 5, 7), level="city"),
        IssueEvent("feedback", D(2020, 4, 28)),
    )
    odd = attrs.evolve(base, id="T9", events=events)
    ledger = example.replace(issues=(*example.issues, odd))
    for as_of in (D(2020, 5, 6), D(2020, 5, 12), D(2020, 4, 29), D(2020, 7, 31)):
        agree(ledger, as_of, pm)


def test_evaluations_in_threads_agree(pm: PluginManager, province: Ledger) -> None:
    """Evaluations of one ledger in several threads agree."""
    import threading

    ledger = province.replace()  # a copy with nothing remembered yet
    dates = [D(2024, 3, 20), D(2024, 6, 1), D(2024, 11, 15), D(2025, 2, 1)] * 2
    expected = {as_of: assess(province, as_of, manager=pm, rules=FAST) for as_of in set(dates)}
    found: dict[int, Evaluation] = {}

    def run(n: int, as_of: dt.date) -> None:
        found[n] = assess(ledger, as_of, manager=pm, rules=FAST)

    threads = [threading.Thread(target=run, args=(n, d)) for n, d in enumerate(dates)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [found[n] for n in range(len(dates))] == [expected[d] for d in dates]


def test_a_routed_rule_routes_each_issue_of_a_shape(province: Ledger, pm: PluginManager) -> None:
    """``raise-level`` reads shapes only and is ``routed``: issues of one shape share its
    proposal but each is sent where the policy routes it (by its category and region)."""
    assert builtin.RAISE_LEVEL.by_shape and builtin.RAISE_LEVEL.routed
    as_of = D(2024, 11, 15)
    space = Workspace.open(province, manager=pm)
    shapes = dict(zip((i.id for i in province.issues), space.shapes(as_of), strict=True))
    raised = [a for a in assess(province, as_of, manager=pm).actions if a.kind == "escalated"]
    ctx = RuleContext(province, space.campaign_type, as_of, space.calendar)
    departments: dict[int, set[str | None]] = {}
    for action in raised:
        issue = province.issue_index[action.issue]
        assert action.department == ctx.route(issue, action.level).department
        departments.setdefault(id(shapes[action.issue]), set()).add(action.department)
    assert any(len(found) > 1 for found in departments.values())


def test_a_calendar_that_is_not_pure_gives_the_same_actions(
    province: Ledger, pm: PluginManager
) -> None:
    """With a calendar that may answer differently when asked again, the deriver remembers
    no step and makes new shapes on every walk; what the evaluation works out once per
    shape must still belong to that shape (not to the next one made where it was freed)."""
    impure = WorkCalendar((attrs.evolve(CHINA_STATUTORY, pure=False),))
    as_of = D(2024, 11, 15)
    fast = assess(province, as_of, manager=pm, rules=FAST, calendar=impure)
    slow = assess(province, as_of, manager=pm, rules=general(scoped=False), calendar=impure)
    assert fast.actions == slow.actions and fast.failures == slow.failures
    assert fast.actions == assess(province, as_of, manager=pm, rules=FAST).actions


def test_an_id_given_twice_is_refused(province: Ledger, pm: PluginManager) -> None:
    """A ledger nobody validated may give one id to two issues: proposals name their issue
    by id, so the evaluation refuses it, locating the repeat as validation does."""
    first, second = province.issues[0], province.issues[5]
    doubled = province.replace(issues=(first, attrs.evolve(second, id=first.id)))
    with pytest.raises(LedgerError) as refused:
        assess(doubled, D(2024, 11, 15), manager=pm)
    assert [(p.path, p.code) for p in refused.value.problems] == [("issues[1].id", "duplicate")]
    assert [str(p) for p in refused.value.problems] == [
        str(p) for p in validate(doubled, pm) if p.path == "issues[1].id"
    ]
