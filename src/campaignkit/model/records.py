"""The typed records of one campaign edition.

Every class here is a small frozen, slotted attrs class. None of them knows how
it is serialised: the cattrs converters of :mod:`campaignkit.ledgerfile.converter`
do that at the edge. Kinds, categories and channels are plain strings so
that campaign-type plugins can define their own; the ledger validates them
against the campaign type (see :mod:`campaignkit.validation.checks`).

Money is ``Decimal`` yuan, land is ``Decimal`` mu, dates are ``datetime.date``.
Each record has an ``extra`` mapping: the documented place for local
attributes a campaign type declares (unknown top-level keys are errors).
Records without one share :data:`EMPTY`, a read-only empty mapping.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from attrs import frozen

__all__ = [
    "EMPTY",
    "Activity",
    "Campaign",
    "Contact",
    "Deadline",
    "DeadlineUnit",
    "Enterprise",
    "Extra",
    "Issue",
    "IssueEvent",
    "Outcome",
    "OutcomeStatus",
    "Party",
    "Period",
    "Phase",
    "Region",
    "RegionLevel",
    "Satisfaction",
    "Scope",
    "Team",
    "TeamKind",
    "WorkGroup",
]

Extra = Mapping[str, Any]
"""Local attributes of a record: JSON values keyed by names the campaign type declares."""


class _EmptyMapping(dict[str, Any]):
    """The empty ``extra`` (or ``figures``) that records share when they have none.

    A million issues with their events would otherwise hold four million empty
    dicts (a quarter of a gigabyte). It is a dict for every reader and
    serialiser, and refuses changes: records are immutable. Copies (and
    pickles) of it are itself.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("records are immutable: make a new mapping (and record, with attrs.evolve)")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "EMPTY"


EMPTY: Mapping[str, Any] = _EmptyMapping()
"""The one read-only empty mapping: the ``extra`` and ``figures`` of records that have none."""


class RegionLevel(enum.StrEnum):
    """Level of a region: GB/T 2260 levels plus project-defined zones and clusters."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    """County or district (县区)."""
    ZONE = "zone"
    """Development zone, industrial park or enterprise cluster (开发区/园区/聚集区)."""


class TeamKind(enum.StrEnum):
    """How a team (小组) works."""

    STATIONED = "stationed"
    """Stationed in the regions it covers (分片包干驻点)."""
    MOBILE = "mobile"
    """Mobile team for inspections and urgent tasks (机动小组)."""


class OutcomeStatus(enum.StrEnum):
    """How far a matchmaking or attraction outcome has come."""

    INTENDED = "intended"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    LANDED = "landed"
    CANCELLED = "cancelled"


class Satisfaction(enum.StrEnum):
    """An enterprise's rating on a return visit (满意度)."""

    SATISFIED = "satisfied"
    """满意"""
    BASICALLY_SATISFIED = "basically_satisfied"
    """基本满意"""
    DISSATISFIED = "dissatisfied"
    """不满意"""


class DeadlineUnit(enum.StrEnum):
    """Explicit unit of a deadline."""

    HOURS = "hours"
    DAYS = "days"
    """Calendar days."""
    WORKING_DAYS = "working_days"
    """Working days under the statutory calendar (调休 included)."""


@frozen
class Period:
    """A closed date interval ``[start, end]``."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Number of calendar days, both ends included."""
        return (self.end - self.start).days + 1


@frozen
class Phase:
    """A phase of a campaign, e.g. the first phase of visits and research."""

    id: str
    name: str
    period: Period


@frozen
class Scope:
    """What a campaign sets out to cover (e.g. "三扩三覆盖")."""

    enterprise_classes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    """Region codes (counties/districts) to cover fully."""
    zones: tuple[str, ...] = ()
    """Development zones and clusters to cover fully."""


@frozen
class Campaign:
    """One edition of a campaign (专项行动)."""

    id: str
    type: str
    """Key of the campaign type that defines kinds, metrics and policy (e.g. ``sisong-yifu``)."""
    name: str
    period: Period
    host_province: str
    """Region code of the host province."""
    theme: str = ""
    phases: tuple[Phase, ...] = ()
    scope: Scope = Scope()
    rules: tuple[str, ...] = ()
    """Discipline rules as text (e.g. 驻点期间不吃请)."""
    report_date: dt.date | None = None
    """Date of the closing report; figures are "as of" this date by default."""
    extra: Extra = EMPTY


@frozen
class Region:
    """A region: a GB/T 2260 code, or a project-defined code for zones and clusters."""

    code: str
    name: str
    level: RegionLevel
    parent: str | None = None
    extra: Extra = EMPTY


