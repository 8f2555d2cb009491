"""Modules that moved keep their old names for this release: each old module imports and
gives every public name of its new home, and the names plugins written for v0.1.0 import
(``from campaignkit.types import …``, ``from campaignkit.validate import check_ledger``)
still work."""

from __future__ import annotations

import importlib

import campaignkit
from campaignkit.io import validate
from campaignkit.validation import checks
from tests.project.test_docs import moved_modules


def test_every_old_module_gives_the_public_names_it_says() -> None:
    moved = moved_modules()
    assert len(moved) > 30  # the table of old names is not empty
    for name in moved:
        module = importlib.import_module(name)
        missing = [n for n in getattr(module, "__all__", ()) if not hasattr(module, n)]
        assert not missing, f"{name} lacks {missing}"


def test_the_old_validate_module_and_the_validate_function_share_the_name() -> None:
    from campaignkit.validate import check_ledger, check_records

    assert check_ledger is checks.check_ledger and check_records is checks.check_records
    assert campaignkit.validate is validate  # the package attribute is the function
    assert importlib.import_module("campaignkit.validate").check_ledger is checks.check_ledger


def test_names_plugins_of_the_last_release_import() -> None:
    from campaignkit.hookspecs import hookimpl
    from campaignkit.types import CampaignType, EscalationRule, Label, MetricDef

    assert hookimpl is campaignkit.hookimpl
    assert all(isinstance(t, type) for t in (CampaignType, EscalationRule, Label, MetricDef))
