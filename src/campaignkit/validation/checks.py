"""Checks on a structured ledger: integrity, duplicates, dates, codes, kinds.

:func:`check_ledger` returns every problem found (not just the first), each
with a path such as ``issues[42].enterprise``. The kinds, categories,
channels, classes and extra attributes are checked against the ledger's
campaign type, so what a plugin defines is valid and what none defines is an
error naming the campaign type.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from campaignkit.derive.views import Deriver, Shape, StateColumns
from campaignkit.errors import (
    CampaignkitError,
    MalformedProblem,
    PluginError,
    Problem,
    TransitionError,
)
from campaignkit.i18n.catalogue import Joined, Phrase, noun, template
from campaignkit.i18n.shown import Shown, escaped, path_key
from campaignkit.model import gbt2260
from campaignkit.model.keys import repeated
from campaignkit.model.ledger import Ledger
from campaignkit.model.limits import (
    LAST_END_YEAR,
    MAX_AMOUNT_YUAN,
    MAX_COUNT,
    MAX_DEADLINE,
    MAX_EVENTS,
    MAX_LAND_MU,
    MAX_NAME,
    MAX_PLACES,
    MAX_TEXT,
    MAX_YEARS,
    deadline_too_long,
    extension_days,
    hidden_characters,
    latest_date,
    visible,
)
from campaignkit.model.records import (
    Activity,
    DeadlineUnit,
    Enterprise,
    Issue,
    IssueEvent,
    Outcome,
    Period,
    Region,
    Satisfaction,
)
from campaignkit.model.uscc import uscc_fault
from campaignkit.rules.records import (
    CampaignType,
    ExtraAttribute,
    of_type,
    wrong_field_phrases,
)

__all__ = [
    "MAX_PROBLEMS",
    "check_ledger",
    "check_records",
    "event_checker",
    "out_of_order",
    "plugin_failed",
    "plugin_problems",
    "refusal",
]


def _name(value: str | None, path: str, found: list[Problem]) -> None:
    """The problems of a name, id or code (see :mod:`campaignkit.model.limits`): at most
    :data:`MAX_NAME` characters, none hidden, at least one visible."""
    if value is None or (
        value.isascii()
        and 0 < len(value) <= MAX_NAME
        and value.isprintable()
        and not value.isspace()
    ):
        return  # the usual case of ids and codes, answered in C
    if len(value) <= MAX_NAME and not hidden_characters(value) and visible(value):
        return  # a name in Chinese
    if len(value) > MAX_NAME:
        found.append(Problem.of("text-too-long", path, length=len(value), limit=MAX_NAME))
    hidden = hidden_characters(value)
    if hidden:
        found.append(Problem.of("hidden-characters", path, characters=hidden))
    if not visible(value):
        found.append(
            Problem.of("must-not-be-empty" if not value.strip() else "no-visible-character", path)
        )


def _text(value: str | None, path: str, found: list[Problem]) -> None:
    """The problem of free text (a description, a note, a title) over :data:`MAX_TEXT`."""
    if value is not None and len(value) > MAX_TEXT:
        found.append(_too_long(value, path))


def _amount(n: int, unit: str) -> Phrase:
    """``n`` days, hours or working days, worded by the catalogue."""
    return Phrase("amount." + unit.replace("_", "-"), {"n": n})


def _count(value: int | None, path: str, found: list[Problem]) -> None:
    """The problem of a count: negative, or over :data:`MAX_COUNT`."""
    if value is None:
        return
    if value < 0:
        found.append(Problem.of("must-not-be-negative", path))
    elif value > MAX_COUNT:
        found.append(Problem.of("too-large", path, value=value, limit=MAX_COUNT))


def _in_period(day: date, period: Period, path: str, what: str) -> Iterator[Problem]:
    if day not in period:
        yield Problem.of(
            "outside-period",
            path,
            day=day.isoformat(),
            what=noun(what),
            start=period.start.isoformat(),
            end=period.end.isoformat(),
        )


def _ref(index: Mapping[str, object], key: str | None, path: str, what: str) -> Iterator[Problem]:
    if key is not None and key not in index:
        yield Problem.of("unknown-reference", path, what=noun(what), key=key)


def _extra(
    extra: Mapping[str, Any], declared: Mapping[str, ExtraAttribute], path: str, ctype: str
) -> Iterator[Problem]:
    """The problems of a record's ``extra`` under the attributes ``declared`` for it."""
    for name, value in extra.items():
        spec = declared.get(name)
        if spec is None:
            yield Problem.of(
                "undeclared-attribute", path_key(f"{path}.extra", name), campaign_type=ctype
            )
            continue
        if not of_type(spec.type, value):
            yield Problem.of(
                "expected-type", path_key(f"{path}.extra", name), type=spec.type, got=_shown(value)
            )
        elif type(value) is str and len(value) > MAX_TEXT:
            yield _too_long(value, path_key(f"{path}.extra", name))
        elif spec.choices and value not in spec.choices:
            yield Problem.of(
                "expected-one-of",
                path_key(f"{path}.extra", name),
                choices=", ".join(spec.choices),
                got=_shown(value),
            )
    for name, spec in declared.items():
        if spec.required and name not in extra and not spec.conditional:
            yield Problem.of("required-attribute", f"{path}.extra", name=name)


def _shown(value: object) -> object:
    """A value quoted as ``repr`` writes it, cut if long (None: the word for it)."""
    return Phrase("value.none") if value is None else Shown(escaped(repr(value)))


