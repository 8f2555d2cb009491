"""Building a report and rendering it: tables, charts, text, HTML and data formats.

``campaignkit.report`` re-exports :mod:`campaignkit.report.build`.
"""

from campaignkit.report.build import *  # noqa: F403
from campaignkit.report.build import __all__ as __all__
