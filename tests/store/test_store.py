"""The store: exact round trips, figures and reports as from the file, checked writes."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import campaignkit as ck
from campaignkit.errors import LedgerError, Problem
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import register
from campaignkit.plugins import Label, hookimpl
from campaignkit.report.build import build_report, render
from campaignkit.rules.records import CampaignType, Validator
from campaignkit.rules.writes import Write, WriteAction, WriteCheck
from campaignkit.stats.metrics import make_context
from campaignkit.store import ConflictError, Store, StoreError
from tests.conftest import uscc
from tests.strategies import ledgers

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def huainan() -> ck.Workspace:
    return ck.load_workspace(HUAINAN)


@pytest.fixture
def store(store_url: str, huainan: ck.Workspace) -> Iterator[Store]:
    with ck.open(store_url) as s:
        s.import_ledger(huainan, author="省专班")
        yield s


def _campaign(ws: ck.Workspace) -> str:
    return ws.ledger.campaign.id


def test_export_is_byte_identical(store: Store, huainan: ck.Workspace) -> None:
    assert store.export(_campaign(huainan)) == ck.dumps(huainan.ledger)
    assert store.campaigns() == (_campaign(huainan),)


def test_every_figure_from_the_store_equals_the_file(store: Store, huainan: ck.Workspace) -> None:
    ws = store.workspace(_campaign(huainan))
    assert not store.stale(_campaign(huainan))
    assert list(ws.shapes()) == list(huainan.shapes())
    for as_of in (None, dt.date(2020, 4, 30), dt.date(2020, 5, 12)):
        mine = ck.compute_all(make_context(ws.ledger, workspace=ws, as_of=as_of))
        theirs = ck.compute_all(make_context(huainan.ledger, workspace=huainan, as_of=as_of))
        assert {k: r.value for k, r in mine.items()} == {k: r.value for k, r in theirs.items()}
        assert {k: r.records for k, r in mine.items()} == {k: r.records for k, r in theirs.items()}
        assert set(mine) >= {"enterprises_visited", "issues_resolved"}


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "csv", "xlsx"])
def test_every_report_from_the_store_is_byte_identical(
    sqlite_url: str, huainan: ck.Workspace, fmt: str
) -> None:
    with ck.open(sqlite_url) as s:
        s.import_ledger(huainan, author="省专班")
        ws = s.workspace(_campaign(huainan))
    for by in ("team", "region"):
        mine = build_report(ws.ledger, workspace=ws, by=by)
        theirs = build_report(huainan.ledger, workspace=huainan, by=by)
        assert render(mine, fmt, include_charts=False) == render(theirs, fmt, include_charts=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(max_records=8))
def test_any_accepted_ledger_round_trips_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory, ledger: ck.Ledger
) -> None:
    # plugin extra attributes kept too: a text, a number, a list and a nested object
    extra = {"来源": "12345 热线", "score": 3, "tags": ["a", "b"], "more": {"x": None}}
    ledger = ledger.replace(
        enterprises=tuple(attrs.evolve(e, extra=extra) for e in ledger.enterprises),
        issues=tuple(attrs.evolve(i, extra=extra) for i in ledger.issues),
    )
    if ck.validate(ledger):
        return  # an extra attribute the campaign type refuses: not an accepted ledger
    url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 's.db'}"
    with ck.open(url) as s:
        s.import_ledger(ledger, author="t")
        assert s.export(ledger.campaign.id) == ck.dumps(ledger)
        assert s.ledger(ledger.campaign.id) == ledger


def test_a_second_import_of_one_campaign_is_refused(store: Store, huainan: ck.Workspace) -> None:
    with pytest.raises(StoreError, match="already holds"):
        store.import_ledger(huainan, author="x")
    assert len(store.writes(_campaign(huainan))) == 1


def test_a_ledger_with_problems_is_not_imported(sqlite_url: str, huainan: ck.Workspace) -> None:
    bad = huainan.ledger.replace(
        issues=(attrs.evolve(huainan.ledger.issues[0], enterprise="E9999"),)
    )
    with ck.open(sqlite_url) as s:
        with pytest.raises(LedgerError, match=r"issues\[0\]\.enterprise"):
            s.import_ledger(bad, author="x")
        assert s.campaigns() == ()


def _open_issue(ws: ck.Workspace) -> tuple[int, ck.Issue]:
    for n, issue in enumerate(ws.ledger.issues):
        if ws.shapes()[n].state == "assigned":
            return n, issue
    raise AssertionError("no assigned issue")


def test_appended_events_are_checked_located_and_derived(
    store: Store, huainan: ck.Workspace
) -> None:
    cid = _campaign(huainan)
    n, issue = _open_issue(huainan)
    last = issue.events[-1].date
    k = len(issue.events)
    # the lifecycle refuses closing an open issue: located as in the file, nothing written
    with pytest.raises(LedgerError) as refused:
        store.append_events(cid, issue.id, [ck.IssueEvent("closed", last)], author="T1")
    assert [p.path for p in refused.value.problems] == [f"issues[{n}].events[{k}].kind"]
    # an event dated before the last one
    with pytest.raises(LedgerError) as early:
        store.append_events(
            cid, issue.id, [ck.IssueEvent("feedback", last - dt.timedelta(days=1))], author="T1"
        )
    assert [p.path for p in early.value.problems] == [f"issues[{n}].events[{k}].date"]
    with pytest.raises(LedgerError, match="Q9999"):
        store.append_events(cid, "Q9999", [ck.IssueEvent("feedback", last)], author="T1")
    assert len(store.writes(cid)) == 1

    resolved = ck.IssueEvent("resolved", last + dt.timedelta(days=2), by="T1")
    store.append_events(cid, issue.id, [resolved], author="T1")
    expected = huainan.ledger.with_events({issue.id: [resolved]})
    assert store.export(cid) == ck.dumps(expected)
    ws = store.workspace(cid)
    assert ws.shapes()[n].state == "resolved"
    fresh = ck.Workspace.open(expected)
    assert list(ws.shapes()) == list(fresh.shapes())
    last_write = store.writes(cid)[-1]
    assert (last_write.author, last_write.action, last_write.record_id) == (
        "T1",
        "append",
        issue.id,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": dt.date(2099, 5, 12)}, "date"),
        ({"level": "galaxy"}, "level"),
        ({"rating": ck.Satisfaction.SATISFIED}, "rating"),
        ({"department": "寿县\x07金融办"}, "department"),
    ],
)
def test_an_appended_event_is_checked_as_validation_checks_it(
    store: Store, huainan: ck.Workspace, changes: dict[str, Any], field: str
) -> None:
    """What validation would refuse in the ledger file is refused when appended, with the
    same problem at the same path: a store's records always export to a ledger that
    validates and imports again."""
    cid = _campaign(huainan)
    n, issue = _open_issue(huainan)
    event = attrs.evolve(ck.IssueEvent("feedback", issue.events[-1].date), **changes)
    path = f"issues[{n}].events[{len(issue.events)}].{field}"
    would = ck.validate(huainan.ledger.with_events({issue.id: [event]}))
    assert [(p.path, p.code) for p in would if p.path == path]
    with pytest.raises(LedgerError) as refused:
        store.append_events(cid, issue.id, [event], author="T1")
    assert [(p.path, p.code) for p in refused.value.problems] == [(p.path, p.code) for p in would]
    with pytest.raises(LedgerError) as in_memory:
        ck.append_events(huainan.ledger, {issue.id: [event]})
    assert [(p.path, p.code, p.args) for p in in_memory.value.problems] == [
        (p.path, p.code, p.args) for p in refused.value.problems
    ]
    assert len(store.writes(cid)) == 1
    assert store.export(cid) == ck.dumps(huainan.ledger)


def test_a_database_error_is_one_line_and_writes_nothing(
    sqlite_url: str, huainan: ck.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holds the SQLite file's write lock past the waiting time: the
    write is refused with one line naming the store, not the database driver's dump of
    the statement and its parameters."""
    from campaignkit.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_S", 0.2)
    path = sqlite_url.removeprefix("sqlite:///")
    with ck.open(sqlite_url) as s:
        s.import_ledger(huainan, author="x")
        cid = _campaign(huainan)
        _, issue = _open_issue(huainan)
        holder = sqlite3.connect(path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            with pytest.raises(StoreError) as refused:
                s.append_events(
                    cid, issue.id, [ck.IssueEvent("feedback", issue.events[-1].date)], author="T"
                )
        finally:
            holder.close()
        text = refused.value.phrase.text("en")
        assert text.startswith(f"{s.url}: the database refused: database is locked")
        assert "\n" not in str(refused.value) and "SQL" not in str(refused.value)
        assert "数据库出错" in refused.value.phrase.text("zh")
        assert len(s.writes(cid)) == 1


def test_expect_turns_a_lost_update_into_a_conflict(store: Store, huainan: ck.Workspace) -> None:
    cid = _campaign(huainan)
    _, issue = _open_issue(huainan)
    seen = len(issue.events)
    day = issue.events[-1].date
    store.append_events(cid, issue.id, [ck.IssueEvent("feedback", day)], author="A", expect=seen)
    with pytest.raises(ConflictError) as conflict:
        store.append_events(
            cid, issue.id, [ck.IssueEvent("supervised", day)], author="B", expect=seen
        )
    assert (conflict.value.expected, conflict.value.found) == (seen, seen + 1)
    assert "另一次写入在先" in conflict.value.phrase.text("zh")
    # without expect, the second write lands after the first: both are kept
    store.append_events(cid, issue.id, [ck.IssueEvent("supervised", day)], author="B")
    kinds = [e.kind for e in store.ledger(cid).issue_index[issue.id].events]
    assert kinds[-2:] == ["feedback", "supervised"]


def test_put_adds_and_corrects_keeping_what_was_there(store: Store, huainan: ck.Workspace) -> None:
    cid = _campaign(huainan)
    ledger = huainan.ledger
    first = ledger.enterprises[0]
    renamed = attrs.evolve(first, name=first.name + "（更名）")
    store.put(cid, renamed, author="区经信局")
    issue = attrs.evolve(ledger.issues[0], id="Q9001", events=())
    store.put(cid, issue, author="T1")
    got = store.ledger(cid)
    assert got.enterprise_index[first.id].name == renamed.name
    assert got.issues[-1] == issue
    writes = store.writes(cid)
    assert [(w.action, w.kind, w.record_id) for w in writes[1:]] == [
        ("correct", "enterprises", first.id),
        ("add", "issues", "Q9001"),
    ]
    assert writes[1].before is not None and first.name in writes[1].before
    expected = ledger.replace(
        enterprises=(renamed, *ledger.enterprises[1:]), issues=(*ledger.issues, issue)
    )
    assert store.export(cid) == ck.dumps(expected)


def test_put_with_expect_refuses_to_overwrite_another_writers_correction(
    store: Store, huainan: ck.Workspace
) -> None:
    """Two offices read the same enterprise and correct it: with ``expect`` (the record as
    each read it) the second correction is refused, not laid over the first; a record
    the writer believed new but another write added is refused too."""
    cid = _campaign(huainan)
    seen = store.ledger(cid).enterprises[0]
    store.put(cid, attrs.evolve(seen, name="甲改的名字"), author="甲", expect=seen)
    writes = len(store.writes(cid))
    with pytest.raises(ConflictError) as conflict:
        store.put(cid, attrs.evolve(seen, name="乙改的名字"), author="乙", expect=seen)
    assert conflict.value.issue == seen.id
    assert "已被另一次写入改动" in conflict.value.phrase.text("zh")
    assert "changed in the store" in conflict.value.phrase.text("en")
    assert len(store.writes(cid)) == writes
    assert store.ledger(cid).enterprise_index[seen.id].name == "甲改的名字"
    # reading again and correcting what is there now goes through
    now = store.ledger(cid).enterprise_index[seen.id]
    store.put(cid, attrs.evolve(now, name="乙改的名字"), author="乙", expect=now)
    assert store.ledger(cid).enterprise_index[seen.id].name == "乙改的名字"
    # a new record two writers both add: the second, expecting none, is refused
    issue = attrs.evolve(huainan.ledger.issues[0], id="Q9101", events=())
    store.put(cid, issue, author="甲", expect=None)
    with pytest.raises(ConflictError) as taken:
        store.put(cid, attrs.evolve(issue, description="另一个"), author="乙", expect=None)
    assert "Q9101" in taken.value.phrase.text("zh")
    assert store.ledger(cid).issue_index["Q9101"] == issue


def test_put_refuses_what_the_file_would_refuse(store: Store, huainan: ck.Workspace) -> None:
    cid = _campaign(huainan)
    ledger = huainan.ledger
    n = len(ledger.issues)
    wrong = attrs.evolve(ledger.issues[0], id="Q9002", events=(), enterprise="E9999")
    with pytest.raises(LedgerError) as refused:
        store.put(cid, wrong, author="T1")
    assert [p.path for p in refused.value.problems] == [f"issues[{n}].enterprise"]
    assert "E9999" in str(refused.value)
    # a correction may not rewrite the history
    changed = attrs.evolve(ledger.issues[0], events=ledger.issues[0].events[:-1])
    with pytest.raises(LedgerError, match="history"):
        store.put(cid, changed, author="T1")
    assert len(store.writes(cid)) == 1


def _with_check(
    name: str, label: Label, check: Callable[[Write], Iterable[Problem]]
) -> PluginManager:
    """A plugin manager with the built-in plugins and one write check, ``name``."""

    class Plugin:
        @hookimpl
        def campaignkit_write_checks(self) -> Iterator[WriteCheck]:
            yield WriteCheck(name=name, label=label, check=check)

    pm = ck.new_plugin_manager()
    pm.register(Plugin(), name=f"{name}-plugin")
    return pm


def test_a_write_check_refuses_in_the_writers_language(
    sqlite_url: str, huainan: ck.Workspace
) -> None:
    register(
        "test-other-team",
        en="{author} cannot record into {team}'s issue",
        zh="{author} 不能记录 {team} 的问题",
        owner="tests",
    )
    seen: list[Write] = []

    def own_issues(write: Write) -> Iterator[Problem]:
        seen.append(write)
        issue = write.record
        appended = write.action is WriteAction.APPEND and isinstance(issue, ck.Issue)
        if appended and isinstance(issue, ck.Issue) and issue.team != write.author:
            yield Problem.of(
                "test-other-team", f"issues.{issue.id}", author=write.author, team=issue.team
            )

    pm = _with_check("own-issues", Label("只记本组问题", "own issues"), own_issues)
    _, issue = _open_issue(huainan)
    assert issue.team is not None
    day = issue.events[-1].date
    with Store.open(sqlite_url, manager=pm) as s:
        s.import_ledger(huainan.ledger, author="省专班")
        cid = _campaign(huainan)
        with pytest.raises(LedgerError) as refused:
            s.append_events(cid, issue.id, [ck.IssueEvent("feedback", day)], author="T-other")
        problem = refused.value.problems[0]
        assert problem.path == f"issues.{issue.id}"
        assert problem.phrase.text("zh") == f"T-other 不能记录 {issue.team} 的问题"
        assert problem.phrase.text("en") == f"T-other cannot record into {issue.team}'s issue"
        s.append_events(cid, issue.id, [ck.IssueEvent("feedback", day)], author=issue.team)
        assert [w.action for w in seen] == [
            WriteAction.IMPORT,
            WriteAction.APPEND,
            WriteAction.APPEND,
        ]
        assert len(s.writes(cid)) == 2


def test_a_failing_write_check_refuses_naming_itself_and_its_plugin(
    sqlite_url: str, huainan: ck.Workspace
) -> None:
    """A write check that raises refuses the write (a check that could not run passes
    nothing), said with the check's and its plugin's names in the writer's language."""

    def broken(write: Write) -> Iterator[Problem]:
        raise RuntimeError("directory service down")

    pm = _with_check("team-directory", Label("小组名录", "team directory"), broken)
    with Store.open(sqlite_url, manager=pm) as s:
        with pytest.raises(LedgerError) as refused:
            s.import_ledger(huainan.ledger, author="省专班")
        (problem,) = refused.value.problems
        assert problem.phrase.text("zh") == (
            "插件 'team-directory-plugin' 的写入检查 'team-directory' 出错："
            "RuntimeError: directory service down"
        )
        assert problem.phrase.text("en") == (
            "write check 'team-directory' of plugin 'team-directory-plugin' failed:"
            " RuntimeError: directory service down"
        )
        assert s.campaigns() == ()


@pytest.mark.parametrize("page", ["hooks.md", "hooks.en.md"])
def test_the_write_check_example_of_the_hook_reference_runs_as_written(
    sqlite_url: str, huainan: ck.Workspace, page: str
) -> None:
    """The reference's example, copied from the page: an import, a header correction,
    a correction and a rederive pass it; an append into another team's issue does not.
    (Its message code stays registered: registering the same words again does nothing.)"""
    import re
    import types

    from campaignkit import plugins

    text = (Path(__file__).parents[2] / "docs" / page).read_text("utf-8")
    [code] = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "def own_issues" in b]
    module = types.ModuleType(f"write_check_example_{page.replace('.', '_')}")
    module.__dict__.update(
        {n: getattr(plugins, n) for n in ("hookimpl", "Label", "Problem", "WriteCheck")},
        register=register,
    )
    exec(compile(code, page, "exec"), module.__dict__)
    pm = ck.new_plugin_manager()
    pm.register(module)
    _, issue = _open_issue(huainan)
    day = issue.events[-1].date
    with Store.open(sqlite_url, manager=pm) as s:
        s.import_ledger(huainan.ledger, author="省专班")
        cid = _campaign(huainan)
        base = s.ledger(cid)
        renamed = base.replace(campaign=attrs.evolve(base.campaign, name="改过的名称"))
        s.merge(renamed, author="省专班", base=base)
        s.put(cid, attrs.evolve(base.enterprises[0], name="改名"), author="省专班")
        s.rederive(cid, author="省专班")
        with pytest.raises(LedgerError, match="cannot record into"):
            s.append_events(cid, issue.id, [ck.IssueEvent("feedback", day)], author="别组")
        s.append_events(cid, issue.id, [ck.IssueEvent("feedback", day)], author=issue.team or "")


