"""Reading and writing ledger files (the edge where JSON meets the model).

The file is a versioned JSON document::

    {"format": "campaignkit-ledger", "version": 1, "campaign": {...},
     "regions": [...], "work_groups": [...], "enterprises": [...],
     "activities": [...], "issues": [...], "outcomes": [...]}

:func:`dump` writes atomically: a crash never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import os
import stat
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import attrs
import msgspec
import orjson
from cattrs.errors import BaseValidationError

from campaignkit.derive.views import Shape
from campaignkit.errors import LedgerError, PluginError, Problem
from campaignkit.gcpause import paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.i18n.catalogue import Phrase, os_error
from campaignkit.ledgerfile.atomic import atomic_write
from campaignkit.ledgerfile.converter import (
    converter,
    exception_problems,
    forget_texts,
    quick_converter,
    structure,
)
from campaignkit.model.ledger import FORMAT_NAME, FORMAT_VERSION, Ledger
from campaignkit.validation.checks import check_ledger
from campaignkit.workspace import Workspace

if typing.TYPE_CHECKING:
    from campaignkit.derive.calendar import WorkCalendar

__all__ = [
    "atomic_write",
    "document_from_ledger",
    "dump",
    "dumps",
    "ledger_from_document",
    "load",
    "load_workspace",
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
            raise LedgerError([Problem.of("bom", "")], source)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LedgerError(
                [Problem.of("not-utf8", "", byte=exc.start)],
                source,
            ) from None
    raise LedgerError([Problem.of("not-json", "", why=str(error))], source) from None


def ledger_from_document(doc: Any, source: str | None = None) -> Ledger:
    """Structure a parsed JSON document into a :class:`Ledger` (no semantic checks).

    The document is structured by
    :func:`campaignkit.ledgerfile.converter.structure`: the quick converter,
    and for a document it refuses the detailed converter, whose problems name
    every bad field.
    """
    if not isinstance(doc, dict):
        raise LedgerError([Problem.of("document-not-object", "")], source)
    problems: list[Problem] = []
    if doc.get("format") != FORMAT_NAME:
        found = doc.get("format")
        got = Phrase("value.none") if found is None else repr(found)
        problems.append(Problem.of("expected-value", "format", wanted=FORMAT_NAME, got=got))
    version = doc.get("version")
    if version != FORMAT_VERSION:
        problems.append(
            Problem.of("format-version", "version", version=version, reads=FORMAT_VERSION)
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


_BATCH = 1 << 15
"""Records structured between two calls of ``release`` (see :func:`_by_record`)."""

_split_document = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode
_split_section = msgspec.json.Decoder(list[msgspec.Raw]).decode


@functools.cache
def _ledger_fields() -> dict[str, tuple[Any, bool]]:
    """Each field of a ledger: its record class, and whether it holds a tuple of them."""
    hints = typing.get_type_hints(Ledger)
    out: dict[str, tuple[Any, bool]] = {}
    for a in attrs.fields(Ledger):
        if a.init:
            t = hints[a.name]
            many = typing.get_origin(t) is tuple
            out[a.name] = (typing.get_args(t)[0] if many else t, many)
    return out


def _by_record(
    data: bytes | mmap.mmap, release: Callable[[], object] | None = None
) -> Ledger | None:
    """The ledger in ``data`` structured one record at a time, or None to take the full path.

    A document parsed whole takes several times its size in memory. Here
    msgspec only cuts the document into the raw text of its sections and each
    section into that of its records (it decodes nothing); each record is then
    parsed by orjson and structured by the quick converter's hook for its class,
    exactly as on the full path, so what stays in memory is the file and the
    records built. Anything the full path would not take as it is (a BOM, an
    unknown or missing key, a refused record) returns None: the full path then
    reads the file and the detailed converter names every problem.

    ``release`` is called after each section is cut and after each batch of
    records (e.g. to let the system drop the pages of a memory-mapped file read
    so far); the records of a section replace their raw text a batch at a time.
    """
    if data[:3] == b"\xef\xbb\xbf":
        return None
    fields = _ledger_fields()
    loads = orjson.loads
    try:
        top = _split_document(data)
        if release is not None:
            release()
        if (
            loads(memoryview(top.pop("format", b"null"))) != FORMAT_NAME
            or loads(memoryview(top.pop("version", b"null"))) != FORMAT_VERSION
            or "campaign" not in top
            or not fields.keys() >= top.keys()
        ):
            return None
        values: dict[str, Any] = {}
        for name, (cls, many) in fields.items():
            raw = top.pop(name, None)
            if raw is None:
                continue
            hook = quick_converter.get_structure_hook(cls)
            if not many:
                values[name] = hook(loads(memoryview(raw)), cls)
                continue
            items: list[Any] = _split_section(raw)
            del raw
            for start in range(0, len(items), _BATCH):
                end = start + _BATCH
                items[start:end] = [hook(loads(memoryview(r)), cls) for r in items[start:end]]
                if release is not None:
                    release()
            values[name] = tuple(items)
            del items
        return Ledger(**values)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - refused: the full path says why
        return None


MAP_FROM = 64 * 1024 * 1024
"""Files of at least this many bytes are loaded from a memory map.

