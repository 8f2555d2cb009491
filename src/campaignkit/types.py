"""Moved to :mod:`campaignkit.rules.records`.

Importable under this name too, for this release.
"""

from campaignkit.rules.records import *  # noqa: F403
from campaignkit.rules.records import __all__ as __all__
