"""Everything a plugin author imports, in one namespace; and the built-in plugins.

A plugin needs only this module::

    from campaignkit.plugins import CampaignType, Label, MetricDef, hookimpl

    @hookimpl
    def campaignkit_metrics():
        yield MetricDef(...)

It offers :data:`hookimpl`, every record type a registration hook returns
(:class:`CampaignType`, :class:`MetricDef`, :class:`EscalationRule`,
:class:`ReportFormatter`, :class:`WorkdayCalendar`, :class:`Validator`,
:class:`WriteCheck` and the records they are built from), the types of what
plugin code is handed (:class:`RuleContext`, :class:`MetricContext`, :class:`Report`,
:class:`Write`, the ledger's records such as :class:`Issue` and :class:`IssueEvent`,
a clock's :class:`ClockStatus`, its :class:`Moments` and how it stands, :class:`Judged`
…), what a lifecycle is built of (:class:`Lifecycle`, :class:`State`,
:class:`Transition`, the guards :class:`Needs` and :class:`NeedsOne`), and what a plugin
words its messages and builds its calendars with (:func:`register`, :class:`Phrase`,
:func:`literal`, :func:`noun`, :func:`late_phrase`, :func:`deadline_text`,
:func:`calendar_from_schedule`, :class:`WorkCalendar`).
The names are defined elsewhere (see the API reference) and are the same objects here.

The submodules are campaignkit's own plugins (the 四送一服 campaign type, the
escalation rules, the report formats, the statutory calendar, the validators).
They register through the same hooks as any other plugin, and nothing in
campaignkit imports them but the plugin manager's list of defaults
(:data:`campaignkit.hooks.manager.DEFAULT_PLUGINS`).
"""

from __future__ import annotations

from campaignkit.derive.calendar import WorkCalendar, calendar_from_schedule
from campaignkit.derive.clocks import ClockStatus, Judged, Moments, late_phrase
from campaignkit.derive.deadlines import deadline_text
from campaignkit.errors import PluginError, Problem
from campaignkit.escalation.engine import Action, RuleContext
from campaignkit.hooks.specs import hookimpl
from campaignkit.i18n.catalogue import Phrase, literal, noun, register
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import (
    Activity,
    Deadline,
    DeadlineUnit,
    Enterprise,
    Issue,
    IssueEvent,
    Outcome,
    Satisfaction,
)
from campaignkit.report.build import Report
from campaignkit.rules.lifecycle import (
    DEFAULT_LIFECYCLE,
    IssueState,
    Lifecycle,
    Needs,
    NeedsOne,
    State,
    StateKind,
    Transition,
)
from campaignkit.rules.policy import DeadlineStage, IssuePolicy, Route
from campaignkit.rules.records import (
    CampaignType,
    EscalationRule,
    ExtraAttribute,
    FigureKey,
    Kind,
    Label,
    MetricDef,
    NarrativeTemplate,
    RenderOptions,
    ReportFormatter,
    Validator,
    WorkdayCalendar,
)
from campaignkit.rules.writes import Write, WriteAction, WriteCheck
from campaignkit.stats.metrics import Contribution, MetricContext

__all__ = [
    "DEFAULT_LIFECYCLE",
    "Action",
    "Activity",
    "CampaignType",
    "ClockStatus",
    "Contribution",
    "Deadline",
    "DeadlineStage",
    "DeadlineUnit",
    "Enterprise",
    "EscalationRule",
    "ExtraAttribute",
    "FigureKey",
    "Issue",
    "IssueEvent",
    "IssuePolicy",
    "IssueState",
    "Judged",
    "Kind",
    "Label",
    "Ledger",
    "Lifecycle",
    "MetricContext",
    "MetricDef",
    "Moments",
    "NarrativeTemplate",
    "Needs",
    "NeedsOne",
    "Outcome",
    "Phrase",
    "PluginError",
    "Problem",
    "RenderOptions",
    "Report",
    "ReportFormatter",
    "Route",
    "RuleContext",
    "Satisfaction",
    "State",
    "StateKind",
    "Transition",
    "Validator",
    "WorkCalendar",
    "WorkdayCalendar",
    "Write",
    "WriteAction",
    "WriteCheck",
    "calendar_from_schedule",
    "deadline_text",
    "hookimpl",
    "late_phrase",
    "literal",
    "noun",
    "register",
]