@frozen
class Team:
    """A team (小组) of a working group."""

    id: str
    name: str
    kind: TeamKind
    regions: tuple[str, ...] = ()
    """Region codes a stationed team covers."""
    leader: str | None = None
    members: int | None = None
    extra: Extra = EMPTY


@frozen
class WorkGroup:
    """A working group (工作组) sent to a host city."""

    id: str
    name: str
    lead_unit: str
    """Lead unit (牵头单位), e.g. 省工商联."""
    headcount: int
    host_region: str
    """Region code of the host city."""
    period: Period
    """Stationing period."""
    number: int | None = None
    teams: tuple[Team, ...] = ()
    extra: Extra = EMPTY


@frozen
class Contact:
    """Contact data of a person. **Personal data**: outputs mask it by default."""

    person: str | None = None
    phone: str | None = None
    email: str | None = None


@frozen
class Enterprise:
    """An enterprise served by the campaign."""

    id: str
    uscc: str
    """Unified social credit code (统一社会信用代码), check character validated."""
    name: str
    region: str
    classes: tuple[str, ...] = ()
    """Enterprise classes (规上, 四上, 专精特新, …) as keys the campaign type defines."""
    industry: str | None = None
    contact: Contact | None = None
    """Personal contact data (masked in outputs unless asked for)."""
    extra: Extra = EMPTY


@frozen
class Activity:
    """Something a team did on a day: a visit, a meeting, an inspection, a push."""

    id: str
    kind: str
    date: dt.date
    team: str | None = None
    region: str | None = None
    title: str | None = None
    subject: str | None = None
    """What was visited when it is not an enterprise: a key project, a service hall."""
    enterprises: tuple[str, ...] = ()
    """Enterprises taking part, by id."""
    enterprise_count: int | None = None
    """Number of enterprises taking part when not every one is named (≥ named ones)."""
    officials: int | None = None
    """Number of officials (机关干部) taking part."""
    figures: Mapping[str, int] = EMPTY
    """Counts the activity carries, keyed by figure names the campaign type declares."""
    notes: str | None = None
    extra: Extra = EMPTY

    @property
    def attendance(self) -> int:
        """Enterprises taking part: the declared count, else the named ones."""
        if self.enterprise_count is not None:
            return self.enterprise_count
        return len(self.enterprises)


@frozen
class Deadline:
    """A time limit with an explicit unit, counted from the event that sets it."""

    amount: int
    unit: DeadlineUnit


@frozen
class IssueEvent:
    """One entry in an issue's append-only history.

    ``kind`` is an event kind of the campaign type's lifecycle (``assigned``,
    ``answered_on_spot``, ``taken_back``, ``feedback``, ``supervised``,
    ``escalated``, ``resolved``, ``return_visit``, ``reopened``, ``closed`` …).
    """

    kind: str
    date: dt.date
    time: dt.time | None = None
    level: str | None = None
    """Handling level (e.g. ``county``, ``city``, ``province``) for assignments and escalations."""
    department: str | None = None
    """Responsible unit (责任单位)."""
    deadline: Deadline | None = None
    due: dt.date | None = None
    """An explicit due date (e.g. from a city document), instead of or besides ``deadline``."""
    stage: str | None = None
    """Deadline stage this event concerns (e.g. ``feedback``, ``resolution``)."""
    rating: Satisfaction | None = None
    """Satisfaction given on a return visit."""
    by: str | None = None
    """Who acted: a team id, a person or a unit."""
    rule: str | None = None
    """Escalation rule that proposed this event, when applied from a proposal."""
    note: str | None = None
    extra: Extra = EMPTY


@frozen
class Issue:
    """An issue an enterprise raised (企业反映问题), with its history."""

    id: str
    category: str
    description: str
    channel: str
    raised: dt.date
    enterprise: str | None = None
    team: str | None = None
    activity: str | None = None
    """The activity in which it was raised, if any."""
    legacy: bool = False
    """A legacy issue (历史遗留问题) raised before and still unsolved."""
    events: tuple[IssueEvent, ...] = ()
    extra: Extra = EMPTY


@frozen
class Party:
    """A party to an outcome that is not an enterprise of the ledger: a bank, a university."""

    role: str
    name: str


@frozen
class Outcome:
    """A matchmaking or attraction result: a land quota, a loan, a signed project."""

    id: str
    kind: str
    status: OutcomeStatus
    date: dt.date
    activity: str | None = None
    team: str | None = None
    title: str | None = None
    enterprises: tuple[str, ...] = ()
    parties: tuple[Party, ...] = ()
    amount_yuan: Decimal | None = None
    land_mu: Decimal | None = None
    region: str | None = None
    extra: Extra = EMPTY
