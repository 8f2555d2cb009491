"""The weekly report (工作周报) of 万人助万企, in plain text.

It shows the figures of the :class:`~campaignkit.report.Report` it is given,
plus a few the campaign reports every week (computed through the report's
metric context, so they agree with every other output): issues raised this
week, 问题化解率, 问题销号率, 企业满意率, and the state of each major issue.
"""

from __future__ import annotations

import datetime as dt

from campaignkit.errors import CampaignkitError
from campaignkit.metrics import compute
from campaignkit.narrative import format_value
from campaignkit.report import Report
from campaignkit.types import Label, RenderOptions, ReportFormatter
from campaignkit_henan.campaign_type import KEY
from campaignkit_henan.metrics import is_major

__all__ = ["WEEKLY", "WEEKLY_FIGURES", "render_weekly"]

WEEKLY_FIGURES = (
    "issues_new_this_week",
    "issues_collected",
    "major_issues",
    "issues_resolved",
    "issues_closed_off",
    "resolution_rate",
    "closeoff_rate",
    "satisfaction_rate",
)
"""The figures of the issue section, in order."""

_HEADINGS = {
    "zh": (
        "工作周报",
        "一、总体情况",
        "二、问题办理",
        "三、问题状态",
        "四、重大问题",
        "五、分组情况",
    ),
    "en": (
        "weekly report",
        "1. Overview",
        "2. Issue handling",
        "3. Issue states",
        "4. Major issues",
        "5. By group",
    ),
}


def _day(day: dt.date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _major_lines(report: Report, lang: str) -> list[str]:
    ctype = report.campaign_type
    states = report.context.issue_states()
    lines = []
    for issue in report.ledger.issues:
        if not is_major(issue):
            continue
        state = states[issue.id]
        category = ctype.label_of("issue_categories", issue.category, lang)
        label = ctype.lifecycle.state(state.state).label.get(lang)
        unit = state.department or "—"
        comma = "，" if lang == "zh" else ", "
        lines.append(f"  {issue.id} [{category}] {issue.description} — {label}{comma}{unit}")
    return lines or ["  （无）" if lang == "zh" else "  (none)"]


def render_weekly(report: Report, options: RenderOptions) -> bytes:
    """Render the weekly report as UTF-8 text."""
    lang = "en" if options.lang == "en" else "zh"
    ctype = report.campaign_type
    known = {m.id for m in ctype.metrics}
    missing = [mid for mid in WEEKLY_FIGURES if mid not in known]
    if missing:
        if lang == "en":
            raise CampaignkitError(
                f"the weekly report needs the metrics {', '.join(missing)}; campaign type "
                f"{ctype.key!r} does not define them (campaign type {KEY!r} does)"
            )
        raise CampaignkitError(
            f"工作周报要用指标 {'、'.join(missing)}，活动类型{ctype.label.zh}没有定义"
            f"（活动类型 {KEY} 有）"
        )
    title, overview, issues, states, major, groups = _HEADINGS[lang]
    colon, comma = ("：", "，") if lang == "zh" else (": ", ", ")
    ctx = report.context
    week_start = report.as_of - dt.timedelta(days=6)
    if lang == "zh":
        period = (
            f"统计截至{_day(report.as_of, lang)}"
            f"（本周：{_day(week_start, lang)}至{_day(report.as_of, lang)}）"
        )
    else:
        period = f"As of {report.as_of.isoformat()} (week {week_start.isoformat()} – "
        period += f"{report.as_of.isoformat()})"
    lines = [f"{report.ledger.campaign.name} {title}", period, "", overview]
    lines.append("  " + report.narrative)
    lines += ["", issues]
    for mid in WEEKLY_FIGURES:
        metric = report.campaign_type.metric(mid)
        result = compute(ctx, mid, lang=lang)
        value = format_value(metric, result, lang)
        unit = "" if metric.is_rate else result.unit
        lines.append(f"  {result.label}{colon}{value}{unit}")
    lines += ["", states]
    lines.extend(f"  {s.label}{colon}{s.count}" for s in report.statuses)
    lines += ["", major, *_major_lines(report, lang), "", groups]
    table = report.table
    shown = [c for c in table.columns if c.metric in ("issues_collected", "issues_resolved")]
    for row in (*table.rows, table.total):
        cells = comma.join(f"{c.label} {row.values.get(c.metric)}" for c in shown)
        lines.append(f"  {row.label}{colon}{cells}")
    return ("\n".join(lines) + "\n").encode("utf-8")


WEEKLY = ReportFormatter(
    name="henan-weekly",
    label=Label("万人助万企工作周报", "万人助万企 weekly report"),
    extension="txt",
    media_type="text/plain; charset=utf-8",
    render=render_weekly,
    doc=__doc__ or "",
)
"""The weekly report formatter (``--format henan-weekly``)."""
