"""Subcommands of the ``campaignkit`` command line, one module per group.

Each module defines ``register(subparsers)`` that adds its subcommands; each
subcommand sets ``func(args, manager) -> int`` as its default. The command
line registers every module of this package, in name order.
"""

from __future__ import annotations

import argparse
from datetime import date

__all__ = ["iso_date"]


def iso_date(text: str) -> date:
    """The ``--as-of`` argument type: a date written ``YYYY-MM-DD`` (else a usage error)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None
