"""A workspace derives its issues' shapes once; what reads them agrees with what derives
them afresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

import campaignkit
from benchmarks.generate import write_ledger
from campaignkit.derive.views import Deriver, IssueView, Shape, replay_columns
from campaignkit.errors import TransitionError
from campaignkit.escalation.engine import assess
from campaignkit.hooks.manager import PluginManager, new_plugin_manager
from campaignkit.metrics import make_context
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent
from campaignkit.workspace import Workspace

D = dt.date
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def pm() -> PluginManager:
    return new_plugin_manager(entry_points=False)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("province") / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 2000, seed=3)
    return path


@pytest.mark.parametrize("as_of", [D(2024, 6, 1), D(2024, 11, 15), D(2025, 2, 1)])
def test_escalation_with_the_workspace_is_escalation_without(
    province: Path, pm: PluginManager, as_of: dt.date
) -> None:
    ws = campaignkit.load_workspace(province, manager=pm)
    with_ws = assess(ws.ledger, as_of, manager=pm, workspace=ws)
    without = assess(campaignkit.load(province, manager=pm), as_of, manager=pm)
    assert with_ws == without
    assert with_ws.actions


@pytest.mark.parametrize("as_of", [D(2020, 4, 20), D(2020, 5, 12), D(2020, 7, 31)])
def test_figures_with_the_workspace_are_the_figures_without(
    pm: PluginManager, as_of: dt.date
) -> None:
    ws = campaignkit.load_workspace(EXAMPLE, manager=pm)
    with_ws = campaignkit.compute_all(
        make_context(ws.ledger, manager=pm, as_of=as_of, workspace=ws)
    )
    plain = campaignkit.compute_all(make_context(ws.ledger, manager=pm, as_of=as_of))
    assert {k: v.value for k, v in with_ws.items()} == {k: v.value for k, v in plain.items()}
    assert with_ws["issues_overdue"].value or with_ws["issues_resolved_on_time"].value


def test_shapes_are_derived_once_and_shared_by_dates(province: Path, pm: PluginManager) -> None:
    ws = campaignkit.load_workspace(province, manager=pm)
    whole = ws.shapes()
    assert len(whole) == len(ws.ledger.issues)
    assert ws.shapes() is whole
    late = D(2030, 1, 1)
    assert ws.shapes(late) is whole  # every history complete by then
    early = D(2024, 6, 1)
    dated = ws.shapes(early)
    assert ws.shapes(early) is dated
    deriver = ws.deriver
    for issue, shape in zip(ws.ledger.issues, dated, strict=True):
        assert shape == deriver.shape(issue, early)
        last = issue.events[-1].date if issue.events else issue.raised
        if last <= early:
            assert shape is whole[ws.ledger.issues.index(issue)]


def test_a_workspace_of_another_ledger_is_refused(pm: PluginManager) -> None:
    ws = campaignkit.load_workspace(EXAMPLE, manager=pm)
    other: Ledger = ws.ledger.replace()
    with pytest.raises(ValueError, match="another ledger"):
        assess(other, D(2020, 5, 12), manager=pm, workspace=ws)
    with pytest.raises(ValueError, match="another ledger"):
        make_context(other, manager=pm, workspace=ws)


def test_opening_resolves_the_campaign_type_and_calendar(pm: PluginManager) -> None:
    ledger = campaignkit.load(EXAMPLE, manager=pm)
    ws = campaignkit.Workspace.open(ledger, manager=pm)
    assert ws.ledger is ledger
    assert ws.campaign_type.key == ledger.campaign.type
    assert ws.deriver.calendar is ws.calendar
    assert ws.manager is pm


def _count_walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the issues whose histories are walked from now on, in order."""
    walked: list[str] = []
    shape, view = Deriver.shape, Deriver.view

    def counting(self: Deriver, issue: Issue, *args: Any, **kwargs: Any) -> Shape:
        walked.append(issue.id)
        return shape(self, issue, *args, **kwargs)

    def counting_view(self: Deriver, issue: Issue, *args: Any, **kwargs: Any) -> IssueView:
        walked.append(issue.id)
        return view(self, issue, *args, **kwargs)

    monkeypatch.setattr(Deriver, "shape", counting)
    monkeypatch.setattr(Deriver, "view", counting_view)
    return walked


