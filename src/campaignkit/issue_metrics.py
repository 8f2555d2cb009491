"""Moved to :mod:`campaignkit.stats.issue_metrics`.

Importable under this name too, for this release.
"""

from campaignkit.stats.issue_metrics import *  # noqa: F403
from campaignkit.stats.issue_metrics import __all__ as __all__
