"""Reading the bytes of an input file, never more than a limit.

Every file campaignkit reads as JSON (a ledger, a claims file) is read here, so
that a path that yields endless bytes (``/dev/zero``, a FIFO whose writer never
stops) or a file larger than campaignkit is meant to hold is refused with one
located problem instead of filling the memory:

- the limit is :data:`DEFAULT_MAX_BYTES` (1 GiB: room for a province's ledger of a
  million issues, about 450 MiB), the ``CAMPAIGNKIT_MAX_BYTES`` environment
  variable (bytes, or a number with ``KiB``, ``MiB``, ``GiB`` or ``TiB``), or the
  ``max_bytes`` a caller passes (:func:`campaignkit.load` and the other readers);
- a regular file over the limit is refused from its size, without reading it;
  from any other file (a pipe, a FIFO, a device) at most one byte more than the
  limit is ever read;
- a stream is refused as soon as it shows bytes that no JSON document holds (a
  NUL or another control character, which JSON writes escaped; anything but an
  object where the document starts; a byte-order mark), so that garbage costs
  one chunk of memory, not the limit.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import stat
from collections.abc import Callable, Iterator
from typing import BinaryIO

import orjson

from campaignkit.errors import LedgerError, Problem
from campaignkit.i18n.catalogue import Phrase, os_error
from campaignkit.ledgerfile.jsontext import not_a_ledger, not_json

__all__ = [
    "CHUNK",
    "DEFAULT_MAX_BYTES",
    "ENVIRONMENT_VARIABLE",
    "Input",
    "configured_max_bytes",
    "ignored_setting",
    "limit_of",
    "opened",
    "read_input",
    "refuse_if_larger",
    "size_text",
]

DEFAULT_MAX_BYTES = 1 << 30
"""Bytes an input may have when neither the caller nor the environment says otherwise (1 GiB)."""

ENVIRONMENT_VARIABLE = "CAMPAIGNKIT_MAX_BYTES"
"""The environment variable that sets the limit of every read (the command line's too)."""

CHUNK = 1 << 20
"""Bytes asked for at a time from a file that is not a regular file."""

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20}
_UNITS |= {"g": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tib": 1 << 40}
_SIZE = re.compile(r"\s*([0-9]{1,15})\s*([a-zA-Z]*)\s*")


def configured_max_bytes() -> int:
    """The limit from ``CAMPAIGNKIT_MAX_BYTES``, else :data:`DEFAULT_MAX_BYTES`.

    The variable is a positive number of bytes, optionally followed by ``KiB``,
    ``MiB``, ``GiB`` or ``TiB`` (``K``, ``M``, ``G``, ``T`` mean the same); a value
    that is none of these is ignored, as a malformed ``CAMPAIGNKIT_PLUGIN_TIMEOUT`` is
    (the command line says so: :func:`ignored_setting`).
    """
    return _setting()[0]


def ignored_setting() -> Phrase | None:
    """Why ``CAMPAIGNKIT_MAX_BYTES`` is set but ignored (None if it is unset or read): what
    the command line warns about, so that a limit someone meant to set is not silently
    the default."""
    return _setting()[1]


def _setting() -> tuple[int, Phrase | None]:
    """The limit ``CAMPAIGNKIT_MAX_BYTES`` sets, and why it is ignored if it is."""
    raw = os.environ.get(ENVIRONMENT_VARIABLE)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_BYTES, None
    found = _SIZE.fullmatch(raw)
    unit = _UNITS.get(found.group(2).lower()) if found is not None else None
    if found is not None and unit is not None and int(found.group(1)) > 0:
        return int(found.group(1)) * unit, None
    why = Phrase(
        "setting-ignored.max-bytes",
        {"name": ENVIRONMENT_VARIABLE, "value": raw, "default": size_text(DEFAULT_MAX_BYTES)},
    )
    return DEFAULT_MAX_BYTES, why


def limit_of(max_bytes: int | None) -> int:
    """The limit a read keeps to: ``max_bytes`` when given, else :func:`configured_max_bytes`."""
    if max_bytes is None:
        return configured_max_bytes()
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(f"max_bytes must be a positive number of bytes, got {max_bytes!r}")
    return max_bytes


def size_text(size: int) -> str:
    """``size`` bytes for a reader of either language: ``1 GiB``, ``512 MiB``,
    ``1.5 GiB (1,610,612,736 B)``, ``100 B``."""
    for unit, name in ((1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if size >= unit:
            if size % unit == 0:
                return f"{size // unit} {name}"
            return f"{size / unit:.1f} {name} ({size:,} B)"
    return f"{size} B"


def refuse_if_larger(size: int, limit: int, source: str | None, *, what: str = "file") -> None:
    """Raise :class:`LedgerError` when ``size`` bytes are over ``limit``.

    ``what`` says what has ``size`` bytes: a ``file`` (its size), a ``document`` in
    memory, or a ``stream`` (more than ``limit`` bytes came and reading stopped).
    """
    if size <= limit:
        return
    shown = size_text(limit)
    if what == "stream":
        problem = Problem.of("input-too-large", "", limit=shown)
    else:
        code = "document-too-large" if what == "document" else "file-too-large"
        problem = Problem.of(code, "", limit=shown, size=size_text(size))
    raise LedgerError([problem], source)


Input = bytes | mmap.mmap
"""What :func:`opened` gives: the bytes of a file read whole, or a read-only map of it."""


def read_input(
    path: str | os.PathLike[str],
    max_bytes: int | None = None,
    *,
    progress: Callable[[int, int | None], object] | None = None,
) -> bytes:
    """The bytes of the file at ``path``, at most ``max_bytes`` of them (see :func:`limit_of`).

    Raises :class:`LedgerError` with one problem, located at the file, when the file
    cannot be read, is larger than the limit or (a pipe, a FIFO, a device) shows
    bytes no JSON document holds. ``progress(done, total)`` is called after each
    chunk read (``total``: the file's size, None for a stream).
    """
    with opened(path, max_bytes, map_from=None, progress=progress) as (data, _):
        assert isinstance(data, bytes)
        return data


@contextlib.contextmanager
def opened(
    path: str | os.PathLike[str],
    max_bytes: int | None = None,
    *,
    map_from: int | None,
    progress: Callable[[int, int | None], object] | None = None,
) -> Iterator[tuple[Input, Callable[[], None] | None]]:
    """The content of the file at ``path`` (as :func:`read_input`) and a way to release it.

    A regular file of at least ``map_from`` bytes is mapped read-only instead of
    read (None: never); the second value is then a function that hands the pages
    read so far back to the system (else None). The map is closed on leaving,
    unless slices of it are still alive (they keep it open until they go).
    """
    limit = limit_of(max_bytes)
    source = str(path)
    mapped: mmap.mmap | None = None
    try:
        with open(path, "rb", buffering=0) as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                data: Input = _read_stream(fh, limit, source, progress)
            else:
                refuse_if_larger(info.st_size, limit, source)
                if map_from is not None and info.st_size >= max(map_from, 1) and progress is None:
                    with contextlib.suppress(OSError, ValueError):  # not mappable: read
                        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                if mapped is not None:
                    refuse_if_larger(len(mapped), limit, source)  # grown since it was asked
                    data = mapped
                else:
                    data = _read_regular(fh, info.st_size, limit, source, progress)
    except OSError as exc:
        if mapped is not None:
            mapped.close()
        raise LedgerError([Problem.of("cannot-read", "", reason=os_error(exc))], source) from None
    except BaseException:
        if mapped is not None:
            mapped.close()
        raise
    if mapped is None:
        yield data, None
        return
    release = None
    if hasattr(mapped, "madvise") and hasattr(mmap, "MADV_DONTNEED"):

        def release() -> None:
            mapped.madvise(mmap.MADV_DONTNEED)

    try:
        yield data, release
    finally:
        with contextlib.suppress(BufferError):  # closed when the last slice of it goes instead
            mapped.close()


def _read_regular(
    fh: BinaryIO,
    size: int,
    limit: int,
    source: str,
    progress: Callable[[int, int | None], object] | None,
) -> bytes:
    """A regular file of ``size`` bytes (at most ``limit``), whole, and what it grew by since."""
    parts: list[bytes] = []
    total = 0
    want = size + 1 if progress is None else CHUNK  # one more: it may have grown
    while total <= limit:
        part = fh.read(min(want, limit + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
        if progress is not None:
            progress(total, size)
        want = CHUNK
    refuse_if_larger(total, limit, source, what="stream")
    return parts[0] if len(parts) == 1 else b"".join(parts)


_BOM = b"\xef\xbb\xbf"
_VALUE_STARTS = frozenset(b'["-0123456789tfn')
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Bytes no JSON text holds as they are (a string holds them written as escapes)."""


def _read_stream(
    fh: BinaryIO,
    limit: int,
    source: str,
    progress: Callable[[int, int | None], object] | None,
) -> bytes:
    """A pipe, FIFO or device read to its end, or until the limit or the first sure sign
    that what comes is not a JSON document (then refused with that sign's problem)."""
    head = b""
    while len(head) < len(_BOM):  # a byte-order mark may come in pieces
        part = fh.read(min(CHUNK, limit + 1 - len(head)))
        if not part:
            break
        head += part
    if head.startswith(_BOM):
        raise LedgerError([Problem.of("bom", "")], source)
    parts = [head]
    total = len(head)
    chunk = head
    started = False  # the document's first byte (after whitespace) was seen
    while chunk:
        if not started:
            rest = chunk.lstrip(b" \t\r\n")
            if rest:
                started = True
                if rest[0] != ord("{"):
                    first = total - len(rest)
                    _refuse_start(b"".join(parts)[: first + 1], first, source)
        control = _CONTROL.search(chunk)
        if control is not None:
            end = total - len(chunk) + control.start() + 1
            _refuse_prefix(b"".join(parts)[:end], source)
        if progress is not None:
            progress(total, None)
        if total > limit:
            break
        chunk = fh.read(min(CHUNK, limit + 1 - total))
        parts.append(chunk)
        total += len(chunk)
    refuse_if_larger(total, limit, source, what="stream")
    return b"".join(parts)


def _refuse_start(prefix: bytes, first: int, source: str) -> None:
    """Raise the problem of a stream whose document does not start with ``{`` (but with
    the byte at ``first``, the last of ``prefix``)."""
    if prefix[first] in _VALUE_STARTS:  # some JSON value, but not an object
        raise LedgerError([Problem.of("document-not-object", "")], source)
    _refuse_prefix(prefix, source)


def _refuse_prefix(prefix: bytes, source: str) -> None:
    """Raise the problem of a stream that stopped being JSON at the last byte of ``prefix``:
    the problem the whole of it would get, since every byte before that one is the same."""
    try:
        orjson.loads(prefix)
    except orjson.JSONDecodeError as exc:
        instead = not_a_ledger(prefix, False)
        if instead is not None:
            raise LedgerError([instead], source) from None
        if "UTF-8" in str(exc):
            try:
                prefix.decode("utf-8")
            except UnicodeDecodeError as bad:
                raise LedgerError([Problem.of("not-utf8", "", byte=bad.start)], source) from None
        raise LedgerError([not_json(exc)], source) from None
    raise LedgerError(  # pragma: no cover - a control character is never valid JSON
        [Problem.of("not-json", "", why="a control character")], source
    )
