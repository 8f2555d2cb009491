"""``campaignkit validate``: check a ledger file and list every problem."""

from __future__ import annotations

import argparse

from campaignkit.io import load
from campaignkit.manager import PluginManager

__all__ = ["register"]


def cmd_validate(args: argparse.Namespace, manager: PluginManager) -> int:
    """Check a ledger file; problems are printed by the caller, one per line."""
    ledger = load(args.ledger, manager=manager)
    print(
        f"{args.ledger}: ok ({len(ledger.enterprises)} enterprises, "
        f"{len(ledger.activities)} activities, {len(ledger.issues)} issues, "
        f"{len(ledger.outcomes)} outcomes)"
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate``."""
    p = sub.add_parser("validate", help="check a ledger file and list every problem")
    p.add_argument("ledger", help="ledger JSON file (or a folder holding ledger.json)")
    p.set_defaults(func=cmd_validate)
