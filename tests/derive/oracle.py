"""A slow reference for states and deadline clocks: each history replayed from scratch,
event by event and clock by clock, with no step remembered (the oracle :mod:`campaignkit.derive.views` is compared
with). Test code only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, TypeVar

from campaignkit.derive.calendar import DateResult, WorkCalendar, WorkdayCount
from campaignkit.derive.clocks import ClockStatus
from campaignkit.model.records import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import IssueState, Lifecycle, StateKind
from campaignkit.rules.policy import DeadlineStage, IssuePolicy

Source = Literal["due", "deadline", "policy"]
_R = TypeVar("_R", DateResult, WorkdayCount)
Snapshot = tuple[dt.date, "dt.datetime | None", DeadlineUnit, "dt.date | None", "int | None"]


def target(policy: IssuePolicy, event: IssueEvent, candidates: Iterable[str]) -> str | None:
    """The stage an event's own ``due``/``deadline`` concerns among ``candidates``."""
    if event.stage is not None:
        return event.stage
    keys = set(candidates)
    last = [s.key for s in policy.stages if s.key in keys]
    return last[-1] if last else None


class Builder:
    """A clock while the history is replayed."""

    def __init__(
        self,
        issue: Issue | None,
        stage: DeadlineStage,
        index: int,
        event: IssueEvent,
        level: str | None,
        department: str | None,
        explicit: bool,
        calendar: WorkCalendar,
        track: bool = True,
    ) -> None:
        self.track = track
        """False when only the status is wanted: the calendars used are not recorded."""
        self.issue = issue
        """None when only the due date and status are wanted (no :class:`Clock` is built)."""
        self.stage = stage
        self.index = index
        self.event = event
        self.level = level
        self.department = department
        self.calendar = calendar
        self.calendars: list[str] = []
        self.fallback: set[dt.date] = set()
        self.extensions = 0
        self.paused_since: dt.date | None = None
        self.remaining: int | None = None
        self.due_at: dt.datetime | None = None
        start: dt.date | dt.datetime = (
            dt.datetime.combine(event.date, event.time) if event.time else event.date
        )
        self.limit: Deadline | None
        self.source: Source
        if explicit and event.due is not None:
            self.source, self.limit, self.due = "due", None, event.due
            self.unit = DeadlineUnit.WORKING_DAYS
            return
        if explicit and event.deadline is not None:
            self.source, self.limit = "deadline", event.deadline
        else:
            self.source, self.limit = "policy", stage.limit_for(level)
        self.unit = self.limit.unit
        result = self.note(calendar.add_deadline(start, self.limit))
        self.due, self.due_at = result.date, result.at

    def snapshot(self) -> Snapshot:
        """What the clock's due date and status still depend on (see :meth:`restore`)."""
        return (self.due, self.due_at, self.unit, self.paused_since, self.remaining)

    @classmethod
    def restore(cls, stage: DeadlineStage, calendar: WorkCalendar, snapshot: Snapshot) -> Builder:
        """A clock of ``stage`` as :meth:`snapshot` saw it, that can be extended, paused,
        resumed and judged (not built: it knows no issue or start event)."""
        b = cls.__new__(cls)
        b.track, b.issue, b.stage, b.calendar = False, None, stage, calendar
        b.calendars, b.fallback, b.extensions = [], set(), 0
        b.due, b.due_at, b.unit, b.paused_since, b.remaining = snapshot
        return b

    def note(self, result: _R) -> _R:
        if not self.track:
            return result
        for name in result.calendars:
            if name not in self.calendars:
                self.calendars.append(name)
        self.fallback.update(result.fallback_days)
        return result

    def extend(self, event: IssueEvent) -> None:
        self.extensions += 1
        if event.due is not None:
            self.due, self.due_at = event.due, None
        elif event.deadline is not None:
            base: dt.date | dt.datetime = self.due_at or self.due
            result = self.note(self.calendar.add_deadline(base, event.deadline))
            self.due, self.due_at = result.date, result.at
        if self.paused_since is not None:  # stopped: what the extension leaves from the pause
            since = self.paused_since
            self.remaining = self._span(since, self.due) if since <= self.due else None

    def _span(self, start: dt.date, end: dt.date) -> int:
        result = self.note(self.calendar.span(start, end, self.unit))
        return result.days

    def _late_days(self, end: dt.date) -> int:
        """Days late from the due date to ``end``; for a working-day clock counted to the
        first working day from ``end`` on (a day off counts as the working day after it)."""
        late = self._span(self.due, end)
        if self.unit is not DeadlineUnit.WORKING_DAYS:
            return late
        day = end
        while not self.calendar.is_workday(day):
            day += dt.timedelta(days=1)
        return self.calendar.span(self.due, day, self.unit).days

    def pause(self, day: dt.date) -> None:
        if self.unit is DeadlineUnit.HOURS or self.paused_since is not None:
            return
        self.paused_since = day
        self.remaining = self._span(day, self.due) if day <= self.due else None

    def resume(self, day: dt.date) -> None:
        if self.paused_since is None:
            return
        stopped = self._span(self.paused_since, day)
        if self.remaining is not None and stopped:
            result = self.note(self.calendar.shift(day, self.remaining, self.unit))
            self.due, self.due_at = result.date, None
        self.paused_since = None
        self.remaining = None

    def status(
        self, as_of: dt.date, stop: tuple[int, IssueEvent] | None, replaced: bool
    ) -> ClockStatus:
        """The clock's status, except that a running clock due soon is still PENDING."""
        paused_in_time = self.paused_since is not None and self.remaining is not None
        if stop is not None:
            hours = self.unit is DeadlineUnit.HOURS and self.due_at is not None
            if hours and stop[1].time is not None and not paused_in_time:
                assert self.due_at is not None
                end = dt.datetime.combine(stop[1].date, stop[1].time)
                return (
                    ClockStatus.MISSED
                    if end > self.due_at
                    else (ClockStatus.SUPERSEDED if replaced else ClockStatus.MET)
                )
            if stop[1].date > self.due and not paused_in_time:
                return ClockStatus.MISSED
            return ClockStatus.SUPERSEDED if replaced else ClockStatus.MET
        if not paused_in_time and as_of > self.due:
            return ClockStatus.OVERDUE
        return ClockStatus.PENDING

    def judge(
        self,
        policy: IssuePolicy,
        as_of: dt.date,
        stop: tuple[int, IssueEvent] | None = None,
        replaced: bool = False,
    ) -> tuple[ClockStatus, int, DateResult]:
        """The clock's full status, its days late and its warning date (its stage's own
        ``warn_before`` ahead of the due date, else the policy's)."""
        ahead = dict(policy.stage_warn_before).get(self.stage.key, policy.warn_before)
        warn = self.note(self.calendar.add_deadline(self.due_at or self.due, ahead, backwards=True))
        status = self.status(as_of, stop, replaced)
        late = 0
        hours = self.unit is DeadlineUnit.HOURS and self.due_at is not None
        if status is ClockStatus.MISSED:
            assert stop is not None
            if hours:
                assert self.due_at is not None
                end = dt.datetime.combine(stop[1].date, stop[1].time or dt.time())
                late = (end - self.due_at) // dt.timedelta(hours=1)
            else:
                late = self._late_days(stop[1].date)
        elif status is ClockStatus.OVERDUE:
            if hours:
                assert self.due_at is not None
                late = (dt.datetime.combine(as_of, dt.time()) - self.due_at) // dt.timedelta(
                    hours=1
                )
            else:
                late = self._late_days(as_of)
        elif (
            status is ClockStatus.PENDING
            and stop is None
            and (self.paused_since is None or self.remaining is None)
            and as_of >= warn.date
        ):
            status = ClockStatus.DUE_SOON
        return status, late, warn


