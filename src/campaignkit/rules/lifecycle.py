"""Issue lifecycles as checked graphs.

A campaign type defines a :class:`Lifecycle`: states with a kind, and the
event kinds allowed in each state with the state they lead to. An issue's
current state is derived by replaying its event history; nothing is stored
twice. An event that the graph does not allow raises
:class:`~campaignkit.errors.TransitionError` naming the issue, the states and
what is allowed.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable

from attrs import field, frozen

from campaignkit.errors import LifecycleError, TransitionError
from campaignkit.i18n.catalogue import Phrase, literal, pick
from campaignkit.model.records import Issue, IssueEvent, Satisfaction
from campaignkit.rules.records import Label

__all__ = [
    "DEFAULT_LIFECYCLE",
    "IssueState",
    "Lifecycle",
    "Needs",
    "NeedsOne",
    "State",
    "StateKind",
    "Transition",
]


class StateKind(enum.StrEnum):
    """What a state means for the statistics."""

    OPEN = "open"
    WAITING = "waiting"
    """Paused, waiting on something outside the handler's control; clocks stop."""
    RESOLVED = "resolved"
    CLOSED_UNRESOLVED = "closed_unresolved"


Guard = Callable[[Issue, IssueEvent], str | None]
"""A guard returns why an event may not happen, or None when it may."""


@frozen
class State:
    """A lifecycle state."""

    key: str
    kind: StateKind
    label: Label
    final: bool = False


@frozen
class Transition:
    """Event ``event`` is allowed in ``sources`` and leads to ``target``.

    ``target`` None means the state does not change (e.g. a warning).
    """

    event: str
    sources: tuple[str, ...]
    target: str | None = None
    guard: Guard | None = None
    label: Label | None = None


@frozen
class Lifecycle:
    """A checked state graph for issues."""

    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    rated: tuple[str, ...] | None = None
    """The event kinds that may carry a satisfaction rating (the built-in lifecycle:
    ``return_visit``, which follows a resolution). A rating on an event of another kind is
    a problem of the ledger and is never counted. None (the default of a lifecycle that
    does not say) lets every kind carry one."""
    _by_state: dict[str, dict[str, Transition]] = field(init=False, eq=False, repr=False)
    _states: dict[str, State] = field(init=False, eq=False, repr=False)
    _kinds: frozenset[str] = field(init=False, eq=False, repr=False)
    _moves: dict[str, dict[str, tuple[str, Guard | None, tuple[str, ...] | None]]] = field(
        init=False, eq=False, repr=False
    )
    _resolved: frozenset[str] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        table: dict[str, dict[str, Transition]] = {s.key: {} for s in self.states}
        for t in self.transitions:
            for source in t.sources:
                for state in (source, t.target):
                    if state is not None and state not in table:
                        raise LifecycleError(
                            Phrase("lifecycle.unknown-state", {"event": t.event, "state": state})
                        )
                table[source][t.event] = t
        if self.initial not in table:
            raise LifecycleError(Phrase("lifecycle.unknown-initial", {"state": self.initial}))
        known = {t.event for t in self.transitions}
        for kind in self.rated or ():
            if kind not in known:
                raise LifecycleError(Phrase("lifecycle.unknown-rated", {"kind": kind}))
        object.__setattr__(self, "_by_state", table)
        object.__setattr__(self, "_states", {s.key: s for s in self.states})
        object.__setattr__(self, "_kinds", frozenset(t.event for t in self.transitions))
        # For replay: (state after, guard, the fields a built-in guard needs) of each
        # allowed event kind in each state.
        moves = {
            state: {
                kind: (
                    t.target or state,
                    t.guard,
                    t.guard.names if isinstance(t.guard, Needs) else None,
                )
                for kind, t in by_kind.items()
            }
            for state, by_kind in table.items()
        }
        object.__setattr__(self, "_moves", moves)
        resolved = frozenset(s.key for s in self.states if s.kind is StateKind.RESOLVED)
        object.__setattr__(self, "_resolved", resolved)

    @property
    def plain_guards(self) -> bool:
        """True if every guard only checks that event fields are present (the built-in guards).

        Such a lifecycle's answers depend only on event kinds and on which
        fields are present, never on other code.
        """
        return all(t.guard is None or isinstance(t.guard, Needs) for t in self.transitions)

    @property
    def event_kinds(self) -> frozenset[str]:
        """Every event kind the lifecycle knows."""
        return self._kinds

    def may_rate(self, kind: str) -> bool:
        """True if an event of ``kind`` may carry a satisfaction rating (see :attr:`rated`)."""
        return self.rated is None or kind in self.rated

    def state(self, key: str) -> State:
        """The state with this key."""
        return self._states[key]

    def allows(self, state: str, kind: str) -> bool:
        """True if an event of ``kind`` may happen in ``state``."""
        return kind in self._by_state[state]

    def allowed(self, state: str) -> tuple[str, ...]:
        """Event kinds allowed in ``state``, sorted."""
        return tuple(sorted(self._by_state[state]))

    def next_state(self, state: str, kind: str) -> tuple[str, Guard | None]:
        """The state an allowed event of ``kind`` leads to from ``state``, and its guard."""
        target, guard, _ = self._moves[state][kind]
        return target, guard

    def event_label(self, kind: str, lang: str = "zh") -> str:
        """Label of an event kind in ``lang`` (the kind itself when it has none)."""
        label = self.event_words(kind)
        return kind if label is None else label.get(lang)

    def event_words(self, kind: str) -> Label | None:
        """The label of an event kind in every language (None when it has none)."""
        for t in self.transitions:
            if t.event == kind and t.label is not None:
                return t.label
        return None

    def step(self, issue: Issue, state: str, event: IssueEvent) -> str:
        """Return the state after ``event``; raise TransitionError if not allowed."""
        transition = self._by_state[state].get(event.kind)
        if transition is None:
            target = next(
                (t.target for t in self.transitions if t.event == event.kind and t.target), None
            )
            raise TransitionError(issue.id, state, event.kind, target, self.allowed(state))
        guard = transition.guard
        if guard is not None:
            why = guard(issue, event)
            if why is not None:
                refusal = guard.refusal(event) if isinstance(guard, Needs) else None
                raise TransitionError(
                    issue.id,
                    state,
                    f"{event.kind} ({why})",
                    transition.target,
                    self.allowed(state),
                    kind=event.kind,
                    refusal=refusal or literal(str(why)),
                )
        return transition.target or state


