"""Moved to :mod:`campaignkit.cli.helptext`.

Importable under this name too, for this release.
"""

from campaignkit.cli.helptext import *  # noqa: F403
from campaignkit.cli.helptext import __all__ as __all__
