"""Write the corpus of bad ledger files (``tests/corpus/bad/``) and what each must report.

Run ``python -m tests.corpus.make_corpus`` after changing it; the test suite checks
that the committed files are what this script writes. Every case is one file plus
the fragments its error lines must contain (path and message).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import minimal_document, uscc

HERE = Path(__file__).parent
BAD = HERE / "bad"

Doc = dict[str, Any]
CASES: dict[str, tuple[bytes, list[str]]] = {}


def raw(name: str, data: bytes, *expected: str) -> None:
    """A case given as raw bytes."""
    CASES[name] = (data, list(expected))


def case(name: str, *expected: str) -> Callable[[Callable[[Doc], None]], Callable[[Doc], None]]:
    """A case made by mutating a copy of the minimal valid document."""

    def deco(mutate: Callable[[Doc], None]) -> Callable[[Doc], None]:
        doc = copy.deepcopy(minimal_document())
        mutate(doc)
        data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
        CASES[name] = (data, list(expected))
        return mutate

    return deco


def valid_bytes() -> bytes:
    return json.dumps(minimal_document(), ensure_ascii=False, indent=1).encode("utf-8")


# -- malformed JSON and encodings ------------------------------------------------------------
raw("json-empty.json", b"", "the file is empty")
raw("json-truncated.json", valid_bytes()[:400], "not valid JSON")
raw(
    "json-trailing-comma.json", b'{"format": "campaignkit-ledger", "version": 1,}', "not valid JSON"
)
raw("json-single-quotes.json", b"{'format': 'campaignkit-ledger'}", "not valid JSON")
raw("json-nan.json", b'{"format": "campaignkit-ledger", "version": NaN}', "not valid JSON")
raw("json-comment.json", b'// ledger\n{"format": "campaignkit-ledger"}', "not valid JSON")
raw("json-top-level-array.json", b"[]", "the document must be a JSON object")
raw("json-top-level-string.json", b'"ledger"', "the document must be a JSON object")
raw("encoding-gbk.json", valid_bytes().decode("utf-8").encode("gbk"), "not UTF-8 at byte", "GBK")
raw("encoding-bom.json", b"\xef\xbb\xbf" + valid_bytes(), "byte-order mark")
raw("encoding-utf16.json", valid_bytes().decode("utf-8").encode("utf-16"), "not UTF-8")
raw("deep-nesting.json", b"[" * 5000 + b"]" * 5000, "not valid JSON")


# -- the envelope ------------------------------------------------------------------------
@case("format-missing.json", "format: expected 'campaignkit-ledger', got None")
def _(d: Doc) -> None:
    del d["format"]


@case("version-future.json", "version: unsupported format version 2")
def _(d: Doc) -> None:
    d["version"] = 2


@case("version-string.json", "version: unsupported format version '1'")
def _(d: Doc) -> None:
    d["version"] = "1"


@case("campaign-missing.json", "campaign: required key missing")
def _(d: Doc) -> None:
    del d["campaign"]


@case("campaign-null.json", "campaign: ")
def _(d: Doc) -> None:
    d["campaign"] = None


@case("section-object-not-list.json", "issues: expected a list, got an object")
def _(d: Doc) -> None:
    d["issues"] = {"I1": d["issues"][0]}


@case("top-level-extra-key.json", "unknown key(s) 'notes'")
def _(d: Doc) -> None:
    d["notes"] = "draft"


# -- wrong types -------------------------------------------------------------------------
@case(
    "type-headcount-string.json",
    "work_groups[0].headcount: expected an integer, got the string '15'",
)
def _(d: Doc) -> None:
    d["work_groups"][0]["headcount"] = "15"


@case("type-classes-string.json", "enterprises[1].classes: expected a list, got the string 'abc'")
def _(d: Doc) -> None:
    d["enterprises"][1]["classes"] = "abc"


@case(
    "type-raised-number.json", 'issues[0].raised: expected a date as "YYYY-MM-DD", got an integer'
)
def _(d: Doc) -> None:
    d["issues"][0]["raised"] = 20200413


@case(
    "type-count-boolean.json", "activities[2].enterprise_count: expected an integer, got a boolean"
)
def _(d: Doc) -> None:
    d["activities"][2]["enterprise_count"] = True


@case("type-figures-string.json", "activities[3].figures.copies: expected an integer")
def _(d: Doc) -> None:
    d["activities"][3]["figures"] = {"copies": "300"}


@case("type-extra-list.json", "activities[4].extra: expected an object, got a list")
def _(d: Doc) -> None:
    d["activities"][4]["extra"] = ["provincial"]


@case("type-events-object.json", "issues[0].events: expected a list, got an object")
def _(d: Doc) -> None:
    d["issues"][0]["events"] = {"kind": "assigned"}


@case("type-amount-float.json", "outcomes[0].land_mu: expected an exact amount as a string")
def _(d: Doc) -> None:
    d["outcomes"][0]["land_mu"] = 12.5


@case("type-period-string.json", "campaign.period: ")
def _(d: Doc) -> None:
    d["campaign"]["period"] = "2020-04-12/2020-05-12"


@case("type-legacy-string.json", "issues[2].legacy: expected true or false, got the string 'yes'")
def _(d: Doc) -> None:
    d["issues"][2]["legacy"] = "yes"


@case("type-name-number.json", "enterprises[0].name: expected a string, got an integer")
def _(d: Doc) -> None:
    d["enterprises"][0]["name"] = 12345


# -- missing and extra keys ------------------------------------------------------------------
@case("key-missing-uscc.json", "enterprises[0].uscc: required key missing")
def _(d: Doc) -> None:
    del d["enterprises"][0]["uscc"]


@case("key-missing-category.json", "issues[1].category: required key missing")
def _(d: Doc) -> None:
    del d["issues"][1]["category"]


@case("key-typo-enterprise.json", "issues[0]: unknown key(s) 'enterprize'")
def _(d: Doc) -> None:
    d["issues"][0]["enterprize"] = d["issues"][0].pop("enterprise")


@case("key-extra-in-event.json", "issues[0].events[1]: unknown key(s) 'result'")
def _(d: Doc) -> None:
    d["issues"][0]["events"][1]["result"] = "done"


@case("key-undeclared-extra.json", "issues[0].extra.secret_level: attribute not declared")
def _(d: Doc) -> None:
    d["issues"][0]["extra"] = {"secret_level": "high"}


@case(
    "key-missing-required-extra.json",
    "activities[5].extra: required attribute 'media_level' missing",
)
def _(d: Doc) -> None:
    d["activities"][5]["extra"] = {}


# -- ids ---------------------------------------------------------------------------------
@case("id-duplicate-enterprise.json", "enterprises[1].id: duplicate enterprise id 'E1'")
def _(d: Doc) -> None:
    d["enterprises"][1]["id"] = "E1"


@case("id-duplicate-activity.json", "activities[1].id: duplicate activity id 'A1'")
def _(d: Doc) -> None:
    d["activities"][1]["id"] = "A1"


@case("id-duplicate-issue.json", "issues[2].id: duplicate issue id 'I1'")
def _(d: Doc) -> None:
    d["issues"][2]["id"] = "I1"


@case("id-duplicate-outcome.json", "outcomes[1].id: duplicate outcome id 'O1'")
def _(d: Doc) -> None:
    d["outcomes"][1]["id"] = "O1"


@case("id-duplicate-team.json", "work_groups[0].teams[1].id: duplicate team id 'T1'")
def _(d: Doc) -> None:
    d["work_groups"][0]["teams"][1]["id"] = "T1"


@case("id-duplicate-region.json", "regions[3].code: duplicate region code '340402'")
def _(d: Doc) -> None:
    d["regions"][3]["code"] = "340402"


@case("ref-unknown-enterprise.json", "issues[2].enterprise: unknown enterprise 'E0999'")
def _(d: Doc) -> None:
    d["issues"][2]["enterprise"] = "E0999"


@case("ref-unknown-team.json", "activities[0].team: unknown team 'T9'")
def _(d: Doc) -> None:
    d["activities"][0]["team"] = "T9"


@case("ref-unknown-activity.json", "issues[0].activity: unknown activity 'A99'")
def _(d: Doc) -> None:
    d["issues"][0]["activity"] = "A99"


@case("ref-unknown-outcome-enterprise.json", "outcomes[1].enterprises[0]: unknown enterprise 'E7'")
def _(d: Doc) -> None:
    d["outcomes"][1]["enterprises"] = ["E7"]


# -- codes -------------------------------------------------------------------------------
@case("uscc-check-character.json", "enterprises[0].uscc: check character should be")
def _(d: Doc) -> None:
    code = d["enterprises"][0]["uscc"]
    d["enterprises"][0]["uscc"] = code[:17] + ("0" if code[17] != "0" else "1")


@case("uscc-short.json", "enterprises[1].uscc: must be 18 characters, got 17")
def _(d: Doc) -> None:
    d["enterprises"][1]["uscc"] = d["enterprises"][1]["uscc"][:17]


@case("uscc-lowercase.json", "enterprises[2].uscc: invalid character(s)")
def _(d: Doc) -> None:
    d["enterprises"][2]["uscc"] = d["enterprises"][2]["uscc"].lower()


@case("uscc-letter-o.json", "enterprises[0].uscc: invalid character(s) 'O'")
def _(d: Doc) -> None:
    d["enterprises"][0]["uscc"] = "O" + d["enterprises"][0]["uscc"][1:]


@case("region-code-five-digits.json", "regions[2].code: '34040' is not a six-digit GB/T 2260 code")
def _(d: Doc) -> None:
    d["regions"][2]["code"] = "34040"


@case("region-unknown-parent.json", "regions[2].parent: unknown region '349900'")
def _(d: Doc) -> None:
    d["regions"][2]["parent"] = "349900"


@case("region-unknown-enterprise-region.json", "enterprises[0].region: unknown region '340499'")
def _(d: Doc) -> None:
    d["enterprises"][0]["region"] = "340499"


@case(
    "region-bad-level.json",
    "regions[2].level: expected one of 'province', 'city', 'county', 'zone'",
)
def _(d: Doc) -> None:
    d["regions"][2]["level"] = "district"


# -- dates -------------------------------------------------------------------------------
@case(
    "date-activity-after-campaign.json",
    "activities[0].date: 2020-05-13 is outside the campaign period",
)
def _(d: Doc) -> None:
    d["activities"][0]["date"] = "2020-05-13"


@case(
    "date-issue-before-campaign.json", "issues[1].raised: 2020-04-11 is outside the campaign period"
)
def _(d: Doc) -> None:
    d["issues"][1]["raised"] = "2020-04-11"


@case("date-campaign-reversed.json", "campaign.period: end is before start")
def _(d: Doc) -> None:
    d["campaign"]["period"] = {"start": "2020-05-12", "end": "2020-04-12"}


@case(
    "date-phase-outside.json",
    "campaign.phases[0].period.end: 2020-06-01 is outside the campaign period",
)
def _(d: Doc) -> None:
    d["campaign"]["phases"][0]["period"]["end"] = "2020-06-01"


@case("date-group-reversed.json", "work_groups[0].period: end is before start")
def _(d: Doc) -> None:
    d["work_groups"][0]["period"] = {"start": "2020-05-12", "end": "2020-04-12"}


@case(
    "date-event-before-raised.json",
    "issues[0].events[0].date: 2020-04-12 is before the issue was raised",
)
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["date"] = "2020-04-12"


@case("date-events-out-of-order.json", "issues[0].events[2].date: 2020-04-20 is before events[1]")
def _(d: Doc) -> None:
    d["issues"][0]["events"][2]["date"] = "2020-04-20"


@case("date-due-before-event.json", "issues[0].events[0].due: is before the event itself")
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["due"] = "2020-04-01"


@case("date-february-30.json", "issues[2].raised: not a calendar date: '2020-02-30'")
def _(d: Doc) -> None:
    d["issues"][2]["raised"] = "2020-02-30"


@case("date-slashes.json", 'activities[1].date: expected a date as "YYYY-MM-DD"')
def _(d: Doc) -> None:
    d["activities"][1]["date"] = "2020/04/14"


@case("date-activity-after-issue.json", "issues[0].activity: activity 'A1' on 2020-04-20 is after")
def _(d: Doc) -> None:
    d["activities"][0]["date"] = "2020-04-20"


# -- amounts and counts ------------------------------------------------------------------------
@case("amount-negative.json", "outcomes[1].amount_yuan: must not be negative, got -5000000")
def _(d: Doc) -> None:
    d["outcomes"][1]["amount_yuan"] = "-5000000"


@case("amount-negative-land.json", "outcomes[0].land_mu: must not be negative")
def _(d: Doc) -> None:
    d["outcomes"][0]["land_mu"] = "-12.5"


@case("amount-not-numeric.json", "outcomes[1].amount_yuan: expected an exact amount")
def _(d: Doc) -> None:
    d["outcomes"][1]["amount_yuan"] = "五百万"


@case("amount-thousands-separator.json", "outcomes[1].amount_yuan: expected an exact amount")
def _(d: Doc) -> None:
    d["outcomes"][1]["amount_yuan"] = "5,000,000"


@case("amount-exponent.json", "outcomes[1].amount_yuan: expected an exact amount")
def _(d: Doc) -> None:
    d["outcomes"][1]["amount_yuan"] = "5e6"


@case("count-negative-headcount.json", "work_groups[0].headcount: must not be negative")
def _(d: Doc) -> None:
    d["work_groups"][0]["headcount"] = -15


@case("count-negative-officials.json", "activities[2].officials: must not be negative")
def _(d: Doc) -> None:
    d["activities"][2]["officials"] = -1


@case("count-attendance-below-named.json", "activities[2].enterprise_count: 0 is fewer than the 1")
def _(d: Doc) -> None:
    d["activities"][2]["enterprise_count"] = 0


@case("figure-unknown.json", "activities[3].figures.posters: unknown figure for campaign type")
def _(d: Doc) -> None:
    d["activities"][3]["figures"] = {"posters": 3}


# -- unknown kinds ------------------------------------------------------------------------
@case(
    "kind-unknown-activity.json",
    "activities[0].kind: unknown activity kind 'banquet' for campaign type 'sisong-yifu'",
)
def _(d: Doc) -> None:
    d["activities"][0]["kind"] = "banquet"


@case("kind-unknown-category.json", "issues[0].category: unknown issue category 'weather'")
def _(d: Doc) -> None:
    d["issues"][0]["category"] = "weather"


@case("kind-unknown-channel.json", "issues[1].channel: unknown issue channel 'pigeon'")
def _(d: Doc) -> None:
    d["issues"][1]["channel"] = "pigeon"


@case("kind-unknown-outcome.json", "outcomes[0].kind: unknown outcome kind 'lottery'")
def _(d: Doc) -> None:
    d["outcomes"][0]["kind"] = "lottery"


@case("kind-unknown-class.json", "enterprises[0].classes[0]: unknown enterprise class 'unicorn'")
def _(d: Doc) -> None:
    d["enterprises"][0]["classes"] = ["unicorn"]


@case("kind-unknown-event.json", "issues[0].events[1].kind: unknown event kind 'celebrated'")
def _(d: Doc) -> None:
    d["issues"][0]["events"][1]["kind"] = "celebrated"


@case("kind-unknown-level.json", "issues[0].events[0].level: unknown level 'township'")
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["level"] = "township"


@case("kind-unknown-campaign-type.json", "campaign.type: unknown campaign type 'no-such-type'")
def _(d: Doc) -> None:
    d["campaign"]["type"] = "no-such-type"


@case("kind-unknown-status.json", "outcomes[0].status: expected one of 'intended'")
def _(d: Doc) -> None:
    d["outcomes"][0]["status"] = "done"


@case("kind-unknown-rating.json", "issues[0].events[2].rating: expected one of 'satisfied'")
def _(d: Doc) -> None:
    d["issues"][0]["events"][2]["rating"] = "happy"


# -- impossible histories -------------------------------------------------------------------
@case("history-closed-before-assigned.json", "issues[2].events[0].kind: issue 'I3': event 'closed'")
def _(d: Doc) -> None:
    d["issues"][2]["events"] = [{"kind": "closed", "date": "2020-04-20"}]


@case(
    "history-rated-before-resolved.json",
    "issues[2].events[1].kind: issue 'I3': event 'return_visit'",
)
def _(d: Doc) -> None:
    d["issues"][2]["events"] = [
        {"kind": "assigned", "date": "2020-04-17", "level": "city", "department": "市经信局"},
        {"kind": "return_visit", "date": "2020-04-20", "rating": "satisfied"},
    ]


@case(
    "history-resolved-before-assigned.json",
    "issues[2].events[0].kind: issue 'I3': event 'resolved'",
)
def _(d: Doc) -> None:
    d["issues"][2]["events"] = [{"kind": "resolved", "date": "2020-04-20"}]


@case("history-reopened-while-open.json", "issues[2].events[1].kind: issue 'I3': event 'reopened'")
def _(d: Doc) -> None:
    d["issues"][2]["events"] = [
        {"kind": "taken_back", "date": "2020-04-17"},
        {"kind": "reopened", "date": "2020-04-20"},
    ]


@case(
    "history-visit-without-rating.json",
    "issues[0].events[2].kind: issue 'I1': event 'return_visit' needs rating",
)
def _(d: Doc) -> None:
    del d["issues"][0]["events"][2]["rating"]


@case("history-assigned-without-department.json", "event 'assigned' needs department")
def _(d: Doc) -> None:
    del d["issues"][0]["events"][0]["department"]


@case("history-event-after-final.json", "issues[1].events[2].kind: issue 'I2': event 'feedback'")
def _(d: Doc) -> None:
    d["issues"][1]["events"] += [
        {"kind": "closed", "date": "2020-04-16"},
        {"kind": "feedback", "date": "2020-04-17"},
    ]


# -- size ---------------------------------------------------------------------------------
@case("text-enormous.json", "issues[0].description: text of 200001 characters exceeds the limit")
def _(d: Doc) -> None:
    d["issues"][0]["description"] = "很" * 200_001


@case("extra-deep-nesting.json", "issues[0].extra: nested more than 32 levels deep")
def _(d: Doc) -> None:
    nested: Any = "bottom"
    for _ in range(60):
        nested = {"x": nested}
    d["issues"][0]["extra"] = {"document": nested}


@case("many-problems.json", "enterprises[3].uscc", "issues[2].enterprise", "activities[0].team")
def _(d: Doc) -> None:
    d["issues"][2]["enterprise"] = "E0999"
    d["activities"][0]["team"] = "T9"
    d["enterprises"].append(
        {"id": "E4", "uscc": uscc(4)[:17] + "Z", "name": "丁公司", "region": "340402"}
    )


# -- issue 22: bounds, hidden characters, ratings, forged lines --------------------------
@case(
    "deadline-huge-working-days.json",
    "issues[0].events[0].deadline.amount: a deadline of 2000000 working day(s) is longer than "
    "the limit of 2610 working day(s) (10 years)",
)
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["deadline"] = {"amount": 2_000_000, "unit": "working_days"}


@case("deadline-huge-days.json", "deadline.amount: a deadline of 3000000 day(s) is longer")
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["deadline"] = {"amount": 3_000_000, "unit": "days"}


@case("deadline-huge-hours.json", "deadline.amount: a deadline of 100000 hour(s) is longer")
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["deadline"] = {"amount": 100_000, "unit": "hours"}


def _too_many_events() -> bytes:
    """An issue whose history holds one event more than the limit (written compactly)."""
    doc = copy.deepcopy(minimal_document())
    events = doc["issues"][0]["events"]
    pauses = [{"kind": "paused", "date": "2020-04-20"}, {"kind": "resumed", "date": "2020-04-20"}]
    filler = pauses * ((10_001 - len(events)) // 2 + 1)
    doc["issues"][0]["events"] = [events[0], *filler[: 10_001 - len(events)], *events[1:]]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


raw(
    "history-too-many-events.json",
    _too_many_events(),
    "issues[0].events: the issue's history holds 10001 events, more than the limit of 10000",
)


@case(
    "date-due-year-9999.json",
    "issues[0].events[0].due: 9999-12-31 is more than 10 years after the campaign ends",
)
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["due"] = "9999-12-31"


@case("date-event-far-future.json", "issues[0].events[2].date: 2045-01-01 is more than 10 years")
def _(d: Doc) -> None:
    d["issues"][0]["events"][2]["date"] = "2045-01-01"


@case("date-outcome-far-future.json", "outcomes[0].date: 2100-04-30 is more than 10 years")
def _(d: Doc) -> None:
    d["outcomes"][0]["date"] = "2100-04-30"


@case("period-too-long.json", "campaign.period: the period is longer than 10 years")
def _(d: Doc) -> None:
    d["campaign"]["period"]["end"] = "2099-05-12"


@case("period-ends-9999.json", "campaign.period.end: 9999-12-31 is too late")
def _(d: Doc) -> None:
    d["campaign"]["period"] = {"start": "9999-12-01", "end": "9999-12-31"}


@case(
    "amount-29-digits.json", "outcomes[1].amount_yuan: 1" + "0" * 28 + " is larger than the limit"
)
def _(d: Doc) -> None:
    d["outcomes"][1]["amount_yuan"] = "1" + "0" * 28


@case("amount-too-many-places.json", "outcomes[1].amount_yuan: 0.0000001 has more than 6 decimal")
def _(d: Doc) -> None:
    d["outcomes"][1]["amount_yuan"] = "0.0000001"


@case("land-huge.json", "outcomes[0].land_mu: 100000000000000000000 is larger than")
def _(d: Doc) -> None:
    d["outcomes"][0]["land_mu"] = "1" + "0" * 20


@case("count-huge-figure.json", "activities[3].figures.copies: 10000000000000 is larger than")
def _(d: Doc) -> None:
    d["activities"][3]["figures"] = {"copies": 10**13}


@case("name-bidi-override.json", r"enterprises[0].name: holds characters that do not show")
def _(d: Doc) -> None:
    d["enterprises"][0]["name"] = "甲\u202e司公"


@case("name-nul.json", r"work_groups[0].teams[0].name: holds characters", r"'\x00'")
def _(d: Doc) -> None:
    d["work_groups"][0]["teams"][0]["name"] = "第一\x00小组"


@case("name-escape-sequence.json", r"regions[2].name: holds characters", r"'\x1b'")
def _(d: Doc) -> None:
    d["regions"][2]["name"] = "\x1b[31m大通区\x1b[0m"


@case("name-zero-width-only.json", "enterprises[1].name: has no visible character")
def _(d: Doc) -> None:
    d["enterprises"][1]["name"] = "\u200b\u200b\u200b"


@case("id-newline.json", r"issues[0].id: holds characters", r"'\n'")
def _(d: Doc) -> None:
    d["issues"][0]["id"] = "I1\nerror: FORGED"


@case("department-bidi.json", r"issues[0].events[0].department: holds characters", r"\u2067")
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["department"] = "区人社局\u2067"


@case("text-outcome-title-too-long.json", "outcomes[2].title: text of 100001 characters exceeds")
def _(d: Doc) -> None:
    d["outcomes"][2]["title"] = "长" * 100_001


@case("text-region-name-too-long.json", "regions[1].name: text of 1001 characters exceeds")
def _(d: Doc) -> None:
    d["regions"][1]["name"] = "市" * 1001


@case(
    "rating-on-assigned.json",
    "issues[0].events[0].rating: an event of kind 'assigned' carries no satisfaction rating",
)
def _(d: Doc) -> None:
    d["issues"][0]["events"][0]["rating"] = "satisfied"


@case("key-newline-forged.json", r"activities[3].figures['copies\nerror: FORGED.json: ok']")
def _(d: Doc) -> None:
    d["activities"][3]["figures"] = {"copies\nerror: FORGED.json: ok": 1}


@case("key-huge.json", "issues[0].extra['kkkk", "…")
def _(d: Doc) -> None:
    d["issues"][0]["extra"] = {"k" * 100_000: 1}


@case("value-with-newline.json", r"issues[0].category: unknown", r"'labour\nerror: FORGED'")
def _(d: Doc) -> None:
    d["issues"][0]["category"] = "labour\nerror: FORGED"


# -- issue 22: region codes -------------------------------------------------------------
# Codes are checked against GB/T 2260 in force during the campaign (2020-04-12 – 2020-05-12),
# in ASCII digits, at the level their shape gives; zone codes are visible ASCII; parent
# chains have no cycles and a GB/T region's GB/T parent is the one its code names.
def _county(code: str, name: str = "某县", parent: str | None = "340400") -> dict[str, Any]:
    found: dict[str, Any] = {"code": code, "name": name, "level": "county"}
    if parent is not None:
        found["parent"] = parent
    return found


@case(
    "region-code-unknown.json",
    "regions[5].code: '999999' is not a GB/T 2260 code in force during the campaign"
    " (2020-04-12 – 2020-05-12)",
)
def _(d: Doc) -> None:
    d["regions"].append(_county("999999"))


@case(
    "region-code-full-width.json",
    "regions[5].code: '３４０４２２' must be written in ASCII digits 0-9",
)
def _(d: Doc) -> None:
    d["regions"].append(_county("３４０４２２", "寿县"))


@case(
    "region-code-retired-before.json",
    "regions[5].code: '341400' (巢湖市) was a GB/T 2260 code from 1999 to 2011,"
    " not during the campaign",
)
def _(d: Doc) -> None:
    d["regions"].append({"code": "341400", "name": "巢湖市", "level": "city", "parent": "340000"})


@case(
    "region-code-made-after.json",
    "regions[5].code: '540481' (米林市) was a GB/T 2260 code from 2023, not during the campaign",
)
def _(d: Doc) -> None:
    d["regions"].append(_county("540481", "米林市", None))


@case(
    "region-level-not-the-codes.json",
    "regions[1].level: '340400' is the code of a city, but the level is 'county'",
)
def _(d: Doc) -> None:
    d["regions"][1]["level"] = "county"


@case("region-own-parent.json", "regions[2].parent: region '340402' is its own parent")
def _(d: Doc) -> None:
    d["regions"][2]["parent"] = "340402"


@case(
    "region-parent-cycle-two.json",
    "regions[0].parent: the chain of parents comes back to where it started after 2 regions:"
    " '340000' → '340400' → '340000'",
    "regions[1].parent: the chain of parents comes back to where it started after 2 regions:"
    " '340400' → '340000' → '340400'",
)
def _(d: Doc) -> None:
    d["regions"][0]["parent"] = "340400"


@case(
    "region-parent-cycle-three.json",
    "regions[0].parent: the chain of parents comes back",
    "regions[1].parent: the chain of parents comes back",
    "regions[4].parent: the chain of parents comes back to where it started after 3 regions:"
    " 'HN-ETDZ' → '340400' → '340000' → 'HN-ETDZ'",
)
def _(d: Doc) -> None:
    d["regions"][0]["parent"] = "HN-ETDZ"


@case(
    "region-parent-not-the-codes.json",
    "regions[3].parent: '340402' cannot be the parent of '340403':"
    " by GB/T 2260 its parent is '340400' / '340000'",
)
def _(d: Doc) -> None:
    d["regions"][3]["parent"] = "340402"


@case("region-zone-code-escape.json", r"regions[5].code: 'HN-\x1b[2JCCP' is not a zone code")
def _(d: Doc) -> None:
    d["regions"].append({"code": "HN-\x1b[2JCCP", "name": "园区", "level": "zone"})


@case("region-zone-code-bidi.json", r"regions[5].code: 'HN-\u202ePCC' is not a zone code")
def _(d: Doc) -> None:
    d["regions"].append({"code": "HN-\u202ePCC", "name": "园区", "level": "zone"})


@case("region-zone-code-empty.json", "regions[5].code: '' is not a zone code")
def _(d: Doc) -> None:
    d["regions"].append({"code": "", "name": "园区", "level": "zone"})


# -- issue 22: reading and decoding ------------------------------------------------------
# Keys given twice in one object (the last would win without a word), numbers valid in
# JSON but out of the range a value holds, versions that are not integers, nulls and
# other non-objects where a record belongs, garbage. Cases with a key twice or a number
# JSON writers cannot make are written as text.


def text_case(name: str, edit: Callable[[str], str], *expected: str) -> None:
    """A case made by editing the text of the minimal valid document (``edit`` must
    change it: each anchor it replaces is in the document once)."""
    text = valid_bytes().decode("utf-8")
    changed = edit(text)
    assert changed != text, name
    CASES[name] = (changed.encode("utf-8"), list(expected))


def once(old: str, new: str) -> Callable[[str], str]:
    """Replace the only occurrence of ``old``."""

    def edit(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return edit


TWICE = "appears twice in one object"
FIRST_USCC = uscc(1)

text_case(
    "twice-top-level-version.json",
    once('"version": 1,', '"version": 2,\n "version": 1,'),
    f"version: key 'version' {TWICE}",
)
text_case(
    "twice-top-level-section.json",
    once('"outcomes": [', '"outcomes": [],\n "outcomes": ['),
    f"outcomes: key 'outcomes' {TWICE}",
)
text_case(
    "twice-uscc.json",
    once(f'"uscc": "{FIRST_USCC}"', f'"uscc": "NOT-A-CODE", "uscc": "{FIRST_USCC}"'),
    f"enterprises[0].uscc: key 'uscc' {TWICE}",
)
text_case(
    "twice-escaped-key.json",
    once(f'"uscc": "{FIRST_USCC}"', f'"\\u0075scc": "NOT-A-CODE", "uscc": "{FIRST_USCC}"'),
    f"enterprises[0].uscc: key 'uscc' {TWICE}",
)
text_case(
    "twice-three-times.json",
    once('"name": "乙公司"', '"name": "甲", "name": "乙", "name": "乙公司"'),
    "enterprises[1].name: key 'name' appears 3 times in one object",
)
text_case(
    "twice-with-colons-in-text.json",
    once(
        '"description": "普工招聘困难"',
        '"description": "联系人: 张三, 时间: 09:30", "description": "普工招聘困难"',
    ),
    f"issues[0].description: key 'description' {TWICE}",
)
text_case(
    "twice-event.json",
    once('"kind": "assigned"', '"kind": "closed", "kind": "assigned"'),
    f"issues[0].events[0].kind: key 'kind' {TWICE}",
)
text_case(
    "twice-deadline.json",
    once(
        '"department": "区人社局"',
        '"department": "区人社局", "deadline": {"amount": 5, "unit": "days", "amount": 50}',
    ),
    f"issues[0].events[0].deadline.amount: key 'amount' {TWICE}",
)
text_case(
    "twice-period.json",
    once(
        '"period": {\n   "start": "2020-04-12",\n   "end": "2020-05-12"\n  },\n  "host_province"',
        '"period": {"start": "2019-01-01", "start": "2020-04-12", "end": "2020-05-12"},\n'
        '  "host_province"',
    ),
    f"campaign.period.start: key 'start' {TWICE}",
)
text_case(
    "twice-team.json",
    once('"id": "T2"', '"id": "T9", "id": "T2"'),
    f"work_groups[0].teams[1].id: key 'id' {TWICE}",
)
text_case(
    "twice-figures.json",
    once('"copies": 300', '"copies": 3, "copies": 300'),
    f"activities[3].figures.copies: key 'copies' {TWICE}",
)
text_case(
    "twice-extra-nested.json",
    once(
        '"media_level": "provincial"',
        '"media_level": "provincial", "detail": {"outlet": "a", "outlet": "b"}',
    ),
    f"activities[4].extra.detail.outlet: key 'outlet' {TWICE}",
)

LARGEST = "the largest is 18446744073709551615"
text_case(
    "number-huge-integer.json",
    once('"headcount": 15', '"headcount": 1' + "0" * 400),
    f"work_groups[0].headcount: expected an integer, got an integer too large ({LARGEST})",
)
text_case(
    "number-huge-exponent.json",
    once('"headcount": 15', '"headcount": 1e400'),
    "work_groups[0].headcount: expected an integer, got a number out of range (1e400)",
)
text_case(
    "number-two-to-the-64.json",
    once('"headcount": 15', f'"headcount": {2**64}'),
    f"work_groups[0].headcount: expected an integer, got an integer too large ({LARGEST})",
)
text_case(
    "number-below-64-bits.json",
    once('"enterprise_count": 12', f'"enterprise_count": {-(2**63) - 1}'),
    "activities[2].enterprise_count: expected an integer, got an integer too small"
    " (the smallest is -9223372036854775808)",
)
text_case(
    "number-point-zero.json",
    once('"headcount": 15', '"headcount": 15.0'),
    "work_groups[0].headcount: expected an integer,"
    " got the number 15.0, written with a decimal point or an exponent",
)
text_case(
    "number-exponent-count.json",
    once('"copies": 300', '"copies": 3E+2'),
    "activities[3].figures.copies: expected an integer,"
    " got the number 300.0, written with a decimal point or an exponent",
)
text_case(
    "number-amount-two-to-the-64.json",
    once('"amount_yuan": "300000000"', f'"amount_yuan": {2**64}'),
    'outcomes[2].amount_yuan: expected an exact amount as a string (e.g. "18446744073709551616"),'
    f" got an integer too large ({LARGEST})",
)
text_case(
    "number-deadline-huge.json",
    once(
        '"department": "区人社局"',
        '"department": "区人社局", "deadline": {"amount": 1' + "0" * 30 + ', "unit": "days"}',
    ),
    f"issues[0].events[0].deadline.amount: expected an integer, got an integer too large"
    f" ({LARGEST})",
)
text_case(
    "number-extra-huge.json",
    once('"media_level": "city"', '"media_level": "city", "reach": 1' + "0" * 400),
    "activities[5].extra.reach: numbers here must be integers from -9223372036854775808 to"
    " 18446744073709551615 (write other numbers as strings), got an integer too large",
)

VERSION = "version: the format version must be an integer (this campaignkit reads 1), got"
text_case(
    "version-point-zero.json",
    once('"version": 1,', '"version": 1.0,'),
    f"{VERSION} the number 1.0, written with a decimal point or an exponent",
)
text_case(
    "version-exponent.json",
    once('"version": 1,', '"version": 1E0,'),
    f"{VERSION} the number 1.0, written with a decimal point or an exponent",
)


@case("version-true.json", f"{VERSION} a boolean")
def _(d: Doc) -> None:
    d["version"] = True


NULL = "an entry that is null, where {} (a JSON object) is expected"


def null_case(name: str, where: str, what: str, place: Callable[[Doc], list[Any]]) -> None:
    """A case with ``null`` appended to the list of records ``place`` finds."""

    @case(name, f"{where}: " + NULL.format(what))
    def _(d: Doc) -> None:
        place(d).append(None)


null_case("null-region.json", "regions[5]", "a region", lambda d: d["regions"])
null_case("null-work-group.json", "work_groups[1]", "a work group", lambda d: d["work_groups"])
null_case(
    "null-team.json", "work_groups[0].teams[3]", "a team", lambda d: d["work_groups"][0]["teams"]
)
null_case("null-enterprise.json", "enterprises[3]", "an enterprise", lambda d: d["enterprises"])
null_case("null-activity.json", "activities[6]", "an activity", lambda d: d["activities"])
null_case("null-issue.json", "issues[3]", "an issue", lambda d: d["issues"])
null_case(
    "null-event.json",
    "issues[1].events[1]",
    "an issue event",
    lambda d: d["issues"][1]["events"],
)
null_case("null-outcome.json", "outcomes[3]", "an outcome", lambda d: d["outcomes"])
null_case(
    "null-party.json", "outcomes[1].parties[1]", "a party", lambda d: d["outcomes"][1]["parties"]
)
null_case("null-phase.json", "campaign.phases[1]", "a phase", lambda d: d["campaign"]["phases"])


@case("not-an-object-campaign.json", "campaign: expected a campaign (a JSON object), got a list")
def _(d: Doc) -> None:
    d["campaign"] = []


@case("not-an-object-campaign-null.json", "campaign: expected a campaign (a JSON object), got null")
def _(d: Doc) -> None:
    d["campaign"] = None


@case(
    "not-an-object-period.json",
    "campaign.period: expected a period (a JSON object), got an integer",
)
def _(d: Doc) -> None:
    d["campaign"]["period"] = 2020


@case(
    "not-an-object-enterprise.json",
    "enterprises[3]: expected an enterprise (a JSON object), got the string 'E4'",
)
def _(d: Doc) -> None:
    d["enterprises"].append("E4")


@case(
    "not-an-object-contact.json",
    "enterprises[0].contact: expected a contact (a JSON object), got a list",
)
def _(d: Doc) -> None:
    d["enterprises"][0]["contact"] = ["张三", "13800000000"]


raw("garbage-nul-bytes.json", b"\x00" * 4096, "not valid JSON: unexpected character")
raw("garbage-binary.json", bytes(range(256)) * 16, "not UTF-8 at byte 128")
raw("garbage-after-start.json", valid_bytes()[:200] + b"\x00" * 4096, "not valid JSON")


def write() -> None:
    """(Re)write the corpus files and ``expected.json``."""
    BAD.mkdir(exist_ok=True)
    for old in BAD.iterdir():
        old.unlink()
    for name, (data, _) in CASES.items():
        (BAD / name).write_bytes(data)
    expected = {name: fragments for name, (_, fragments) in sorted(CASES.items())}
    (HERE / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write()
    print(f"{len(CASES)} bad ledger files in {BAD}")
