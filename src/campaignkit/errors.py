"""The errors campaignkit raises.

Every problem with a ledger is a :class:`Problem` with a path such as
``issues[42].enterprise`` and a message; :class:`LedgerError` carries all of
them at once, so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from campaignkit.i18n.messages import localise

__all__ = ["CampaignkitError", "LedgerError", "PluginError", "Problem", "TransitionError"]


class CampaignkitError(Exception):
    """Base class of every error campaignkit raises on purpose."""


@frozen
class Problem:
    """One thing wrong with an input, located by a path.

    ``str(problem)`` gives ``issues[42].enterprise: unknown enterprise 'E0999'``,
    prefixed with the file name when known.
    """

    path: str
    message: str
    source: str | None = None
    """File (and sheet, row, column for workbooks) the problem was found in."""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "zh") -> str:
        """The problem as one line, its message in ``lang`` (``zh``, the default, or ``en``).

        ``str(problem)`` is ``problem.text("en")``: the message as written.
        """
        where = f"{self.source}: " if self.source else ""
        message = localise(self.message, lang)
        if self.path:
            return f"{where}{self.path}: {message}"
        return f"{where}{message}"


class LedgerError(CampaignkitError):
    """A ledger (or its source file) is invalid. ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        located = tuple(
            p if p.source or source is None else Problem(p.path, p.message, source)
            for p in problems
        )
        self.problems: tuple[Problem, ...] = located
        self.source = source
        head = f"{len(located)} problem(s)" + (f" in {source}" if source else "")
        super().__init__(head + ":\n" + "\n".join(str(p) for p in located))


class PluginError(CampaignkitError):
    """A plugin is broken or clashes with another one."""


class TransitionError(CampaignkitError):
    """An issue event is not allowed in the issue's current state."""

    def __init__(
        self,
        issue: str,
        from_state: str,
        event: str,
        to_state: str | None,
        allowed: Iterable[str],
    ) -> None:
        self.issue = issue
        self.from_state = from_state
        self.event = event
        self.to_state = to_state
        self.allowed = tuple(sorted(allowed))
        allowed_text = ", ".join(self.allowed) or "nothing (final state)"
        target = f" (to {to_state!r})" if to_state else ""
        super().__init__(
            f"issue {issue!r}: event {event!r}{target} is not allowed in state "
            f"{from_state!r}; allowed events: {allowed_text}"
        )
