"""Escalation rules: each built-in rule, idempotence, applying, plugin rules and calendars."""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from campaignkit.derive.calendar import WorkCalendar, calendar_from_schedule
from campaignkit.errors import LedgerError, TransitionError
from campaignkit.escalation.engine import (
    MAX_ROUNDS,
    Action,
    RuleContext,
    RuleFailedWarning,
    RuleFailure,
    apply,
    assess,
    evaluate,
)
from campaignkit.hooks.manager import PluginManager, new_plugin_manager
from campaignkit.hooks.specs import hookimpl
from campaignkit.io import ledger_from_document, load, validate
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Issue, IssueEvent
from campaignkit.plugins import escalation_rules as builtin
from campaignkit.plugins.calendars import CHINA_STATUTORY
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.lifecycle import IssueState, StateKind
from campaignkit.rules.records import EscalationRule, Label, WorkdayCalendar
from tests import strategies
from tests.schedules import schedule_2023

D = dt.date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def pm() -> PluginManager:
    return new_plugin_manager(entry_points=False)


def ledger_with(document: dict[str, Any], i3_events: list[dict[str, Any]], **i3: Any) -> Ledger:
    """The minimal ledger with issue I3 (labour, 经开区, raised 16 April) given a history."""
    document["issues"][2]["events"] = i3_events
    document["issues"][2].update(i3)
    return ledger_from_document(document)


ASSIGNED_16 = {"kind": "assigned", "date": "2020-04-16", "level": "county", "department": "人社局"}
# County level: first response due 20 April (2 working days), resolution due 29 April (10
# working days: 17, 20–24, Sunday 26 (worked), 27, 28, 29 April).


def run(rule: EscalationRule, ledger: Ledger, as_of: dt.date, pm: PluginManager) -> list[Action]:
    """What ``rule`` alone proposes for I3."""
    result = assess(ledger, as_of, manager=pm, rules={rule.name: rule})
    assert result.failures == ()
    return [a for a in result.actions if a.issue == "I3"]


def as_it_stood(ledger: Ledger, as_of: dt.date) -> Ledger:
    """The ledger as it was on ``as_of``: later issues and events left out."""
    return ledger.replace(
        issues=tuple(
            attrs.evolve(i, events=tuple(e for e in i.events if e.date <= as_of))
            for i in ledger.issues
            if i.raised <= as_of
        )
    )


def test_builtin_rules_are_registered(pm: PluginManager) -> None:
    names = set(pm.escalation_rules("sisong-yifu"))
    assert {r.name for r in builtin.RULES} <= names
    assert pm.owner("campaignkit_escalation_rules", "red-card") == (
        "campaignkit.plugins.escalation_rules"
    )


def test_yellow_card(document: dict[str, Any], pm: PluginManager) -> None:
    ledger = ledger_with(document, [ASSIGNED_16])
    assert run(builtin.YELLOW_CARD, ledger, D(2020, 4, 16), pm) == []
    (a,) = run(builtin.YELLOW_CARD, ledger, D(2020, 4, 17), pm)
    assert (a.issue, a.kind, a.rule, a.stage, a.date) == (
        "I3",
        "warned",
        "yellow-card",
        "response",
        D(2020, 4, 17),
    )
    assert "2020-04-20" in a.reason and "黄牌" in a.reason
    assert "yellow card" in a.why("en")
    # Resolution due 29 April: warned from 28 April; the response clock is long overdue then.
    late = run(builtin.YELLOW_CARD, ledger, D(2020, 4, 28), pm)
    assert [(x.stage, x.kind) for x in late] == [("resolution", "warned")]


def test_red_card(document: dict[str, Any], pm: PluginManager) -> None:
    ledger = ledger_with(document, [ASSIGNED_16])
    assert run(builtin.RED_CARD, ledger, D(2020, 4, 20), pm) == []
    (a,) = run(builtin.RED_CARD, ledger, D(2020, 4, 21), pm)
    assert (a.kind, a.stage) == ("marked_overdue", "response")
    assert "超期1个工作日" in a.reason
    both = run(builtin.RED_CARD, ledger, D(2020, 4, 30), pm)
    assert [x.stage for x in both] == ["response", "resolution"]


