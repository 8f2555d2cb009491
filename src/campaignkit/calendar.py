"""Moved to :mod:`campaignkit.derive.calendar`.

Importable under this name too, for this release.
"""

from campaignkit.derive.calendar import *  # noqa: F403
from campaignkit.derive.calendar import __all__ as __all__
