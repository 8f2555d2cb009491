"""Moved to :mod:`campaignkit.cli.commands.excel`.

Importable under this name too, for this release.
"""

from campaignkit.cli.commands.excel import *  # noqa: F403
from campaignkit.cli.commands.excel import __all__ as __all__
