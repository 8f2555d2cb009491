"""Lifecycles the tests derive from another one."""

from __future__ import annotations

import attrs

from campaignkit.rules.lifecycle import Guard, Lifecycle


def with_guard(base: Lifecycle, event: str, guard: Guard) -> Lifecycle:
    """``base`` with ``guard`` on every transition on ``event``: a guard of a plugin's
    own, so the lifecycle's guards are no longer only the built-in field checks."""
    return Lifecycle(
        base.initial,
        base.states,
        tuple(attrs.evolve(t, guard=guard) if t.event == event else t for t in base.transitions),
    )
