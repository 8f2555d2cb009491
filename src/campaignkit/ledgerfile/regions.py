"""Region data shipped with campaignkit (GB/T 2260 codes plus project-defined zone codes)."""

from __future__ import annotations

from importlib.resources import files

import orjson
from cattrs.errors import BaseValidationError

from campaignkit.errors import LedgerError
from campaignkit.ledgerfile.converter import exception_problems, structure
from campaignkit.model.records import Region

__all__ = ["available", "load_regions"]

_PACKAGE = "campaignkit.data.regions"


def available() -> tuple[str, ...]:
    """Names of the shipped region sets (e.g. ``anhui-huainan``)."""
    return tuple(
        sorted(
            p.name.removesuffix(".json")
            for p in files(_PACKAGE).iterdir()
            if p.name.endswith(".json")
        )
    )


def load_regions(name: str) -> tuple[Region, ...]:
    """The shipped region set ``name``: province, city, counties/districts and zones.

    >>> [r.name for r in load_regions("anhui-huainan") if r.level == "county"][:2]
    ['大通区', '田家庵区']
    """
    if name not in available():
        raise KeyError(f"no region set {name!r} (available: {', '.join(available())})")
    data = orjson.loads(files(_PACKAGE).joinpath(f"{name}.json").read_bytes())
    try:
        return structure(data, tuple[Region, ...])
    except BaseValidationError as exc:  # pragma: no cover - shipped data is tested
        raise LedgerError(exception_problems(exc), f"{name}.json") from None
