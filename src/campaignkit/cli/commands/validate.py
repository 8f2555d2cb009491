"""``campaignkit validate``: check a ledger file and list every problem."""

from __future__ import annotations

import argparse

from campaignkit.cli.sources import (
    SOURCE_HELP,
    add_campaign_option,
    file_campaign,
    is_store,
    workspace,
)
from campaignkit.errors import LedgerError
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.messages import LANGUAGES
from campaignkit.io import load, validate

__all__ = ["register"]


def cmd_validate(args: argparse.Namespace, manager: PluginManager) -> int:
    """Check a ledger file or a store's campaign; problems are printed by the caller, one
    per line."""
    if is_store(args.ledger):
        ws = workspace(args, manager)
        ledger = ws.ledger
        problems = validate(ledger, manager, ledger.campaign.id, workspace=ws)
        if problems:
            raise LedgerError(problems, ledger.campaign.id)
    else:
        ledger = load(args.ledger, manager=manager)
        file_campaign(args, ledger)
    e, a, i, o = (
        len(ledger.enterprises),
        len(ledger.activities),
        len(ledger.issues),
        len(ledger.outcomes),
    )
    if args.lang == "en":
        print(f"{args.ledger}: ok ({e} enterprises, {a} activities, {i} issues, {o} outcomes)")
    else:
        print(f"{args.ledger}: 无误（企业 {e} 家，活动 {a} 场，问题 {i} 个，成果 {o} 项）")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate``."""
    p = sub.add_parser("validate", help="check a ledger file and list every problem")
    p.add_argument("ledger", help=SOURCE_HELP)
    add_campaign_option(p)
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=LANGUAGES[0],
        help="language of the output (default zh)",
    )
    p.set_defaults(func=cmd_validate)
