"""``campaignkit import`` and ``campaignkit template``: the campaign office's workbook.

``import BOOK.xlsx --base LEDGER -o OUT.json`` merges the workbook's rows
into the base ledger and writes the result atomically (``-o`` may name the
base itself); every record a row names is listed first (added, updated with
the columns changed, or unchanged), ``--dry-run`` lists them and writes
nothing; nothing is written when any row has a problem, and every problem is
printed as ``BOOK.xlsx: 问题台账!C7: …``.

``template OUT.xlsx`` writes an empty workbook in the import layout (问题台账,
企业名录, 活动记录, 成果, with drop-down lists; ``--base LEDGER`` adds its regions
and teams to the lists).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from campaignkit.cli.commands.report import load_with_progress, write_output
from campaignkit.cli.progress import Progress
from campaignkit.cli.sources import add_campaign_option, is_store, open_store, workspace
from campaignkit.errors import CampaignkitError
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import Phrase
from campaignkit.io import dumps
from campaignkit.workbook.excel import import_workbook
from campaignkit.workbook.xlsx import template_workbook

__all__ = ["register"]


def cmd_import(args: argparse.Namespace, manager: PluginManager) -> int:
    """Merge a workbook into a base ledger and write the new ledger."""
    zh = args.lang == "zh"
    if args.write and not is_store(args.base):
        raise CampaignkitError(Phrase("excel-write-needs-store", {"base": args.base}))
    if args.write and not args.author:
        raise CampaignkitError(Phrase("store-author-needed"))
    with Progress("") as bar:
        base = workspace(
            argparse.Namespace(ledger=args.base, campaign=args.campaign, lang=args.lang),
            manager,
            lambda path: load_with_progress(path, manager, bar, args.lang),
        ).ledger
        bar.stage(("读取 " if zh else "reading ") + Path(args.book).name)
        result = import_workbook(
            args.book,
            base,
            manager=manager,
            base_source=args.base,
            progress=bar.update,
        )
    for change in result.listing(args.lang):
        print(change)
    line = result.describe(args.lang)
    if args.dry_run:
        print(f"{args.book}: " + Phrase("change.not-written", {"line": line}).text(args.lang))
        return 0
    if args.write:  # into the store, in one transaction
        store = open_store(args.base, manager)
        try:
            writes = store.merge(result.ledger, author=args.author, base=base)
        finally:
            store.close()
        shown = store.url
        sep = "; " if args.lang == "en" else "；"
        done = Phrase("store-writes", {"n": len(writes)}).text(args.lang)
        print(f"{shown} ({base.campaign.id}): {line}{sep}{done}")
        return 0
    # -o may name a base ledger file (the merged ledger replaces it), never a store's files
    read = args.base if is_store(args.base) else None
    target = write_output(args.output, dumps(result.ledger), read=read)
    manager.notify("campaignkit_ledger_saved", path=str(target), ledger=result.ledger)
    print(f"{target}: {line}")
    return 0


def cmd_template(args: argparse.Namespace, manager: PluginManager) -> int:
    """Write an empty workbook in the import layout."""
    zh = args.lang == "zh"
    base = None
    if args.base:  # a ledger file, or a store's campaign (``--campaign``)
        with Progress("") as bar:
            base = workspace(
                argparse.Namespace(ledger=args.base, campaign=args.campaign, lang=args.lang),
                manager,
                lambda path: load_with_progress(path, manager, bar, args.lang),
            ).ledger
    ctype = manager.campaign_type(base.campaign.type if base is not None else args.type)
    target = write_output(args.output, template_workbook(ctype, base), read=args.base)
    label = ctype.label.get(args.lang)
    print(f"{target}: 导入模板（{label}）" if zh else f"{target}: import template ({label})")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import`` and ``template``."""
    p = sub.add_parser(
        "import",
        help="merge a workbook (问题台账, 企业名录, 活动记录, 成果) into a ledger",
        description=(__doc__ or "").split("\n\n")[1],
    )
    p.add_argument("book", help="the workbook (.xlsx)")
    p.add_argument(
        "--base",
        required=True,
        metavar="LEDGER",
        help="ledger to merge into: it holds the campaign, regions, working groups and teams "
        "(or a store URL: see --write)",
    )
    add_campaign_option(p)
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--output", "-o", metavar="PATH", help="write the merged ledger here")
    out.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would change, record by record, and write nothing",
    )
    out.add_argument(
        "--write",
        action="store_true",
        help="write the changes into the --base store, in one transaction (needs --author)",
    )
    p.add_argument("--author", help="who the store's write history names (with --write)")
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the listing and messages",
    )
    p.set_defaults(func=cmd_import)

    t = sub.add_parser(
        "template",
        help="write an empty workbook in the import layout",
        description=(__doc__ or "").split("\n\n")[2],
    )
    t.add_argument("output", metavar="OUT.xlsx", help="the workbook to write")
    t.add_argument(
        "--base",
        metavar="LEDGER",
        help="offer this ledger's regions and teams in the lists (or a store URL's campaign)",
    )
    add_campaign_option(t)
    t.add_argument(
        "--type",
        default="sisong-yifu",
        metavar="KEY",
        help="campaign type when no --base is given (default sisong-yifu)",
    )
    t.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the message")
    t.set_defaults(func=cmd_template)
