"""A slow reference for validation's checks of records: each record worded by a
generator of its own, every history stepped event by event with the lifecycle.

The checks in :mod:`campaignkit.validation.checks` look everything up once and walk
histories with the one deriver; these must find the same problems, in the same order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from campaignkit.errors import Problem, TransitionError
from campaignkit.i18n.catalogue import Phrase, noun
from campaignkit.i18n.shown import Shown, escaped, path_key
from campaignkit.model import limits
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import (
    Activity,
    Deadline,
    DeadlineUnit,
    Issue,
    IssueEvent,
    Outcome,
    Period,
)
from campaignkit.model.uscc import uscc_fault
from campaignkit.rules.lifecycle import Lifecycle
from campaignkit.rules.records import CampaignType, ExtraAttribute

_MAX_TEXT = limits.MAX_TEXT
RECORDS = ("enterprises", "activities", "issues", "outcomes")
"""The sections whose problems the reference finds."""


def _dupes(records: Sequence[Any], attr: str, section: str, what: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        key = getattr(record, attr)
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


def check_records_slowly(ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    """Every problem of the ledger's enterprises, activities, issues and outcomes."""
    yield from _check_enterprises(ledger, ctype)
    yield from _dupes(ledger.activities, "id", "activities", "activity id")
    for i, a in enumerate(ledger.activities):
        yield from _check_activity(i, a, ledger, ctype)
    yield from _dupes(ledger.issues, "id", "issues", "issue id")
    for i, issue in enumerate(ledger.issues):
        yield from _check_issue(i, issue, ledger, ctype, ctype.lifecycle)
    yield from _dupes(ledger.outcomes, "id", "outcomes", "outcome id")
    for i, o in enumerate(ledger.outcomes):
        yield from _check_outcome(i, o, ledger, ctype)


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
    issue: Issue | None = None,
    issue_type: CampaignType | None = None,
) -> Iterator[Problem]:
    """The problems of a record's ``extra``; for an ``issue`` (of ``issue_type``), the
    attributes required of its channel or category too, after the others."""
    declared = {
        a.name: a for a in attrs_ if a.record == record and (not a.kinds or kind in a.kinds)
    }
    for name, value in extra.items():
        spec = declared.get(name)
        if spec is None:
            yield Problem.of(
                "undeclared-attribute", path_key(f"{path}.extra", name), campaign_type=ctype
            )
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
                "expected-type", path_key(f"{path}.extra", name), type=spec.type, got=_shown(value)
            )
        elif type(value) is str and len(value) > _MAX_TEXT:
            yield Problem.of(
                "text-too-long", path_key(f"{path}.extra", name), length=len(value), limit=_MAX_TEXT
            )
        elif spec.choices and value not in spec.choices:
            yield Problem.of(
                "expected-one-of",
                path_key(f"{path}.extra", name),
                choices=", ".join(spec.choices),
                got=_shown(value),
            )
    conditional = []
    for name, spec in declared.items():
        if spec.required and name not in extra:
            if spec.required_channels or spec.required_categories:
                conditional.append(spec)
            else:
                yield Problem.of("required-attribute", f"{path}.extra", name=name)
    if issue is None or issue_type is None:
        return
    for spec in conditional:  # required of the issue's channel or category only
        channels, categories = spec.required_channels, spec.required_categories
        if channels and issue.channel not in channels:
            continue
        if categories and issue.category not in categories:
            continue
        where = path_key(f"{path}.extra", spec.name)
        channel_labels = {k.key: k.label for k in issue_type.issue_channels}
        category_labels = {k.key: k.label for k in issue_type.issue_categories}
        channel = channel_labels.get(issue.channel, issue.channel)
        category = category_labels.get(issue.category, issue.category)
        if channels and categories:
            yield Problem.of(
                "required-attribute-of-both",
                where,
                label=spec.label,
                channel=channel,
                category=category,
            )
        elif channels:
            yield Problem.of(
                "required-attribute-of-channel", where, label=spec.label, channel=channel
            )
        else:
            yield Problem.of(
                "required-attribute-of-category", where, label=spec.label, category=category
            )


def _shown(value: object) -> object:
    """A value quoted as ``repr`` writes it (None: the word for it)."""
    return Phrase("value.none") if value is None else Shown(escaped(repr(value)))


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


