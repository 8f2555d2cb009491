"""The DuckDB baseline: what an analyst who knows SQL would write instead of campaignkit.

It computes the figures of the pandas baseline (:mod:`benchmarks.baseline`) with
DuckDB SQL straight over the same ledger file: ``read_json`` reads the one JSON
object of the file (declaring only the fields the figures need, dates kept as
text and compared as text like the pandas baseline does), ``unnest`` turns the
lists of issues, events, enterprises, regions, activities and outcomes into rows,
and the figures are ``GROUP BY`` counts and sums. DuckDB runs with its default
number of threads. Like the pandas baseline it checks nothing.

The statements are module-level constants, run in the order of :data:`SQL`, so
the harness records exactly what was measured.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

__all__ = ["BREAKDOWNS_SQL", "ISSUES_SQL", "LEDGER_SQL", "SQL", "TOTALS_SQL", "duckdb_figures"]


LEDGER_SQL = """\
CREATE OR REPLACE TEMP TABLE ledger AS
SELECT campaign, regions, enterprises, activities, issues, outcomes
FROM read_json(
    $path,
    maximum_object_size = $size,  -- the file is one JSON object
    columns = {
        campaign: 'STRUCT(report_date VARCHAR, period STRUCT("end" VARCHAR))',
        regions: 'STRUCT(code VARCHAR, level VARCHAR)[]',
        enterprises: 'STRUCT(id VARCHAR, region VARCHAR)[]',
        activities: 'STRUCT(kind VARCHAR, enterprises VARCHAR[], enterprise_count BIGINT,
                            figures STRUCT(copies BIGINT))[]',
        issues: 'STRUCT(id VARCHAR, category VARCHAR, channel VARCHAR, team VARCHAR,
                        enterprise VARCHAR,
                        events STRUCT(kind VARCHAR, date VARCHAR, level VARCHAR)[])[]',
        outcomes: 'STRUCT(kind VARCHAR, status VARCHAR, land_mu VARCHAR)[]'
    }
)"""
"""Reads the file into one row whose columns are the lists the figures need."""

ISSUES_SQL = """\
CREATE OR REPLACE TEMP TABLE issue AS
WITH
as_of AS (
    SELECT coalesce(nullif(campaign.report_date, ''), campaign."period"."end") AS day
    FROM ledger
),
county AS (  -- the county of each enterprise: its region when that is a county or a zone
    SELECT e.id AS enterprise, e.region AS county
    FROM (SELECT unnest(enterprises) AS e FROM ledger)
    WHERE e.region IN (
        SELECT r.code FROM (SELECT unnest(regions) AS r FROM ledger)
        WHERE r.level IN ('county', 'zone')
    )
),
target(kind, state) AS (  -- the state an event kind leads to
    VALUES
        ('assigned', 'assigned'),
        ('answered_on_spot', 'resolved'),
        ('taken_back', 'in_progress'),
        ('escalated', 'assigned'),
        ('paused', 'paused'),
        ('resumed', 'in_progress'),
        ('resolved', 'resolved'),
        ('reopened', 'in_progress'),
        ('closed', 'closed'),
        ('closed_unresolved', 'closed_unresolved')
),
issue_row AS (SELECT unnest(issues) AS i FROM ledger),
event AS (  -- one row per event, numbered in the order of the issue's history
    SELECT i.id AS issue, unnest(i.events) AS ev, generate_subscripts(i.events, 1) AS n
    FROM issue_row
),
latest AS (  -- the current state and level of each issue as of the report date
    SELECT
        event.issue,
        arg_max(target.state, event.n) FILTER (WHERE target.state IS NOT NULL) AS state,
        arg_max(ev.level, event.n) FILTER (WHERE ev.level IS NOT NULL) AS level
    FROM event
    LEFT JOIN target ON target.kind = ev.kind
    WHERE ev.date <= (SELECT day FROM as_of)
    GROUP BY event.issue
)
SELECT i.id, i.category, i.channel, i.team, county.county, latest.state, latest.level
FROM issue_row
LEFT JOIN county ON county.enterprise = i.enterprise
LEFT JOIN latest ON latest.issue = i.id"""
"""One row per issue: what it is counted by, and its current state and level."""

BREAKDOWNS_SQL = """\
SELECT 'by_category' AS figure, category AS key, count(*) AS issues
FROM issue WHERE category IS NOT NULL GROUP BY category
UNION ALL
SELECT 'by_channel', channel, count(*) FROM issue WHERE channel IS NOT NULL GROUP BY channel
UNION ALL
SELECT 'by_team', team, count(*) FROM issue WHERE team IS NOT NULL GROUP BY team
UNION ALL
SELECT 'by_region', county, count(*) FROM issue WHERE county IS NOT NULL GROUP BY county
UNION ALL
SELECT 'by_level', level, count(*) FROM issue WHERE level IS NOT NULL GROUP BY level
ORDER BY figure, key"""
"""Issues by category, channel, team, county and current level: (figure, key, issues) rows."""

TOTALS_SQL = """\
WITH
activity AS (SELECT unnest(activities) AS a FROM ledger),
outcome AS (SELECT unnest(outcomes) AS o FROM ledger)
SELECT
    (SELECT count(*) FROM issue) AS issues_collected,
    (SELECT count(*) FROM issue WHERE state IN ('resolved', 'closed')) AS issues_resolved,
    (
        SELECT count(DISTINCT enterprise)
        FROM (
            SELECT unnest(a.enterprises) AS enterprise FROM activity
            WHERE a.kind = 'enterprise_visit'
        )
    ) AS enterprises_visited,
    (SELECT count(*) FROM activity WHERE a.kind = 'symposium') AS symposiums,
    (
        SELECT coalesce(sum(coalesce(a.enterprise_count, len(a.enterprises))), 0)
        FROM activity WHERE a.kind = 'symposium'
    ) AS symposium_enterprises,
    (SELECT coalesce(sum(a.figures.copies), 0) FROM activity) AS materials_distributed,
    (
        SELECT coalesce(sum(CAST(o.land_mu AS DECIMAL(38, 10))), 0)
        FROM outcome WHERE o.kind = 'land_quota' AND o.status IN ('signed', 'landed')
    ) AS land_mu"""
"""The single figures: issues, issues resolved, visits, symposiums, materials and land."""

SQL = {
    "ledger": LEDGER_SQL,
    "issues": ISSUES_SQL,
    "breakdowns": BREAKDOWNS_SQL,
    "totals": TOTALS_SQL,
}
"""Every statement, in the order :func:`duckdb_figures` runs them."""

_TOTALS = (
    "issues_collected",
    "issues_resolved",
    "enterprises_visited",
    "symposiums",
    "symposium_enterprises",
    "materials_distributed",
    "land_mu",
)
_BREAKDOWNS = ("by_category", "by_channel", "by_team", "by_region", "by_level")


def duckdb_figures(
    path: str | Path, con: duckdb.DuckDBPyConnection | None = None
) -> dict[str, Any]:
    """Headline counts of the ledger at ``path``, the DuckDB way: the same dictionary
    as :func:`benchmarks.baseline.baseline_figures`.

    ``con``: a DuckDB connection to run the statements on (default: a new in-memory
    database with DuckDB's default settings, closed afterwards).
    """
    import duckdb

    db = duckdb.connect() if con is None else con
    try:
        db.execute(LEDGER_SQL, {"path": str(path), "size": os.path.getsize(path) + 1})
        db.execute(ISSUES_SQL)
        rows = db.execute(BREAKDOWNS_SQL).fetchall()
        totals = db.execute(TOTALS_SQL).fetchone()
    finally:
        if con is None:
            db.close()
    if totals is None:
        raise RuntimeError("the totals query returned no row")
    found = dict(zip(_TOTALS, totals, strict=True))
    breakdowns: dict[str, dict[str, int]] = {name: {} for name in _BREAKDOWNS}
    for figure, key, issues in rows:
        breakdowns[figure][str(key)] = int(issues)
    land = found["land_mu"]
    return {
        "issues_collected": int(found["issues_collected"]),
        **{name: dict(sorted(counts.items())) for name, counts in breakdowns.items()},
        "issues_resolved": int(found["issues_resolved"]),
        "enterprises_visited": int(found["enterprises_visited"]),
        "symposiums": int(found["symposiums"]),
        "symposium_enterprises": int(found["symposium_enterprises"]),
        "materials_distributed": int(found["materials_distributed"]),
        # the exact sum, rounded the way campaignkit's figure is
        "land_mu": round(float(Decimal(land)), 1),
    }
