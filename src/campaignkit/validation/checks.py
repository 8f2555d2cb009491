"""Checks on a structured ledger: integrity, duplicates, dates, codes, kinds.

:func:`check_ledger` returns every problem found (not just the first), each
with a path such as ``issues[42].enterprise``. The kinds, categories,
channels, classes and extra attributes are checked against the ledger's
campaign type, so what a plugin defines is valid and what none defines is an
error naming the campaign type.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from campaignkit.errors import Problem, TransitionError
from campaignkit.i18n.catalogue import Phrase, noun
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Activity, Enterprise, Issue, IssueEvent, Outcome, Period
from campaignkit.model.uscc import ALPHABET, uscc_fault
from campaignkit.rules.lifecycle import Lifecycle
from campaignkit.rules.records import CampaignType, ExtraAttribute, wrong_fields

__all__ = ["check_ledger", "check_records"]

_MAX_TEXT = 100_000
_RECHECK = "validate.issues_to_recheck"
"""Key in the ledger's cache of the issues :func:`check_records` did not find clean."""


def _dupes(records: Sequence[Any], attr: str, section: str, what: str) -> Iterator[Problem]:
    keys = list(map(operator.attrgetter(attr), records))
    try:
        if all(map(operator.lt, keys, itertools.islice(keys, 1, None))):
            return  # strictly increasing (ids numbered in order): no two alike, no table built
    except TypeError:  # keys that do not compare (records built by hand): look each one up
        pass
    seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in seen:
            yield Problem.of(
                "duplicate",
                f"{section}[{i}].{attr}",
                what=noun(what),
                key=key,
                first=f"{section}[{seen[key]}]",
            )
        else:
            seen[key] = i


def _kind(ctype: CampaignType, what: str, key: str, path: str, what_: str) -> Iterator[Problem]:
    if key not in ctype.keys(what):
        known = ", ".join(sorted(ctype.keys(what)))
        yield Problem.of(
            "unknown-for-type",
            path,
            what=noun(what_),
            key=key,
            campaign_type=ctype.key,
            known=known,
        )


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
    extra: Mapping[str, Any],
    record: str,
    kind: str | None,
    attrs_: Sequence[ExtraAttribute],
    path: str,
    ctype: str,
) -> Iterator[Problem]:
    declared = {
        a.name: a for a in attrs_ if a.record == record and (not a.kinds or kind in a.kinds)
    }
    for name, value in extra.items():
        spec = declared.get(name)
        if spec is None:
            yield Problem.of("undeclared-attribute", f"{path}.extra.{name}", campaign_type=ctype)
            continue
        ok = {
            "str": type(value) is str,
            "int": type(value) is int,
            "bool": type(value) is bool,
            "decimal": type(value) in (str, int) and _is_decimal(value),
            "date": type(value) is str and _is_date(value),
        }[spec.type]
        if not ok:
            yield Problem.of(
                "expected-type", f"{path}.extra.{name}", type=spec.type, got=_shown(value)
            )
        elif spec.choices and value not in spec.choices:
            yield Problem.of(
                "expected-one-of",
                f"{path}.extra.{name}",
                choices=", ".join(spec.choices),
                got=_shown(value),
            )
    for name, spec in declared.items():
        if spec.required and name not in extra:
            yield Problem.of("required-attribute", f"{path}.extra", name=name)


def _shown(value: object) -> object:
    """A value quoted as ``repr`` writes it (None: the word for it)."""
    return Phrase("value.none") if value is None else repr(value)


def _is_decimal(value: object) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return True


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _text(value: str | None, path: str) -> Iterator[Problem]:
    if value is not None and len(value) > _MAX_TEXT:
        yield Problem.of("text-too-long", path, length=len(value), limit=_MAX_TEXT)


