"""Moved to :mod:`campaignkit.stats.contributions`.

Importable under this name too, for this release.
"""

from campaignkit.stats.contributions import *  # noqa: F403
from campaignkit.stats.contributions import __all__ as __all__
