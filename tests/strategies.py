"""Hypothesis strategies for valid ledgers (used by round-trip and invariant tests)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

import campaignkit as ck
from campaignkit.ledgerfile.regions import load_regions
from campaignkit.model.ledger import Ledger
from campaignkit.model.limits import visible
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from tests.conftest import uscc

START = date(2020, 4, 12)
END = date(2020, 5, 12)
REGIONS = load_regions("anhui-huainan")
COUNTIES = [r.code for r in REGIONS if r.level in ("county", "zone")]
TEAMS = (
    ck.Team("T1", "第一小组", ck.TeamKind.STATIONED, tuple(COUNTIES[:3])),
    ck.Team("T2", "第二小组", ck.TeamKind.STATIONED, tuple(COUNTIES[3:6])),
    ck.Team("T5", "机动小组", ck.TeamKind.MOBILE),
)
KINDS = [k.key for k in CAMPAIGN_TYPE.activity_kinds if k.key != "media_report"]
CATEGORIES = [k.key for k in CAMPAIGN_TYPE.issue_categories]
CHANNELS = [k.key for k in CAMPAIGN_TYPE.issue_channels]
OUTCOME_KINDS = [k.key for k in CAMPAIGN_TYPE.outcome_kinds]
CLASSES = [k.key for k in CAMPAIGN_TYPE.enterprise_classes]

text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20
).filter(lambda s: s.strip() != "")
"""Free text (a description, a note, a title): anything but surrogates."""
names = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cf", "Cs", "Co", "Zl", "Zp"]),
    min_size=1,
    max_size=20,
).filter(visible)
"""A name, id or code: no character that does not show, at least one that does."""
days = st.integers(0, (END - START).days).map(lambda n: START + timedelta(days=n))
amounts = st.decimals(
    min_value=0, max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def histories(draw: st.DrawFn, raised: date) -> tuple[ck.IssueEvent, ...]:
    """A legal event history starting at ``raised``."""
    day = raised
    events: list[ck.IssueEvent] = []

    def later() -> date:
        nonlocal day
        day = day + timedelta(days=draw(st.integers(0, 6)))
        return day

    path = draw(
        st.sampled_from(["none", "spot", "assign", "resolve", "visit", "reopen", "escalate"])
    )
    if path == "none":
        return ()
    if path == "spot":
        return (ck.IssueEvent("answered_on_spot", later()),)
    events.append(ck.IssueEvent("assigned", later(), level="county", department=draw(names)))
    if path == "escalate":
        events.append(ck.IssueEvent("escalated", later(), level="city", department="市政府办"))
        return tuple(events)
    if path == "assign":
        return tuple(events)
    events.append(ck.IssueEvent("resolved", later()))
    if path in ("visit", "reopen"):
        rating = draw(st.sampled_from(list(ck.Satisfaction)))
        events.append(ck.IssueEvent("return_visit", later(), rating=rating))
    if path == "reopen":
        events.append(ck.IssueEvent("reopened", later(), note=draw(text)))
    return tuple(events)


@st.composite
def ledgers(draw: st.DrawFn, max_records: int = 12) -> Ledger:
    """A valid 四送一服 ledger with random records."""
    n_ent = draw(st.integers(1, max_records))
    enterprises = tuple(
        ck.Enterprise(
            id=f"E{i:04d}",
            uscc=uscc(i + 1),
            name=draw(names),
            region=draw(st.sampled_from(COUNTIES)),
            classes=tuple(draw(st.lists(st.sampled_from(CLASSES), max_size=3, unique=True))),
            industry=draw(st.none() | names),
            contact=draw(
                st.none()
                | st.builds(
                    ck.Contact, person=st.none() | names, phone=st.none() | st.just("13812345678")
                )
            ),
        )
        for i in range(n_ent)
    )
    ent_ids = [e.id for e in enterprises]
    activities = []
    for i in range(draw(st.integers(0, max_records))):
        kind = draw(st.sampled_from(KINDS))
        named = tuple(draw(st.lists(st.sampled_from(ent_ids), min_size=1, max_size=4, unique=True)))
        activities.append(
            ck.Activity(
                id=f"A{i:04d}",
                kind=kind,
                date=draw(days),
                team=draw(st.sampled_from([t.id for t in TEAMS])),
                region=draw(st.none() | st.sampled_from(COUNTIES)),
                enterprises=named,
                enterprise_count=draw(st.none() | st.integers(len(named), 500)),
                officials=draw(st.none() | st.integers(0, 50)),
                figures=draw(st.dictionaries(st.just("copies"), st.integers(0, 10_000))),
                title=draw(st.none() | text),
            )
        )
    issues = []
    for i in range(draw(st.integers(0, max_records))):
        raised = draw(days)
        issues.append(
            ck.Issue(
                id=f"I{i:04d}",
                category=draw(st.sampled_from(CATEGORIES)),
                description=draw(text),
                channel=draw(st.sampled_from(CHANNELS)),
                raised=raised,
                enterprise=draw(st.none() | st.sampled_from(ent_ids)),
                legacy=draw(st.booleans()),
                events=draw(histories(raised)),
            )
        )
    outcomes = tuple(
        ck.Outcome(
            id=f"O{i:04d}",
            kind=draw(st.sampled_from(OUTCOME_KINDS)),
            status=draw(st.sampled_from(list(ck.OutcomeStatus))),
            date=draw(days),
            team=draw(st.none() | st.sampled_from([t.id for t in TEAMS])),
            enterprises=tuple(draw(st.lists(st.sampled_from(ent_ids), max_size=2, unique=True))),
            amount_yuan=draw(st.none() | amounts),
            land_mu=draw(st.none() | amounts),
        )
        for i in range(draw(st.integers(0, max_records)))
    )
    campaign = ck.Campaign(
        id="h-2020",
        type="sisong-yifu",
        name=draw(names),
        period=ck.Period(START, END),
        host_province="340000",
        scope=ck.Scope(
            enterprise_classes=("sme",), regions=tuple(COUNTIES[:7]), zones=tuple(COUNTIES[7:])
        ),
    )
    group = ck.WorkGroup(
        "G7", "第七工作组", "省工商联", 15, "340400", ck.Period(START, END), 7, TEAMS
    )
    return Ledger(
        campaign=campaign,
        regions=REGIONS,
        work_groups=(group,),
        enterprises=enterprises,
        activities=tuple(activities),
        issues=tuple(issues),
        outcomes=outcomes,
    )
