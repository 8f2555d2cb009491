"""How a 2115 request is handled: its lifecycle and its time limits.

The rule the campaign type follows, as defaults to adjust:

* a request is dispatched (派单, ``assigned``) to the unit responsible, with its
  work-order number and the time of day it went out;
* the unit answers the enterprise (首次响应: ``feedback``, or taking the request back,
  answering it on the spot or solving it) within **24 hours of the dispatch**: the
  one day of the rule, counted in hours from the moment of the dispatch as a work-order
  system counts it, nights and weekends included;
* the unit solves it (办结) within **15 working days** of the dispatch;
* a yellow card (``warned``) one working day before a limit, and four hours before the
  24-hour answer (a whole working day would warn it the moment it starts); a red card
  (``marked_overdue``) once a limit passes;
* the hotline urges the unit by phone (催办, ``urged``: this type's own action kind)
  once a red-carded limit is more than a working day late, and the office supervises
  (督办, ``supervised``) once it is more than three working days late;
* an enterprise dissatisfied on the return visit gets its request handled again.

There is no raising of levels and no supervision meeting for legacy issues: the
campaign type leaves those built-in rules out.
"""

from __future__ import annotations

import datetime as dt

import attrs

from campaignkit.model import Deadline, DeadlineUnit
from campaignkit.plugins import (
    DEFAULT_LIFECYCLE,
    DeadlineStage,
    IssuePolicy,
    Label,
    Lifecycle,
    Route,
    Transition,
)

__all__ = [
    "ACTIONS",
    "ANSWER_LIMIT",
    "ANSWER_WARNING",
    "LIFECYCLE",
    "POLICY",
    "RESOLUTION_LIMIT",
    "ROUND",
    "SUPERVISE_AFTER",
    "URGED",
    "URGE_AFTER",
    "WARNING",
]

_WD = DeadlineUnit.WORKING_DAYS

ANSWER_LIMIT = Deadline(24, DeadlineUnit.HOURS)
"""The unit answers the enterprise within this long after the dispatch (首次响应)."""
ANSWER_WARNING = Deadline(4, DeadlineUnit.HOURS)
"""The answer is due soon (yellow card) this long before it falls due."""
RESOLUTION_LIMIT = Deadline(15, _WD)
"""The unit solves the request within this long after the dispatch (办结)."""
WARNING = Deadline(1, _WD)
"""Every other limit is due soon (yellow card) this long before it falls due."""
URGE_AFTER = Deadline(1, _WD)
"""The hotline urges the unit by phone once a red-carded limit is this late."""
SUPERVISE_AFTER = Deadline(3, _WD)
"""The office supervises (督办) once a limit is this late."""
ROUND = dt.time(9, 0)
"""The hotline's morning round: when it dispatches the work orders left over and phones
the units it urges (the time of day of the handling records its rules propose)."""

URGED = "urged"
"""The event kind of the hotline's phone urging (催办): an action taken on a clock."""

_ACTIVE = ("raised", "assigned", "in_progress", "paused")

_LEFT_OUT = ("escalated", "meeting_called")
"""Events of the default lifecycle the 2115 rule has no use for: raising the level and
supervision meetings (the campaign type leaves their rules out too)."""

_RELABELLED = {
    "assigned": Label("派单", "dispatched"),
    "feedback": Label("首次响应", "answered"),
}


def _relabel(transition: Transition) -> Transition:
    label = _RELABELLED.get(transition.event)
    return transition if label is None else attrs.evolve(transition, label=label)


LIFECYCLE = Lifecycle(
    initial=DEFAULT_LIFECYCLE.initial,
    states=tuple(
        attrs.evolve(s, label=Label("已派单", "dispatched")) if s.key == "assigned" else s
        for s in DEFAULT_LIFECYCLE.states
    ),
    transitions=(
        *(_relabel(t) for t in DEFAULT_LIFECYCLE.transitions if t.event not in _LEFT_OUT),
        Transition(URGED, _ACTIVE, None, None, Label("热线催办", "urged by the hotline")),
    ),
    rated=DEFAULT_LIFECYCLE.rated,
)
"""The default lifecycle with the hotline's words (派单, 首次响应) and its phone urging, without
raising the level or supervision meetings."""

ACTIONS = ("warned", "marked_overdue", URGED, "supervised")
"""The actions taken on a running clock: the cards and supervision of the built-in rules
this type keeps, and the hotline's own urging. ``campaignkit overdue`` lists them, and a
clock already urged is not urged again."""

_ANSWERED = ("feedback", "taken_back", "answered_on_spot", "resolved", "closed_unresolved")
_SOLVED = ("resolved", "answered_on_spot", "closed_unresolved")

POLICY = IssuePolicy(
    levels=("county", "city"),
    level_labels=(
        ("county", Label("区县", "district/county")),
        ("city", Label("市级", "city")),
    ),
    stages=(
        DeadlineStage(
            "response",
            Label("首次响应", "answer"),
            start=("assigned",),
            stop=_ANSWERED,
            default=ANSWER_LIMIT,
        ),
        DeadlineStage(
            "resolution",
            Label("限时办结", "resolution"),
            start=("assigned", "reopened"),
            stop=_SOLVED,
            default=RESOLUTION_LIMIT,
        ),
    ),
    warn_before=WARNING,
    stage_warn_before={"response": ANSWER_WARNING},
    supervise_after=SUPERVISE_AFTER,
    reopen_on_dissatisfied=True,
    actions=ACTIONS,
    routes=(
        Route("county", "{county}营商环境服务中心", reason="企业诉求默认由属地区县承办"),
        Route("city", "{city}地方金融管理局", category="financing", reason="融资诉求由市级统筹"),
        Route("county", "{county}人力资源和社会保障局", category="labour"),
        Route("city", "{city}自然资源和规划局", category="land", reason="用地指标由市级统筹"),
        Route("county", "{county}行政审批服务局", category="approval"),
        Route("city", "{city}市场监督管理局", category="market"),
    ),
    level_offices=(("county", "{county}营商环境服务中心"), ("city", "{city}营商环境服务中心")),
    on_time_stage="resolution",
)
"""Levels, time limits, warnings, actions and routes of the 2115 rule (defaults to adjust)."""