def _check_structure(ledger: Ledger) -> Iterator[Problem]:
    c = ledger.campaign
    if c.period.end < c.period.start:
        yield Problem.of("end-before-start", "campaign.period")
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
    yield from _dupes(ledger.regions, "code", "regions", "region code")
    for i, r in enumerate(ledger.regions):
        if r.parent is not None and r.parent not in regions and r.level != "province":
            yield Problem.of(
                "unknown-reference", f"regions[{i}].parent", what=noun("region"), key=r.parent
            )
        if r.level != "zone" and not (len(r.code) == 6 and r.code.isdigit()):
            yield Problem.of("not-gbt2260", f"regions[{i}].code", code=r.code)
    for field_, codes in (("regions", c.scope.regions), ("zones", c.scope.zones)):
        for j, code in enumerate(codes):
            yield from _ref(regions, code, f"campaign.scope.{field_}[{j}]", "region")
    yield from _dupes(ledger.work_groups, "id", "work_groups", "work group id")
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


def _check_enterprises(ledger: Ledger, ctype: CampaignType, clean: _Clean) -> Iterator[Problem]:
    regions = ledger.region_index
    yield from _dupes(ledger.enterprises, "id", "enterprises", "enterprise id")
    yield from _dupes(ledger.enterprises, "uscc", "enterprises", "unified social credit code")
    for i, e in enumerate(ledger.enterprises):
        if clean.enterprise(e):
            continue
        path = f"enterprises[{i}]"
        why = uscc_fault(e.uscc)
        if why:
            yield Problem(f"{path}.uscc", why)
        yield from _ref(regions, e.region, f"{path}.region", "region")
        for k, cls in enumerate(e.classes):
            yield from _kind(
                ctype, "enterprise_classes", cls, f"{path}.classes[{k}]", "enterprise class"
            )
        if not e.name.strip():
            yield Problem.of("must-not-be-empty", f"{path}.name")
        yield from _text(e.name, f"{path}.name")
        yield from _extra(e.extra, "enterprise", None, ctype.extra_attributes, path, ctype.key)


