"""Moved to :mod:`campaignkit.ledgerfile.regions`.

Importable under this name too, for this release.
"""

from campaignkit.ledgerfile.regions import *  # noqa: F403
from campaignkit.ledgerfile.regions import __all__ as __all__
