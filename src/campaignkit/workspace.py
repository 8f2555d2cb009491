"""A ledger with what it is read under, and what is derived from it once.

A :class:`Workspace` holds a ledger with its campaign type, working-day
calendar and plugin manager, and the views derived from its issues'
histories (:mod:`campaignkit.derive.views`): each history is walked once, and
every later question (the summary as of a date, escalation as of a date,
another date again) reads what was derived. The frozen ledger itself is never
written to: what is derived lives here, and a changed ledger (``apply``,
``with_events``) is a new workspace.

:meth:`Workspace.open` (and :func:`campaignkit.load_workspace`, which reads a
file) resolves the campaign type and calendar from the plugin manager (the
shared one by default); code below the façade is handed the workspace, or its
parts, explicitly.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.views import Deriver, Shape, StateColumns, latest_event_dates
from campaignkit.errors import Problem
from campaignkit.gcpause import paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Issue, Satisfaction
from campaignkit.rules.records import CampaignType

__all__ = ["Workspace"]


class Workspace:
    """A ledger, its campaign type, calendar and manager, and its issues' derived shapes.

    ``shapes(as_of)`` gives each issue's shape as of a date (by position in
    ``ledger.issues``): the shape after its whole history, derived once, for
    every issue whose latest event is on or before the date; the others are
    walked up to the date, once per date asked. Safe to share between threads.
    """

    def __init__(
        self,
        ledger: Ledger,
        *,
        campaign_type: CampaignType,
        calendar: WorkCalendar,
        manager: PluginManager | None = None,
    ) -> None:
        self.ledger = ledger
        self.campaign_type = campaign_type
        self.calendar = calendar
        self.manager = manager
        self.deriver = Deriver(campaign_type.lifecycle, campaign_type.policy, calendar)
        """Derives the shapes and views of this workspace's issues."""
        self.validated: tuple[Problem, ...] | None = None
        """The problems validation found in :attr:`ledger` under :attr:`manager`, once it
        was validated with this workspace (``()`` after :func:`campaignkit.load_workspace`,
        which refuses a ledger with problems); ``None`` until then. Set by
        :func:`campaignkit.validate <campaignkit.io.validate>` and
        :func:`campaignkit.load_workspace`, which read it instead of validating the same
        ledger again."""
        self._whole: list[Shape] | None = None
        self.known_states: StateColumns | None = None
        """What each issue's whole history says of its state, by position: derived in the
        same walk as its shape (:meth:`shapes`, :meth:`adopt`) or kept where it was
        derived (a store's columns). The statistics read it instead of replaying each
        history (see :func:`~campaignkit.derive.views.replay_columns`). None: not yet."""
        self._lasts: list[dt.date] | None = None
        """:meth:`latest_event_dates`, None until asked."""
        self._latest: dt.date | None = None
        """The latest of :attr:`_lasts` (None until a date is asked): a date on or after it
        cuts no history."""
        self._dated: dict[dt.date, list[Shape]] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        ledger: Ledger,
        *,
        manager: PluginManager | None = None,
        calendar: WorkCalendar | None = None,
    ) -> Workspace:
        """A workspace for ``ledger``: its campaign type and calendars from ``manager``
        (the shared plugin manager by default)."""
        pm = manager or get_plugin_manager()
        ctype = pm.campaign_type(ledger.campaign.type)
        cal = calendar or WorkCalendar.from_manager(pm, ctype.key)
        return cls(ledger, campaign_type=ctype, calendar=cal, manager=pm)

    def adopt(self, shapes: Sequence[Shape], states: StateColumns | None = None) -> None:
        """Keep ``shapes`` as each issue's shape after its whole history (by position),
        and ``states`` as what each history says of its state (:attr:`known_states`),
        derived by this workspace's :attr:`deriver` elsewhere (validation walking every
        history with it, as :func:`campaignkit.load_workspace` does)."""
        issues = self.ledger.issues
        if len(shapes) != len(issues):
            raise ValueError(f"{len(shapes)} shapes for {len(issues)} issues")
        if states is not None and len(states.state) != len(issues):
            raise ValueError(f"{len(states.state)} states for {len(issues)} issues")
        if any(shape is None for shape in shapes):
            raise ValueError("a shape is missing (its history was not derived)")
        with self._lock:
            self._lasts = self._latest = None
            self._dated = {}  # worked out from the shapes adopted before, if any
            self._whole = list(shapes)
            if states is not None:
                self.known_states = states

    def _derived(self, issues: Sequence[Issue]) -> tuple[list[Shape], StateColumns]:
        """One walk of each history: its shape and its state facts."""
        view = self.deriver.view
        states = StateColumns.empty()
        add = states.add
        shared: dict[tuple[Satisfaction, ...], tuple[Satisfaction, ...]] = {}
        shapes: list[Shape] = []
        keep = shapes.append
        for issue in issues:
            found = view(issue, tracks=False)
            keep(found.shape)
            add(found, shared)
        return shapes, states

    def latest_event_dates(self) -> Sequence[dt.date]:
        """The date of each issue's latest event (of its raising if it has none), by
        position: as of that date or later its whole history counts. Worked out when
        first asked: the last event's date where validation found no problem (events in
        date order), else the latest of its events, which a ledger nobody validated may
        hold out of order."""
        lasts = self._lasts
        if lasts is None:  # idempotent: no lock
            ordered = self.validated == ()
            lasts = self._lasts = latest_event_dates(self.ledger.issues, ordered=ordered)
        return lasts

    def shapes(self, as_of: dt.date | None = None) -> Sequence[Shape]:
        """Each issue's shape after its history (events dated after ``as_of`` left out),
        by position. Raises what deriving a history that does not replay raises."""
        whole = self._whole
        if whole is None:
            with self._lock, paused():
                whole = self._whole
                if whole is None:
                    issues = self.ledger.issues
                    whole, states = self._derived(issues)
                    self._lasts = self._latest = None
                    if self.known_states is None:
                        self.known_states = states
                    self._whole = whole
        if as_of is None or not whole:
            return whole
        lasts, latest = self.latest_event_dates(), self._latest
        if latest is None:  # when a date is first asked (idempotent: no lock)
            latest = self._latest = max(lasts)
        if latest <= as_of:
            return whole
        found = self._dated.get(as_of)
        if found is None:
            with self._lock, paused():
                found = self._dated.get(as_of)
                if found is None:
                    shape, issues = self.deriver.shape, self.ledger.issues
                    found = list(whole)
                    for n in [n for n, last in enumerate(lasts) if last > as_of]:
                        found[n] = shape(issues[n], as_of)
                    self._dated[as_of] = found
        return found
