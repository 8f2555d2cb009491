"""The ``campaignkit`` command line.

Subcommands live in :mod:`campaignkit.commands`. Errors go to stderr, one
clear line each, and the exit status is non-zero; a traceback is shown only
with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence

from campaignkit.errors import CampaignkitError, LedgerError
from campaignkit.manager import PluginManager, new_plugin_manager

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _manager(args: argparse.Namespace) -> PluginManager:
    pm = new_plugin_manager(args.plugin or (), blocked=args.block or ())
    for problem in pm.load_errors:
        print(f"warning: {problem}", file=sys.stderr)
    return pm


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (exposed for docs and tests)."""
    import campaignkit.commands

    parser = argparse.ArgumentParser(
        prog="campaignkit",
        description="Records, statistics and reports for enterprise-service campaigns (四送一服).",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument(
        "--plugin",
        action="append",
        metavar="MODULE",
        help="load a plugin module by name (repeatable)",
    )
    parser.add_argument(
        "--block", action="append", metavar="NAME", help="do not load this plugin (repeatable)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(campaignkit.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"campaignkit.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace, PluginManager], int] = args.func
    try:
        return func(args, _manager(args))
    except LedgerError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (CampaignkitError, KeyError, ValueError, OSError) as exc:
        if args.debug:
            raise
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
