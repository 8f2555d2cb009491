"""The quick checks of every issue and activity in one loop refuse what the one-by-one checks do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import orjson
import pytest

from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.io import ledger_from_document
from campaignkit.model.ledger import Ledger
from campaignkit.rules.lifecycle import Lifecycle
from campaignkit.validation.checks import _Clean
from tests.validation.test_team_recheck import _mixed
from tests.validation.test_validation_paths import EXAMPLE, _generated, _spoil


def _refused_one_by_one(clean: _Clean, ledger: Ledger) -> list[int]:
    return [i for i, issue in enumerate(ledger.issues) if not clean.issue(issue)]


def _agree(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    ctype = get_plugin_manager().campaign_type(ledger.campaign.type)
    batch = _Clean(ledger, ctype).unclean_issues(ledger.issues)
    one = _Clean(ledger, ctype)
    assert one._moves is not None
    assert _refused_one_by_one(one, ledger) == batch
    assert one.unclean_issues(ledger.issues) == batch  # from the tables the first pass filled
    with monkeypatch.context() as m:
        m.setattr(Lifecycle, "plain_guards", property(lambda self: False))
        stepping = _Clean(ledger, ctype)
        assert stepping._moves is None
        assert stepping.unclean_issues(ledger.issues) == batch
    return batch


def _variants(doc: dict[str, Any]) -> list[Ledger]:
    clean = ledger_from_document(doc)
    _spoil(doc)
    spoiled = ledger_from_document(doc)
    return [clean, _mixed(clean), spoiled, _mixed(spoiled)]


@pytest.mark.parametrize(("issues", "seed"), [(800, 5), (2500, 11)])
def test_generated_ledgers(issues: int, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    clean, mixed, spoiled, both = _variants(_generated(issues, seed))
    assert _agree(clean, monkeypatch) == []
    assert _agree(mixed, monkeypatch)
    assert _agree(spoiled, monkeypatch)
    assert _agree(both, monkeypatch)


def test_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    clean, mixed, spoiled, both = _variants(orjson.loads(EXAMPLE.read_bytes()))
    assert _agree(clean, monkeypatch) == []
    for ledger in (mixed, spoiled, both):
        assert _agree(ledger, monkeypatch)


def _spoiled_activities(ledger: Ledger) -> Ledger:
    """``ledger`` with activities spoiled in each way the quick check looks for."""
    activities = list(ledger.activities)
    named = [k for k, a in enumerate(activities) if a.enterprises]
    assert len(named) > 8 and len(activities) > 40
    a0, a1, a2 = (activities[k] for k in named[:3])
    activities[named[0]] = attrs.evolve(a0, enterprises=(*a0.enterprises, "E-unknown"))
    activities[named[1]] = attrs.evolve(a1, enterprises=(*a1.enterprises, a1.enterprises[0]))
    activities[named[2]] = attrs.evolve(a2, enterprise_count=len(a2.enterprises) - 1)
    changes: list[dict[str, Any]] = [
        {"kind": "no-such-kind"},
        {"team": "T-unknown"},
        {"region": "999999"},
        {"officials": -1},
        {"figures": {"no-such-figure": 1}},
        {"title": "t" * 100_001},
        {"notes": "n" * 100_001},
        {"extra": {"no-such-attribute": 1}},
        {"date": ledger.campaign.period.end.replace(year=ledger.campaign.period.end.year + 1)},
    ]
    for k, change in zip(range(5, len(activities), 4), changes, strict=False):
        activities[k] = attrs.evolve(activities[k], **change)
    return ledger.replace(activities=tuple(activities))


def _activities_agree(ledger: Ledger) -> list[int]:
    ctype = get_plugin_manager().campaign_type(ledger.campaign.type)
    clean = _Clean(ledger, ctype)
    batch = clean.unclean_activities(ledger.activities)
    one = [k for k, a in enumerate(ledger.activities) if not clean.activity(a)]
    assert batch == one
    return batch


@pytest.mark.parametrize(("issues", "seed"), [(800, 5), (2500, 11)])
def test_generated_activities(issues: int, seed: int) -> None:
    clean, mixed, spoiled, both = _variants(_generated(issues, seed))
    assert _activities_agree(clean) == []
    for ledger in (mixed, spoiled, both):
        _activities_agree(ledger)
    assert len(_activities_agree(_spoiled_activities(clean))) >= 12


def test_the_example_activities() -> None:
    clean, mixed, spoiled, both = _variants(orjson.loads(EXAMPLE.read_bytes()))
    assert _activities_agree(clean) == []
    for ledger in (mixed, spoiled, both):
        _activities_agree(ledger)
    assert len(_activities_agree(_spoiled_activities(clean))) >= 12


def _spoiled_issues(ledger: Ledger, only: int | None = None) -> tuple[Ledger, list[int]]:
    """``ledger`` with one issue spoiled in each way the quick check of fields looks for
    (or only the ``only``-th way), and the positions spoiled."""
    issues = list(ledger.issues)
    period = ledger.campaign.period
    in_activity = [k for k, issue in enumerate(issues) if issue.activity is not None]
    others = [k for k in range(len(issues)) if k not in set(in_activity)]
    assert len(in_activity) > 40 and len(others) > 40
    late = issues[in_activity[3]]
    act = ledger.activity_index[late.activity or ""]
    changes: list[tuple[int, dict[str, Any]]] = [
        (others[1], {"category": "no-such-category"}),
        (others[2], {"channel": "no-such-channel"}),
        (others[3], {"raised": period.end.replace(year=period.end.year + 1)}),
        (others[4], {"raised": period.start.replace(year=period.start.year - 1)}),
        (others[5], {"enterprise": "E-unknown"}),
        (others[6], {"team": "T-unknown"}),
        (others[7], {"activity": "A-unknown"}),
        (others[8], {"activity": "A-unknown-too"}),
        (others[9], {"description": ""}),
        (others[10], {"description": " \u3000 "}),
        (others[11], {"description": "d" * 100_001}),
        (others[12], {"extra": {"no-such-attribute": 1}}),
        (in_activity[3], {"raised": act.date - dt.timedelta(days=1), "events": ()}),
    ]
    if only is not None:
        changes = changes[only : only + 1]
    for k, change in changes:
        issues[k] = attrs.evolve(issues[k], **change)
    return ledger.replace(issues=tuple(issues)), sorted(k for k, _ in changes)


@pytest.mark.parametrize(("issues", "seed"), [(800, 5), (2500, 11)])
def test_each_refused_field_is_found(
    issues: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = ledger_from_document(_generated(issues, seed))
    spoiled, positions = _spoiled_issues(clean)
    assert _agree(spoiled, monkeypatch) == positions
    # with teams other than the activities' as well (those are refused too)
    assert set(positions) < set(_agree(_mixed(spoiled), monkeypatch))


@pytest.mark.parametrize("only", range(13))
def test_one_refused_field_alone(only: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each way alone: no other refused issue makes the check look closer."""
    spoiled, positions = _spoiled_issues(ledger_from_document(_generated(800, 5)), only)
    assert _agree(spoiled, monkeypatch) == positions