def test_supervise(document: dict[str, Any], pm: PluginManager) -> None:
    ledger = ledger_with(document, [ASSIGNED_16])
    assert run(builtin.SUPERVISE, ledger, D(2020, 4, 20), pm) == []
    (a,) = run(builtin.SUPERVISE, ledger, D(2020, 4, 21), pm)  # supervise_after is 0 by default
    assert (a.kind, a.rule, a.stage) == ("supervised", "supervise", "response")
    # Once supervised, a later overdue stage started before it needs no second 督办.
    supervised = ledger_with(document, [ASSIGNED_16, {"kind": "supervised", "date": "2020-04-21"}])
    assert run(builtin.SUPERVISE, supervised, D(2020, 4, 30), pm) == []


def test_supervise_after_is_policy(document: dict[str, Any]) -> None:
    ledger = ledger_with(document, [ASSIGNED_16])
    slow = attrs.evolve(
        CAMPAIGN_TYPE,
        policy=attrs.evolve(
            CAMPAIGN_TYPE.policy, supervise_after=CAMPAIGN_TYPE.policy.escalate_after
        ),
    )
    calendar = WorkCalendar((CHINA_STATUTORY,))
    issue = ledger.issue_index["I3"]
    # Response due 20 April; five working days later (21–24, Sunday 26 worked) is 26 April.
    ctx = RuleContext(ledger, slow, D(2020, 4, 26), calendar)
    assert list(builtin.supervise(ctx, issue)) == []
    ctx = RuleContext(ledger, slow, D(2020, 4, 27), calendar)
    assert [a.kind for a in builtin.supervise(ctx, issue)] == ["supervised"]


def test_raise_level(document: dict[str, Any], pm: PluginManager) -> None:
    ledger = ledger_with(document, [ASSIGNED_16])
    # Response due 20 April + 5 working days = 26 April (a Sunday worked): raised the day after.
    assert run(builtin.RAISE_LEVEL, ledger, D(2020, 4, 26), pm) == []
    (a,) = run(builtin.RAISE_LEVEL, ledger, D(2020, 4, 27), pm)
    assert (a.kind, a.level, a.department) == ("escalated", "city", "淮南市“四送一服”办公室")
    assert "由县区提级至市级办理" in a.reason
    applied = apply(ledger, [a], manager=pm)
    assert applied.issue_index["I3"].events[-1].level == "city"
    at_top = ledger_with(
        document,
        [{"kind": "assigned", "date": "2020-04-16", "level": "province", "department": "省人社厅"}],
    )
    assert run(builtin.RAISE_LEVEL, at_top, D(2020, 5, 12), pm) == []


def test_legacy_meeting(document: dict[str, Any], pm: PluginManager) -> None:
    ledger = ledger_with(document, [], legacy=True)
    # Raised 16 April + 10 working days = 29 April: open longer than that from 30 April.
    assert run(builtin.LEGACY_MEETING, ledger, D(2020, 4, 29), pm) == []
    (a,) = run(builtin.LEGACY_MEETING, ledger, D(2020, 4, 30), pm)
    assert (a.kind, a.rule) == ("meeting_called", "legacy-meeting")
    assert "历史遗留问题" in a.reason
    not_legacy = ledger_with(document, [], legacy=False)
    assert run(builtin.LEGACY_MEETING, not_legacy, D(2020, 4, 30), pm) == []
    resolved = ledger_with(
        document, [{"kind": "answered_on_spot", "date": "2020-04-16"}], legacy=True
    )
    assert run(builtin.LEGACY_MEETING, resolved, D(2020, 4, 30), pm) == []


