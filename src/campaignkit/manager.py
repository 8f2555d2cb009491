"""The plugin manager: discovery, blocking, and typed gathering of hook results.

Managers are built by :func:`get_plugin_manager` (cached per arguments) or
:func:`new_plugin_manager` (always fresh, for tests); nothing is loaded at
import time. Discovery order: the built-in plugins under
:mod:`campaignkit.plugins`, then the ``campaignkit`` entry-point group, then
modules named explicitly. A plugin that fails to import, misspells a hook or
raises is recorded in :attr:`PluginManager.load_errors` with its name and
distribution, and the others still load.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import types
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, Literal, TypeVar

import pluggy
from attrs import frozen

from campaignkit import hookspecs
from campaignkit.errors import PluginError
from campaignkit.types import (
    CampaignType,
    EscalationRule,
    MetricDef,
    ReportFormatter,
    Validator,
    WorkdayCalendar,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginManager",
    "PluginProblem",
    "PluginSource",
    "builtin_plugins",
    "get_plugin_manager",
    "new_plugin_manager",
]

ENTRY_POINT_GROUP = "campaignkit"


def builtin_plugins() -> tuple[str, ...]:
    """Module names of the built-in plugins: every module of :mod:`campaignkit.plugins`.

    They are registered first, and like any other plugin.
    """
    import campaignkit.plugins

    return tuple(
        f"campaignkit.plugins.{info.name}"
        for info in sorted(pkgutil.iter_modules(campaignkit.plugins.__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    )


Origin = Literal["built-in", "entry point", "explicit"]
_T = TypeVar("_T")


@frozen
class PluginSource:
    """Where a registered plugin came from."""

    name: str
    origin: Origin
    distribution: str | None = None
    """The installed distribution that provides it (entry points)."""


@frozen
class PluginProblem:
    """A plugin that could not be loaded or whose hook failed."""

    plugin: str
    distribution: str | None
    message: str

    def __str__(self) -> str:
        dist = f" (from {self.distribution})" if self.distribution else ""
        return f"plugin {self.plugin!r}{dist}: {self.message}"


class PluginManager(pluggy.PluginManager):
    """A pluggy manager with campaignkit's typed gathering functions."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self.sources: dict[str, PluginSource] = {}
        self.load_errors: list[PluginProblem] = []
        self._gathered: dict[str, object] = {}

    # -- registration ------------------------------------------------------------
    def add(
        self, plugin: object, name: str, origin: Origin, distribution: str | None = None
    ) -> bool:
        """Register ``plugin`` under ``name``; record a problem instead of raising."""
        if self.is_blocked(name):
            return False
        try:
            self.register(plugin, name=name)
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            self.load_errors.append(PluginProblem(name, distribution, f"cannot register: {exc}"))
            return False
        try:
            self.check_pending()
        except pluggy.PluginValidationError as exc:
            self.unregister(name=name)
            self.load_errors.append(PluginProblem(name, distribution, str(exc)))
            return False
        self.sources[name] = PluginSource(name, origin, distribution)
        self._gathered.clear()
        return True

    def add_module(self, module_name: str, origin: Origin, distribution: str | None = None) -> bool:
        """Import a module by name and register it."""
        if self.is_blocked(module_name):
            return False
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            self.load_errors.append(
                PluginProblem(
                    module_name, distribution, f"cannot import: {type(exc).__name__}: {exc}"
                )
            )
            return False
        return self.add(module, module_name, origin, distribution)

    def load_entry_points(self) -> None:
        """Register the plugins installed under the ``campaignkit`` entry-point group."""
        for ep in sorted(
            importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
        ):
            dist = ep.dist.name if ep.dist is not None else None
            if self.is_blocked(ep.name) or self.get_plugin(ep.name) is not None:
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - isolated and reported
                self.load_errors.append(
                    PluginProblem(ep.name, dist, f"cannot import: {type(exc).__name__}: {exc}")
                )
                continue
            self.add(plugin, ep.name, "entry point", dist)

    # -- gathering ---------------------------------------------------------------
    def _call_each(self, hook_name: str, kwargs: dict[str, Any]) -> Iterator[tuple[str, Any]]:
        caller = getattr(self.hook, hook_name)
        for impl in reversed(caller.get_hookimpls()):  # registration order
            source = self.sources.get(impl.plugin_name)
            dist = source.distribution if source else None
            try:
                result = impl.function(**kwargs)
                items = list(result) if result is not None else []
            except Exception as exc:  # noqa: BLE001 - isolated and reported
                self.load_errors.append(
                    PluginProblem(
                        impl.plugin_name, dist, f"{hook_name} raised {type(exc).__name__}: {exc}"
                    )
                )
                continue
            for item in items:
                yield impl.plugin_name, item

    def _gather(self, hook_name: str, cls: type[_T], key: Callable[[_T], str]) -> dict[str, _T]:
        cached = self._gathered.get(hook_name)
        if cached is not None:
            return cached  # type: ignore[return-value]
        found: dict[str, tuple[str, _T]] = {}
        for plugin_name, item in self._call_each(hook_name, {}):
            if not isinstance(item, cls):
                source = self.sources.get(plugin_name)
                self.load_errors.append(
                    PluginProblem(
                        plugin_name,
                        source.distribution if source else None,
                        f"{hook_name} returned {type(item).__name__}, expected {cls.__name__}",
                    )
                )
                continue
            name = key(item)
            if name in found:
                other = found[name][0]
                raise PluginError(
                    f"{cls.__name__} {name!r} is registered by both {other!r} and {plugin_name!r}"
                )
            found[name] = (plugin_name, item)
        result = {name: found[name][1] for name in sorted(found)}
        self._gathered[hook_name] = result
        self._gathered[hook_name + ":owners"] = {n: p for n, (p, _) in found.items()}
        return result

    def owner(self, hook_name: str, name: str) -> str | None:
        """Which plugin registered ``name`` through ``hook_name``."""
        owners = self._gathered.get(hook_name + ":owners")
        return owners.get(name) if isinstance(owners, dict) else None

    def campaign_types(self) -> dict[str, CampaignType]:
        """Every registered campaign type by key (sorted); clashes raise PluginError."""
        return self._gather("campaignkit_campaign_types", CampaignType, lambda c: c.key)

    def campaign_type(self, key: str) -> CampaignType:
        """The campaign type ``key``, with metrics added by other plugins merged in."""
        types_ = self.campaign_types()
        if key not in types_:
            known = ", ".join(types_) or "none"
            raise PluginError(f"unknown campaign type {key!r} (registered: {known})")
        cached = self._gathered.get("type:" + key)
        if isinstance(cached, CampaignType):
            return cached
        ctype = types_[key]
        extra = [
            m for m in self.metrics().values() if not m.campaign_types or key in m.campaign_types
        ]
        own = {m.id for m in ctype.metrics}
        for m in extra:
            if m.id in own:
                raise PluginError(
                    f"metric {m.id!r} of plugin "
                    f"{self.owner('campaignkit_metrics', m.id)!r} clashes "
                    f"with campaign type {key!r} of plugin "
                    f"{self.owner('campaignkit_campaign_types', key)!r}"
                )
        if extra:
            import attrs

            ctype = attrs.evolve(ctype, metrics=(*ctype.metrics, *extra))
        self._gathered["type:" + key] = ctype
        return ctype

    def metrics(self) -> dict[str, MetricDef]:
        """Metrics registered through ``campaignkit_metrics``."""
        return self._gather("campaignkit_metrics", MetricDef, lambda m: m.id)

    def escalation_rules(self, campaign_type: str | None = None) -> dict[str, EscalationRule]:
        """Escalation rules by name, optionally only those for one campaign type."""
        rules = self._gather("campaignkit_escalation_rules", EscalationRule, lambda r: r.name)
        if campaign_type is None:
            return rules
        return {
            n: r
            for n, r in rules.items()
            if not r.campaign_types or campaign_type in r.campaign_types
        }

    def report_formatters(self) -> dict[str, ReportFormatter]:
        """Report formatters by name."""
        return self._gather("campaignkit_report_formatters", ReportFormatter, lambda f: f.name)

    def calendars(self) -> dict[str, WorkdayCalendar]:
        """Working-day calendars by name."""
        return self._gather("campaignkit_calendars", WorkdayCalendar, lambda c: c.name)

    def validators(self, campaign_type: str | None = None) -> dict[str, Validator]:
        """Ledger validators by name, optionally only those for one campaign type."""
        found = self._gather("campaignkit_validators", Validator, lambda v: v.name)
        if campaign_type is None:
            return found
        return {
            n: v
            for n, v in found.items()
            if not v.campaign_types or campaign_type in v.campaign_types
        }

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Fire an event hook; a plugin that raises is reported, the others still run."""
        for _ in self._call_each(hook_name, kwargs):
            pass

    def registrations(self) -> dict[str, dict[str, list[str]]]:
        """For each plugin, what it registers: hook short name → names."""
        out: dict[str, dict[str, list[str]]] = {name: {} for name in self.sources}
        gatherers: dict[str, Callable[[], dict[str, object]]] = {
            "campaign_types": self.campaign_types,  # type: ignore[dict-item]
            "metrics": self.metrics,  # type: ignore[dict-item]
            "escalation_rules": self.escalation_rules,  # type: ignore[dict-item]
            "report_formatters": self.report_formatters,  # type: ignore[dict-item]
            "calendars": self.calendars,  # type: ignore[dict-item]
            "validators": self.validators,  # type: ignore[dict-item]
        }
        for short, gather in gatherers.items():
            for name in gather():
                owner = self.owner("campaignkit_" + short, name)
                if owner in out:
                    out[owner].setdefault(short, []).append(name)
        for name in self.sources:
            plugin = self.get_plugin(name)
            for hook in self.get_hookcallers(plugin) or []:
                short = hook.name.removeprefix("campaignkit_")
                if short not in gatherers:
                    out[name].setdefault(short, [])
        return out


def new_plugin_manager(
    plugins: Iterable[str | types.ModuleType | object] = (),
    *,
    blocked: Iterable[str] = (),
    entry_points: bool = True,
    builtins: bool = True,
) -> PluginManager:
    """Build a fresh manager: built-ins, then entry points, then ``plugins``.

    ``plugins`` are module names to import or plugin objects to register.
    Names in ``blocked`` (module names or entry-point names) are never loaded.
    """
    pm = PluginManager()
    for name in blocked:
        pm.set_blocked(name)
    if builtins:
        for module_name in builtin_plugins():
            pm.add_module(module_name, "built-in")
    if entry_points:
        pm.load_entry_points()
    for plugin in plugins:
        if isinstance(plugin, str):
            pm.add_module(plugin, "explicit")
        else:
            name = getattr(plugin, "__name__", None) or f"{type(plugin).__name__}@{id(plugin):x}"
            pm.add(plugin, name, "explicit")
    return pm


@cache
def _cached_manager(
    plugins: tuple[str, ...], blocked: tuple[str, ...], entry_points: bool
) -> PluginManager:
    return new_plugin_manager(plugins, blocked=blocked, entry_points=entry_points)


def get_plugin_manager(
    plugins: Iterable[str] = (), *, blocked: Iterable[str] = (), entry_points: bool = True
) -> PluginManager:
    """The shared manager for these arguments (built once, then reused).

    Use :func:`new_plugin_manager` or :func:`campaignkit.testing.plugin_manager`
    for a fresh one.
    """
    return _cached_manager(tuple(plugins), tuple(blocked), entry_points)


get_plugin_manager.cache_clear = _cached_manager.cache_clear  # type: ignore[attr-defined]
