"""Moved to :mod:`campaignkit.hooks.manager`.

Importable under this name too, for this release.
"""

from campaignkit.hooks.manager import *  # noqa: F403
from campaignkit.hooks.manager import __all__ as __all__
