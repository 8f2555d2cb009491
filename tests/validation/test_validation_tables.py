"""Validation's per-state event tables find the same problems as stepping every event."""

from __future__ import annotations

import orjson
import pytest

from campaignkit.errors import Problem
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.io import ledger_from_document
from campaignkit.model.ledger import Ledger
from campaignkit.rules.lifecycle import Lifecycle
from campaignkit.validation.checks import _Clean, check_records
from tests.validation.test_validation_paths import EXAMPLE, _generated, _spoil


def _clean_and_stepped(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[bool], list[bool], list[Problem], list[Problem]]:
    ctype = get_plugin_manager().campaign_type(ledger.campaign.type)
    assert ctype.lifecycle.plain_guards
    tables = _Clean(ledger, ctype)
    assert tables._moves is not None
    by_table = [tables.issue(i) for i in ledger.issues]
    again = [tables.issue(i) for i in ledger.issues]  # now from the filled tables
    assert again == by_table
    problems = list(check_records(ledger, ctype))
    with monkeypatch.context() as m:
        m.setattr(Lifecycle, "plain_guards", property(lambda self: False))
        stepping = _Clean(ledger, ctype)
        assert stepping._moves is None
        by_step = [stepping.issue(i) for i in ledger.issues]
        stepped_problems = list(check_records(ledger, ctype))
    return by_table, by_step, problems, stepped_problems


@pytest.mark.parametrize(("issues", "seed"), [(800, 5), (2500, 11)])
def test_generated_ledgers(issues: int, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _generated(issues, seed)
    by_table, by_step, problems, stepped = _clean_and_stepped(
        ledger_from_document(doc), monkeypatch
    )
    assert by_table == by_step and all(by_table) and problems == stepped == []
    _spoil(doc)
    by_table, by_step, problems, stepped = _clean_and_stepped(
        ledger_from_document(doc), monkeypatch
    )
    assert by_table == by_step and not all(by_table)
    assert problems == stepped and len(problems) >= 12


def test_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = orjson.loads(EXAMPLE.read_bytes())
    _spoil(doc)
    by_table, by_step, problems, stepped = _clean_and_stepped(
        ledger_from_document(doc), monkeypatch
    )
    assert by_table == by_step and problems == stepped and problems
