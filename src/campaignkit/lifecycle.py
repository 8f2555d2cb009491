"""Moved to :mod:`campaignkit.rules.lifecycle` (the replays to :mod:`campaignkit.derive.views`).

Importable under this name too, for this release.
"""

from campaignkit.derive.views import StateColumns, replay, replay_all, replay_columns
from campaignkit.rules.lifecycle import *  # noqa: F403
from campaignkit.rules.lifecycle import __all__ as _moved

__all__ = [*_moved, "StateColumns", "replay", "replay_all", "replay_columns"]
