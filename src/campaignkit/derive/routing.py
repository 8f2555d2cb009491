"""Routing: which level and department handle an issue, and why.

A campaign type's policy lists :class:`~campaignkit.rules.policy.Route` entries.
The most specific matching route wins: category and region, then category
alone, then region alone, then the default (neither). A route's region
matches the region itself and every region below it; a nearer region is more
specific than a farther one. Among equally specific routes the first listed
wins. Every choice carries an explanation in Chinese and English.

In a department name, ``{county}`` and ``{city}`` are replaced by the names of
the issue's county/district and city (e.g. ``{county}人力资源和社会保障局`` →
``田家庵区人力资源和社会保障局``); when the region is unknown they read
``县区`` and ``市``.
"""

from __future__ import annotations

from typing import Literal

from attrs import frozen

from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Issue
from campaignkit.rules.policy import Route
from campaignkit.rules.records import CampaignType, Label

__all__ = ["MATCH_LABELS", "RouteChoice", "issue_region", "route", "route_issue"]

Match = Literal["category+region", "category", "region", "default", "none"]

MATCH_LABELS: dict[str, Label] = {
    "category+region": Label("类别+地区", "category and region"),
    "category": Label("类别", "category"),
    "region": Label("地区", "region"),
    "default": Label("默认", "default"),
    "none": Label("无", "no"),
}
"""How specific a match was, in Chinese and English."""


@frozen
class RouteChoice:
    """The level and department chosen for an issue, with the route behind the choice."""

    level: str
    department: str | None
    match: Match
    route: Route | None
    explanation: Label

    def explain(self, lang: str = "zh") -> str:
        """Why this level and department, in ``lang``."""
        return self.explanation.get(lang)


def _ancestors(ledger: Ledger | None, region: str | None) -> list[str]:
    """``region`` and the regions above it, nearest first."""
    chain: list[str] = []
    code = region
    while code is not None and code not in chain and len(chain) < 16:
        chain.append(code)
        found = ledger.region_index.get(code) if ledger is not None else None
        code = found.parent if found is not None else None
    return chain


def _fill(template: str, ledger: Ledger | None, region: str | None) -> str:
    if "{" not in template:
        return template
    county = city = None
    if ledger is not None:
        for code in _ancestors(ledger, region):
            r = ledger.region_index.get(code)
            if r is None:
                continue
            if county is None and r.level in ("county", "zone"):
                county = r.name
            if city is None and r.level == "city":
                city = r.name
    return template.replace("{county}", county or "县区").replace("{city}", city or "市")


def issue_region(issue: Issue, ledger: Ledger) -> str | None:
    """The region an issue belongs to: its enterprise's, else its activity's."""
    if issue.enterprise is not None:
        ent = ledger.enterprise_index.get(issue.enterprise)
        if ent is not None:
            return ent.region
    if issue.activity is not None:
        act = ledger.activity_index.get(issue.activity)
        if act is not None and act.region is not None:
            return act.region
    return None


def route(
    campaign_type: CampaignType,
    category: str,
    region: str | None,
    ledger: Ledger | None = None,
    *,
    level: str | None = None,
) -> RouteChoice:
    """Choose the level and department for an issue of ``category`` in ``region``.

    ``ledger`` gives the region hierarchy and names (without it only exact
    region codes match). ``level`` restricts the choice to routes at that level
    (used when an issue is raised a level); without a matching route the
    level's office from the policy (``level_offices``) is chosen.
    """
    policy = campaign_type.policy
    chain = _ancestors(ledger, region)
    best: tuple[tuple[int, int, int], Route] | None = None
    for r in policy.routes:
        if level is not None and r.level != level:
            continue
        if r.category is not None and r.category != category:
            continue
        if r.region is not None and r.region not in chain:
            continue
        distance = chain.index(r.region) if r.region is not None else len(chain)
        score = (int(r.category is not None), int(r.region is not None), -distance)
        if best is None or score > best[0]:
            best = (score, r)
    cat_zh = campaign_type.label_of("issue_categories", category, "zh")
    cat_en = campaign_type.label_of("issue_categories", category, "en")
    where_zh = f"（{ledger.region_name(region) if ledger else region}）" if region else ""
    where_en = f" in {ledger.region_name(region) if ledger else region}" if region else ""
    if best is None:
        chosen = level or (policy.levels[0] if policy.levels else "")
        office = policy.level_office(chosen)
        department = _fill(office, ledger, region) if office else None
        unit_zh = department or "（未指定单位）"
        unit_en = department or "(no unit named)"
        return RouteChoice(
            level=chosen,
            department=department,
            match="none",
            route=None,
            explanation=Label(
                f"“{cat_zh}”问题{where_zh}没有匹配的路由规则，"
                f"交{policy.level_label(chosen, 'zh')}{unit_zh}办理",
                f"no route matches a {cat_en} issue{where_en}; handled at "
                f"{policy.level_label(chosen, 'en')} level by {unit_en}",
            ),
        )
    r = best[1]
    match: Match
    if r.category is not None and r.region is not None:
        match = "category+region"
    elif r.category is not None:
        match = "category"
    elif r.region is not None:
        match = "region"
    else:
        match = "default"
    department = _fill(r.department, ledger, region)
    label = MATCH_LABELS[match]
    scope_zh = f"（{ledger.region_name(r.region) if ledger else r.region}）" if r.region else ""
    scope_en = f" ({ledger.region_name(r.region) if ledger else r.region})" if r.region else ""
    reason_zh = f"：{r.reason}" if r.reason else ""
    reason_en = f": {r.reason}" if r.reason else ""
    return RouteChoice(
        level=r.level,
        department=department,
        match=match,
        route=r,
        explanation=Label(
            f"“{cat_zh}”问题{where_zh}按{label.zh}规则{scope_zh}交"
            f"{policy.level_label(r.level, 'zh')}{department}办理{reason_zh}",
            f"{cat_en} issue{where_en}: {label.en} route{scope_en} assigns it to "
            f"{department} at {policy.level_label(r.level, 'en')} level{reason_en}",
        ),
    )


def route_issue(
    issue: Issue, campaign_type: CampaignType, ledger: Ledger, *, level: str | None = None
) -> RouteChoice:
    """:func:`route` for an issue of ``ledger`` (region from its enterprise or activity)."""
    return route(campaign_type, issue.category, issue_region(issue, ledger), ledger, level=level)
