"""Reading and writing ledger files (the edge where JSON meets the model).

The file is a versioned JSON document::

    {"format": "campaignkit-ledger", "version": 1, "campaign": {...},
     "regions": [...], "work_groups": [...], "enterprises": [...],
     "activities": [...], "issues": [...], "outcomes": [...]}

:func:`dump` writes atomically: a crash never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import stat
from pathlib import Path
from typing import Any

import orjson
from cattrs.errors import BaseValidationError

from campaignkit.errors import LedgerError, PluginError, Problem
from campaignkit.gcpause import paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.ledgerfile.atomic import atomic_write
from campaignkit.ledgerfile.converter import converter, exception_problems
from campaignkit.ledgerfile.fastpath import Rejected, fast_structure, stream_structure
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
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise LedgerError([Problem("", f"not valid JSON: {exc}")], source) from None


def ledger_from_document(doc: Any, source: str | None = None) -> Ledger:
    """Structure a parsed JSON document into a :class:`Ledger` (no semantic checks).

    A valid document takes the fast path (:mod:`campaignkit.ledgerfile.fastpath`); one it
    refuses is structured again by the strict converter, whose problems name
    every bad field.
    """
    if (
        isinstance(doc, dict)
        and doc.get("format") == FORMAT_NAME
        and doc.get("version") == FORMAT_VERSION
    ):
        body = {k: v for k, v in doc.items() if k not in ("format", "version")}
        try:
            ledger: Ledger = fast_structure(body, Ledger)
        except Rejected:
            pass
        else:
            return ledger
    return _strict_ledger(doc, source)


def _streamed(data: bytes | str) -> Ledger | None:
    """The ledger in ``data`` structured record by record, or None to take the full path.

    A large file parsed whole takes several times its size in memory; this
    route never holds more than the file and the records built. It needs
    ``msgspec`` (to split the document without parsing it) and a valid
    document: anything else goes the full way, whose errors name every problem.
    """
    if not isinstance(data, bytes) or data.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        import msgspec  # noqa: F401 - optional: without it every file takes the full path
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    try:
        ledger: Ledger = stream_structure(
            data, Ledger, {"format": FORMAT_NAME, "version": FORMAT_VERSION}
        )
    except Rejected:
        return None
    return ledger


MAP_FROM = 64 * 1024 * 1024
"""Files of at least this many bytes are loaded from a memory map.

Smaller files are read whole: the memory saved would be small, and a mapped
file that another program shrinks in place while it is being read ends the
process (``SIGBUS``) instead of raising an error. Ledgers written by
campaignkit are replaced by renaming, never shrunk in place."""


def _mapped(path: Path) -> Ledger | None:
    """The ledger in the file at ``path`` structured from a memory map, or None to read it whole.

    Like :func:`_streamed`, but the file is never copied into memory: it is
    mapped read-only, and the pages read so far are handed back to the system
    after each section and each batch of records, so at the end of a load
    (when the records take the most room) the file takes almost none. Any
    file this route cannot take (empty, not mappable, with a BOM, refused by
    the fast path) is read whole and goes the usual way, with the same errors.
    """
    try:
        import msgspec  # noqa: F401 - optional: without it every file takes the full path
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or device is read the usual way
            return None
        with open(path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return None
    try:
        if mapped[:3] == b"\xef\xbb\xbf":
            return None
        release = None
        if hasattr(mapped, "madvise") and hasattr(mmap, "MADV_DONTNEED"):

            def release() -> None:
                mapped.madvise(mmap.MADV_DONTNEED)

        try:
            ledger: Ledger = stream_structure(
                mapped, Ledger, {"format": FORMAT_NAME, "version": FORMAT_VERSION}, release=release
            )
        except Rejected:
            return None
        return ledger
    finally:
        with contextlib.suppress(BufferError):  # closed when the last raw slice goes instead
            mapped.close()


def _checked(ledger: Ledger, manager: PluginManager | None, source: str | None) -> Ledger:
    with paused():
        problems = validate(ledger, manager, source)
    if problems:
        raise LedgerError(problems, source)
    return ledger


def _strict_ledger(doc: Any, source: str | None) -> Ledger:
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
        ledger = converter.structure(body, Ledger)
    except BaseValidationError as exc:
        problems.extend(exception_problems(exc))
        raise LedgerError(problems, source) from None
    except (TypeError, ValueError, KeyError) as exc:  # pragma: no cover - defensive
        problems.extend(exception_problems(exc))
        raise LedgerError(problems, source) from None
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
        ledger = _streamed(data)
        if ledger is None:
            ledger = ledger_from_document(_decode(data, source), source)
    return _checked(ledger, manager, source)


def load(path: str | os.PathLike[str], *, manager: PluginManager | None = None) -> Ledger:
    """Read and validate the ledger file at ``path``."""
    p = Path(path)
    if p.is_dir():
        p = p / "ledger.json"
    ledger = None
    with contextlib.suppress(OSError):
        if p.stat().st_size >= MAP_FROM:
            with paused():
                ledger = _mapped(p)
    if ledger is not None:
        return _checked(ledger, manager, str(p))
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
