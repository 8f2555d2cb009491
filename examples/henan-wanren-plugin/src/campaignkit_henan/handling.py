"""How 万人助万企 handles an issue: its lifecycle and its time limits.

The lifecycle extends campaignkit's default one:

* ``progress_reported`` (反馈进展): the responsible unit reports progress;
* ``listed_supervision`` (挂牌督办): a major issue is put under listed supervision;
* ``close_reminded`` (销号提醒): a reminder to close off a resolved issue;
* ``closed`` (销号) needs the enterprise's rating, and not a dissatisfied one.

The time limits are the campaign's rule of thumb, in calendar days, as
defaults to adjust: routed within 1 day of being collected, progress within
3 days of assignment, ordinary issues solved within 7 days and major ones
within a month (30 days). A major issue's assignment carries its limit in
``deadline`` (or ``due``), which overrides the 7-day default.
"""

from __future__ import annotations

from campaignkit.lifecycle import DEFAULT_LIFECYCLE, Lifecycle, Transition
from campaignkit.model import Deadline, DeadlineUnit, Issue, IssueEvent, Satisfaction
from campaignkit.policy import DeadlineStage, IssuePolicy, Route
from campaignkit.types import Label

__all__ = [
    "CLOSE_OFF_AFTER",
    "LIFECYCLE",
    "MAJOR_LIMIT",
    "POLICY",
    "ROUTING_LIMIT",
    "needs_satisfied_rating",
]

_D = DeadlineUnit.DAYS

ROUTING_LIMIT = Deadline(1, _D)
"""An issue is routed (交办) within this long after it is collected."""
PROGRESS_LIMIT = Deadline(3, _D)
"""The responsible unit reports progress within this long after assignment."""
ORDINARY_LIMIT = Deadline(7, _D)
"""An ordinary issue is solved within this long after assignment."""
MAJOR_LIMIT = Deadline(30, _D)
"""A major issue is solved within a month of assignment."""
CLOSE_OFF_AFTER = Deadline(3, _D)
"""A resolved issue is closed off (销号) within this long, or a reminder is proposed."""


def needs_satisfied_rating(_: Issue, event: IssueEvent) -> str | None:
    """Guard of ``closed``: 销号 needs the enterprise's rating, and not a dissatisfied one."""
    if event.rating is None:
        return "needs the enterprise's rating"
    if event.rating is Satisfaction.DISSATISFIED:
        return "the enterprise is dissatisfied"
    return None


def _l(zh: str, en: str) -> Label:
    return Label(zh, en)


_ACTIVE = ("raised", "assigned", "in_progress", "paused")

LIFECYCLE = Lifecycle(
    initial=DEFAULT_LIFECYCLE.initial,
    states=DEFAULT_LIFECYCLE.states,
    transitions=(
        *(t for t in DEFAULT_LIFECYCLE.transitions if t.event != "closed"),
        Transition(
            "progress_reported",
            ("assigned", "in_progress"),
            "in_progress",
            None,
            _l("反馈进展", "progress reported"),
        ),
        Transition("listed_supervision", _ACTIVE, None, None, _l("挂牌督办", "listed supervision")),
        Transition(
            "close_reminded", ("resolved",), None, None, _l("销号提醒", "close-off reminder")
        ),
        Transition(
            "closed", ("resolved",), "closed", needs_satisfied_rating, _l("销号", "closed off")
        ),
    ),
    rated=("return_visit", "closed"),
)
"""The 万人助万企 issue lifecycle: the default one plus progress reports, listed supervision,
close-off reminders, and 销号 only with a satisfied rating."""

_RESOLVING = ("resolved", "answered_on_spot", "closed_unresolved")

POLICY = IssuePolicy(
    levels=("county", "city", "province"),
    level_labels=(
        ("county", Label("县（市、区）", "county/district")),
        ("city", Label("市级", "city")),
        ("province", Label("省级", "province")),
    ),
    stages=(
        DeadlineStage(
            "progress",
            Label("反馈进展", "progress report"),
            start=("assigned", "escalated"),
            stop=("progress_reported", "feedback", "taken_back", *_RESOLVING),
            default=PROGRESS_LIMIT,
        ),
        DeadlineStage(
            "resolution",
            Label("限时办结", "resolution"),
            start=("assigned", "escalated", "reopened"),
            stop=_RESOLVING,
            default=ORDINARY_LIMIT,
        ),
    ),
    warn_before=Deadline(1, _D),
    supervise_after=Deadline(0, _D),
    escalate_after=Deadline(7, _D),
    legacy_meeting_within=Deadline(10, _D),
    reopen_on_dissatisfied=True,
    routes=(
        Route("city", "市地方金融监管局", category="financing", reason="融资问题由市金融部门统筹"),
        Route("county", "县（市、区）人社局", category="labour", reason="用工问题属地办理"),
        Route("city", "市自然资源和规划局", category="land", reason="用地指标由市级统筹"),
        Route("county", "县（市、区）万人助万企专班", reason="其他问题属地办理"),
    ),
)
"""Levels, deadline stages and routes of 万人助万企 (defaults to adjust)."""
