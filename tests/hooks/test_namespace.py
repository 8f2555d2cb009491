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


def test_every_name_the_guide_says_the_namespace_offers_is_there() -> None:
    """The guide's list of what ``campaignkit.plugins`` offers (both languages) names
    nothing the namespace lacks: the records a plugin reads, the clock statuses, the
    message catalogue and the calendar builder included."""
    import re
    from pathlib import Path

    docs = Path(__file__).parents[2] / "docs"
    for page, start in (
        ("writing-a-plugin.en.md", "one namespace"),
        ("writing-a-plugin.md", "一个命名空间"),
    ):
        text = (docs / page).read_text("utf-8")
        paragraph = text[text.index(start) : text.index("```python", text.index(start))]
        names = set(re.findall(r"`(\w+)`", paragraph)) - {"campaignkit"}
        assert {"Issue", "IssueEvent", "ClockStatus", "register", "Phrase", "State"} <= names, page
        assert {"noun", "late_phrase", "Needs"} <= names, page
        missing = sorted(n for n in names if n not in campaignkit.plugins.__all__)
        assert not missing, (page, missing)
