"""The ``campaignkit`` command line.

Subcommands live in :mod:`campaignkit.cli.commands`. Errors go to stderr, one
clear line each, and the exit status is non-zero; a traceback is shown only
with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import pkgutil
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import Any, NoReturn

from campaignkit import __version__
from campaignkit.cli.commands import say
from campaignkit.cli.helptext import translate, wrap
from campaignkit.cli.progress import Progress
from campaignkit.errors import CampaignkitError, LedgerError
from campaignkit.hooks import watchdog
from campaignkit.hooks.manager import PluginManager, PluginProblem, new_plugin_manager
from campaignkit.i18n.catalogue import LANGUAGES, Phrase, literal, recognise
from campaignkit.i18n.messages import localise
from campaignkit.ledgerfile import reading

__all__ = [
    "COMMAND_ORDER",
    "Progress",
    "asked_lang",
    "build_parser",
    "lang_abbreviation",
    "main",
    "parsers",
]

VERSION_HELP = "show campaignkit's version and exit"

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE, as a shell reports a pipeline whose reader stopped early."""


def _manager(args: argparse.Namespace, lang: str) -> PluginManager:
    ignored = [found for found in (reading.ignored_setting(), watchdog.ignored_setting()) if found]
    _warn(ignored, lang)
    pm = new_plugin_manager(args.plugin or (), blocked=args.block or ())
    _warn(pm.load_errors, lang)
    for name in args.block or ():
        if not any(name in (s.name, s.distribution, s.target) for s in pm.blocked_plugins):
            known = ", ".join(pm.sources)
            _warn([Phrase("block-not-found", {"name": name, "loaded": known})], lang)
    return pm


_usage_lang: ContextVar[str] = ContextVar("campaignkit_usage_lang", default=LANGUAGES[0])
"""The language help and usage errors are worded in: the ``--lang`` the command line
asks for (Chinese by default)."""


_HEADING = re.compile(r"^([^\s:][^\n:]*[\u4e00-\u9fff]):$", re.M)
"""A section heading of the help in Chinese, with the colon argparse writes after it."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help, worded in the command's language (:mod:`campaignkit.cli.helptext`)
    and wrapped by display width (a Chinese character takes two columns)."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(translate(heading, _usage_lang.get()) if heading else heading)

    def format_help(self) -> str:
        text = super().format_help()
        if _usage_lang.get() == "zh":  # argparse puts an ASCII colon after a section heading
            text = _HEADING.sub("\\1：", text)
        return text

    def add_text(self, text: str | None) -> None:
        if text and text is not argparse.SUPPRESS:
            # descriptions are docstrings: their ``literals`` read plainly in a terminal
            text = translate(text, _usage_lang.get()).replace("``", "")
        super().add_text(text)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        found = super()._get_help_string(action)
        return translate(found, _usage_lang.get()) if found else found

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class _Parser(argparse.ArgumentParser):
    """argparse's parser: help and usage errors worded in the command's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)  # subcommands' parsers too
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {localise(message, _usage_lang.get())}\n")


def _warn(problems: Iterable[PluginProblem | Phrase], lang: str) -> None:
    """Print plugin problems as warnings (stderr gone: nothing more to say)."""
    try:
        for problem in problems:
            say("warning", problem.text(lang))
    except OSError:
        pass


def asked_lang(argv: Sequence[str], shortest: int = 4) -> str:
    """The ``--lang`` in ``argv`` as the argument parser will read it (the last one
    given, or an abbreviation of at least ``shortest`` characters: see
    :func:`lang_abbreviation`), before it does, else the default."""
    found = LANGUAGES[0]
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        option, eq, value = arg.partition("=")
        if len(option) < shortest or not "--lang".startswith(option):
            continue
        if not eq:
            value = argv[i + 1] if i + 1 < len(argv) else ""
        if value in LANGUAGES:
            found = value
    return found


