"""Moved to :mod:`campaignkit.workbook.excel`.

Importable under this name too, for this release.
"""

from campaignkit.workbook.excel import *  # noqa: F403
from campaignkit.workbook.excel import __all__ as __all__
