"""Moved to :mod:`campaignkit.hooks.watchdog`.

Importable under this name too, for this release.
"""

from campaignkit.hooks.watchdog import *  # noqa: F403
from campaignkit.hooks.watchdog import __all__ as __all__
