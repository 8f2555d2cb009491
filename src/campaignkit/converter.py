"""Moved to :mod:`campaignkit.ledgerfile.converter`.

Importable under this name too, for this release.
"""

from campaignkit.ledgerfile.converter import *  # noqa: F403
from campaignkit.ledgerfile.converter import __all__ as __all__
