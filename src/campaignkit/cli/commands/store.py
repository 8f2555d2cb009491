"""``campaignkit store``: a campaign store (SQLite or PostgreSQL) from the command line.

``store init URL`` creates (or upgrades) a store; ``store import URL LEDGER``
imports a ledger file as a new campaign; ``store export URL -o FILE`` writes a
campaign back as a ledger file, byte for byte what ``campaignkit.dumps`` writes,
and ``store export URL --format parquet -o FOLDER`` writes it as one Parquet
file per table, for DuckDB, Spark or pandas.
``store append URL ISSUE KIND --date DATE --author WHO`` appends one
event to an issue, checked by the lifecycle, for staff who do not write
Python. ``store history`` lists the write history, ``store rederive`` derives
the views again after a calendar or plugin change. Every write names its
author (``--author``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from campaignkit.cli.commands import iso_date
from campaignkit.cli.commands.report import write_output
from campaignkit.cli.output import say
from campaignkit.cli.sources import campaign_of, open_store
from campaignkit.errors import CampaignkitError, LedgerError, Problem
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import Phrase
from campaignkit.io import load_workspace
from campaignkit.ledgerfile.converter import converter, entry_problems
from campaignkit.model.records import IssueEvent
from campaignkit.rules.records import Label

__all__ = ["register"]

_T = {
    "ready": Label("数据库已就绪", "store ready"),
    "campaigns": Label("个活动", "campaign(s)"),
    "imported": Label("已导入", "imported"),
    "exported": Label("已导出", "exported"),
    "row": Label("行", "row"),
    "rows": Label("行", "rows"),
    "appended": Label("已追加", "appended"),
    "to": Label("到", "to"),
    "write": Label("写入编号", "write"),
    "rederived": Label(
        "已重新派生，派生视图有变化的问题", "derived again; issues whose views changed"
    ),
    "id": Label("编号", "id"),
    "at": Label("时间（UTC）", "at (UTC)"),
    "author": Label("写入者", "author"),
    "action": Label("操作", "action"),
    "record": Label("记录", "record"),
    "stale": Label("派生视图已过期", "derived views are stale"),
    "current": Label("派生视图为最新", "derived views are current"),
}


def _t(key: str, lang: str) -> str:
    return _T[key].get(lang)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def _at_least(least: int) -> Callable[[str], int]:
    """The argument type of a whole number of at least ``least`` (else a usage error)."""

    def count(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = least - 1
        if value < least:
            raise argparse.ArgumentTypeError(
                f"expected a whole number of at least {least}, got {text!r}"
            )
        return value

    return count


def cmd_init(args: argparse.Namespace, manager: PluginManager) -> int:
    """Create or upgrade the store and list its campaigns."""
    store = open_store(args.url, manager, create=True)
    try:
        held = store.campaigns()
        url = store.url
    finally:
        store.close()
    lang = args.lang
    sep = ", " if lang == "en" else "，"
    print(f"{url}{_colon(lang)}{_t('ready', lang)}{sep}{len(held)} {_t('campaigns', lang)}")
    for campaign in held:
        print(f"  {campaign}")
    return 0


def cmd_import(args: argparse.Namespace, manager: PluginManager) -> int:
    """Import a ledger file as a new campaign of the store."""
    ws = load_workspace(args.ledger, manager=manager)
    try:
        from campaignkit.store.store import check_author
    except ImportError:  # the store extra is missing: open_store says so
        pass
    else:
        check_author(args.author)  # before a new store file is created for nothing
    store = open_store(args.url, manager, create=True)
    try:
        write = store.import_ledger(ws, author=args.author)
    finally:
        store.close()
    ledger = ws.ledger
    lang = args.lang
    print(
        f"{_t('imported', lang)} {ledger.campaign.id}{_colon(lang)}"
        f"{len(ledger.enterprises)} / {len(ledger.activities)} / {len(ledger.issues)} / "
        f"{len(ledger.outcomes)} ({_t('write', lang)} {write})"
    )
    return 0


def cmd_export(args: argparse.Namespace, manager: PluginManager) -> int:
    """Write a campaign of the store as a ledger file, or as Parquet files."""
    if args.format == "parquet":
        return _export_parquet(args, manager)
    store = open_store(args.url, manager)
    try:
        campaign = campaign_of(store, args.campaign)
        data = store.export(campaign)
    finally:
        store.close()
    target = write_output(args.output, data, read=args.url)  # never over the store itself
    print(f"{_t('exported', args.lang)} {campaign}{_colon(args.lang)}{target}")
    return 0


def _export_parquet(args: argparse.Namespace, manager: PluginManager) -> int:
    """Write a campaign of the store as one Parquet file per table into a new folder."""
    from campaignkit.store.parquet import export_parquet

    lang = args.lang
    store = open_store(args.url, manager)
    try:
        campaign = campaign_of(store, args.campaign)
        try:
            files = export_parquet(store, campaign, args.output)
        except ImportError:
            raise CampaignkitError(Phrase("parquet-needs-pyarrow")) from None
        if store.stale(campaign):
            say("warning", Phrase("store-export-stale", {"campaign": campaign}).text(lang))
    finally:
        store.close()
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # there: it wrote the files

    print(f"{_t('exported', lang)} {campaign}{_colon(lang)}{args.output}")
    for path in files:
        count = pq.read_metadata(path).num_rows
        rows = f"{count} {_t('row' if count == 1 else 'rows', lang)}"
        print(f"  {path} ({rows})" if lang == "en" else f"  {path}（{rows}）")
    return 0


_OPTIONS = {"kind": "KIND", "level": "--at-level"}
"""The argument of ``store append`` that gives each field of the event (else ``--field``)."""


def _option(path: str) -> str:
    """The argument that gave the event's field at ``path`` (``rating`` → ``--rating``)."""
    name = path.split(".")[0].split("[")[0]
    return _OPTIONS.get(name, f"--{name}")


