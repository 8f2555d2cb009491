"""Moved to :mod:`campaignkit.report.safety`.

Importable under this name too, for this release.
"""

from campaignkit.report.safety import *  # noqa: F403
from campaignkit.report.safety import __all__ as __all__
