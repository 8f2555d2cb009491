"""Moved to :mod:`campaignkit.i18n.messages`.

Importable under this name too, for this release.
"""

from campaignkit.i18n.messages import *  # noqa: F403
from campaignkit.i18n.messages import __all__ as __all__
