"""Moved to :mod:`campaignkit.rules.lifecycle`.

Importable under this name too, for this release.
"""

from campaignkit.rules.lifecycle import *  # noqa: F403
from campaignkit.rules.lifecycle import __all__ as __all__
