"""The plugin manager: discovery, blocking, and typed gathering of hook results.

Managers are built by :func:`get_plugin_manager` (cached per arguments) or
:func:`new_plugin_manager` (always fresh; :func:`campaignkit.testing.plugin_manager`
wraps it for tests); nothing is loaded at import time. Discovery order: the
built-in plugins under :mod:`campaignkit.plugins`, then the ``campaignkit``
entry-point group, then plugins named explicitly. A plugin that fails to
import, misspells a hook, returns the wrong thing or raises is recorded in
:attr:`PluginManager.load_errors` with its name and distribution, and the
others still load. Two plugins registering the same name is an error naming
both.

Hooks are called through pluggy's own loop (``pm.hook.<name>(…)``), so
``tryfirst``, ``trylast`` and wrappers work; each implementation is guarded when
it is registered (time limit, exceptions, return type; what a wrapper returns
too, record by record), so one that fails is reported by name and gives no result
while the others run. See :meth:`PluginManager.register`.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import inspect
import os
import sys
import traceback
import types
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from functools import cache
from typing import Any, Literal, TypeVar

import attrs
import pluggy
from attrs import frozen

from campaignkit.errors import PluginError
from campaignkit.hooks import specs as hookspecs
from campaignkit.hooks.watchdog import PluginTimeout, call_with_timeout, configured_timeout
from campaignkit.i18n.catalogue import Joined, Phrase, literal
from campaignkit.rules.records import (
    CampaignType,
    EscalationRule,
    MetricDef,
    ReportFormatter,
    Validator,
    WorkdayCalendar,
    metric_problems,
    wrong_field_phrases,
)
from campaignkit.rules.writes import WriteCheck

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "RECORD_TYPES",
    "PluginManager",
    "PluginProblem",
    "PluginSource",
    "builtin_plugins",
    "canonical_name",
    "get_plugin_manager",
    "new_plugin_manager",
]

ENTRY_POINT_GROUP = "campaignkit"

RECORD_TYPES: dict[str, type] = {
    "campaignkit_campaign_types": CampaignType,
    "campaignkit_metrics": MetricDef,
    "campaignkit_escalation_rules": EscalationRule,
    "campaignkit_report_formatters": ReportFormatter,
    "campaignkit_calendars": WorkdayCalendar,
    "campaignkit_validators": Validator,
    "campaignkit_write_checks": WriteCheck,
}
"""The record type each registration hook returns."""


DEFAULT_PLUGINS: tuple[str, ...] = (
    "campaignkit.plugins.calendars",
    "campaignkit.plugins.escalation_rules",
    "campaignkit.plugins.formatters",
    "campaignkit.plugins.sisong_yifu",
    "campaignkit.plugins.validators",
)
"""Module names of the built-in plugins, registered first and like any other plugin.

This list is the only place that names them: nothing else in campaignkit imports
:mod:`campaignkit.plugins` (an import-linter contract checks it)."""


def builtin_plugins() -> tuple[str, ...]:
    """Module names of the built-in plugins (:data:`DEFAULT_PLUGINS`)."""
    return DEFAULT_PLUGINS


def canonical_name(plugin: object) -> str:
    """The name a plugin object is registered under when none is given.

    A module's name (``campaignkit.plugins.sisong_yifu``), a class's qualified
    name (``mypkg.plugin.MyPlugin``), or for an instance its class's qualified
    name and its id (``mypkg.plugin.MyPlugin@7f3a…``).
    """
    if isinstance(plugin, types.ModuleType):
        return plugin.__name__
    if isinstance(plugin, type):
        return f"{plugin.__module__}.{plugin.__qualname__}"
    cls = type(plugin)
    return f"{cls.__module__}.{cls.__qualname__}@{id(plugin):x}"


Origin = Literal["built-in", "entry point", "explicit"]
_T = TypeVar("_T")


@frozen
class PluginSource:
    """Where a registered (or blocked) plugin came from."""

    name: str
    origin: Origin
    distribution: str | None = None
    """The installed distribution that provides it (entry points)."""
    version: str | None = None
    """The distribution's version (entry points)."""
    target: str | None = None
    """What was loaded: a module name, or ``module:attribute``."""


@frozen
class PluginProblem:
    """A plugin that could not be loaded, or whose hook failed or returned the wrong thing.

    ``message`` is what went wrong in English; ``phrase``, when campaignkit worded it,
    the same in the catalogue's words (see :meth:`text`).
    """

    plugin: str
    distribution: str | None
    message: str
    phrase: Phrase | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def of(cls, plugin: str, distribution: str | None, reason: Phrase) -> PluginProblem:
        """The problem ``reason`` (a catalogue phrase) of ``plugin``."""
        return cls(plugin, distribution, reason.text("en"), reason)

    def text(self, lang: str = "zh") -> str:
        """The problem as one line, naming the plugin, in ``lang`` (``zh`` or ``en``)."""
        reason = (self.phrase or literal(self.message)).text(lang)
        reason = " ".join(line.strip() for line in reason.splitlines() if line.strip())
        if self.distribution:
            words = Phrase(
                "plugin-problem-from",
                {"plugin": self.plugin, "distribution": self.distribution, "reason": reason},
            )
        else:
            words = Phrase("plugin-problem", {"plugin": self.plugin, "reason": reason})
        return words.text(lang)

    def __str__(self) -> str:
        return self.text("en")


def _overlapping(replacing: Sequence[tuple[str, object]]) -> bool:
    """True if two of the replacements of one name apply to a campaign type alike (no
    ``campaign_types`` means every type)."""
    seen: list[tuple[str, ...]] = []
    for _, item in replacing:
        types_ = tuple(getattr(item, "campaign_types", ()))
        if any(not t or not types_ or set(t) & set(types_) for t in seen):
            return True
        seen.append(types_)
    return False


def _replaceable(cls: type) -> bool:
    """Whether records of type ``cls`` can replace a built-in one (have ``replaces``)."""
    return attrs.has(cls) and "replaces" in attrs.fields_dict(cls)


def _names(plugins: Iterable[str]) -> str:
    """Plugin names as a message lists them: ``'a', 'b'``."""
    return ", ".join(map(repr, plugins))


def _said(exc: BaseException) -> str | Phrase:
    """What ``exc`` says: its phrase, in either language, when it carries one (a
    :class:`~campaignkit.errors.CampaignkitError`, such as the
    :class:`~campaignkit.errors.LifecycleError` of a lifecycle built at import), else
    its text as written."""
    phrase = getattr(exc, "phrase", None)
    return phrase if isinstance(phrase, Phrase) else str(exc)


def _cannot_import(exc: BaseException) -> Phrase:
    """A plugin that raised ``exc`` when imported, its words in either language (see
    :func:`_said`)."""
    return Phrase("cannot-import-raised", {"error": type(exc).__name__, "why": _said(exc)})


