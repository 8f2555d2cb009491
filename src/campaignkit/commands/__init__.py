"""Subcommands of the ``campaignkit`` command line, one module per group.

Each module defines ``register(subparsers)`` that adds its subcommands; each
subcommand sets ``func(args, manager) -> int`` as its default. The command
line registers every module of this package, in name order.
"""
