"""The checked issue lifecycle: every transition allowed and refused, guards, replay."""

from __future__ import annotations

import datetime as dt

import pytest

from campaignkit.derive.views import replay
from campaignkit.errors import LifecycleError, TransitionError
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import (
    DEFAULT_LIFECYCLE,
    Lifecycle,
    State,
    StateKind,
    Transition,
)
from campaignkit.rules.records import Label

D = dt.date(2020, 4, 20)
OPEN = ("raised", "assigned", "in_progress")
ACTIVE = (*OPEN, "paused")
STAY = None  # the event keeps the state

# The graph as the 四送一服 mechanism describes it, written out independently of the code:
# event kind → (states it is allowed in, state it leads to).
EXPECTED: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assigned": (OPEN, "assigned"),
    "answered_on_spot": (("raised", "assigned"), "resolved"),
    "taken_back": (("raised", "assigned"), "in_progress"),
    "feedback": (ACTIVE, STAY),
    "supervised": (ACTIVE, STAY),
    "escalated": (OPEN, "assigned"),
    "extended": (ACTIVE, STAY),
    "paused": (OPEN, "paused"),
    "resumed": (("paused",), "in_progress"),
    "warned": (ACTIVE, STAY),
    "marked_overdue": (ACTIVE, STAY),
    "meeting_called": (ACTIVE, STAY),
    "resolved": (("assigned", "in_progress"), "resolved"),
    "return_visit": (("resolved", "closed"), STAY),
    "reopened": (("resolved", "closed"), "in_progress"),
    "closed": (("resolved",), "closed"),
    "closed_unresolved": (ACTIVE, "closed_unresolved"),
}
STATES = {
    "raised": StateKind.OPEN,
    "assigned": StateKind.OPEN,
    "in_progress": StateKind.OPEN,
    "paused": StateKind.WAITING,
    "resolved": StateKind.RESOLVED,
    "closed": StateKind.RESOLVED,
    "closed_unresolved": StateKind.CLOSED_UNRESOLVED,
}


def event(kind: str) -> IssueEvent:
    """An event of ``kind`` that satisfies every guard."""
    return IssueEvent(
        kind,
        D,
        level="city",
        department="市人社局",
        deadline=Deadline(3, DeadlineUnit.WORKING_DAYS),
        rating=Satisfaction.SATISFIED,
    )


ISSUE = Issue("Q1", "labour", "招工难", "visit", D)
PAIRS = [(state, kind) for state in STATES for kind in EXPECTED]


def test_graph_is_the_documented_one() -> None:
    assert {s.key: s.kind for s in DEFAULT_LIFECYCLE.states} == STATES
    assert DEFAULT_LIFECYCLE.event_kinds == frozenset(EXPECTED)
    assert DEFAULT_LIFECYCLE.initial == "raised"
    finals = {s.key for s in DEFAULT_LIFECYCLE.states if s.final}
    assert finals == {"closed", "closed_unresolved"}


@pytest.mark.parametrize(("state", "kind"), PAIRS)
def test_each_transition_allowed_or_refused(state: str, kind: str) -> None:
    sources, target = EXPECTED[kind]
    if state in sources:
        assert DEFAULT_LIFECYCLE.step(ISSUE, state, event(kind)) == (target or state)
        assert kind in DEFAULT_LIFECYCLE.allowed(state)
        return
    with pytest.raises(TransitionError) as info:
        DEFAULT_LIFECYCLE.step(ISSUE, state, event(kind))
    err = info.value
    assert err.issue == "Q1"
    assert err.from_state == state
    assert err.event == kind
    assert err.to_state == target
    allowed = sorted(k for k, (src, _) in EXPECTED.items() if state in src)
    assert list(err.allowed) == allowed
    text = str(err)
    assert "'Q1'" in text
    assert f"state {state!r}" in text
    if target:
        assert f"to {target!r}" in text
    assert ("nothing (final state)" in text) if not allowed else (", ".join(allowed) in text)


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("assigned", "level, department"),
        ("escalated", "level"),
        ("extended", "due or deadline"),
        ("return_visit", "rating"),
    ],
)
def test_guards_refuse_incomplete_events(kind: str, missing: str) -> None:
    state = EXPECTED[kind][0][0]
    with pytest.raises(TransitionError, match=f"needs {missing}") as info:
        DEFAULT_LIFECYCLE.step(ISSUE, state, IssueEvent(kind, D))
    assert info.value.issue == "Q1"
    assert info.value.from_state == state