def test_a_failing_write_check_refuses_naming_itself(
    sqlite_url: str, huainan: ck.Workspace
) -> None:
    def broken(write: Write) -> list[Problem]:
        raise RuntimeError("oops")

    pm = _with_check("broken", Label("坏", "broken"), broken)
    with Store.open(sqlite_url, manager=pm) as s:
        with pytest.raises(LedgerError, match=r"'broken'.*RuntimeError: oops"):
            s.import_ledger(huainan.ledger, author="x")
        assert s.campaigns() == ()


def test_as_of_before_a_change_reads_the_history_up_to_that_date(
    store: Store, huainan: ck.Workspace
) -> None:
    cid = _campaign(huainan)
    n, issue = _open_issue(huainan)
    day = issue.events[-1].date + dt.timedelta(days=30)
    store.append_events(cid, issue.id, [ck.IssueEvent("resolved", day, by="T1")], author="T1")
    ws = store.workspace(cid)
    before = day - dt.timedelta(days=1)
    assert ws.shapes(before)[n] == huainan.shapes(before)[n]
    assert ws.shapes(before)[n].state == "assigned"
    assert ws.shapes()[n].state == "resolved"


def test_overdue_is_a_query_on_the_derived_columns(store: Store, huainan: ck.Workspace) -> None:
    cid = _campaign(huainan)
    day = dt.date(2020, 5, 12)
    expected = tuple(
        issue.id
        for issue, shape in zip(huainan.ledger.issues, huainan.shapes(), strict=True)
        if min((m.due for m in shape.running if m.paused_since is None), default=day) < day
    )
    assert expected
    assert store.overdue(cid, day) == expected


