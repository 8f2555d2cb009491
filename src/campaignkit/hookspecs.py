"""The hook specifications: the contract between campaignkit and its plugins.

Every hook is prefixed ``campaignkit_``. Registration hooks are named for
the plural noun they return (``campaignkit_campaign_types``) and return an
iterable of frozen records from :mod:`campaignkit.types`; event hooks are
named for the moment they fire. The docstring of each hook is its reference.

A plugin is any module or object with functions marked by :data:`hookimpl`::

    from campaignkit import hookimpl

    @hookimpl
    def campaignkit_report_formatters():
        yield ReportFormatter(name="my-format", ...)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from campaignkit.escalation import Action
    from campaignkit.ledger import Ledger
    from campaignkit.lifecycle import IssueState
    from campaignkit.model import Issue
    from campaignkit.types import (
        CampaignType,
        EscalationRule,
        MetricDef,
        ReportFormatter,
        Validator,
        WorkdayCalendar,
    )

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "campaignkit"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks a hook specification."""
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a plugin's implementation of a hook."""


@hookspec
def campaignkit_campaign_types() -> Iterable[CampaignType]:  # type: ignore[empty-body]
    """Register campaign types.

    :return: an iterable of :class:`~campaignkit.types.CampaignType`. Each has a
        unique ``key`` (e.g. ``sisong-yifu``); a ledger names it in
        ``campaign.type``. Two plugins registering the same key is an error
        naming both.

    Example::

        @hookimpl
        def campaignkit_campaign_types():
            yield CampaignType(key="wanren-zhuwanqi", label=Label("万人助万企", "..."), ...)
    """


@hookspec
def campaignkit_metrics() -> Iterable[MetricDef]:  # type: ignore[empty-body]
    """Register metrics that extend existing campaign types.

    A campaign type brings its own metrics; this hook adds more to it (or to
    every type when ``campaign_types`` is empty). Metric ids must not clash
    with the type's own ids or another plugin's.

    :return: an iterable of :class:`~campaignkit.types.MetricDef`.

    Example::

        @hookimpl
        def campaignkit_metrics():
            yield MetricDef(id="labour_issues", label=Label("用工问题", "labour issues"),
                            unit=Label("个", ""), contributions=labour_issue_contributions,
                            campaign_types=("sisong-yifu",))
    """


@hookspec
def campaignkit_escalation_rules() -> Iterable[EscalationRule]:  # type: ignore[empty-body]
    """Register escalation rules.

    :return: an iterable of :class:`~campaignkit.types.EscalationRule`. A rule's
        ``evaluate(context, issue)`` yields :class:`~campaignkit.escalation.Action`
        proposals; it must be pure and must not re-propose what the issue's
        history already holds.

    Example::

        @hookimpl
        def campaignkit_escalation_rules():
            yield EscalationRule(name="yellow-card", label=Label("黄牌", "yellow card"),
                                 evaluate=yellow_card)
    """


@hookspec
def campaignkit_report_formatters() -> Iterable[ReportFormatter]:  # type: ignore[empty-body]
    """Register report formatters.

    :return: an iterable of :class:`~campaignkit.types.ReportFormatter`; its
        ``name`` is what ``campaignkit report --format NAME`` selects, and its
        ``render(report, options)`` returns the bytes to write.

    Example::

        @hookimpl
        def campaignkit_report_formatters():
            yield ReportFormatter(name="txt", label=Label("纯文本", "plain text"),
                                  extension="txt", media_type="text/plain", render=render)
    """


@hookspec
def campaignkit_calendars() -> Iterable[WorkdayCalendar]:  # type: ignore[empty-body]
    """Register working-day calendars.

    :return: an iterable of :class:`~campaignkit.types.WorkdayCalendar`. A
        province can supply holiday data for years the built-in calendar lacks;
        the highest ``priority`` calendar that knows a day answers.

    Example::

        @hookimpl
        def campaignkit_calendars():
            yield calendar_from_schedule("cn-2027", holidays=[...], workdays=[...])
    """


@hookspec
def campaignkit_validators() -> Iterable[Validator]:  # type: ignore[empty-body]
    """Register local checks on a ledger.

    :return: an iterable of :class:`~campaignkit.types.Validator`; each
        ``check(ledger, campaign_type)`` yields
        :class:`~campaignkit.errors.Problem` objects, reported with the
        built-in ones when the ledger is loaded.

    Example::

        @hookimpl
        def campaignkit_validators():
            yield Validator(name="team-size", label=Label("小组人数", "team size"), check=check)
    """


@hookspec
def campaignkit_issue_state_changed(
    ledger: Ledger, issue: Issue, old: IssueState, new: IssueState, actions: tuple[Action, ...]
) -> None:
    """Called after applied actions changed an issue's state (e.g. to notify someone).

    :param ledger: the new ledger, with the events appended.
    :param issue: the issue as it is now.
    :param old: the derived state before; ``new``: after.
    :param actions: the applied actions that touched this issue.
    :return: nothing; a plugin that raises is reported and does not stop the others.

    Example::

        @hookimpl
        def campaignkit_issue_state_changed(ledger, issue, old, new, actions):
            if new.state == "assigned":
                sms.send(issue.id, f"已提级至{new.level}")
    """


@hookspec
def campaignkit_ledger_saved(path: str, ledger: Ledger) -> None:
    """Called after a ledger was written atomically to ``path``.

    :param path: the file written.
    :param ledger: the ledger that was written.
    :return: nothing.

    Example::

        @hookimpl
        def campaignkit_ledger_saved(path, ledger):
            backup.copy(path)
    """
