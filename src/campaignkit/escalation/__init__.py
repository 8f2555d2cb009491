"""Proposing and applying escalation actions (the rules themselves are plugins).

``campaignkit.escalation`` re-exports :mod:`campaignkit.escalation.engine`.
"""

from campaignkit.escalation.engine import *  # noqa: F403
from campaignkit.escalation.engine import __all__ as __all__
