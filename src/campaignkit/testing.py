"""Helpers for testing plugins: a fresh manager with your plugin, and ledgers loaded with it.

The context manager gives a manager built for the test alone (built-ins
plus your plugin; installed entry points only when asked), and by default
fails at once when your plugin did not load cleanly, naming every problem::

    from campaignkit.testing import load_ledger, plugin_manager

    def test_my_campaign_type():
        with plugin_manager("my_package.plugin") as pm:
            ledger = load_ledger(my_document, manager=pm)
            assert "my-type" in pm.campaign_types()

Installed with campaignkit, a pytest plugin (entry point ``pytest11`` →
``campaignkit.testing``) provides the ``campaignkit_manager`` fixture. Say
which plugins it registers with the ``campaignkit_plugins`` marker, or by
overriding the ``campaignkit_plugins`` fixture in a ``conftest.py``::

    import pytest

    @pytest.mark.campaignkit_plugins("my_package.plugin")
    def test_rules(campaignkit_manager):
        assert "my-rule" in campaignkit_manager.escalation_rules()
"""

from __future__ import annotations

import importlib.util
import os
import types
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from campaignkit.errors import PluginError
from campaignkit.hooks.manager import PluginManager, new_plugin_manager
from campaignkit.model.ledger import Ledger

__all__ = ["MARKER", "load_ledger", "plugin_manager"]

MARKER = "campaignkit_plugins"
"""Name of the pytest marker (and fixture) that lists the plugins to register."""

PluginSpec = str | types.ModuleType | object


@contextmanager
def plugin_manager(
    *plugins: PluginSpec,
    blocked: Iterable[str] = (),
    entry_points: bool = False,
    builtins: bool = True,
    check: bool = True,
    timeout: float | Literal["default"] | None = "default",
) -> Iterator[PluginManager]:
    """A fresh :class:`~campaignkit.hooks.manager.PluginManager` with ``plugins`` registered.

    ``plugins`` are module names (``"my_package.plugin"`` or
    ``"module:attribute"``) or plugin objects (modules, classes, instances).
    Built-in plugins are registered first unless ``builtins`` is false;
    installed entry points only with ``entry_points``. Names in ``blocked``
    are not loaded. ``timeout`` is the time limit of one plugin call (seconds;
    None: no limit; by default that of :func:`~campaignkit.manager.new_plugin_manager`).

    With ``check`` (the default), a :class:`~campaignkit.errors.PluginError`
    listing every problem is raised when one of the plugins did not load
    cleanly or a registration hook fails or clashes; pass ``check=False`` to
    inspect :attr:`~campaignkit.hooks.manager.PluginManager.load_errors` yourself.
    The manager is independent of the shared one of
    :func:`~campaignkit.hooks.manager.get_plugin_manager`, so pass it on
    (``manager=pm``) to the functions you test.
    """
    pm = new_plugin_manager(
        plugins, blocked=blocked, entry_points=entry_points, builtins=builtins, timeout=timeout
    )
    if check:
        pm.registrations()  # runs every registration hook once; clashes land in load_errors
        if pm.load_errors:
            lines = "\n".join(f"  {problem}" for problem in pm.load_errors)
            raise PluginError(f"{len(pm.load_errors)} plugin problem(s):\n{lines}")
    yield pm


def load_ledger(
    source: Mapping[str, Any] | str | bytes | os.PathLike[str],
    *,
    manager: PluginManager,
) -> Ledger:
    """Load and validate a ledger under ``manager``'s campaign types and validators.

    ``source`` is a parsed document (a dict as in the JSON file), JSON text
    or bytes, or a path to a ledger file. Raises
    :class:`~campaignkit.errors.LedgerError` with every problem.
    """
    from campaignkit.io import load, loads

    if isinstance(source, os.PathLike):
        return load(Path(source), manager=manager)
    if isinstance(source, str | bytes):
        return loads(source, manager=manager)
    import orjson

    return loads(orjson.dumps(dict(source)), manager=manager)


def _plugins_of(node_markers: Iterable[Any], default: Iterable[PluginSpec]) -> list[PluginSpec]:
    chosen: list[PluginSpec] = []
    found = False
    for mark in node_markers:
        found = True
        chosen.extend(mark.args)
    return chosen if found else list(default)


if importlib.util.find_spec("pytest") is not None:
    import pytest

    def pytest_configure(config: pytest.Config) -> None:
        """Register the ``campaignkit_plugins`` marker."""
        config.addinivalue_line(
            "markers",
            f"{MARKER}(*plugins): plugins the campaignkit_manager fixture registers "
            "(module names or plugin objects)",
        )

    @pytest.fixture
    def campaignkit_plugins() -> tuple[PluginSpec, ...]:
        """Plugins the ``campaignkit_manager`` fixture registers; override it in ``conftest.py``."""
        return ()

    @pytest.fixture
    def campaignkit_manager(
        request: pytest.FixtureRequest, campaignkit_plugins: Iterable[PluginSpec]
    ) -> Iterator[PluginManager]:
        """A fresh manager: built-ins plus the plugins of the marker or the fixture.

        Plugins named by ``@pytest.mark.campaignkit_plugins(...)`` replace those
        of the ``campaignkit_plugins`` fixture. A plugin that does not load
        cleanly fails the test with every problem listed.
        """
        plugins = _plugins_of(request.node.iter_markers(MARKER), campaignkit_plugins)
        with plugin_manager(*plugins) as pm:
            yield pm
