"""Validation finds the problems of every record, located and in order, as a slow
reference that words each record with generators of its own and steps every history
event by event (``tests/validation/oracle.py``)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import write_ledger
from campaignkit.errors import Problem
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.io import ledger_from_document
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Issue, IssueEvent
from campaignkit.rules.records import CampaignType, ExtraAttribute, Label
from campaignkit.validation.checks import check_records
from tests.lifecycles import with_guard
from tests.validation.oracle import RECORDS, check_records_slowly

EXAMPLE = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"


def _generated(issues: int, seed: int) -> dict[str, Any]:
    buffer = io.BytesIO()
    write_ledger(buffer, issues, seed=seed)
    doc: dict[str, Any] = orjson.loads(buffer.getvalue())
    return doc


def _ctype(ledger: Ledger) -> CampaignType:
    return get_plugin_manager().campaign_type(ledger.campaign.type)


def _agree(ledger: Ledger, ctype: CampaignType | None = None) -> list[Problem]:
    """The problems of the records, found both ways (they must be equal)."""
    ctype = ctype or _ctype(ledger)
    found = [p for p in check_records(ledger, ctype) if p.path.split("[")[0] in RECORDS]
    assert found == list(check_records_slowly(ledger, ctype))
    return found


def _spoil(doc: dict[str, Any]) -> None:
    """Problems of every kind of record, shared events among them."""
    issues = [i for i in doc["issues"] if i.get("events")]
    bad_event = {"kind": "feedback", "date": "2024-06-01", "level": "planet"}
    for issue in issues[3:9]:
        issue["events"].append(dict(bad_event))  # one shared object, in six issues
    issues[10]["events"].insert(0, {"kind": "feedback", "date": "2024-12-31"})
    issues[11]["events"].append({"kind": "reopened", "date": "2024-12-31"})
    issues[12]["enterprise"] = "E-none"
    issues[13]["events"].insert(0, {"kind": "warp", "date": issues[13]["raised"]})
    issues[14]["events"].append({"kind": "extended", "date": "2023-01-01", "note": "x"})
    issues[15]["description"] = " "
    doc["issues"][20]["id"] = doc["issues"][19]["id"]
    doc["activities"][5]["id"] = doc["activities"][2]["id"]
    doc["activities"][6]["kind"] = "party"
    doc["activities"][8]["enterprises"] = ["E-none", "E-none"]
    doc["activities"][9]["enterprise_count"] = -1
    doc["enterprises"][7]["uscc"] = doc["enterprises"][1]["uscc"]
    doc["enterprises"][8]["uscc"] = doc["enterprises"][8]["uscc"][:-1] + "I"
    doc["enterprises"][9]["region"] = "999999"
    doc["outcomes"][0]["kind"] = "gift"
    doc["outcomes"][1]["amount_yuan"] = "-5"
    # the bounds of campaignkit.model.limits: names, counts, amounts, dates, deadlines, ratings
    assigned = [i for i in issues[16:] if i["events"][0]["kind"] == "assigned"]
    first = assigned[0]["events"][0]
    first.update(rating="satisfied", department="区局\u202e")
    first["deadline"] = {"amount": 5000, "unit": "working_days"}
    assigned[1]["events"][0]["due"] = "9999-12-31"
    assigned[2]["id"] = "I\n2"
    day = assigned[3]["events"][0]["date"]
    long = {"kind": "extended", "date": day, "deadline": {"amount": 2000, "unit": "days"}}
    assigned[3]["events"][1:1] = [dict(long), dict(long)]
    assigned[4]["events"][0]["stage"] = "\u200b"
    doc["activities"][10]["figures"] = {"copies": 10**13}
    doc["activities"][11]["id"] = "\u200b"
    doc["enterprises"][10]["name"] = "甲\x00"
    doc["enterprises"][11]["industry"] = "\u3164"
    doc["outcomes"][2]["amount_yuan"] = "1" + "0" * 20
    doc["outcomes"][3]["land_mu"] = "1.12345678"
    doc["outcomes"][4]["date"] = "2099-01-01"
    doc["outcomes"][4]["title"] = "长" * 100_001


@pytest.mark.parametrize(("issues", "seed"), [(600, 2), (3000, 9)])
def test_generated_ledgers(issues: int, seed: int) -> None:
    doc = _generated(issues, seed)
    assert _agree(ledger_from_document(doc)) == []
    _spoil(doc)
    found = _agree(ledger_from_document(doc))
    assert len(found) >= 20
    assert sum(p.message.startswith("unknown level 'planet'") for p in found) == 6
    assert {p.path.split("[")[0] for p in found} == set(RECORDS)


def test_the_example() -> None:
    doc = orjson.loads(EXAMPLE.read_bytes())
    assert _agree(ledger_from_document(doc)) == []
    _spoil(doc)
    assert _agree(ledger_from_document(doc))


def test_a_refused_event_ends_its_history() -> None:
    """Problems of events after the first one the lifecycle refuses are not reported: what
    follows a refused step has no state to be judged in."""
    doc = orjson.loads(EXAMPLE.read_bytes())
    issue = next(i for i in doc["issues"] if len(i.get("events", ())) >= 2)
    issue["events"][0:0] = [
        {"kind": "resolved", "date": issue["raised"]},
        {"kind": "feedback", "date": issue["raised"], "level": "planet"},
    ]
    n = doc["issues"].index(issue)
    found = _agree(ledger_from_document(doc))
    assert [p.path for p in found] == [f"issues[{n}].events[0].kind"]


def test_duplicates_out_of_order_are_found(document: dict[str, Any]) -> None:
    document["issues"][0]["id"], document["issues"][1]["id"] = "I9", "I1"
    document["issues"][2]["id"] = "I9"
    ledger = ledger_from_document(document)
    problems = [p for p in _agree(ledger) if "duplicate issue id" in p.message]
    assert [str(p) for p in problems] == [
        "issues[2].id: duplicate issue id 'I9' (first at issues[0])"
    ]


def test_a_guard_that_looks_at_the_issue_is_asked_for_every_issue() -> None:
    """Equal events are one object, but a plugin's guard may answer per issue."""
    ledger = ledger_from_document(_generated(400, 4))
    ctype = _ctype(ledger)
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
    problems = _agree(ledger, custom)
    assert {p.path.split(".")[0] for p in problems} == {
        f"issues[{ledger.issues.index(i)}]" for i in refused
    }
    assert all("not this one" in p.message for p in problems)


