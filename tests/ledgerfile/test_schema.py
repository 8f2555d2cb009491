"""The JSON Schema of the ledger format: up to date, accepts real ledgers, rejects bad ones."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker

import campaignkit as ck
from campaignkit.errors import LedgerError
from campaignkit.io import ledger_from_document
from campaignkit.ledgerfile.schema import ledger_schema, main, schema_json
from campaignkit.model.ledger import Ledger
from tests.conftest import minimal_document
from tests.strategies import ledgers

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "ledger.schema.json"
HUAINAN = ROOT / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = ledger_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_errors(validator: Draft202012Validator, doc: Any) -> list[str]:
    return [
        "/".join(str(p) for p in e.absolute_path) + ": " + e.message
        for e in validator.iter_errors(doc)
    ]


def test_published_schema_is_up_to_date() -> None:
    assert PUBLISHED.exists(), (
        "run: python -m campaignkit.ledgerfile.schema docs/ledger.schema.json"
    )
    assert PUBLISHED.read_bytes() == schema_json(), (
        "docs/ledger.schema.json is out of date with the model; "
        "regenerate it: python -m campaignkit.ledgerfile.schema docs/ledger.schema.json"
    )


def test_main_writes_the_schema_atomically(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("old", encoding="utf-8")
    assert main([str(target)]) == 0
    assert target.read_bytes() == schema_json()
    assert json.loads(target.read_text(encoding="utf-8")) == ledger_schema()
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]
    assert main(["--help"]) == 2
    assert main(["a", "b"]) == 2


def test_schema_follows_the_model() -> None:
    schema = ledger_schema()
    defs = schema["$defs"]
    # every object forbids unknown keys
    for name, definition in defs.items():
        if definition.get("type") == "object":
            assert definition["additionalProperties"] is False, name
    assert schema["additionalProperties"] is False
    # required = fields without a default; the private index cache is not part of the format
    assert defs["Issue"]["required"] == ["id", "category", "description", "channel", "raised"]
    assert "cache" not in schema["properties"] and "_cache" not in schema["properties"]
    outcome = defs["Outcome"]["properties"]
    assert outcome["status"]["enum"] == [s.value for s in ck.OutcomeStatus]
    assert outcome["amount_yuan"]["anyOf"][0]["type"] == ["string", "integer"]
    assert defs["Region"]["properties"]["level"]["enum"] == [lv.value for lv in ck.RegionLevel]
    # attribute docstrings become descriptions
    assert defs["Team"]["properties"]["regions"]["description"] == (
        "Region codes a stationed team covers."
    )
    assert "统一社会信用代码" in defs["Enterprise"]["properties"]["uscc"]["description"]


def test_minimal_document_is_valid(validator: Draft202012Validator) -> None:
    assert schema_errors(validator, minimal_document()) == []


def test_huainan_ledger_is_valid(validator: Draft202012Validator) -> None:
    doc = orjson.loads(HUAINAN.read_bytes())
    assert schema_errors(validator, doc) == []
    # and it is a ledger campaignkit itself accepts
    assert len(ck.load(HUAINAN).enterprises) > 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_every_written_ledger_is_valid(ledger: Ledger) -> None:
    doc = orjson.loads(ck.dumps(ledger))
    assert schema_errors(Draft202012Validator(ledger_schema()), doc) == []


Mutation = Callable[[dict[str, Any]], None]


def _set(path: tuple[str | int, ...], value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[str | int, ...]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


# (mutation, JSON path the schema reports, problem path campaignkit reports)
INVALID: list[tuple[str, Mutation, str, str]] = [
    (
        "integer as a string",
        _set(("work_groups", 0, "headcount"), "15"),
        "work_groups/0/headcount",
        "work_groups[0].headcount",
    ),
    (
        "binary number as an amount",
        _set(("outcomes", 0, "land_mu"), 12.5),
        "outcomes/0/land_mu",
        "outcomes[0].land_mu",
    ),
    (
        "amount with an exponent",
        _set(("outcomes", 0, "land_mu"), "1e3"),
        "outcomes/0/land_mu",
        "outcomes[0].land_mu",
    ),
    (
        "string instead of a list",
        _set(("activities", 0, "enterprises"), "E1"),
        "activities/0/enterprises",
        "activities[0].enterprises",
    ),
    (
        "unknown key (a typo)",
        _set(("issues", 0, "catgory"), "labour"),
        "issues/0",
        "issues[0]",
    ),
    (
        "date in another form",
        _set(("activities", 1, "date"), "2020/04/14"),
        "activities/1/date",
        "activities[1].date",
    ),
    (
        "value outside an enumeration",
        _set(("work_groups", 0, "teams", 2, "kind"), "roaming"),
        "work_groups/0/teams/2/kind",
        "work_groups[0].teams[2].kind",
    ),
    (
        "required field missing",
        _delete(("enterprises", 1, "name")),
        "enterprises/1",
        "enterprises[1].name",
    ),
    (
        "binary number inside extra",
        _set(("activities", 4, "extra"), {"media_level": 1.5}),
        "activities/4/extra/media_level",
        "activities[4].extra.media_level",
    ),
    ("wrong format version", _set(("version",), 2), "version", "version"),
    ("format version true", _set(("version",), True), "version", "version"),
    (
        "integer too large",
        _set(("work_groups", 0, "headcount"), 2**64),
        "work_groups/0/headcount",
        "work_groups[0].headcount",
    ),
    (
        "integer too large inside extra",
        _set(("activities", 4, "extra"), {"copies": -(2**63) - 1}),
        "activities/4/extra/copies",
        "activities[4].extra.copies",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "schema_path", "problem_path"),
    [pytest.param(m, s, p, id=name) for name, m, s, p in INVALID],
)
def test_invalid_documents_are_rejected_by_schema_and_loader_alike(
    validator: Draft202012Validator, mutate: Mutation, schema_path: str, problem_path: str
) -> None:
    doc = copy.deepcopy(minimal_document())
    mutate(doc)
    errors = schema_errors(validator, doc)
    assert errors, "the schema accepted an invalid document"
    assert any(
        e.startswith(schema_path + ":") or e.startswith(schema_path + "/") for e in errors
    ), errors
    with pytest.raises(LedgerError) as info:
        ledger_from_document(doc)
    assert problem_path in [p.path for p in info.value.problems]


def test_uscc_outside_the_alphabet_is_rejected(validator: Draft202012Validator) -> None:
    doc = copy.deepcopy(minimal_document())
    doc["enterprises"][0]["uscc"] = "91340400MA0000001I"  # I is not in the alphabet
    assert any(e.startswith("enterprises/0/uscc:") for e in schema_errors(validator, doc))
