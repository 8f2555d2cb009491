"""``campaignkit overdue`` and ``campaignkit escalate``: deadlines and escalation.

``overdue LEDGER --as-of DATE`` lists the open issues whose deadline is near
or past, or that carry a yellow card, grouped by handling level and
department. ``escalate LEDGER --as-of DATE`` shows what the escalation rules
propose; with ``--apply`` it appends those events to the ledger file
atomically and prints what was appended. Text is Chinese by default
(``--lang en`` for English).
"""

from __future__ import annotations

import argparse
import datetime as dt

from tabulate import tabulate

from campaignkit.cli.commands import check_as_of, iso_date, say
from campaignkit.cli.sources import (
    SOURCE_HELP,
    add_campaign_option,
    is_store,
    ledger_path,
    open_store,
    workspace,
)
from campaignkit.derive.deadlines import STATUS_LABELS, WatchItem, watch_groups, watch_list
from campaignkit.escalation.engine import Action, RuleFailure, apply, assess
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import Phrase
from campaignkit.io import dump
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import IssueEvent
from campaignkit.rules.records import CampaignType, Label

__all__ = ["register"]

_T = {
    "as_of": Label("截至", "as of"),
    "nothing_due": Label(
        "没有即将到期、已预警或超期的在办问题。", "no open issue is due soon, warned or overdue."
    ),
    "no_level": Label("未定级", "no level"),
    "no_unit": Label("未指定单位", "no unit named"),
    "issue": Label("问题", "issue"),
    "category": Label("类别", "category"),
    "stage": Label("时限", "stage"),
    "due": Label("应完成日期", "due"),
    "status": Label("状态", "status"),
    "late": Label("超期", "late"),
    "cards": Label("已采取措施", "actions taken"),
    "total": Label("合计", "total"),
    "rule": Label("规则", "rule"),
    "action": Label("动作", "action"),
    "reason": Label("原因", "reason"),
    "no_actions": Label("没有需要提出的动作。", "no actions to propose."),
    "proposed": Label("项建议动作", "proposed action(s)"),
    "appended": Label("已追加", "appended"),
    "events_to": Label("条事件到", "event(s) to"),
    "hint": Label("加 --apply 将以上动作写入台账。", "add --apply to append them to the ledger."),
    "not_applied": Label("有规则出错，未写入台账。", "some rules failed; nothing was written."),
    "note": Label("注", "note"),
}


def _t(key: str, lang: str) -> str:
    return _T[key].get(lang)


def _as_of(args: argparse.Namespace, ledger: Ledger) -> dt.date:
    if args.as_of is None:
        return ledger.campaign.report_date or ledger.campaign.period.end
    assert isinstance(args.as_of, dt.date)  # read by iso_date
    checked = check_as_of(args.as_of, ledger)
    assert checked is not None
    return checked


def _count(n: int, lang: str) -> str:
    """`` (3)`` after English words, ``（3）`` after Chinese ones."""
    return f" ({n})" if lang == "en" else f"（{n}）"


def _row(item: WatchItem, ctype: CampaignType, lang: str) -> list[object]:
    clock = item.clock
    lifecycle = ctype.lifecycle
    cards = "、" if lang != "en" else ", "
    return [
        item.issue.id,
        ctype.label_of("issue_categories", item.issue.category, lang),
        clock.label.get(lang),
        clock.due.isoformat(),
        STATUS_LABELS[clock.status].get(lang),
        clock.late_text(lang) if clock.late else "",
        cards.join(lifecycle.event_label(k, lang) for k in item.cards),
    ]


def cmd_overdue(args: argparse.Namespace, manager: PluginManager) -> int:
    """List what is due soon, warned or overdue, by level and department."""
    lang = args.lang
    ws = workspace(args, manager)
    ledger = ws.ledger
    ctype = ws.campaign_type
    as_of = _as_of(args, ledger)
    items = watch_list(
        ledger,
        ctype.policy,
        ctype.lifecycle,
        as_of=as_of,
        deriver=ws.deriver,
        shapes=ws.shapes(as_of),  # derived once: only the open issues' histories are walked
    )
    print(f"{ledger.campaign.name} · {_t('as_of', lang)} {as_of.isoformat()}")
    if not items:
        print(_t("nothing_due", lang))
        return 0
    headers = [
        _t(k, lang) for k in ("issue", "category", "stage", "due", "status", "late", "cards")
    ]
    for level, departments in watch_groups(items, ctype.policy):
        level_name = ctype.policy.level_label(level, lang) if level else _t("no_level", lang)
        count = sum(len(group) for _, group in departments)
        print()
        print(f"== {level_name}{_count(count, lang)} ==")
        for department, group in departments:
            print(f"-- {department or _t('no_unit', lang)}{_count(len(group), lang)} --")
            print(tabulate([_row(i, ctype, lang) for i in group], headers, tablefmt="simple"))
    print()
    counts: dict[str, int] = {}
    for item in items:
        label = STATUS_LABELS[item.clock.status].get(lang)
        counts[label] = counts.get(label, 0) + 1
    sep = "，" if lang != "en" else ", "
    summary = sep.join(f"{label} {n}" for label, n in counts.items())
    issues = len({item.issue.id for item in items})
    if lang == "en":
        print(f"total: {len(items)} deadline(s) on {issues} issue(s) ({summary})")
    else:
        print(f"{_t('total', lang)}：{len(items)} 项时限，涉及 {issues} 个问题（{summary}）")
    notes = dict.fromkeys(i.clock.message(lang) for i in items if i.clock.fallback)
    colon = ": " if lang == "en" else "："
    for note in notes:
        print(f"{_t('note', lang)}{colon}{note}")
    return 0