def test_stale_views_are_noticed_and_derived_again(sqlite_url: str, huainan: ck.Workspace) -> None:
    with ck.open(sqlite_url) as s:
        s.import_ledger(huainan, author="省专班")
        cid = _campaign(huainan)
    # another calendar: every Saturday of the campaign's years a working day
    from campaignkit.plugins import WorkdayCalendar

    def saturdays(day: dt.date) -> bool | None:
        return True if day.weekday() == 5 else None

    class Plugin:
        @hookimpl(tryfirst=True)
        def campaignkit_calendars(self) -> Iterator[WorkdayCalendar]:
            yield WorkdayCalendar(
                name="saturdays",
                label=Label("周六上班", "saturdays"),
                is_workday=saturdays,
                priority=100,
            )

    pm = ck.new_plugin_manager()
    pm.register(Plugin(), name="saturdays-plugin")
    with Store.open(sqlite_url, manager=pm) as s:
        assert s.stale(cid)
        ws = s.workspace(cid)  # derived afresh, not read from the stale columns
        fresh = ck.Workspace.open(huainan.ledger, manager=pm)
        assert list(ws.shapes()) == list(fresh.shapes())
        assert list(ws.shapes()) != list(huainan.shapes())
        changed = s.rederive(cid, author="省专班")
        assert changed > 0
        assert not s.stale(cid)
        assert s.writes(cid)[-1].action == "rederive"
        assert s.rederive(cid, author="省专班") == 0
    with ck.open(sqlite_url) as s:
        assert s.stale(cid)  # under the built-in calendar again


