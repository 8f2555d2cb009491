"""Moved to :mod:`campaignkit.ledgerfile.fastpath`.

Importable under this name too, for this release.
"""

from campaignkit.ledgerfile.fastpath import *  # noqa: F403
from campaignkit.ledgerfile.fastpath import __all__ as __all__
