"""What the derived columns were derived under: the campaign type's rules and the calendar.

A store keeps each issue's derived shape. Those shapes hold as long as the
campaign type's lifecycle and policy and the working-day calendar answer as
they did when the shapes were derived. :func:`derived_with` sums those up in
a short text kept with the campaign (``campaigns.derived_with``): when it no
longer matches what the plugins say today (a year's holidays published, a
plugin upgraded), the views are stale and ``campaignkit store rederive``
derives them again.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.rules.records import CampaignType

__all__ = ["derived_with"]


def derived_with(
    campaign_type: CampaignType, calendar: WorkCalendar, first: dt.date, last: dt.date
) -> str:
    """A fingerprint of ``campaign_type``'s lifecycle and policy and of ``calendar``'s working
    days in every year from that of ``first`` to that of ``last`` (a store passes the
    campaign's period to the latest date a record of it may carry, so the span does not
    move as records are written)."""
    digest = hashlib.sha256()
    digest.update(campaign_type.key.encode())
    digest.update(repr(campaign_type.lifecycle).encode())
    digest.update(repr(campaign_type.policy).encode())
    start, end = first.year, last.year
    for year in range(start, end + 1):
        days = range(dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal() + 1)
        workday = calendar.is_workday
        digest.update(bytes(49 if workday(dt.date.fromordinal(d)) else 48 for d in days))
    return f"{campaign_type.key}:{start}-{end}:{digest.hexdigest()[:32]}"
