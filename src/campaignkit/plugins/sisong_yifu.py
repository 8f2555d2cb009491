"""The Anhui "四送一服" campaign type (``sisong-yifu``), a built-in plugin.

"四送一服": deliver new development ideas, support policies, innovation
projects and production factors, and serve the real economy. This module
defines its activity kinds, issue categories and channels, outcome kinds,
enterprise classes, metrics (the public metric ids), summary-table layout,
narrative and issue-handling policy.

The policy's time limits are **defaults to adjust**: the province's official
limits are not published in one place; a city's assignment document sets the
real ones, which events record in ``deadline`` or ``due``.
"""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit.hooks.specs import hookimpl
from campaignkit.model.records import Activity, Deadline, DeadlineUnit, Issue, OutcomeStatus
from campaignkit.report.build import ISSUE_FIGURES
from campaignkit.rules.lifecycle import DEFAULT_LIFECYCLE
from campaignkit.rules.policy import DeadlineStage, IssuePolicy, Route
from campaignkit.rules.records import (
    CampaignType,
    ExtraAttribute,
    FigureKey,
    Kind,
    Label,
    MetricDef,
    NarrativeTemplate,
)
from campaignkit.stats.contributions import (
    activities_of,
    activity_enterprises,
    activity_figure,
    issues_where,
    outcome_values,
    outcomes_of,
)
from campaignkit.stats.issue_metrics import coverage_metrics, issue_handling_metrics

__all__ = ["CAMPAIGN_TYPE", "FACTOR_OUTCOMES", "campaignkit_campaign_types"]

KEY = "sisong-yifu"


def _k(key: str, zh: str, en: str, doc: str = "") -> Kind:
    return Kind(key, Label(zh, en), doc)


ACTIVITY_KINDS = (
    _k("kickoff", "部署会", "kickoff meeting"),
    _k("training", "培训", "training"),
    _k("enterprise_visit", "走访企业", "enterprise visit"),
    _k("key_project_visit", "走访重点项目", "key project visit", "subject: the project visited"),
    _k("symposium", "座谈会", "symposium"),
    _k("policy_briefing", "宣讲大会", "policy briefing"),
    _k("assignment_meeting", "集中交办会", "centralised assignment meeting"),
    _k("onsite_assignment_meeting", "现场交办会", "on-site assignment meeting"),
    _k("supervision_meeting", "督办会", "supervision meeting"),
    _k("unannounced_inspection", "暗访服务大厅", "unannounced inspection", "subject: the hall"),
    _k("return_visit", "回访", "return visit"),
    _k("matchmaking_meeting", "要素对接会", "factor matchmaking meeting"),
    _k("investment_visit", "招商考察", "investment visit"),
    _k("media_report", "媒体报道", "media report", "extra.media_level: national … county"),
    _k("publicity_push", "微信推送", "publicity push"),
    _k("material_distribution", "发放政策材料", "material distribution"),
)

ISSUE_CATEGORIES = (
    _k("labour", "用工", "labour"),
    _k("finance", "融资", "finance"),
    _k("land", "用地", "land"),
    _k("policy", "政策落实", "policy implementation"),
    _k("approval", "审批服务", "approvals and services"),
    _k("infrastructure", "基础设施", "infrastructure"),
    _k("utilities", "水电气", "utilities"),
    _k("market", "市场开拓", "markets"),
    _k("technology", "科技创新", "technology and innovation"),
    _k("tax", "税费", "tax and fees"),
    _k("environment", "环保", "environment"),
    _k("other", "其他", "other"),
)

ISSUE_CHANNELS = (
    _k("visit", "走访", "visit"),
    _k("meeting", "座谈会议", "meeting"),
    _k("platform", "综合服务平台", "online platform"),
    _k("inspection", "明察暗访", "inspection"),
    _k("phone", "电话", "phone"),
    _k("wechat", "微信", "WeChat"),
    _k("walk_in", "来访", "walk-in"),
)