@frozen
class IssueState:
    """What an issue's history says now: derived, never stored."""

    issue: str
    state: str
    kind: StateKind
    level: str | None
    department: str | None
    assigned_on: dt.date | None
    resolved_on: dt.date | None
    answered_on_spot: bool
    reopened: int
    ratings: tuple[Satisfaction, ...]
    escalations: int

    @property
    def last_rating(self) -> Satisfaction | None:
        """The latest satisfaction rating, if any."""
        return self.ratings[-1] if self.ratings else None


class Needs:
    """A guard that refuses an event missing any of the named fields (``needs level``).

    The built-in lifecycle's guards are of this kind; a lifecycle whose guards
    all are (:attr:`Lifecycle.plain_guards`) may be replayed by shortcuts that
    look only at which fields are present.
    """

    __slots__ = ("names",)

    def __init__(self, *names: str) -> None:
        self.names = names
        """The event fields that must not be None."""

    def __call__(self, issue: Issue, event: IssueEvent) -> str | None:
        why = self.refusal(event)
        return None if why is None else why.text("en")

    def missing(self, event: IssueEvent) -> tuple[str, ...]:
        """The named fields ``event`` lacks (empty when it may happen)."""
        return tuple(n for n in self.names if getattr(event, n) is None)

    def refusal(self, event: IssueEvent) -> Phrase | None:
        """Why ``event`` is refused, in either language (``needs level, department``,
        ``缺少 level、department``), or None when it may happen."""
        missing = self.missing(event)
        return Phrase("guard.needs", {"fields": _Fields(missing)}) if missing else None

    def __repr__(self) -> str:
        return f"Needs({', '.join(map(repr, self.names))})"


