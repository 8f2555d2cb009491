"""``campaignkit summary`` and ``campaignkit reconcile``: figures from records; checking a draft.

``summary LEDGER`` prints ``{metric id: value}`` for every metric of the
ledger's campaign type (``--headline``: the summary-table columns only);
``--by team|region`` prints the summary table (汇总表) instead. In JSON,
counts are numbers and exact decimals (yuan, mu, rates) are strings, so
nothing is rounded on the way. CSV is written as the report's CSV is: UTF-8
with a byte-order mark, CRLF line ends, no text cell a spreadsheet would
run as a formula, every unit in the header (``拟投资（元）``) and rates in percent
(``59.45``, the unit ``%``); the table by team or region is the report's CSV.

``reconcile LEDGER CLAIMS`` prints one line for each claimed figure that the
records do not support and exits 1 when there is any, 0 when all agree.
"""

from __future__ import annotations

import argparse

import orjson
from tabulate import tabulate

from campaignkit.cli.commands import check_as_of, iso_date
from campaignkit.cli.commands.report import write_stdout
from campaignkit.cli.helptext import OUTPUT_FORMAT
from campaignkit.cli.sources import SOURCE_HELP, add_campaign_option, workspace
from campaignkit.errors import LedgerError
from campaignkit.hooks.manager import PluginManager
from campaignkit.report.data import CsvCell, csv_bytes, table_rows
from campaignkit.report.tables import Redactor, raw, summary_as_table
from campaignkit.stats.metrics import Number, compute_all, make_context
from campaignkit.stats.narrative import format_number
from campaignkit.stats.reconcile import Claim, load_claims, reconcile
from campaignkit.stats.summary import json_value, summary_table

__all__ = ["register"]


def _json(data: object) -> str:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


def cmd_summary(args: argparse.Namespace, manager: PluginManager) -> int:
    """Print the figures of a ledger, or its summary table with ``--by``."""
    ws = workspace(args, manager)
    ledger = ws.ledger
    ctx = make_context(ledger, manager=manager, as_of=check_as_of(args.as_of, ledger), workspace=ws)
    lang = args.lang
    if args.by:
        table = summary_table(ctx, by=args.by, lang=lang)
        if args.format == "json":
            rows = [
                {k: json_value(v) if k != table.by else v for k, v in row.items()}
                for row in table.to_rows()
            ]
            print(_json(rows))
        elif args.format == "csv":  # as the report's CSV: units named, rates in percent
            write_stdout(csv_bytes(table_rows(summary_as_table(table, lang, Redactor()))))
        else:
            headers = [next(iter(table.to_rows(labels=True)[0]))]
            headers += [
                _with_unit(c.label, c.unit) if c.unit and c.value_kind == "count" else c.label
                for c in table.columns
            ]
            body = [
                [
                    row.label,
                    *(_cell(row.values.get(c.metric), c.value_kind, lang) for c in table.columns),
                ]
                for row in (*table.rows, table.total)
            ]
            print(table.title)
            print(tabulate(body, headers=headers, disable_numparse=True, stralign="right"))
        return 0
    ctype = ctx.campaign_type
    ids = list(ctype.summary_columns) if args.headline else [m.id for m in ctype.metrics]
    results = compute_all(ctx, ids, lang=lang)
    if args.format == "json":
        print(_json({mid: json_value(r.value) for mid, r in results.items()}))
    elif args.format == "csv":
        head: list[CsvCell] = ["metric", "label", "unit", "value"]
        figures = [[mid, r.label, r.unit, raw(r.value, r.value_kind)] for mid, r in results.items()]
        write_stdout(csv_bytes([head, *figures]))
    else:
        body = [
            [
                mid,
                r.label,
                "—" if r.value is None else format_number(r.value, r.value_kind, r.unit, lang),
            ]
            for mid, r in results.items()
        ]
        headers = ["指标", "名称", "数值"] if lang == "zh" else ["metric", "label", "value"]
        print(
            tabulate(
                body, headers=headers, disable_numparse=True, colalign=("left", "left", "right")
            )
        )
    return 0


def _with_unit(label: str, unit: str) -> str:
    """A header with its unit on a line of its own, in brackets of the unit's language."""
    return f"{label}\n({unit})" if unit.isascii() else f"{label}\n（{unit}）"


def _cell(value: Number | None, value_kind: str, lang: str) -> str:
    """A table cell: amounts in 万元/亿元 and mu as a report writes them, counts bare."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    return format_number(value, value_kind, "", lang)


def _claims(args: argparse.Namespace, manager: PluginManager) -> tuple[Claim, ...]:
    """The claims file's claims. When it has problems, and the ledger can be read, they
    are reported with those only the ledger's campaign type tells (an unknown metric, a
    unit the figure is not counted in): every problem of the file in one run."""
    try:
        return load_claims(args.claims)
    except LedgerError as problems:
        try:
            ctx = make_context(workspace(args, manager).ledger, manager=manager)
        except LedgerError:
            raise problems from None
        return load_claims(args.claims, campaign_type=ctx.campaign_type)


def cmd_reconcile(args: argparse.Namespace, manager: PluginManager) -> int:
    """Check claimed figures against the records; exit 1 when any differs."""
    try:
        claims = _claims(args, manager)
        ledger = workspace(args, manager).ledger
        found = reconcile(
            ledger, claims, manager=manager, as_of=check_as_of(args.as_of, ledger), lang=args.lang
        )
    except LedgerError as exc:
        raise LedgerError(exc.problems, exc.source) from None
    if args.format == "json":
        print(
            _json(
                [
                    {
                        "metric": d.claim.metric,
                        "label": d.computed.label,
                        "claimed": json_value(d.claim.value),
                        "computed": json_value(d.figure),
                        "difference": json_value(d.difference),
                        "records": d.computed.records,
                        "quote": d.claim.quote,
                        "provenance": list(d.computed.provenance),
                    }
                    for d in found
                ]
            )
        )
    else:
        for d in found:
            print(d.describe(args.lang))
            if args.records:
                print("    " + " ".join(d.computed.provenance))
        if not found:
            agree = len(claims)
            print(
                f"{agree} 项报告数字与记录一致"
                if args.lang == "zh"
                else f"all {agree} claims agree with the records"
            )
    return 1 if found else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``summary`` and ``reconcile``."""
    p = sub.add_parser(
        "summary",
        help="print every figure of a ledger ({metric id: value}) or its summary table",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    p.add_argument("ledger", help=SOURCE_HELP)
    add_campaign_option(p)
    p.add_argument("--format", choices=("text", "json", "csv"), default="text", help=OUTPUT_FORMAT)
    p.add_argument(
        "--by", choices=("team", "region"), help="print the summary table by team or region"
    )
    p.add_argument(
        "--headline", action="store_true", help="only the headline figures (the table's columns)"
    )
    p.add_argument("--as-of", type=iso_date, metavar="DATE", help="figures as of this date")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of labels")
    p.set_defaults(func=cmd_summary)

    r = sub.add_parser(
        "reconcile",
        help="check a draft's claimed figures against the records (exit 1 when any differs)",
    )
    r.add_argument("ledger", help=SOURCE_HELP)
    add_campaign_option(r)
    r.add_argument("claims", help='claims JSON file: {"claims": {metric id: value, ...}}')
    r.add_argument("--format", choices=("text", "json"), default="text", help=OUTPUT_FORMAT)
    r.add_argument("--as-of", type=iso_date, metavar="DATE", help="figures as of this date")
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the lines")
    r.add_argument(
        "--records", action="store_true", help="list the ids of the records behind each figure"
    )
    r.set_defaults(func=cmd_reconcile)
