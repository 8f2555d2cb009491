"""Issue-handling policy: deadline stages, escalation triggers and routing.

The values are configuration of a campaign type. The built-in 四送一服 values
are documented defaults to adjust: the province's official limits are not
published in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from attrs import field, frozen

from campaignkit.model.records import Deadline, DeadlineUnit
from campaignkit.rules.records import Label

__all__ = ["DeadlineStage", "IssuePolicy", "Route"]


@frozen
class DeadlineStage:
    """A clock: starts at ``start`` events, stops at ``stop`` events.

    ``limits`` maps a handling level to its time limit; ``default`` applies to
    levels not listed. An event's own ``deadline`` or ``due`` overrides both.
    """

    key: str
    label: Label
    start: tuple[str, ...]
    stop: tuple[str, ...]
    default: Deadline
    limits: tuple[tuple[str, Deadline], ...] = ()

    def limit_for(self, level: str | None) -> Deadline:
        """The time limit for a handling level."""
        for lvl, limit in self.limits:
            if lvl == level:
                return limit
        return self.default


@frozen
class Route:
    """Where an issue of a category (optionally in a region) is handled.

    ``category`` or ``region`` None matches anything; the most specific route
    wins (category and region, then category, then region, then the default).
    A ``region`` matches issues in that region or any region below it. In
    ``department``, ``{county}`` and ``{city}`` are replaced by the names of
    the issue's county/district and city (see :mod:`campaignkit.derive.routing`).
    """

    level: str
    department: str
    category: str | None = None
    region: str | None = None
    reason: str = ""


def _by_stage(
    given: Mapping[str, Deadline] | Iterable[tuple[str, Deadline]],
) -> tuple[tuple[str, Deadline], ...]:
    """``stage_warn_before`` as pairs (stage key, time), in the order given."""
    pairs = given.items() if isinstance(given, Mapping) else given
    return tuple((key, limit) for key, limit in pairs)


@frozen
class IssuePolicy:
    """How a campaign type handles issues."""

    levels: tuple[str, ...] = ("county", "city", "province")
    """Handling levels from lowest to highest; escalation moves one step up."""
    level_labels: tuple[tuple[str, Label], ...] = ()
    stages: tuple[DeadlineStage, ...] = ()
    warn_before: Deadline = Deadline(1, DeadlineUnit.WORKING_DAYS)
    """A clock is due soon (and gets its yellow card) this long before its deadline,
    unless ``stage_warn_before`` names its stage."""
    stage_warn_before: tuple[tuple[str, Deadline], ...] = field(default=(), converter=_by_stage)
    """``warn_before`` of single stages, by stage key: a mapping (``{"response":
    Deadline(4, DeadlineUnit.HOURS)}``) or (key, time) pairs, kept as pairs. A stage not
    named here warns ``warn_before`` ahead (see :meth:`warn_before_for`)."""
    supervise_after: Deadline = Deadline(0, DeadlineUnit.WORKING_DAYS)
    """Supervise (督办) an overdue issue this long after its deadline."""
    escalate_after: Deadline = Deadline(5, DeadlineUnit.WORKING_DAYS)
    """Raise the level (提级办理) this long after a deadline is missed."""
    legacy_meeting_within: Deadline = Deadline(10, DeadlineUnit.WORKING_DAYS)
    """Call a supervision meeting (督办会) for a legacy issue open this long."""
    reopen_on_dissatisfied: bool = True
    """Reopen an issue after a dissatisfied return visit."""
    routes: tuple[Route, ...] = ()
    level_offices: tuple[tuple[str, str], ...] = ()
    """The unit that receives an issue raised to a level when no route names one."""
    actions: tuple[str, ...] = (
        "warned",
        "marked_overdue",
        "supervised",
        "escalated",
        "meeting_called",
    )
    """Event kinds that count as actions taken on the clocks running when they are
    recorded (yellow card, red card, 督办, 提级, 督办会 …): kept as marks on those clocks,
    listed by ``campaignkit overdue`` (已采取措施) and read by escalation rules (a clock
    already warned is not warned again). A campaign type adds its own kinds here (keep
    the built-in ones its rules propose)."""
    on_time_stage: str | None = "resolution"
    """The stage whose clock decides whether an issue was resolved on time
    (None: the last stage)."""

    def stage(self, key: str) -> DeadlineStage:
        """The deadline stage ``key``; ``KeyError`` naming the known stages."""
        for st in self.stages:
            if st.key == key:
                return st
        known = ", ".join(st.key for st in self.stages) or "none"
        raise KeyError(f"unknown deadline stage {key!r} (known: {known})")

    def warn_before_for(self, stage: str) -> Deadline:
        """How long before its deadline a clock of ``stage`` is due soon: the stage's own
        ``stage_warn_before``, else the policy-wide ``warn_before``."""
        for key, limit in self.stage_warn_before:
            if key == stage:
                return limit
        return self.warn_before

    @property
    def on_time(self) -> DeadlineStage | None:
        """The stage that decides on-time resolution, if the policy has stages."""
        if not self.stages:
            return None
        return self.stage(self.on_time_stage) if self.on_time_stage else self.stages[-1]

    def next_level(self, level: str | None) -> str | None:
        """The level one step above ``level`` (None at the top or for unknown levels)."""
        if level is None or level not in self.levels:
            return None
        i = self.levels.index(level)
        return self.levels[i + 1] if i + 1 < len(self.levels) else None

    def level_office(self, level: str) -> str | None:
        """The default receiving unit of ``level`` (see ``level_offices``)."""
        for key, office in self.level_offices:
            if key == level:
                return office
        return None

    def level_label(self, level: str, lang: str = "zh") -> str:
        """Label of a handling level."""
        for key, label in self.level_labels:
            if key == level:
                return label.get(lang)
        return level
