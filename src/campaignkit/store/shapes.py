"""An issue's derived shape as JSON text, and back: what the store keeps in ``issues.shape``.

The shape (:class:`~campaignkit.derive.views.Shape`) is what the one walk
through a history says of an issue; the store keeps it beside the issue so
that nothing reads the history again until it changes. Equal shapes are
written as equal text, and text read once is decoded once: issues whose
histories say alike share one shape object again after a read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from campaignkit.derive.clocks import Moments
from campaignkit.derive.views import IssueView, Shape, StateColumns
from campaignkit.model.records import Deadline, DeadlineUnit, Satisfaction
from campaignkit.rules.lifecycle import StateKind

__all__ = ["FACTS", "ShapeCodec", "facts_of", "facts_of_view", "known_states", "next_due"]

FACTS = (
    "department",
    "assigned_on",
    "resolved_on",
    "answered_on_spot",
    "reopened",
    "ratings",
    "escalations",
)
"""What ``issues.facts`` keeps of an issue's whole history beside its shape: the fields of
:class:`~campaignkit.derive.views.StateColumns` after state, kind and level."""


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _moments(m: Moments) -> list[Any]:
    limit = None if m.limit is None else [m.limit.amount, m.limit.unit.value]
    return [
        m.stage,
        m.level,
        m.source,
        limit,
        m.unit.value,
        m.due.isoformat(),
        None if m.due_at is None else m.due_at.isoformat(),
        m.warn_from.isoformat(),
        m.extensions,
        None if m.paused_since is None else m.paused_since.isoformat(),
        m.remaining,
        [list(mark) for mark in m.marks],
        list(m.calendars),
        [d.isoformat() for d in m.fallback_days],
    ]


def _from_moments(v: list[Any]) -> Moments:
    limit = None if v[3] is None else Deadline(v[3][0], DeadlineUnit(v[3][1]))
    return Moments(
        v[0],
        v[1],
        v[2],
        limit,
        DeadlineUnit(v[4]),
        dt.date.fromisoformat(v[5]),
        None if v[6] is None else dt.datetime.fromisoformat(v[6]),
        dt.date.fromisoformat(v[7]),
        v[8],
        _day(v[9]),
        v[10],
        tuple((kind, stage) for kind, stage in v[11]),
        tuple(v[12]),
        tuple(dt.date.fromisoformat(d) for d in v[13]),
    )


class ShapeCodec:
    """Encodes shapes to JSON text and decodes them back, each distinct one once."""

    def __init__(self) -> None:
        self._encoded: dict[int, tuple[Shape, str]] = {}
        self._decoded: dict[str, Shape] = {}

    def encode(self, shape: Shape) -> str:
        """The JSON text of ``shape``."""
        found = self._encoded.get(id(shape))
        if found is not None and found[0] is shape:
            return found[1]
        text = orjson.dumps(
            [
                shape.state,
                shape.kind.value,
                shape.level,
                [_moments(m) for m in shape.running],
                shape.missed,
                shape.meeting,
                None if shape.dissatisfied is None else shape.dissatisfied.isoformat(),
                shape.legacy,
            ]
        ).decode()
        self._encoded[id(shape)] = (shape, text)
        return text

    def decode(self, text: str) -> Shape:
        """The shape written as ``text`` (one object for equal texts)."""
        found = self._decoded.get(text)
        if found is None:
            v = orjson.loads(text)
            found = Shape(
                v[0],
                StateKind(v[1]),
                v[2],
                tuple(_from_moments(m) for m in v[3]),
                v[4],
                v[5],
                _day(v[6]),
                v[7],
            )
            self._decoded[text] = found
        return found


def next_due(shape: Shape) -> dt.date | None:
    """The earliest due date of the shape's running clocks, paused ones left out (their due
    date moves when they resume); None when none runs."""
    return min((m.due for m in shape.running if m.paused_since is None), default=None)


def facts_of(columns: StateColumns, n: int) -> str:
    """The facts of the issue at position ``n`` of ``columns``, as JSON text."""
    return _facts_text(*(column[n] for column in columns[3:]))


def facts_of_view(view: IssueView) -> str:
    """The facts of an issue's derived view (the same text as :func:`facts_of` gives)."""
    return _facts_text(
        view.department,
        view.assigned_on,
        view.resolved_on,
        view.answered_on_spot,
        view.reopened,
        view.ratings,
        view.escalations,
    )


def _facts_text(*facts: Any) -> str:
    """The facts (in the order of :data:`FACTS`) as JSON text."""
    department, assigned, resolved, on_spot, reopened, ratings, escalations = facts
    return orjson.dumps(
        [
            department,
            None if assigned is None else assigned.isoformat(),
            None if resolved is None else resolved.isoformat(),
            on_spot,
            reopened,
            [r.value for r in ratings],
            escalations,
        ]
    ).decode()


def known_states(shapes: list[Shape], facts: list[str]) -> StateColumns:
    """The state columns of issues from their shapes and facts texts, by position."""
    columns = StateColumns(
        [s.state for s in shapes], [s.kind for s in shapes], [s.level for s in shapes],
        [], [], [], [], [], [], [],
    )  # fmt: skip
    decoded: dict[str, list[Any]] = {}
    ratings: dict[tuple[str, ...], tuple[Satisfaction, ...]] = {}
    for text in facts:
        v = decoded.get(text)
        if v is None:
            v = decoded[text] = orjson.loads(text)
        columns.department.append(v[0])
        columns.assigned_on.append(_day(v[1]))
        columns.resolved_on.append(_day(v[2]))
        columns.answered_on_spot.append(v[3])
        columns.reopened.append(v[4])
        key = tuple(v[5])
        found = ratings.get(key)
        if found is None:
            found = ratings[key] = tuple(Satisfaction(r) for r in key)
        columns.ratings.append(found)
        columns.escalations.append(v[6])
    return columns
