"""The baseline: what a notebook user would write with pandas instead of campaignkit.

It reads the same ledger file with ``json.load``, turns the sections into
DataFrames and computes the same headline counts: issues by category,
channel, team, county and current handling level, issues resolved, enterprises
visited, meeting counts and attendance, materials handed out and land quota.
It checks nothing: no references, no dates, no legal histories.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["RESOLVED_STATES", "STATE_AFTER", "baseline_figures"]

RESOLVED_STATES = ("resolved", "closed")
# the state an event kind leads to (kinds that leave the state unchanged are absent)
STATE_AFTER = {
    "assigned": "assigned",
    "answered_on_spot": "resolved",
    "taken_back": "in_progress",
    "escalated": "assigned",
    "paused": "paused",
    "resumed": "in_progress",
    "resolved": "resolved",
    "reopened": "in_progress",
    "closed": "closed",
    "closed_unresolved": "closed_unresolved",
}


def baseline_figures(path: str | Path) -> dict[str, Any]:
    """Headline counts of the ledger at ``path``, the pandas way."""
    import pandas as pd

    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    issues = pd.DataFrame(doc["issues"])
    acts = pd.DataFrame(doc["activities"])
    ents = pd.DataFrame(doc["enterprises"])
    outcomes = pd.DataFrame(doc["outcomes"])
    regions = pd.DataFrame(doc["regions"])
    as_of = doc["campaign"].get("report_date") or doc["campaign"]["period"]["end"]

    # county of each enterprise (regions of enterprises are counties or zones here)
    county_levels = regions[regions["level"].isin(["county", "zone"])]["code"]
    ents["county"] = ents["region"].where(ents["region"].isin(county_levels))
    issues = issues.merge(
        ents[["id", "county"]].rename(columns={"id": "enterprise"}), on="enterprise", how="left"
    )

    # events: one row each, then the current state and level of every issue
    events = issues[["id", "events"]].explode("events").dropna(subset=["events"])
    flat = pd.DataFrame(events["events"].tolist())
    flat["issue"] = events["id"].to_numpy()
    flat = flat[flat["date"] <= as_of]
    flat["target"] = flat["kind"].map(STATE_AFTER)
    state = flat.dropna(subset=["target"]).groupby("issue")["target"].last()
    level = flat.dropna(subset=["level"]).groupby("issue")["level"].last()

    visits = acts[acts["kind"] == "enterprise_visit"].explode("enterprises")
    symposiums = acts[acts["kind"] == "symposium"]
    attendance = symposiums["enterprise_count"].fillna(symposiums["enterprises"].str.len())
    copies = acts["figures"].dropna().map(lambda f: f.get("copies", 0))
    land = outcomes[
        (outcomes["kind"] == "land_quota") & outcomes["status"].isin(["signed", "landed"])
    ]

    def counts(series: Any) -> dict[str, int]:
        return {str(k): int(v) for k, v in series.value_counts().sort_index().items()}

    return {
        "issues_collected": len(issues),
        "by_category": counts(issues["category"]),
        "by_channel": counts(issues["channel"]),
        "by_team": counts(issues["team"]),
        "by_region": counts(issues["county"]),
        "by_level": counts(level),
        "issues_resolved": int(state.isin(RESOLVED_STATES).sum()),
        "enterprises_visited": int(visits["enterprises"].nunique()),
        "symposiums": len(symposiums),
        "symposium_enterprises": int(attendance.sum()),
        "materials_distributed": int(copies.sum()),
        "land_mu": round(float(pd.to_numeric(land["land_mu"]).sum()), 1),
    }