def test_a_store_of_the_first_schema_opens_and_upgrades(tmp_path: Path) -> None:
    target = tmp_path / "old.db"
    shutil.copy(DATA / "schema-0001.db", target)
    with ck.open(f"sqlite:///{target}") as s:
        (cid,) = s.campaigns()
        assert s.export(cid) == HUAINAN.read_bytes() or s.export(cid) == ck.dumps(ck.load(HUAINAN))
        from campaignkit.store.engine import revision
        from campaignkit.store.tables import SCHEMA_VERSION

        assert revision(s.engine) == SCHEMA_VERSION


def test_not_a_store_and_a_newer_store_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store.open(f"sqlite:///{tmp_path / 'none.db'}", create=False)
    assert not (tmp_path / "none.db").exists()  # a mistyped name creates nothing
    sqlite3.connect(tmp_path / "empty.db").close()
    with pytest.raises(StoreError, match="not a campaignkit store"):
        Store.open(f"sqlite:///{tmp_path / 'empty.db'}", create=False)
    # another program's database, only read: left exactly as it was (no WAL mode set)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as made:
        made.execute("CREATE TABLE notes (x)")
    made.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a campaignkit store"):
        Store.open(f"sqlite:///{other}", create=False)
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == ["other.db"]
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with ck.open(url) as s, s.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer"):
        ck.open(url)
    # a revision that sorts before this version's, but that no version of campaignkit wrote
    with sqlite3.connect(tmp_path / "new.db") as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0000'")
    raw.close()
    with pytest.raises(StoreError, match=r"cannot open the store: .*'0000'"):
        ck.open(url)