def test_assigned_with_level_only_names_the_missing_department() -> None:
    with pytest.raises(TransitionError, match="needs department"):
        DEFAULT_LIFECYCLE.step(ISSUE, "raised", IssueEvent("assigned", D, level="county"))


def test_replay_derives_state_and_figures() -> None:
    d = dt.date
    issue = Issue(
        "Q2",
        "land",
        "用地指标",
        "meeting",
        d(2020, 4, 14),
        events=(
            IssueEvent("assigned", d(2020, 4, 15), level="county", department="区自然资源局"),
            IssueEvent("taken_back", d(2020, 4, 15)),
            IssueEvent("escalated", d(2020, 4, 22), level="city", department="市自然资源和规划局"),
            IssueEvent("resolved", d(2020, 4, 28)),
            IssueEvent("return_visit", d(2020, 5, 6), rating=Satisfaction.DISSATISFIED),
            IssueEvent("reopened", d(2020, 5, 7)),
            IssueEvent("resolved", d(2020, 5, 11)),
            IssueEvent("return_visit", d(2020, 5, 12), rating=Satisfaction.SATISFIED),
        ),
    )
    st = replay(issue, DEFAULT_LIFECYCLE)
    assert st.state == "resolved"
    assert st.kind is StateKind.RESOLVED
    assert st.level == "city"
    assert st.department == "市自然资源和规划局"
    assert st.assigned_on == d(2020, 4, 15)
    assert st.resolved_on == d(2020, 5, 11)
    assert st.reopened == 1
    assert st.escalations == 1
    assert st.ratings == (Satisfaction.DISSATISFIED, Satisfaction.SATISFIED)
    assert st.last_rating is Satisfaction.SATISFIED
    # Replaying a prefix gives the state at that point: nothing is stored twice.
    mid = replay(issue, DEFAULT_LIFECYCLE, issue.events[:5])
    assert mid.state == "resolved"
    assert mid.resolved_on == d(2020, 4, 28)
    reopened = replay(issue, DEFAULT_LIFECYCLE, issue.events[:6])
    assert reopened.state == "in_progress"
    assert reopened.resolved_on is None
    assert replay(issue, DEFAULT_LIFECYCLE, ()).state == "raised"


def test_replay_stops_at_the_first_illegal_event() -> None:
    issue = Issue(
        "Q3",
        "labour",
        "x",
        "visit",
        D,
        events=(IssueEvent("answered_on_spot", D), IssueEvent("escalated", D, level="city")),
    )
    with pytest.raises(TransitionError) as info:
        replay(issue, DEFAULT_LIFECYCLE)
    assert info.value.from_state == "resolved"
    assert info.value.allowed == ("closed", "reopened", "return_visit")


def test_event_labels() -> None:
    assert DEFAULT_LIFECYCLE.event_label("escalated") == "提级办理"
    assert DEFAULT_LIFECYCLE.event_label("marked_overdue", "en") == "marked overdue"
    assert DEFAULT_LIFECYCLE.event_label("unknown") == "unknown"


def test_plugin_lifecycle_is_checked_when_built() -> None:
    a = State("open", StateKind.OPEN, Label("开", "open"))
    with pytest.raises(ValueError, match="unknown state 'gone'"):
        Lifecycle("open", (a,), (Transition("close", ("open",), "gone"),))
    with pytest.raises(ValueError, match="unknown state 'nowhere'"):
        Lifecycle("open", (a,), (Transition("close", ("nowhere",), "open"),))
    with pytest.raises(ValueError, match="unknown initial state 'x'"):
        Lifecycle("x", (a,), ())


