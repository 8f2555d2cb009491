"""The collector pause used while loading and computing always restores the collector's state."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from campaignkit._gc import build_paused, paused


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
