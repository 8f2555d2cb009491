"""Walks through histories (``campaignkit.derive.walks``): the index validation leaves.

Validation walks every history through the nodes escalation reads and leaves
where each one ends with the ledger. The index must be the one a walk of its
own would build, must leave out what does not replay, and must not be built
where plugin code would run in a step. The summary's overdue flags read the
end nodes; they must be the clocks' verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from benchmarks.generate import write_ledger
from campaignkit.derive.calendar import WorkCalendar, calendar_from_schedule
from campaignkit.derive.deadlines import deadline_flags
from campaignkit.derive.walks import Node, Walks, indexed_walks, walks_for
from campaignkit.hooks.manager import PluginManager, new_plugin_manager
from campaignkit.hooks.specs import hookimpl
from campaignkit.io import load, validate
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, IssueEvent
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.lifecycle import DEFAULT_LIFECYCLE
from campaignkit.rules.records import CampaignType, WorkdayCalendar
from tests.lifecycles import with_guard

D = dt.date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def pm() -> PluginManager:
    return new_plugin_manager(entry_points=False)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory, pm: PluginManager) -> Ledger:
    path = tmp_path_factory.mktemp("province") / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 3000, seed=5)
    return load(path, manager=pm)


def _index(ledger: Ledger, pm: PluginManager) -> Walks | None:
    return indexed_walks(
        ledger, pm.campaign_type(ledger.campaign.type), WorkCalendar.from_manager(pm)
    )


def _described(walks: Walks, node: Node | None) -> Any:
    """What a node stands for, whatever graph it belongs to."""
    if node is None:
        return None
    clocks = tuple((key, walks.snapshot_list[snap], held) for key, snap, held in node.clocks)
    return node.state, node.level, clocks, node.meeting, node.visit, node.missed


def test_validation_leaves_the_index_a_walk_of_its_own_builds(
    province: Ledger, pm: PluginManager
) -> None:
    kept = _index(province, pm)
    assert kept is not None and kept.ends is not None
    fresh = province.replace()  # the same records, nothing remembered
    assert _index(fresh, pm) is None
    walks = walks_for(fresh, CAMPAIGN_TYPE, WorkCalendar.from_manager(pm))
    ends, lasts = walks.index(fresh.issues)
    assert lasts == kept.lasts
    assert [_described(walks, n) for n in ends] == [_described(kept, n) for n in kept.ends]
    assert None not in ends
    # what the index tells: every kind of node the rules read
    described = {_described(walks, n)[0] for n in ends}
    assert {"assigned", "in_progress", "paused", "resolved", "closed"} <= described


def test_a_history_that_does_not_replay_has_no_end(pm: PluginManager) -> None:
    example = load(EXAMPLE, manager=pm)
    first = example.issues[0]
    broken = attrs.evolve(first, events=(IssueEvent("resolved", first.raised),))
    ledger = example.replace(issues=(broken, *example.issues[1:]))
    problems = validate(ledger, pm)
    assert any(p.path.startswith("issues[0].events[0]") for p in problems)
    walks = _index(ledger, pm)
    assert walks is not None and walks.ends is not None
    assert walks.ends[0] is None
    assert all(end is not None for end in walks.ends[1:])


def test_a_step_the_walks_cannot_work_out_goes_on_through_the_lifecycle(
    pm: PluginManager,
) -> None:
    """A due date beyond the calendar (year 9999) is not validation's business: the
    history is still checked, and the issue gets no end in the index."""
    example = load(EXAMPLE, manager=pm)
    issue = next(i for i in example.issues if i.events and i.events[0].kind == "assigned")
    position = example.issues.index(issue)
    far = attrs.evolve(
        issue.events[0],
        deadline=Deadline(3_000_000, DeadlineUnit.DAYS),
        due=None,
        stage="resolution",
    )
    changed = attrs.evolve(issue, events=(far, *issue.events[1:]))
    issues = list(example.issues)
    issues[position] = changed
    ledger = example.replace(issues=tuple(issues))
    assert validate(ledger, pm) == validate(example.replace(), pm) == []
    walks = _index(ledger, pm)
    assert walks is not None and walks.ends is not None
    assert walks.ends[position] is None
    assert sum(end is None for end in walks.ends) == 1


class _Calendar2027:
    @staticmethod
    @hookimpl
    def campaignkit_calendars() -> Iterator[WorkdayCalendar]:
        # the same data, but not declared pure: plugin code that could hang in a step
        yield attrs.evolve(calendar_from_schedule("x-2027", holidays=["2027-01-01"]), pure=False)


def test_no_index_where_plugin_code_would_run_in_a_step(pm: PluginManager) -> None:
    """With a plugin calendar or a lifecycle guard of a plugin's own, validation walks
    the lifecycle's tables as before and leaves no walks with the ledger."""
    other = new_plugin_manager([_Calendar2027()], entry_points=False)
    ledger = load(EXAMPLE, manager=other)
    assert _index(ledger, other) is None
    assert "escalation_walks" not in ledger._cache  # nothing built, not even the store

    def own_guard(_: Any, event: IssueEvent) -> str | None:
        return None

    lifecycle = with_guard(DEFAULT_LIFECYCLE, "feedback", own_guard)
    guarded: CampaignType = attrs.evolve(CAMPAIGN_TYPE, lifecycle=lifecycle)
    from campaignkit.validation.checks import check_ledger

    example = load(EXAMPLE, manager=pm).replace()
    assert check_ledger(example, guarded, (), WorkCalendar.from_manager(pm)) == []
    assert "escalation_walks" not in example._cache


