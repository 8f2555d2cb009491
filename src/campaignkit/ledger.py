"""Moved to :mod:`campaignkit.model.ledger`.

Importable under this name too, for this release.
"""

from campaignkit.model.ledger import *  # noqa: F403
from campaignkit.model.ledger import __all__ as __all__
