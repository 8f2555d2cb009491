"""A ledger check of 万人助万企: a major issue's assignment records its time limit."""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.errors import Problem
from campaignkit.i18n.catalogue import register
from campaignkit.ledger import Ledger
from campaignkit.types import CampaignType, Label, Validator
from campaignkit_henan.campaign_type import KEY
from campaignkit_henan.metrics import is_major

__all__ = ["MAJOR_LIMIT_RECORDED", "major_limit_recorded"]

register(
    "henan.major-limit-missing",
    en="the assignment of a major issue must record its time limit "
    "(deadline or due; a month by default)",
    zh="重大问题的交办必须写明时限（deadline 或 due；默认一个月）",
    owner="campaignkit_henan",
)


def major_limit_recorded(ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    """The first assignment of a major issue carries its limit (``deadline`` or ``due``).

    Without it the ordinary 7-day limit would apply to an issue that has a month.
    """
    for i, issue in enumerate(ledger.issues):
        if not is_major(issue):
            continue
        for k, event in enumerate(issue.events):
            if event.kind != "assigned":
                continue
            if event.deadline is None and event.due is None:
                yield Problem.of("henan.major-limit-missing", f"issues[{i}].events[{k}]")
            break


MAJOR_LIMIT_RECORDED = Validator(
    "henan-major-limit",
    Label("重大问题交办须写明时限", "major issues record their limit"),
    major_limit_recorded,
    campaign_types=(KEY,),
    doc=major_limit_recorded.__doc__ or "",
)
