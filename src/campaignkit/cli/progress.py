"""A progress bar for long commands, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal.

    ``update(done, total)`` moves the bar (redrawn at most ten times a second);
    ``stage(label)`` changes its label; leaving the ``with`` block clears the line.
    Off a terminal (pipes, files, tests) it prints nothing.
    """

    WIDTH = 28

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self.done = 0
        self.total = 0
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        if self.label:
            self._draw(force=True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def stage(self, label: str, total: int = 0) -> None:
        """Start a new stage of the work (resets the count)."""
        self.label, self.done, self.total = label, 0, total
        self._draw(force=True)

    def update(self, done: int, total: int | None = None) -> None:
        """Record progress: ``done`` of ``total`` units."""
        self.done = done
        if total is not None:
            self.total = total
        self._draw(force=done >= self.total > 0)

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        if self.total > 0:
            share = min(self.done / self.total, 1.0)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"{self.label} [{bar}] {share:4.0%}"
        else:
            line = f"{self.label} …"
        self.stream.write("\r\033[K" + line)
        self.stream.flush()

    def close(self) -> None:
        """Clear the bar's line."""
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()