def test_merge_writes_what_a_changed_ledger_changes_in_one_transaction(
    store: Store, huainan: ck.Workspace
) -> None:
    cid = _campaign(huainan)
    ledger = huainan.ledger
    n, issue = _open_issue(huainan)
    event = ck.IssueEvent("feedback", issue.events[-1].date, note="电话回复")
    added = attrs.evolve(ledger.issues[0], id="Q9100", events=())
    # a ledger that leaves out stored records is refused whole
    with pytest.raises(LedgerError) as refused:
        store.merge(ledger.replace(outcomes=ledger.outcomes[2:]), author="T1")
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("store-record-left-out", "outcomes[0]"),
        ("store-record-left-out", "outcomes[1]"),
    ]
    assert len(store.writes(cid)) == 1
    edited = ledger.replace(
        enterprises=(
            *ledger.enterprises[:2],
            attrs.evolve(ledger.enterprises[2], industry="制造业"),
            *ledger.enterprises[3:],
        ),
        issues=(*ledger.issues, added),
    ).with_events({issue.id: [event]})
    writes = store.merge(edited, author="T1")
    assert len(writes) == 3
    assert store.export(cid) == ck.dumps(edited)
    assert store.merge(edited, author="T1") == ()  # nothing changed: nothing written
    rewritten = edited.replace(
        issues=tuple(
            attrs.evolve(i, events=i.events[:-1]) if i.id == issue.id else i for i in edited.issues
        )
    )
    with pytest.raises(LedgerError, match=rf"issues\[{n}\]\.events"):
        store.merge(rewritten, author="T1")


def test_writes_in_later_years_keep_the_views_current(store: Store, huainan: ck.Workspace) -> None:
    cid = _campaign(huainan)
    _, issue = _open_issue(huainan)
    later = dt.date(2024, 3, 1)  # years after the campaign: its calendar was summed up already
    store.append_events(cid, issue.id, [ck.IssueEvent("feedback", later)], author="T1")
    assert not store.stale(cid)
    assert list(store.workspace(cid).shapes()) == list(
        ck.Workspace.open(store.ledger(cid)).shapes()
    )


def test_a_hanging_write_check_holds_up_no_other_writer(
    sqlite_url: str, huainan: ck.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    release = threading.Event()

    def slow(write: Write) -> Iterator[Problem]:
        if write.action is WriteAction.APPEND and write.author == "slow":
            release.wait(10)
        return iter(())

    pm = _with_check("slow", Label("慢", "slow"), slow)
    with Store.open(sqlite_url, manager=pm) as s:
        s.import_ledger(huainan.ledger, author="省专班")
        cid = _campaign(huainan)
        open_ids = [
            i.id
            for i, sh in zip(huainan.ledger.issues, huainan.shapes(), strict=True)
            if sh.state == "assigned"
        ]
        day = dt.date(2020, 12, 31)
        slow_writer = threading.Thread(
            target=s.append_events,
            args=(cid, open_ids[0], [ck.IssueEvent("feedback", day)]),
            kwargs={"author": "slow"},
        )
        slow_writer.start()
        time.sleep(0.2)  # the slow writer is in its check
        started = time.perf_counter()
        s.append_events(cid, open_ids[1], [ck.IssueEvent("feedback", day)], author="quick")
        assert time.perf_counter() - started < 2  # not held up by the slow check
        release.set()
        slow_writer.join(10)
        assert [w.author for w in s.writes(cid)][1:] == ["quick", "slow"]


def test_paused_issues_are_not_listed_as_overdue(store: Store, huainan: ck.Workspace) -> None:
    cid = _campaign(huainan)
    _, issue = _open_issue(huainan)
    assert issue.id in store.overdue(cid, dt.date(2020, 12, 31))
    store.append_events(
        cid, issue.id, [ck.IssueEvent("paused", issue.events[-1].date)], author="T1"
    )
    assert issue.id not in store.overdue(cid, dt.date(2020, 12, 31))


@pytest.mark.parametrize("plugin", ["henan-wanren-plugin", "shandong-2115-plugin"])
def test_views_of_plugin_types_stay_current_in_a_new_process(sqlite_url: str, plugin: str) -> None:
    """Their lifecycles hold functions, whose reprs name memory addresses: the fingerprint
    leaves those out, so another process finds the views current."""
    import subprocess
    import sys

    pytest.importorskip("campaignkit_henan" if "henan" in plugin else "campaignkit_shandong")
    path = Path(__file__).parents[2] / "examples" / plugin / "example-ledger.json"
    with ck.open(sqlite_url) as s:
        s.import_ledger(ck.load_workspace(path), author="x")
        (cid,) = s.campaigns()
        assert not s.stale(cid)
    code = f"import campaignkit as ck; s = ck.open({sqlite_url!r}); print(s.stale({cid!r}))"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found == "False\n"


def test_merge_from_a_base_keeps_what_others_wrote_meanwhile(
    store: Store, huainan: ck.Workspace
) -> None:
    cid = _campaign(huainan)
    base = store.ledger(cid)
    first, second = base.enterprises[0], base.enterprises[1]
    # another writer renames the first enterprise after this writer read the campaign
    store.put(cid, attrs.evolve(first, name="另一个写入者改的名字"), author="T2")
    # this writer changed only the second one: the first keeps the other writer's name
    mine = base.replace(
        enterprises=(first, attrs.evolve(second, industry="制造业"), *base.enterprises[2:])
    )
    assert len(store.merge(mine, author="T1", base=base)) == 1
    got = store.ledger(cid)
    assert got.enterprises[0].name == "另一个写入者改的名字"
    assert got.enterprises[1].industry == "制造业"
    # changing the same record as the other writer is a conflict, located, nothing written
    clash = base.replace(enterprises=(attrs.evolve(first, name="我改的"), *base.enterprises[1:]))
    with pytest.raises(LedgerError) as refused:
        store.merge(clash, author="T1", base=base)
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("store-changed-since", "enterprises[0]")
    ]
    assert len(store.writes(cid)) == 3


