"""Ledgers built in code are checked as files are: wrong types are located problems,
``dump`` refuses a ledger with problems, appended events are checked, and an unknown
language is an error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import campaignkit as ck
from campaignkit.model.records import IssueEvent, Satisfaction
from campaignkit.report.build import build_report

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "huainan-2020" / "ledger.json"


@pytest.fixture(scope="module")
def ledger() -> ck.Ledger:
    return ck.load(EXAMPLE)


def _outcome_with_amount(ledger: ck.Ledger) -> int:
    return next(n for n, o in enumerate(ledger.outcomes) if o.amount_yuan is not None)


def test_a_float_amount_and_a_string_date_are_located_problems(ledger: ck.Ledger) -> None:
    n = _outcome_with_amount(ledger)
    outcome = ledger.outcomes[n]
    outcomes = list(ledger.outcomes)
    outcomes[n] = attrs.evolve(outcome, amount_yuan=float(outcome.amount_yuan or 0))  # type: ignore[arg-type]
    issue = ledger.issues[3]
    issues = list(ledger.issues)
    issues[3] = attrs.evolve(issue, raised=issue.raised.isoformat(), events=list(issue.events))  # type: ignore[arg-type]
    bad = attrs.evolve(ledger, outcomes=tuple(outcomes), issues=tuple(issues))
    problems = ck.validate(bad, source="built.json")
    assert [str(p) for p in problems] == [
        f"built.json: issues[3].raised: expected date, got str '{issue.raised.isoformat()}'",
        f"built.json: issues[3].events: expected tuple, got list {list(issue.events)!r:.57}...",
        f"built.json: outcomes[{n}].amount_yuan: expected Decimal | None, got float "
        f"{float(outcome.amount_yuan or 0)!r}",
    ]
    assert (
        problems[-1]
        .text("zh")
        .endswith(
            f"outcomes[{n}].amount_yuan: 应为 Decimal | None，实为 float "
            f"{float(outcome.amount_yuan or 0)!r}"
        )
    )


def test_a_plain_string_for_an_enumeration_and_odd_extra_values(ledger: ck.Ledger) -> None:
    issue = ledger.issues[0]
    event = attrs.evolve(issue.events[0], rating="satisfied", extra={"ticket": 1.5})  # type: ignore[arg-type]
    bad = attrs.evolve(
        ledger,
        issues=(attrs.evolve(issue, events=(event, *issue.events[1:])), *ledger.issues[1:]),
    )
    assert [str(p) for p in ck.validate(bad)] == [
        "issues[0].events[0].rating: expected Satisfaction | None, got str 'satisfied'",
        "issues[0].events[0].extra.ticket: expected None | str | bool | int | list | Mapping, "
        "got float 1.5",
    ]
    # with the right types, what is left is what validation says of the values
    good = attrs.evolve(event, rating=Satisfaction.SATISFIED, extra={"ticket": "1.5"})
    fixed = attrs.evolve(
        ledger, issues=(attrs.evolve(issue, events=(good, *issue.events[1:])), *ledger.issues[1:])
    )
    assert {p.code for p in ck.validate(fixed)} == {"rating-not-allowed", "undeclared-attribute"}


def test_validate_never_raises_on_what_is_not_a_ledger() -> None:
    assert [str(p) for p in ck.validate("ledger.json")] == [  # type: ignore[arg-type]
        "expected Ledger, got str 'ledger.json'"
    ]


def test_dump_refuses_a_ledger_with_problems(ledger: ck.Ledger, tmp_path: Path) -> None:
    n = _outcome_with_amount(ledger)
    outcomes = list(ledger.outcomes)
    outcomes[n] = attrs.evolve(outcomes[n], amount_yuan=150000000.0)  # type: ignore[arg-type]
    bad = attrs.evolve(ledger, outcomes=tuple(outcomes))
    target = tmp_path / "ledger.json"
    target.write_bytes(b"kept")
    with pytest.raises(ck.LedgerError) as info:
        ck.dump(bad, target)
    assert f"outcomes[{n}].amount_yuan: expected Decimal | None" in str(info.value)
    assert target.read_bytes() == b"kept"  # nothing written, nothing lost
    outcomes[n] = attrs.evolve(outcomes[n], amount_yuan=Decimal("150000000"))
    ck.dump(attrs.evolve(ledger, outcomes=tuple(outcomes)), target)
    assert ck.load(target).outcomes[n].amount_yuan == Decimal("150000000")


def test_appended_events_are_checked(ledger: ck.Ledger) -> None:
    resolved = next(i for i in ledger.issues if i.events and i.events[-1].kind == "resolved")
    n = ledger.issues.index(resolved)
    k = len(resolved.events)
    day = resolved.events[-1].date
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(ledger, {resolved.id: [IssueEvent("assigned", day)]})
    (problem,) = info.value.problems
    assert problem.path == f"issues[{n}].events[{k}].kind"
    assert "'assigned'" in str(problem)
    # a kind the campaign type does not know is said as validation says it
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(ledger, {resolved.id: [IssueEvent("phoned", day)]})
    (problem,) = info.value.problems
    wrong = attrs.evolve(resolved, events=(*resolved.events, IssueEvent("phoned", day)))
    validated = ck.validate(
        ledger.replace(issues=tuple(wrong if i is resolved else i for i in ledger.issues))
    )
    assert [problem] == validated
    assert str(problem).startswith(f"issues[{n}].events[{k}].kind: unknown event kind 'phoned'")
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(
            ledger,
            {
                resolved.id: [IssueEvent("return_visit", day - dt.timedelta(days=1))],
                "Q-none": [IssueEvent("assigned", day)],
            },
        )
    assert [str(p) for p in info.value.problems] == [
        f"issues[{n}].events[{k}].date: {(day - dt.timedelta(days=1)).isoformat()} is before "
        f"events[{k - 1}] ({day.isoformat()})",
        "issues: unknown issue 'Q-none'",
    ]
    # an issue with no events yet: an event before its raising says so
    fresh = next(i for i in ledger.issues if not i.events)
    early = fresh.raised - dt.timedelta(days=2)
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(ledger, {fresh.id: [IssueEvent("assigned", early, level="county")]})
    m = ledger.issues.index(fresh)
    assert [str(p) for p in info.value.problems] == [
        f"issues[{m}].events[0].date: {early.isoformat()} is before the issue was raised "
        f"({fresh.raised.isoformat()})"
    ]
    # an issue with events: a date before its raising is said as validation says it
    before = resolved.raised - dt.timedelta(days=1)
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(ledger, {resolved.id: [IssueEvent("return_visit", before)]})
    appended = [str(p) for p in info.value.problems]
    assert appended == [
        f"issues[{n}].events[{k}].date: {before.isoformat()} is before the issue was raised "
        f"({resolved.raised.isoformat()})"
    ]
    events = (*resolved.events, IssueEvent("return_visit", before))
    before_raising = ledger.replace(
        issues=tuple(attrs.evolve(i, events=events) if i is resolved else i for i in ledger.issues)
    )
    assert appended[0] in [str(p) for p in ck.validate(before_raising)]
    # a ledger nobody validated, whose history is out of date order: not before its latest
    latest = day + dt.timedelta(days=30)
    mixed = attrs.evolve(
        resolved,
        events=(
            *resolved.events[:-1],
            IssueEvent("supervised", latest, by="督办组"),
            resolved.events[-1],
        ),
    )
    shuffled = ledger.replace(issues=tuple(mixed if i is resolved else i for i in ledger.issues))
    between = day + dt.timedelta(days=1)
    with pytest.raises(ck.LedgerError) as info:
        ck.append_events(
            shuffled,
            {resolved.id: [IssueEvent("return_visit", between, rating=Satisfaction.SATISFIED)]},
        )
    assert [str(p) for p in info.value.problems] == [
        f"issues[{n}].events[{k + 1}].date: {between.isoformat()} is before "
        f"events[{k - 1}] ({latest.isoformat()})"
    ]
    visit = IssueEvent("return_visit", day, rating=Satisfaction.SATISFIED)
    updated = ck.append_events(ledger, {resolved.id: [visit]})
    assert updated.issues[n].events[-1] == visit and ck.validate(updated) == []
    assert ledger.issues[n] is resolved  # the ledger itself is unchanged


def test_an_unknown_language_is_an_error(ledger: ck.Ledger) -> None:
    with pytest.raises(ValueError, match=r"unknown language 'fr' \(known: zh, en\)"):
        build_report(ledger, lang="fr")


def test_times_and_text_the_file_cannot_hold_are_problems(ledger: ck.Ledger) -> None:
    issue = ledger.issues[0]
    zoned = attrs.evolve(issue.events[0], time=dt.time(10, 0, tzinfo=dt.UTC))
    fraction = attrs.evolve(issue.events[0], time=dt.time(10, 0, 0, 500))
    for event in (zoned, fraction):
        bad = attrs.evolve(
            ledger,
            issues=(attrs.evolve(issue, events=(event, *issue.events[1:])), *ledger.issues[1:]),
        )
        (problem,) = ck.validate(bad)
        assert problem.path == "issues[0].events[0].time"
        assert "expected time (HH:MM or HH:MM:SS, no time zone) | None" in str(problem)
    lone = attrs.evolve(issue, description="坏\ud800字")
    (problem,) = ck.validate(attrs.evolve(ledger, issues=(lone, *ledger.issues[1:])))
    assert problem.path == "issues[0].description" and "expected str" in str(problem)
