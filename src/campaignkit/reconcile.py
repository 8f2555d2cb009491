"""Moved to :mod:`campaignkit.stats.reconcile`.

Importable under this name too, for this release.
"""

from campaignkit.stats.reconcile import *  # noqa: F403
from campaignkit.stats.reconcile import __all__ as __all__