@pytest.mark.parametrize("as_of", [D(2024, 3, 20), D(2024, 6, 1), D(2024, 11, 15), D(2025, 2, 1)])
def test_the_flags_at_the_end_node_are_the_clocks_verdict(
    province: Ledger, pm: PluginManager, as_of: dt.date
) -> None:
    """On time and overdue, read from the node where a history ends, are what the
    clocks replayed say, for every issue whose history is known on the date."""
    walks = _index(province, pm)
    assert walks is not None and walks.ends is not None
    policy, cal = CAMPAIGN_TYPE.policy, WorkCalendar.from_manager(pm)
    compared = overdue = late = 0
    for issue, node, last in zip(province.issues, walks.ends, walks.lasts, strict=True):
        if node is None or last > as_of:
            continue
        on_time, expected = deadline_flags(issue, policy, as_of=as_of, calendar=cal)
        assert (walks.on_time(node, as_of), walks.overdue(node, as_of)) == (
            on_time,
            expected,
        ), issue.id
        assert node.rules.missed is False
        compared += 1
        overdue += expected
        late += node.missed
    assert compared > 50
    if as_of >= D(2024, 11, 15):
        assert overdue > 50
        assert late > 50


@pytest.mark.parametrize("paused", [D(2020, 4, 24), D(2020, 6, 30)])
def test_a_clock_paused_in_time_is_not_overdue_however_late(
    pm: PluginManager, paused: dt.date
) -> None:
    """Paused before its due date, a clock waits (not overdue on 31 July); paused
    after it, it stays overdue: as the clocks judge it."""
    example = load(EXAMPLE, manager=pm)
    base = next(i for i in example.issues if i.events and i.events[0].kind == "assigned")
    waiting = attrs.evolve(
        base, id="T1", events=(base.events[0], IssueEvent("paused", paused, note="等待材料"))
    )
    ledger = example.replace(issues=(*example.issues, waiting))
    assert validate(ledger, pm) == []
    walks = _index(ledger, pm)
    assert walks is not None and walks.ends is not None
    node = walks.ends[-1]
    assert node is not None and node.state == "paused"
    as_of = D(2020, 7, 31)
    expected = deadline_flags(waiting, CAMPAIGN_TYPE.policy, as_of=as_of, calendar=walks.calendar)
    assert walks.overdue(node, as_of) == expected[1] == (paused > D(2020, 6, 1))