_L = Label("x", "x")
ATTRIBUTES = (
    ExtraAttribute("issue", "s", "str", _L),
    ExtraAttribute("issue", "n", "int", _L, required=True),
    ExtraAttribute("issue", "b", "bool", _L),
    ExtraAttribute("issue", "d", "decimal", _L),
    ExtraAttribute("issue", "day", "date", _L),
    ExtraAttribute("issue", "c", "str", _L, choices=("one", "two")),
    ExtraAttribute("activity", "k", "str", _L, kinds=("symposium",), required=True),
    ExtraAttribute("activity", "k", "int", _L, kinds=("media_report",)),
    ExtraAttribute("activity", "s", "str", _L),
    ExtraAttribute("event", "when", "date", _L, kinds=("feedback",)),
    # required of some channels or categories only (the example's first issue: a visit
    # about labour)
    ExtraAttribute("issue", "t", "str", _L, required=True, required_channels=("visit",)),
    ExtraAttribute(
        "issue", "g", "int", _L, required=True, required_categories=("labour", "finance")
    ),
    ExtraAttribute(
        "issue",
        "tg",
        "bool",
        Label("工单", "ticket"),
        required=True,
        required_channels=("visit", "platform"),
        required_categories=("labour",),
    ),
    ExtraAttribute("issue", "off", "str", _L, required=True, required_channels=("phone",)),
)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=6),
    st.sampled_from(["one", "two", "2024-02-29", "2023-02-29", "1.5", "1e3", "NaN", "x", " 7"]),
    st.lists(st.integers(), max_size=2),
)
extras = st.dictionaries(
    st.sampled_from(["s", "n", "b", "d", "day", "c", "k", "when", "zz", "t", "g", "tg", "off"]),
    values,
    max_size=4,
)
BASE = ledger_from_document(orjson.loads(EXAMPLE.read_bytes()))
DECLARING = attrs.evolve(_ctype(BASE), extra_attributes=ATTRIBUTES)


@settings(max_examples=150, deadline=None)
@given(st.lists(extras, min_size=4, max_size=4))
def test_extra_attributes(given_extras: list[dict[str, Any]]) -> None:
    """Declared, undeclared, required and wrongly typed attributes of each kind of record."""
    first, second, third, fourth = given_extras
    issues = list(BASE.issues)
    with_events = next(n for n, i in enumerate(issues) if i.events)
    event = attrs.evolve(issues[with_events].events[0], kind="feedback", extra=third)
    issues[with_events] = attrs.evolve(
        issues[with_events], events=(*issues[with_events].events, event)
    )
    issues[0] = attrs.evolve(issues[0], extra=first)
    activities = list(BASE.activities)
    activities[0] = attrs.evolve(activities[0], extra=second)
    outcomes = list(BASE.outcomes)
    outcomes[0] = attrs.evolve(outcomes[0], extra=fourth)
    ledger = BASE.replace(
        issues=tuple(issues), activities=tuple(activities), outcomes=tuple(outcomes)
    )
    _agree(ledger, DECLARING)


def test_an_event_before_the_issue_and_one_before_the_last() -> None:
    doc = orjson.loads(EXAMPLE.read_bytes())
    issue = next(i for i in doc["issues"] if len(i.get("events", ())) >= 2)
    n = doc["issues"].index(issue)
    raised = dt.date.fromisoformat(issue["raised"])
    issue["events"][1]["date"] = (raised - dt.timedelta(days=1)).isoformat()
    found = _agree(ledger_from_document(doc))
    assert [p.path for p in found][:1] == [f"issues[{n}].events[1].date"]
    assert found[0].message.endswith(f"is before the issue was raised ({raised.isoformat()})")


def test_two_events_before_the_issue_each_say_so() -> None:
    """The second is later than the first, yet still before the issue was raised."""
    doc = orjson.loads(EXAMPLE.read_bytes())
    issue = next(i for i in doc["issues"] if len(i.get("events", ())) >= 2)
    n = doc["issues"].index(issue)
    raised = dt.date.fromisoformat(issue["raised"])
    issue["events"][0]["date"] = (raised - dt.timedelta(days=5)).isoformat()
    issue["events"][1]["date"] = (raised - dt.timedelta(days=2)).isoformat()
    found = [p.path for p in _agree(ledger_from_document(doc))]
    assert found[:2] == [f"issues[{n}].events[0].date", f"issues[{n}].events[1].date"]
