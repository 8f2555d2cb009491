"""The errors campaignkit raises.

Every problem with a ledger is a :class:`Problem` with a path such as
``issues[42].enterprise``, a stable code such as ``unknown-reference`` and the
code's arguments; its words come from the message catalogue
(:mod:`campaignkit.i18n.catalogue`) in Chinese or English. :class:`LedgerError`
carries all of them at once, so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

from campaignkit.i18n.catalogue import LITERAL, Phrase, literal
from campaignkit.i18n.shown import MAX_PATH, escaped

__all__ = [
    "MAX_MESSAGE",
    "ActionDateError",
    "CampaignkitError",
    "LedgerError",
    "LifecycleError",
    "MalformedProblem",
    "PluginError",
    "Problem",
    "TransitionError",
]


MAX_MESSAGE = 2_000
"""The most characters of a problem's message shown (a plugin's own text included): see
:mod:`campaignkit.i18n.shown`."""


class CampaignkitError(Exception):
    """Base class of every error campaignkit raises on purpose.

    Raised with a :class:`~campaignkit.i18n.catalogue.Phrase`, its text is the
    phrase in English and :attr:`phrase` words it in either language.
    """

    @property
    def phrase(self) -> Phrase:
        """What went wrong, in either language (its text as written when raised with text)."""
        first = self.args[0] if len(self.args) == 1 else None
        return first if isinstance(first, Phrase) else literal(str(self))


class MalformedProblem(CampaignkitError, TypeError):
    """A :class:`Problem` made without the arguments its code needs, or something other
    than problems given where a plugin's check must give them: a ``TypeError`` as it
    always was, its text in English and its
    :attr:`~campaignkit.errors.CampaignkitError.phrase` in either language."""


def _args(args: Mapping[str, object]) -> Mapping[str, object]:
    return dict(args)


@frozen(init=False)
class Problem:
    """One thing wrong with an input, located by a path.

    A coded problem (``Problem.of("unknown-reference", "issues[42].enterprise",
    what=noun("enterprise"), key="E0999")``) is worded by the message catalogue;
    ``Problem(path, message)``, as plugins have written it, shows its message as
    written in every language. ``str(problem)`` gives
    ``issues[42].enterprise: unknown enterprise 'E0999'``, prefixed with the file
    name when known.
    """

    path: str
    code: str
    """The message's code in the catalogue (``""`` for a message as written)."""
    args: Mapping[str, Any] = field(converter=_args, hash=False)
    """The code's arguments by field name."""
    source: str | None = None
    """File (and sheet, row, column for workbooks) the problem was found in."""

    def __init__(
        self,
        path: str,
        message: str | Phrase | None = None,
        source: str | None = None,
        *,
        code: str | None = None,
        args: Mapping[str, object] | None = None,
    ) -> None:
        if code is None:
            if message is None:
                raise TypeError("a Problem needs a message or a code")
            phrase = message if isinstance(message, Phrase) else Phrase(LITERAL, {"text": message})
            code, args = phrase.code, phrase.args
        elif message is not None:
            raise TypeError("a Problem has a message or a code, not both")
        args = {} if args is None else args
        if code:
            missing = Phrase(code, args).missing()
            if missing:
                names = ", ".join(sorted(missing))
                raise MalformedProblem(
                    Phrase("problem.needs-arguments", {"code": code, "names": names})
                )
        self.__attrs_init__(path, code, args, source)

    @classmethod
    def of(cls, code: str, path: str, /, *, source: str | None = None, **args: object) -> Problem:
        """The problem ``code`` at ``path``, with the code's arguments by name."""
        return cls(path, source=source, code=code, args=args)

    @property
    def phrase(self) -> Phrase:
        """The message as a catalogue phrase (code and arguments)."""
        return Phrase(self.code, self.args)

    @property
    def message(self) -> str:
        """The message in English (what code, logs and tests compare)."""
        return self.phrase.text("en")

    def under(self, prefix: str) -> Problem:
        """The same problem with ``prefix`` before its path (a check of a part worded once
        for every record that holds the part, as validation does for shared events)."""
        return Problem(prefix + self.path, source=self.source, code=self.code, args=self.args)

    def located(self, source: str | None) -> Problem:
        """The same problem found in ``source`` (unless it already names its file)."""
        if self.source or source is None:
            return self
        return Problem(self.path, source=source, code=self.code, args=self.args)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "zh") -> str:
        """The problem as one line, its message in ``lang`` (``zh``, the default, or ``en``).

        ``str(problem)`` is ``problem.text("en")``.
        """
        where = f"{escaped(self.source, MAX_PATH)}: " if self.source else ""
        message = escaped(self.phrase.text(lang), MAX_MESSAGE)
        if self.path:
            return f"{where}{escaped(self.path, MAX_PATH)}: {message}"
        return f"{where}{message}"


class LedgerError(CampaignkitError):
    """A ledger (or its source file) is invalid. ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        located = tuple(p.located(source) for p in problems)
        self.problems: tuple[Problem, ...] = located
        self.source = source
        head = f"{len(located)} problem(s)" + (f" in {source}" if source else "")
        super().__init__(head + ":\n" + "\n".join(str(p) for p in located))


class ActionDateError(LedgerError, ValueError):
    """Actions dated before their issue's latest event (or its raising), refused before
    anything is applied: a :class:`LedgerError` locating each such issue, and a
    ``ValueError`` as it always was."""


class PluginError(CampaignkitError):
    """A plugin is broken or clashes with another one."""


class LifecycleError(CampaignkitError, ValueError):
    """A lifecycle that contradicts itself (a transition to or from an unknown state, an
    unknown initial state, a rated event kind it does not know), raised when it is built:
    a ``ValueError`` as it always was, its text in English and its
    :attr:`~campaignkit.errors.CampaignkitError.phrase` in either language."""


class TransitionError(CampaignkitError):
    """An issue event is not allowed in the issue's current state, or a guard of the
    lifecycle refused it (``refusal`` then says why)."""

    def __init__(
        self,
        issue: str,
        from_state: str,
        event: str,
        to_state: str | None,
        allowed: Iterable[str],
        *,
        kind: str | None = None,
        refusal: Phrase | None = None,
    ) -> None:
        self.issue = issue
        self.from_state = from_state
        self.event = event
        """The event refused: its kind, followed by a guard's reason in English when a
        guard refused it (``assigned (needs level, department)``)."""
        self.to_state = to_state
        self.allowed = tuple(sorted(allowed))
        self.kind = event if kind is None else kind
        """The kind of the event refused."""
        self.refusal = refusal
        """Why a guard refused the event, in either language (None: the state does not
        allow its kind at all). A built-in guard's words (``needs level, department``),
        or a plugin guard's reason as written."""
        self.position: int | None = None
        """Where the refused event is in the history walked (set by the walk that met it)."""
        allowed_text: object = ", ".join(self.allowed) or Phrase("final-state")
        args = {"issue": repr(issue), "event": repr(self.kind), "state": repr(from_state)}
        if refusal is not None:
            code = "transition.guard" if refusal.code == LITERAL else "transition.refused"
            phrase = Phrase(code, {**args, "reason": refusal})
        elif to_state:
            phrase = Phrase(
                "transition-to", {**args, "to": repr(to_state), "allowed": allowed_text}
            )
        else:
            phrase = Phrase("transition", {**args, "allowed": allowed_text})
        super().__init__(phrase)
