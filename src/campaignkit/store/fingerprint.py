"""What the derived columns were derived under: the campaign type's rules and the calendar.

A store keeps each issue's derived shape. Those shapes hold as long as the
campaign type's lifecycle and policy and the working-day calendar answer as
they did when the shapes were derived. :func:`derived_with` sums those up in
a short text kept with the campaign (``campaigns.derived_with``): when it no
longer matches what the plugins say today (a year's holidays published, a
plugin upgraded), the views are stale and ``campaignkit store rederive``
derives them again. A write whose process derives under another fingerprint
than the stored one is refused: its columns would sit beside columns derived
otherwise, under a fingerprint vouching for neither.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.rules.records import CampaignType

__all__ = ["derived_with"]


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
"""Where a function lives in memory (in the reprs of guards): different in every process."""


def derived_with(
    campaign_type: CampaignType,
    calendar: WorkCalendar,
    first: dt.date,
    last: dt.date,
    plugins: Iterable[str] = (),
) -> str:
    """A fingerprint of ``campaign_type``'s lifecycle and policy and of ``calendar``'s working
    days in every year from that of ``first`` to that of ``last`` (a store passes the
    campaign's period to the latest date a record of it may carry, so the span does not
    move as records are written), and of ``plugins``: the plugins (with their
    distributions' versions) that register the type and the calendars, so that an upgrade
    of one counts as a change even where its records read the same."""
    digest = hashlib.sha256()
    digest.update(campaign_type.key.encode())
    digest.update(_ADDRESS.sub("", repr(campaign_type.lifecycle)).encode())
    digest.update(_ADDRESS.sub("", repr(campaign_type.policy)).encode())
    for plugin in sorted(plugins):
        digest.update(plugin.encode() + b"\0")
    start, end = first.year, last.year
    for year in range(start, end + 1):
        days = range(dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal() + 1)
        workday = calendar.is_workday
        digest.update(bytes(49 if workday(dt.date.fromordinal(d)) else 48 for d in days))
    return f"{campaign_type.key}:{start}-{end}:{digest.hexdigest()[:32]}"