OUTCOME_KINDS = (
    _k("land_quota", "土地指标", "land quota"),
    _k("financing", "银企对接融资", "bank–enterprise financing"),
    _k("iur_project", "产学研项目", "industry–university–research project"),
    _k("export_matching", "出口产品对接", "export matching"),
    _k("investment_project", "招商项目", "investment project"),
    _k("talent", "人才引进", "talent"),
)

FACTOR_OUTCOMES = ("land_quota", "financing", "iur_project", "export_matching", "talent")
"""Outcome kinds that are factor matchmaking (要素对接); their money is ``factor_funds``."""

ENTERPRISE_CLASSES = (
    _k("above_scale", "规上", "above designated size"),
    _k("four_above", "四上", "four-above"),
    _k("specialized", "专精特新", "specialised and innovative"),
    _k("little_giant", "小巨人", "little giant"),
    _k("sme", "中小微", "small, medium and micro"),
    _k("listed", "上市", "listed"),
    _k("exporter", "出口", "exporter"),
)

FIGURES = (
    FigureKey("copies", Label("发放份数", "copies handed out"), Label("份", "copies")),
    FigureKey("group_members", Label("入群企业", "enterprises in group"), Label("家", "")),
)

MEDIA_LEVELS = ("national", "provincial", "city", "county")
MEDIA_LEVEL_LABELS = (
    ("national", Label("国家级", "national")),
    ("provincial", Label("省级", "provincial")),
    ("city", Label("市级", "city")),
    ("county", Label("县级", "county")),
)
"""What workbooks show and accept for each media level (``extra.media_level``)."""

EXTRA_ATTRIBUTES = (
    ExtraAttribute(
        "activity",
        "media_level",
        "str",
        Label("媒体级别", "media level"),
        choices=MEDIA_LEVELS,
        kinds=("media_report",),
        required=True,
        choice_labels=MEDIA_LEVEL_LABELS,
    ),
    ExtraAttribute("activity", "outlet", "str", Label("媒体", "outlet"), kinds=("media_report",)),
    ExtraAttribute(
        "activity",
        "partner",
        "str",
        Label("联办单位", "partner"),
        kinds=("symposium", "matchmaking_meeting", "policy_briefing"),
    ),
    ExtraAttribute("issue", "document", "str", Label("交办文件", "assignment document")),
)

_JIA = Label("家", "")
_GE = Label("个", "")
_CHANG = Label("场", "")


def _provincial_media(a: Activity) -> bool:
    return a.extra.get("media_level") in ("national", "provincial")


def _subject(a: Activity) -> str:
    return a.subject or a.id


def _issue_enterprise(issue: Issue) -> str | None:
    return issue.enterprise