@pytest.mark.parametrize(
    ("paused", "resumed", "end", "on_time"),
    [
        (None, None, IssueEvent("resolved", D(2020, 5, 8)), True),
        # resolved after its due date (11 May)
        (None, None, IssueEvent("resolved", D(2020, 5, 20)), False),
        # paused in time: its due date moved on when it resumed
        (D(2020, 4, 24), D(2020, 5, 18), IssueEvent("resolved", D(2020, 5, 20)), True),
        # paused after its due date: no time left to move
        (D(2020, 5, 15), D(2020, 5, 18), IssueEvent("resolved", D(2020, 5, 20)), False),
        # closed while paused in time: the clock waited, so it was not missed
        (
            D(2020, 4, 24),
            None,
            IssueEvent("closed_unresolved", D(2020, 5, 20), note="企业撤回"),
            True,
        ),
        (
            D(2020, 5, 15),
            None,
            IssueEvent("closed_unresolved", D(2020, 5, 20), note="企业撤回"),
            False,
        ),
    ],
)
def test_a_clock_ended_after_its_due_date_was_missed(
    pm: PluginManager,
    paused: dt.date | None,
    resumed: dt.date | None,
    end: IssueEvent,
    on_time: bool,
) -> None:
    example = load(EXAMPLE, manager=pm)
    base = next(i for i in example.issues if i.events and i.events[0].kind == "assigned")
    events = [base.events[0]]
    if paused is not None:
        events.append(IssueEvent("paused", paused, note="等待材料"))
    if resumed is not None:
        events.append(IssueEvent("resumed", resumed))
    events.append(end)
    issue = attrs.evolve(base, id="T1", events=tuple(events))
    ledger = example.replace(issues=(*example.issues, issue))
    assert validate(ledger, pm) == []
    walks = _index(ledger, pm)
    assert walks is not None and walks.ends is not None
    node = walks.ends[-1]
    assert node is not None and node.state == end.kind
    as_of = D(2020, 7, 31)
    expected = deadline_flags(issue, CAMPAIGN_TYPE.policy, as_of=as_of, calendar=walks.calendar)
    assert walks.on_time(node, as_of) == expected[0] == on_time
    assert node.missed is not on_time
    assert node.rules.missed is False


def test_the_summary_reads_the_index_only_where_a_history_is_complete(
    province: Ledger, pm: PluginManager
) -> None:
    """On a day after which nothing but events is dated, the summary reads the index;
    an issue with events after the day is walked up to it. The figures and their
    records are those of a copy with no index."""
    from campaignkit.stats.metrics import compute, known_on

    day = D(2024, 9, 1)
    ledger = province.replace(
        issues=tuple(i for i in province.issues if i.raised <= day),
        activities=tuple(a for a in province.activities if a.date <= day),
        outcomes=tuple(o for o in province.outcomes if o.date <= day),
    )
    assert validate(ledger, pm) == []  # which keeps the index with it
    assert known_on(ledger, day) is ledger  # so the summary sees this very ledger
    walks = _index(ledger, pm)
    assert walks is not None
    assert sum(last > day for last in walks.lasts) > 20  # issues still moving after the day
    plain = ledger.replace()
    for metric in ("issues_resolved_on_time", "issues_overdue"):
        indexed = compute(ledger, metric, manager=pm, as_of=day)
        walked = compute(plain, metric, manager=pm, as_of=day)
        assert (indexed.value, indexed.provenance) == (walked.value, walked.provenance), metric
        assert indexed.value
    assert _index(plain, pm) is None  # the copy's figures came without an index


def test_validation_takes_no_step_another_walk_worked_out_on_trust(pm: PluginManager) -> None:
    """A first evaluation may be building the ledger's index in another thread while
    the ledger is validated: its steps were worked out without validation's checks,
    so validation walks nodes of its own and still finds the bad event."""
    example = load(EXAMPLE, manager=pm)
    base = next(i for i in example.issues if i.events and i.events[0].kind == "assigned")
    bad = attrs.evolve(base.events[0], note="长" * 100_001)
    issue = attrs.evolve(base, id="T1", events=(bad,))
    ledger = example.replace(issues=(*example.issues, issue))
    shared = walks_for(ledger, CAMPAIGN_TYPE, WorkCalendar.from_manager(pm))
    shared.after(shared.root, bad)  # as an index being built would, with no index yet
    problems = validate(ledger, pm)
    assert [p.path for p in problems] == [f"issues[{len(example.issues)}].events[0].note"]
    kept = _index(ledger, pm)
    assert kept is not None and kept is not shared
    assert kept.ends is not None and kept.ends[-1] is None


def test_no_walks_where_an_extension_or_pause_starts_or_stops_a_clock(pm: PluginManager) -> None:
    """A walk only moves clocks on extensions, pauses and resumptions; a policy that
    starts or stops a clock on one takes the replay instead."""
    from campaignkit.derive.walks import applies

    cal = WorkCalendar.from_manager(pm)
    assert applies(CAMPAIGN_TYPE, cal)
    policy = CAMPAIGN_TYPE.policy
    stages = tuple(
        attrs.evolve(s, start=(*s.start, "resumed")) if s.key == "resolution" else s
        for s in policy.stages
    )
    odd = attrs.evolve(CAMPAIGN_TYPE, policy=attrs.evolve(policy, stages=stages))
    assert not applies(odd, cal)
    from campaignkit.plugins import escalation_rules

    rules = {rule.name: rule for rule in escalation_rules.RULES}
    assert not escalation_rules.FastRules.applies(odd, rules, cal)
