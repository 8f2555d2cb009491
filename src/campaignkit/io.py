"""Reading and writing ledger files (the edge where JSON meets the model).

The file is a versioned JSON document::

    {"format": "campaignkit-ledger", "version": 1, "campaign": {...},
     "regions": [...], "work_groups": [...], "enterprises": [...],
     "activities": [...], "issues": [...], "outcomes": [...]}

:func:`dump` writes atomically: a crash never leaves a half-written file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from cattrs.errors import BaseValidationError

from campaignkit.errors import LedgerError, PluginError, Problem
from campaignkit.gcpause import paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.ledgerfile.atomic import atomic_write
from campaignkit.ledgerfile.converter import converter, exception_problems, structure
from campaignkit.model.ledger import FORMAT_NAME, FORMAT_VERSION, Ledger
from campaignkit.validation.checks import check_ledger

__all__ = [
    "atomic_write",
    "document_from_ledger",
    "dump",
    "dumps",
    "ledger_from_document",
    "load",
    "loads",
    "validate",
]

_SECTIONS = (
    "campaign",
    "regions",
    "work_groups",
    "enterprises",
    "activities",
    "issues",
    "outcomes",
)


def _decode(data: bytes | str, source: str | None) -> Any:
    try:
        return orjson.loads(data)  # refuses a BOM and anything but UTF-8, worded below
    except orjson.JSONDecodeError as exc:
        error = exc
    if isinstance(data, bytes):
        if data.startswith(b"\xef\xbb\xbf"):
            raise LedgerError(
                [
                    Problem(
                        "", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
                    )
                ],
                source,
            )
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LedgerError(
                [Problem("", f"not UTF-8 at byte {exc.start} (is it GBK? save it as UTF-8)")],
                source,
            ) from None
    raise LedgerError([Problem("", f"not valid JSON: {error}")], source) from None


def ledger_from_document(doc: Any, source: str | None = None) -> Ledger:
    """Structure a parsed JSON document into a :class:`Ledger` (no semantic checks).

    The document is structured by
    :func:`campaignkit.ledgerfile.converter.structure`: the quick converter,
    and for a document it refuses the detailed converter, whose problems name
    every bad field.
    """
    if not isinstance(doc, dict):
        raise LedgerError([Problem("", "the document must be a JSON object")], source)
    problems: list[Problem] = []
    if doc.get("format") != FORMAT_NAME:
        problems.append(Problem("format", f"expected {FORMAT_NAME!r}, got {doc.get('format')!r}"))
    version = doc.get("version")
    if version != FORMAT_VERSION:
        problems.append(
            Problem(
                "version",
                f"unsupported format version {version!r} (this campaignkit reads {FORMAT_VERSION})",
            )
        )
    body = {k: v for k, v in doc.items() if k not in ("format", "version")}
    try:
        ledger: Ledger = structure(body, Ledger)
    except BaseValidationError as exc:
        problems.extend(exception_problems(exc))
        raise LedgerError(problems, source) from None
    except (TypeError, ValueError, KeyError) as exc:  # pragma: no cover - defensive
        problems.extend(exception_problems(exc))
        raise LedgerError(problems, source) from None
    if problems:
        raise LedgerError(problems, source)
    return ledger


def _checked(ledger: Ledger, manager: PluginManager | None, source: str | None) -> Ledger:
    with paused():
        problems = validate(ledger, manager, source)
    if problems:
        raise LedgerError(problems, source)
    return ledger


def validate(
    ledger: Ledger, manager: PluginManager | None = None, source: str | None = None
) -> list[Problem]:
    """Every problem of ``ledger`` under its campaign type (built-in and plugin checks)."""
    pm = manager or get_plugin_manager()
    try:
        ctype = pm.campaign_type(ledger.campaign.type)
    except PluginError as exc:
        return [Problem("campaign.type", str(exc), source)]
    from campaignkit.derive.calendar import WorkCalendar  # not on import

    try:  # the histories' walks are kept for escalation when the calendar is known
        calendar: WorkCalendar | None = WorkCalendar.from_manager(pm)
    except PluginError:
        calendar = None  # reported where a calendar is needed, not here
    problems = check_ledger(ledger, ctype, pm.validators(ctype.key).values(), calendar)
    return [Problem(p.path, p.message, p.source or source) for p in problems]


def loads(
    data: bytes | str, *, manager: PluginManager | None = None, source: str | None = None
) -> Ledger:
    """Parse and validate a ledger document; raise :class:`LedgerError` with every problem."""
    with paused():
        ledger = ledger_from_document(_decode(data, source), source)
    return _checked(ledger, manager, source)


def load(path: str | os.PathLike[str], *, manager: PluginManager | None = None) -> Ledger:
    """Read and validate the ledger file at ``path``."""
    p = Path(path)
    if p.is_dir():
        p = p / "ledger.json"
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise LedgerError([Problem("", f"cannot read: {exc.strerror or exc}")], str(p)) from None
    return loads(data, manager=manager, source=str(p))


def document_from_ledger(ledger: Ledger) -> dict[str, Any]:
    """The JSON document (plain dicts and lists) of a ledger."""
    body = converter.unstructure(ledger, Ledger)
    doc: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    for section in _SECTIONS:
        if section in body:
            doc[section] = body[section]
    return doc


def dumps(ledger: Ledger) -> bytes:
    """Serialise a ledger to canonical JSON bytes (UTF-8, two-space indent, trailing newline)."""
    return orjson.dumps(document_from_ledger(ledger), option=orjson.OPT_INDENT_2) + b"\n"


def dump(
    ledger: Ledger, path: str | os.PathLike[str], *, manager: PluginManager | None = None
) -> Path:
    """Write ``ledger`` to ``path`` atomically and fire ``campaignkit_ledger_saved``."""
    target = atomic_write(path, dumps(ledger))
    if manager is not None:
        manager.notify("campaignkit_ledger_saved", path=str(target), ledger=ledger)
    return target