HEADLINE_METRICS = (
    MetricDef(
        "enterprises_visited",
        Label("走访企业", "enterprises visited"),
        _JIA,
        activity_enterprises("enterprise_visit"),
        "distinct",
        doc="Distinct enterprises named in enterprise visits.",
    ),
    MetricDef(
        "key_projects_visited",
        Label("走访重点项目", "key projects visited"),
        _GE,
        activities_of("key_project_visit", distinct=_subject),
        "distinct",
        doc="Distinct projects (activity subject) in key-project visits.",
    ),
    MetricDef("symposiums", Label("座谈会", "symposiums"), _CHANG, activities_of("symposium")),
    MetricDef(
        "symposium_enterprises",
        Label("座谈会参加企业", "symposium attendance"),
        _JIA,
        activities_of("symposium", value=lambda a: a.attendance),
        "sum",
        doc="Enterprise attendances summed over symposiums.",
    ),
    MetricDef(
        "briefings", Label("宣讲大会", "policy briefings"), _CHANG, activities_of("policy_briefing")
    ),
    MetricDef(
        "briefing_enterprises",
        Label("宣讲参加企业", "briefing attendance"),
        _JIA,
        activities_of("policy_briefing", value=lambda a: a.attendance),
        "sum",
    ),
    MetricDef(
        "assignment_meetings",
        Label("集中交办会", "assignment meetings"),
        _CHANG,
        activities_of("assignment_meeting"),
    ),
    MetricDef(
        "assignment_meeting_enterprises",
        Label("交办会参加企业", "assignment meeting enterprises"),
        _JIA,
        activities_of("assignment_meeting", value=lambda a: a.attendance),
        "sum",
    ),
    MetricDef(
        "assignment_meeting_officials",
        Label("交办会机关干部", "assignment meeting officials"),
        Label("人", ""),
        activities_of("assignment_meeting", value=lambda a: a.officials or 0),
        "sum",
    ),
    MetricDef(
        "service_halls_inspected",
        Label("暗访服务大厅", "service halls inspected"),
        _GE,
        activities_of("unannounced_inspection", distinct=_subject),
        "distinct",
        doc="Distinct halls (activity subject) inspected unannounced.",
    ),
    MetricDef(
        "return_visits",
        Label("回访企业", "enterprises return-visited"),
        _JIA,
        activity_enterprises("return_visit"),
        "distinct",
    ),
    MetricDef(
        "investment_projects",
        Label("招商项目", "investment projects"),
        _GE,
        outcomes_of(
            "investment_project", statuses=frozenset(OutcomeStatus) - {OutcomeStatus.CANCELLED}
        ),
        doc="Investment projects brought, in any status but cancelled.",
    ),
    MetricDef(
        "investment_amount",
        Label("拟投资", "intended investment"),
        Label("元", "yuan"),
        outcome_values(
            "amount_yuan",
            "investment_project",
            statuses=frozenset(OutcomeStatus) - {OutcomeStatus.CANCELLED},
        ),
        "sum",
        value_kind="yuan",
    ),
    MetricDef("issues_collected", Label("收集问题", "issues collected"), _GE, issues_where()),
    MetricDef(
        "materials_distributed",
        Label("发放政策清单和名片", "materials handed out"),
        Label("份", "copies"),
        activity_figure("copies"),
        "sum",
    ),
    MetricDef(
        "media_reports",
        Label("省级以上媒体报道", "media reports (provincial and above)"),
        Label("篇", ""),
        activities_of("media_report", where=_provincial_media),
    ),
    MetricDef(
        "matchmaking_meetings",
        Label("要素对接会", "matchmaking meetings"),
        _CHANG,
        activities_of("matchmaking_meeting"),
    ),
    MetricDef(
        "land_mu",
        Label("解决土地指标", "land quota resolved"),
        Label("亩", "mu"),
        outcome_values("land_mu", "land_quota"),
        "sum",
        value_kind="mu",
    ),
    MetricDef(
        "iur_projects_signed",
        Label("签订产学研项目", "IUR projects signed"),
        _GE,
        outcomes_of("iur_project"),
    ),
    MetricDef(
        "factor_funds",
        Label("要素涉及资金", "factor funds"),
        Label("元", "yuan"),
        outcome_values("amount_yuan", *FACTOR_OUTCOMES),
        "sum",
        value_kind="yuan",
        doc="Money of signed or landed factor-matchmaking outcomes.",
    ),
)

