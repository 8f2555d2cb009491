"""Subcommands of the ``campaignkit`` command line, one module per group.

Each module defines ``register(subparsers)`` that adds its subcommands; each
subcommand sets ``func(args, manager) -> int`` as its default. The command
line registers every module of this package, in name order.
"""

from __future__ import annotations

import argparse
from datetime import date

from campaignkit.cli.output import say
from campaignkit.errors import LedgerError, Problem
from campaignkit.model.ledger import Ledger
from campaignkit.model.limits import MAX_YEARS, latest_date

__all__ = ["check_as_of", "iso_date", "say"]


def check_as_of(day: date | None, ledger: Ledger) -> date | None:
    """``--as-of`` (None: not given) checked against the ledger: no later than ten years
    after the campaign ends, the last date a record may carry
    (:func:`~campaignkit.model.limits.latest_date`)."""
    latest = latest_date(ledger.campaign.period.end)
    if day is not None and day > latest:
        raise LedgerError(
            [
                Problem.of(
                    "as-of-too-late",
                    "--as-of",
                    day=day.isoformat(),
                    latest=latest.isoformat(),
                    years=MAX_YEARS,
                )
            ]
        )
    return day


def iso_date(text: str) -> date:
    """The ``--as-of`` argument type: a date written ``YYYY-MM-DD`` (else a usage error)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None