def test_merge_from_a_base_refuses_a_record_another_writer_added_meanwhile(
    store: Store, huainan: ck.Workspace
) -> None:
    """Two writers read the same campaign and each add a record of the same id: the
    second is refused (``store-taken``), not written over the first as a correction;
    adding the very same record twice is no conflict."""
    cid = _campaign(huainan)
    base = store.ledger(cid)
    template = base.enterprises[0]
    theirs = attrs.evolve(template, id="E9999", name="甲科室新增的企业", uscc=uscc(99_999))
    mine = attrs.evolve(theirs, name="乙科室新增的企业")
    store.merge(base.replace(enterprises=(*base.enterprises, theirs)), author="甲", base=base)
    writes = len(store.writes(cid))
    n = len(base.enterprises)
    with pytest.raises(LedgerError) as refused:
        store.merge(base.replace(enterprises=(*base.enterprises, mine)), author="乙", base=base)
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("store-taken", f"enterprises[{n}]")
    ]
    assert store.ledger(cid).enterprise_index["E9999"].name == "甲科室新增的企业"
    assert len(store.writes(cid)) == writes
    # the same addition made by both: nothing to write, nothing refused
    assert (
        store.merge(base.replace(enterprises=(*base.enterprises, theirs)), author="乙", base=base)
        == ()
    )


def test_merge_from_a_base_keeps_a_header_another_writer_corrected(
    store: Store, huainan: ck.Workspace
) -> None:
    """A header this writer left as read stays as another writer corrected it; both
    changing it is a conflict."""
    cid = _campaign(huainan)
    base = store.ledger(cid)
    renamed = base.replace(campaign=attrs.evolve(base.campaign, name="甲科室改的名称"))
    store.merge(renamed, author="甲", base=base)
    extra = attrs.evolve(base.enterprises[0], id="E9998", name="新企业", uscc=uscc(99_998))
    store.merge(base.replace(enterprises=(*base.enterprises, extra)), author="乙", base=base)
    got = store.ledger(cid)
    assert got.campaign.name == "甲科室改的名称"
    assert "E9998" in got.enterprise_index
    clash = base.replace(campaign=attrs.evolve(base.campaign, name="乙科室改的名称"))
    with pytest.raises(LedgerError) as refused:
        store.merge(clash, author="乙", base=base)
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("store-changed-since", "campaign")
    ]
    assert store.ledger(cid).campaign.name == "甲科室改的名称"


@pytest.mark.parametrize("author", ["", "   ", "x\x00y", "名" * 1001])
def test_an_author_the_history_cannot_name_is_refused(
    store: Store, huainan: ck.Workspace, author: str
) -> None:
    cid = _campaign(huainan)
    _, issue = _open_issue(huainan)
    with pytest.raises(StoreError, match="write history"):
        store.append_events(
            cid, issue.id, [ck.IssueEvent("feedback", issue.events[-1].date)], author=author
        )
    assert len(store.writes(cid)) == 1