def _name(value: str | None, path: str) -> Iterator[Problem]:
    """A name, id or code, character by character."""
    if value is None:
        return
    if len(value) > limits.MAX_NAME:
        yield Problem.of("text-too-long", path, length=len(value), limit=limits.MAX_NAME)
    hidden = ""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and ch not in hidden:
            hidden += ch
    if hidden:
        yield Problem.of("hidden-characters", path, characters=hidden)
    shows = [
        ch
        for ch in value
        if unicodedata.category(ch)[0] in "LNPS" and ch not in "\u115f\u1160\u3164\uffa0\u2800"
    ]
    if not shows:
        yield Problem.of("must-not-be-empty" if not value.strip() else "no-visible-character", path)


def _count(value: int | None, path: str) -> Iterator[Problem]:
    if value is not None and value < 0:
        yield Problem.of("must-not-be-negative", path)
    elif value is not None and value > limits.MAX_COUNT:
        yield Problem.of("too-large", path, value=value, limit=limits.MAX_COUNT)


def _days(deadline: Deadline) -> int:
    if deadline.unit is DeadlineUnit.HOURS:
        return (deadline.amount + 23) // 24
    if deadline.unit is DeadlineUnit.WORKING_DAYS:
        return deadline.amount * 2
    return deadline.amount


def _stage(event: IssueEvent, ctype: CampaignType, path: str) -> Iterator[Problem]:
    """The stage of an extension, or of an event's own due date or deadline, is one of the
    policy's, and one the event starts if it starts any."""
    stages = [s.key for s in ctype.policy.stages]
    stage = event.stage
    if stage is None or not stages or list(_name(stage, path)):
        return
    given = event.due is not None or event.deadline is not None
    if not given and event.kind != "extended":
        return
    if stage not in stages:
        yield Problem.of(
            "unknown-for-type",
            path,
            what=noun("deadline stage"),
            key=stage,
            campaign_type=ctype.key,
            known=", ".join(stages),
        )
        return
    starts = [s.key for s in ctype.policy.stages if event.kind in s.start]
    if given and starts and stage not in starts:
        yield Problem.of(
            "stage-not-started", path, kind=event.kind, stage=stage, starts=", ".join(starts)
        )


def _late(day: date, latest: date, path: str) -> Iterator[Problem]:
    if day > latest:
        yield Problem.of(
            "too-late-for-campaign",
            path,
            day=day.isoformat(),
            latest=latest.isoformat(),
            years=limits.MAX_YEARS,
        )