Smaller files are read whole: the memory saved would be small, and a mapped
file that another program shrinks in place while it is being read ends the
process (``SIGBUS``) instead of raising an error. Ledgers written by
campaignkit are replaced by renaming, never shrunk in place."""


def _mapped(path: Path) -> Ledger | None:
    """The ledger in the file at ``path`` structured from a memory map, or None to read it whole.

    Like :func:`_by_record`, but the file is never copied into memory: it is
    mapped read-only, and the pages read so far are handed back to the system
    after each section and each batch of records, so at the end of a load
    (when the records take the most room) the file takes almost none. Any
    file this route cannot take (empty, not mappable, refused) is read whole
    and goes the usual way, with the same errors.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or device is read the usual way
            return None
        with open(path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return None
    try:
        release = None
        if hasattr(mapped, "madvise") and hasattr(mmap, "MADV_DONTNEED"):

            def release() -> None:
                mapped.madvise(mmap.MADV_DONTNEED)

        return _by_record(mapped, release)
    finally:
        with contextlib.suppress(BufferError):  # closed when the last raw slice goes instead
            mapped.close()


def _checked(
    ledger: Ledger,
    manager: PluginManager | None,
    source: str | None,
    workspace: Callable[[Ledger], Workspace | None] | None = None,
) -> Ledger:
    """``ledger``, validated (:class:`LedgerError` with every problem). With ``workspace``,
    the workspace it makes of the ledger walks the histories: the shapes validation
    derives are the workspace's own (see :func:`load_workspace`)."""
    with paused():
        opened = workspace(ledger) if workspace is not None else None
        problems = _validate(ledger, manager, source, opened)
    if problems:
        raise LedgerError(problems, source)
    return ledger


def validate(
    ledger: Ledger, manager: PluginManager | None = None, source: str | None = None
) -> list[Problem]:
    """Every problem of ``ledger`` under its campaign type (built-in and plugin checks).

    The cyclic garbage collector is paused meanwhile and left as it was
    (:mod:`campaignkit.gcpause`).
    """
    with paused():
        return _validate(ledger, manager, source)


def _validate(
    ledger: Ledger,
    manager: PluginManager | None,
    source: str | None,
    workspace: Workspace | None = None,
) -> list[Problem]:
    pm = manager or get_plugin_manager()
    try:
        ctype = pm.campaign_type(ledger.campaign.type)
    except PluginError as exc:
        return [Problem("campaign.type", exc.phrase, source)]
    validators = pm.validators(ctype.key).values()
    if workspace is None:
        problems = check_ledger(ledger, ctype, validators)
    else:
        shapes: list[Shape | None] = []
        problems = check_ledger(ledger, ctype, validators, deriver=workspace.deriver, shapes=shapes)
        if not problems and None not in shapes:  # else the workspace derives them itself
            workspace.adopt(cast("list[Shape]", shapes))
    return [p.located(source) for p in problems]


def loads(
    data: bytes | str, *, manager: PluginManager | None = None, source: str | None = None
) -> Ledger:
    """Parse and validate a ledger document; raise :class:`LedgerError` with every problem."""
    return _checked(_parsed(data, source), manager, source)


def _parsed(data: bytes | str, source: str | None) -> Ledger:
    """The ledger of a document, not yet validated."""
    with paused():
        try:
            ledger = _by_record(data) if isinstance(data, bytes) else None
            if ledger is None:
                ledger = ledger_from_document(_decode(data, source), source)
        finally:
            forget_texts()  # the strings shared while structuring: kept by the records alone
    return ledger


def _read(path: str | os.PathLike[str]) -> tuple[Ledger, str]:
    """The ledger of the file at ``path`` (a folder: its ``ledger.json``), not yet
    validated, and the file's name."""
    p = Path(path)
    if p.is_dir():
        p = p / "ledger.json"
    ledger = None
    with contextlib.suppress(OSError):
        if p.stat().st_size >= MAP_FROM:
            with paused():
                try:
                    ledger = _mapped(p)
                finally:
                    forget_texts()
    if ledger is not None:
        return ledger, str(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise LedgerError([Problem.of("cannot-read", "", reason=os_error(exc))], str(p)) from None
    return _parsed(data, str(p)), str(p)


def load(path: str | os.PathLike[str], *, manager: PluginManager | None = None) -> Ledger:
    """Read and validate the ledger file at ``path``."""
    ledger, source = _read(path)
    return _checked(ledger, manager, source)


def load_workspace(
    path: str | os.PathLike[str],
    *,
    manager: PluginManager | None = None,
    calendar: WorkCalendar | None = None,
) -> Workspace:
    """Read and validate the ledger file at ``path`` (as :func:`load`) and open a
    :class:`~campaignkit.workspace.Workspace` on it, its issues' shapes derived once:
    the summary, ``overdue`` and escalation of every date then read them. Validation
    walks each history with the workspace's deriver, so the walk that checks a history
    is the one that derives its shape."""
    pm = manager or get_plugin_manager()
    ledger, source = _read(path)
    opened: list[Workspace] = []

    def workspace(ledger: Ledger) -> Workspace | None:
        try:
            opened.append(Workspace.open(ledger, manager=pm, calendar=calendar))
        except PluginError:  # an unknown campaign type: validation says so
            return None
        return opened[0]

    _checked(ledger, pm, source, workspace)
    found = opened[0] if opened else Workspace.open(ledger, manager=pm, calendar=calendar)
    found.shapes()
    return found


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
