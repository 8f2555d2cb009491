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
    """
    target = Path(path)
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
