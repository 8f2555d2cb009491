"""The documented bounds (campaignkit.model.limits): time, numbers, text and ratings.

Each bound is refused just past it with one located problem, and accepted at it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import orjson
import pytest

import campaignkit as ck
from campaignkit.derive.calendar import WorkCalendar
from campaignkit.model import limits
from campaignkit.model.records import Deadline, DeadlineUnit
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.records import Label, WorkdayCalendar
from campaignkit.stats.metrics import compute, make_context


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    return [str(p) for p in info.value.problems]


def accepted(doc: dict[str, Any]) -> ck.Ledger:
    return ck.loads(orjson.dumps(doc))


# -- time ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("unit", "words"),
    [("working_days", "working day(s)"), ("days", "day(s)"), ("hours", "hour(s)")],
)
def test_a_deadline_longer_than_ten_years_is_refused(
    document: dict[str, Any], unit: str, words: str
) -> None:
    limit = limits.MAX_DEADLINE[DeadlineUnit(unit)]
    event = document["issues"][0]["events"][0]
    event["deadline"] = {"amount": limit, "unit": unit}
    accepted(document)
    event["deadline"]["amount"] = 2_000_000
    assert problems(document) == [
        f"issues[0].events[0].deadline.amount: a deadline of 2000000 {words} is longer than "
        f"the limit of {limit} {words} (10 years)"
    ]


def test_the_workspace_refuses_a_long_deadline_as_validation_does(
    document: dict[str, Any], tmp_path: Any
) -> None:
    document["issues"][0]["events"][0]["deadline"] = {"amount": 3_000_000, "unit": "days"}
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    with pytest.raises(ck.LedgerError) as info:
        ck.load_workspace(path)
    assert [p.path for p in info.value.problems] == ["issues[0].events[0].deadline.amount"]


def test_dates_more_than_ten_years_after_the_campaign_are_refused(
    document: dict[str, Any],
) -> None:
    document["issues"][0]["events"][1]["date"] = "2030-05-12"  # the last day allowed
    document["issues"][0]["events"][2]["date"] = "2030-05-12"
    accepted(document)
    document["issues"][0]["events"][2]["date"] = "2030-05-13"
    document["issues"][0]["events"][0]["due"] = "9999-12-31"
    document["outcomes"][0]["date"] = "2031-01-01"
    assert problems(document) == [
        "issues[0].events[0].due: 9999-12-31 is more than 10 years after the campaign ends "
        "(the latest is 2030-05-12)",
        "issues[0].events[2].date: 2030-05-13 is more than 10 years after the campaign ends "
        "(the latest is 2030-05-12)",
        "outcomes[0].date: 2031-01-01 is more than 10 years after the campaign ends "
        "(the latest is 2030-05-12)",
    ]


def test_a_period_longer_than_ten_years_or_ending_too_late_is_refused(
    document: dict[str, Any],
) -> None:
    document["campaign"]["period"] = {"start": "2020-04-12", "end": "2030-04-13"}
    msgs = problems(document)
    assert "campaign.period: the period is longer than 10 years" in msgs
    document["campaign"]["period"] = {"start": "9990-01-01", "end": "9990-12-31"}
    msgs = problems(document)
    assert (
        "campaign.period.end: 9990-12-31 is too late: a campaign's period must end by the "
        "end of 9959" in msgs
    )


def test_calendar_arithmetic_refuses_a_deadline_beyond_the_bound() -> None:
    calendar = WorkCalendar()
    start = dt.date(2020, 1, 1)
    assert calendar.add_deadline(start, Deadline(2_610, DeadlineUnit.WORKING_DAYS)).date > start
    with pytest.raises(ValueError, match="longer than the limit of 2610"):
        calendar.add_deadline(start, Deadline(2_611, DeadlineUnit.WORKING_DAYS))
    with pytest.raises(ValueError, match="beyond the dates a calendar can count"):
        calendar.add_working_days(dt.date(9999, 12, 1), 100)


def test_years_no_calendar_knows_are_counted_without_asking_each_day() -> None:
    asked: list[dt.date] = []

    def is_workday(day: dt.date) -> bool | None:
        asked.append(day)
        return day.weekday() < 5 if day.year == 2020 else None

    known = WorkdayCalendar("one-year", Label("一年", "one year"), is_workday, years=(2020,))
    calendar = WorkCalendar((known,))
    far = calendar.add_working_days(dt.date(2020, 12, 31), 2_000)
    assert {d.year for d in asked} == {2020}  # 2021 onwards: the fallback, never asked
    assert far.fallback and far.calendars == ("fallback",)
    plain = WorkCalendar().add_working_days(dt.date(2020, 12, 31), 2_000)
    assert far.date == plain.date  # the same weekdays either way


# -- numbers ------------------------------------------------------------------------------
def test_money_and_land_beyond_the_bounds_are_refused(document: dict[str, Any]) -> None:
    document["outcomes"][1]["amount_yuan"] = "10000000000000000"  # 10^16: the largest
    document["outcomes"][0]["land_mu"] = "12.123456"
    accepted(document)
    document["outcomes"][1]["amount_yuan"] = "1" + "0" * 28
    document["outcomes"][0]["land_mu"] = "12.1234567"
    assert problems(document) == [
        "outcomes[0].land_mu: 12.1234567 has more than 6 decimal places",
        f"outcomes[1].amount_yuan: 1{'0' * 28} is larger than the limit of "
        f"{limits.MAX_AMOUNT_YUAN}",
    ]


def test_counts_beyond_the_bound_are_refused(document: dict[str, Any]) -> None:
    document["activities"][3]["figures"] = {"copies": 10**12}
    accepted(document)
    document["activities"][3]["figures"] = {"copies": 10**12 + 1}
    document["activities"][2]["enterprise_count"] = 10**13
    assert problems(document) == [
        f"activities[2].enterprise_count: {10**13} is larger than the limit of {10**12}",
        f"activities[3].figures.copies: {10**12 + 1} is larger than the limit of {10**12}",
    ]


def test_a_huge_amount_built_in_code_is_refused_by_validate(document: dict[str, Any]) -> None:
    ledger = accepted(document)
    big = attrs.evolve(ledger.outcomes[2], amount_yuan=Decimal("1e40"))
    ledger = attrs.evolve(ledger, outcomes=(*ledger.outcomes[:2], big))
    found = [p.path for p in ck.validate(ledger)]
    assert found == ["outcomes[2].amount_yuan"]


# -- text ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("甲\u202e公司", r"'\u202e'"),
        ("甲\x00公司", r"'\x00'"),
        ("甲\x1b[31m公司", r"'\x1b'"),
        ("甲\u2066公司\u2069", r"'\u2066\u2069'"),
    ],
)
def test_hidden_characters_in_a_name_are_refused(
    document: dict[str, Any], name: str, shown: str
) -> None:
    document["enterprises"][0]["name"] = name
    assert problems(document) == [
        "enterprises[0].name: holds characters that do not show or that change how text "
        f"shows: {shown}"
    ]


def test_a_name_of_zero_width_spaces_has_no_visible_character(document: dict[str, Any]) -> None:
    document["work_groups"][0]["teams"][0]["name"] = "\u200b\u200b"
    document["regions"][2]["name"] = "\u3000"
    assert problems(document) == [
        "regions[2].name: must not be empty",
        "work_groups[0].teams[0].name: holds characters that do not show or that change how "
        r"text shows: '\u200b'",
        "work_groups[0].teams[0].name: has no visible character",
    ]


def test_a_name_may_hold_an_ideographic_space(document: dict[str, Any]) -> None:
    document["enterprises"][0]["name"] = "甲\u3000公司"
    assert accepted(document).enterprises[0].name == "甲\u3000公司"


def test_ids_and_departments_are_names(document: dict[str, Any]) -> None:
    document["issues"][0]["id"] = "I1\n"
    document["issues"][0]["events"][0]["department"] = "区人社局\u202e"
    assert problems(document) == [
        r"issues[0].id: holds characters that do not show or that change how text shows: '\n'",
        "issues[0].events[0].department: holds characters that do not show or that change how "
        r"text shows: '\u202e'",
    ]


def test_free_text_keeps_its_characters(document: dict[str, Any]) -> None:
    document["issues"][0]["description"] = "第一行\n第二行\u202e"
    assert accepted(document).issues[0].description == "第一行\n第二行\u202e"


def test_text_caps_apply_to_every_text_field(document: dict[str, Any]) -> None:
    document["outcomes"][2]["title"] = "长" * (limits.MAX_TEXT + 1)
    document["regions"][1]["name"] = "市" * (limits.MAX_NAME + 1)
    document["campaign"]["theme"] = "题" * (limits.MAX_TEXT + 1)
    assert problems(document) == [
        f"campaign.theme: text of {limits.MAX_TEXT + 1} characters exceeds the limit of "
        f"{limits.MAX_TEXT}",
        f"regions[1].name: text of {limits.MAX_NAME + 1} characters exceeds the limit of "
        f"{limits.MAX_NAME}",
        f"outcomes[2].title: text of {limits.MAX_TEXT + 1} characters exceeds the limit of "
        f"{limits.MAX_TEXT}",
    ]


# -- ratings ------------------------------------------------------------------------------
def test_a_rating_on_an_event_that_carries_none_is_refused(document: dict[str, Any]) -> None:
    document["issues"][0]["events"][0]["rating"] = "satisfied"
    assert problems(document) == [
        "issues[0].events[0].rating: an event of kind 'assigned' carries no satisfaction "
        "rating (only: return_visit)"
    ]


def test_a_rating_on_an_event_that_carries_none_is_never_counted(
    document: dict[str, Any],
) -> None:
    del document["issues"][0]["events"][2]  # the one return visit
    ledger = accepted(document)
    assert compute(make_context(ledger), "issues_satisfied").value == 0

    rated = attrs.evolve(ledger.issues[0].events[0], rating=ck.Satisfaction.SATISFIED)
    issue = attrs.evolve(ledger.issues[0], events=(rated, *ledger.issues[0].events[1:]))
    spoiled = attrs.evolve(ledger, issues=(issue, *ledger.issues[1:]))
    assert [p.path for p in ck.validate(spoiled)] == ["issues[0].events[0].rating"]
    assert compute(make_context(spoiled), "issues_satisfied").value == 0


def test_extensions_of_one_issue_add_at_most_ten_years(document: dict[str, Any]) -> None:
    events = document["issues"][0]["events"]
    ten_years = {
        "kind": "extended",
        "date": "2020-04-20",
        "deadline": {"amount": 3653, "unit": "days"},
    }
    events.insert(1, ten_years)
    accepted(document)
    events.insert(1, {**ten_years, "deadline": {"amount": 1, "unit": "working_days"}})
    assert problems(document) == [
        "issues[0].events: the issue's extensions add 3655 days together, more than the limit "
        "of 3653 (10 years; a working day counts two, an hour a whole day)"
    ]


def test_an_issue_holds_at_most_ten_thousand_events(document: dict[str, Any]) -> None:
    events = document["issues"][0]["events"]
    short = ck.Workspace.open(accepted(document)).shapes()[0]
    pauses = [{"kind": "paused", "date": "2020-04-20"}, {"kind": "resumed", "date": "2020-04-20"}]
    filler = pauses * ((limits.MAX_EVENTS - len(events)) // 2)
    document["issues"][0]["events"] = [events[0], *filler, *events[1:]]
    assert limits.MAX_EVENTS - 1 <= len(document["issues"][0]["events"]) <= limits.MAX_EVENTS
    # at the limit: walked and derived as any other (pauses resumed at once change nothing)
    long = ck.Workspace.open(accepted(document)).shapes()[0]
    assert (long.state, long.level) == (short.state, short.level)
    document["issues"][0]["events"][1:1] = pauses * 2  # past it: refused whole, not walked
    count = len(document["issues"][0]["events"])
    assert problems(document) == [
        f"issues[0].events: the issue's history holds {count} events, more than the limit "
        f"of {limits.MAX_EVENTS}; it was not checked further"
    ]


def test_the_report_date_is_within_ten_years_of_the_end(document: dict[str, Any]) -> None:
    document["campaign"]["report_date"] = "2030-05-12"
    accepted(document)
    document["campaign"]["report_date"] = "9999-12-31"
    assert problems(document) == [
        "campaign.report_date: 9999-12-31 is outside 2020-04-12 to 2030-05-12 (the campaign's "
        "start to 10 years after its end)"
    ]


def test_the_host_province_is_a_region(document: dict[str, Any]) -> None:
    document["campaign"]["host_province"] = "999999"
    assert problems(document) == ["campaign.host_province: unknown region '999999'"]


def test_an_amount_that_is_not_a_number_is_a_problem(document: dict[str, Any]) -> None:
    ledger = accepted(document)
    nan = attrs.evolve(ledger.outcomes[2], amount_yuan=Decimal("NaN"))
    spoiled = attrs.evolve(ledger, outcomes=(*ledger.outcomes[:2], nan))
    assert [str(p) for p in ck.validate(spoiled)] == [
        "outcomes[2].amount_yuan: NaN is not a number"
    ]


def test_trailing_zeros_are_not_decimal_places(document: dict[str, Any]) -> None:
    document["outcomes"][1]["amount_yuan"] = "5000000.000000000"
    assert accepted(document).outcomes[1].amount_yuan == Decimal(5_000_000)


@pytest.mark.parametrize("name", ["\u3164", "\ufe0f", "\u0301", "\u2800\u2800"])
def test_blank_letters_and_marks_alone_are_not_visible(document: dict[str, Any], name: str) -> None:
    document["enterprises"][0]["name"] = name
    assert problems(document) == ["enterprises[0].name: has no visible character"]


def test_a_name_may_hold_rare_characters_of_the_private_use_area(
    document: dict[str, Any],
) -> None:
    document["enterprises"][0]["name"] = "张\ue3c5公司"  # a 生僻字 kept in the private-use area
    assert accepted(document).enterprises[0].name == "张\ue3c5公司"


def test_a_lifecycle_rates_only_its_own_event_kinds() -> None:
    from campaignkit.rules.lifecycle import DEFAULT_LIFECYCLE, Lifecycle

    with pytest.raises(ValueError, match="rated: 'rated_by_mail' is not an event kind"):
        Lifecycle(
            DEFAULT_LIFECYCLE.initial,
            DEFAULT_LIFECYCLE.states,
            DEFAULT_LIFECYCLE.transitions,
            rated=("rated_by_mail",),
        )


def test_the_list_of_known_kinds_is_shown_whole(document: dict[str, Any]) -> None:
    document["activities"][0]["kind"] = "bogus"
    (message,) = problems(document)
    known = sorted(k.key for k in CAMPAIGN_TYPE.activity_kinds)
    assert message.endswith(f"(known: {', '.join(known)})")


def test_an_event_stage_is_a_code(document: dict[str, Any]) -> None:
    document["issues"][0]["events"][1]["stage"] = "routing"  # a plugin's own concern: kept
    accepted(document)
    document["issues"][0]["events"][1]["stage"] = "routing\n"
    assert problems(document) == [
        "issues[0].events[1].stage: holds characters that do not show or that change how text "
        "shows: '\\n'"
    ]


def test_validation_stops_after_a_thousand_problems(document: dict[str, Any]) -> None:
    template = document["issues"][2]
    document["issues"] = [
        {**template, "id": f"I{i}", "enterprise": f"E-none-{i}"} for i in range(1_500)
    ]
    found = problems(document)
    assert len(found) == 1_001
    assert found[-1] == "stopped after 1000 problems: fix these and validate again"
    assert found[0] == "issues[0].enterprise: unknown enterprise 'E-none-0'"
