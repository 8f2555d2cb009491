"""Moved to :mod:`campaignkit.cli.commands.validate`.

Importable under this name too, for this release.
"""

from campaignkit.cli.commands.validate import *  # noqa: F403
from campaignkit.cli.commands.validate import __all__ as __all__
