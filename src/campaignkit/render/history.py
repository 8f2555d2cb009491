"""Moved to :mod:`campaignkit.workbook.history`.

Importable under this name too, for this release.
"""

from campaignkit.workbook.history import *  # noqa: F403
from campaignkit.workbook.history import __all__ as __all__
