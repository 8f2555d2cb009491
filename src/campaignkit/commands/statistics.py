"""Moved to :mod:`campaignkit.cli.commands.statistics`.

Importable under this name too, for this release.
"""

from campaignkit.cli.commands.statistics import *  # noqa: F403
from campaignkit.cli.commands.statistics import __all__ as __all__