def _action_rows(
    actions: tuple[Action, ...], manager: PluginManager, ctype: CampaignType, lang: str
) -> list[list[str]]:
    rules = manager.escalation_rules(ctype.key)
    rows = []
    for a in actions:
        rule = rules.get(a.rule)
        rule_name = _named(rule.label.get(lang), a.rule, lang) if rule else a.rule
        rows.append(
            [
                rule_name,
                a.issue,
                ctype.lifecycle.event_label(a.kind, lang),
                a.why(lang),
            ]
        )
    return rows


def _named(words: str, name: str, lang: str) -> str:
    """Words with the name they go by: ``黄牌预警（yellow-card）``, in English
    ``yellow card (yellow-card)``."""
    return f"{words} ({name})" if lang == "en" else f"{words}（{name}）"


def _failure(failure: RuleFailure) -> Phrase:
    """A rule's failure in the catalogue's words (the rule's own exception, such as
    ``KeyError: 'x'``, as it was raised)."""
    return Phrase(
        "rule-failed",
        {
            "rule": failure.rule,
            "plugin": Phrase("rule-failed.plugin", {"plugin": failure.plugin})
            if failure.plugin
            else "",
            "issue": Phrase("rule-failed.issue", {"issue": failure.issue}) if failure.issue else "",
            "reason": failure.phrase,
        },
    )


def cmd_escalate(args: argparse.Namespace, manager: PluginManager) -> int:
    """Show the actions the escalation rules propose; append them with ``--apply``."""
    lang = args.lang
    ws = workspace(args, manager)
    ledger = ws.ledger
    ctype = ws.campaign_type
    as_of = _as_of(args, ledger)
    result = assess(ledger, as_of, manager=manager, workspace=ws)
    print(f"{ledger.campaign.name} · {_t('as_of', lang)} {as_of.isoformat()}")
    for failure in result.failures:
        say("error", _failure(failure).text(lang))
    if not result.actions:
        print(_t("no_actions", lang))
    else:
        headers = [_t(k, lang) for k in ("rule", "issue", "action", "reason")]
        print(tabulate(_action_rows(result.actions, manager, ctype, lang), headers, "simple"))
        print(f"{len(result.actions)} {_t('proposed', lang)}")
    if result.failures:
        if args.apply:
            say("error", _t("not_applied", lang))
        return 1
    if not result.actions:
        return 0
    if not args.apply:
        print(_t("hint", lang))
        return 0
    if is_store(args.ledger):
        target = _apply_to_store(args, manager, ledger, result.actions)
    else:
        updated = apply(ledger, result.actions, manager=manager)
        target = str(dump(updated, ledger_path(args.ledger), manager=manager))
    colon = ":" if lang == "en" else "："
    print(f"{_t('appended', lang)} {len(result.actions)} {_t('events_to', lang)} {target}{colon}")
    for a in result.actions:
        kind = ctype.lifecycle.event_label(a.kind, lang)
        when = f"{a.date.isoformat()} {a.time.isoformat('minutes')}" if a.time else a.date
        print(f"  {a.issue} {when} {_named(kind, a.rule, lang)}")
    return 0


def _apply_to_store(
    args: argparse.Namespace, manager: PluginManager, ledger: Ledger, actions: tuple[Action, ...]
) -> str:
    """Append ``actions`` to the store's campaign in one transaction, each issue's history as
    it was assessed (a write that came first is a conflict: nothing is appended, and a
    second run assesses again, so applying twice never appends twice)."""
    grouped: dict[str, list[IssueEvent]] = {}
    for action in actions:
        grouped.setdefault(action.issue, []).append(action.to_event())
    seen = {iid: len(ledger.issue_index[iid].events) for iid in grouped}
    store = open_store(args.ledger, manager)
    try:
        store.append_many(ledger.campaign.id, grouped, author=args.author, expect=seen)
    finally:
        store.close()
    manager.notify(
        "campaignkit_actions_applied",
        ledger=ledger.with_events(grouped),
        actions=actions,
        campaign_type=manager.campaign_type(ledger.campaign.type),
    )
    return f"{store.url} ({ledger.campaign.id})"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``overdue`` and ``escalate``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("ledger", help=SOURCE_HELP)
    add_campaign_option(common)
    common.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="date to evaluate (YYYY-MM-DD; default: the report date, else the campaign's end)",
    )
    common.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the output (default zh)"
    )
    p = sub.add_parser(
        "overdue",
        parents=[common],
        help="list issues due soon, warned or overdue, by level and department",
    )
    p.set_defaults(func=cmd_overdue)
    p = sub.add_parser(
        "escalate",
        parents=[common],
        help="show the actions escalation rules propose (--apply appends them)",
    )
    p.add_argument(
        "--apply",
        action="store_true",
        help="append the proposed actions to the ledger file (atomically) or the store",
    )
    p.add_argument(
        "--author",
        default="campaignkit escalate",
        help="who the store's write history names for applied actions "
        "(default: campaignkit escalate)",
    )
    p.set_defaults(func=cmd_escalate)
