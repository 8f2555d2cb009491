"""Moved to :mod:`campaignkit.cli.commands.report`.

Importable under this name too, for this release.
"""

from campaignkit.cli.commands.report import *  # noqa: F403
from campaignkit.cli.commands.report import __all__ as __all__
