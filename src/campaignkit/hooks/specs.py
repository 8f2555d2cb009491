"""The hook specifications: the contract between campaignkit and its plugins.

Every hook is prefixed ``campaignkit_``. There are two sorts:

* **Registration hooks** are named for the plural noun they return
  (``campaignkit_campaign_types``). They take no arguments and return an
  iterable of frozen records from :mod:`campaignkit.rules.records`; the manager
  gathers them, checks their type, sorts them by name and reports a name two
  plugins register (naming both; that name is unusable, the rest works).
* **Event hooks** are named for the moment they fire
  (``campaignkit_ledger_saved``). They receive keyword arguments and return
  nothing; a plugin that raises is reported and the others still run.

Hooks are called through pluggy's own loop, so ``@hookimpl(tryfirst=True)``,
``@hookimpl(trylast=True)`` and wrappers (``wrapper=True``, ``hookwrapper=True``)
work; implementations of the same rank are called in registration order. A
wrapper around a registration hook is handed copies of the results, and what it
returns is checked record by record like any result: a record it was handed
keeps the plugin that gave it, one it adds (in place or not) is its own.

The docstring of each hook is its reference: arguments, return value and a
short example. A plugin is any module, class or object with functions marked
by :data:`hookimpl`; an implementation may accept only some of the hook's
arguments::

    from campaignkit.hooks.specs import hookimpl
    from campaignkit.rules.records import Label, ReportFormatter

    @hookimpl
    def campaignkit_report_formatters():
        yield ReportFormatter(name="my-format", label=Label("我的格式", "my format"),
                              extension="txt", media_type="text/plain", render=my_render)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from campaignkit.escalation.engine import Action
    from campaignkit.model.ledger import Ledger
    from campaignkit.model.records import Issue
    from campaignkit.rules.lifecycle import IssueState
    from campaignkit.rules.records import (
        CampaignType,
        EscalationRule,
        MetricDef,
        ReportFormatter,
        Validator,
        WorkdayCalendar,
    )
    from campaignkit.rules.writes import WriteCheck

__all__ = [
    "HOOK_PREFIX",
    "PROJECT_NAME",
    "event_hooks",
    "hook_specs",
    "hookimpl",
    "hookspec",
    "registration_hooks",
]

PROJECT_NAME = "campaignkit"
HOOK_PREFIX = PROJECT_NAME + "_"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks a hook specification."""
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a plugin's implementation of a hook: ``@hookimpl`` above a ``campaignkit_*`` function."""


# -- registration hooks --------------------------------------------------------------


@hookspec
def campaignkit_campaign_types() -> Iterable[CampaignType]:  # type: ignore[empty-body]
    """Register campaign types.

    A campaign type bundles everything that differs between campaign variants:
    activity kinds, issue categories and channels, outcome kinds, enterprise
    classes, metrics, the summary-table columns, the narrative, the issue
    lifecycle and the handling policy (a warning period per deadline stage
    included), and the extra attributes records accept (an issue attribute may
    be required of some channels or categories only).

    :return: an iterable of :class:`~campaignkit.rules.records.CampaignType`. Each has a
        unique ``key`` (e.g. ``sisong-yifu``) that a ledger names in
        ``campaign.type``. Two plugins registering the same key is an error
        naming both; a type that contradicts itself (a summary column that is
        not one of its metrics, a policy stage started by an event its
        lifecycle does not know …) is reported with the plugin's name and
        left out.

    Example::

        @hookimpl
        def campaignkit_campaign_types():
            yield CampaignType(
                key="wanren-zhuwanqi",
                label=Label("万人助万企", "Ten Thousand Officials Help Ten Thousand Enterprises"),
                activity_kinds=(Kind("pairing_visit", Label("包联走访", "pairing visit")),),
                # issue_categories, issue_channels, outcome_kinds, enterprise_classes,
                # metrics, summary_columns, lifecycle, policy, narrative …
                **OTHER_FIELDS,
            )
    """


@hookspec
def campaignkit_metrics() -> Iterable[MetricDef]:  # type: ignore[empty-body]
    """Register metrics that extend existing campaign types.

    A campaign type brings its own metrics; this hook adds more to it (or to
    every type when ``campaign_types`` is empty). Metric ids must not clash
    with the type's own ids or another plugin's. A rate added to every type
    is left out of the types that lack its numerator or denominator.

    :return: an iterable of :class:`~campaignkit.rules.records.MetricDef`.

    Example::

        @hookimpl
        def campaignkit_metrics():
            yield MetricDef(id="labour_issues", label=Label("用工问题", "labour issues"),
                            unit=Label("个", ""),
                            contributions=issues_where(lambda ctx, i: i.category == "labour"),
                            campaign_types=("sisong-yifu",))
    """