@frozen
class _Fields:
    """Field names as a guard lists them: all of them, or (``either``) any one of them."""

    names: tuple[str, ...]
    either: bool = False

    def text(self, lang: str = "zh") -> str:
        if self.either:
            return pick("、", " or ", lang).join(self.names)
        return pick("、", ", ", lang).join(self.names)


class NeedsOne(Needs):
    """A guard that refuses an event missing every one of the named fields (``needs
    deadline or due``): an extension to a date or by an amount."""

    __slots__ = ()

    def missing(self, event: IssueEvent) -> tuple[str, ...]:
        """Every named field, if ``event`` lacks them all (else empty)."""
        if any(getattr(event, n) is not None for n in self.names):
            return ()
        return self.names

    def refusal(self, event: IssueEvent) -> Phrase | None:
        """Why ``event`` is refused (``needs due or deadline``), or None when it may happen."""
        if not self.missing(event):
            return None
        return Phrase("guard.needs-one", {"fields": _Fields(self.names, either=True)})

    def __repr__(self) -> str:
        return f"NeedsOne({', '.join(map(repr, self.names))})"


def _needs(*names: str) -> Guard:
    return Needs(*names)


_OPEN = ("raised", "assigned", "in_progress")
_ACTIVE = (*_OPEN, "paused")


def _l(zh: str, en: str) -> Label:
    return Label(zh=zh, en=en)


DEFAULT_LIFECYCLE = Lifecycle(
    initial="raised",
    states=(
        State("raised", StateKind.OPEN, _l("已收集", "raised")),
        State("assigned", StateKind.OPEN, _l("已交办", "assigned")),
        State("in_progress", StateKind.OPEN, _l("办理中", "in progress")),
        State("paused", StateKind.WAITING, _l("暂停", "paused")),
        State("resolved", StateKind.RESOLVED, _l("已办结", "resolved")),
        State("closed", StateKind.RESOLVED, _l("已销号", "closed"), final=True),
        State(
            "closed_unresolved",
            StateKind.CLOSED_UNRESOLVED,
            _l("未解决关闭", "closed unresolved"),
            final=True,
        ),
    ),
    transitions=(
        Transition(
            "assigned", _OPEN, "assigned", _needs("level", "department"), _l("交办", "assign")
        ),
        Transition(
            "answered_on_spot",
            ("raised", "assigned"),
            "resolved",
            None,
            _l("现场答复", "answered on the spot"),
        ),
        Transition(
            "taken_back", ("raised", "assigned"), "in_progress", None, _l("带回办理", "taken back")
        ),
        Transition("feedback", _ACTIVE, None, None, _l("反馈", "feedback")),
        Transition("supervised", _ACTIVE, None, None, _l("督办", "supervised")),
        Transition("escalated", _OPEN, "assigned", _needs("level"), _l("提级办理", "escalated")),
        Transition("extended", _ACTIVE, None, NeedsOne("due", "deadline"), _l("延期", "extended")),
        Transition("paused", _OPEN, "paused", None, _l("暂停", "paused")),
        Transition("resumed", ("paused",), "in_progress", None, _l("恢复", "resumed")),
        Transition("warned", _ACTIVE, None, None, _l("黄牌预警", "warned")),
        Transition("marked_overdue", _ACTIVE, None, None, _l("红牌超期", "marked overdue")),
        Transition("meeting_called", _ACTIVE, None, None, _l("召开督办会", "supervision meeting")),
        Transition(
            "resolved", ("assigned", "in_progress"), "resolved", None, _l("办结", "resolved")
        ),
        Transition(
            "return_visit",
            ("resolved", "closed"),
            None,
            _needs("rating"),
            _l("回访", "return visit"),
        ),
        Transition(
            "reopened", ("resolved", "closed"), "in_progress", None, _l("重新办理", "reopened")
        ),
        Transition("closed", ("resolved",), "closed", None, _l("销号", "closed")),
        Transition(
            "closed_unresolved",
            _ACTIVE,
            "closed_unresolved",
            None,
            _l("未解决关闭", "closed unresolved"),
        ),
    ),
    rated=("return_visit",),
)
"""The built-in lifecycle (used by the 四送一服 campaign type)."""