def _check_enterprises(ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    regions = ledger.region_index
    yield from _dupes(ledger.enterprises, "id", "enterprises", "enterprise id")
    yield from _dupes(ledger.enterprises, "uscc", "enterprises", "unified social credit code")
    for i, e in enumerate(ledger.enterprises):
        path = f"enterprises[{i}]"
        why = uscc_fault(e.uscc)
        if why:
            yield Problem(f"{path}.uscc", why)
        yield from _ref(regions, e.region, f"{path}.region", "region")
        for k, cls in enumerate(e.classes):
            yield from _kind(
                ctype, "enterprise_classes", cls, f"{path}.classes[{k}]", "enterprise class"
            )
        yield from _name(e.id, f"{path}.id")
        yield from _name(e.name, f"{path}.name")
        yield from _name(e.industry, f"{path}.industry")
        if e.contact is not None:
            for field_ in ("person", "phone", "email"):
                yield from _name(getattr(e.contact, field_), f"{path}.contact.{field_}")
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
    yield from _name(a.id, f"{path}.id")
    if a.enterprise_count is not None:
        if a.enterprise_count < 0 or a.enterprise_count > limits.MAX_COUNT:
            yield from _count(a.enterprise_count, f"{path}.enterprise_count")
        elif a.enterprise_count < len(a.enterprises):
            yield Problem.of(
                "fewer-than-named",
                f"{path}.enterprise_count",
                count=a.enterprise_count,
                named=len(a.enterprises),
            )
    yield from _count(a.officials, f"{path}.officials")
    figure_keys = {f.key for f in ctype.figures}
    for name, value in a.figures.items():
        if name not in figure_keys:
            yield Problem.of(
                "unknown-figure", path_key(f"{path}.figures", name), campaign_type=ctype.key
            )
        else:
            yield from _count(value, path_key(f"{path}.figures", name))
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
    yield from _name(issue.id, f"{path}.id")
    if not issue.description.strip():
        yield Problem.of("must-not-be-empty", f"{path}.description")
    yield from _text(issue.description, f"{path}.description")
    yield from _extra(
        issue.extra, "issue", None, ctype.extra_attributes, path, ctype.key, issue, ctype
    )
    if len(issue.events) > limits.MAX_EVENTS:
        yield Problem.of(
            "too-many-events", f"{path}.events", count=len(issue.events), limit=limits.MAX_EVENTS
        )
        return
    levels = ctype.policy.levels
    latest = limits.latest_date(ledger.campaign.period.end)
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
        elif event.deadline is not None:
            limit = limits.MAX_DEADLINE[event.deadline.unit]
            if event.deadline.amount > limit:
                unit = "amount." + event.deadline.unit.value.replace("_", "-")
                yield Problem.of(
                    "deadline-too-long",
                    f"{epath}.deadline.amount",
                    amount=Phrase(unit, {"n": event.deadline.amount}),
                    limit=Phrase(unit, {"n": limit}),
                    years=limits.MAX_YEARS,
                )
        if event.due is not None and event.due < event.date:
            yield Problem.of("due-before-event", f"{epath}.due")
        elif event.due is not None:
            yield from _late(event.due, latest, f"{epath}.due")
        yield from _late(event.date, latest, f"{epath}.date")
        rated = lifecycle.rated
        if event.rating is not None and rated is not None and event.kind not in rated:
            yield Problem.of(
                "rating-not-allowed", f"{epath}.rating", kind=event.kind, rated=", ".join(rated)
            )
        for field_ in ("department", "by", "rule", "stage"):
            yield from _name(getattr(event, field_), f"{epath}.{field_}")
        yield from _stage(event, ctype, f"{epath}.stage")
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
    extended = sum(
        _days(e.deadline)
        for e in issue.events
        if e.kind == "extended" and e.deadline is not None and e.deadline.amount > 0
    )
    limit = limits.MAX_DEADLINE[DeadlineUnit.DAYS]
    if extended > limit:
        yield Problem.of(
            "extensions-too-long",
            f"{path}.events",
            days=extended,
            limit=limit,
            years=limits.MAX_YEARS,
        )


def _check_outcome(i: int, o: Outcome, ledger: Ledger, ctype: CampaignType) -> Iterator[Problem]:
    path = f"outcomes[{i}]"
    yield from _kind(ctype, "outcome_kinds", o.kind, f"{path}.kind", "outcome kind")
    yield from _ref(ledger.activity_index, o.activity, f"{path}.activity", "activity")
    yield from _ref(ledger.team_index, o.team, f"{path}.team", "team")
    yield from _ref(ledger.region_index, o.region, f"{path}.region", "region")
    for k, ent in enumerate(o.enterprises):
        yield from _ref(ledger.enterprise_index, ent, f"{path}.enterprises[{k}]", "enterprise")
    for name, most in (("amount_yuan", limits.MAX_AMOUNT_YUAN), ("land_mu", limits.MAX_LAND_MU)):
        value = getattr(o, name)
        if value is None:
            continue
        if value.is_nan() or value.is_infinite():
            yield Problem.of("not-a-number", f"{path}.{name}", value=str(value))
            continue
        if value < 0:
            yield Problem.of("negative-value", f"{path}.{name}", value=value)
        elif value > most:
            yield Problem.of("too-large", f"{path}.{name}", value=f"{value:f}", limit=most)
        places = -int(value.normalize().as_tuple().exponent) if value else 0
        if places > limits.MAX_PLACES:
            yield Problem.of(
                "too-many-places", f"{path}.{name}", value=f"{value:f}", limit=limits.MAX_PLACES
            )
    if o.date < ledger.campaign.period.start:
        yield Problem.of("before-campaign", f"{path}.date", day=o.date.isoformat())
    else:
        yield from _late(o.date, limits.latest_date(ledger.campaign.period.end), f"{path}.date")
    yield from _name(o.id, f"{path}.id")
    yield from _text(o.title, f"{path}.title")
    for k, party in enumerate(o.parties):
        yield from _name(party.role, f"{path}.parties[{k}].role")
        yield from _name(party.name, f"{path}.parties[{k}].name")
    yield from _extra(o.extra, "outcome", o.kind, ctype.extra_attributes, path, ctype.key)
