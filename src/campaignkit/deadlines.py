"""Moved to :mod:`campaignkit.derive.deadlines`.

Importable under this name too, for this release.
"""

from campaignkit.derive.deadlines import *  # noqa: F403
from campaignkit.derive.deadlines import __all__ as __all__
