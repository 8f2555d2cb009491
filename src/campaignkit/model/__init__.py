"""The records of a campaign (campaigns, teams, enterprises, activities, issues, outcomes),
the ledger that holds them, units and codes.

``campaignkit.model`` re-exports every record type of :mod:`campaignkit.model.records`.
"""

from campaignkit.model.records import *  # noqa: F403
from campaignkit.model.records import __all__ as __all__
