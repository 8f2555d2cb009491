"""The hotline's own escalation rules.

``shandong-dispatch``
    a request made to the hotline that has not been dispatched (派单) by the day after
    it came in is dispatched in the hotline's morning round: to the level and unit the
    policy's routes give, at 09:00 (so its 24-hour answer runs from 09:00, not from
    midnight), with a note to the unit and the work-order number (工单号).
``shandong-urge``
    a running limit that has its red card and is more than a working day late is urged
    by phone (催办, ``urged``): at 09:00, with a note saying whom the hotline phoned and
    what was due, and the work-order number when the request has one.

The campaign type also keeps the built-in ``yellow-card``, ``red-card``, ``supervise``
and ``reopen-dissatisfied``, and leaves the other built-in rules out (see
:data:`campaignkit_shandong.campaign_type.ESCALATION_RULES`). Each rule looks at the
history first and never proposes what it already holds, so evaluating twice for the same
date proposes nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.derive.clocks import ClockStatus, amount, late_phrase
from campaignkit.derive.deadlines import deadline_text
from campaignkit.i18n.catalogue import Phrase
from campaignkit.model import Issue
from campaignkit.plugins import Action, EscalationRule, Label, RuleContext
from campaignkit_shandong.campaign_type import DISPATCH_RULE, KEY, URGE_RULE
from campaignkit_shandong.handling import ANSWER_LIMIT, ROUND, URGE_AFTER, URGED
from campaignkit_shandong.kinds import HOTLINE, TICKET
from campaignkit_shandong.messages import both, words

__all__ = ["DISPATCH", "RULES", "URGE", "dispatch", "urge"]


def _ticket(issue: Issue) -> tuple[tuple[str, str], ...]:
    """The request's work-order number as an action's extra attributes (none without one)."""
    ticket = issue.extra.get(TICKET)
    return ((TICKET, ticket),) if isinstance(ticket, str) else ()


def dispatch(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Dispatch (派单) a hotline request still not dispatched the day after it came in."""
    if issue.channel != HOTLINE or ctx.as_of <= issue.raised:
        return
    if ctx.shape(issue).state != "raised" or not ctx.allows(issue, "assigned"):
        return
    choice = ctx.route(issue)
    ticket = issue.extra.get(TICKET, Phrase("shandong.no-ticket"))
    zh, en = both(
        "shandong.reason.dispatch",
        ticket=ticket,
        raised=issue.raised.isoformat(),
        department=choice.department,
        time=ROUND.strftime("%H:%M"),
    )
    yield Action(
        issue.id,
        "assigned",
        DISPATCH.name,
        ctx.as_of,
        zh,
        level=choice.level,
        department=choice.department,
        reason_en=en,
        time=ROUND,
        note=words("shandong.note.dispatch", limit=deadline_text(ANSWER_LIMIT)),
        extra=_ticket(issue),
    )


def urge(ctx: RuleContext, issue: Issue) -> Iterator[Action]:
    """Urge by phone (催办) each red-carded limit more than a working day late, once."""
    if not ctx.allows(issue, URGED):
        return
    for clock, judged in ctx.running(issue, ClockStatus.OVERDUE):
        if not clock.marked("marked_overdue", clock.stage) or clock.marked(URGED, clock.stage):
            continue
        if ctx.as_of <= ctx.after(clock.due, URGE_AFTER):
            continue
        stage = ctx.stage(clock.stage).label
        zh, en = both(
            "shandong.reason.urge",
            stage=stage,
            late=late_phrase(judged, clock.unit),
            after=amount(URGE_AFTER.amount, URGE_AFTER.unit),
        )
        due = clock.due_at.strftime("%Y-%m-%d %H:%M") if clock.due_at else clock.due.isoformat()
        note = words(
            "shandong.note.urge",
            time=ROUND.strftime("%H:%M"),
            department=ctx.view(issue).department or "—",
            stage=stage,
            due=due,
        )
        yield Action(
            issue.id,
            URGED,
            URGE.name,
            ctx.as_of,
            zh,
            stage=clock.stage,
            reason_en=en,
            time=ROUND,
            note=note,
            extra=_ticket(issue),
        )


DISPATCH = EscalationRule(
    DISPATCH_RULE,
    Label("热线派单", "hotline dispatch"),
    dispatch,
    campaign_types=(KEY,),
    doc=dispatch.__doc__ or "",
    proposes=("assigned",),
)
URGE = EscalationRule(
    URGE_RULE,
    Label("热线催办", "hotline urging"),
    urge,
    campaign_types=(KEY,),
    doc=urge.__doc__ or "",
    proposes=(URGED,),
)

RULES = (DISPATCH, URGE)
"""The rules this plugin registers."""
