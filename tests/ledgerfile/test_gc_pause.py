"""The collector pause used while loading and computing always restores the collector's state."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from campaignkit.gcpause import build_paused, paused


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_restores_an_enabled_collector_even_on_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_build_paused_returns_the_value_and_restores() -> None:
    gc.enable()
    seen: list[bool] = []

    def build() -> int:
        seen.append(gc.isenabled())
        return 42

    assert build_paused(build) == 42
    assert seen == [False]
    assert gc.isenabled()

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        build_paused(fail)
    assert gc.isenabled()
    gc.disable()
    assert build_paused(build) == 42
    assert not gc.isenabled()


def _in_oldest(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects(generation=2))


def test_objects_built_in_a_pause_settle_in_the_oldest_generation() -> None:
    gc.unfreeze()  # some interpreters' test runs start with objects frozen: settling needs none
    gc.enable()
    with paused():
        built = [[i] for i in range(3)]
    assert _in_oldest(built)
    assert all(_in_oldest(item) for item in built)
    made = build_paused(lambda: {"a": [1]})
    assert _in_oldest(made)
    assert gc.get_freeze_count() == 0


def test_objects_frozen_by_someone_else_stay_frozen() -> None:
    gc.enable()
    before = [1, 2]
    gc.collect()
    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        with paused():
            gc.collect(0)  # something built and dropped in the pause
        # Nothing unfrozen. (Frozen objects that other threads free in the meantime leave
        # the frozen set, so the count itself may drop a little; unfreezing empties it.)
        assert gc.get_freeze_count() > 0
        assert not _in_oldest(before)
    finally:
        gc.unfreeze()


def test_a_disabled_collector_moves_nothing() -> None:
    gc.disable()
    with paused():
        built = [[4]]
    assert not _in_oldest(built)