def _check_structure(ledger: Ledger) -> Iterator[Problem]:
    c = ledger.campaign
    if c.period.end < c.period.start:
        yield Problem.of("end-before-start", "campaign.period")
    elif latest_date(c.period.start) < c.period.end:
        yield Problem.of("period-too-long", "campaign.period", years=MAX_YEARS)
    if c.period.end.year > LAST_END_YEAR:
        yield Problem.of(
            "too-late", "campaign.period.end", day=c.period.end.isoformat(), year=LAST_END_YEAR
        )
    report = c.report_date
    if report is not None and not c.period.start <= report <= latest_date(c.period.end):
        yield Problem.of(
            "report-date-outside",
            "campaign.report_date",
            day=report.isoformat(),
            start=c.period.start.isoformat(),
            latest=latest_date(c.period.end).isoformat(),
            years=MAX_YEARS,
        )
    host = c.host_province
    if host not in ledger.region_index and not gbt2260.in_force(host, c.period.start, c.period.end):
        yield Problem.of(
            "unknown-reference", "campaign.host_province", what=noun("region"), key=host
        )
    yield from _names(ledger)
    for i, phase in enumerate(c.phases):
        if phase.period.end < phase.period.start:
            yield Problem.of("end-before-start", f"campaign.phases[{i}].period")
        else:
            yield from _in_period(
                phase.period.start,
                c.period,
                f"campaign.phases[{i}].period.start",
                "campaign period",
            )
            yield from _in_period(
                phase.period.end, c.period, f"campaign.phases[{i}].period.end", "campaign period"
            )
    regions = ledger.region_index
    yield from repeated(ledger.regions, "code", "regions", "region code")
    yield from _check_regions(ledger.regions, regions, c.period)
    for field_, codes in (("regions", c.scope.regions), ("zones", c.scope.zones)):
        for j, code in enumerate(codes):
            yield from _ref(regions, code, f"campaign.scope.{field_}[{j}]", "region")
    yield from repeated(ledger.work_groups, "id", "work_groups", "work group id")
    team_seen: dict[str, str] = {}
    for g, group in enumerate(ledger.work_groups):
        path = f"work_groups[{g}]"
        if group.headcount < 0:
            yield Problem.of("must-not-be-negative", f"{path}.headcount")
        yield from _ref(regions, group.host_region, f"{path}.host_region", "region")
        if group.period.end < group.period.start:
            yield Problem.of("end-before-start", f"{path}.period")
        for t, team in enumerate(group.teams):
            tpath = f"{path}.teams[{t}]"
            if team.id in team_seen:
                yield Problem.of(
                    "duplicate",
                    f"{tpath}.id",
                    what=noun("team id"),
                    key=team.id,
                    first=team_seen[team.id],
                )
            else:
                team_seen[team.id] = tpath
            for k, code in enumerate(team.regions):
                yield from _ref(regions, code, f"{tpath}.regions[{k}]", "region")
            if team.kind == "mobile" and team.regions:
                yield Problem.of("mobile-team-regions", f"{tpath}.regions")


def _names(ledger: Ledger) -> Iterator[Problem]:
    """The problems of the names, ids, codes and free text of the campaign, its phases,
    regions, working groups and teams."""
    found: list[Problem] = []
    c = ledger.campaign
    for field_ in ("id", "name", "host_province"):
        _name(getattr(c, field_), f"campaign.{field_}", found)
    _text(c.theme, "campaign.theme", found)
    for k, rule in enumerate(c.rules):
        _text(rule, f"campaign.rules[{k}]", found)
    for k, phase in enumerate(c.phases):
        _name(phase.id, f"campaign.phases[{k}].id", found)
        _name(phase.name, f"campaign.phases[{k}].name", found)
    for k, region in enumerate(ledger.regions):
        _name(region.name, f"regions[{k}].name", found)
    for g, group in enumerate(ledger.work_groups):
        path = f"work_groups[{g}]"
        for field_ in ("id", "name", "lead_unit"):
            _name(getattr(group, field_), f"{path}.{field_}", found)
        _count(group.number, f"{path}.number", found)
        if group.headcount > MAX_COUNT:
            _count(group.headcount, f"{path}.headcount", found)
        for t, team in enumerate(group.teams):
            tpath = f"{path}.teams[{t}]"
            for field_ in ("id", "name", "leader"):
                _name(getattr(team, field_), f"{tpath}.{field_}", found)
    yield from found


def _check_regions(
    records: Sequence[Region], index: Mapping[str, Region], period: Period
) -> Iterator[Problem]:
    """Each region's code (a GB/T 2260 code in force during ``period`` that fits the
    level, or a zone's own code) and parent (known, no cycle, the one the code names)."""
    start, end = sorted((period.start, period.end))
    cycles = _parent_cycles(index)
    for i, r in enumerate(records):
        if r.parent is not None and r.parent not in index and r.level != "province":
            yield Problem.of(
                "unknown-reference", f"regions[{i}].parent", what=noun("region"), key=r.parent
            )
        fault = _region_code_fault(r, i, start, end)
        if fault is not None:
            yield fault
        cycle = cycles.get(r.code) if index.get(r.code) is r else None
        if cycle is not None:
            ring, at = cycle
            if len(ring) == 1:
                yield Problem.of("region-own-parent", f"regions[{i}].parent", code=r.code)
            else:
                yield Problem.of(
                    "region-parent-cycle",
                    f"regions[{i}].parent",
                    count=len(ring),
                    chain=_chain(ring, at),
                )
        elif fault is None and r.level != "zone" and r.parent is not None:
            parent = index.get(r.parent)
            if (
                parent is not None
                and parent.level != "zone"
                and gbt2260.is_code(parent.code)
                and parent.code not in gbt2260.parent_codes(r.code)
            ):
                yield Problem.of(
                    "region-parent-code",
                    f"regions[{i}].parent",
                    parent=parent.code,
                    code=r.code,
                    expected=" / ".join(map(repr, gbt2260.parent_codes(r.code)))
                    or Phrase("gbt2260.no-parent"),
                )


