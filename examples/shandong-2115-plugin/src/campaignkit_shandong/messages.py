"""The plugin's words in Chinese and English, in campaignkit's message catalogue.

Registered once, when the package is imported, under the ``shandong.`` prefix: the
reasons and notes of the escalation rules and the headings and lines the report
formats add. :func:`words` reads one in a language; :func:`both` gives the Chinese and
English an :class:`~campaignkit.plugins.Action` keeps (``reason``, ``reason_en``).
"""

from __future__ import annotations

from campaignkit.i18n.catalogue import Phrase, register

__all__ = ["MESSAGES", "OWNER", "both", "words"]

OWNER = "campaignkit_shandong"

MESSAGES = {
    # -- escalation rules: reasons (both languages) and the notes kept on the events ----
    "shandong.reason.dispatch": (
        "work order {ticket} of {raised} not dispatched yet: dispatched to {department} "
        "in the {time} round",
        "工单{ticket}({raised}受理)尚未派单,{time}批次派至{department}",
    ),
    "shandong.note.dispatch": (
        "2115 dispatch: answer the enterprise within {limit}",
        "2115派单:请于{limit}内联系企业首次响应",
    ),
    "shandong.reason.urge": (
        "{stage} {late} late, more than {after} after the red card: urged by phone",
        "{stage}超期{late},红牌后超过{after}仍未办理,热线电话催办",
    ),
    "shandong.note.urge": (
        "phoned {department} at {time}: {stage} was due {due}",
        "{time}电话催办{department}:{stage}时限{due}已过",
    ),
    "shandong.no-ticket": ("no work order", "无工单"),
    # -- report formats ------------------------------------------------------------------
    "shandong.report.title": ("{campaign}: bulletin", "{campaign} 工作通报"),
    "shandong.report.as-of": ("as of {day}", "截至{day}"),
    "shandong.report.overview": ("1. Overview", "一、总体情况"),
    "shandong.report.figures": ("2. {title}", "二、{title}"),
    "shandong.report.limits": ("3. Time limits", "三、时限执行情况"),
    "shandong.report.actions": ("4. Cards, urging and supervision", "四、亮牌、催办与督办"),
    "shandong.report.categories": ("5. {title}", "五、{title}"),
    "shandong.report.limit-line": (
        "{stage} ({limit}, warned {warn} ahead): {met} met, {missed} missed, {running} running "
        "({due_soon} due soon, {overdue} overdue)",
        "{stage}({limit},提前{warn}预警):按时{met}件,超时{missed}件,计时中{running}件"
        "(即将到期{due_soon}件,已超期{overdue}件)",
    ),
    "shandong.report.figure-line": ("{label}: {value}", "{label}:{value}"),
    "shandong.report.action-line": ("{action}: {count}", "{action}:{count}次"),
    "shandong.report.category-line": ("{category}: {count}", "{category}:{count}件"),
    "shandong.markdown.heading": ("2115 time limits", "2115 时限执行情况"),
    "shandong.markdown.columns": (
        "stage|limit|warned ahead|met|missed|due soon|overdue",
        "时限|时长|提前预警|按时|超时|即将到期|已超期",
    ),
    "shandong.markdown.actions": (
        "Actions recorded up to the report's date: {actions}.",
        "截至统计日已采取的措施:{actions}。",
    ),
    "shandong.markdown.no-built-in": (
        "the markdown format wraps the built-in one, which no plugin registers here",
        "markdown 格式包装内置的 markdown 格式,但这里没有插件注册它",
    ),
}
"""Code → (English, Chinese)."""

for _code, (_en, _zh) in MESSAGES.items():
    register(_code, en=_en, zh=_zh, owner=OWNER)


def words(code: str, lang: str = "zh", **args: object) -> str:
    """The words of ``code`` in ``lang``, with its arguments (labels worded alike)."""
    return Phrase(code, args).text(lang)


def both(code: str, **args: object) -> tuple[str, str]:
    """The words of ``code`` in Chinese and in English."""
    phrase = Phrase(code, args)
    return phrase.text("zh"), phrase.text("en")
