"""Calling plugin code with a time limit: the one watchdog of campaignkit.

A plugin that hangs must not hang campaignkit: its code runs in a daemon
thread, and when one of its calls has not answered within the limit the
caller gets :class:`PluginTimeout` naming it and goes on without it. (Python
cannot stop a running thread; the abandoned call keeps running in the
background until it returns or the process exits, and its result is
discarded.)

:func:`watched` is the loop itself: it runs a piece of work that makes many
plugin calls (say, every escalation rule on every issue) in one worker thread,
and times each call the work reports on its :class:`Watch`, so that the work
pays for one thread, not one per call. :func:`call_with_timeout` is the same
loop around a single call (a hook implementation, a report formatter).

The limit is :data:`DEFAULT_TIMEOUT` seconds, or the ``CAMPAIGNKIT_PLUGIN_TIMEOUT``
environment variable; ``0`` or a negative value turns it off.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from campaignkit.errors import PluginError
from campaignkit.i18n.catalogue import Phrase

__all__ = [
    "DEFAULT_TIMEOUT",
    "PluginTimeout",
    "Watch",
    "call_with_timeout",
    "configured_timeout",
    "watched",
]

DEFAULT_TIMEOUT = 30.0
"""Seconds a plugin call may take before it is given up on."""

POLL = 0.05
"""Seconds between two looks of the watchdog at a running worker."""

_T = TypeVar("_T")
_K = TypeVar("_K")


class PluginTimeout(PluginError):
    """A plugin call did not finish within the time limit."""

    def __init__(self, message: str | Phrase, call: object = None) -> None:
        super().__init__(message)
        self.call = call
        """The call that did not finish, as the work reported it on its :class:`Watch`."""


class Watch(Generic[_K]):
    """What a worker tells the watchdog: which plugin call it is in.

    The worker sets :attr:`current` to a key naming the call before it makes
    it (and counts it in :attr:`calls`), and back to None after it; it checks
    :attr:`abandoned` now and then and stops when it is set. Plain attributes,
    so that a worker making millions of calls pays next to nothing for them.
    """

    __slots__ = ("abandoned", "calls", "current")

    def __init__(self) -> None:
        self.current: _K | None = None
        """The call being made (None: between calls, not timed)."""
        self.calls = 0
        """How many calls were begun: tells one long call from many short ones."""
        self.abandoned = False
        """Set by the watchdog when it gave up on the worker."""


def configured_timeout() -> float | None:
    """The limit from ``CAMPAIGNKIT_PLUGIN_TIMEOUT`` (seconds), else the default; None: off
    (zero or less). A value that is not a finite number is ignored (the command line says
    so: :func:`ignored_setting`)."""
    return _setting()[0]


def ignored_setting() -> Phrase | None:
    """Why ``CAMPAIGNKIT_PLUGIN_TIMEOUT`` is set but ignored (None if it is unset or read):
    what the command line warns about."""
    return _setting()[1]


def _setting() -> tuple[float | None, Phrase | None]:
    """The limit ``CAMPAIGNKIT_PLUGIN_TIMEOUT`` sets, and why it is ignored if it is."""
    raw = os.environ.get("CAMPAIGNKIT_PLUGIN_TIMEOUT")
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT, None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isfinite(value):
        return (value if value > 0 else None), None
    why = Phrase(
        "setting-ignored.timeout",
        {"name": "CAMPAIGNKIT_PLUGIN_TIMEOUT", "value": raw, "default": f"{DEFAULT_TIMEOUT:g}"},
    )
    return DEFAULT_TIMEOUT, why


def watched(work: Callable[[], _T], watch: Watch[Any], *, timeout: float, name: str) -> _T:
    """Return ``work()``, run in a daemon thread named ``name`` while the caller watches.

    Each call ``work`` reports on ``watch`` may take ``timeout`` seconds; the
    first that takes longer sets ``watch.abandoned`` and raises
    :class:`PluginTimeout` whose ``call`` is that call's key (the worker is
    left behind and whatever it does later is discarded). Time spent between
    reported calls is not limited. Exceptions raised by ``work`` propagate
    unchanged.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name=f"campaignkit: {name}", daemon=True)
    worker.start()
    poll = min(POLL, timeout)
    seen, since = -1, 0.0
    while worker.is_alive():
        worker.join(poll)
        current, calls = watch.current, watch.calls
        now = time.monotonic()
        if current is None or calls != seen:
            # not in a call, or in a new one since the last look: start timing it
            seen, since = (calls if current is not None else -1), now
            continue
        if now - since > timeout:
            watch.abandoned = True
            raise PluginTimeout(Phrase("timeout", {"call": current, "seconds": timeout}), current)
    if "error" in box:
        raise box["error"]
    result: _T = box["result"]
    return result


def call_with_timeout(
    func: Callable[..., _T], *args: Any, timeout: float | None, what: str | Phrase
) -> _T:
    """Return ``func(*args)``, or raise :class:`PluginTimeout` after ``timeout`` seconds.

    One call under :func:`watched`, named ``what``. Exceptions raised by
    ``func`` propagate unchanged. ``timeout`` None calls ``func`` directly in
    this thread.
    """
    if timeout is None:
        return func(*args)
    watch: Watch[str | Phrase] = Watch()

    def work() -> _T:
        watch.calls += 1
        watch.current = what
        return func(*args)

    return watched(work, watch, timeout=timeout, name=str(what))
