"""``campaignkit plugins``: every registered plugin, where it came from and what it registers."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson

from campaignkit.cli.helptext import OUTPUT_FORMAT
from campaignkit.hooks.manager import PluginManager, PluginSource

__all__ = ["plugin_listing", "register", "render_text"]

_ORIGIN = {
    "built-in": ("内置", "built-in"),
    "entry point": ("入口点", "entry point"),
    "explicit": ("显式指定", "explicit"),
}
_WHAT = {
    "campaign_types": ("活动类型", "campaign types"),
    "metrics": ("指标", "metrics"),
    "escalation_rules": ("督办规则", "escalation rules"),
    "report_formatters": ("报告格式", "report formatters"),
    "calendars": ("工作日历", "calendars"),
    "validators": ("校验", "validators"),
    "write_checks": ("写入检查", "write checks"),
}
_TEXT = {
    "plugins": ("已注册插件 {n} 个", "{n} plugin(s) registered"),
    "events": ("事件钩子", "event hooks"),
    "nothing": ("（未注册任何内容）", "(registers nothing)"),
    "optional": (
        "可选钩子（本版本没有，不会调用）",
        "optional hooks this version does not have (never called)",
    ),
    "blocked": ("已屏蔽 {n} 个", "{n} blocked"),
    "problems": ("插件问题 {n} 个", "{n} plugin problem(s)"),
    "replaced": ("替换内置的 {n} 个", "{n} built-in record(s) replaced"),
    "all_types": ("所有活动类型", "every campaign type"),
    "clashes": (
        "名字冲突 {n} 个（这些名字不能用，其余照常）",
        "{n} clash(es) (these names are unusable, the rest works)",
    ),
}


def _t(key: str, lang: str, **values: object) -> str:
    zh, en = _TEXT[key]
    return (en if lang == "en" else zh).format(**values)


def _source(source: PluginSource) -> dict[str, Any]:
    return {
        "name": source.name,
        "origin": source.origin,
        "distribution": source.distribution,
        "version": source.version,
        "target": source.target,
    }


def plugin_listing(manager: PluginManager, lang: str = "en") -> dict[str, Any]:
    """The listing as plain data (what ``--format json`` prints).

    ``plugins``: each registered plugin in registration order with its source
    and what it registers (hook short name → names; event hooks it implements
    under ``events``, optional hooks this version does not have under ``optional``);
    ``blocked``: plugins found but not loaded; ``clashes``: each
    name registered by several plugins without replacing (what it is, the name and
    the plugins), unusable; ``replaced``: each built-in record a plugin replaces on
    purpose (what, the name, the plugin, the campaign types: empty for every type);
    ``problems``: every load error, one line each, in ``lang`` (``zh`` or ``en``; the
    JSON listing's are in English).
    """
    registered = manager.registrations()
    plugins = []
    for name, source in manager.sources.items():
        what = registered.get(name, {})
        entry = _source(source)
        entry["registers"] = {k: v for k, v in what.items() if k in _WHAT}
        entry["events"] = sorted(k for k in what if k not in _WHAT)
        entry["optional"] = manager.optional_hooks(name)
        plugins.append(entry)
    return {
        "plugins": plugins,
        "blocked": [_source(s) for s in manager.blocked_plugins],
        "clashes": [
            {"kind": hook.removeprefix("campaignkit_"), "name": name, "plugins": list(plugins)}
            for (hook, name), plugins in manager.clashes.items()
        ],
        "replaced": [
            {
                "kind": hook.removeprefix("campaignkit_"),
                "name": name,
                "plugin": plugin,
                "campaign_types": list(types_),
            }
            for hook, name, plugin, types_ in manager.replacements()
        ],
        "problems": [p.text(lang) for p in manager.load_errors],
    }


def _describe(entry: dict[str, Any], lang: str) -> str:
    origin = _ORIGIN[entry["origin"]][1 if lang == "en" else 0]
    parts = [origin]
    if entry["distribution"]:
        dist = entry["distribution"]
        parts.append(f"{dist} {entry['version']}" if entry["version"] else dist)
    if entry["target"] and entry["target"] != entry["name"]:
        parts.append(entry["target"])
    if lang == "en":
        return f"{entry['name']} ({', '.join(parts)})"
    return f"{entry['name']}（{'，'.join(parts)}）"


def render_text(listing: dict[str, Any], lang: str = "zh") -> str:
    """The listing as text lines (Chinese by default, ``lang="en"`` for English); its
    problems as :func:`plugin_listing` worded them (give it the same ``lang``)."""
    en = lang == "en"
    # a full-width colon after Chinese words; the names listed after it keep their ", "
    head, colon = (":", ": ") if en else ("：", "：")
    lines = [_t("plugins", lang, n=len(listing["plugins"])) + head]
    for entry in listing["plugins"]:
        lines.append("  " + _describe(entry, lang))
        for short, names in entry["registers"].items():
            label = _WHAT[short][1 if en else 0]
            lines.append(f"    {label}{colon}{', '.join(names)}")
        if entry["events"]:
            events = ", ".join("campaignkit_" + e for e in entry["events"])
            lines.append(f"    {_t('events', lang)}{colon}{events}")
        if entry["optional"]:
            lines.append(f"    {_t('optional', lang)}{colon}{', '.join(entry['optional'])}")
        if not entry["registers"] and not entry["events"]:
            lines.append("    " + _t("nothing", lang))
    if listing["blocked"]:
        lines.append(_t("blocked", lang, n=len(listing["blocked"])) + head)
        lines.extend("  " + _describe(entry, lang) for entry in listing["blocked"])
    if listing["replaced"]:
        lines.append(_t("replaced", lang, n=len(listing["replaced"])) + head)
        for entry in listing["replaced"]:
            label = _WHAT.get(entry["kind"], (entry["kind"], entry["kind"]))[1 if en else 0]
            types_ = ", ".join(entry["campaign_types"]) or _t("all_types", lang)
            named = f" ({types_})" if en else f"（{types_}）"
            lines.append(f"  {label} {entry['name']}{colon}{entry['plugin']}{named}")
    if listing["clashes"]:
        lines.append(_t("clashes", lang, n=len(listing["clashes"])) + head)
        for clash in listing["clashes"]:
            label = _WHAT.get(clash["kind"], (clash["kind"], clash["kind"]))[1 if en else 0]
            plugins = ", ".join(clash["plugins"])
            lines.append(f"  {label} {clash['name']}{colon}{plugins}")
    if listing["problems"]:
        lines.append(_t("problems", lang, n=len(listing["problems"])) + head)
        lines.extend(f"  {problem}" for problem in listing["problems"])
    return "\n".join(lines) + "\n"


def cmd_plugins(args: argparse.Namespace, manager: PluginManager) -> int:
    """List the plugins; exit 1 when any plugin has a problem."""
    # the text in --lang; the JSON listing, data for programs, in English as before
    listing = plugin_listing(manager, "en" if args.format == "json" else args.lang)
    if args.format == "json":
        sys.stdout.buffer.write(orjson.dumps(listing, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
    else:
        sys.stdout.write(render_text(listing, args.lang))
    return 1 if listing["problems"] else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``plugins``."""
    p = sub.add_parser(
        "plugins",
        help="list registered plugins, where they come from and what they register",
        description="List every registered plugin with its source (built-in, entry point "
        "with its distribution, or explicit --plugin) and what it registers, then blocked "
        "plugins and load errors. Exits 1 when a plugin has a problem.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help=OUTPUT_FORMAT)
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the text")
    p.set_defaults(func=cmd_plugins)
