"""Moved to :mod:`campaignkit.report.text`.

Importable under this name too, for this release.
"""

from campaignkit.report.text import *  # noqa: F403
from campaignkit.report.text import __all__ as __all__
