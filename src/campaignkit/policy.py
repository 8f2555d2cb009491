"""Moved to :mod:`campaignkit.rules.policy`.

Importable under this name too, for this release.
"""

from campaignkit.rules.policy import *  # noqa: F403
from campaignkit.rules.policy import __all__ as __all__
