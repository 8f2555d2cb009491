"""The quick check of every issue in one loop refuses exactly the issues the per-issue check does."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from campaignkit.io import ledger_from_document
from campaignkit.ledger import Ledger
from campaignkit.lifecycle import Lifecycle
from campaignkit.manager import get_plugin_manager
from campaignkit.validate import _Clean
from tests.test_team_recheck import _mixed
from tests.test_validation_paths import EXAMPLE, _generated, _spoil


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
