"""The converter is strict where cattrs is lenient, and paths name the bad field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest

import campaignkit as ck


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    return [str(p) for p in info.value.problems]


def test_string_is_not_an_integer(document: dict[str, Any]) -> None:
    document["work_groups"][0]["headcount"] = "15"
    assert problems(document) == [
        "work_groups[0].headcount: expected an integer, got the string '15'"
    ]


def test_string_is_not_a_list(document: dict[str, Any]) -> None:
    document["enterprises"][1]["classes"] = "abc"
    assert problems(document) == ["enterprises[1].classes: expected a list, got the string 'abc'"]


def test_boolean_is_not_an_integer(document: dict[str, Any]) -> None:
    document["activities"][2]["enterprise_count"] = True
    assert problems(document) == [
        "activities[2].enterprise_count: expected an integer, got a boolean"
    ]


def test_float_amount_is_refused(document: dict[str, Any]) -> None:
    document["outcomes"][0]["land_mu"] = 12.5
    [msg] = problems(document)
    assert msg.startswith("outcomes[0].land_mu: expected an exact amount as a string")


@pytest.mark.parametrize("bad", ["12,5", "1e3", "", "  1", "abc", "01"])
def test_malformed_amounts(document: dict[str, Any], bad: str) -> None:
    document["outcomes"][1]["amount_yuan"] = bad
    [msg] = problems(document)
    assert msg.startswith("outcomes[1].amount_yuan: expected an exact amount")


def test_integer_amount_is_exact(document: dict[str, Any]) -> None:
    document["outcomes"][1]["amount_yuan"] = 5000000
    ledger = ck.loads(orjson.dumps(document))
    assert ledger.outcomes[1].amount_yuan == Decimal(5000000)


@pytest.mark.parametrize("bad", ["2020/04/13", "2020-4-13", "2020-02-30", 20200413])
def test_bad_dates(document: dict[str, Any], bad: object) -> None:
    document["issues"][2]["raised"] = bad
    [msg] = problems(document)
    assert msg.startswith("issues[2].raised: ")


def test_unknown_key_is_an_error(document: dict[str, Any]) -> None:
    document["issues"][0]["enterprize"] = "E1"
    [msg] = problems(document)
    assert msg.startswith("issues[0]: unknown key(s) 'enterprize'; allowed: id, category")


def test_missing_key(document: dict[str, Any]) -> None:
    del document["enterprises"][0]["uscc"]
    assert problems(document) == ["enterprises[0].uscc: required key missing"]


def test_bad_enum_lists_choices(document: dict[str, Any]) -> None:
    document["work_groups"][0]["teams"][0]["kind"] = "roaming"
    assert problems(document) == [
        "work_groups[0].teams[0].kind: expected one of 'stationed', 'mobile', got the string 'roaming'"
    ]


def test_nested_event_path(document: dict[str, Any]) -> None:
    document["issues"][0]["events"][2]["rating"] = "happy"
    [msg] = problems(document)
    assert msg.startswith("issues[0].events[2].rating: expected one of 'satisfied'")


def test_figures_values_are_strict(document: dict[str, Any]) -> None:
    document["activities"][3]["figures"] = {"copies": "300"}
    assert problems(document) == [
        "activities[3].figures.copies: expected an integer, got the string '300'"
    ]


def test_all_structural_problems_together(document: dict[str, Any]) -> None:
    document["work_groups"][0]["headcount"] = "15"
    document["enterprises"][1]["classes"] = "abc"
    document["issues"][1]["raised"] = "yesterday"
    assert len(problems(document)) == 3


def test_extra_values_must_be_json(document: dict[str, Any]) -> None:
    document["activities"][4]["extra"] = {"media_level": 1.5}
    [msg] = problems(document)
    # located down to the number, as the file format page's examples show
    assert msg.startswith("activities[4].extra.media_level: numbers with a fraction")


def test_wrong_format_and_version(document: dict[str, Any]) -> None:
    document["format"] = "something-else"
    document["version"] = 99
    msgs = problems(document)
    assert msgs[0] == "format: expected 'campaignkit-ledger', got 'something-else'"
    assert msgs[1].startswith("version: unsupported format version 99")