def test_plugin_lifecycle_with_its_own_guard() -> None:
    def needs_note(_: Issue, e: IssueEvent) -> str | None:
        return None if e.note else "needs a note"

    a = State("open", StateKind.OPEN, Label("开", "open"))
    b = State("done", StateKind.RESOLVED, Label("完", "done"), final=True)
    lc = Lifecycle("open", (a, b), (Transition("finish", ("open",), "done", needs_note),))
    issue = Issue("P1", "x", "y", "z", D)
    with pytest.raises(
        TransitionError, match=r"event 'finish' is refused in state 'open': needs a note"
    ):
        lc.step(issue, "open", IssueEvent("finish", D))
    assert lc.step(issue, "open", IssueEvent("finish", D, note="ok")) == "done"
    with pytest.raises(TransitionError, match=r"nothing \(final state\)"):
        lc.step(issue, "done", IssueEvent("finish", D, note="again"))


def test_a_guard_refusal_names_the_missing_fields_in_either_language() -> None:
    issue = Issue("P1", "x", "y", "z", D)
    with pytest.raises(TransitionError) as info:
        DEFAULT_LIFECYCLE.step(issue, "assigned", IssueEvent("assigned", D))
    exc = info.value
    assert exc.phrase.text("zh") == "问题 'P1'：办理记录 'assigned' 缺少 level、department"
    assert exc.phrase.text("en") == "issue 'P1': event 'assigned' needs level, department"
    # the attributes API users read are as they were
    assert (exc.issue, exc.from_state, exc.to_state) == ("P1", "assigned", "assigned")
    assert exc.event == "assigned (needs level, department)"
    assert exc.kind == "assigned" and "assigned" in exc.allowed
    assert exc.refusal is not None and exc.refusal.text("en") == "needs level, department"
    with pytest.raises(TransitionError) as info:
        DEFAULT_LIFECYCLE.step(issue, "assigned", IssueEvent("extended", D))
    assert info.value.phrase.text("zh") == (
        "问题 'P1'：办理记录 'extended' 缺少 due、deadline（至少要有一项）"
    )
    assert info.value.phrase.text("en") == "issue 'P1': event 'extended' needs due or deadline"


def test_a_plugin_guard_reason_is_shown_as_written() -> None:
    def needs_note(_: Issue, e: IssueEvent) -> str | None:
        return None if e.note else "要写明备注"

    a = State("open", StateKind.OPEN, Label("开", "open"))
    b = State("done", StateKind.RESOLVED, Label("完", "done"), final=True)
    lc = Lifecycle("open", (a, b), (Transition("finish", ("open",), "done", needs_note),))
    with pytest.raises(TransitionError) as info:
        lc.step(Issue("P1", "x", "y", "z", D), "open", IssueEvent("finish", D))
    assert info.value.phrase.text("zh") == (
        "问题 'P1'：状态 'open' 下的办理记录 'finish' 不被接受：要写明备注"
    )
    assert info.value.event == "finish (要写明备注)" and info.value.refusal is not None


def test_a_lifecycle_that_contradicts_itself_says_so_in_either_language() -> None:
    a = State("open", StateKind.OPEN, Label("开", "open"))
    with pytest.raises(LifecycleError) as info:
        Lifecycle("open", (a,), (Transition("close", ("open",), "gone"),))
    assert isinstance(info.value, ValueError)
    assert str(info.value) == "transition 'close': unknown state 'gone'"
    assert info.value.phrase.text("zh") == "办理记录 'close' 的转换用到了未知的状态 'gone'"
    with pytest.raises(LifecycleError) as info:
        Lifecycle("x", (a,), ())
    assert info.value.phrase.text("zh") == "未知的初始状态 'x'"
    with pytest.raises(LifecycleError) as info:
        Lifecycle("open", (a,), (), rated=("visit",))
    assert str(info.value) == "rated: 'visit' is not an event kind of the lifecycle"
    assert info.value.phrase.text("zh") == "rated 中的 'visit' 不是这个生命周期的办理记录种类"