def test_the_migrations_create_the_tables_the_code_describes(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from campaignkit.store.tables import metadata

    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_workspace_under_another_calendar_is_derived_again_on_import(
    sqlite_url: str, huainan: ck.Workspace
) -> None:
    from campaignkit.derive.calendar import WorkCalendar

    other = ck.Workspace(
        huainan.ledger,
        campaign_type=huainan.campaign_type,
        calendar=WorkCalendar(()),
        manager=ck.get_plugin_manager(),
    )
    assert list(other.shapes()) != list(huainan.shapes())
    with ck.open(sqlite_url) as s:
        s.import_ledger(other, author="x")
        cid = _campaign(huainan)
        assert not s.stale(cid)
        assert list(s.workspace(cid).shapes()) == list(huainan.shapes())
        assert s.rederive(cid, author="x") == 0


def test_the_summary_of_a_store_walks_no_history_it_keeps(
    store: Store, huainan: ck.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shapes and the state facts of every whole history are read from the store's
    columns: a summary as of a date after every event walks none; as of an earlier date,
    only the issues with events after it."""

    from campaignkit.derive.views import Deriver
    from campaignkit.stats.summary import summary_table

    cid = _campaign(huainan)
    _, issue = _open_issue(huainan)
    store.append_events(
        cid, issue.id, [ck.IssueEvent("feedback", dt.date(2020, 6, 1))], author="T1"
    )
    ws = store.workspace(cid)
    walked: list[str] = []
    for name in ("shape", "view"):
        original = getattr(Deriver, name)

        def counting(self: Deriver, issue: ck.Issue, *a: Any, _f: Any = original, **k: Any) -> Any:
            walked.append(issue.id)
            return _f(self, issue, *a, **k)

        monkeypatch.setattr(Deriver, name, counting)
    late = dt.date(2020, 12, 31)
    ctx = make_context(ws.ledger, workspace=ws, as_of=late)
    figures = ck.compute_all(ctx)
    summary_table(ctx, by="team")
    assert walked == []
    ck.compute_all(make_context(ws.ledger, workspace=ws, as_of=dt.date(2020, 5, 31)))
    assert set(walked) == {issue.id}
    monkeypatch.undo()
    fresh = ck.Workspace.open(store.ledger(cid))
    theirs = ck.compute_all(make_context(fresh.ledger, workspace=fresh, as_of=late))
    assert {k: r.value for k, r in figures.items()} == {k: r.value for k, r in theirs.items()}


HENAN = Path(__file__).parents[2] / "examples" / "henan-wanren-plugin" / "example-ledger.json"


def test_an_append_is_refused_by_the_campaign_types_validators(sqlite_url: str) -> None:
    """An append that leaves the issue as validation refuses it (the Henan type: a major
    issue's assignment records its limit) is refused as a write of the record would be."""
    pytest.importorskip("campaignkit_henan")
    ws = ck.load_workspace(HENAN)
    cid = _campaign(ws)
    some = ws.ledger.issues[0]
    major = attrs.evolve(some, id="H99", events=(), extra={"severity": "major"})
    with ck.open(sqlite_url) as s:
        s.import_ledger(ws, author="x")
        s.put(cid, major, author="x")
        seq = len(ws.ledger.issues)  # where the new issue stands in the campaign
        day = some.events[0].date
        bare = ck.IssueEvent("assigned", day, level="county", department="某局")
        with pytest.raises(LedgerError) as refused:
            s.append_events(cid, "H99", [bare], author="x")
        assert [(p.code, p.path) for p in refused.value.problems] == [
            ("henan.major-limit-missing", f"issues[{seq}].events[0]")
        ]
        with pytest.raises(LedgerError):
            s.append_many(cid, {"H99": [bare]}, author="x")
        assert len(s.writes(cid)) == 2  # the import and the put alone
        assert not ck.validate(s.ledger(cid))
        # with its limit the assignment is written, and the campaign still validates
        s.append_events(cid, "H99", [attrs.evolve(bare, due=dt.date(2021, 10, 31))], author="x")
        assert len(s.ledger(cid).issue_index["H99"].events) == 1
        assert not ck.validate(s.ledger(cid))


def test_a_corrected_activity_is_checked_with_the_issues_raised_in_it(
    store: Store, huainan: ck.Workspace
) -> None:
    cid = _campaign(huainan)
    ledger = huainan.ledger
    n, issue = next((n, i) for n, i in enumerate(ledger.issues) if i.activity is not None)
    assert issue.activity is not None
    activity = ledger.activity_index[issue.activity]
    other = next(
        team.id for group in ledger.work_groups for team in group.teams if team.id != issue.team
    )
    with pytest.raises(LedgerError) as refused:
        store.put(cid, attrs.evolve(activity, team=other), author="T1")
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("team-differs", f"issues[{n}].team")
    ]
    assert len(store.writes(cid)) == 1
    assert not ck.validate(store.ledger(cid))
    # a correction the issues raised in it agree with is written
    store.put(cid, attrs.evolve(activity, notes="补记"), author="T1")
    assert store.ledger(cid).activity_index[activity.id].notes == "补记"


def test_a_corrected_enterprise_is_checked_with_the_records_naming_it(
    sqlite_url: str, huainan: ck.Workspace
) -> None:
    """A validator that reads an issue's enterprise refuses the enterprise's correction,
    located at the issue."""
    register("test-closed-enterprise", en="closed: {key}", zh="已注销：{key}", owner="tests")

    def open_enterprises(ledger: ck.Ledger, _: CampaignType) -> Iterator[Problem]:
        for i, issue in enumerate(ledger.issues):
            found = ledger.enterprise_index.get(issue.enterprise or "")
            if found is not None and found.industry == "已注销":
                yield Problem.of("test-closed-enterprise", f"issues[{i}].enterprise", key=found.id)

    class Plugin:
        @hookimpl
        def campaignkit_validators(self) -> Iterator[Validator]:
            yield Validator("open-enterprises", Label("企业未注销", "open"), open_enterprises)

    pm = ck.new_plugin_manager()
    pm.register(Plugin(), name="open-enterprises-plugin")
    cid = _campaign(huainan)
    ledger = huainan.ledger
    enterprise = next(i.enterprise for i in ledger.issues if i.enterprise is not None)
    named = [n for n, i in enumerate(ledger.issues) if i.enterprise == enterprise]
    with Store.open(sqlite_url, manager=pm) as s:
        s.import_ledger(ledger, author="省专班")
        closed = attrs.evolve(ledger.enterprise_index[enterprise], industry="已注销")
        with pytest.raises(LedgerError) as refused:
            s.put(cid, closed, author="T1")
        assert [(p.code, p.path) for p in refused.value.problems] == [
            ("test-closed-enterprise", f"issues[{n}].enterprise") for n in named
        ]
        assert len(s.writes(cid)) == 1


def test_merge_from_a_base_takes_a_correction_another_writer_made_alike(
    store: Store, huainan: ck.Workspace
) -> None:
    """Another writer made the very correction this writer makes: no conflict, and
    nothing written twice; an issue corrected alike still has this writer's new events
    appended."""
    cid = _campaign(huainan)
    base = store.ledger(cid)
    n, issue = _open_issue(huainan)
    renamed = attrs.evolve(base.enterprises[0], name="两个科室都改的名称")
    described = attrs.evolve(base.issues[n], description="两个科室都改的描述")
    store.put(cid, renamed, author="甲")
    store.put(cid, described, author="甲")
    writes = len(store.writes(cid))
    event = ck.IssueEvent("feedback", issue.events[-1].date)
    mine = base.replace(
        enterprises=(renamed, *base.enterprises[1:]),
        issues=(
            *base.issues[:n],
            attrs.evolve(described, events=(*described.events, event)),
            *base.issues[n + 1 :],
        ),
    )
    done = store.merge(mine, author="乙", base=base)
    assert [w.action for w in store.writes(cid)[writes:]] == ["append"] == ["append"] * len(done)
    got = store.ledger(cid)
    assert got.enterprises[0] == renamed
    assert got.issues[n] == attrs.evolve(described, events=(*described.events, event))
    # the same again, events and all: nothing to write
    assert store.merge(mine, author="乙", base=base) == ()


def test_a_writer_deriving_otherwise_is_refused_until_the_views_are_derived_again(
    sqlite_url: str, huainan: ck.Workspace
) -> None:
    """A process without the built-in calendar would write columns derived under the
    fallback calendar beside the store's: every write of it is refused, nothing written;
    once the views are derived again under its rules, it writes."""
    cid = _campaign(huainan)
    _, issue = _open_issue(huainan)
    event = ck.IssueEvent("feedback", issue.events[-1].date)
    with ck.open(sqlite_url) as s:
        s.import_ledger(huainan, author="省专班")
        base = s.ledger(cid)
    pm = ck.new_plugin_manager(blocked=["campaignkit.plugins.calendars"])
    renamed = attrs.evolve(base.enterprises[0], name="改过的名称")
    with Store.open(sqlite_url, manager=pm) as s:
        assert s.stale(cid)
        writes: list[Callable[[], object]] = [
            lambda: s.append_events(cid, issue.id, [event], author="T1"),
            lambda: s.append_many(cid, {issue.id: [event]}, author="T1"),
            lambda: s.put(cid, renamed, author="T1"),
            lambda: s.merge(
                base.replace(enterprises=(renamed, *base.enterprises[1:])), author="T1"
            ),
        ]
        for write in writes:
            with pytest.raises(StoreError) as refused:
                write()
            assert refused.value.phrase.code == "store-derived-otherwise"
            assert "campaignkit store rederive" in refused.value.phrase.text("zh")
        assert len(s.writes(cid)) == 1
        s.rederive(cid, author="省专班")
        s.append_events(cid, issue.id, [event], author="T1")
        assert not s.stale(cid)
        ws = s.workspace(cid)
        assert list(ws.shapes()) == list(ck.Workspace.open(s.ledger(cid), manager=pm).shapes())
    # the built-in calendar's process is refused now
    with ck.open(sqlite_url) as s, pytest.raises(StoreError, match="rederive"):
        s.put(cid, renamed, author="T1")


def test_the_command_line_refuses_a_write_under_other_calendars(
    sqlite_url: str, huainan: ck.Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    from campaignkit.cli.app import main

    cid = _campaign(huainan)
    _, issue = _open_issue(huainan)
    with ck.open(sqlite_url) as s:
        s.import_ledger(huainan, author="省专班")
    day = issue.events[-1].date.isoformat()
    code = main(["--block", "campaignkit.plugins.calendars", "store", "append", sqlite_url,
                 issue.id, "feedback", "--date", day, "--author", "T1"])  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith(f"error: 活动 '{cid}'：库中的派生视图是按与本进程不同的规则或日历数据")
    with ck.open(sqlite_url) as s:
        assert len(s.writes(cid)) == 1
        assert not s.stale(cid)


def test_a_header_corrected_by_a_merge_keeps_the_views_current(
    store: Store, huainan: ck.Workspace
) -> None:
    cid = _campaign(huainan)
    base = store.ledger(cid)
    period = base.campaign.period
    for end in (period.end + dt.timedelta(days=400), period.end):  # into another year, back
        now = store.ledger(cid)
        moved = attrs.evolve(now.campaign, period=attrs.evolve(period, end=end))
        store.merge(now.replace(campaign=moved), author="省专班", base=now)
        assert store.ledger(cid).campaign.period.end == end
        assert not store.stale(cid)
        ws = store.workspace(cid)
        fresh = ck.Workspace.open(store.ledger(cid))
        assert list(ws.shapes()) == list(fresh.shapes())
    assert [w.action for w in store.writes(cid)] == ["import", "correct", "correct"]
