"""Moved to :mod:`campaignkit.cli.commands`.

Importable under this name too, for this release.
"""

from campaignkit.cli.commands import *  # noqa: F403
from campaignkit.cli.commands import __all__ as __all__
