"""企业诉求“2115”办理 for campaignkit: a campaign type that changes what is built in.

Enterprise requests handled the way Shandong's 2115 hotline rule works: a work order
is dispatched (派单) to the responsible unit, which answers the enterprise within 24
hours of the dispatch and solves the request within 15 working days; a yellow card
comes a working day (the answer: four hours) before a limit and a red card when it
passes; the hotline then urges the unit by phone (催办) and the office supervises.

Everything is registered through campaignkit's hooks in
:mod:`campaignkit_shandong.plugin`; this package changes nothing in campaignkit, and
nothing it registers changes a ledger of another campaign type.
"""

from __future__ import annotations

from campaignkit_shandong.campaign_type import CAMPAIGN_TYPE, KEY

__all__ = ["CAMPAIGN_TYPE", "KEY", "__version__"]

__version__ = "0.1.0"
