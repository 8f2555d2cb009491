"""A write to a store, as the checks that may refuse it see it (``campaignkit_write_checks``)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

from attrs import frozen

from campaignkit.errors import Problem
from campaignkit.model.records import Activity, Enterprise, Issue, IssueEvent, Outcome
from campaignkit.rules.records import Label

__all__ = ["Write", "WriteAction", "WriteCheck"]


class WriteAction(enum.StrEnum):
    """What a write does."""

    IMPORT = "import"
    """A whole ledger imported as a new campaign."""
    ADD = "add"
    """A record added."""
    CORRECT = "correct"
    """A record replaced by a corrected one (the one before is kept in the write history)."""
    APPEND = "append"
    """Events appended to an issue's history."""
    REDERIVE = "rederive"
    """The derived views derived again (no record changes)."""


@frozen
class Write:
    """One write to a store, before it commits: what each ``campaignkit_write_checks`` rule
    is handed."""

    campaign: str
    """The campaign's id."""
    action: WriteAction
    author: str
    """Who makes the write (a team, a department or a person), as the writer named it."""
    record: Enterprise | Activity | Issue | Outcome | None = None
    """The record added or corrected; for appended events, the issue before them."""
    before: Enterprise | Activity | Issue | Outcome | None = None
    """For a correction: the record it replaces."""
    events: tuple[IssueEvent, ...] = ()
    """For an append: the events appended."""


@frozen
class WriteCheck:
    """A deployment's rule on writes to a store: ``check(write)`` yields the problems that
    refuse it (none lets it through).

    A refusal is worded like any problem: give it a code registered with
    :func:`campaignkit.i18n.catalogue.register` (both languages) and its arguments, so
    that the writer reads why in their language.
    """

    name: str
    label: Label
    check: Callable[[Write], Iterable[Problem]]
    campaign_types: tuple[str, ...] = ()
    """Campaign types whose writes it checks (every type when empty)."""
    doc: str = ""
