"""Moved to :mod:`campaignkit.workbook.xlsx`.

Importable under this name too, for this release.
"""

from campaignkit.workbook.xlsx import *  # noqa: F403
from campaignkit.workbook.xlsx import __all__ as __all__
