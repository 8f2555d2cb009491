"""The headline paragraph of a closing report, rendered from computed figures.

Templates hold only ``{name}`` placeholders: metric ids plus ``as_of``,
``group`` and ``host``. The renderer substitutes values with a regular
expression; there is no attribute access, indexing or code, so neither a
template nor record text can run anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from campaignkit.metrics import MetricContext, MetricResult, compute
from campaignkit.types import MetricDef, NarrativeTemplate
from campaignkit.units import format_count, format_mu, format_yuan

__all__ = ["format_date", "format_value", "render_narrative"]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def format_date(day: date, lang: str = "zh") -> str:
    """``5月12日`` (zh) or ``12 May 2020`` (en)."""
    if lang == "zh":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {day:%B %Y}"


def format_value(metric: MetricDef, result: MetricResult, lang: str = "zh") -> str:
    """A metric value as a report writes it: 10亿元, 852亩, 215, 95.2%."""
    value = result.value
    if value is None:
        return "—"
    if metric.value_kind == "yuan":
        return format_yuan(value, lang)
    if metric.value_kind == "mu":
        return format_mu(value, lang)
    if metric.value_kind == "rate" or metric.is_rate:
        return f"{format_count(value * 100)}%"
    return format_count(value)


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
    values: dict[str, str] = {
        "as_of": format_date(ctx.as_of, lang),
        "group": group.name if group else "",
        "host": ledger.region_name(group.host_region) if group else "",
    }
    values.update(extra or {})
    cache: dict[str, str] = {}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        if name not in cache:
            metric = ctx.campaign_type.metric(name)
            cache[name] = format_value(metric, compute(ctx, name, lang=lang), lang)
        return cache[name]

    parts = tpl.zh if lang == "zh" else tpl.en
    sep = tpl.separator_zh if lang == "zh" else tpl.separator_en
    body = sep.join(_PLACEHOLDER.sub(substitute, part) for part in parts)
    prefix = tpl.prefix_zh if lang == "zh" else tpl.prefix_en
    suffix = tpl.suffix_zh if lang == "zh" else tpl.suffix_en
    return prefix + body + suffix