@hookspec
def campaignkit_escalation_rules() -> Iterable[EscalationRule]:  # type: ignore[empty-body]
    """Register escalation rules.

    :return: an iterable of :class:`~campaignkit.rules.records.EscalationRule`. A rule's
        ``evaluate(context, issue)`` receives a
        :class:`~campaignkit.escalation.engine.RuleContext` (ledger, campaign type,
        as-of date) and one issue, and yields
        :class:`~campaignkit.escalation.engine.Action` proposals. It must be pure and
        must not re-propose what the issue's history already holds. Restrict a
        rule to some campaign types with ``campaign_types``. An action may carry
        the event's time of day, a note and extra attributes, kept on the event
        applying it appends.

    Example::

        def close_off_reminder(ctx, issue):
            state = ctx.state(issue)
            reminded = any(e.kind == "close_reminded" for e in issue.events)
            late = state.resolved_on is not None and (ctx.as_of - state.resolved_on).days > 3
            if state.state == "resolved" and late and not reminded:
                yield Action(issue=issue.id, kind="close_reminded", rule="close-off-reminder",
                             date=ctx.as_of, reason="已办结3天未销号")

        @hookimpl
        def campaignkit_escalation_rules():
            yield EscalationRule(name="close-off-reminder", label=Label("销号提醒", "close-off"),
                                 evaluate=close_off_reminder, campaign_types=("wanren-zhuwanqi",))
    """


@hookspec
def campaignkit_report_formatters() -> Iterable[ReportFormatter]:  # type: ignore[empty-body]
    """Register report formatters.

    :return: an iterable of :class:`~campaignkit.rules.records.ReportFormatter`; its
        ``name`` is what ``campaignkit report --format NAME`` and
        :func:`campaignkit.report.build.render` select, and its
        ``render(report, options)`` returns the bytes to write. A formatter
        shows the figures of the :class:`~campaignkit.report.build.Report` it is
        given (or computes more through ``report.context``), so every output
        agrees.

    Example::

        def render(report, options):
            return (report.title + "\\n" + report.narrative + "\\n").encode("utf-8")

        @hookimpl
        def campaignkit_report_formatters():
            yield ReportFormatter(name="txt", label=Label("纯文本", "plain text"),
                                  extension="txt", media_type="text/plain", render=render)
    """


@hookspec
def campaignkit_calendars() -> Iterable[WorkdayCalendar]:  # type: ignore[empty-body]
    """Register working-day calendars.

    :return: an iterable of :class:`~campaignkit.rules.records.WorkdayCalendar`. A
        province can supply holiday data for years the built-in calendar lacks;
        the highest ``priority`` calendar that knows a day answers.

    Example::

        def is_workday(day):
            if day.year != 2027:
                return None  # not known here: ask the next calendar
            return day.weekday() < 5 and day not in HOLIDAYS_2027

        @hookimpl
        def campaignkit_calendars():
            yield WorkdayCalendar(name="cn-2027", label=Label("2027年安排", "2027 schedule"),
                                  is_workday=is_workday, years=(2027,), priority=10)
    """


@hookspec
def campaignkit_validators() -> Iterable[Validator]:  # type: ignore[empty-body]
    """Register local checks on a ledger.

    :return: an iterable of :class:`~campaignkit.rules.records.Validator`; each
        ``check(ledger, campaign_type)`` yields
        :class:`~campaignkit.errors.Problem` objects with a path such as
        ``issues[3].extra``, reported with the built-in ones when the ledger is
        loaded. Restrict a validator to some campaign types with
        ``campaign_types``; one that raises is reported by name.

    Example::

        def major_issues_have_deadline(ledger, ctype):
            for i, issue in enumerate(ledger.issues):
                if issue.extra.get("severity") == "major" and not issue.events:
                    yield Problem(f"issues[{i}].events", "a major issue needs its assignment")

        @hookimpl
        def campaignkit_validators():
            yield Validator(name="major-issues", label=Label("重大问题", "major issues"),
                            check=major_issues_have_deadline)
    """


@hookspec
def campaignkit_write_checks() -> Iterable[WriteCheck]:  # type: ignore[empty-body]
    """Register rules that may refuse a write to a store (:mod:`campaignkit.store`).

    :return: an iterable of :class:`~campaignkit.rules.writes.WriteCheck`; each
        ``check(write)`` is handed the :class:`~campaignkit.rules.writes.Write` about to
        commit (its campaign, action, author, record — None for an import, a header
        correction and a rederive — and the events appended) and yields
        :class:`~campaignkit.errors.Problem` objects that refuse it; the writer gets them,
        worded in their language, and nothing is written. Runs after the store's own
        checks (types, references, the lifecycle). Restrict a check to some campaign
        types with ``campaign_types``; one that raises refuses the write, naming it.

    A team records only into its own issues:

    Example::

        OTHER_TEAM = "my-plugin.other-team"
        register(
            OTHER_TEAM,
            en="{author} cannot record into {team}'s issue",
            zh="{author} 不能记录 {team} 的问题",
        )


        def own_issues(write):
            if write.action != "append":  # imports, additions, corrections and rederiving pass
                return
            team = write.record.team
            if team != write.author:
                yield Problem.of(OTHER_TEAM, "issues", author=write.author, team=team)


        @hookimpl
        def campaignkit_write_checks():
            yield WriteCheck(
                name="own-issues", label=Label("只记本组问题", "own issues only"), check=own_issues
            )
    """