def _check_activity(i: int, a: Activity, ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    path = f"activities[{i}]"
    yield from _kind(ctype, "activity_kinds", a.kind, f"{path}.kind", "activity kind")
    yield from _in_period(a.date, ledger.campaign.period, f"{path}.date", "campaign period")
    yield from _ref(ledger.team_index, a.team, f"{path}.team", "team")
    yield from _ref(ledger.region_index, a.region, f"{path}.region", "region")
    enterprises = ledger.enterprise_index
    seen: set[str] = set()
    for k, ent in enumerate(a.enterprises):
        yield from _ref(enterprises, ent, f"{path}.enterprises[{k}]", "enterprise")
        if ent in seen:
            yield Problem.of("listed-twice", f"{path}.enterprises[{k}]", key=ent)
        seen.add(ent)
    if a.enterprise_count is not None:
        if a.enterprise_count < 0:
            yield Problem.of("must-not-be-negative", f"{path}.enterprise_count")
        elif a.enterprise_count < len(a.enterprises):
            yield Problem.of(
                "fewer-than-named",
                f"{path}.enterprise_count",
                count=a.enterprise_count,
                named=len(a.enterprises),
            )
    if a.officials is not None and a.officials < 0:
        yield Problem.of("must-not-be-negative", f"{path}.officials")
    figure_keys = {f.key for f in ctype.figures}
    for name, value in a.figures.items():
        if name not in figure_keys:
            yield Problem.of("unknown-figure", f"{path}.figures.{name}", campaign_type=ctype.key)
        elif value < 0:
            yield Problem.of("must-not-be-negative", f"{path}.figures.{name}")
    for field_ in ("title", "subject", "notes"):
        yield from _text(getattr(a, field_), f"{path}.{field_}")
    yield from _extra(a.extra, "activity", a.kind, ctype.extra_attributes, path, ctype.key)


def _check_issue(
    i: int, issue: Issue, ledger: Ledger, ctype: CampaignType, lifecycle: Lifecycle
) -> Iterator[Problem]:
    path = f"issues[{i}]"
    yield from _kind(
        ctype, "issue_categories", issue.category, f"{path}.category", "issue category"
    )
    yield from _kind(ctype, "issue_channels", issue.channel, f"{path}.channel", "issue channel")
    yield from _in_period(issue.raised, ledger.campaign.period, f"{path}.raised", "campaign period")
    yield from _ref(ledger.enterprise_index, issue.enterprise, f"{path}.enterprise", "enterprise")
    yield from _ref(ledger.team_index, issue.team, f"{path}.team", "team")
    yield from _ref(ledger.activity_index, issue.activity, f"{path}.activity", "activity")
    if issue.activity is not None:
        act = ledger.activity_index.get(issue.activity)
        if act is not None and act.date > issue.raised:
            yield Problem.of(
                "activity-after-raised",
                f"{path}.activity",
                activity=act.id,
                day=act.date.isoformat(),
            )
    if not issue.description.strip():
        yield Problem.of("must-not-be-empty", f"{path}.description")
    yield from _text(issue.description, f"{path}.description")
    yield from _extra(issue.extra, "issue", None, ctype.extra_attributes, path, ctype.key)
    levels = ctype.policy.levels
    previous: date | None = None
    state = lifecycle.initial
    for k, event in enumerate(issue.events):
        epath = f"{path}.events[{k}]"
        if event.date < issue.raised:
            yield Problem.of(
                "before-raised",
                f"{epath}.date",
                day=event.date.isoformat(),
                raised=issue.raised.isoformat(),
            )
        elif previous is not None and event.date < previous:
            yield Problem.of(
                "before-previous-event",
                f"{epath}.date",
                day=event.date.isoformat(),
                previous=k - 1,
                previous_day=previous.isoformat(),
            )
        previous = event.date
        if event.level is not None and event.level not in levels:
            yield Problem.of(
                "unknown-for-type",
                f"{epath}.level",
                what=noun("level"),
                key=event.level,
                campaign_type=ctype.key,
                known=", ".join(levels),
            )
        if event.deadline is not None and event.deadline.amount < 0:
            yield Problem.of("must-not-be-negative", f"{epath}.deadline.amount")
        if event.due is not None and event.due < event.date:
            yield Problem.of("due-before-event", f"{epath}.due")
        yield from _text(event.note, f"{epath}.note")
        yield from _extra(
            event.extra, "event", event.kind, ctype.extra_attributes, epath, ctype.key
        )
        if event.kind not in lifecycle.event_kinds:
            yield Problem.of(
                "unknown-for-type",
                f"{epath}.kind",
                what=noun("event kind"),
                key=event.kind,
                campaign_type=ctype.key,
                known=", ".join(sorted(lifecycle.event_kinds)),
            )
            return
        try:
            state = lifecycle.step(issue, state, event)
        except TransitionError as exc:
            yield Problem(f"{epath}.kind", exc.phrase)
            return


def _check_outcome(i: int, o: Outcome, ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    path = f"outcomes[{i}]"
    yield from _kind(ctype, "outcome_kinds", o.kind, f"{path}.kind", "outcome kind")
    yield from _ref(ledger.activity_index, o.activity, f"{path}.activity", "activity")
    yield from _ref(ledger.team_index, o.team, f"{path}.team", "team")
    yield from _ref(ledger.region_index, o.region, f"{path}.region", "region")
    for k, ent in enumerate(o.enterprises):
        yield from _ref(ledger.enterprise_index, ent, f"{path}.enterprises[{k}]", "enterprise")
    for name in ("amount_yuan", "land_mu"):
        value = getattr(o, name)
        if value is not None and value < 0:
            yield Problem.of("negative-value", f"{path}.{name}", value=value)
    if o.date < ledger.campaign.period.start:
        yield Problem.of("before-campaign", f"{path}.date", day=o.date.isoformat())
    yield from _extra(o.extra, "outcome", o.kind, ctype.extra_attributes, path, ctype.key)


_USCC_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
"""GB 32100 weights: 3 to the power of the position, modulo 31."""


def _uscc_ok(code: str) -> bool:
    """True if ``code`` is a valid USCC.

    :func:`~campaignkit.model.uscc.uscc_problem` says why not.
    """
    if len(code) != 18:
        return False
    try:
        values = [_USCC_VALUE[ch] for ch in code]
    except KeyError:
        return False
    total: int = sum(map(operator.mul, values, _USCC_WEIGHTS))  # the 17 weighted characters
    return values[17] == (31 - total % 31) % 31


_REFUSED: dict[int, Any] = {}
"""The mark of an event that is refused from a state (compared by identity, never filled)."""


class _Clean:
    """Cheap yes-or-maybe checks: True means a record certainly has no problem.

    Most records of a real ledger are clean, so each is first checked here
    with everything looked up once; only a record that might have a problem
    goes through the ``_check_*`` generator, which finds and words each
    problem. The problems found and their order are the same either way.
    """

    def __init__(self, ledger: Ledger, ctype: CampaignType) -> None:
        self.ledger = ledger
        period = ledger.campaign.period
        self.start, self.end = period.start, period.end
        self.ctype = ctype
        self.activity_kinds = ctype.keys("activity_kinds")
        self.categories = ctype.keys("issue_categories")
        self.channels = ctype.keys("issue_channels")
        self.outcome_kinds = ctype.keys("outcome_kinds")
        self.classes = ctype.keys("enterprise_classes")
        self.figure_keys = frozenset(f.key for f in ctype.figures)
        self.levels = frozenset(ctype.policy.levels)
        self.lifecycle = ctype.lifecycle
        self.event_kinds = ctype.lifecycle.event_kinds
        self.regions = ledger.region_index
        self.teams = ledger.team_index
        self.enterprises = ledger.enterprise_index
        self.activities = ledger.activity_index
        self._required: dict[tuple[str, str | None], bool] = {}
        """Whether records of a (record, kind) declare a required attribute, once asked."""
        self._declared: dict[
            tuple[str, str | None], tuple[dict[str, ExtraAttribute], tuple[str, ...]]
        ] = {}
        """The attributes declared for a (record, kind), and the names of the required ones."""
        self.issue_extra_required = any(
            a.required for a in ctype.extra_attributes if a.record == "issue" and not a.kinds
        )
        self._good_events: set[int] = set()
        """Ids of events that passed :meth:`_event` (the ledger keeps them alive meanwhile)."""
        self._moves: dict[str, dict[int, Any]] | None = {} if ctype.lifecycle.plain_guards else None
        """Per state, the table of where each event seen (by id) leads from it: the next
        state's table, or ``_REFUSED`` if the event has a problem or may not happen there.
        Kept only when the lifecycle's answers depend on the event alone (its guards only
        ask for fields); the ledger keeps the events alive meanwhile."""
        self._state_of: dict[int, str] = {}
        """The state of each table of :attr:`_moves`, by the table's id."""
        self._initial: dict[int, Any] = (
            self._table(ctype.lifecycle.initial) if self._moves is not None else {}
        )
        """The table of :attr:`_moves` every issue's history starts from."""

    def _extra_ok(self, extra: Mapping[str, Any], record: str, kind: str | None) -> bool:
        """True if :func:`_extra` finds no problem (each value checked for its own type only)."""
        key = (record, kind)
        found = self._declared.get(key)
        if found is None:
            declared = {
                a.name: a
                for a in self.ctype.extra_attributes
                if a.record == record and (not a.kinds or kind in a.kinds)
            }
            required = tuple(name for name, a in declared.items() if a.required)
            found = self._declared[key] = (declared, required)
            self._required[key] = bool(required)
        declared, required = found
        for name, value in extra.items():
            spec = declared.get(name)
            if spec is None:
                return False
            type_ = spec.type
            if type_ == "str":
                ok = type(value) is str
            elif type_ == "int":
                ok = type(value) is int
            elif type_ == "bool":
                ok = type(value) is bool
            elif type_ == "decimal":
                ok = type(value) in (str, int) and _is_decimal(value)
            elif type_ == "date":
                ok = type(value) is str and _is_date(value)
            else:  # a type only the wording checks know how to refuse
                problems = _extra(extra, record, kind, self.ctype.extra_attributes, "", "")
                return next(problems, None) is None
            if not ok or (spec.choices and value not in spec.choices):
                return False
        return all(name in extra for name in required)

    def enterprise(self, e: Enterprise) -> bool:
        name = e.name
        return (
            _uscc_ok(e.uscc)
            and e.region in self.regions
            and all(c in self.classes for c in e.classes)
            and bool(name)
            and not name.isspace()
            and len(name) <= _MAX_TEXT
            and (
                not (e.extra or self._required.get(("enterprise", None), True))
                or self._extra_ok(e.extra, "enterprise", None)
            )
        )

    def activity(self, a: Activity) -> bool:
        if (
            a.kind not in self.activity_kinds
            or not self.start <= a.date <= self.end
            or (a.team is not None and a.team not in self.teams)
            or (a.region is not None and a.region not in self.regions)
        ):
            return False
        named = a.enterprises
        if named:
            enterprises = self.enterprises
            for ent in named:
                if ent not in enterprises:
                    return False
            if len(named) > 1 and len(set(named)) != len(named):
                return False
        count = a.enterprise_count
        if count is not None and count < len(named):  # also catches negative counts
            return False
        if a.officials is not None and a.officials < 0:
            return False
        for name, value in a.figures.items():
            if name not in self.figure_keys or value < 0:
                return False
        for text in (a.title, a.subject, a.notes):
            if text is not None and len(text) > _MAX_TEXT:
                return False
        return not (a.extra or self._required.get(("activity", a.kind), True)) or self._extra_ok(
            a.extra, "activity", a.kind
        )

    def unclean_activities(self, activities: Sequence[Activity]) -> list[int]:
        """Positions of the ``activities`` :meth:`activity` does not find clean.

        The same checks as :meth:`activity`, in one loop with everything looked
        up once (no call per activity).
        """
        kinds, start, end = self.activity_kinds, self.start, self.end
        teams, regions, enterprises = self.teams, self.regions, self.enterprises
        figure_keys, required, extra_ok = self.figure_keys, self._required, self._extra_ok
        out: list[int] = []
        append = out.append
        for i, a in enumerate(activities):
            kind = a.kind
            team, region = a.team, a.region
            if (
                kind not in kinds
                or not start <= a.date <= end
                or (team is not None and team not in teams)
                or (region is not None and region not in regions)
            ):
                append(i)
                continue
            named = a.enterprises
            if named and (
                not all(map(enterprises.__contains__, named))
                or (len(named) > 1 and len(set(named)) != len(named))
            ):
                append(i)
                continue
            count = a.enterprise_count
            if count is not None and count < len(named):  # also catches negative counts
                append(i)
                continue
            officials = a.officials
            if officials is not None and officials < 0:
                append(i)
                continue
            figures = a.figures
            if figures and any(
                name not in figure_keys or value < 0 for name, value in figures.items()
            ):
                append(i)
                continue
            title, subject, notes = a.title, a.subject, a.notes
            if (
                (title is not None and len(title) > _MAX_TEXT)
                or (subject is not None and len(subject) > _MAX_TEXT)
                or (notes is not None and len(notes) > _MAX_TEXT)
            ):
                append(i)
                continue
            extra = a.extra
            if (extra or required.get(("activity", kind), True)) and not extra_ok(
                extra, "activity", kind
            ):
                append(i)
        return out

    def issue(self, issue: Issue) -> bool:
        raised = issue.raised
        if (
            issue.category not in self.categories
            or issue.channel not in self.channels
            or not self.start <= raised <= self.end
            or (issue.enterprise is not None and issue.enterprise not in self.enterprises)
            or (issue.team is not None and issue.team not in self.teams)
        ):
            return False
        if issue.activity is not None:
            act = self.activities.get(issue.activity)
            if act is None or act.date > raised:
                return False
            team = act.team
            if team != issue.team and team and issue.team:
                return False  # a team other than the activity's: see _issues_to_recheck
        description = issue.description
        if not description or description.isspace() or len(description) > _MAX_TEXT:
            return False
        if (issue.extra or self.issue_extra_required) and not self._extra_ok(
            issue.extra, "issue", None
        ):
            return False
        previous = raised
        moves = self._moves
        if moves is not None:
            table = self._initial
            for event in issue.events:
                day = event.date
                if day < previous:
                    return False
                previous = day
                after = table.get(id(event))  # equal events are often one shared object
                if after is None:
                    after = self._move(issue, table, event)
                if after is _REFUSED:
                    return False
                table = after
            return True
        step = self.lifecycle.step
        state = self.lifecycle.initial
        good = self._good_events
        for event in issue.events:
            day = event.date
            if day < previous:
                return False
            previous = day
            if id(event) not in good:  # equal events are often one shared object
                if not self._event(event):
                    return False
                good.add(id(event))
            try:
                state = step(issue, state, event)
            except TransitionError:
                return False
        return True

    def unclean_issues(self, issues: Sequence[Issue]) -> list[int]:
        """Positions of the ``issues`` :meth:`issue` does not find clean.

        The same checks as :meth:`issue`, in one loop with everything looked up
        once (no call per issue); the lifecycle step stays with :meth:`issue`
        unless the lifecycle's answers depend on the event alone.
        """
        moves = self._moves
        if moves is None:
            issue_ok = self.issue
            return [i for i, issue in enumerate(issues) if not issue_ok(issue)]
        categories, channels = self.categories, self.channels
        start, end = self.start, self.end
        enterprises, teams, activities = self.enterprises, self.teams, self.activities
        extra_required, extra_ok = self.issue_extra_required, self._extra_ok
        initial: dict[int, Any] = self._initial
        move: Callable[[Issue, Any, IssueEvent], Any] = self._move
        refused = _REFUSED
        out: list[int] = []
        append = out.append
        for i, issue in enumerate(issues):
            raised = issue.raised
            if (
                issue.category not in categories
                or issue.channel not in channels
                or not start <= raised <= end
            ):
                append(i)
                continue
            team = issue.team
            enterprise = issue.enterprise
            if (enterprise is not None and enterprise not in enterprises) or (
                team is not None and team not in teams
            ):
                append(i)
                continue
            activity = issue.activity
            if activity is not None:
                act = activities.get(activity)
                if act is None or act.date > raised:
                    append(i)
                    continue
                act_team = act.team
                if act_team != team and act_team and team:
                    append(i)  # a team other than the activity's: see _issues_to_recheck
                    continue
            description = issue.description
            if not description or description.isspace() or len(description) > _MAX_TEXT:
                append(i)
                continue
            extra = issue.extra
            if (extra or extra_required) and not extra_ok(extra, "issue", None):
                append(i)
                continue
            previous = raised
            table = initial
            for event in issue.events:
                day = event.date
                if day < previous:
                    append(i)
                    break
                previous = day
                after = table.get(id(event))  # equal events are often one shared object
                if after is None:
                    after = move(issue, table, event)
                if after is refused:
                    append(i)
                    break
                table = after
        return out

    def _table(self, state: str) -> dict[int, Any]:
        """The table of where events lead from ``state`` (see :attr:`_moves`)."""
        assert self._moves is not None
        table = self._moves.get(state)
        if table is None:
            table = self._moves[state] = {}
            self._state_of[id(table)] = state
        return table

    def _move(self, issue: Issue, table: dict[int, Any], event: IssueEvent) -> Any:
        """Where ``event`` leads from the state of ``table`` (recorded there for next time)."""
        after: Any = _REFUSED
        if self._event(event):
            try:
                target = self.lifecycle.step(issue, self._state_of[id(table)], event)
            except TransitionError:
                target = None
            if target is not None:
                after = self._table(target)
        table[id(event)] = after
        return after

    def _event(self, event: IssueEvent) -> bool:
        """The checks of an event that do not depend on its issue or place in the history."""
        return not (
            (event.level is not None and event.level not in self.levels)
            or (event.deadline is not None and event.deadline.amount < 0)
            or (event.due is not None and event.due < event.date)
            or (event.note is not None and len(event.note) > _MAX_TEXT)
            or event.kind not in self.event_kinds
            or (
                (event.extra or self._required.get(("event", event.kind), True))
                and not self._extra_ok(event.extra, "event", event.kind)
            )
        )

    def outcome(self, o: Outcome) -> bool:
        return (
            o.kind in self.outcome_kinds
            and (o.activity is None or o.activity in self.activities)
            and (o.team is None or o.team in self.teams)
            and (o.region is None or o.region in self.regions)
            and all(e in self.enterprises for e in o.enterprises)
            and (o.amount_yuan is None or o.amount_yuan >= 0)
            and (o.land_mu is None or o.land_mu >= 0)
            and o.date >= self.start
            and self._extra_ok(o.extra, "outcome", o.kind)
        )


def check_records(ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    """Yield every built-in problem of ``ledger`` under campaign type ``ctype``."""
    yield from _check_structure(ledger)
    yield from _extra(
        ledger.campaign.extra, "campaign", None, ctype.extra_attributes, "campaign", ctype.key
    )
    for k, cls in enumerate(ledger.campaign.scope.enterprise_classes):
        yield from _kind(
            ctype,
            "enterprise_classes",
            cls,
            f"campaign.scope.enterprise_classes[{k}]",
            "enterprise class",
        )
    clean = _Clean(ledger, ctype)
    yield from _check_enterprises(ledger, ctype, clean)
    yield from _dupes(ledger.activities, "id", "activities", "activity id")
    activities = ledger.activities
    for i in clean.unclean_activities(activities):
        yield from _check_activity(i, activities[i], ledger, ctype)
    yield from _dupes(ledger.issues, "id", "issues", "issue id")
    lifecycle = ctype.lifecycle
    issues = ledger.issues
    recheck = clean.unclean_issues(issues)
    for i in recheck:
        yield from _check_issue(i, issues[i], ledger, ctype, lifecycle)
    ledger._cache[_RECHECK] = recheck
    yield from _dupes(ledger.outcomes, "id", "outcomes", "outcome id")
    for i, o in enumerate(ledger.outcomes):
        if not clean.outcome(o):
            yield from _check_outcome(i, o, ledger, ctype)


def _issues_to_recheck(ledger: Ledger) -> Sequence[int] | None:
    """Positions of the issues that may be in another team than their activity's.

    Known once :func:`check_records` has gone through every issue of ``ledger``
    (the quick check refuses an issue whose team differs from its activity's, so
    every other issue is in its activity's team or has no activity or team to
    compare); None before that.
    """
    found = ledger._cache.get(_RECHECK)
    return found if isinstance(found, list) else None


def check_ledger(
    ledger: Ledger,
    ctype: CampaignType,
    extra_checks: Iterable[Any] = (),
) -> list[Problem]:
    """Every problem in ``ledger``: built-in checks, then plugin validators.

    ``extra_checks`` are :class:`~campaignkit.rules.records.Validator` records; one that
    raises, or gives something other than problems with text paths and messages,
    is reported as a problem naming it.
    """
    problems = list(check_records(ledger, ctype))
    for validator in extra_checks:
        try:
            found = list(validator.check(ledger, ctype))
            for item in found:
                if not isinstance(item, Problem):
                    raise TypeError(f"gave {type(item).__name__} {item!r:.40}, expected Problem")
                wrong = list(wrong_fields(item))
                written = item.args.get("text") if not item.code else ""
                if not isinstance(written, str):
                    shown = f"{type(written).__name__} {written!r:.40}"
                    wrong.append(f"message: expected str, got {shown}")
                if wrong:
                    raise TypeError("gave a Problem with " + "; ".join(wrong))
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            problems.append(
                Problem.of(
                    "validator-failed",
                    "",
                    name=validator.name,
                    error=type(exc).__name__,
                    why=str(exc),
                )
            )
            continue
        problems.extend(found)
    return problems
