"""Writing a file atomically: whole or not at all, never half-written."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["atomic_write"]


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
    file's folder), the link stays. A path that is not a regular file (a named pipe,
    ``/dev/null``, ``/dev/stdout``) is written into as it is, since it cannot be
    replaced: the bytes go to whoever reads it.
    """
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    if target.exists() and not target.is_file() and not target.is_dir():
        for hook in before_replace:
            hook()
        with open(target, "wb") as stream:  # a pipe or a device: nothing to replace
            if isinstance(write, bytes):
                stream.write(write)
            else:
                write(stream)
        return target
    folder = target.parent if str(target.parent) else Path()
    import tempfile  # only writers need it: kept out of ``import campaignkit``

    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
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
    return target
