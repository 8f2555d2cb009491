"""Validation's quick checks find the same problems as the checks that word every problem."""

from __future__ import annotations

import importlib
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import attrs
import orjson
import pytest

from benchmarks.generate import write_ledger
from campaignkit.errors import Problem
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.io import ledger_from_document
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Issue, IssueEvent
from campaignkit.validation.checks import _Clean, check_records
from tests.lifecycles import with_guard

VALIDATE = importlib.import_module("campaignkit.validation.checks")
EXAMPLE = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _generated(issues: int, seed: int) -> dict[str, Any]:
    buffer = io.BytesIO()
    write_ledger(buffer, issues, seed=seed)
    doc: dict[str, Any] = orjson.loads(buffer.getvalue())
    return doc


def _both(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Problem], list[Problem]]:
    ctype = get_plugin_manager().campaign_type(ledger.campaign.type)
    quick = list(check_records(ledger, ctype))
    with monkeypatch.context() as m:
        for name in ("enterprise", "activity", "issue", "outcome"):
            m.setattr(_Clean, name, lambda self, record: False)
        # the duplicate checks' shortcut for ids in increasing order never applies
        m.setattr(VALIDATE, "itertools", SimpleNamespace(islice=lambda *args: iter([""])))
        full = list(check_records(ledger, ctype))
    return quick, full


def _spoil(doc: dict[str, Any]) -> None:
    """Problems in places the quick checks skip when all is well (shared events among them)."""
    issues = [i for i in doc["issues"] if i.get("events")]
    bad_event = {"kind": "feedback", "date": "2024-06-01", "level": "planet"}
    for issue in issues[3:9]:
        issue["events"].append(dict(bad_event))  # one shared object, in six issues
    issues[10]["events"].insert(0, {"kind": "feedback", "date": "2024-12-31"})
    issues[11]["events"].append({"kind": "reopened", "date": "2024-12-31"})
    issues[12]["enterprise"] = "E-none"
    doc["issues"][20]["id"] = doc["issues"][19]["id"]
    doc["activities"][5]["id"] = doc["activities"][2]["id"]
    doc["enterprises"][7]["uscc"] = doc["enterprises"][1]["uscc"]
    doc["activities"][8]["enterprises"] = ["E-none"]


@pytest.mark.parametrize(("issues", "seed"), [(600, 2), (3000, 9)])
def test_generated_ledgers(issues: int, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _generated(issues, seed)
    ledger = ledger_from_document(doc)
    assert _both(ledger, monkeypatch) == ([], [])
    _spoil(doc)
    quick, full = _both(ledger_from_document(doc), monkeypatch)
    assert quick == full
    assert len(quick) >= 12
    assert sum(p.message.startswith("unknown level 'planet'") for p in quick) == 6


def test_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = orjson.loads(EXAMPLE.read_bytes())
    assert _both(ledger_from_document(doc), monkeypatch) == ([], [])
    _spoil(doc)
    quick, full = _both(ledger_from_document(doc), monkeypatch)
    assert quick == full and quick


def test_duplicates_out_of_order_are_found(document: dict[str, Any]) -> None:
    document["issues"][0]["id"], document["issues"][1]["id"] = "I9", "I1"
    document["issues"][2]["id"] = "I9"
    ledger = ledger_from_document(document)
    ctype = get_plugin_manager().campaign_type(ledger.campaign.type)
    problems = [p for p in check_records(ledger, ctype) if "duplicate issue id" in p.message]
    assert [str(p) for p in problems] == [
        "issues[2].id: duplicate issue id 'I9' (first at issues[0])"
    ]


def test_a_guard_that_looks_at_the_issue_is_asked_for_every_issue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Equal events are one object, but a plugin's guard may answer per issue."""
    doc = _generated(400, 4)
    ledger = ledger_from_document(doc)
    ctype = get_plugin_manager().campaign_type(ledger.campaign.type)
    resolved = [i for i in ledger.issues if any(e.kind == "resolved" for e in i.events)]
    refused = resolved[1::2]
    assert len(refused) >= 5
    refused_ids = {i.id for i in refused}

    def not_these(issue: Issue, event: IssueEvent) -> str | None:
        return "not this one" if issue.id in refused_ids else None

    base = ctype.lifecycle
    lifecycle = with_guard(base, "resolved", not_these)
    assert base.plain_guards and not lifecycle.plain_guards
    custom = attrs.evolve(ctype, lifecycle=lifecycle)
    problems = list(check_records(ledger, custom))
    assert {p.path.split(".")[0] for p in problems} == {
        f"issues[{ledger.issues.index(i)}]" for i in refused
    }
    assert all("not this one" in p.message for p in problems)
    with monkeypatch.context() as m:
        m.setattr(_Clean, "issue", lambda self, record: False)
        assert list(check_records(ledger, custom)) == problems
