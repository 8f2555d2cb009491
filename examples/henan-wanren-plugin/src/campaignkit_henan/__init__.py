"""河南“万人助万企”活动 for campaignkit: campaign type, escalation rules, weekly report.

Officials are paired with enterprises (包联) and help them solve their
problems: an issue is routed (交办) within 1 day of being collected, the
responsible unit reports progress within 3 days, ordinary issues are solved
within 7 days and major ones within a month, and an issue is closed off
(销号) once the enterprise confirms it is satisfied. The figures the
campaign reports are 问题化解率 (issues resolved among those collected) and
企业满意率 (enterprises satisfied among those that rated the handling).

Everything is registered through campaignkit's hooks in
:mod:`campaignkit_henan.plugin`; this package changes nothing in campaignkit.
"""

from __future__ import annotations

from campaignkit_henan.campaign_type import CAMPAIGN_TYPE, KEY

__all__ = ["CAMPAIGN_TYPE", "KEY", "__version__"]

__version__ = "0.1.0"
