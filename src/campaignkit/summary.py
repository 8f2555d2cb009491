"""Moved to :mod:`campaignkit.stats.summary`.

Importable under this name too, for this release.
"""

from campaignkit.stats.summary import *  # noqa: F403
from campaignkit.stats.summary import __all__ as __all__
