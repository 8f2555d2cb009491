"""Moved to :mod:`campaignkit.cli.commands.issues`.

Importable under this name too, for this release.
"""

from campaignkit.cli.commands.issues import *  # noqa: F403
from campaignkit.cli.commands.issues import __all__ as __all__
