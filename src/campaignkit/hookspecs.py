"""Moved to :mod:`campaignkit.hooks.specs`.

Importable under this name too, for this release.
"""

from campaignkit.hooks.specs import *  # noqa: F403
from campaignkit.hooks.specs import __all__ as __all__