def test_loading_walks_each_history_once(
    province: Path, pm: PluginManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load_workspace`` validates with the workspace's deriver: the shapes it keeps are
    the ones validation walked, and they equal a fresh derivation."""
    walked = _count_walks(monkeypatch)
    ws = campaignkit.load_workspace(province, manager=pm)
    shapes = ws.shapes()
    assert sorted(walked) == sorted(i.id for i in ws.ledger.issues)
    monkeypatch.undo()
    fresh = Workspace.open(ws.ledger, manager=pm).shapes()
    assert list(shapes) == list(fresh)


def test_the_summary_reads_the_state_facts_the_load_derived(
    province: Path, pm: PluginManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk that derives each shape keeps what the history says of the issue's state:
    a summary as of a date after every event walks no history again, and what it reads
    equals a replay of every history; read as of an earlier date, only the issues with
    events after it are walked."""
    ws = campaignkit.load_workspace(province, manager=pm)
    issues = ws.ledger.issues
    lifecycle = ws.campaign_type.lifecycle
    assert ws.known_states == replay_columns(issues, lifecycle)
    lasts = [i.events[-1].date if i.events else i.raised for i in issues]
    walked = _count_walks(monkeypatch)
    ctx = make_context(ws.ledger, as_of=max(lasts), workspace=ws)
    assert campaignkit.compute_all(ctx)
    assert walked == []
    day = sorted(lasts)[len(lasts) // 2]
    expected = sorted({i.id for i, last in zip(issues, lasts, strict=True) if last > day})
    assert expected
    columns = replay_columns(issues, lifecycle, day, ws.known_states)
    assert sorted(set(walked)) == expected
    monkeypatch.undo()
    assert columns == replay_columns(issues, lifecycle, day)


def test_a_summary_as_of_an_earlier_date_reads_the_workspace_too(
    province: Path, pm: PluginManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As of a date some issues were raised after, the context holds fewer issues than
    the workspace: it still reads what the workspace derived, walking only histories with
    events after the date, and its figures are those computed without a workspace."""
    ws = campaignkit.load_workspace(province, manager=pm)
    issues = ws.ledger.issues
    day = sorted(i.raised for i in issues)[len(issues) // 2]
    assert any(i.raised > day for i in issues)
    later = {i.id for i in issues if (i.events[-1].date if i.events else i.raised) > day}
    walked = _count_walks(monkeypatch)
    ctx = make_context(ws.ledger, as_of=day, workspace=ws)
    assert len(ctx.ledger.issues) < len(issues)
    found = campaignkit.compute_all(ctx)
    assert walked and set(walked) <= later
    monkeypatch.undo()
    plain = campaignkit.compute_all(make_context(ws.ledger, manager=pm, as_of=day))
    assert {k: v.value for k, v in found.items()} == {k: v.value for k, v in plain.items()}
    assert found["issues_overdue"].value and found["issues_resolved"].value


def test_validating_with_the_workspace_reads_what_loading_found(
    province: Path, pm: PluginManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger ``load_workspace`` validated is not validated again when the workspace
    is handed to ``validate``; without it, it is."""
    ws = campaignkit.load_workspace(province, manager=pm)
    assert ws.validated == ()
    walked = _count_walks(monkeypatch)
    assert campaignkit.validate(ws.ledger, workspace=ws) == []
    assert walked == []
    assert campaignkit.validate(ws.ledger, pm) == []
    assert walked == [i.id for i in ws.ledger.issues if i.events]  # each history walked


def test_validating_with_a_workspace_keeps_its_problems_and_shapes(pm: PluginManager) -> None:
    ledger = campaignkit.load(EXAMPLE, manager=pm)
    issue = ledger.issues[0]
    bad = attrs.evolve(ledger, issues=(attrs.evolve(issue, enterprise="E0999"), *ledger.issues[1:]))
    ws = Workspace.open(bad, manager=pm)
    assert ws.validated is None
    first = campaignkit.validate(bad, workspace=ws, source="bad.json")
    assert [str(p) for p in first] == [str(p) for p in campaignkit.validate(bad, pm, "bad.json")]
    assert any("E0999" in str(p) and p.source == "bad.json" for p in first)
    assert ws.validated is not None and len(ws.validated) == len(first)
    assert campaignkit.validate(bad, workspace=ws) == [p.located(None) for p in ws.validated]
    good = Workspace.open(ledger, manager=pm)
    assert campaignkit.validate(ledger, workspace=good) == []
    assert list(good.shapes()) == list(Workspace.open(ledger, manager=pm).shapes())
    with pytest.raises(ValueError, match="another ledger"):
        campaignkit.validate(bad, workspace=good)
    with pytest.raises(ValueError, match="another plugin manager"):
        campaignkit.validate(ledger, new_plugin_manager(entry_points=False), workspace=good)


def test_a_workspace_refuses_shapes_of_another_length(pm: PluginManager) -> None:
    ws = Workspace.open(campaignkit.load(EXAMPLE, manager=pm), manager=pm)
    with pytest.raises(ValueError, match="shapes for"):
        ws.adopt(list(ws.shapes())[1:])


def test_a_clock_that_cannot_be_derived_does_not_hide_the_ledgers_problems(
    tmp_path: Path, pm: PluginManager
) -> None:
    """Validation in load_workspace walks with the workspace's deriver, which derives
    clocks; where that fails (a time limit far beyond the calendar) the history is still
    checked for states and every problem of the ledger is reported, as campaignkit.load
    reports them."""
    import orjson

    doc = orjson.loads(EXAMPLE.read_bytes())
    issue = next(i for i in doc["issues"] if any(e["kind"] == "assigned" for e in i["events"]))
    event = next(e for e in issue["events"] if e["kind"] == "assigned")
    event["deadline"] = {"amount": 10**9, "unit": "working_days"}
    event.pop("due", None)
    doc["issues"][0]["description"] = " "
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(doc))
    with pytest.raises(campaignkit.LedgerError) as loaded:
        campaignkit.load(path, manager=pm)
    with pytest.raises(campaignkit.LedgerError) as opened:
        campaignkit.load_workspace(path, manager=pm)
    assert [str(p) for p in opened.value.problems] == [str(p) for p in loaded.value.problems]
    assert any("description" in p.path for p in opened.value.problems)


def test_states_of_an_unvalidated_workspace_whose_clock_cannot_be_derived(
    pm: PluginManager,
) -> None:
    """A workspace opened on a ledger nobody validated, with a time limit far beyond the
    calendar: its issues' states are still given (replayed for states alone), as they
    are without a workspace; only what needs the clocks raises."""
    ledger = campaignkit.load(EXAMPLE, manager=pm)
    n, issue = next(
        (n, i) for n, i in enumerate(ledger.issues) if i.events and i.events[0].kind == "assigned"
    )
    day = issue.events[0].date
    longer = IssueEvent("extended", day, deadline=Deadline(10**7, DeadlineUnit.DAYS))
    bad = attrs.evolve(issue, events=(issue.events[0], longer, *issue.events[1:]))
    led = ledger.replace(issues=(*ledger.issues[:n], bad, *ledger.issues[n + 1 :]))
    ws = Workspace.open(led, manager=pm)
    as_of = max(i.events[-1].date for i in led.issues if i.events)
    found = make_context(led, manager=pm, as_of=as_of, workspace=ws).issue_states()
    plain = make_context(led, manager=pm, as_of=as_of).issue_states()
    assert found == plain and len(found) == len(led.issues)
    with pytest.raises(ValueError, match="longer than the limit"):
        ws.shapes()


def test_an_earlier_summary_leaves_out_an_unvalidated_issue_raised_after_it(
    pm: PluginManager,
) -> None:
    """A summary as of a date before an issue was raised leaves that issue out, so a clock
    of it that cannot be derived (a workspace nobody validated) does not stop the summary:
    the figures are those computed without a workspace."""
    ledger = campaignkit.load(EXAMPLE, manager=pm)
    n, issue = max(
        (
            (n, i)
            for n, i in enumerate(ledger.issues)
            if i.events and i.events[0].kind == "assigned"
        ),
        key=lambda found: found[1].raised,
    )
    longer = IssueEvent(
        "extended", issue.events[0].date, deadline=Deadline(10**7, DeadlineUnit.DAYS)
    )
    bad = attrs.evolve(issue, events=(issue.events[0], longer, *issue.events[1:]))
    led = ledger.replace(issues=(*ledger.issues[:n], bad, *ledger.issues[n + 1 :]))
    ws = Workspace.open(led, manager=pm)
    before = issue.raised - dt.timedelta(days=1)
    assert any(i.raised <= before for i in led.issues)
    with_ws = campaignkit.compute_all(make_context(led, manager=pm, as_of=before, workspace=ws))
    plain = campaignkit.compute_all(make_context(led, manager=pm, as_of=before))
    assert {k: v.value for k, v in with_ws.items()} == {k: v.value for k, v in plain.items()}
    with pytest.raises(ValueError, match="longer than the limit"):
        ws.shapes()


@pytest.mark.parametrize("as_of", [D(2024, 6, 1), D(2024, 11, 15), D(2025, 2, 1)])
def test_the_watch_list_reads_the_workspaces_shapes(
    province: Path, pm: PluginManager, as_of: dt.date
) -> None:
    from campaignkit.derive.deadlines import watch_list

    ws = campaignkit.load_workspace(province, manager=pm)
    policy, lifecycle = ws.campaign_type.policy, ws.campaign_type.lifecycle
    read = watch_list(
        ws.ledger, policy, lifecycle, as_of=as_of, deriver=ws.deriver, shapes=ws.shapes(as_of)
    )
    walked = watch_list(ws.ledger, policy, lifecycle, as_of=as_of, calendar=ws.calendar)
    assert read == walked
    assert read
    with pytest.raises(ValueError, match="shapes for"):
        watch_list(ws.ledger, policy, lifecycle, as_of=as_of, shapes=ws.shapes(as_of)[1:])


def test_shapes_as_of_a_date_read_the_latest_event_of_a_history_out_of_order(
    province: Path, pm: PluginManager
) -> None:
    """In a ledger nobody validated, an issue's events may be out of date order: its shape
    as of a date between its last event and its latest one leaves the latest out, as the
    deriver does, instead of taking the whole history's shape."""
    ledger = campaignkit.load(province, manager=pm)
    deriver = Workspace.open(ledger, manager=pm).deriver
    latest = max(i.events[-1].date for i in ledger.issues if i.events) + dt.timedelta(days=30)
    ahead = IssueEvent("supervised", latest, department="市督查室")

    def mixed_up(issue: Issue) -> Issue | None:
        """``issue`` with ``ahead`` before its last event, if the lifecycle allows it and
        it changes the issue's shape (it marks a running clock)."""
        if len(issue.events) < 2 or issue.events[-1].department is not None:
            return None
        mixed = attrs.evolve(issue, events=(*issue.events[:-1], ahead, issue.events[-1]))
        try:
            changed = deriver.shape(mixed) != deriver.shape(issue)
        except TransitionError:
            return None
        return mixed if changed else None

    n, issue, mixed = next(
        (n, i, m) for n, i in enumerate(ledger.issues) if (m := mixed_up(i)) is not None
    )
    led = ledger.replace(issues=(*ledger.issues[:n], mixed, *ledger.issues[n + 1 :]))
    ws = Workspace.open(led, manager=pm)
    as_of = latest - dt.timedelta(days=1)
    assert ws.shapes(as_of)[n] == ws.deriver.shape(mixed, as_of)
    assert ws.shapes(as_of)[n] == ws.deriver.shape(issue, as_of)
    assert ws.shapes(as_of)[n] != ws.shapes()[n]
    assert ws.shapes(latest) is ws.shapes()
    assert ws.latest_event_dates()[n] == latest
    # the state facts as of that date leave it out too, as without a workspace
    with_ws = make_context(led, manager=pm, as_of=as_of, workspace=ws).issue_states()
    plain = make_context(led, manager=pm, as_of=as_of).issue_states()
    assert with_ws == plain
    assert ws.known_states is not None
    assert ws.known_states.department[n] == "市督查室" != with_ws[issue.id].department


def test_an_earlier_summary_with_a_workspace_is_not_stopped_by_an_issue_raised_after_it(
    pm: PluginManager,
) -> None:
    """A ledger nobody validated whose last raised issue has an event dated before the
    summary's date, before its raising and out of order: the context as of that date
    leaves the issue out, so its history (which the lifecycle refuses when cut at that
    date) does not stop the summary, with a workspace as without."""
    ledger = campaignkit.load(EXAMPLE, manager=pm)
    n, last = max(enumerate(ledger.issues), key=lambda found: found[1].raised)
    day = last.raised - dt.timedelta(days=3)
    bad = attrs.evolve(
        last,
        events=(
            IssueEvent("assigned", last.raised, level="county", department="某局"),
            IssueEvent("resolved", day - dt.timedelta(days=1)),
        ),
    )
    led = ledger.replace(issues=(*ledger.issues[:n], bad, *ledger.issues[n + 1 :]))
    plain = campaignkit.compute_all(make_context(led, manager=pm, as_of=day))
    ws = Workspace.open(led, manager=pm)
    with_ws = campaignkit.compute_all(make_context(led, manager=pm, as_of=day, workspace=ws))
    assert {k: v.value for k, v in with_ws.items()} == {k: v.value for k, v in plain.items()}
    assert plain["issues_overdue"].value
    with pytest.raises(TransitionError):
        ws.shapes(day)


def test_adopting_shapes_drops_the_shapes_worked_out_for_dates(
    province: Path, pm: PluginManager
) -> None:
    """Shapes adopted after a date was asked replace those worked out for that date too:
    an issue with no event after the date has its adopted shape there."""
    ws = campaignkit.load_workspace(province, manager=pm)
    early = D(2024, 6, 1)
    before = list(ws.shapes(early))
    n = next(
        n
        for n, issue in enumerate(ws.ledger.issues)
        if issue.events and issue.events[-1].date <= early
    )
    adopted = list(ws.shapes())
    other = next(s for s in adopted if s is not adopted[n] and s != adopted[n])
    adopted[n] = other
    ws.adopt(adopted)
    assert ws.shapes()[n] is other
    assert ws.shapes(early)[n] is other
    assert before[n] is not other
