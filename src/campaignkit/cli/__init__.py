"""The command line: ``campaignkit`` and its commands.

``campaignkit.cli`` re-exports :mod:`campaignkit.cli.app`.
"""

from campaignkit.cli.app import *  # noqa: F403
from campaignkit.cli.app import __all__ as __all__