DETAIL_METRICS = (
    MetricDef(
        "financing_amount",
        Label("银企签约金额", "bank–enterprise financing signed"),
        Label("元", "yuan"),
        outcome_values("amount_yuan", "financing"),
        "sum",
        value_kind="yuan",
    ),
    MetricDef(
        "financing_enterprises",
        Label("银企签约企业", "enterprises signing financing"),
        _JIA,
        outcomes_of("financing"),
    ),
    MetricDef(
        "land_enterprises",
        Label("解决用地企业", "enterprises granted land quota"),
        _JIA,
        outcomes_of("land_quota"),
    ),
    MetricDef(
        "export_matched_enterprises",
        Label("出口对接企业", "enterprises in export matching"),
        _JIA,
        outcomes_of("export_matching"),
    ),
    MetricDef(
        "iur_amount",
        Label("产学研签约资金", "IUR funds signed"),
        Label("元", "yuan"),
        outcome_values("amount_yuan", "iur_project"),
        "sum",
        value_kind="yuan",
    ),
    MetricDef(
        "issue_enterprises",
        Label("反映问题企业", "enterprises raising issues"),
        _JIA,
        issues_where(distinct=_issue_enterprise),
        "distinct",
        doc="Distinct enterprises that raised at least one issue.",
    ),
    MetricDef(
        "policy_pushes",
        Label("微信群推送政策", "policy pushes"),
        Label("次", ""),
        activities_of("publicity_push"),
    ),
    MetricDef(
        "all_media_reports",
        Label("各类媒体报道", "media reports (all levels)"),
        Label("篇", ""),
        activities_of("media_report"),
    ),
    MetricDef(
        "investment_visits",
        Label("招商考察批次", "investment visit batches"),
        Label("批", ""),
        activities_of("investment_visit"),
    ),
    MetricDef(
        "supervision_meetings",
        Label("督办会", "supervision meetings"),
        _CHANG,
        activities_of("supervision_meeting"),
    ),
    MetricDef(
        "onsite_assignment_meetings",
        Label("现场交办会", "on-site assignment meetings"),
        _CHANG,
        activities_of("onsite_assignment_meeting"),
    ),
)

SUMMARY_COLUMNS = tuple(m.id for m in HEADLINE_METRICS)

NARRATIVE = NarrativeTemplate(
    zh=(
        "截止到{as_of}，工作组实地走访企业{enterprises_visited}家，走访重点项目{key_projects_visited}个",
        "召开政协委员、人大代表各类座谈会{symposiums}场、参加企业{symposium_enterprises}家",
        "召开集中宣讲大会{briefings}场，参加企业{briefing_enterprises}家",
        "集中交办会{assignment_meetings}场，参加企业{assignment_meeting_enterprises}家，机关干部{assignment_meeting_officials}人",
        "暗访各类服务大厅{service_halls_inspected}个",
        "回访去年反映问题企业{return_visits}家",
        "送招商具体项目{investment_projects}个，拟投资{investment_amount}",
        "收集企业反映问题{issues_collected}个",
        "发放{materials_distributed}份政策清单和省“四送一服”平台名片",
        "省级以上媒体报道{media_reports}篇",
        "与{host}政府联合举办各类要素对接会{matchmaking_meetings}场，解决土地指标{land_mu}，"
        "签订产学研项目{iur_projects_signed}个，要素涉及资金{factor_funds}",
    ),
    en=(
        "As of {as_of}, the working group had visited {enterprises_visited} enterprises and "
        "{key_projects_visited} key projects",
        "held {symposiums} symposiums with {symposium_enterprises} enterprise attendances",
        "held {briefings} policy briefings attended by {briefing_enterprises} enterprises",
        "held {assignment_meetings} assignment meetings with {assignment_meeting_enterprises} "
        "enterprises and {assignment_meeting_officials} officials",
        "inspected {service_halls_inspected} service halls unannounced",
        "return-visited {return_visits} enterprises",
        "brought {investment_projects} investment projects with intended investment of "
        "{investment_amount}",
        "collected {issues_collected} issues",
        "handed out {materials_distributed} policy lists and platform cards",
        "was covered by {media_reports} provincial or national media reports",
        "held {matchmaking_meetings} factor matchmaking meetings with the {host} government, "
        "resolving {land_mu} of land quota, signing {iur_projects_signed} "
        "industry–university–research projects and involving {factor_funds} in funds",
    ),
)

_WD = DeadlineUnit.WORKING_DAYS