def _argnames(function: Callable[..., object]) -> list[str]:
    """The arguments a hook function asks pluggy for: those without a default (as pluggy
    reads them; the others are never passed)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    plain = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.kind in plain and p.default is p.empty]


class PluginManager(pluggy.PluginManager):
    """A pluggy manager with campaignkit's discovery and typed gathering functions."""

    def __init__(self, *, timeout: float | None = None) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self.timeout: float | None = timeout
        """Seconds a plugin's hook call may take before it is reported and skipped
        (None: no limit). :func:`new_plugin_manager` sets it from
        :func:`campaignkit.hooks.watchdog.configured_timeout`."""
        self.sources: dict[str, PluginSource] = {}
        """Registered plugins by name, in registration order."""
        self.load_errors: list[PluginProblem] = []
        """Every problem found so far, each once."""
        self.blocked_plugins: list[PluginSource] = []
        """Plugins that were found but not loaded because they are blocked."""
        self.clashes: dict[tuple[str, str], tuple[str, ...]] = {}
        """Names registered more than once without replacing (hook name, name) → the
        plugins that registered them: those names are unusable, everything else works."""
        self._clash_words: dict[tuple[str, str], Phrase] = {}
        self._gathered: dict[str, object] = {}
        self._unmarked: list[str] = []

    # -- problems ----------------------------------------------------------------
    def _problem(self, plugin: str, distribution: str | None, message: str | Phrase) -> None:
        if isinstance(message, Phrase):
            problem = PluginProblem.of(plugin, distribution, message)
        else:
            problem = PluginProblem(plugin, distribution, message)
        if problem not in self.load_errors:
            self.load_errors.append(problem)

    def _dist(self, plugin_name: str) -> str | None:
        source = self.sources.get(plugin_name)
        return source.distribution if source else None

    # -- registration ------------------------------------------------------------
    def get_canonical_name(self, plugin: object) -> str:
        """See :func:`canonical_name`."""
        return canonical_name(plugin)

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> pluggy.HookimplOpts | None:
        """Pick up marked hook functions; remember prefixed ones that lack the marker."""
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith(hookspecs.HOOK_PREFIX):
            found = inspect.getattr_static(plugin, name, None)
            if callable(found) or isinstance(found, staticmethod | classmethod):
                self._unmarked.append(name)
        return opts

    def _unknown_hooks(self, plugin: object) -> list[Phrase]:
        known = list(hookspecs.hook_specs())
        out = []
        for caller in self.get_hookcallers(plugin) or []:
            if caller.has_spec():
                continue
            if all(impl.optionalhook for impl in caller.get_hookimpls() if impl.plugin is plugin):
                continue
            close = difflib.get_close_matches(caller.name, known, n=1)
            if close:
                out.append(
                    Phrase("plugin.unknown-hook-like", {"hook": caller.name, "like": close[0]})
                )
            else:
                out.append(Phrase("plugin.unknown-hook", {"hook": caller.name}))
        return out

    def _invalid_impls(self, plugin: object) -> list[Phrase]:
        """What pluggy would refuse in ``plugin``'s hook functions, said in the catalogue's
        words (pluggy's own message is English, several lines, and names no fix): a
        wrapper that is not a generator function, and arguments the hook does not pass."""
        out = []
        for attr in dir(plugin):
            opts = self.parse_hookimpl_opts(plugin, attr)
            if opts is None:
                continue
            function = getattr(plugin, attr)
            hook = opts.get("specname") or attr
            if (opts.get("wrapper") or opts.get("hookwrapper")) and not (
                inspect.isgeneratorfunction(function)
            ):
                out.append(Phrase("plugin.wrapper-not-generator", {"hook": hook}))
            caller = getattr(self.hook, hook, None)
            spec = caller.spec if caller is not None else None
            if spec is not None:
                extra = [a for a in _argnames(function) if a not in spec.argnames]
                if extra:
                    out.append(
                        Phrase(
                            "plugin.unknown-arguments",
                            {
                                "hook": hook,
                                "names": ", ".join(extra),
                                "known": ", ".join(spec.argnames) or "-",
                            },
                        )
                    )
        return out

    def _blocked(self, *names: str | None) -> bool:
        return any(name is not None and self.is_blocked(name) for name in names)

    def add(
        self,
        plugin: object,
        name: str,
        origin: Origin,
        distribution: str | None = None,
        *,
        version: str | None = None,
        target: str | None = None,
    ) -> bool:
        """Register ``plugin`` under ``name``; record a problem instead of raising.

        Returns whether it was registered. A plugin with a misspelt hook is
        not registered; prefixed functions without ``@hookimpl`` are reported
        and ignored.
        """
        source = PluginSource(name, origin, distribution, version, target)
        if self._blocked(name, target):
            self.blocked_plugins.append(source)
            return False
        already = self.get_name(plugin)
        if already is not None:
            if origin != "explicit":
                self._problem(
                    name, distribution, Phrase("plugin.already-registered", {"name": already})
                )
            return False
        if self.has_plugin(name):
            other = self.sources.get(name)
            taken = (
                Phrase(
                    "plugin.name-taken-by", {"name": name, "by": other.distribution or other.origin}
                )
                if other
                else Phrase("plugin.name-taken", {"name": name})
            )
            self._problem(name, distribution, taken)
            return False
        invalid = self._invalid_impls(plugin)
        if invalid:
            for phrase in invalid:  # one problem each
                self._problem(name, distribution, phrase)
            return False
        self._unmarked = []
        try:
            self.register(plugin, name=name)
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            self._problem(name, distribution, Phrase("plugin.cannot-register", {"why": str(exc)}))
            return False
        unknown = self._unknown_hooks(plugin)
        if unknown:
            self.unregister(name=name)
            for phrase in unknown:  # one problem each
                self._problem(name, distribution, phrase)
            return False
        for hook in self._unmarked:
            self._problem(name, distribution, Phrase("plugin.unmarked-hook", {"hook": hook}))
        self.sources[name] = source
        self._gathered.clear()
        self.clashes.clear()
        self._clash_words.clear()
        return True

    def add_module(
        self,
        module_name: str,
        origin: Origin,
        distribution: str | None = None,
        *,
        version: str | None = None,
    ) -> bool:
        """Import a module (or ``module:attribute``) by name and register it."""
        module_part = module_name.partition(":")[0]
        if self._blocked(module_name, module_part):
            self.blocked_plugins.append(
                PluginSource(module_name, origin, distribution, version, module_name)
            )
            return False
        try:
            plugin = _resolve(module_name)
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            self._problem(module_name, distribution, _cannot_import(exc))
            return False
        plugin = self._instance(plugin, module_name, distribution)
        if plugin is None:
            return False
        return self.add(
            plugin, module_name, origin, distribution, version=version, target=module_name
        )

    def _instance(self, plugin: object, name: str, distribution: str | None) -> object | None:
        """The plugin an entry point or ``module:Class`` names: a class is made an instance
        (with no arguments), so its hook methods that take ``self`` are called on it, as
        registering an instance would; a module or an object is registered as it is.
        None, with the problem reported, if the class cannot be made."""
        if not isinstance(plugin, type):
            return plugin
        try:
            made: object = plugin()
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            why = f"{type(exc).__name__}: {exc}"
            words = Phrase("plugin.class-not-made", {"cls": plugin.__name__, "why": why})
            self._problem(name, distribution, words)
            return None
        return made

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> int:
        """Register the plugins installed under the entry-point ``group``.

        An entry point is blocked by its name, its module or its distribution's
        name. Returns how many were registered.
        """
        import importlib.metadata  # slow to import: kept out of ``import campaignkit``

        count = 0
        claimed: dict[str, str | None] = {}
        for ep in sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name):
            dist = ep.dist.name if ep.dist is not None else None
            version = ep.dist.version if ep.dist is not None else None
            source = PluginSource(ep.name, "entry point", dist, version, ep.value)
            if self._blocked(ep.name, ep.value, ep.module, dist):
                self.blocked_plugins.append(source)
                continue
            if ep.name in claimed:
                self._problem(
                    ep.name,
                    dist,
                    Phrase(
                        "plugin.entry-point-taken",
                        {
                            "name": ep.name,
                            "other": claimed[ep.name] or Phrase("plugin.another-distribution"),
                        },
                    ),
                )
                continue
            claimed[ep.name] = dist
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - isolated and reported
                self._problem(ep.name, dist, _cannot_import(exc))
                continue
            plugin = self._instance(plugin, ep.name, dist)
            if plugin is None:
                continue
            count += self.add(
                plugin, ep.name, "entry point", dist, version=version, target=ep.value
            )
        return count

    # -- calling: pluggy's own loop, each implementation guarded -------------------------
    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register ``plugin`` (see :meth:`pluggy.PluginManager.register`), each of its
        hook implementations guarded: one that raises, outlasts :attr:`timeout` or
        returns the wrong type is recorded in :attr:`load_errors` and skipped.

        Hooks are then called through pluggy's own loop (``pm.hook.<name>(…)``), so
        ``tryfirst``, ``trylast`` and wrappers (``wrapper=True`` and the old-style
        ``hookwrapper=True``) work as pluggy documents them, except that plain
        implementations of the same rank are called in registration order, not
        pluggy's last-registered-first: wrappers first (outermost), then the
        ``tryfirst`` implementations, the others, the ``trylast`` ones. Calling a
        registration hook gives each implementation's records as a new list; a wrapper
        around it is handed copies, and what it returns is checked record by record: a
        record it was handed keeps the plugin that gave it, any other is its own.
        """
        plugin_name = super().register(plugin, name)
        if plugin_name is None:
            return None
        for caller in self.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is not plugin:
                    continue
                if impl.wrapper:
                    guarded = self._guard_wrapper(caller.name, impl)
                elif impl.hookwrapper:
                    guarded = self._guard_old_wrapper(caller.name, impl)
                else:
                    guarded = self._guard(caller.name, impl)
                # pluggy keeps the function it calls on the implementation; the
                # guarded one takes its place (argument names were read before)
                setattr(impl, "function", guarded)  # noqa: B010 - a Final attribute to pluggy's type checker
        return plugin_name

    def _hookexec(
        self,
        hook_name: str,
        methods: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, object],
        firstresult: bool,
    ) -> object | list[object]:
        """pluggy's call loop, given the implementations in campaignkit's documented order.

        Wrappers first (outermost), then plain implementations; within each, the
        ``tryfirst`` ones, then the others, then the ``trylast`` ones, each group in
        registration order (built-ins, entry points, explicit plugins).
        """
        rank = {name: i for i, (name, _) in enumerate(self.list_name_plugin())}

        def order(impl: pluggy.HookImpl) -> tuple[bool, int, int]:
            priority = 0 if impl.tryfirst else 2 if impl.trylast else 1
            return (not (impl.wrapper or impl.hookwrapper), priority, rank.get(impl.plugin_name, 0))

        # pluggy calls the list from its end
        in_order = sorted(methods, key=order)[::-1]
        return super()._hookexec(hook_name, in_order, kwargs, firstresult)

    def _failed(self, plugin_name: str, hook_name: str, exc: Exception) -> None:
        if isinstance(exc, PluginTimeout):
            self._problem(plugin_name, self._dist(plugin_name), exc.phrase)
        else:
            message = Phrase(
                "hook-raised", {"hook": hook_name, "error": type(exc).__name__, "why": _said(exc)}
            )
            self._problem(plugin_name, self._dist(plugin_name), message)

    def _guard(self, hook_name: str, impl: pluggy.HookImpl) -> Callable[..., Any]:
        """``impl``'s function, isolated: None (which pluggy leaves out) when it fails."""
        function, plugin_name = impl.function, impl.plugin_name
        record_type = RECORD_TYPES.get(hook_name)
        what = f"{hook_name} of plugin {plugin_name!r}"

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                result = call_with_timeout(
                    _materialised, function, args, kwargs, timeout=self.timeout, what=what
                )
            except Exception as exc:  # noqa: BLE001 - isolated and reported
                self._failed(plugin_name, hook_name, exc)
                return None
            if record_type is None:
                return result
            records: list[Any] | None = self._checked(hook_name, record_type, plugin_name, result)
            if records is None:
                return None
            return _own(records, [plugin_name] * len(records))

        return guarded

    def _guard_wrapper(self, hook_name: str, impl: pluggy.HookImpl) -> Callable[..., Any]:
        """A new-style wrapper (``wrapper=True``), isolated.

        Its code before and after its ``yield`` runs under the time limit; when it
        raises, outlasts the limit, does not yield once, or (around a registration
        hook) returns something other than a list, it is recorded and the hook's
        result passes through it unchanged. Around a registration hook it is handed
        copies of the results, and what it returns is checked record by record (see
        :meth:`_rewrapped`), so that what it changes, in place or not, is checked too.
        """
        function, plugin_name = impl.function, impl.plugin_name
        record_type = RECORD_TYPES.get(hook_name)
        what = f"{hook_name} of plugin {plugin_name!r}"

        def guarded(*args: Any, **kwargs: Any) -> Generator[None, Any, Any]:
            wrapper = self._started(hook_name, plugin_name, function, args, kwargs)
            if wrapper is None:
                return (yield)
            try:
                inner = yield
            except BaseException:
                # the implementations never raise (their failures are skipped), so
                # this is pluggy's own error or an interrupt: not the wrapper's to see
                self._closed(hook_name, plugin_name, wrapper)
                raise
            handed, givers = _handed(inner) if record_type is not None else (inner, {})
            try:
                call_with_timeout(wrapper.send, handed, timeout=self.timeout, what=what)
            except StopIteration as stop:
                result = stop.value
            except Exception as exc:  # noqa: BLE001 - isolated and reported
                self._failed(plugin_name, hook_name, exc)
                return inner
            else:
                self._problem(
                    plugin_name,
                    self._dist(plugin_name),
                    Phrase("wrapper.yielded-twice", {"hook": hook_name}),
                )
                self._closed(hook_name, plugin_name, wrapper)
                return inner
            if record_type is None:
                return result
            records: list[list[Any]] | None = self._rewrapped(
                hook_name, record_type, plugin_name, result, givers
            )
            return inner if records is None else records

        return guarded

    def _guard_old_wrapper(self, hook_name: str, impl: pluggy.HookImpl) -> Callable[..., Any]:
        """An old-style wrapper (``hookwrapper=True``), isolated and checked as
        :meth:`_guard_wrapper`; when it fails after its ``yield``, a result it forced is
        taken back."""
        function, plugin_name = impl.function, impl.plugin_name
        record_type = RECORD_TYPES.get(hook_name)
        what = f"{hook_name} of plugin {plugin_name!r}"

        def guarded(*args: Any, **kwargs: Any) -> Generator[None, Any, None]:
            wrapper = self._started(hook_name, plugin_name, function, args, kwargs)
            outcome: pluggy.Result[Any] = yield
            if wrapper is None:
                return
            plain = outcome.exception is None
            inner = outcome.get_result() if plain else None
            givers: dict[int, list[str]] = {}
            if plain and record_type is not None:
                handed, givers = _handed(inner)
                outcome.force_result(handed)
            try:
                call_with_timeout(wrapper.send, outcome, timeout=self.timeout, what=what)
            except StopIteration:
                pass
            except Exception as exc:  # noqa: BLE001 - isolated and reported
                self._failed(plugin_name, hook_name, exc)
                if plain:
                    outcome.force_result(inner)
                return
            else:
                self._problem(
                    plugin_name,
                    self._dist(plugin_name),
                    Phrase("wrapper.yielded-twice", {"hook": hook_name}),
                )
                self._closed(hook_name, plugin_name, wrapper)
                if plain:
                    outcome.force_result(inner)
                return
            if plain and record_type is not None and outcome.exception is None:
                result = outcome.get_result()
                records: list[list[Any]] | None = self._rewrapped(
                    hook_name, record_type, plugin_name, result, givers
                )
                outcome.force_result(inner if records is None else records)

        return guarded

    def _started(
        self,
        hook_name: str,
        plugin_name: str,
        function: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Generator[Any, Any, Any] | None:
        """A wrapper run to its ``yield`` under the time limit; None when it failed."""
        what = f"{hook_name} of plugin {plugin_name!r}"
        try:
            wrapper: Generator[Any, Any, Any] = call_with_timeout(
                _to_first_yield, function, args, kwargs, timeout=self.timeout, what=what
            )
        except StopIteration:
            self._problem(
                plugin_name,
                self._dist(plugin_name),
                Phrase("wrapper.no-yield", {"hook": hook_name}),
            )
            return None
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            self._failed(plugin_name, hook_name, exc)
            return None
        return wrapper

    def _closed(self, hook_name: str, plugin_name: str, wrapper: Generator[Any, Any, Any]) -> None:
        """Close a wrapper that is not resumed again (its ``finally`` runs, time-limited)."""
        what = f"{hook_name} of plugin {plugin_name!r}"
        try:
            call_with_timeout(wrapper.close, timeout=self.timeout, what=what)
        except Exception as exc:  # noqa: BLE001 - isolated and reported
            self._failed(plugin_name, hook_name, exc)

    def _rewrapped(
        self,
        hook_name: str,
        cls: type[_T],
        plugin_name: str,
        result: object,
        givers: Mapping[int, Sequence[str]],
    ) -> list[list[_T]] | None:
        """A wrapper's result around a registration hook, checked record by record; None
        (the wrapper is skipped) unless it is a list.

        A record the wrapper was handed (the very object: ``givers`` by identity) keeps
        the plugin that gave it; any other is the wrapper's own, and is checked as an
        implementation's result is (a generator runs under the time limit), what is not
        a record reported under the wrapper's plugin.
        """
        if not isinstance(result, list):
            self._problem(
                plugin_name,
                self._dist(plugin_name),
                Phrase("wrapper.not-a-list", {"hook": hook_name, "type": type(result).__name__}),
            )
            return None
        what = f"{hook_name} of plugin {plugin_name!r}"
        taken: dict[int, int] = {}
        out: list[list[_T]] = []
        for element in result:
            if not isinstance(element, list | tuple):
                try:
                    element = call_with_timeout(_listed, element, timeout=self.timeout, what=what)
                except Exception as exc:  # noqa: BLE001 - isolated and reported
                    self._failed(plugin_name, hook_name, exc)
                    continue
            records = self._checked(hook_name, cls, plugin_name, element)
            if records is None:
                continue
            names = []
            for record in records:
                given = givers.get(id(record), ())
                # the same record handed twice (two plugins gave it) keeps each giver
                count = taken.get(id(record), 0)
                taken[id(record)] = count + 1
                names.append(given[min(count, len(given) - 1)] if given else plugin_name)
            out.append(_own(records, names))
        return out

    def _checked(
        self, hook_name: str, cls: type[_T], plugin_name: str, result: object
    ) -> list[_T] | None:
        """The records of one implementation's (or wrapper's) result, as a new list; what
        is not one is reported.

        None for nothing to gather (None, or a result of the wrong shape).
        """
        dist = self._dist(plugin_name)
        if result is None:
            return None
        if isinstance(result, str | bytes | cls) or not isinstance(result, Iterable):
            self._problem(
                plugin_name,
                dist,
                Phrase(
                    "hook.not-iterable",
                    {"hook": hook_name, "type": type(result).__name__, "record": cls.__name__},
                ),
            )
            return None
        try:
            items = list(result)
        except Exception as exc:  # noqa: BLE001 - an iterable that raises midway
            self._problem(
                plugin_name,
                dist,
                Phrase(
                    "hook-raised",
                    {"hook": hook_name, "error": type(exc).__name__, "why": _said(exc)},
                ),
            )
            return None
        records: list[_T] = []
        for item in items:
            if isinstance(item, cls):
                records.append(item)
            else:
                self._problem(
                    plugin_name,
                    dist,
                    Phrase(
                        "hook.wrong-type",
                        {"hook": hook_name, "type": type(item).__name__, "record": cls.__name__},
                    ),
                )
        return records

    # -- gathering ---------------------------------------------------------------
    def _records(self, hook_name: str, cls: type[_T]) -> Iterator[tuple[str, _T]]:
        """Every record the hook gives, with the plugin that gave it, in call order."""
        owners: _Givers = {}
        token = _OWNERS.set(owners)
        try:
            results = getattr(self.hook, hook_name)()
        finally:
            _OWNERS.reset(token)
        for element in results:
            # every implementation and wrapper is guarded: each element is a list of
            # records checked already, with the plugin that gave each one
            given = _givers(element, owners)
            if given is None:  # pragma: no cover - not from a guarded implementation
                records = self._checked(hook_name, cls, "?", element) or []
                given = ["?"] * len(records)
                element = records
            yield from zip(given, element, strict=True)

    def _gather(
        self,
        hook_name: str,
        cls: type[_T],
        key: Callable[[_T], str],
        check: Callable[[_T], Iterable[str | Phrase]] | None = None,
    ) -> dict[str, _T]:
        """The records of ``hook_name`` by name (sorted), as every campaign type sees them
        unless a replacement limited to types says otherwise (see :meth:`_for_type`).

        A name registered once is that record. A built-in record may be replaced on
        purpose: a record with ``replaces=True`` takes its place, for every campaign
        type or (with ``campaign_types``) for those types only; replacements whose types
        overlap clash. Any other name registered twice for one campaign type (two
        plugins, or a plugin and a built-in, without ``replaces``; a record without
        ``campaign_types`` is for every type) is a clash: reported once in
        :attr:`load_errors` naming every plugin, listed in :attr:`clashes`, and the name
        is left out, so that only it is unusable. Two plugins' records of one name for
        different campaign types are each their types' (see :meth:`_for_type`).
        """
        cached = self._gathered.get(hook_name)
        if cached is not None:
            return cached  # type: ignore[return-value]
        entries: dict[str, list[tuple[str, _T]]] = {}
        for plugin_name, item in self._records(hook_name, cls):
            name = key(item)
            # fields of the wrong type first: the record's own checks assume the right ones
            wrong: list[str | Phrase] = list(wrong_field_phrases(item))
            if not wrong and check is not None:
                wrong = list(check(item))
            if wrong:
                self._problem(
                    plugin_name,
                    self._dist(plugin_name),
                    Phrase("left-out", {"kind": cls.__name__, "name": name, "why": Joined(wrong)}),
                )
                continue
            entries.setdefault(name, []).append((plugin_name, item))
        builtin = set(builtin_plugins())
        result: dict[str, _T] = {}
        owners: dict[str, str] = {}
        typed: dict[str, list[tuple[tuple[str, ...], str, _T]]] = {}
        listed: dict[str, list[str]] = {}
        replaced: dict[str, _T] = {}
        for name in sorted(entries):
            found = entries[name]
            listed[name] = [plugin for plugin, _ in found]
            replacing = [
                (p, i) for p, i in found if p not in builtin and getattr(i, "replaces", False)
            ]
            plain = [(p, i) for p, i in found if not any(i is r for _, r in replacing)]
            if (
                _overlapping(plain)
                or _overlapping(replacing)
                or (replacing and any(p not in builtin for p, _ in plain))
            ):  # registered twice for one type, or a replacement of another plugin's
                self._clash(hook_name, cls, name, found, replacing)
                continue
            # the record most types see first, then those limited to some types
            ordered = (
                [*replacing, *plain]
                if any(not getattr(i, "campaign_types", ()) for _, i in replacing)
                else [*plain, *replacing]
            )
            base = ordered[0]
            result[name], owners[name] = base[1], base[0]
            if replacing:
                standing = [i for p, i in plain if p in builtin]
                if standing:
                    replaced[name] = standing[0]
            for plugin_name, item in ordered[1:]:
                types_ = tuple(getattr(item, "campaign_types", ()))
                if types_:
                    typed.setdefault(name, []).append((types_, plugin_name, item))
        self._gathered[hook_name + ":owners"] = owners
        self._gathered[hook_name + ":typed"] = typed
        self._gathered[hook_name + ":listed"] = listed
        self._gathered[hook_name + ":replaced"] = replaced
        self._gathered[hook_name] = result  # last: whoever finds it finds the rest too
        return result

    def _clash(
        self,
        hook_name: str,
        cls: type,
        name: str,
        found: Sequence[tuple[str, object]],
        replacing: Sequence[tuple[str, object]],
    ) -> None:
        """Report that ``name`` is registered by each plugin in ``found`` (plugin, record)
        so that they clash, worded for why: two replacements for the same campaign
        types, a plugin's record of a built-in name that does not say ``replaces=True``
        (where the record type has that field), or else a name registered twice.

        Reported once, under the plugin registered last that is not built in.
        """
        plugins = [p for p, _ in found]
        builtin = set(builtin_plugins())
        words: dict[str, object] = {"kind": cls.__name__, "name": name, "plugins": _names(plugins)}
        unmarked = [
            p for p, i in found if p not in builtin and not any(i is r for _, r in replacing)
        ]
        if _overlapping(replacing) and any(p in builtin for p in plugins):
            marked = _names(dict.fromkeys(p for p, _ in replacing))
            message = Phrase("clash.replaced-twice", {**words, "replacing": marked})
        elif _replaceable(cls) and unmarked and any(p in builtin for p in plugins):
            message = Phrase("clash.not-replacing", {**words, "unmarked": _names(unmarked)})
        else:
            message = Phrase("clash", words)
        self.clashes[(hook_name, name)] = tuple(plugins)
        self._clash_words[(hook_name, name)] = message
        rank = {plugin: i for i, plugin in enumerate(self.sources)}
        last = max(plugins, key=lambda p: (p not in builtin, rank.get(p, -1)))
        self._problem(last, self._dist(last), message)

    def clash(self, hook_name: str, name: str) -> PluginError | None:
        """The error of asking for ``name`` of ``hook_name`` if a clash made it unusable
        (see :attr:`clashes`), else None."""
        plugins = self.clashes.get((hook_name, name))
        if plugins is None:
            return None
        words = self._clash_words.get((hook_name, name))
        if words is not None:
            return PluginError(words)
        kinds = {
            "campaignkit_campaign_types": "CampaignType",
            "campaignkit_metrics": "MetricDef",
            "campaignkit_escalation_rules": "EscalationRule",
            "campaignkit_report_formatters": "ReportFormatter",
            "campaignkit_calendars": "WorkdayCalendar",
            "campaignkit_validators": "Validator",
        }
        return PluginError(
            Phrase(
                "clash",
                {
                    "kind": kinds.get(hook_name, hook_name),
                    "name": name,
                    "plugins": ", ".join(map(repr, plugins)),
                },
            )
        )

    def _for_type(
        self, hook_name: str, found: dict[str, _T], campaign_type: str | None
    ) -> dict[str, _T]:
        """``found`` as campaign type ``campaign_type`` sees it: replacements limited to
        it in place of what they replace, and records limited to other types left out."""
        if campaign_type is None:
            return found
        typed = self._gathered.get(hook_name + ":typed")
        out = dict(found)
        if isinstance(typed, dict):
            for name, replacements in typed.items():
                for types_, _, item in replacements:
                    if campaign_type in types_:
                        out[name] = item
        return {
            n: r
            for n, r in out.items()
            if campaign_type in (getattr(r, "campaign_types", ()) or (campaign_type,))
        }

    def owner(self, hook_name: str, name: str, campaign_type: str | None = None) -> str | None:
        """Which plugin registered ``name`` through ``hook_name`` (after gathering), as
        campaign type ``campaign_type`` sees it (a replacement limited to it, if any)."""
        if campaign_type is not None:
            typed = self._gathered.get(hook_name + ":typed")
            for types_, plugin, _ in typed.get(name, ()) if isinstance(typed, dict) else ():
                if campaign_type in types_:
                    return str(plugin)
        owners = self._gathered.get(hook_name + ":owners")
        return owners.get(name) if isinstance(owners, dict) else None

    def record(self, hook_name: str, name: str, campaign_type: str | None = None) -> Any:
        """The record of ``hook_name`` named ``name`` as campaign type ``campaign_type``
        sees it (a replacement limited to it in place of what it replaces), or None."""
        return self._for_type(hook_name, self.gathered(hook_name), campaign_type).get(name)

    def replaced(self, hook_name: str, name: str) -> Any:
        """The built-in record of ``hook_name`` named ``name`` that a plugin replaces
        (``replaces=True``), or None: what a replacement calls to wrap the built-in one
        (a format that renders the built-in one's output and adds to it). For metrics, see
        :meth:`campaign_type`: the type's own metric a replacement stands for is
        ``replaced("campaignkit_metrics", id)`` too."""
        self.gathered(hook_name)
        found = self._gathered.get(hook_name + ":replaced")
        return found.get(name) if isinstance(found, dict) else None

    def gathered(self, hook_name: str) -> dict[str, Any]:
        """The records of ``hook_name`` by name (as :meth:`report_formatters`,
        :meth:`calendars` and the others give them)."""
        gatherers: dict[str, Callable[[], dict[str, Any]]] = {
            "campaignkit_campaign_types": self.campaign_types,
            "campaignkit_metrics": self.metrics,
            "campaignkit_escalation_rules": self.escalation_rules,
            "campaignkit_report_formatters": self.report_formatters,
            "campaignkit_calendars": self.calendars,
            "campaignkit_validators": self.validators,
        }
        return gatherers[hook_name]()

    def replacements(self) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """Every built-in record a plugin replaces on purpose (after gathering): (hook
        name, name, the replacing plugin, the campaign types it replaces it for; empty:
        every type), in hook and name order."""
        found: list[tuple[str, str, str, tuple[str, ...]]] = []
        for hook_name in (
            "campaignkit_metrics",
            "campaignkit_escalation_rules",
            "campaignkit_report_formatters",
            "campaignkit_calendars",
        ):
            try:
                records = self.gathered(hook_name)
            except PluginError:
                continue
            replaced = self._gathered.get(hook_name + ":replaced")
            if not isinstance(replaced, dict):
                continue
            owners = self._gathered.get(hook_name + ":owners")
            typed = self._gathered.get(hook_name + ":typed")
            for name in sorted(replaced):
                for types_, plugin, _ in typed.get(name, ()) if isinstance(typed, dict) else ():
                    found.append((hook_name, name, str(plugin), tuple(types_)))
                owner = owners.get(name) if isinstance(owners, dict) else None
                if owner is not None and owner not in builtin_plugins() and name in records:
                    types_ = tuple(getattr(records[name], "campaign_types", ()))
                    found.append((hook_name, name, str(owner), types_))
        return found

    def registered_by(self, hook_name: str) -> dict[str, list[str]]:
        """Every name registered through ``hook_name`` (after gathering) → the plugins that
        registered it, in registration order: clashing and replaced names too."""
        listed = self._gathered.get(hook_name + ":listed")
        return dict(listed) if isinstance(listed, dict) else {}

    def campaign_types(self) -> dict[str, CampaignType]:
        """Every registered campaign type by key (sorted); clashes raise PluginError.

        A type that contradicts itself (see :meth:`CampaignType.problems`) is
        reported in :attr:`load_errors` and left out.
        """
        return self._gather(
            "campaignkit_campaign_types",
            CampaignType,
            lambda c: c.key,
            lambda c: c.problem_phrases(),
        )

    def campaign_type(self, key: str) -> CampaignType:
        """The campaign type ``key``, with metrics added by other plugins merged in."""
        types_ = self.campaign_types()
        if key not in types_:
            clash = self.clash("campaignkit_campaign_types", key)
            if clash is not None:
                raise clash
            known = ", ".join(types_) or "none"
            raise PluginError(Phrase("unknown-campaign-type", {"key": key, "registered": known}))
        cached = self._gathered.get("type:" + key)
        if isinstance(cached, CampaignType):
            return cached
        ctype = types_[key]
        own = {m.id for m in ctype.metrics}
        hook = "campaignkit_metrics"
        owner = self.owner("campaignkit_campaign_types", key) or "?"
        extra = []
        replaced: dict[str, MetricDef] = {}
        for m in self._for_type(hook, self.metrics(), key).values():
            plugin = self.owner(hook, m.id, key) or "?"
            if m.id in own and m.replaces:
                replaced[m.id] = m  # on purpose: the type's own metric is replaced
                kept = self._gathered.setdefault(hook + ":replaced", {})
                if isinstance(kept, dict):
                    kept.setdefault(m.id, next(o for o in ctype.metrics if o.id == m.id))
            elif m.id in own:  # a clash: the type keeps its own metric
                words = {"kind": "MetricDef", "name": m.id, "plugins": _names((owner, plugin))}
                message = (
                    Phrase("clash.not-replacing", {**words, "unmarked": _names((plugin,))})
                    if owner in builtin_plugins()
                    else Phrase("clash", words)
                )
                self.clashes[(hook, m.id)] = (owner, plugin)
                self._clash_words[(hook, m.id)] = message
                self._problem(plugin, self._dist(plugin), message)
            else:
                extra.append(m)
        if replaced:
            ctype = attrs.evolve(ctype, metrics=tuple(replaced.get(m.id, m) for m in ctype.metrics))
        ids = own | {m.id for m in extra}
        by_id = {m.id: m for m in (*ctype.metrics, *extra)}
        merged: dict[str, MetricDef] = {}
        for m in extra:
            missing = [r for r in (m.numerator, m.denominator) if r is not None and r not in ids]
            plugin = self.owner(hook, m.id, key) or "?"
            if missing:
                if m.campaign_types:
                    self._problem(
                        plugin,
                        self._dist(plugin),
                        Phrase(
                            "metric.left-out-no-metric",
                            {"metric": m.id, "campaign_type": key, "missing": ", ".join(missing)},
                        ),
                    )
                continue
            wrong = metric_problems(m, by_id)
            if wrong:  # a value kind the metrics it is taken over do not fit, in this type
                self._left_out(key, m.id, wrong)
                continue
            merged[m.id] = m
        # a replacement of the type's own metric whose value kind does not fit, or that
        # makes a metric over it not fit, is left out: the type keeps its own metric
        final = {**{m.id: m for m in ctype.metrics}, **merged}
        for mid, m in list(replaced.items()):
            over = [o for o in final.values() if mid in (o.numerator, o.denominator)]
            unfit = [p for x in (m, *over) for p in metric_problems(x, final)]
            if unfit:
                self._left_out(key, mid, unfit)
                del replaced[mid]
                final[mid] = next(o for o in types_[key].metrics if o.id == mid)
                ctype = attrs.evolve(ctype, metrics=tuple(final[o.id] for o in ctype.metrics))
        # a figure over an added metric that was left out goes too (and one over it …), as
        # does an added one that no longer fits the metric a replacement gave back
        joined = own | set(merged)
        while dropped := [
            mid
            for mid, m in merged.items()
            if any(r is not None and r not in joined for r in (m.numerator, m.denominator))
            or metric_problems(m, final)
        ]:
            for mid in dropped:
                misfit = metric_problems(merged[mid], final)
                parts = (merged[mid].numerator, merged[mid].denominator)
                if misfit and all(r in joined for r in parts if r is not None):
                    self._left_out(key, mid, misfit)
                del merged[mid]
                del final[mid]
            joined -= set(dropped)
        if merged:
            ctype = attrs.evolve(ctype, metrics=(*ctype.metrics, *merged.values()))
        self._gathered["type:" + key] = ctype
        return ctype

    def _left_out(self, key: str, metric: str, why: Sequence[str | Phrase]) -> None:
        """Report that campaign type ``key`` leaves out the added (or replacing) ``metric``."""
        plugin = self.owner("campaignkit_metrics", metric, key) or "?"
        words = {"campaign_type": key, "metric": metric, "why": Joined(why)}
        self._problem(plugin, self._dist(plugin), Phrase("metric.left-out-of", words))

    def metrics(self) -> dict[str, MetricDef]:
        """Metrics registered through ``campaignkit_metrics``.

        A metric whose value kind its definition does not fit
        (:meth:`MetricDef.problems`: an average without a denominator …) is
        reported in :attr:`load_errors` and left out; whether the metrics it is taken
        over fit it is checked for each campaign type it joins
        (:meth:`campaign_type`)."""
        return self._gather(
            "campaignkit_metrics", MetricDef, lambda m: m.id, lambda m: m.problem_phrases()
        )

    def escalation_rules(self, campaign_type: str | None = None) -> dict[str, EscalationRule]:
        """Escalation rules by name; with ``campaign_type``, the rules that run for it.

        For a type, replacements limited to it stand in place of the rules they replace,
        rules limited to other types are left out, and if the type chooses its rules
        (:attr:`CampaignType.escalation_rules
        <campaignkit.rules.records.CampaignType.escalation_rules>`) only the chosen ones
        remain: a rule's own ``campaign_types`` can only narrow the type's choice. A
        chosen name no plugin registers is reported once.
        """
        hook = "campaignkit_escalation_rules"
        every = self._gather(hook, EscalationRule, lambda r: r.name)
        rules = self._for_type(hook, every, campaign_type)
        if campaign_type is None:
            return rules
        ctype = self.campaign_types().get(campaign_type)
        chosen = ctype.escalation_rules if ctype is not None else None
        if chosen is None:
            return rules
        for name in chosen:
            if name not in rules and (hook, name) not in self.clashes:
                owner = self.owner("campaignkit_campaign_types", campaign_type) or "?"
                limited = every.get(name)
                words = {"type": campaign_type, "name": name}
                if limited is not None:  # registered, but for other types only
                    others = ", ".join(limited.campaign_types)
                    message = Phrase("chosen-rule-for-others", {**words, "types": others})
                else:
                    message = Phrase("unknown-chosen-rule", words)
                self._problem(owner, self._dist(owner), message)
        return {n: r for n, r in rules.items() if n in chosen}

    def report_formatters(self, campaign_type: str | None = None) -> dict[str, ReportFormatter]:
        """Report formatters by name; with ``campaign_type``, as that type's reports use
        them (replacements limited to it in place of what they replace)."""
        hook = "campaignkit_report_formatters"
        found = self._gather(hook, ReportFormatter, lambda f: f.name)
        return self._for_type(hook, found, campaign_type)

    def calendars(self, campaign_type: str | None = None) -> dict[str, WorkdayCalendar]:
        """Working-day calendars by name; with ``campaign_type``, as that type counts
        working days (replacements limited to it in place of what they replace)."""
        hook = "campaignkit_calendars"
        found = self._gather(hook, WorkdayCalendar, lambda c: c.name)
        return self._for_type(hook, found, campaign_type)

    def validators(self, campaign_type: str | None = None) -> dict[str, Validator]:
        """Ledger validators by name, optionally only those for one campaign type."""
        hook = "campaignkit_validators"
        found = self._gather(hook, Validator, lambda v: v.name)
        return self._for_type(hook, found, campaign_type)

    def write_checks(self, campaign_type: str | None = None) -> dict[str, WriteCheck]:
        """Checks that may refuse a write to a store, by name, optionally only those for one
        campaign type (see ``campaignkit_write_checks``)."""
        hook = "campaignkit_write_checks"
        found = self._gather(hook, WriteCheck, lambda v: v.name)
        return self._for_type(hook, found, campaign_type)

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Fire an event hook: ``pm.hook.<hook_name>(**kwargs)``.

        Each implementation receives the arguments it declares (a subset of the
        hook's), in the order described at :meth:`register`; one that raises or outlasts the
        time limit is reported in :attr:`load_errors` and the others still run.
        """
        getattr(self.hook, hook_name)(**kwargs)

    def culprit(self, exc: BaseException) -> tuple[str, str] | None:
        """The plugin whose own code raised ``exc``, and where: ``(name, "file:line in
        function")`` for the innermost frame in a registered plugin's files, else None.

        A plugin module's file is its own; a module inside a package (not
        campaignkit) owns the whole package, so a plugin split over several
        modules is found in any of them; where two plugins share a package, the
        one whose own file raised (else the deeper folder) is named. The
        built-in plugins are never named: an error in them is campaignkit's.
        """
        builtin = set(builtin_plugins())
        roots: list[tuple[str, str, bool]] = []
        for name, plugin in self.list_name_plugin():
            if name in builtin:
                continue
            module = plugin if isinstance(plugin, types.ModuleType) else inspect.getmodule(plugin)
            file = getattr(module, "__file__", None)
            if module is None or not file:
                continue
            top = module.__name__.partition(".")[0]
            package = sys.modules.get(top)
            package_file = getattr(package, "__file__", None)
            if top != __name__.partition(".")[0] and "." in module.__name__ and package_file:
                roots.append((name, os.path.dirname(os.path.abspath(package_file)), True))
            else:
                roots.append((name, os.path.abspath(file), False))
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            where = os.path.abspath(frame.filename)
            owners = [
                (where == root, len(root), name)
                for name, root, whole in roots
                if where == root or (whole and where.startswith(root + os.sep))
            ]
            if owners:
                name = max(owners)[2]
                return name, f"{os.path.basename(where)}:{frame.lineno} in {frame.name}"
        return None

    def registrations(self) -> dict[str, dict[str, list[str]]]:
        """For each plugin, what it registers: hook short name → names.

        Event hooks a plugin implements are listed with an empty list. A name two
        plugins register is listed under both (the clash is in :attr:`clashes` and
        :attr:`load_errors`), as is a built-in name a plugin replaces.
        """
        out: dict[str, dict[str, list[str]]] = {name: {} for name in self.sources}
        gatherers: dict[str, Callable[[], dict[str, Any]]] = {
            "campaign_types": self.campaign_types,
            "metrics": self.metrics,
            "escalation_rules": self.escalation_rules,
            "report_formatters": self.report_formatters,
            "calendars": self.calendars,
            "validators": self.validators,
            "write_checks": self.write_checks,
        }
        for short, gather in gatherers.items():
            try:
                gather()
            except PluginError:
                continue
            for item, plugins in self.registered_by(hookspecs.HOOK_PREFIX + short).items():
                for by in dict.fromkeys(plugins):  # clashing and replaced names too
                    if by in out:
                        out[by].setdefault(short, []).append(item)
        # metrics registered separately join each campaign type: one that does not fit a
        # type is reported now (in load_errors), not first when a ledger of it is read
        # and so is a rule a type chooses that no plugin registers for it
        with contextlib.suppress(PluginError):
            for key in self.campaign_types():
                with contextlib.suppress(PluginError):
                    self.campaign_type(key)
                with contextlib.suppress(PluginError):
                    self.escalation_rules(key)
        for name in self.sources:
            plugin = self.get_plugin(name)
            for hook in self.get_hookcallers(plugin) or []:
                short = hook.name.removeprefix(hookspecs.HOOK_PREFIX)
                if short not in gatherers and hook.has_spec():
                    out[name].setdefault(short, [])
        return out

    def optional_hooks(self, name: str) -> list[str]:
        """The hooks plugin ``name`` implements as optional (``optionalhook=True``) that this
        version does not have: never called, listed apart from its event hooks."""
        plugin = self.get_plugin(name)
        found = [h.name for h in self.get_hookcallers(plugin) or [] if not h.has_spec()]
        return sorted(found)


def _resolve(spec: str) -> object:
    """Import ``module`` or ``module:attribute.path``."""
    module_name, _, attr = spec.partition(":")
    obj: object = importlib.import_module(module_name)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


def _materialised(
    function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Call a hook implementation and, if it returns a generator, run it to the end
    (inside the time limit: a generator that hangs midway is a hanging plugin)."""
    return _listed(function(*args, **kwargs))


def _listed(result: object) -> object:
    """A generator run to its end (as a list); anything else as it is."""
    if isinstance(result, types.GeneratorType):
        return list(result)
    return result


def _to_first_yield(
    function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Generator[Any, Any, Any]:
    """Call a wrapper and run it to its ``yield`` (StopIteration: it did not yield)."""
    wrapper: Generator[Any, Any, Any] = function(*args, **kwargs)
    next(wrapper)
    return wrapper


_Givers = dict[int, tuple[list[Any], list[str]]]
"""Lists of checked records by their identity, each with the plugin that gave each record."""

_OWNERS: ContextVar[_Givers | None] = ContextVar("campaignkit_hook_owners", default=None)
"""While a registration hook is gathered: each list of checked records an
implementation or a wrapper gave, with the plugin that gave each record."""


def _own(records: list[_T], givers: list[str]) -> list[_T]:
    """Note who gave each of ``records`` (a new list of checked records) while a hook is
    gathered."""
    owners = _OWNERS.get()
    if owners is not None:
        owners[id(records)] = (records, givers)
    return records


def _givers(element: object, owners: _Givers | None = None) -> list[str] | None:
    """The plugin that gave each record of ``element``, if it is a list noted by :func:`_own`."""
    owners = _OWNERS.get() if owners is None else owners
    found = owners.get(id(element)) if owners is not None else None
    if found is None or found[0] is not element:
        return None
    return found[1]


def _handed(results: object) -> tuple[object, dict[int, list[str]]]:
    """What a wrapper around a registration hook is handed: a copy of the hook's results
    (a new list of new lists, so that nothing it changes in place is taken unchecked),
    and by each record's identity the plugins that gave it."""
    if not isinstance(results, list):
        return results, {}
    givers: dict[int, list[str]] = {}
    handed: list[object] = []
    for element in results:
        if isinstance(element, list):
            names = _givers(element) or ["?"] * len(element)
            for record, name in zip(element, names, strict=True):
                givers.setdefault(id(record), []).append(name)
            element = list(element)
        handed.append(element)
    return handed, givers


def new_plugin_manager(
    plugins: Iterable[str | types.ModuleType | object] = (),
    *,
    blocked: Iterable[str] = (),
    entry_points: bool = True,
    builtins: bool = True,
    timeout: float | Literal["default"] | None = "default",
) -> PluginManager:
    """Build a fresh manager: built-ins, then entry points, then ``plugins``.

    ``plugins`` are module names (or ``module:attribute``) to import, or
    plugin objects (modules, classes, instances) to register. Names in
    ``blocked`` are never loaded: plugin names, module names, entry-point
    names or distribution names. ``timeout`` is how long one hook call of a
    plugin may take (seconds; None: no limit); by default
    :func:`campaignkit.hooks.watchdog.configured_timeout`.
    """
    pm = PluginManager(timeout=configured_timeout() if timeout == "default" else timeout)
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
            pm.add(plugin, canonical_name(plugin), "explicit")
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
