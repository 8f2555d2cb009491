"""Issue history from a 问题台账 row: the events that bring an issue to the state the row shows.

A row says where an issue stands (level, unit, time limit, state, result,
rating, dates); the ledger keeps *how it got there*, as an append-only list
of events. :func:`plan` compares the row with the history and returns the
events to append — none when they agree — so importing the same sheet twice
changes nothing, and a sheet exported from a ledger imports back to the same
ledger. It understands the built-in lifecycle's events:

- a new or changed 交办层级/责任单位/办理时限 appends ``assigned`` (``escalated``
  when the level goes up), dated 交办日期;
- 办理中 appends ``taken_back`` (or ``resumed``), 暂停 ``paused``;
- 已办结/已销号 append ``resolved`` dated 办结日期 with 办理结果 as its note
  (``answered_on_spot`` when the issue was never assigned); 已销号 then ``closed``;
- 未解决关闭 appends ``closed_unresolved``;
- a new 满意度 appends ``return_visit`` dated 回访日期;
- 办理中 with 满意度 不满意 on an issue the ledger has resolved (or closed) is the
  reopening after a dissatisfied return visit: ``return_visit`` (unless the
  ledger has that visit already) and ``reopened``, both dated 回访日期 — as an
  exported row of a reopened issue shows it.

What cannot be reached by appending (reopening without a dissatisfied return
visit, clearing a level, back-dating) raises :class:`PlanError` naming the column. A row that
shows the issue as it stood at the end of an earlier day of its history, or as raised before
any event (a sheet exported with an earlier as-of date), changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from campaignkit.derive.views import latest_event_date
from campaignkit.errors import TransitionError
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.records import Deadline, Issue, IssueEvent, Satisfaction
from campaignkit.rules.lifecycle import Lifecycle, StateKind
from campaignkit.rules.records import Label
from campaignkit.workbook.sheets import Handling, handling

__all__ = ["PlanError", "compare", "event_words", "plan"]

DATE_FIELDS = ("assigned_on", "resolved_on", "visited_on")
"""Handling fields a row may leave blank without meaning "none" (new issues)."""
FIELDS = ("level", "department", "limit", "state", "result", "rating", *DATE_FIELDS)


class PlanError(Exception):
    """A row cannot be reached by appending events; ``field`` names the column's field,
    ``phrase`` says why (``message``: the same in English)."""

    def __init__(self, field: str, phrase: Phrase) -> None:
        self.field = field
        self.phrase = phrase
        self.message = phrase.text("en")
        super().__init__(f"{field}: {self.message}")


def compare(current: Handling, target: Handling) -> str | None:
    """The first field where ``target`` differs from ``current`` (blank dates match anything)."""
    for name in FIELDS:
        want = getattr(target, name)
        if name in DATE_FIELDS and want is None:
            continue
        if getattr(current, name) != want:
            return name
    return None


class _Planner:
    def __init__(self, issue: Issue, lifecycle: Lifecycle, levels: tuple[str, ...]) -> None:
        self.issue = issue
        self.lifecycle = lifecycle
        self.levels = levels
        self.events: list[IssueEvent] = []
        self.state = handling(issue, lifecycle).state
        self.last = latest_event_date(issue)

    def kind(self, state: str | None = None) -> StateKind:
        return self.lifecycle.state(state or self.state).kind

    def push(self, kind: str, day: date | None, field: str, **fields: Any) -> None:
        if day is None:
            raise PlanError(
                field, Phrase("date-needed-for-event", {"kind": event_words(self.lifecycle, kind)})
            )
        if day < self.last:
            raise PlanError(
                field,
                Phrase(
                    "before-latest-event", {"day": day.isoformat(), "last": self.last.isoformat()}
                ),
            )
        event = IssueEvent(kind=kind, date=day, **fields)
        try:
            self.state = self.lifecycle.step(self.issue, self.state, event)
        except TransitionError as exc:
            raise PlanError("state", exc.phrase) from None
        self.events.append(event)
        self.last = day

    def rank(self, level: str | None) -> int:
        return self.levels.index(level) if level in self.levels else -1


def event_words(lifecycle: Lifecycle, kind: str) -> Label:
    """The label of an event kind in both languages (办结 / resolved)."""
    return Label(lifecycle.event_label(kind, "zh"), lifecycle.event_label(kind, "en"))


def _limit_fields(limit: Deadline | date | None) -> dict[str, Any]:
    if isinstance(limit, date):
        return {"due": limit}
    if isinstance(limit, Deadline):
        return {"deadline": limit}
    return {}


def _shows_earlier_date(issue: Issue, target: Handling, lifecycle: Lifecycle) -> bool:
    """True when ``target`` is the issue as it stood at the end of an earlier day of its
    history (a sheet exported with an earlier as-of date), or as it was raised, before any
    event (its first event may fall on the day it was raised)."""
    days = sorted({e.date for e in issue.events})
    earlier = [[e for e in issue.events if e.date <= day] for day in [issue.raised, *days[:-1]]]
    return any(
        compare(handling(issue, lifecycle, events), target) is None for events in [[], *earlier]
    )


def plan(
    issue: Issue,
    target: Handling,
    lifecycle: Lifecycle,
    levels: tuple[str, ...] = (),
    *,
    as_written: Handling | None = None,
) -> tuple[IssueEvent, ...]:
    """Events to append to ``issue`` so its history shows ``target``; raise :class:`PlanError`.

    ``levels`` are the handling levels from lowest to highest (a rise is an escalation).
    ``as_written`` is the row before blank cells were filled from the ledger: when it
    shows the issue as it stood at the end of an earlier day, nothing is appended.
    """
    current = handling(issue, lifecycle)
    if compare(current, target) is None:
        return ()
    if as_written is not None and _shows_earlier_date(issue, as_written, lifecycle):
        return ()
    p = _Planner(issue, lifecycle, levels)
    final = {StateKind.RESOLVED, StateKind.CLOSED_UNRESOLVED}
    want = lifecycle.state(target.state).kind
    visited = False  # the row's return visit is recorded (by the reopening)
    if p.kind() in final and want not in final:
        target = _reopen(p, current, target, as_written)
        visited = True
    raised = issue.raised
    who = (target.level, target.department, target.limit)
    if who != (current.level, current.department, current.limit) and (
        target.level or target.department
    ):
        if not target.level or not target.department:
            missing = "level" if not target.level else "department"
            raise PlanError(missing, Phrase("assign-needs-both"))
        up = current.level is not None and p.rank(target.level) > p.rank(current.level)
        p.push(
            "escalated" if up else "assigned",
            target.assigned_on or (raised if not issue.events else None),
            "assigned_on",
            level=target.level,
            department=target.department,
            **_limit_fields(target.limit),
        )
    handled_on = target.assigned_on or (raised if not issue.events else None)
    if target.state != p.state:
        if target.state == "in_progress":
            p.push("resumed" if p.state == "paused" else "taken_back", handled_on, "assigned_on")
        elif target.state == "paused":
            p.push("paused", handled_on, "assigned_on")
        elif want is StateKind.RESOLVED and p.kind() is not StateKind.RESOLVED:
            if p.state == "paused":
                p.push("resumed", target.resolved_on, "resolved_on")
            note = {"note": target.result} if target.result else {}
            if p.state == "raised":
                p.push("answered_on_spot", target.resolved_on or raised, "resolved_on", **note)
            else:
                p.push("resolved", target.resolved_on, "resolved_on", **note)
        elif want is StateKind.CLOSED_UNRESOLVED:
            note = {"note": target.result} if target.result else {}
            p.push("closed_unresolved", target.resolved_on, "resolved_on", **note)
    # a lifecycle whose closing carries the rating (the Henan example's 销号) gets it there,
    # without a return visit the row does not date
    rated = lifecycle.rated or ()
    rate_closing = (
        target.rating is not None
        and target.state == "closed"
        and current.state != "closed"
        and "closed" in rated
    )
    if rate_closing and target.visited_on is None:
        visited = True
    if not visited and target.rating is not None:
        if target.rating != current.rating and want not in final:
            raise PlanError("rating", Phrase("rating-on-open-issue"))
        if target.rating != current.rating or (
            target.visited_on is not None and target.visited_on != current.visited_on
        ):
            p.push(
                "return_visit",
                target.visited_on or target.resolved_on,
                "visited_on",
                rating=target.rating,
            )
    if target.state != p.state and target.state == "closed" and p.state == "resolved":
        rating = {"rating": target.rating} if rate_closing else {}
        p.push("closed", target.visited_on or target.resolved_on, "resolved_on", **rating)
    reached = handling(issue, lifecycle, (*issue.events, *p.events))
    wrong = compare(reached, target)
    if wrong is not None:
        have = getattr(current, wrong)
        if wrong == "state":
            states = {"target": target.state, "current": current.state}
            why = Phrase(
                "unreachable-from", {k: lifecycle.state(v).label for k, v in states.items()}
            )
        else:
            shown = Phrase("unreachable-nothing") if have is None else str(have)
            why = Phrase("unreachable", {"have": shown})
        raise PlanError(wrong, why)
    return tuple(p.events)


def _reopen(p: _Planner, current: Handling, target: Handling, written: Handling | None) -> Handling:
    """Append the reopening a row shows (see the module's docstring); return the target
    as it stands after it: no result or 办结日期 unless the row itself gives them."""
    day = target.visited_on
    try:  # the state reopening leads to (办理中), if the issue may be reopened at all
        after = p.lifecycle.step(p.issue, p.state, IssueEvent("reopened", day or date.min))
    except TransitionError:
        after = None
    if target.rating is not Satisfaction.DISSATISFIED or day is None or after != target.state:
        raise PlanError(
            "state",
            Phrase("reopen-after-visit", {"state": p.lifecycle.state(current.state).label}),
        )
    if (current.rating, current.visited_on) != (target.rating, day):
        p.push("return_visit", day, "visited_on", rating=target.rating)
    p.push("reopened", day, "visited_on")
    return attrs.evolve(
        target,
        result=written.result if written is not None else None,
        resolved_on=written.resolved_on if written is not None else None,
    )


def with_plan(
    issue: Issue, target: Handling, lifecycle: Lifecycle, levels: tuple[str, ...]
) -> Issue:
    """``issue`` with the events :func:`plan` finds appended."""
    events = plan(issue, target, lifecycle, levels)
    return attrs.evolve(issue, events=(*issue.events, *events)) if events else issue