def _event(args: argparse.Namespace) -> IssueEvent:
    doc: dict[str, Any] = {"kind": args.kind, "date": args.date.isoformat()}
    for name in ("time", "level", "department", "due", "stage", "rating", "by", "note"):
        value = getattr(args, name)
        if value is not None:
            doc[name] = value
    if args.deadline is not None:  # as the ledger file spells it: {"amount": 7, "unit": …}
        amount, unit = args.deadline
        doc["deadline"] = {"amount": _whole(amount), "unit": unit}
    problems = entry_problems(doc, IssueEvent, "")
    if problems:  # located at the argument that gave the value: ``--time: …``
        raise LedgerError(Problem(_option(p.path), p.phrase) for p in problems)
    event: IssueEvent = converter.structure(doc, IssueEvent)
    return event


def _whole(text: str) -> int | str:
    """``text`` as a whole number if it is one (else as given, for the check to word)."""
    try:
        return int(text)
    except ValueError:
        return text


def cmd_append(args: argparse.Namespace, manager: PluginManager) -> int:
    """Append one event to an issue of the store, checked by the lifecycle."""
    event = _event(args)
    store = open_store(args.url, manager)
    try:
        campaign = campaign_of(store, args.campaign)
        write = store.append_events(
            campaign, args.issue, [event], author=args.author, expect=args.expect
        )
    finally:
        store.close()
    lang = args.lang
    print(
        f"{_t('appended', lang)} {event.kind} {event.date.isoformat()} {_t('to', lang)} "
        f"{campaign} / {args.issue} ({_t('write', lang)} {write})"
    )
    return 0


def cmd_rederive(args: argparse.Namespace, manager: PluginManager) -> int:
    """Derive the views of a campaign again under today's plugins and calendar data."""
    store = open_store(args.url, manager)
    try:
        campaign = campaign_of(store, args.campaign)
        changed = store.rederive(campaign, author=args.author)
    finally:
        store.close()
    print(f"{campaign}{_colon(args.lang)}{_t('rederived', args.lang)} {changed}")
    return 0


