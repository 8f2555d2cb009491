"""Moved to :mod:`campaignkit.cli.commands.plugins`.

Importable under this name too, for this release.
"""

from campaignkit.cli.commands.plugins import *  # noqa: F403
from campaignkit.cli.commands.plugins import __all__ as __all__
