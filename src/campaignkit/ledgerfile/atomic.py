"""Writing a file atomically: whole or not at all, never half-written."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["atomic_write"]

_DESCRIPTORS = ("/dev/", "/proc/")
"""Where a path names a device or a process's descriptor (``/dev/stdout``,
``/proc/self/fd/1``), whatever it leads to: written into, never replaced."""


def _stream(path: Path) -> bool:
    """Whether ``path`` is a stream to write into rather than a file to replace: under
    :data:`_DESCRIPTORS`, or (through any links) neither a regular file nor a folder."""
    if os.path.abspath(path).startswith(_DESCRIPTORS):
        return path.exists()
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


_NAME_ROOM = 255 - len(".") - len(".") - 8 - len(".tmp")
"""Bytes of a file's name its temporary file's name may repeat: file systems take names of
255 bytes at most, and the temporary one adds a dot before, a dot and eight random
characters after, and ``.tmp``."""


def _temporary_prefix(name: str) -> str:
    """The start of the temporary file's name beside the file ``name``: a dot and the name,
    cut (at a whole character) where a name as long as file systems allow would make the
    temporary one too long."""
    while len(os.fsencode(name)) > _NAME_ROOM:
        name = name[:-1]
    return f".{name}."


def atomic_write(
    path: str | os.PathLike[str],
    write: Callable[[Any], object] | bytes,
    *,
    before_replace: Iterable[Callable[[], object]] = (),
) -> Path:
    """Write a file atomically: temporary file, flush, fsync, rename, fsync the folder.

    ``write`` is the bytes to write, or a function given the open binary file.
    If anything fails, the old file (if any) is untouched and the temporary
    file is removed.

    A symbolic link is written through: the file it points to is replaced (in that
    file's folder), the link stays. A stream rather than a file (a named pipe, a device
    such as ``/dev/null``, or a process's own descriptor such as ``/dev/stdout``) is
    written into, appending, since it cannot be replaced: the bytes go to whoever reads
    it, and a file the descriptor writes to keeps what it held.
    """
    given = Path(path)
    if _stream(given):
        for hook in before_replace:
            hook()
        fd = os.open(given, os.O_WRONLY | os.O_APPEND)  # never truncated: not ours to empty
        with os.fdopen(fd, "wb") as stream:
            if isinstance(write, bytes):
                stream.write(write)
            else:
                write(stream)
        return given
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    folder = target.parent if str(target.parent) else Path()
    import tempfile  # only writers need it: kept out of ``import campaignkit``

    fd, tmp_name = tempfile.mkstemp(
        prefix=_temporary_prefix(target.name), suffix=".tmp", dir=folder
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(write, bytes):
                fh.write(write)
            else:
                write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        for hook in before_replace:
            hook()
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return given