def test_reopen_dissatisfied(document: dict[str, Any], pm: PluginManager) -> None:
    visits = [
        ASSIGNED_16,
        {"kind": "resolved", "date": "2020-04-20"},
        {"kind": "return_visit", "date": "2020-04-24", "rating": "dissatisfied"},
    ]
    ledger = ledger_with(document, visits)
    (a,) = run(builtin.REOPEN_DISSATISFIED, ledger, D(2020, 4, 24), pm)
    assert (a.kind, a.issue) == ("reopened", "I3")
    assert "2020-04-24回访企业不满意" in a.reason
    assert run(builtin.REOPEN_DISSATISFIED, ledger, D(2020, 4, 23), pm) == []  # not yet visited
    satisfied_later = ledger_with(
        document, [*visits, {"kind": "return_visit", "date": "2020-04-27", "rating": "satisfied"}]
    )
    assert run(builtin.REOPEN_DISSATISFIED, satisfied_later, D(2020, 4, 28), pm) == []
    off = attrs.evolve(
        CAMPAIGN_TYPE, policy=attrs.evolve(CAMPAIGN_TYPE.policy, reopen_on_dissatisfied=False)
    )
    ctx = RuleContext(ledger, off, D(2020, 4, 24), WorkCalendar((CHINA_STATUTORY,)))
    assert list(builtin.reopen_dissatisfied(ctx, ledger.issue_index["I3"])) == []


@pytest.mark.parametrize(
    "as_of", [D(2020, 4, 17), D(2020, 4, 21), D(2020, 4, 28), D(2020, 4, 30), D(2020, 5, 12)]
)
def test_evaluate_is_idempotent_and_apply_keeps_events(
    document: dict[str, Any], pm: PluginManager, as_of: dt.date
) -> None:
    ledger = as_it_stood(ledger_with(document, [ASSIGNED_16], legacy=True), as_of)
    actions = evaluate(ledger, as_of, manager=pm)
    assert actions
    assert evaluate(ledger, as_of, manager=pm) == actions  # pure: same input, same output
    applied = apply(ledger, actions, manager=pm)
    for before in ledger.issues:
        after = applied.issue_index[before.id]
        assert after.events[: len(before.events)] == before.events
    assert sum(len(i.events) for i in applied.issues) == sum(
        len(i.events) for i in ledger.issues
    ) + len(actions)
    assert validate(applied, pm) == []
    assert evaluate(applied, as_of, manager=pm) == ()
    mine = [a for a in actions if a.issue == "I3"]
    appended = applied.issue_index["I3"].events[-len(mine) :]
    assert [e.kind for e in appended] == [a.kind for a in mine]
    assert all(e.rule and e.note and e.date == as_of for e in appended)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.ledgers())
def test_idempotent_on_generated_ledgers(ledger: Ledger) -> None:
    pm = new_plugin_manager(entry_points=False)
    as_of = D(2020, 6, 30)  # after every generated event
    actions = evaluate(ledger, as_of, manager=pm)
    applied = apply(ledger, actions, manager=pm)
    assert evaluate(applied, as_of, manager=pm) == ()
    for before in ledger.issues:
        assert applied.issue_index[before.id].events[: len(before.events)] == before.events


def test_consequences_are_proposed_in_the_same_evaluation(
    document: dict[str, Any], pm: PluginManager
) -> None:
    # A legacy issue reopened after a dissatisfied visit is open again, and open longer than
    # the policy allows a legacy issue without a supervision meeting: both in one evaluation.
    ledger = ledger_with(
        document,
        [
            ASSIGNED_16,
            {"kind": "feedback", "date": "2020-04-17"},
            {"kind": "resolved", "date": "2020-04-20"},
            {"kind": "return_visit", "date": "2020-04-30", "rating": "dissatisfied"},
        ],
        legacy=True,
    )
    as_of = D(2020, 5, 6)
    then = as_it_stood(ledger, as_of)
    actions = [a for a in evaluate(then, as_of, manager=pm) if a.issue == "I3"]
    assert [a.kind for a in actions] == ["reopened", "meeting_called"]
    assert evaluate(apply(then, actions, manager=pm), as_of, manager=pm) == ()


