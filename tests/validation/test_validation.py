"""Each semantic rule: a bad input and the exact error path and message."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

import campaignkit as ck
from tests.conftest import uscc


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    return [str(p) for p in info.value.problems]


def test_minimal_document_is_valid(document: dict[str, Any]) -> None:
    ledger = ck.loads(orjson.dumps(document))
    assert len(ledger.issues) == 3
    assert ledger.enterprise_index["E2"].name == "乙公司"


def test_unknown_enterprise(document: dict[str, Any]) -> None:
    document["issues"][2]["enterprise"] = "E0999"
    assert problems(document) == ["issues[2].enterprise: unknown enterprise 'E0999'"]


def test_check_character(document: dict[str, Any]) -> None:
    good = document["enterprises"][1]["uscc"]
    document["enterprises"][1]["uscc"] = good[:17] + ("0" if good[17] != "0" else "1")
    assert problems(document) == [f"enterprises[1].uscc: check character should be {good[17]!r}"]


def test_duplicate_ids(document: dict[str, Any]) -> None:
    document["activities"][1]["id"] = "A1"
    document["enterprises"][2]["uscc"] = document["enterprises"][0]["uscc"]
    msgs = problems(document)
    assert "activities[1].id: duplicate activity id 'A1' (first at activities[0])" in msgs
    assert (
        "enterprises[2].uscc: duplicate unified social credit code "
        f"{document['enterprises'][0]['uscc']!r} (first at enterprises[0])"
    ) in msgs


def test_dates_outside_campaign(document: dict[str, Any]) -> None:
    document["activities"][0]["date"] = "2020-05-13"
    document["issues"][1]["raised"] = "2020-04-11"
    msgs = problems(document)
    assert (
        "activities[0].date: 2020-05-13 is outside the campaign period 2020-04-12–2020-05-12"
        in msgs
    )
    assert (
        "issues[1].raised: 2020-04-11 is outside the campaign period 2020-04-12–2020-05-12" in msgs
    )


def test_period_in_wrong_order(document: dict[str, Any]) -> None:
    document["campaign"]["phases"][0]["period"] = {"start": "2020-04-22", "end": "2020-04-12"}
    assert problems(document) == ["campaign.phases[0].period: end is before start"]


def test_negative_amounts_and_counts(document: dict[str, Any]) -> None:
    document["outcomes"][1]["amount_yuan"] = "-5"
    document["activities"][2]["officials"] = -1
    document["activities"][3]["figures"] = {"copies": -3}
    msgs = problems(document)
    assert "outcomes[1].amount_yuan: must not be negative, got -5" in msgs
    assert "activities[2].officials: must not be negative" in msgs
    assert "activities[3].figures.copies: must not be negative" in msgs


def test_attendance_fewer_than_named(document: dict[str, Any]) -> None:
    document["activities"][2]["enterprise_count"] = 0
    assert problems(document) == [
        "activities[2].enterprise_count: 0 is fewer than the 1 enterprises named"
    ]


def test_invalid_region_code(document: dict[str, Any]) -> None:
    document["regions"][2]["code"] = "34040"
    msgs = problems(document)
    assert "regions[2].code: '34040' is not a six-digit GB/T 2260 code" in msgs
    # the references to the old code now dangle, and say so
    assert "enterprises[0].region: unknown region '340402'" in msgs


def test_unknown_kind_names_the_campaign_type(document: dict[str, Any]) -> None:
    document["activities"][0]["kind"] = "banquet"
    [msg] = problems(document)
    assert msg.startswith(
        "activities[0].kind: unknown activity kind 'banquet' for campaign type 'sisong-yifu' (known: "
    )


def test_unknown_campaign_type(document: dict[str, Any]) -> None:
    document["campaign"]["type"] = "no-such-type"
    [msg] = problems(document)
    assert msg.startswith("campaign.type: unknown campaign type 'no-such-type' (registered: ")


def test_undeclared_extra_attribute(document: dict[str, Any]) -> None:
    document["issues"][0]["extra"] = {"secret_level": "high"}
    assert problems(document) == [
        "issues[0].extra.secret_level: attribute not declared by campaign type 'sisong-yifu'"
    ]


def test_declared_extra_attribute_choices_and_required(document: dict[str, Any]) -> None:
    document["activities"][4]["extra"] = {"media_level": "galactic"}
    document["activities"][5]["extra"] = {}
    msgs = problems(document)
    assert (
        "activities[4].extra.media_level: expected one of national, provincial, city, county, "
        "got 'galactic'"
    ) in msgs
    assert "activities[5].extra: required attribute 'media_level' missing" in msgs


def test_event_before_raised_and_out_of_order(document: dict[str, Any]) -> None:
    document["issues"][0]["events"][0]["date"] = "2020-04-12"
    assert problems(document) == [
        "issues[0].events[0].date: 2020-04-12 is before the issue was raised (2020-04-13)"
    ]


def test_impossible_history_is_refused(document: dict[str, Any]) -> None:
    # rated before resolved
    document["issues"][2]["events"] = [
        {"kind": "return_visit", "date": "2020-04-20", "rating": "satisfied"}
    ]
    [msg] = problems(document)
    assert msg.startswith(
        "issues[2].events[0].kind: issue 'I3': event 'return_visit' is not allowed"
    )
    assert "in state 'raised'" in msg


def test_event_guard(document: dict[str, Any]) -> None:
    document["issues"][2]["events"] = [{"kind": "assigned", "date": "2020-04-17", "level": "city"}]
    [msg] = problems(document)
    assert "event 'assigned' needs department" in msg


def test_unknown_level(document: dict[str, Any]) -> None:
    document["issues"][0]["events"][0]["level"] = "township"
    assert problems(document) == [
        "issues[0].events[0].level: unknown level 'township' for campaign type 'sisong-yifu' "
        "(known: county, city, province)"
    ]


def test_team_and_scope_references(document: dict[str, Any]) -> None:
    document["activities"][0]["team"] = "T9"
    document["campaign"]["scope"]["zones"] = ["HN-NOPE"]
    msgs = problems(document)
    assert "activities[0].team: unknown team 'T9'" in msgs
    assert "campaign.scope.zones[0]: unknown region 'HN-NOPE'" in msgs


def test_builtin_validator_plugins_run(document: dict[str, Any]) -> None:
    document["activities"][0]["enterprises"] = []
    document["work_groups"][0]["teams"][1]["regions"] = ["340402"]
    msgs = problems(document)
    assert (
        "activities[0].enterprises: each enterprise visit must name the enterprise(s) visited"
        in msgs
    )
    # worded with the kind's name in each language, not its key
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(document))
    found = [p for p in info.value.problems if p.path == "activities[0].enterprises"]
    assert [p.phrase.text("zh") for p in found] == ["走访企业要写明走访的企业"]
    assert (
        "work_groups[0].teams[1].regions[0]: region '340402' is already covered by team 'T1'"
        in msgs
    )


def test_every_problem_is_reported(document: dict[str, Any]) -> None:
    document["issues"][2]["enterprise"] = "E0999"
    document["activities"][0]["team"] = "T9"
    document["enterprises"].append(
        {"id": "E4", "uscc": uscc(4)[:17] + "Z", "name": " ", "region": "340402"}
    )
    assert problems(document) == [
        "enterprises[3].uscc: invalid character(s) 'Z'; allowed: 0123456789ABCDEFGHJKLMNPQRTUWXY",
        "enterprises[3].name: must not be empty",
        "activities[0].team: unknown team 'T9'",
        "issues[2].enterprise: unknown enterprise 'E0999'",
        "issues[0].team: 'T1' differs from the team 'T9' of activity 'A1'",
    ]


def test_error_names_the_file(tmp_path: Any, document: dict[str, Any]) -> None:
    document["issues"][2]["enterprise"] = "E0999"
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    with pytest.raises(ck.LedgerError) as info:
        ck.load(path)
    assert (
        str(info.value.problems[0]) == f"{path}: issues[2].enterprise: unknown enterprise 'E0999'"
    )


def test_event_before_raised_names_the_raised_date_not_an_event(document: dict[str, Any]) -> None:
    document["issues"][0]["raised"] = "2020-04-20"
    document["issues"][0]["activity"] = None
    msgs = problems(document)
    assert (
        "issues[0].events[0].date: 2020-04-14 is before the issue was raised (2020-04-20)" in msgs
    )
    assert not any("is before events[" in m for m in msgs)


def test_event_out_of_order_names_its_predecessor(document: dict[str, Any]) -> None:
    document["issues"][0]["events"][2]["date"] = "2020-04-20"
    assert problems(document) == [
        "issues[0].events[2].date: 2020-04-20 is before events[1] (2020-04-24)"
    ]