POLICY = IssuePolicy(
    levels=("county", "city", "province"),
    level_labels=(
        ("county", Label("县区", "county/district")),
        ("city", Label("市级", "city")),
        ("province", Label("省级", "province")),
    ),
    stages=(
        DeadlineStage(
            "response",
            Label("首次响应", "first response"),
            start=("assigned", "escalated"),
            stop=("feedback", "taken_back", "answered_on_spot", "resolved", "closed_unresolved"),
            default=Deadline(2, _WD),
        ),
        DeadlineStage(
            "resolution",
            Label("限时办结", "resolution"),
            start=("assigned", "escalated", "reopened"),
            stop=("resolved", "answered_on_spot", "closed_unresolved"),
            default=Deadline(15, _WD),
            limits=(
                ("county", Deadline(10, _WD)),
                ("city", Deadline(15, _WD)),
                ("province", Deadline(20, _WD)),
            ),
        ),
    ),
    warn_before=Deadline(1, _WD),
    supervise_after=Deadline(0, _WD),
    escalate_after=Deadline(5, _WD),
    legacy_meeting_within=Deadline(10, _WD),
    reopen_on_dissatisfied=True,
    # the actions taken on a running clock: what overdue lists and the card rules read
    actions=("warned", "marked_overdue", "supervised", "escalated", "meeting_called"),
    routes=(
        Route("county", "{county}“四送一服”办公室", reason="默认由属地县区统筹交办"),
        Route(
            "county",
            "{county}人力资源和社会保障局",
            category="labour",
            reason="招工用工、技能培训由属地人社部门办理",
        ),
        Route(
            "city",
            "{city}地方金融监督管理局",
            category="finance",
            reason="融资对接由市金融监管局协调",
        ),
        Route("city", "{city}自然资源和规划局", category="land", reason="用地指标由市级统筹"),
        Route("county", "{county}发展和改革委员会", category="policy", reason="政策兑现属地落实"),
        Route(
            "county",
            "{county}数据资源管理局",
            category="approval",
            reason="审批服务属地政务服务中心",
        ),
        Route("county", "{county}住房和城乡建设局", category="infrastructure"),
        Route(
            "city", "{city}发展和改革委员会", category="utilities", reason="水电气保障由市级协调"
        ),
        Route("city", "{city}商务局", category="market"),
        Route("city", "{city}科学技术局", category="technology"),
        Route("county", "{county}税务局", category="tax"),
        Route("city", "{city}生态环境局", category="environment"),
    ),
    level_offices=(
        ("county", "{county}“四送一服”办公室"),
        ("city", "{city}“四送一服”办公室"),
        ("province", "省“四送一服”办公室"),
    ),
    on_time_stage="resolution",
)

CAMPAIGN_TYPE = CampaignType(
    key=KEY,
    label=Label("“四送一服”专项行动", "Four Sends, One Service special action"),
    activity_kinds=ACTIVITY_KINDS,
    issue_categories=ISSUE_CATEGORIES,
    issue_channels=ISSUE_CHANNELS,
    outcome_kinds=OUTCOME_KINDS,
    enterprise_classes=ENTERPRISE_CLASSES,
    metrics=(*HEADLINE_METRICS, *DETAIL_METRICS, *issue_handling_metrics(), *coverage_metrics()),
    summary_columns=SUMMARY_COLUMNS,
    lifecycle=DEFAULT_LIFECYCLE,
    policy=POLICY,
    narrative=NARRATIVE,
    figures=FIGURES,
    # the issue-handling table of a report and the titles of its sections
    issue_figures=ISSUE_FIGURES,
    titles=(("outcomes", Label("要素对接与招商成果", "Outcomes by kind")),),
    extra_attributes=EXTRA_ATTRIBUTES,
    doc=__doc__ or "",
)


@hookimpl
def campaignkit_campaign_types() -> Iterator[CampaignType]:
    """Register the 四送一服 campaign type."""
    yield CAMPAIGN_TYPE
