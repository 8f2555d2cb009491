"""Moved to :mod:`campaignkit.report.html`.

Importable under this name too, for this release.
"""

from campaignkit.report.html import *  # noqa: F403
from campaignkit.report.html import __all__ as __all__