def _spaced(code: str) -> bool:
    """True if ``code`` holds a space of any kind."""
    return " " in code or (not code.isascii() and any(ch.isspace() for ch in code))


def _region_code_fault(r: Region, i: int, start: date, end: date) -> Problem | None:
    """Why region ``r`` (``regions[i]``) has a wrong code or a level its code does not fit."""
    code, path = r.code, f"regions[{i}].code"
    if r.level == "zone":  # a project-defined code: a name's rules, and no spaces
        if len(code) > MAX_NAME:
            return Problem.of("text-too-long", path, length=len(code), limit=MAX_NAME)
        if code and not hidden_characters(code) and visible(code) and not _spaced(code):
            return None
        return Problem.of("zone-code", path, code=code)
    if not gbt2260.is_code(code):
        if len(code) == 6 and code.isdigit():  # digits, but not ASCII ones (full-width …)
            return Problem.of("gbt2260-not-ascii", path, code=code)
        return Problem.of("not-gbt2260", path, code=code)
    if not gbt2260.in_force(code, start, end):
        when = {"start": start.isoformat(), "end": end.isoformat()}
        spans = gbt2260.lookup(code)
        if spans:  # a code of other years: the span nearest the campaign
            span = min(spans, key=lambda d: abs((d.since or 0) - start.year))
            return Problem.of(
                "gbt2260-not-in-force", path, code=code, name=span.name, years=_years(span), **when
            )
        if end.year > gbt2260.NEWEST_YEAR:
            return Problem.of("gbt2260-unknown-newer", path, code=code, newest=gbt2260.NEWEST_YEAR)
        return Problem.of("gbt2260-unknown", path, code=code, **when)
    level = gbt2260.level_of(code)
    if r.level != level:
        return Problem.of(
            "gbt2260-level",
            f"regions[{i}].level",
            code=code,
            expected=Phrase(f"gbt2260.level.{level}"),
            level=str(r.level),
        )
    return None


def _years(span: gbt2260.Division) -> Phrase:
    """The years a code was in force, in words."""
    if span.until is None:
        return Phrase("gbt2260.years-since", {"since": span.since})
    if span.since is None:
        return Phrase("gbt2260.years-until", {"until": span.until})
    return Phrase("gbt2260.years", {"since": span.since, "until": span.until})


def _parent_cycles(index: Mapping[str, Region]) -> dict[str, tuple[tuple[str, ...], int]]:
    """Each region code whose chain of parents comes back to it: the ring of codes it is
    in and its place there (a ring of one: its own parent). One walk over the chains:
    linear in the regions."""
    done: set[str] = set()
    cycles: dict[str, tuple[tuple[str, ...], int]] = {}
    for first in index:
        walk: dict[str, int] = {}  # code: its place in this walk
        code: str | None = first
        while code is not None and code in index and code not in done and code not in walk:
            walk[code] = len(walk)
            code = index[code].parent
        if code is not None and code in walk:  # came back to a code of this walk
            ring = tuple(walk)[walk[code] :]
            for at, member in enumerate(ring):
                cycles[member] = (ring, at)
        done.update(walk)
    return cycles


def _chain(ring: tuple[str, ...], at: int, shown: int = 4) -> str:
    """The ring of parents from its member ``at`` back to it: ``'A' → 'B' → 'A'``, the
    middle of a long one left out (``'A' → 'B' → 'C' → 'D' → … → 'A'``)."""
    codes = [repr(ring[(at + k) % len(ring)]) for k in range(min(len(ring), shown))]
    if len(ring) > shown:
        codes.append("…")
    return " → ".join((*codes, repr(ring[at])))


