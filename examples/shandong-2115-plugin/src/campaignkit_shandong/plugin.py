"""The hook implementations campaignkit finds through the ``campaignkit`` entry point.

Installing this package is all it takes: ``campaignkit plugins`` then lists
``shandong-2115`` with what it registers, and which built-in formats it replaces.
"""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.plugins import CampaignType, EscalationRule, ReportFormatter, hookimpl
from campaignkit_shandong.campaign_type import CAMPAIGN_TYPE
from campaignkit_shandong.formats import FORMATS
from campaignkit_shandong.rules import RULES

__all__ = [
    "campaignkit_campaign_types",
    "campaignkit_escalation_rules",
    "campaignkit_report_formatters",
]


@hookimpl
def campaignkit_campaign_types() -> Iterator[CampaignType]:
    """Register the 2115 campaign type (``suqiu-2115``)."""
    yield CAMPAIGN_TYPE


@hookimpl
def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
    """Register the hotline's dispatch and urging rules."""
    yield from RULES


@hookimpl
def campaignkit_report_formatters() -> Iterator[ReportFormatter]:
    """Register, for 2115 ledgers only, the bulletin in place of ``text`` and the wrapped
    ``markdown``."""
    yield from FORMATS
