"""``campaignkit report``: the report of a ledger in any registered format.

``report LEDGER`` prints the text report; ``--format`` picks any formatter
(``campaignkit plugins`` lists those plugins add), ``--output`` writes a file
atomically (binary formats such as xlsx need it). ``--by category`` shows
the issues by category as the main table. Personal contact data is masked
unless ``--show-personal`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from campaignkit.cli.commands import check_as_of, iso_date, say
from campaignkit.cli.progress import Progress
from campaignkit.cli.sources import (
    SOURCE_HELP,
    add_campaign_option,
    files_of,
    ledger_path,
    workspace,
)
from campaignkit.errors import CampaignkitError
from campaignkit.hooks.manager import PluginManager, builtin_plugins
from campaignkit.i18n.catalogue import Phrase, os_error
from campaignkit.io import atomic_write, loads
from campaignkit.ledgerfile.reading import read_input
from campaignkit.model.ledger import Ledger
from campaignkit.report.build import build_report, render
from campaignkit.report.tables import BY_CHOICES
from campaignkit.rules.records import ReportFormatter

__all__ = ["load_with_progress", "refuse_writing_over", "register", "write_output", "write_stdout"]


def load_with_progress(path: str, manager: PluginManager, bar: Progress, lang: str) -> Ledger:
    """Load and validate a ledger file, moving ``bar`` while a large file is read.

    The file is read as :func:`campaignkit.load` reads it: at most
    ``CAMPAIGNKIT_MAX_BYTES`` bytes (1 GiB by default), a pipe or device refused as
    soon as what it gives cannot be a ledger (:mod:`campaignkit.ledgerfile.reading`).
    """
    p = ledger_path(path)
    reading = "读取" if lang == "zh" else "reading"
    bar.stage(f"{reading} {p.name}")

    def moved(done: int, total: int | None) -> None:
        bar.update(done, total)

    data = read_input(p, progress=moved)
    bar.stage("校验台账" if lang == "zh" else "checking the ledger")
    return loads(data, manager=manager, source=str(p))


def refuse_writing_over(path: str, read: str | None) -> None:
    """Refuse ``path`` as an output: a folder, or the file the command reads (``read``: a
    ledger file, a folder, a store's URL), by any name, or a store's own side file.
    Asked before the work, so nothing is computed for an output that cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise CampaignkitError(Phrase("cannot-write-folder", {"path": path}))
    for n, source in enumerate(files_of(read) if read is not None else ()):
        if _same_file(target, source):
            if n == 0:
                raise CampaignkitError(Phrase("output-is-input", {"path": path}))
            # an SQLite store's journal, index or lock: written over, the store breaks
            raise CampaignkitError(
                Phrase("output-is-store-file", {"path": path, "file": str(source)})
            )


def write_output(path: str, data: bytes, *, read: str | None = None) -> Path:
    """Write ``data`` to ``path`` atomically, with a clear error when that is impossible.

    ``read`` is the ledger argument the command read (a file, a folder, a store's URL):
    writing over the file it names (by any name) is refused, since the output is not a
    ledger and the records would be lost.
    """
    target = Path(path)
    refuse_writing_over(path, read)
    if path.endswith(("/", os.sep)):  # a folder meant, and there is none
        raise CampaignkitError(Phrase("cannot-write-no-folder", {"path": path, "folder": path}))
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        code = "cannot-write-not-folder" if folder.exists() else "cannot-write-no-folder"
        raise CampaignkitError(Phrase(code, {"path": path, "folder": str(folder)}))
    try:
        return atomic_write(target, data)
    except OSError as exc:
        raise CampaignkitError(
            Phrase("cannot-write", {"path": path, "reason": os_error(exc)})
        ) from None


def _suffix(output: str | None) -> str:
    """The output file's extension as a format writes it: ``r.HTM`` → ``html``."""
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return "html" if suffix == "htm" else suffix


def _same_file(target: Path, source: Path) -> bool:
    """True if ``target`` names the file ``source`` (by any name: relative or absolute,
    through a link); for a file not there yet, if the two name one path."""
    with contextlib.suppress(OSError):
        if target.exists() and source.exists():
            return os.path.samefile(target, source)
        return target.resolve() == source.resolve()
    return False


def _format_for(
    output: str | None, formatters: Mapping[str, ReportFormatter], manager: PluginManager
) -> str:
    """The format a report goes out in when none is named: from the output file's
    extension (``.xlsx`` → xlsx, ``.md`` → markdown …), else terminal text.

    A built-in format wins over a plugin's that writes the same extension (a
    plugin's weekly ``.txt`` does not take over ``report.txt``); two plugin
    formats for one extension, and no built-in one, is an error asking for
    ``--format``.
    """
    suffix = _suffix(output)
    if not suffix:
        return "text"
    matching = [n for n, f in formatters.items() if suffix in (f.extension, n)]
    builtin = set(builtin_plugins())
    own = [n for n in matching if manager.owner("campaignkit_report_formatters", n) in builtin]
    if own or len(matching) == 1:
        return (own or matching)[0]
    if matching:
        raise CampaignkitError(
            Phrase("several-formats", {"suffix": suffix, "names": ", ".join(matching)})
        )
    return "text"


def cmd_report(args: argparse.Namespace, manager: PluginManager) -> int:
    """Render the report of a ledger to stdout or a file."""
    if args.output:
        refuse_writing_over(args.output, args.ledger)
    formatters = manager.report_formatters()
    suffix = _suffix(args.output)
    warning: Phrase | None = None
    if args.format is None:
        args.format = _format_for(args.output, formatters, manager)
        chosen = formatters.get(args.format)
        if chosen is not None and suffix and suffix not in (chosen.extension, args.format):
            warning = Phrase("extension-without-format", {"suffix": suffix, "name": args.format})
    else:
        wanted = formatters.get(args.format)
        if wanted is not None and suffix and suffix not in (wanted.extension, args.format):
            warning = Phrase("format-to-other-extension", {"name": args.format, "suffix": suffix})
    if warning is not None:
        say("warning", warning.text(args.lang))
    formatter = formatters.get(args.format)
    if formatter is None:
        clash = manager.clash("campaignkit_report_formatters", args.format)
        if clash is not None:
            raise clash
        raise CampaignkitError(
            Phrase(
                "unknown-report-format", {"name": args.format, "available": ", ".join(formatters)}
            )
        )
    if formatter.binary and not args.output:
        raise CampaignkitError(
            Phrase("binary-format", {"name": args.format, "extension": formatter.extension})
        )
    zh = args.lang == "zh"
    with Progress("") as bar:
        ws = workspace(
            args, manager, lambda path: load_with_progress(path, manager, bar, args.lang)
        )
        ledger = ws.ledger
        # the format as the ledger's campaign type has it (a plugin may replace it there)
        formatter = manager.report_formatters(ledger.campaign.type).get(args.format, formatter)
        if formatter.binary and not args.output:
            raise CampaignkitError(
                Phrase("binary-format", {"name": args.format, "extension": formatter.extension})
            )
        bar.stage("计算" if zh else "computing")
        report = build_report(
            ledger,
            manager=manager,
            as_of=check_as_of(args.as_of, ledger),
            lang=args.lang,
            by="region" if args.by == "region" else "team",
            workspace=ws,
        )
        bar.stage(("生成 " if zh else "rendering ") + args.format)
        # through render(): a formatter that raises, hangs or returns no bytes
        # is a clear error naming it and its plugin
        data = render(
            report,
            args.format,
            manager=manager,
            by=args.by,
            show_personal=args.show_personal,
            include_charts=not args.no_charts,
        )
    if args.output:
        target = write_output(args.output, data, read=args.ledger)
        label = formatter.label.get(args.lang)
        size = f"{label}，{len(data):,} 字节" if zh else f"{label}, {len(data):,} bytes"
        print(f"{target}: {size}")
        return 0
    write_stdout(data)
    return 0


def write_stdout(data: bytes) -> None:
    """Write all of ``data`` to stdout, also when stdout is unbuffered (short writes)."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # pragma: no cover - a text-only stdout
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    view = memoryview(data)
    while view:
        written = out.write(view)
        view = view[written or 0 :]
    out.flush()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report``."""
    p = sub.add_parser(
        "report",
        help="the report of a ledger: text, markdown, csv, json, html, xlsx or a plugin's format",
        description=(__doc__ or "").split("\n\n")[1],
    )
    p.add_argument("ledger", help=SOURCE_HELP)
    add_campaign_option(p)
    p.add_argument(
        "--format",
        "-f",
        default=None,
        metavar="FORMAT",
        help=(
            "text, markdown, csv, json, html, xlsx, or a format a plugin adds "
            "(default: from the --output extension, else text)"
        ),
    )
    p.add_argument("--output", "-o", metavar="PATH", help="write to this file (atomically)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language (default zh)")
    p.add_argument(
        "--by",
        choices=BY_CHOICES,
        default="team",
        help="main table by team (default), region, or issues by category",
    )
    p.add_argument("--as-of", type=iso_date, metavar="DATE", help="figures as of this date")
    p.add_argument(
        "--show-personal",
        action="store_true",
        help="show personal contact data unmasked (masked by default)",
    )
    p.add_argument("--no-charts", action="store_true", help="leave charts out of the HTML page")
    p.set_defaults(func=cmd_report)
