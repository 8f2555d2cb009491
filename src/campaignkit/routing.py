"""Moved to :mod:`campaignkit.derive.routing`.

Importable under this name too, for this release.
"""

from campaignkit.derive.routing import *  # noqa: F403
from campaignkit.derive.routing import __all__ as __all__
