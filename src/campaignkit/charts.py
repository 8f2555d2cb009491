"""Moved to :mod:`campaignkit.report.charts`.

Importable under this name too, for this release.
"""

from campaignkit.report.charts import *  # noqa: F403
from campaignkit.report.charts import __all__ as __all__