class _Checker:
    """The checks of each record, with what they look up prepared once for a ledger and
    its campaign type: quick on a record with no problem (most are), and the words of
    each problem where one is found. Histories are walked by the one deriver
    (:meth:`~campaignkit.derive.views.Deriver.of_states`)."""

    def __init__(
        self,
        ledger: Ledger,
        ctype: CampaignType,
        deriver: Deriver | None = None,
        shapes: list[Shape | None] | None = None,
        limit: int | None = None,
        states: StateColumns | None = None,
        culprit: Callable[[BaseException], object] | None = None,
    ) -> None:
        self.ledger = ledger
        self.culprit = culprit
        """Answers whether a plugin's own code raised an exception (the manager's
        :meth:`~campaignkit.hooks.manager.PluginManager.culprit`): deriving a history's
        clocks, such an exception is the plugin's failure, raised as it is."""
        self.limit = limit
        """How many problems validation lists (see :func:`check_ledger`): an issue's
        history stops being checked past it."""
        self.ctype = ctype
        self.period = ledger.campaign.period
        self.start, self.end = self.period.start, self.period.end
        self.latest = latest_date(self.end)
        """The latest date a record may carry (:func:`~campaignkit.model.limits.latest_date`)."""
        self.regions = ledger.region_index
        self.teams = ledger.team_index
        self.enterprises = ledger.enterprise_index
        self.activities = ledger.activity_index
        self.classes = ctype.keys("enterprise_classes")
        self.activity_kinds = ctype.keys("activity_kinds")
        self.categories = ctype.keys("issue_categories")
        self.channels = ctype.keys("issue_channels")
        self.outcome_kinds = ctype.keys("outcome_kinds")
        self.figure_keys = frozenset(f.key for f in ctype.figures)
        self.levels = ctype.policy.levels
        self.stages = tuple(stage.key for stage in ctype.policy.stages)
        self.starts = {
            kind: tuple(stage.key for stage in ctype.policy.stages if kind in stage.start)
            for stage in ctype.policy.stages
            for kind in stage.start
        }
        """The stages each event kind starts, by kind (for the stage its due date concerns)."""
        self.lifecycle = ctype.lifecycle
        self.deriver = deriver or Deriver.of_states(ctype.lifecycle)
        self.handed = deriver is not None
        """True if the deriver was handed in (it may derive clocks, which may fail)."""
        self.shapes = shapes
        """Where each issue's shape is put (None for a history the lifecycle refuses)."""
        self.states = states
        """Where each issue's state facts are put, walked with its shape (with
        :attr:`shapes`; complete only if no shape is None)."""
        self._declared: dict[tuple[str, str | None], dict[str, ExtraAttribute]] = {}
        self._required: dict[tuple[str, str | None], bool] = {}
        self._events: dict[int, list[Problem]] = {}
        """The problems of each event seen (by id) that do not depend on its place in the
        history, each with its path within the event; the ledger keeps the events alive."""
        self._good: set[int] = set()
        self._extends: dict[int, int] = {}
        """How many days of the ten years an issue's extensions may add each ``extended``
        event seen (by id) takes (:func:`~campaignkit.model.limits.extension_days`)."""
        """The ids of the events of :attr:`_events` with no problem."""

    # -- shared pieces -----------------------------------------------------------------
    def _unknown(self, what: str, key: str, path: str, what_: str) -> Problem:
        known = ", ".join(sorted(self.ctype.keys(what)))
        return Problem.of(
            "unknown-for-type",
            path,
            what=noun(what_),
            key=key,
            campaign_type=self.ctype.key,
            known=known,
        )

    def _too_late(self, day: date, path: str) -> Problem:
        return Problem.of(
            "too-late-for-campaign",
            path,
            day=day.isoformat(),
            latest=self.latest.isoformat(),
            years=MAX_YEARS,
        )

    def _outside(self, day: date, path: str) -> Problem:
        return Problem.of(
            "outside-period",
            path,
            day=day.isoformat(),
            what=noun("campaign period"),
            start=self.period.start.isoformat(),
            end=self.period.end.isoformat(),
        )

    def _required_of(self, record: str, kind: str | None) -> bool:
        """True if records of this kind declare a required extra attribute."""
        key = (record, kind)
        required = self._required.get(key)
        if required is None:
            declared = self._declared[key] = {
                a.name: a
                for a in self.ctype.extra_attributes
                if a.record == record and (not a.kinds or kind in a.kinds)
            }
            required = self._required[key] = any(a.required for a in declared.values())
        return required

    def _extra(
        self,
        extra: Mapping[str, Any],
        record: str,
        kind: str | None,
        path: str,
        issue: Issue | None = None,
    ) -> list[Problem]:
        required = self._required_of(record, kind)
        if not extra and not required:
            return []
        declared = self._declared[(record, kind)]
        found = list(_extra(extra, declared, path, self.ctype.key))
        if issue is not None and required:
            found.extend(self._required_here(issue, declared, path))
        return found

    def _required_here(
        self, issue: Issue, declared: Mapping[str, ExtraAttribute], path: str
    ) -> Iterator[Problem]:
        """The attributes ``issue`` lacks that are required of issues of its channel or
        category (``required_channels``, ``required_categories``), each at its name."""
        channel, category = issue.channel, issue.category
        for name, spec in declared.items():
            if not spec.conditional or name in issue.extra:
                continue
            if not spec.required_of(channel, category):
                continue
            where = path_key(f"{path}.extra", name)
            from_ = self._label("issue_channels", channel)
            of = self._label("issue_categories", category)
            if spec.required_channels and spec.required_categories:
                code = "required-attribute-of-both"
                yield Problem.of(code, where, label=spec.label, channel=from_, category=of)
            elif spec.required_channels:
                code = "required-attribute-of-channel"
                yield Problem.of(code, where, label=spec.label, channel=from_)
            else:
                code = "required-attribute-of-category"
                yield Problem.of(code, where, label=spec.label, category=of)

    def _label(self, what: str, key: str) -> object:
        """The label of a channel or category of the campaign type (the key if unknown)."""
        for kind in getattr(self.ctype, what):
            if kind.key == key:
                return kind.label
        return key

    # -- records -----------------------------------------------------------------------
    def enterprise(self, i: int, e: Enterprise) -> list[Problem]:
        found: list[Problem] = []
        path = f"enterprises[{i}]"
        why = uscc_fault(e.uscc)
        if why:
            found.append(Problem(f"{path}.uscc", why))
        if e.region not in self.regions:
            found.append(_unknown_ref(e.region, f"{path}.region", "region"))
        for k, cls in enumerate(e.classes):
            if cls not in self.classes:
                found.append(
                    self._unknown(
                        "enterprise_classes", cls, f"{path}.classes[{k}]", "enterprise class"
                    )
                )
        _name(e.id, f"{path}.id", found)
        _name(e.name, f"{path}.name", found)
        _name(e.industry, f"{path}.industry", found)
        contact = e.contact
        if contact is not None:
            for field_ in ("person", "phone", "email"):
                _name(getattr(contact, field_), f"{path}.contact.{field_}", found)
        found.extend(self._extra(e.extra, "enterprise", None, path))
        return found

    def activity(self, i: int, a: Activity) -> list[Problem]:
        found: list[Problem] = []
        path = f"activities[{i}]"
        if a.kind not in self.activity_kinds:
            found.append(self._unknown("activity_kinds", a.kind, f"{path}.kind", "activity kind"))
        if a.date not in self.period:
            found.append(self._outside(a.date, f"{path}.date"))
        if a.team is not None and a.team not in self.teams:
            found.append(_unknown_ref(a.team, f"{path}.team", "team"))
        if a.region is not None and a.region not in self.regions:
            found.append(_unknown_ref(a.region, f"{path}.region", "region"))
        named = a.enterprises
        if named:
            seen: set[str] = set()
            enterprises = self.enterprises
            for k, ent in enumerate(named):
                if ent not in enterprises:
                    found.append(_unknown_ref(ent, f"{path}.enterprises[{k}]", "enterprise"))
                if ent in seen:
                    found.append(Problem.of("listed-twice", f"{path}.enterprises[{k}]", key=ent))
                seen.add(ent)
        _name(a.id, f"{path}.id", found)
        count = a.enterprise_count
        if count is not None:
            if count < 0 or count > MAX_COUNT:
                _count(count, f"{path}.enterprise_count", found)
            elif count < len(named):
                found.append(
                    Problem.of(
                        "fewer-than-named",
                        f"{path}.enterprise_count",
                        count=count,
                        named=len(named),
                    )
                )
        _count(a.officials, f"{path}.officials", found)
        for name, value in a.figures.items():
            if name not in self.figure_keys:
                found.append(
                    Problem.of(
                        "unknown-figure",
                        path_key(f"{path}.figures", name),
                        campaign_type=self.ctype.key,
                    )
                )
            elif value < 0 or value > MAX_COUNT:
                _count(value, path_key(f"{path}.figures", name), found)
        for field_, text in (("title", a.title), ("subject", a.subject), ("notes", a.notes)):
            _text(text, f"{path}.{field_}", found)
        found.extend(self._extra(a.extra, "activity", a.kind, path))
        return found

    def issues(self, issues: Sequence[Issue]) -> Iterator[Problem]:
        """The problems of each issue in turn (one loop, everything looked up once)."""
        categories, channels, start, end = self.categories, self.channels, self.start, self.end
        enterprises, teams, activities = self.enterprises, self.teams, self.activities
        extra_required = self._required_of("issue", None)
        history, good = self._history, self._good
        keep = self.shapes.append if self.shapes is not None else None
        walk: Callable[[Issue], Shape] = self.deriver.shape
        if keep is not None and self.states is not None:  # the facts in the same walk
            view, add = self.deriver.view, self.states.add
            shared: dict[tuple[Satisfaction, ...], tuple[Satisfaction, ...]] = {}

            def walk(issue: Issue) -> Shape:
                found = view(issue, tracks=False)
                add(found, shared)
                return found.shape

        extends, limit = self._extends, MAX_DEADLINE[DeadlineUnit.DAYS]
        found: list[Problem] = []  # one list, emptied after each issue's problems
        for i, issue in enumerate(issues):
            raised = issue.raised
            if issue.category not in categories:
                found.append(
                    self._unknown(
                        "issue_categories",
                        issue.category,
                        f"issues[{i}].category",
                        "issue category",
                    )
                )
            if issue.channel not in channels:
                found.append(
                    self._unknown(
                        "issue_channels", issue.channel, f"issues[{i}].channel", "issue channel"
                    )
                )
            if not start <= raised <= end:
                found.append(self._outside(raised, f"issues[{i}].raised"))
            enterprise, team, activity = issue.enterprise, issue.team, issue.activity
            if enterprise is not None and enterprise not in enterprises:
                found.append(_unknown_ref(enterprise, f"issues[{i}].enterprise", "enterprise"))
            if team is not None and team not in teams:
                found.append(_unknown_ref(team, f"issues[{i}].team", "team"))
            if activity is not None:
                act = activities.get(activity)
                if act is None:
                    found.append(_unknown_ref(activity, f"issues[{i}].activity", "activity"))
                elif act.date > raised:
                    found.append(
                        Problem.of(
                            "activity-after-raised",
                            f"issues[{i}].activity",
                            activity=act.id,
                            day=act.date.isoformat(),
                        )
                    )
            iid = issue.id
            if not (iid.isascii() and 0 < len(iid) <= MAX_NAME and iid.isprintable()):
                _name(iid, f"issues[{i}].id", found)
            description = issue.description
            if not description or description.isspace():
                found.append(Problem.of("must-not-be-empty", f"issues[{i}].description"))
            if len(description) > MAX_TEXT:
                found.append(_too_long(description, f"issues[{i}].description"))
            if issue.extra or extra_required:
                found.extend(self._extra(issue.extra, "issue", None, f"issues[{i}]", issue))
            events = issue.events
            if len(events) > MAX_EVENTS:  # refused whole: walking it would take long
                found.append(
                    Problem.of(
                        "too-many-events",
                        f"issues[{i}].events",
                        count=len(events),
                        limit=MAX_EVENTS,
                    )
                )
                if keep is not None:
                    keep(None)
            elif events:
                refused: TransitionError | None = None
                failed: Exception | None = None
                try:  # the walk that checks each step is the one that derives the shape
                    shape: Shape | None = walk(issue)
                except TransitionError as exc:
                    shape, refused = None, exc
                except Exception as exc:
                    if not self.handed or self._plugins(exc):
                        # walking states alone: what the lifecycle's guards raise; or a
                        # plugin's calendar failed, not the history: named as such
                        raise
                    # its clocks failed: the history's own problems are found by walking its
                    # states, and if they do not say why, the failure does (below)
                    shape, refused, failed = None, self._states_of(issue), exc
                if keep is not None:
                    keep(shape)
                if refused is not None:
                    history(issue, i, found, refused)
                else:
                    previous = raised
                    for event in events:  # most are in order and shared by many issues
                        day = event.date
                        if day < previous or id(event) not in good:
                            history(issue, i, found, None)
                            break
                        previous = day
                    if extends:  # once the ledger has an extension: the issue's add up to
                        days = sum(extends.get(id(event), 0) for event in events)
                        if days > limit:
                            found.append(
                                Problem.of(
                                    "extensions-too-long",
                                    f"issues[{i}].events",
                                    days=days,
                                    limit=limit,
                                    years=MAX_YEARS,
                                )
                            )
                if failed is not None and not any(
                    p.path.startswith(f"issues[{i}].ev") for p in found
                ):
                    found.append(
                        Problem.of("clocks-failed", f"issues[{i}].events", why=str(failed))
                    )
            elif keep is not None:
                keep(walk(issue))
            if found:
                yield from found
                found.clear()

    def _plugins(self, exc: Exception) -> bool:
        """True if ``exc`` is a plugin's failure (a :class:`PluginError`, or raised in a
        plugin's own code) rather than what the history's dates make of the calendars."""
        culprit = self.culprit
        return isinstance(exc, PluginError) or (culprit is not None and bool(culprit(exc)))

    def _states_of(self, issue: Issue) -> TransitionError | None:
        """Where the lifecycle refuses the issue's history, walked for states alone: for a
        history whose clocks the deriver handed to validation could not derive (calendar
        arithmetic out of range: a plugin's failure is raised instead, see
        :meth:`_plugins`). That failure is raised again when the shapes are derived
        outside validation; here the history's own problems are still found."""
        try:
            Deriver.of_states(self.lifecycle).shape(issue)
        except TransitionError as exc:
            return exc
        return None

    def _history(
        self, issue: Issue, i: int, found: list[Problem], refused: TransitionError | None
    ) -> None:
        """The problems of the issue's events, in order, up to the one the lifecycle
        ``refused`` (or of a kind the campaign type does not know), which ends the history."""
        last = refused.position if refused is not None else None
        events = issue.events if last is None else issue.events[: last + 1]
        raised = issue.raised
        previous = raised
        checked = self._events
        limit = self.limit
        for k, event in enumerate(events):
            if limit is not None and len(found) > limit:
                break  # validation stops there (see check_ledger): so does the history
            day = event.date
            if day < previous or day < raised:
                epath = f"issues[{i}].events[{k}].date"
                found.append(out_of_order(day, raised, previous, k - 1, epath))
            previous = day
            own = checked.get(id(event))
            if own is None:
                own = checked[id(event)] = self._event(event)
                if not own:
                    self._good.add(id(event))
            if own:
                epath = f"issues[{i}].events[{k}]"
                found.extend(problem.under(epath) for problem in own)
        if refused is not None and last is not None:
            epath = f"issues[{i}].events[{last}].kind"
            found.append(refusal(issue.events[last], refused, self.ctype, epath))

    def _stage(self, event: IssueEvent) -> list[Problem]:
        """The problem of the deadline stage an event names where it picks a clock: an
        extension's, or the stage an event's own due date or deadline concerns. A stage the
        policy lacks, or, for an event that starts clocks, one it does not start: the date
        would concern no clock and count for nothing. (Elsewhere a stage is a name: a
        plugin may keep its own there.)"""
        stage, kind = event.stage, event.kind
        given = event.due is not None or event.deadline is not None
        if not given and kind != "extended":
            return []
        if stage not in self.stages:
            return [
                Problem.of(
                    "unknown-for-type",
                    ".stage",
                    what=noun("deadline stage"),
                    key=stage,
                    campaign_type=self.ctype.key,
                    known=", ".join(self.stages),
                )
            ]
        starts = self.starts.get(kind)
        if given and starts and stage not in starts:
            return [
                Problem.of(
                    "stage-not-started", ".stage", kind=kind, stage=stage, starts=", ".join(starts)
                )
            ]
        return []

    def _event(self, event: IssueEvent) -> list[Problem]:
        """The problems of an event that do not depend on its issue or place, each with a
        path that follows the event's own (see :meth:`Problem.under`)."""
        found: list[Problem] = []
        if event.level is not None and event.level not in self.levels:
            found.append(
                Problem.of(
                    "unknown-for-type",
                    ".level",
                    what=noun("level"),
                    key=event.level,
                    campaign_type=self.ctype.key,
                    known=", ".join(self.levels),
                )
            )
        deadline = event.deadline
        if event.kind == "extended" and deadline is not None and event.due is not None:
            found.append(Problem.of("extended-twice-over", ".due"))
        if deadline is not None:
            if event.kind == "extended" and deadline.amount > 0:
                self._extends[id(event)] = extension_days(deadline)
            if deadline.amount < 0:
                found.append(Problem.of("must-not-be-negative", ".deadline.amount"))
            else:
                limit = deadline_too_long(deadline)
                if limit is not None:
                    found.append(
                        Problem.of(
                            "deadline-too-long",
                            ".deadline.amount",
                            amount=_amount(deadline.amount, deadline.unit.value),
                            limit=_amount(limit, deadline.unit.value),
                            years=MAX_YEARS,
                        )
                    )
        due = event.due
        if due is not None:
            if due < event.date:
                found.append(Problem.of("due-before-event", ".due"))
            elif due > self.latest:
                found.append(self._too_late(due, ".due"))
        if event.date > self.latest:
            found.append(self._too_late(event.date, ".date"))
        if event.rating is not None and not self.lifecycle.may_rate(event.kind):
            found.append(
                Problem.of(
                    "rating-not-allowed",
                    ".rating",
                    kind=event.kind,
                    rated=", ".join(self.lifecycle.rated or ()),
                )
            )
        for field_ in ("department", "by", "rule", "stage"):
            _name(getattr(event, field_), f".{field_}", found)
        if event.stage is not None and self.stages and all(p.path != ".stage" for p in found):
            found.extend(self._stage(event))
        _text(event.note, ".note", found)
        found.extend(self._extra(event.extra, "event", event.kind, ""))
        return found

    def outcome(self, i: int, o: Outcome) -> list[Problem]:
        found: list[Problem] = []
        path = f"outcomes[{i}]"
        if o.kind not in self.outcome_kinds:
            found.append(self._unknown("outcome_kinds", o.kind, f"{path}.kind", "outcome kind"))
        if o.activity is not None and o.activity not in self.activities:
            found.append(_unknown_ref(o.activity, f"{path}.activity", "activity"))
        if o.team is not None and o.team not in self.teams:
            found.append(_unknown_ref(o.team, f"{path}.team", "team"))
        if o.region is not None and o.region not in self.regions:
            found.append(_unknown_ref(o.region, f"{path}.region", "region"))
        for k, ent in enumerate(o.enterprises):
            if ent not in self.enterprises:
                found.append(_unknown_ref(ent, f"{path}.enterprises[{k}]", "enterprise"))
        for name, value, limit in (
            ("amount_yuan", o.amount_yuan, MAX_AMOUNT_YUAN),
            ("land_mu", o.land_mu, MAX_LAND_MU),
        ):
            if value is None:
                continue
            if not value.is_finite():
                found.append(Problem.of("not-a-number", f"{path}.{name}", value=str(value)))
                continue
            if value < 0:
                found.append(Problem.of("negative-value", f"{path}.{name}", value=value))
            elif value > limit:
                found.append(
                    Problem.of("too-large", f"{path}.{name}", value=f"{value:f}", limit=limit)
                )
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > MAX_PLACES and value != 0:
                exponent = value.normalize().as_tuple().exponent  # 1.0000000 is 1
            if isinstance(exponent, int) and -exponent > MAX_PLACES and value != 0:
                found.append(
                    Problem.of(
                        "too-many-places", f"{path}.{name}", value=f"{value:f}", limit=MAX_PLACES
                    )
                )
        if o.date < self.period.start:
            found.append(Problem.of("before-campaign", f"{path}.date", day=o.date.isoformat()))
        elif o.date > self.latest:
            found.append(self._too_late(o.date, f"{path}.date"))
        _name(o.id, f"{path}.id", found)
        _text(o.title, f"{path}.title", found)
        for k, party in enumerate(o.parties):
            _name(party.role, f"{path}.parties[{k}].role", found)
            _name(party.name, f"{path}.parties[{k}].name", found)
        found.extend(self._extra(o.extra, "outcome", o.kind, path))
        return found