def cmd_history(args: argparse.Namespace, manager: PluginManager) -> int:
    """List a campaign's write history, newest last."""
    store = open_store(args.url, manager)
    try:
        campaign = campaign_of(store, args.campaign)
        writes = store.writes(campaign)
        stale = store.stale(campaign)
    finally:
        store.close()
    lang = args.lang
    shown = writes[-args.recent :] if args.recent else writes
    headers = [_t(k, lang) for k in ("id", "at", "author", "action", "record")]
    rows = [
        [
            w.id,
            w.at.isoformat(sep=" ", timespec="seconds"),
            w.author,
            w.action,
            f"{w.kind}/{w.record_id}" if w.record_id else "",
        ]
        for w in shown
    ]
    print(tabulate(rows, headers, tablefmt="simple", disable_numparse=True))
    print(_t("stale" if stale else "current", lang))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``store`` and its subcommands."""
    p = sub.add_parser(
        "store",
        help="a campaign store in SQLite or PostgreSQL: init, import, export, append, history",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    p.add_argument(  # as anywhere on the line: ``store --lang en history …``
        "--lang",
        choices=("zh", "en"),
        default=argparse.SUPPRESS,
        help="language of the output (default zh); also taken after the subcommand",
    )
    group = p.add_subparsers(dest="store_command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("url", help="the store: sqlite:///FILE or postgresql://USER@HOST/DB")
    common.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the output (default zh)"
    )
    campaign = argparse.ArgumentParser(add_help=False)
    campaign.add_argument(
        "--campaign", metavar="ID", help="the campaign (needed when the store holds several)"
    )
    author = argparse.ArgumentParser(add_help=False)
    author.add_argument(
        "--author", required=True, help="who makes the write (team, department or person)"
    )

    s = group.add_parser("init", parents=[common], help="create or upgrade a store")
    s.set_defaults(func=cmd_init)

    s = group.add_parser(
        "import", parents=[common, author], help="import a ledger file as a new campaign"
    )
    s.add_argument("ledger", help="ledger JSON file (or a folder holding ledger.json)")
    s.set_defaults(func=cmd_import)

    s = group.add_parser(
        "export",
        parents=[common, campaign],
        help="write a campaign as a ledger file, or as Parquet files",
    )
    s.add_argument(
        "--format",
        choices=("json", "parquet"),
        default="json",
        help="json: the ledger file (the default); parquet: one Parquet file per table "
        "(records, events, derived views, writes) in a folder, for DuckDB, Spark or pandas "
        "(needs pyarrow)",
    )
    s.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="the ledger file; with --format parquet, a folder that does not exist yet (or is "
        "empty)",
    )
    s.set_defaults(func=cmd_export)

    s = group.add_parser(
        "append",
        parents=[common, campaign, author],
        help="append one event to an issue (checked by the lifecycle)",
    )
    s.add_argument("issue", help="the issue's id")
    s.add_argument("kind", help="the event kind (assigned, feedback, resolved, …)")
    s.add_argument("--date", type=iso_date, required=True, help="the event's date (YYYY-MM-DD)")
    s.add_argument("--time", help="its time of day (HH:MM), where a clock counts hours")
    s.add_argument("--at-level", dest="level", help="handling level (county, city, province …)")
    s.add_argument("--department", help="responsible unit (责任单位)")
    s.add_argument(
        "--due", metavar="DATE", help="an explicit due date (YYYY-MM-DD), as from a document"
    )
    s.add_argument(
        "--deadline",
        nargs=2,
        metavar=("N", "UNIT"),
        help="a time limit counted from the event: N hours, days or working_days "
        "(such as --deadline 30 days)",
    )
    s.add_argument("--stage", help="the deadline stage it concerns")
    s.add_argument("--rating", help="satisfaction on a return visit")
    s.add_argument("--by", help="the team that recorded it")
    s.add_argument("--note", help="free text")
    s.add_argument(
        "--expect",
        type=_at_least(0),
        metavar="N",
        help="the number of events you saw in the history: refuse if it changed since",
    )
    s.set_defaults(func=cmd_append)

    s = group.add_parser(
        "rederive",
        parents=[common, campaign, author],
        help="derive the views again after a calendar or plugin change",
    )
    s.set_defaults(func=cmd_rederive)

    s = group.add_parser("history", parents=[common, campaign], help="list the write history")
    s.add_argument("--recent", type=_at_least(1), metavar="N", help="only the most recent N writes")
    s.set_defaults(func=cmd_history)
