"""Moved to :mod:`campaignkit.stats.metrics`.

Importable under this name too, for this release.
"""

from campaignkit.stats.metrics import *  # noqa: F403
from campaignkit.stats.metrics import __all__ as __all__