def _unknown_ref(key: str, path: str, what: str) -> Problem:
    return Problem.of("unknown-reference", path, what=noun(what), key=key)


def _too_long(text: str, path: str) -> Problem:
    return Problem.of("text-too-long", path, length=len(text), limit=MAX_TEXT)


def check_records(
    ledger: Ledger,
    ctype: CampaignType,
    *,
    deriver: Deriver | None = None,
    shapes: list[Shape | None] | None = None,
    limit: int | None = None,
    states: StateColumns | None = None,
    culprit: Callable[[BaseException], object] | None = None,
) -> Iterator[Problem]:
    """Yield every built-in problem of ``ledger`` under campaign type ``ctype``.

    Histories are walked by ``deriver`` (one of states alone by default); with
    ``shapes``, each issue's shape after its history is appended there as it is
    walked (None where the lifecycle refuses an event), and with ``states`` too, what
    the same walk says of its state (see
    :meth:`~campaignkit.derive.views.StateColumns.add`). With ``limit``, the consumer
    stops after that many problems: one issue's history is not checked further either.

    A ``deriver`` handed in derives clocks, which may fail: a history whose clocks
    cannot be worked out (a time limit far beyond the calendars) is checked for its
    states and reported, but a plugin's failure is raised as it is. ``culprit`` (the
    manager's :meth:`~campaignkit.hooks.manager.PluginManager.culprit`) tells a plugin's
    own code raising; a :class:`~campaignkit.errors.PluginError` always is one.
    """
    yield from _check_structure(ledger)
    declared = {a.name: a for a in ctype.extra_attributes if a.record == "campaign" and not a.kinds}
    yield from _extra(ledger.campaign.extra, declared, "campaign", ctype.key)
    check = _Checker(ledger, ctype, deriver, shapes, limit, states, culprit)
    for k, cls in enumerate(ledger.campaign.scope.enterprise_classes):
        if cls not in check.classes:
            yield check._unknown(
                "enterprise_classes",
                cls,
                f"campaign.scope.enterprise_classes[{k}]",
                "enterprise class",
            )
    yield from repeated(ledger.enterprises, "id", "enterprises", "enterprise id")
    yield from repeated(ledger.enterprises, "uscc", "enterprises", "unified social credit code")
    for i, e in enumerate(ledger.enterprises):
        yield from check.enterprise(i, e)
    yield from repeated(ledger.activities, "id", "activities", "activity id")
    for i, a in enumerate(ledger.activities):
        yield from check.activity(i, a)
    yield from repeated(ledger.issues, "id", "issues", "issue id")
    yield from check.issues(ledger.issues)
    yield from repeated(ledger.outcomes, "id", "outcomes", "outcome id")
    for i, o in enumerate(ledger.outcomes):
        yield from check.outcome(i, o)


