"""The headline paragraph of a closing report, rendered from computed figures.

Templates hold only ``{name}`` placeholders: metric ids plus ``as_of``,
``group`` and ``host``. The renderer substitutes values with a regular
expression; there is no attribute access, indexing or code, so neither a
template nor record text can run anything.

A template is a sequence of clauses joined by a separator. Every clause but
the first is dropped when all the metrics it names are zero, so a campaign
without, say, investment projects does not report "送招商具体项目0个".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from campaignkit.model.units import exact, format_count, format_mu, format_yuan
from campaignkit.rules.records import MetricDef, NarrativeTemplate
from campaignkit.stats.metrics import MetricContext, MetricResult, Number, compute

__all__ = ["format_date", "format_number", "format_value", "render_narrative"]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def format_date(day: date, lang: str = "zh") -> str:
    """``5月12日`` (zh) or ``12 May 2020`` (en)."""
    if lang == "zh":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {day:%B %Y}"


@exact
def format_number(value: Number, value_kind: str, unit: str = "", lang: str = "zh") -> str:
    """A figure with its unit as a report writes it: 7.5亿元, 852亩, 16场, 98.11%, 3.5个工作日.

    ``value_kind`` is a result's (``count``, ``yuan``, ``mu``, ``number``, ``rate``,
    ``average``, ``per_enterprise``, ``median``); ``unit`` is the metric's unit label in
    ``lang``, written after every figure but amounts, areas and rates (which carry theirs).
    """
    if value_kind == "yuan":
        return format_yuan(value, lang)
    if value_kind == "mu":
        return format_mu(value, lang)
    if value_kind == "rate":
        return f"{format_count(value * 100)}%"
    text = f"{int(value):,}" if lang != "zh" and value == int(value) else format_count(value)
    if not unit:
        return text
    return f"{text}{unit}" if lang == "zh" else f"{text} {unit}"


def format_value(metric: MetricDef, result: MetricResult, lang: str = "zh") -> str:
    """A metric value as a narrative writes it, without count units: 10亿元, 852亩, 215, 95.2%
    (an average without its unit too: 3.5)."""
    if result.value is None:
        return "—"
    return format_number(result.value, metric.result_kind, "", lang)


def render_narrative(
    ctx: MetricContext,
    template: NarrativeTemplate | None = None,
    lang: str = "zh",
    extra: Mapping[str, str] | None = None,
) -> str:
    """Render the campaign type's narrative (or ``template``) for the context's ledger."""
    tpl = template or ctx.campaign_type.narrative
    if tpl is None:
        return ""
    ledger = ctx.ledger
    group = ledger.work_groups[0] if ledger.work_groups else None
    host = ledger.region_index.get(group.host_region) if group else None
    host_name = host.name if host else ""
    if host is not None and lang != "zh" and isinstance(host.extra.get("name_en"), str):
        host_name = host.extra["name_en"]
    values: dict[str, str] = {
        "as_of": format_date(ctx.as_of, lang),
        "group": group.name if group else "",
        "host": host_name,
    }
    values.update(extra or {})
    results: dict[str, MetricResult] = {}

    def result(name: str) -> MetricResult:
        if name not in results:
            results[name] = compute(ctx, name, lang=lang)
        return results[name]

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        return format_value(ctx.campaign_type.metric(name), result(name), lang)

    def wanted(index: int, part: str) -> bool:
        metrics = [n for n in _PLACEHOLDER.findall(part) if n not in values]
        return index == 0 or not metrics or any(result(n).value != 0 for n in metrics)

    parts = tpl.zh if lang == "zh" else tpl.en
    sep = tpl.separator_zh if lang == "zh" else tpl.separator_en
    body = sep.join(
        _PLACEHOLDER.sub(substitute, part) for i, part in enumerate(parts) if wanted(i, part)
    )
    prefix = tpl.prefix_zh if lang == "zh" else tpl.prefix_en
    suffix = tpl.suffix_zh if lang == "zh" else tpl.suffix_en
    return prefix + body + suffix
