"""Moved to :mod:`campaignkit.model.units`.

Importable under this name too, for this release.
"""

from campaignkit.model.units import *  # noqa: F403
from campaignkit.model.units import __all__ as __all__