MAX_PROBLEMS = 1_000
"""How many problems validation lists before it stops (and says so in one more)."""


def event_checker(
    ledger: Ledger, ctype: CampaignType
) -> Callable[[IssueEvent, str], list[Problem]]:
    """The check validation makes of each event of ``ledger`` on its own (its level, due
    date, deadline, rating, names, note and extra attributes against the campaign type
    and the campaign's dates), for events to be added at a path (``issues[3].events[5]``):
    what :func:`campaignkit.append_events` and a store's appends check besides the
    event's place in its history."""
    checker = _Checker(ledger, ctype)

    def check(event: IssueEvent, path: str) -> list[Problem]:
        return [problem.under(path) for problem in checker._event(event)]

    return check


def refusal(event: IssueEvent, refused: TransitionError, ctype: CampaignType, path: str) -> Problem:
    """The problem of an event the lifecycle ``refused``: a kind the campaign type does not
    know is said as such, else the lifecycle's own words (the state it is not allowed in).
    Validation says it of a history, and :func:`campaignkit.append_events` of an event
    appended."""
    kinds = ctype.lifecycle.event_kinds
    if event.kind in kinds:
        return Problem(path, refused.phrase)
    return Problem.of(
        "unknown-for-type",
        path,
        what=noun("event kind"),
        key=event.kind,
        campaign_type=ctype.key,
        known=", ".join(sorted(kinds)),
    )


