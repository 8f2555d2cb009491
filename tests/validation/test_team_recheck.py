"""The built-in validator ``issue-team-matches-activity`` finds every issue whose team
differs from the team of the activity it was raised in, and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import campaignkit as ck
from benchmarks.generate import write_ledger
from campaignkit.errors import Problem
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.model.ledger import Ledger
from campaignkit.plugins.validators import issue_team_matches_activity
from campaignkit.rules.records import CampaignType
from campaignkit.validation.checks import check_ledger, check_records

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020" / "ledger.json"


def _reference(ledger: Ledger) -> Iterator[Problem]:
    """Every issue, its activity looked up again."""
    for i, issue in enumerate(ledger.issues):
        act = next((a for a in ledger.activities if a.id == issue.activity), None)
        if act is not None and issue.team and act.team and issue.team != act.team:
            yield Problem(
                f"issues[{i}].team",
                f"{issue.team!r} differs from the team {act.team!r} of activity {act.id!r}",
            )


def _generated(tmp_path: Path, issues: int, seed: int) -> Ledger:
    path = tmp_path / f"ledger-{issues}-{seed}.json"
    with path.open("wb") as fh:
        write_ledger(fh, issues, seed=seed)
    return ck.load(path)


def _ctype(ledger: Ledger) -> CampaignType:
    return get_plugin_manager().campaign_type(ledger.campaign.type)


def _mixed(ledger: Ledger) -> Ledger:
    """``ledger`` with teams changed: other teams, no team, activities without a team."""
    teams = sorted(ledger.team_index)
    assert len(teams) > 1
    issues = list(ledger.issues)
    in_activities = [i for i, issue in enumerate(issues) if issue.activity is not None]
    assert in_activities
    for n, i in enumerate(in_activities[::3]):
        issue = issues[i]
        if n % 3 == 0:
            other = next(t for t in teams if t != issue.team)
            issues[i] = attrs.evolve(issue, team=other)
        elif n % 3 == 1:
            issues[i] = attrs.evolve(issue, team=None)
    without = [i for i, issue in enumerate(issues) if issue.activity is None][::5]
    for i in without:
        issues[i] = attrs.evolve(issues[i], team=teams[i % len(teams)])
    activities = list(ledger.activities)
    for k in range(0, len(activities), 7):
        activities[k] = attrs.evolve(activities[k], team=None)
    return ledger.replace(issues=tuple(issues), activities=tuple(activities))


def _strings(problems: Iterator[Problem] | list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def _found(ledger: Ledger) -> list[str]:
    found = _strings(issue_team_matches_activity(ledger, _ctype(ledger)))
    assert found == _strings(_reference(ledger))
    return found


def test_example_ledger() -> None:
    ledger = ck.load(EXAMPLE)
    assert _found(ledger) == []
    assert _found(_mixed(ledger))


@pytest.mark.parametrize(("issues", "seed"), [(300, 7), (2000, 11)])
def test_generated_ledgers(tmp_path: Path, issues: int, seed: int) -> None:
    ledger = _generated(tmp_path, issues, seed)
    assert _found(ledger) == []
    found = _found(_mixed(ledger))
    assert found
    assert all(": " in text and "differs from the team" in text for text in found)


def test_check_ledger_reports_the_records_then_the_validators(tmp_path: Path) -> None:
    ledger = _mixed(_generated(tmp_path, 300, 7))
    ctype = _ctype(ledger)
    validators = list(get_plugin_manager().validators(ctype.key).values())
    found = _strings(check_ledger(ledger, ctype, validators))
    records = _strings(check_records(ledger, ctype))
    assert found[: len(records)] == records
    assert [t for t in found if "differs from the team" in t] == _strings(_reference(ledger))