# -- event hooks -----------------------------------------------------------------------


@hookspec
def campaignkit_issue_state_changed(
    ledger: Ledger,
    issue: Issue,
    old: IssueState,
    new: IssueState,
    actions: tuple[Action, ...],
    campaign_type: CampaignType,
) -> None:
    """Called after applied actions moved an issue to another lifecycle state.

    Fired once per issue whose derived state (e.g. ``assigned`` →
    ``in_progress``) differs after escalation actions were appended.
    Actions that leave the state as it is (a yellow card, a supervision note)
    do not fire it; :func:`campaignkit_actions_applied` sees every action.

    :param ledger: the new ledger, with the events appended.
    :param issue: the issue as it is now.
    :param old: the derived :class:`~campaignkit.rules.lifecycle.IssueState` before.
    :param new: the derived state after.
    :param actions: the applied actions that touched this issue.
    :param campaign_type: the ledger's campaign type, as the manager that applied the
        actions knows it (its lifecycle, policy and words); a plugin reads it here rather
        than asking the shared plugin manager, which may not know a type that another
        manager registered (``campaignkit --plugin``).
    :return: nothing; a plugin that raises is reported and does not stop the others.

    Example::

        @hookimpl
        def campaignkit_issue_state_changed(ledger, issue, old, new, actions, campaign_type):
            if new.level != old.level:
                state = campaign_type.lifecycle.state(new.state).label.zh
                sms.send(issue.id, f"已提级至{new.level}（{state}）")
    """


@hookspec
def campaignkit_actions_applied(
    ledger: Ledger, actions: tuple[Action, ...], campaign_type: CampaignType
) -> None:
    """Called once after escalation actions were appended to a ledger.

    Every applied action is passed, including those that leave the issue's
    state unchanged (``warned`` yellow cards, ``marked_overdue`` red cards,
    ``supervised``), so a tool can notify the responsible units or keep an
    audit trail. An action's ``department`` is only the one written on the event
    it appends (None for yellow and red cards and supervision); the issue's
    current department is derived from its history in ``ledger``, as below.

    :param ledger: the new ledger, with the events appended.
    :param actions: the applied :class:`~campaignkit.escalation.engine.Action` objects, in order.
    :param campaign_type: the ledger's campaign type, as the manager that applied the
        actions knows it: its lifecycle derives where each issue now stands.
    :return: nothing; a plugin that raises is reported and does not stop the others.

    Example::

        from campaignkit.derive.views import replay


        @hookimpl
        def campaignkit_actions_applied(ledger, actions, campaign_type):
            lifecycle = campaign_type.lifecycle
            for action in actions:
                if action.kind == "marked_overdue":
                    issue = ledger.issue_index[action.issue]
                    department = replay(issue, lifecycle).department  # 问题现在的责任单位
                    notify(department, f"问题{action.issue}已超期：{action.reason}")
    """


@hookspec
def campaignkit_ledger_saved(path: str, ledger: Ledger) -> None:
    """Called after a ledger was written atomically to ``path``.

    :param path: the file written.
    :param ledger: the ledger that was written.
    :return: nothing; a plugin that raises is reported and does not stop the others.

    Example::

        @hookimpl
        def campaignkit_ledger_saved(path, ledger):
            shutil.copy(path, backup_folder / f"{ledger.campaign.id}.json")
    """


# -- introspection ---------------------------------------------------------------------


def hook_specs() -> dict[str, Callable[..., Any]]:
    """Every hook specification by name, in definition order."""
    found = [
        obj
        for name, obj in globals().items()
        if name.startswith(HOOK_PREFIX) and hasattr(obj, PROJECT_NAME + "_spec")
    ]
    found.sort(key=lambda f: f.__code__.co_firstlineno)
    return {f.__name__: f for f in found}


def registration_hooks() -> tuple[str, ...]:
    """Names of the registration hooks (no arguments, return records)."""
    return tuple(n for n, f in hook_specs().items() if not inspect.signature(f).parameters)


def event_hooks() -> tuple[str, ...]:
    """Names of the event hooks (keyword arguments, return nothing)."""
    return tuple(n for n, f in hook_specs().items() if inspect.signature(f).parameters)
