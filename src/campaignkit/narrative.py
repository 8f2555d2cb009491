"""Moved to :mod:`campaignkit.stats.narrative`.

Importable under this name too, for this release.
"""

from campaignkit.stats.narrative import *  # noqa: F403
from campaignkit.stats.narrative import __all__ as __all__
