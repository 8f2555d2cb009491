"""The errors a store raises on purpose (words from the message catalogue)."""

from __future__ import annotations

from collections.abc import Sequence

from campaignkit.errors import CampaignkitError
from campaignkit.i18n.catalogue import Phrase

__all__ = ["ConflictError", "StoreError", "missing_campaign"]


class StoreError(CampaignkitError):
    """A store that cannot be opened or does not hold what was asked for."""


class ConflictError(StoreError):
    """A record changed since the writer read it (an issue's history grew, or a record was
    corrected or added by another write): read it again and retry."""

    def __init__(
        self,
        campaign: str,
        issue: str,
        expected: int | None = None,
        found: int | None = None,
        *,
        phrase: Phrase | None = None,
    ) -> None:
        super().__init__(
            phrase
            or Phrase(
                "store-conflict",
                {"campaign": campaign, "issue": issue, "expected": expected, "found": found},
            )
        )
        self.campaign = campaign
        self.issue = issue
        """The id of the record (an issue's, for a history that grew)."""
        self.expected = expected
        """For a history: how many events the writer saw (None for a record's correction)."""
        self.found = found
        """For a history: how many events it holds now."""


def missing_campaign(campaign: str, held: Sequence[str]) -> StoreError:
    """The error that the store holds no campaign ``campaign``: naming those it holds, or
    saying it holds none (an empty store: nothing imported yet)."""
    if not held:
        return StoreError(Phrase("store-holds-none", {"campaign": campaign}))
    return StoreError(Phrase("store-no-campaign", {"campaign": campaign, "held": ", ".join(held)}))
