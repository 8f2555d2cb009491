"""The hook implementations campaignkit finds through the ``campaignkit`` entry point.

Installing this package is all it takes: ``campaignkit plugins`` then lists
``henan-wanren`` with what it registers.
"""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit import hookimpl
from campaignkit.types import CampaignType, EscalationRule, ReportFormatter, Validator
from campaignkit_henan.campaign_type import CAMPAIGN_TYPE
from campaignkit_henan.rules import RULES
from campaignkit_henan.validators import MAJOR_LIMIT_RECORDED
from campaignkit_henan.weekly import WEEKLY

__all__ = [
    "campaignkit_campaign_types",
    "campaignkit_escalation_rules",
    "campaignkit_report_formatters",
    "campaignkit_validators",
]


@hookimpl
def campaignkit_campaign_types() -> Iterator[CampaignType]:
    """Register the 万人助万企 campaign type (``wanren-zhuwanqi``)."""
    yield CAMPAIGN_TYPE


@hookimpl
def campaignkit_escalation_rules() -> Iterator[EscalationRule]:
    """Register routing, listed-supervision and close-off rules."""
    yield from RULES


@hookimpl
def campaignkit_report_formatters() -> Iterator[ReportFormatter]:
    """Register the weekly report (``henan-weekly``)."""
    yield WEEKLY


@hookimpl
def campaignkit_validators() -> Iterator[Validator]:
    """Register the check that major issues record their time limit."""
    yield MAJOR_LIMIT_RECORDED
