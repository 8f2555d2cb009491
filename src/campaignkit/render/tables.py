"""Moved to :mod:`campaignkit.report.tables`.

Importable under this name too, for this release.
"""

from campaignkit.report.tables import *  # noqa: F403
from campaignkit.report.tables import __all__ as __all__