def out_of_order(day: date, raised: date, previous_day: date, previous: int, path: str) -> Problem:
    """The problem of an event dated ``day``, before ``previous_day`` (the date of the event
    at index ``previous`` of its history, or the day the issue was ``raised`` when
    ``previous`` is -1): before the issue was raised (``before-raised``), else before that
    event (``before-previous-event``). Validation says it of a history's events, and
    :func:`campaignkit.append_events` of the events it appends."""
    if day < raised:
        return Problem.of("before-raised", path, day=day.isoformat(), raised=raised.isoformat())
    return Problem.of(
        "before-previous-event",
        path,
        day=day.isoformat(),
        previous=previous,
        previous_day=previous_day.isoformat(),
    )


def plugin_failed(code: str, name: str, exc: Exception, plugin: str | None = None) -> Problem:
    """The problem that a plugin's check ``name`` raised ``exc`` (``validator-failed``,
    ``validator-of-plugin-failed`` with the ``plugin``, ``write-check-failed``,
    ``write-check-of-plugin-failed``): said in
    place of what it would have found, worded from the exception's phrase when it carries
    one (a :class:`~campaignkit.errors.CampaignkitError`)."""
    why = exc.phrase if isinstance(exc, CampaignkitError) else str(exc)
    args: dict[str, object] = {"name": name, "error": type(exc).__name__, "why": why}
    if plugin is not None:
        args["plugin"] = plugin
    return Problem("", code=code, args=args)


