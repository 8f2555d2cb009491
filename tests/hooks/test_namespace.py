"""The plugin author's namespace and the list of built-in plugins."""

from __future__ import annotations

import pkgutil

import campaignkit.plugins
from campaignkit.hooks.manager import DEFAULT_PLUGINS, RECORD_TYPES, new_plugin_manager


def test_every_record_type_and_hookimpl_come_from_one_namespace() -> None:
    for record_type in RECORD_TYPES.values():
        assert getattr(campaignkit.plugins, record_type.__name__) is record_type
    assert campaignkit.plugins.hookimpl is campaignkit.hookimpl
    for name in campaignkit.plugins.__all__:
        assert getattr(campaignkit.plugins, name) is not None, name


def test_the_default_list_names_every_built_in_plugin_module() -> None:
    modules = [
        f"campaignkit.plugins.{info.name}"
        for info in pkgutil.iter_modules(campaignkit.plugins.__path__)
        if not info.name.startswith("_")
    ]
    assert sorted(DEFAULT_PLUGINS) == sorted(modules)
    pm = new_plugin_manager(entry_points=False)
    assert list(pm.sources) == list(DEFAULT_PLUGINS)
    assert not pm.load_errors
