"""Moved to :mod:`campaignkit.report.data`.

Importable under this name too, for this release.
"""

from campaignkit.report.data import *  # noqa: F403
from campaignkit.report.data import __all__ as __all__
