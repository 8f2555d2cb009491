"""Calling plugin code with a time limit.

A plugin that hangs must not hang campaignkit: its call runs in a daemon
thread, and when it has not answered within the limit the caller gets
:class:`PluginTimeout` naming it and goes on without it. (Python cannot stop a
running thread; the abandoned call keeps running in the background until it
returns or the process exits, and its result is discarded.)

The limit is :data:`DEFAULT_TIMEOUT` seconds, or the ``CAMPAIGNKIT_PLUGIN_TIMEOUT``
environment variable; ``0`` or a negative value turns it off.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from campaignkit.errors import PluginError

__all__ = ["DEFAULT_TIMEOUT", "PluginTimeout", "call_with_timeout", "configured_timeout"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a plugin call may take before it is given up on."""

_T = TypeVar("_T")


class PluginTimeout(PluginError):
    """A plugin call did not finish within the time limit."""


def configured_timeout() -> float | None:
    """The limit from ``CAMPAIGNKIT_PLUGIN_TIMEOUT`` (seconds), else the default; None: off."""
    raw = os.environ.get("CAMPAIGNKIT_PLUGIN_TIMEOUT")
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else None


def call_with_timeout(func: Callable[..., _T], *args: Any, timeout: float | None, what: str) -> _T:
    """Return ``func(*args)``, or raise :class:`PluginTimeout` after ``timeout`` seconds.

    Exceptions raised by ``func`` propagate unchanged. ``timeout`` None calls
    ``func`` directly in this thread.
    """
    if timeout is None:
        return func(*args)
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = func(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name=f"campaignkit: {what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise PluginTimeout(f"{what} did not finish within {timeout:g} s; skipped")
    if "error" in box:
        raise box["error"]
    result: _T = box["result"]
    return result