def plugin_problems(given: Iterable[object]) -> list[Problem]:
    """What a plugin's check gave, as problems: every item must be a :class:`Problem` whose
    fields have their types (a message written as text), else a ``TypeError``
    (:class:`~campaignkit.errors.MalformedProblem`) says what it gave. Validators and a
    store's write checks are both held to this."""
    found: list[Problem] = []
    for item in given:
        if not isinstance(item, Problem):
            words = {"type": type(item).__name__, "value": f"{item!r:.40}"}
            raise MalformedProblem(Phrase("problem.not-a-problem", words))
        wrong: list[str | Phrase] = list(wrong_field_phrases(item))
        written = item.args.get("text") if not item.code else ""
        if not isinstance(written, str):
            words = {
                "field": "message",
                "expected": "str",
                "type": type(written).__name__,
                "value": f"{written!r:.40}",
            }
            wrong.append(Phrase("record.wrong-field", words))
        if wrong:
            raise MalformedProblem(Phrase("problem.wrong-fields", {"wrong": Joined(wrong)}))
        if item.code:
            try:
                template(item.code)
            except KeyError:  # its words would be the bare code
                raise MalformedProblem(
                    Phrase("problem.unregistered-code", {"code": item.code})
                ) from None
        found.append(item)
    return found


def check_ledger(
    ledger: Ledger,
    ctype: CampaignType,
    extra_checks: Iterable[Any] = (),
    *,
    deriver: Deriver | None = None,
    shapes: list[Shape | None] | None = None,
    limit: int | None = MAX_PROBLEMS,
    states: StateColumns | None = None,
    culprit: Callable[[BaseException], object] | None = None,
    owner: Callable[[str], str | None] | None = None,
) -> list[Problem]:
    """Every problem in ``ledger``: built-in checks, then plugin validators.

    ``extra_checks`` are :class:`~campaignkit.rules.records.Validator` records; one that
    raises, or gives something other than problems with text paths and messages,
    is reported as a problem naming it, and the plugin that registered it when
    ``owner`` (the plugin of a validator's name) knows it. Such a problem refuses the
    ledger like any other: a check that could not run does not pass it.

    After ``limit`` problems (None: no limit) validation stops: a hostile file of
    hundreds of thousands of problems is answered within seconds, with the first
    ``limit`` of them and one more problem (``too-many-problems``) that says it stopped.
    """
    records = check_records(
        ledger, ctype, deriver=deriver, shapes=shapes, limit=limit, states=states, culprit=culprit
    )
    problems = list(records if limit is None else itertools.islice(records, limit + 1))
    if limit is not None and len(problems) > limit:
        del problems[limit:]
        problems.append(Problem.of("too-many-problems", "", limit=limit))
        return problems
    for validator in extra_checks:
        try:
            found = plugin_problems(validator.check(ledger, ctype))
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            plugin = None if owner is None else owner(validator.name)
            if plugin is None:
                problems.append(plugin_failed("validator-failed", validator.name, exc))
            else:
                failed = plugin_failed(
                    "validator-of-plugin-failed", validator.name, exc, plugin=plugin
                )
                problems.append(failed)
            continue
        problems.extend(found)
    return problems
