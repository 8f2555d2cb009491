"""The ledger: one campaign edition's records together, with indexes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TypeVar

from attrs import evolve, field, frozen

from campaignkit.model.records import (
    Activity,
    Campaign,
    Enterprise,
    Issue,
    IssueEvent,
    Outcome,
    Region,
    Team,
    WorkGroup,
)

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "Ledger"]

FORMAT_NAME = "campaignkit-ledger"
FORMAT_VERSION = 1

_R = TypeVar("_R")

_NOT_OF_ISSUES = frozenset(
    {"regions", "enterprises", "activities", "outcomes", "team_list", "teams",
     "activities_by_kind", "outcomes_by_kind", "county_of", "shared_team_names",
     "shared_region_names"}
)  # fmt: skip
"""The keys of :attr:`Ledger._cache` whose index is built from records other than the
issues: :meth:`Ledger.with_events` keeps them (any other is built again when asked)."""


def _index(records: Iterable[_R], key: str) -> dict[str, _R]:
    out: dict[str, _R] = {}
    for record in records:
        out.setdefault(getattr(record, key), record)
    return out


def _shared(names: Iterable[str]) -> frozenset[str]:
    seen: set[str] = set()
    shared: set[str] = set()
    for name in names:
        (shared if name in seen else seen).add(name)
    return frozenset(shared)


@frozen
class Ledger:
    """All records of one campaign edition.

    A ledger is immutable: changes (such as applying escalation actions) return
    a new ledger. Lookups go through indexes built once, on first use.
    Build one with :func:`campaignkit.load` (validated) or directly from records
    and check it with :func:`campaignkit.io.validate`.
    """

    campaign: Campaign
    regions: tuple[Region, ...] = ()
    work_groups: tuple[WorkGroup, ...] = ()
    enterprises: tuple[Enterprise, ...] = ()
    activities: tuple[Activity, ...] = ()
    issues: tuple[Issue, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    _cache: dict[str, object] = field(factory=dict, init=False, eq=False, repr=False)

    # -- indexes -----------------------------------------------------------------
    # each index is built on first use and kept in ``_cache``; the properties
    # are called once per record in hot loops, so a hit is one dict lookup
    def _cached(self, name: str, build: object) -> object:
        if name not in self._cache:
            self._cache[name] = build() if callable(build) else build
        return self._cache[name]

    @property
    def region_index(self) -> Mapping[str, Region]:
        """Regions by code."""
        found = self._cache.get("regions")
        if found is None:
            found = self._cache["regions"] = _index(self.regions, "code")
        return found  # type: ignore[return-value]

    @property
    def enterprise_index(self) -> Mapping[str, Enterprise]:
        """Enterprises by id."""
        found = self._cache.get("enterprises")
        if found is None:
            found = self._cache["enterprises"] = _index(self.enterprises, "id")
        return found  # type: ignore[return-value]

    @property
    def activity_index(self) -> Mapping[str, Activity]:
        """Activities by id."""
        found = self._cache.get("activities")
        if found is None:
            found = self._cache["activities"] = _index(self.activities, "id")
        return found  # type: ignore[return-value]

    @property
    def issue_index(self) -> Mapping[str, Issue]:
        """Issues by id."""
        found = self._cache.get("issues")
        if found is None:
            found = self._cache["issues"] = _index(self.issues, "id")
        return found  # type: ignore[return-value]

    @property
    def outcome_index(self) -> Mapping[str, Outcome]:
        """Outcomes by id."""
        found = self._cache.get("outcomes")
        if found is None:
            found = self._cache["outcomes"] = _index(self.outcomes, "id")
        return found  # type: ignore[return-value]

    @property
    def teams(self) -> tuple[Team, ...]:
        """Every team of every working group, in order."""
        found = self._cache.get("team_list")
        if found is None:
            found = self._cache["team_list"] = tuple(t for g in self.work_groups for t in g.teams)
        return found  # type: ignore[return-value]

    @property
    def team_index(self) -> Mapping[str, Team]:
        """Teams by id."""
        found = self._cache.get("teams")
        if found is None:
            found = self._cache["teams"] = _index(self.teams, "id")
        return found  # type: ignore[return-value]

    @property
    def shared_team_names(self) -> frozenset[str]:
        """Names more than one team has (every working group may have its 第一小组)."""
        return self._cached(  # type: ignore[return-value]
            "shared_team_names", lambda: _shared(t.name for t in self.teams)
        )

    @property
    def shared_region_names(self) -> frozenset[str]:
        """Names more than one region has."""
        return self._cached(  # type: ignore[return-value]
            "shared_region_names", lambda: _shared(r.name for r in self.regions)
        )

    @property
    def activities_by_kind(self) -> Mapping[str, tuple[Activity, ...]]:
        """Activities grouped by kind, in ledger order."""

        def build() -> dict[str, tuple[Activity, ...]]:
            groups: defaultdict[str, list[Activity]] = defaultdict(list)
            for a in self.activities:
                groups[a.kind].append(a)
            return {k: tuple(v) for k, v in groups.items()}

        return self._cached("activities_by_kind", build)  # type: ignore[return-value]

    @property
    def outcomes_by_kind(self) -> Mapping[str, tuple[Outcome, ...]]:
        """Outcomes grouped by kind, in ledger order."""

        def build() -> dict[str, tuple[Outcome, ...]]:
            groups: defaultdict[str, list[Outcome]] = defaultdict(list)
            for o in self.outcomes:
                groups[o.kind].append(o)
            return {k: tuple(v) for k, v in groups.items()}

        return self._cached("outcomes_by_kind", build)  # type: ignore[return-value]

    def county_of(self, code: str | None) -> str | None:
        """The county/district or zone a region code belongs to (itself if it is one)."""
        counties: dict[str | None, str | None] | None = self._cache.get("county_of")  # type: ignore[assignment]
        if counties is None:
            counties = self._cache["county_of"] = {}
        try:
            return counties[code]
        except KeyError:
            pass
        found = counties[code] = self._find_county(code)
        return found

    def _find_county(self, code: str | None) -> str | None:
        index = self.region_index
        seen = 0
        while code is not None and seen < 16:
            region = index.get(code)
            if region is None:
                return None
            if region.level in ("county", "zone"):
                return code
            code = region.parent
            seen += 1
        return None

    def region_name(self, code: str | None) -> str:
        """Name of a region code, or the code itself when unknown ('' for None)."""
        if code is None:
            return ""
        region = self.region_index.get(code)
        return region.name if region else code

    # -- changes -----------------------------------------------------------------
    def with_events(self, additions: Mapping[str, Iterable[IssueEvent]]) -> Ledger:
        """Return a new ledger with events appended to the named issues.

        Existing events are never changed or dropped. Unknown issue ids raise
        ``KeyError``.
        """
        issues = list(self.issues)
        hits = [n for n, issue in enumerate(issues) if issue.id in additions]
        found = {issues[n].id for n in hits}
        missing = [i for i in additions if i not in found]
        if missing:  # before any of the additions is read
            raise KeyError(f"unknown issue(s): {', '.join(sorted(missing))}")
        changed: dict[str, Issue] = {}
        for n in hits:
            issue = issues[n]
            issues[n] = changed[issue.id] = evolve(
                issue, events=(*issue.events, *additions[issue.id])
            )
        result = evolve(self, issues=tuple(issues))
        # Only the issues changed: the other records' indexes are the same, and the
        # issues' (if it was built) is the old one with the changed issues in place.
        kept = {k: v for k, v in self._cache.items() if k in _NOT_OF_ISSUES}
        index = self._cache.get("issues")
        if isinstance(index, dict) and len(index) == len(issues):  # (no id given twice)
            kept["issues"] = {**index, **changed}
        result._cache.update(kept)
        return result

    def replace(self, **changes: object) -> Ledger:
        """Return a copy with some record collections replaced (indexes rebuilt)."""
        return evolve(self, **changes)  # type: ignore[arg-type]
