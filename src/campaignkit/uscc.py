"""Moved to :mod:`campaignkit.model.uscc`.

Importable under this name too, for this release.
"""

from campaignkit.model.uscc import *  # noqa: F403
from campaignkit.model.uscc import __all__ as __all__
