"""Pausing the cyclic garbage collector while many acyclic objects are built.

Loading a ledger or computing its statistics creates millions of records and
tuples that reference counting alone frees. While they are being created the
cyclic collector would walk every new container again and again (and, at the
size of a province, every record already loaded), for nothing: pausing it
saves a fifth to a half of the time. The previous state is always restored.

When the pause ends, the objects built during it are moved straight to the
collector's oldest generation (``gc.freeze()`` then ``gc.unfreeze()``, two
constant-time list moves). Otherwise the collector, enabled again, would walk
the millions of new records as young objects, once per generation, before
they settle: at the size of a province that costs a fifth of the time of a
load and of a summary. Any cyclic garbage among them is still found by the
next full collection. Nothing is moved when something else has frozen
objects (``gc.get_freeze_count()`` is not 0), so what a pre-fork server froze
stays frozen.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import TypeVar

__all__ = ["build_paused", "paused"]

_T = TypeVar("_T")


def _settle() -> None:
    """Move every tracked object to the oldest generation, unless objects are frozen."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _settle()
            gc.enable()


def build_paused(build: Callable[[], _T]) -> _T:
    """``build()`` with the collector paused (cheap enough to call once per record)."""
    if not gc.isenabled():
        return build()
    gc.disable()
    try:
        return build()
    finally:
        _settle()
        gc.enable()