def test_later_events_are_not_seen(document: dict[str, Any], pm: PluginManager) -> None:
    history = [
        ASSIGNED_16,
        {"kind": "feedback", "date": "2020-04-17"},
        {"kind": "resolved", "date": "2020-04-20"},
        {"kind": "return_visit", "date": "2020-04-30", "rating": "dissatisfied"},
        {"kind": "reopened", "date": "2020-05-08"},
        {"kind": "supervised", "date": "2020-05-09"},
    ]
    ledger = ledger_with(document, history, legacy=True)
    for as_of in (D(2020, 4, 21), D(2020, 5, 6), D(2020, 5, 8)):
        assert evaluate(ledger, as_of, manager=pm) == evaluate(
            as_it_stood(ledger, as_of), as_of, manager=pm
        )


def test_rules_run_in_a_fixed_order_with_clock_restarts_last(
    document: dict[str, Any], pm: PluginManager
) -> None:
    ledger = ledger_with(document, [ASSIGNED_16])
    actions = evaluate(ledger, D(2020, 4, 28), manager=pm)
    kinds = [a.kind for a in actions if a.issue == "I3"]
    assert kinds[-1] == "escalated"
    assert Counter(kinds) == Counter(
        {"marked_overdue": 1, "supervised": 1, "warned": 1, "escalated": 1}
    )


def test_apply_refuses_illegal_actions(document: dict[str, Any], pm: PluginManager) -> None:
    ledger = ledger_from_document(document)
    bad = Action("I2", "escalated", "manual", D(2020, 5, 6), "试一试", level="city")
    with pytest.raises(TransitionError) as info:
        apply(ledger, [bad], manager=pm)
    assert info.value.issue == "I2"
    assert info.value.from_state == "resolved"
    early = Action("I1", "reopened", "manual", D(2020, 4, 20), "太早")
    with pytest.raises(ValueError, match=r"'I1'.*before the issue's latest event"):
        apply(ledger, [early], manager=pm)
    # every issue with such an action is located, in the ledger's order, in either language
    also = Action("I2", "supervised", "manual", D(2020, 4, 1), "太早")
    with pytest.raises(LedgerError) as located:
        apply(ledger, [early, also], manager=pm)
    position = {i.id: n for n, i in enumerate(ledger.issues)}
    assert [(p.path, p.code, p.args["issue"]) for p in located.value.problems] == sorted(
        (f"issues[{position[i]}]", "action-before-latest", i) for i in ("I1", "I2")
    )
    assert "早于这个问题最近的办理记录" in located.value.problems[0].text("zh")
    # a ledger nobody validated may hold a history out of date order: its latest event
    # counts, not its last
    one = ledger.issue_index["I1"]
    ahead = IssueEvent("supervised", D(2020, 6, 30), by="督办组")
    mixed = attrs.evolve(one, events=(*one.events[:-1], ahead, one.events[-1]))
    shuffled = ledger.replace(issues=tuple(mixed if i is one else i for i in ledger.issues))
    between = Action("I1", "supervised", "manual", D(2020, 6, 1), "督办")
    assert one.events[-1].date < between.date < ahead.date
    with pytest.raises(ValueError, match=r"'I1'.*before the issue's latest .*\(2020-06-30\)"):
        apply(shuffled, [between], manager=pm)
    with pytest.raises(KeyError, match="I9"):
        apply(ledger, [bad._replace(issue="I9")], manager=pm)
    # All or nothing: a good action next to a bad one is not applied either.
    good = Action("I3", "supervised", "manual", D(2020, 5, 6), "督办")
    with pytest.raises(TransitionError):
        apply(ledger, [good, bad], manager=pm)
    assert ledger.issue_index["I3"].events == ()


