"""The kinds a 2115 ledger uses: activities, request categories and channels, outcomes,
and the work-order number (工单号) requests and their handling records carry."""

from __future__ import annotations

from campaignkit.plugins import ExtraAttribute, Kind, Label

__all__ = [
    "ACTIVITY_KINDS",
    "ENTERPRISE_CLASSES",
    "EXTRA_ATTRIBUTES",
    "HOTLINE",
    "ISSUE_CATEGORIES",
    "ISSUE_CHANNELS",
    "OUTCOME_KINDS",
    "TICKET",
    "TICKET_LABEL",
]


def _k(key: str, zh: str, en: str, doc: str = "") -> Kind:
    return Kind(key, Label(zh, en), doc)


HOTLINE = "hotline"
"""The channel of requests made to the enterprise hotline: they carry their work-order
number and the hotline dispatches them (派单)."""

TICKET = "ticket"
"""The name of the work-order number in ``extra``, on requests and on handling records."""

TICKET_LABEL = Label("工单号", "work-order number")

ACTIVITY_KINDS = (
    _k("enterprise_visit", "入企走访", "enterprise visit", "a service officer visits enterprises"),
    _k("symposium", "政企座谈会", "government–enterprise symposium"),
    _k("hotline_promotion", "热线进企业宣传", "hotline promotion", "the hotline presented"),
)

ISSUE_CATEGORIES = (
    _k("policy", "政策咨询", "policy questions"),
    _k("approval", "审批服务", "approvals and services"),
    _k("financing", "融资", "financing"),
    _k("labour", "用工", "labour"),
    _k("land", "用地", "land"),
    _k("utilities", "水电气暖", "utilities"),
    _k("market", "市场监管", "market regulation"),
    _k("other", "其他", "other"),
)

ISSUE_CHANNELS = (
    _k(HOTLINE, "2115企业热线", "2115 enterprise hotline"),
    _k("visit", "入企走访", "visit"),
    _k("online", "网上诉求平台", "online request platform"),
    _k("meeting", "座谈会", "symposium"),
)

OUTCOME_KINDS = (
    _k("financing", "融资对接", "financing"),
    _k("policy_funds", "政策资金兑现", "policy funds paid"),
)

ENTERPRISE_CLASSES = (
    _k("above_scale", "规上企业", "above designated size"),
    _k("specialized", "专精特新", "specialised and innovative"),
    _k("sme", "中小微企业", "small, medium and micro"),
)

EXTRA_ATTRIBUTES = (
    # every request from the hotline carries its work-order number; other channels may
    ExtraAttribute(
        "issue",
        TICKET,
        "str",
        TICKET_LABEL,
        required=True,
        required_channels=(HOTLINE,),
    ),
    # the dispatch (派单) and the phone urging (催办) record the work order they concern
    ExtraAttribute("event", TICKET, "str", TICKET_LABEL, kinds=("assigned", "urged")),
)
