"""The report formats of the 2115 campaign type: one built-in format replaced, one wrapped.

``text`` (replaced)
    for this campaign type only, the terminal text report is the hotline's bulletin
    (企业诉求办理情况通报): overview, the request figures the type lists, how each
    time limit stands, the cards, urging and supervision taken, and the requests by
    category. Every other campaign type keeps the built-in text report.
``markdown`` (wrapped)
    for this campaign type only, the built-in Markdown report followed by a table of
    how each time limit stands and the actions taken on running limits. The built-in
    format is found through ``manager.replaced``: this one calls it and adds to its output.

Both only show figures of the :class:`~campaignkit.plugins.Report` they are given and
the clocks of its requests as of its date, in the report's language.
"""

from __future__ import annotations

import campaignkit as ck
from campaignkit.derive.clocks import ClockStatus
from campaignkit.derive.deadlines import deadline_text
from campaignkit.errors import CampaignkitError
from campaignkit.plugins import Label, RenderOptions, Report, ReportFormatter
from campaignkit.stats.narrative import format_number
from campaignkit_shandong.campaign_type import KEY
from campaignkit_shandong.limits import StageTally, actions_taken, stage_tallies
from campaignkit_shandong.messages import words

__all__ = ["BULLETIN", "FORMATS", "MARKDOWN", "render_bulletin", "render_markdown"]


def _lang(options: RenderOptions) -> str:
    return "en" if options.lang == "en" else "zh"


def _title(report: Report, key: str, lang: str) -> str:
    """The campaign type's title of report section ``key``."""
    return next(label.get(lang) for name, label in report.campaign_type.titles if name == key)


def _day(report: Report, lang: str) -> str:
    day = report.as_of
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _limit_words(tally: StageTally, report: Report, lang: str) -> dict[str, object]:
    policy = report.campaign_type.policy
    return {
        "stage": tally.stage.label,
        "limit": deadline_text(tally.stage.default, lang),
        "warn": deadline_text(policy.warn_before_for(tally.stage.key), lang),
        "met": tally.count(ClockStatus.MET),
        "missed": tally.count(ClockStatus.MISSED),
        "running": tally.running,
        "due_soon": tally.count(ClockStatus.DUE_SOON),
        "overdue": tally.count(ClockStatus.OVERDUE),
    }


def render_bulletin(report: Report, options: RenderOptions) -> bytes:
    """The hotline's bulletin (企业诉求办理情况通报) as UTF-8 text."""
    lang = _lang(options)
    lines = [
        words("shandong.report.title", lang, campaign=report.ledger.campaign.name),
        words("shandong.report.as-of", lang, day=_day(report, lang)),
        "",
        words("shandong.report.overview", lang),
        "  " + report.narrative,
        "",
        words("shandong.report.figures", lang, title=_title(report, "issue_handling", lang)),
    ]
    for result in report.issue_figures.values():
        value = (
            "—"
            if result.value is None
            else format_number(result.value, result.value_kind, result.unit, lang)
        )
        lines.append(
            "  " + words("shandong.report.figure-line", lang, label=result.label, value=value)
        )
    lines += ["", words("shandong.report.limits", lang)]
    lines += [
        "  " + words("shandong.report.limit-line", lang, **_limit_words(t, report, lang))
        for t in stage_tallies(report)
    ]
    lines += ["", words("shandong.report.actions", lang)]
    lifecycle = report.campaign_type.lifecycle
    lines += [
        "  "
        + words(
            "shandong.report.action-line",
            lang,
            action=lifecycle.event_label(kind, lang),
            count=count,
        )
        for kind, count in actions_taken(report)
    ]
    lines += [
        "",
        words(
            "shandong.report.categories", lang, title=_title(report, "summary_by_category", lang)
        ),
    ]
    for bd in report.breakdowns:
        if bd.metric == "issues_collected" and bd.by == "category":
            lines += [
                "  "
                + words(
                    "shandong.report.category-line",
                    lang,
                    category=row.label,
                    count=row.result.value,
                )
                for row in bd.rows
            ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _markdown_section(report: Report, lang: str) -> str:
    columns = words("shandong.markdown.columns", lang).split("|")
    rows = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for tally in stage_tallies(report):
        got = _limit_words(tally, report, lang)
        cells = [
            tally.stage.label.get(lang),
            str(got["limit"]),
            str(got["warn"]),
            *(str(got[k]) for k in ("met", "missed", "due_soon", "overdue")),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    lifecycle = report.campaign_type.lifecycle
    separator = "、" if lang == "zh" else ", "
    taken = separator.join(
        f"{lifecycle.event_label(kind, lang)} {count}" for kind, count in actions_taken(report)
    )
    actions = words("shandong.markdown.actions", lang, actions=taken)
    heading = words("shandong.markdown.heading", lang)
    return "\n".join(["", f"## {heading}", "", *rows, "", actions, ""])


def render_markdown(report: Report, options: RenderOptions) -> bytes:
    """The built-in Markdown report, then how the 2115 limits stand."""
    manager = report.context.manager or ck.get_plugin_manager()
    builtin: ReportFormatter | None = manager.replaced("campaignkit_report_formatters", "markdown")
    if builtin is None:  # nothing to wrap (the built-in formats blocked)
        raise CampaignkitError(words("shandong.markdown.no-built-in", _lang(options)))
    return builtin.render(report, options) + _markdown_section(report, _lang(options)).encode()


BULLETIN = ReportFormatter(
    name="text",
    label=Label("企业诉求办理情况通报", "2115 request bulletin"),
    extension="txt",
    media_type="text/plain; charset=utf-8",
    render=render_bulletin,
    doc="For 2115 ledgers: the hotline's bulletin in place of the built-in text report.",
    campaign_types=(KEY,),
    replaces=True,
)
"""The ``text`` format of 2115 ledgers (the built-in one for every other type)."""

MARKDOWN = ReportFormatter(
    name="markdown",
    label=Label("Markdown(含2115时限)", "Markdown with the 2115 limits"),
    extension="md",
    media_type="text/markdown; charset=utf-8",
    render=render_markdown,
    doc="For 2115 ledgers: the built-in Markdown report and a table of the 2115 limits.",
    campaign_types=(KEY,),
    replaces=True,
)
"""The ``markdown`` format of 2115 ledgers: the built-in one, wrapped."""

FORMATS = (BULLETIN, MARKDOWN)
"""The formats this plugin registers."""