class Recorder:
    """A plugin that records state changes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, IssueState, IssueState, tuple[str, ...]]] = []

    @hookimpl
    def campaignkit_issue_state_changed(
        self,
        ledger: Ledger,
        issue: Issue,
        old: IssueState,
        new: IssueState,
        actions: tuple[Action, ...],
    ) -> None:
        assert ledger.issue_index[issue.id] is issue
        self.calls.append((issue.id, old, new, tuple(a.kind for a in actions)))


def test_state_changed_hook_fires_only_on_change(document: dict[str, Any]) -> None:
    recorder = Recorder()
    pm = new_plugin_manager([recorder], entry_points=False)
    ledger = ledger_with(document, [ASSIGNED_16])
    apply(ledger, [Action("I3", "warned", "manual", D(2020, 4, 17), "预警")], manager=pm)
    assert recorder.calls == []
    up = Action("I3", "escalated", "manual", D(2020, 4, 28), "提级", level="city", department="市")
    apply(ledger, [up], manager=pm)
    ((issue, old, new, kinds),) = recorder.calls
    assert (issue, old.level, new.level, new.escalations, kinds) == (
        "I3",
        "county",
        "city",
        1,
        ("escalated",),
    )
    assert new.kind is StateKind.OPEN


def _assign_by_route(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """A plugin rule: assign issues left unassigned for more than a working day by the routes."""
    if ctx.state(issue).state != "raised" or not ctx.allows(issue, "assigned"):
        return
    if ctx.as_of <= ctx.calendar.add_working_days(issue.raised, 1).date:
        return
    choice = ctx.route(issue)
    yield Action(
        issue.id,
        "assigned",
        "assign-by-route",
        ctx.as_of,
        choice.explain("zh"),
        level=choice.level,
        department=choice.department,
        reason_en=choice.explain("en"),
    )


class RoutePlugin:
    @staticmethod
    @hookimpl
    def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
        yield EscalationRule(
            "assign-by-route",
            Label("按路由交办", "assign by route"),
            _assign_by_route,
            campaign_types=("sisong-yifu",),
        )


def test_plugin_rule_through_a_fresh_manager(document: dict[str, Any]) -> None:
    pm = new_plugin_manager([RoutePlugin()], entry_points=False)
    assert "assign-by-route" in pm.escalation_rules("sisong-yifu")
    assert "assign-by-route" not in pm.escalation_rules("other-type")
    ledger = as_it_stood(ledger_from_document(document), D(2020, 4, 20))
    actions = evaluate(ledger, D(2020, 4, 20), manager=pm)
    (a,) = [x for x in actions if x.rule == "assign-by-route"]
    assert (a.issue, a.level, a.department) == ("I3", "county", "经开区人力资源和社会保障局")
    applied = apply(ledger, actions, manager=pm)
    assert applied.issue_index["I3"].events[0].rule == "assign-by-route"
    assert not [x for x in evaluate(applied, D(2020, 4, 20), manager=pm) if x.issue == "I3"]


class Nagging:
    """A rule that forgets to look at the history: it supervises I3 again every round."""

    @staticmethod
    @hookimpl
    def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
        def nag(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
            if issue.id == "I3":
                yield Action(issue.id, "supervised", "nag", ctx.as_of, "督办")

        yield EscalationRule("nag", Label("反复督办", "nags"), nag)


def test_rounds_that_never_settle_name_the_rule_still_proposing(
    document: dict[str, Any],
) -> None:
    """The failure names the rule that kept proposing, and its plugin, not every rule that
    proposed something for the issue on the way (here the built-in yellow card)."""
    pm = new_plugin_manager([Nagging()], entry_points=False)
    ledger = ledger_with(document, [ASSIGNED_16])
    result = assess(ledger, D(2020, 4, 17), manager=pm)
    proposed = Counter(a.rule for a in result.actions if a.issue == "I3")
    assert proposed["nag"] == MAX_ROUNDS and proposed["yellow-card"] == 1
    (failure,) = [f for f in result.failures if f.issue == "I3"]
    assert failure.rule == "nag"
    assert failure.plugin == pm.owner("campaignkit_escalation_rules", "nag")
    assert failure.plugin is not None
    assert failure.phrase.code == "rule.rounds"


class BrokenPlugin:
    @staticmethod
    @hookimpl
    def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
        def explode(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
            raise RuntimeError(f"cannot read {issue.id}")

        def liar(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
            yield Action(issue.id, "warned", "someone-else", ctx.as_of, "x")

        def reckless(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
            if issue.id == "I2":  # answered on the spot: resolved, cannot be escalated
                yield Action(issue.id, "escalated", "reckless", ctx.as_of, "x", level="city")

        yield EscalationRule("explode", Label("坏", "broken"), explode)
        yield EscalationRule("liar", Label("冒名", "liar"), liar)
        yield EscalationRule("reckless", Label("越权", "reckless"), reckless)


def test_a_raising_rule_is_reported_by_name(document: dict[str, Any]) -> None:
    pm = new_plugin_manager([BrokenPlugin()], entry_points=False)
    ledger = ledger_with(document, [ASSIGNED_16])
    result = assess(ledger, D(2020, 4, 21), manager=pm)
    failures = {(f.rule, f.issue) for f in result.failures}
    assert ("explode", "I3") in failures
    assert ("liar", "I1") in failures
    text = next(str(f) for f in result.failures if f.rule == "explode")
    assert "escalation rule 'explode'" in text
    assert "RuntimeError: cannot read" in text
    assert "'liar'" in str(next(f for f in result.failures if f.rule == "liar"))
    assert "naming rule 'someone-else'" in str(result.failures)
    (refused,) = [f for f in result.failures if f.rule == "reckless"]
    assert refused.issue == "I2"
    assert "refused" in refused.message and "'resolved'" in refused.message
    assert not [a for a in result.actions if a.rule == "reckless"]
    # The built-in rules still ran.
    assert {a.rule for a in result.actions} >= {"red-card", "supervise"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        actions = evaluate(ledger, D(2020, 4, 21), manager=pm)
    assert actions == result.actions
    messages = [str(w.message) for w in caught if issubclass(w.category, RuleFailedWarning)]
    assert any("'explode'" in m for m in messages)


class CarelessPlugin:
    @staticmethod
    @hookimpl
    def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
        def careless(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
            if issue.id == "I3":  # an escalation to no level
                yield Action(issue.id, "escalated", "careless", ctx.as_of, "x")

        yield EscalationRule("careless", Label("漏填", "careless"), careless)


def test_a_proposal_a_guard_refuses_names_the_missing_field(document: dict[str, Any]) -> None:
    pm = new_plugin_manager([CarelessPlugin()], entry_points=False)
    ledger = ledger_with(document, [ASSIGNED_16])
    result = assess(ledger, D(2020, 4, 21), manager=pm)
    (refused,) = [f for f in result.failures if f.rule == "careless"]
    assert refused.phrase.text("zh") == (
        "提出了生命周期不允许的事件：问题 'I3'：办理记录 'escalated' 缺少 level"
    )
    assert refused.message == "proposed a refused event: issue 'I3': event 'escalated' needs level"


def test_plugin_calendar_changes_a_2027_deadline(document: dict[str, Any]) -> None:
    document["campaign"]["period"] = {"start": "2026-12-01", "end": "2027-01-31"}
    ledger = ledger_with(
        document,
        [{"kind": "assigned", "date": "2026-12-28", "level": "county", "department": "人社局"}],
        raised="2026-12-28",
    )

    class Calendar2027:
        @staticmethod
        @hookimpl
        def campaignkit_calendars() -> Iterator[WorkdayCalendar]:
            yield calendar_from_schedule(
                "illustrative-2027", holidays=[("2027-01-01", "2027-01-03")]
            )

    without = new_plugin_manager(entry_points=False)
    with_cal = new_plugin_manager([Calendar2027()], entry_points=False)
    as_of = D(2027, 1, 12)
    # Resolution: 10 working days from 28 December 2026. Without 2027 data the fallback counts
    # New Year's Day as worked (due 11 January); the plugin's schedule makes it 12 January.
    red = [a for a in evaluate(ledger, as_of, manager=without) if a.stage == "resolution"]
    assert [a.kind for a in red] == ["marked_overdue"]
    yellow = [a for a in evaluate(ledger, as_of, manager=with_cal) if a.stage == "resolution"]
    assert [a.kind for a in yellow] == ["warned"]
    assert "今日到期" in yellow[0].reason


def test_a_schedule_of_the_next_year_leaves_escalation_this_year_alone(
    document: dict[str, Any],
) -> None:
    # 2023's schedule starts on 2022-12-31: it changes nothing of National Day 2022
    document["campaign"]["period"] = {"start": "2022-09-01", "end": "2022-12-31"}
    ledger = ledger_with(
        document,
        [{"kind": "assigned", "date": "2022-09-29", "level": "county", "department": "人社局"}],
        raised="2022-09-29",
    )

    class Calendar2023:
        @staticmethod
        @hookimpl
        def campaignkit_calendars() -> Iterator[WorkdayCalendar]:
            yield schedule_2023()

    without = new_plugin_manager(entry_points=False)
    with_cal = new_plugin_manager([Calendar2023()], entry_points=False)
    for as_of in (D(2022, 10, 6), D(2022, 10, 10), D(2022, 10, 12), D(2022, 10, 20)):
        assert evaluate(ledger, as_of, manager=with_cal) == evaluate(
            ledger, as_of, manager=without
        ), as_of


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the Huainan example ledger is not generated")
def test_huainan_example_inside_the_campaign(pm: PluginManager) -> None:
    from campaignkit.derive.deadlines import ClockStatus, watch_groups, watch_list

    ledger = load(EXAMPLE, manager=pm)
    ctype = pm.campaign_type(ledger.campaign.type)
    as_of = D(2020, 5, 6)
    items = watch_list(ledger, ctype.policy, ctype.lifecycle, as_of=as_of)
    assert items
    overdue = [i for i in items if i.clock.status is ClockStatus.OVERDUE]
    assert overdue
    for item in items:
        state = RuleContext(ledger, ctype, as_of).state(item.issue)
        assert state.kind in (StateKind.OPEN, StateKind.WAITING)
        assert item.clock.due <= D(2020, 5, 7) or "warned" in item.cards
    groups = watch_groups(items, ctype.policy)
    levels = [level for level, _ in groups]
    assert levels == sorted(levels, key=lambda lv: ctype.policy.levels.index(lv or "county"))
    assert sum(len(g) for _, deps in groups for _, g in deps) == len(items)
    # Evaluating the example as it stood that day, then applying, proposes nothing more.
    then = as_it_stood(ledger, as_of)
    actions = evaluate(then, as_of, manager=pm)
    assert {a.issue for a in actions if a.kind == "marked_overdue"} == {
        i.issue.id for i in overdue if "marked_overdue" not in i.cards
    }
    assert evaluate(apply(then, actions, manager=pm), as_of, manager=pm) == ()


def test_a_rule_failure_keeps_its_words_through_evolve() -> None:
    from campaignkit.i18n.catalogue import Phrase

    failure = RuleFailure("r", "I1", Phrase("rule.rounds", {"rounds": 5}), "p")
    assert failure.message == "the rules still propose actions after 5 rounds"
    moved = attrs.evolve(failure, issue="I2")
    assert moved.issue == "I2" and moved.phrase == failure.phrase
    assert moved.phrase.text() == "运行 5 轮后规则仍在提出动作"
    reworded = attrs.evolve(failure, message="something else")
    assert reworded.phrase.text() == "something else"  # the words follow the message
    assert RuleFailure("r", None, "as written").phrase.text("zh") == "as written"