def lang_abbreviation(parser: argparse.ArgumentParser) -> int:
    """How short ``--lang`` may be written: argparse takes any prefix no other option of
    the command line (of any command, to be safe) starts with."""
    others = {
        option
        for p in parsers(parser)
        for action in p._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--lang"
    }
    for size in range(3, len("--lang")):
        if not any(option.startswith("--lang"[:size]) for option in others):
            return size
    return len("--lang")


def parsers(parser: argparse.ArgumentParser) -> Iterable[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from parsers(sub)


COMMAND_ORDER = (
    "validate",
    "summary",
    "report",
    "reconcile",
    "overdue",
    "escalate",
    "import",
    "template",
    "store",
    "plugins",
)
"""The order ``campaignkit --help`` lists the commands in (others follow, by module)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (exposed for docs and tests)."""
    import campaignkit.cli.commands

    parser = _Parser(
        prog="campaignkit",
        description="Records, statistics and reports for enterprise-service campaigns (四送一服).",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help=VERSION_HELP
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
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,  # read by main from the whole line (see asked_lang)
        help="language of help, messages and output (default zh); also taken after the command",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(
        pkgutil.iter_modules(campaignkit.cli.commands.__path__), key=lambda i: i.name
    ):
        module = importlib.import_module(f"campaignkit.cli.commands.{info.name}")
        module.register(sub)
    # the help lists the commands in the order of the work, not of the modules
    order = {name: n for n, name in enumerate(COMMAND_ORDER)}
    sub._choices_actions.sort(key=lambda a: order.get(a.dest, len(order)))
    ordered = sorted(sub.choices.items(), key=lambda item: order.get(item[0], len(order)))
    sub.choices.clear()  # argparse's own table: "invalid choice" lists them in this order too
    sub.choices.update(ordered)
    return parser


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Help, errors and output are in the last ``--lang`` given anywhere on the
    line (``campaignkit --help --lang en``), Chinese by default.
    """
    parser = build_parser()
    words = sys.argv[1:] if argv is None else argv
    asked = asked_lang(words, lang_abbreviation(parser))
    token = _usage_lang.set(asked)
    try:
        args = parser.parse_args(argv)
    finally:
        _usage_lang.reset(token)
    func: Callable[[argparse.Namespace, PluginManager], int] = args.func
    # the last --lang on the line, before or after the command (as argparse reads it: a
    # command's own --lang, given or not, stands in for one before the command otherwise)
    lang = args.lang = asked
    pm: PluginManager | None = None
    seen = 0
    error: Phrase | None = None
    try:
        pm = _manager(args, lang)
        seen = len(pm.load_errors)
        return func(args, pm)
    except BrokenPipeError:
        # the reader went away (``campaignkit report … | head``): stop quietly
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except LedgerError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            say("error", problem.text(lang))
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        say("error", Phrase("interrupted").text(lang))
        return 130
    except Exception as exc:  # a plugin's mistake (or campaignkit's): one line, named
        if args.debug:
            raise
        error = _unexpected(exc, pm)
        say("error", error.text(lang))
        return EXIT_PROBLEMS
    finally:
        if pm is not None and args.command != "plugins":
            # problems found while the command asked the plugins (the listing shows its own;
            # a clash already printed as the error is not repeated)
            said = error.text("en") if error is not None else None
            _warn((p for p in pm.load_errors[seen:] if p.message != said), lang)


def _unexpected(exc: Exception, pm: PluginManager | None) -> Phrase:
    """What the command line says of an error: which plugin raised it, where, if one did."""
    culprit = pm.culprit(exc) if pm is not None and not isinstance(exc, CampaignkitError) else None
    if culprit is not None:
        name, where = culprit
        why = f"{type(exc).__name__}: {exc} ({where})"
        return Phrase("plugin-failed", {"plugin": name, "why": why})
    if isinstance(exc, CampaignkitError | ValueError | OSError | KeyError):
        first = exc.args[0] if exc.args else None
        if isinstance(first, Phrase):
            return first
        text = str(first) if isinstance(exc, KeyError) and exc.args else str(exc)
        # words of the packages that give no codes yet (campaignkit.stats, .derive)
        return recognise(text) or literal(text)
    return Phrase("unexpected", {"error": type(exc).__name__, "why": str(exc)})


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
