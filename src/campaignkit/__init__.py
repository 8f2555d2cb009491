"""campaignkit: typed records, statistics and reports for enterprise-service campaigns.

>>> import campaignkit
>>> ledger = campaignkit.load("examples/huainan-2020/ledger.json")  # doctest: +SKIP
>>> campaignkit.compute(ledger, "enterprises_visited").value  # doctest: +SKIP
215
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import campaignkit.validate as _old_validate  # noqa: F401 - the old module, before the function
from campaignkit.errors import CampaignkitError, LedgerError, PluginError, Problem, TransitionError
from campaignkit.hooks.manager import PluginManager, get_plugin_manager, new_plugin_manager
from campaignkit.hooks.specs import hookimpl
from campaignkit.io import append_events, dump, dumps, load, load_workspace, loads, validate
from campaignkit.model.ledger import FORMAT_VERSION, Ledger
from campaignkit.model.records import (
    Activity,
    Campaign,
    Contact,
    Deadline,
    DeadlineUnit,
    Enterprise,
    Issue,
    IssueEvent,
    Outcome,
    OutcomeStatus,
    Party,
    Period,
    Phase,
    Region,
    RegionLevel,
    Satisfaction,
    Scope,
    Team,
    TeamKind,
    WorkGroup,
)
from campaignkit.stats.metrics import MetricResult, breakdown, compute, compute_all, crosstab
from campaignkit.stats.tables import activity_table, enterprise_table, issue_table, outcome_table
from campaignkit.workspace import Workspace

if TYPE_CHECKING:
    from campaignkit.store import Store

__version__ = "0.1.0"


def open(url: str, *, manager: PluginManager | None = None, create: bool = True) -> Store:
    """Open the store at ``url``: ``sqlite:///campaign.db`` (created when missing) or
    ``postgresql://user@host/db`` (see :class:`campaignkit.store.Store`). Needs the
    ``store`` extra (``pip install 'campaignkit[store]'``; ``[postgresql]`` for PostgreSQL)."""
    try:
        from campaignkit.store import Store
    except ImportError as exc:  # pragma: no cover - the extra is missing
        raise ImportError(
            f"{exc}: a store needs the store extra: pip install 'campaignkit[store]'"
        ) from None
    return Store.open(url, manager=manager, create=create)


__all__ = [
    "FORMAT_VERSION",
    "Activity",
    "Campaign",
    "CampaignkitError",
    "Contact",
    "Deadline",
    "DeadlineUnit",
    "Enterprise",
    "Issue",
    "IssueEvent",
    "Ledger",
    "LedgerError",
    "MetricResult",
    "Outcome",
    "OutcomeStatus",
    "Party",
    "Period",
    "Phase",
    "PluginError",
    "Problem",
    "Region",
    "RegionLevel",
    "Satisfaction",
    "Scope",
    "Team",
    "TeamKind",
    "TransitionError",
    "WorkGroup",
    "Workspace",
    "__version__",
    "activity_table",
    "append_events",
    "breakdown",
    "compute",
    "compute_all",
    "crosstab",
    "dump",
    "dumps",
    "enterprise_table",
    "get_plugin_manager",
    "hookimpl",
    "issue_table",
    "load",
    "load_workspace",
    "loads",
    "new_plugin_manager",
    "open",
    "outcome_table",
    "validate",
]
