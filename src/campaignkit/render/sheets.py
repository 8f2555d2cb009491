"""Moved to :mod:`campaignkit.workbook.sheets`.

Importable under this name too, for this release.
"""

from campaignkit.workbook.sheets import *  # noqa: F403
from campaignkit.workbook.sheets import __all__ as __all__
