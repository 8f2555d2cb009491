"""Built-in ledger validators (plugin checks that go beyond the record schema)."""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.errors import Problem
from campaignkit.hooks.specs import hookimpl
from campaignkit.model.ledger import Ledger
from campaignkit.rules.records import CampaignType, Label, Validator

__all__ = ["campaignkit_validators"]

_NAMED_KINDS = ("enterprise_visit", "return_visit")


def visits_name_enterprises(ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    """An enterprise visit or return visit names at least one enterprise."""
    labels = {k.key: k.label for k in ctype.activity_kinds}
    for i, a in enumerate(ledger.activities):
        if a.kind in _NAMED_KINDS and not a.enterprises:
            kind = labels.get(a.kind, a.kind)  # its name in each language
            yield Problem.of("visit-names-enterprises", f"activities[{i}].enterprises", kind=kind)


def issue_team_matches_activity(ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    """An issue raised in an activity belongs to the activity's team."""
    activities = ledger.activity_index
    for i, issue in enumerate(ledger.issues):
        if not (issue.activity and issue.team):
            continue
        act = activities.get(issue.activity)
        if act is not None and act.team and issue.team != act.team:
            yield Problem.of(
                "team-differs",
                f"issues[{i}].team",
                team=issue.team,
                other=act.team,
                activity=act.id,
            )


def stationed_team_regions(ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    """Each region is covered by at most one stationed team (分片包干)."""
    owner: dict[str, str] = {}
    for g, group in enumerate(ledger.work_groups):
        for t, team in enumerate(group.teams):
            for k, code in enumerate(team.regions):
                if code in owner and owner[code] != team.id:
                    yield Problem.of(
                        "region-covered-twice",
                        f"work_groups[{g}].teams[{t}].regions[{k}]",
                        region=code,
                        team=owner[code],
                    )
                owner.setdefault(code, team.id)


@hookimpl
def campaignkit_validators() -> Iterator[Validator]:
    """Register the built-in validators."""
    yield Validator(
        "visits-name-enterprises",
        Label("走访须列明企业", "visits name their enterprises"),
        visits_name_enterprises,
        doc=visits_name_enterprises.__doc__ or "",
    )
    yield Validator(
        "issue-team-matches-activity",
        Label("问题所属小组与活动一致", "issue team matches its activity"),
        issue_team_matches_activity,
        doc=issue_team_matches_activity.__doc__ or "",
    )
    yield Validator(
        "stationed-team-regions",
        Label("分片包干不重叠", "stationed teams do not overlap"),
        stationed_team_regions,
        doc=stationed_team_regions.__doc__ or "",
    )
