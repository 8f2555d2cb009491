"""Loading, validating and computing leave the garbage collector as they found it.

The library pauses the cyclic collector while it builds many objects. Seen from
the host process, through the public API only: whether the collector is
enabled, its thresholds and its frozen objects are the same after a call as
before, whatever the call did (returned, raised, was interrupted).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit import hookimpl
from campaignkit.escalation.engine import assess
from campaignkit.rules.records import Label, Validator
from campaignkit.testing import plugin_manager

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
THRESHOLDS = (1234, 7, 9)

GcState = tuple[bool, tuple[int, ...], int]


def _state() -> GcState:
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


@pytest.fixture(autouse=True)
def _host_collector() -> Iterator[None]:
    """Whatever a test does to the collector is undone for the tests after it."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture(params=["enabled", "disabled"])
def host(request: pytest.FixtureRequest) -> Callable[[], GcState]:
    """The host's collector before the call: enabled or not, with thresholds of its own."""
    gc.set_threshold(*THRESHOLDS)
    if request.param == "enabled":
        gc.enable()
    else:
        gc.disable()
    return _state


def _invalid_document() -> bytes:
    doc = orjson.loads(HUAINAN.read_bytes())
    doc["issues"][0]["enterprise"] = "E-NOT-THERE"
    return orjson.dumps(doc)


def _calls(tmp_path: Path) -> list[tuple[str, Callable[[], object], type[BaseException] | None]]:
    bad = tmp_path / "bad.json"
    bad.write_bytes(_invalid_document())
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"format": ')
    data = HUAINAN.read_bytes()
    return [
        ("load", lambda: ck.load(HUAINAN), None),
        ("loads", lambda: ck.loads(data), None),
        ("load invalid", lambda: ck.load(bad), ck.LedgerError),
        ("loads invalid", lambda: ck.loads(_invalid_document()), ck.LedgerError),
        ("load not json", lambda: ck.load(broken), ck.LedgerError),
        ("load missing", lambda: ck.load(tmp_path / "missing.json"), ck.LedgerError),
    ]


def test_a_load_leaves_the_collector_as_found(host: Callable[[], GcState], tmp_path: Path) -> None:
    for name, call, raises in _calls(tmp_path):
        before = host()
        if raises is None:
            call()
        else:
            with pytest.raises(raises):
                call()
        assert host() == before, name


def test_statistics_and_escalation_leave_the_collector_as_found(
    host: Callable[[], GcState],
) -> None:
    ledger = ck.load(HUAINAN)
    before = host()
    ck.compute_all(ledger)
    ck.breakdown(ledger, "issues_collected", "team")
    assert host() == before
    assert ck.validate(ledger) == []
    assert host() == before
    assess(ledger, dt.date(2020, 6, 30))
    assert host() == before


class _Interrupting:
    """A validator plugin that is interrupted (Ctrl-C) while a load is validating."""

    def __init__(self) -> None:
        self.seen: list[bool] = []

    def check(self, ledger: Any, campaign_type: Any) -> Sequence[ck.Problem]:
        self.seen.append(gc.isenabled())
        raise KeyboardInterrupt

    @hookimpl
    def campaignkit_validators(self) -> Sequence[Validator]:
        return [Validator(name="interrupted", label=Label("中断", "interrupted"), check=self.check)]


def test_an_interrupted_load_leaves_the_collector_as_found(host: Callable[[], GcState]) -> None:
    plugin = _Interrupting()
    data = HUAINAN.read_bytes()
    with plugin_manager(plugin) as pm:
        before = host()
        with pytest.raises(KeyboardInterrupt):
            ck.loads(data, manager=pm)
        assert host() == before
    assert plugin.seen == [False], "the collector was paused while the ledger was validated"


class _Rethresholding:
    """A validator plugin that changes the collector's thresholds, as a careless one might."""

    def check(self, ledger: Any, campaign_type: Any) -> Sequence[ck.Problem]:
        gc.set_threshold(1, 1, 1)
        return []

    @hookimpl
    def campaignkit_validators(self) -> Sequence[Validator]:
        return [Validator(name="thresholds", label=Label("阈值", "thresholds"), check=self.check)]


def test_thresholds_changed_during_a_load_are_put_back(host: Callable[[], GcState]) -> None:
    with plugin_manager(_Rethresholding()) as pm:
        before = host()
        ck.loads(HUAINAN.read_bytes(), manager=pm)
        assert host() == before


def test_objects_the_host_froze_stay_frozen(host: Callable[[], GcState]) -> None:
    """A pre-fork server's frozen objects are neither unfrozen nor joined by the library's."""
    kept = [[i] for i in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        ledger = ck.load(HUAINAN)
        ck.compute_all(ledger)
        # the library froze nothing of its own and unfroze nothing of the host's
        assert gc.get_freeze_count() <= frozen
        assert not any(obj is kept for obj in gc.get_objects())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_nothing_is_frozen_by_a_load(host: Callable[[], GcState]) -> None:
    gc.unfreeze()  # some interpreters' test runs start with objects frozen
    ledger = ck.load(HUAINAN)
    ck.compute_all(ledger)
    assert gc.get_freeze_count() == 0


def test_the_hosts_young_objects_stay_young(host: Callable[[], GcState]) -> None:
    """Nothing moves the host's objects between generations (as ``freeze``/``unfreeze`` would)."""
    gc.unfreeze()
    gc.set_threshold(10**9, 10, 10)  # no automatic collection while the test runs
    young = [[i] for i in range(10)]
    assert any(obj is young for obj in gc.get_objects(generation=0))
    ledger = ck.load(HUAINAN)
    ck.compute_all(ledger)
    assert not any(obj is young for obj in gc.get_objects(generation=2))