Ended = tuple[Builder, "tuple[int, IssueEvent] | None", bool]


def replay_clocks(
    issue: Issue,
    policy: IssuePolicy,
    as_of: dt.date,
    cal: WorkCalendar,
    track: bool,
    events: tuple[IssueEvent, ...] | None = None,
) -> Iterator[Ended]:
    """Replay the history (``events`` instead of the issue's, if given): each clock as
    it ends (stop event, replaced, or still running).

    Yields ``(builder, stop, replaced)``; the builder is read at once, before
    the replay goes on.
    """
    running: dict[str, Builder] = {}
    level: str | None = None
    department: str | None = None
    for index, event in enumerate(issue.events if events is None else events):
        if event.date > as_of:
            continue
        if event.level is not None:
            level = event.level
        if event.department is not None:
            department = event.department
        for key, builder in list(running.items()):
            if event.kind in builder.stage.stop:
                yield builder, (index, event), False
                del running[key]
        starts = [s for s in policy.stages if event.kind in s.start]
        if starts:
            explicit_stage = target(policy, event, (s.key for s in starts))
            for stage in starts:
                old = running.pop(stage.key, None)
                if old is not None:
                    yield old, (index, event), True
                running[stage.key] = Builder(
                    issue,
                    stage,
                    index,
                    event,
                    level,
                    department,
                    stage.key == explicit_stage,
                    cal,
                    track,
                )
        move_clocks(policy, running, event)
    for builder in running.values():
        yield builder, None, False


def move_clocks(policy: IssuePolicy, running: Mapping[str, Builder], event: IssueEvent) -> None:
    """Move the running clocks' due dates for an extension, a pause or a resumption
    (any other event moves none)."""
    if event.kind == "extended":
        stage = target(policy, event, running)
        if stage is not None and stage in running:
            running[stage].extend(event)
    elif event.kind == "paused":
        for builder in running.values():
            builder.pause(event.date)
    elif event.kind == "resumed":
        for builder in running.values():
            builder.resume(event.date)


def replay_state(
    issue: Issue, lifecycle: Lifecycle, events: Iterable[IssueEvent] | None = None
) -> IssueState:
    """The issue's state after its history (or ``events``), each event stepped through
    the lifecycle in turn (what :func:`campaignkit.derive.views.replay` must give)."""
    state = lifecycle.initial
    level: str | None = None
    department: str | None = None
    assigned_on: dt.date | None = None
    resolved_on: dt.date | None = None
    on_spot, reopened, escalations = False, 0, 0
    ratings: list[Satisfaction] = []
    resolved = {s.key for s in lifecycle.states if s.kind is StateKind.RESOLVED}
    for event in issue.events if events is None else events:
        state = lifecycle.step(issue, state, event)
        if event.level is not None:
            level = event.level
        if event.department is not None:
            department = event.department
        if event.kind == "assigned" and assigned_on is None:
            assigned_on = event.date
        elif event.kind == "escalated":
            escalations += 1
        elif event.kind == "answered_on_spot":
            on_spot = True
        elif event.kind == "reopened":
            reopened += 1
            resolved_on = None
        if event.rating is not None:
            ratings.append(event.rating)
        if resolved_on is None and state in resolved:
            resolved_on = event.date
    return IssueState(
        issue.id,
        state,
        lifecycle.state(state).kind,
        level,
        department,
        assigned_on,
        resolved_on,
        on_spot,
        reopened,
        tuple(ratings),
        escalations,
    )
