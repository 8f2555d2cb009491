"""Reconciliation: check a draft report's claimed figures against the records.

Claims are a mapping of metric id → value (numbers, or exact strings such as
``"750000000"``), or a claims file::

    {"source": "工作总结正文", "claims": {
        "symposiums": {"value": 17, "quote": "召开座谈会17场"},
        "issues_collected": 207}}

:func:`reconcile` lists every claim that differs from the records, with the
computed value and the records behind it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import orjson
from attrs import frozen

from campaignkit.errors import LedgerError, Problem
from campaignkit.ledger import Ledger
from campaignkit.manager import PluginManager
from campaignkit.metrics import MetricContext, MetricResult, Number, compute, make_context

__all__ = ["Claim", "Discrepancy", "load_claims", "reconcile"]


@frozen
class Claim:
    """A figure a document claims."""

    metric: str
    value: Decimal
    quote: str | None = None


@frozen
class Discrepancy:
    """A claim that the records do not support."""

    claim: Claim
    computed: MetricResult
    """The figure from the records, with its provenance."""

    @property
    def difference(self) -> Decimal | None:
        """Claimed minus computed (None when the computed value is undefined)."""
        if self.computed.value is None:
            return None
        return self.claim.value - Decimal(self.computed.value)


def _number(value: object, path: str, source: str | None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise LedgerError(
            [Problem(path, f"expected a number or a numeric string, got {value!r}")], source
        )
    try:
        return Decimal(value)
    except InvalidOperation:
        raise LedgerError([Problem(path, f"not a number: {value!r}")], source) from None


def parse_claims(data: Mapping[str, Any], source: str | None = None) -> tuple[Claim, ...]:
    """Claims from a mapping: either ``{"claims": {...}}`` or ``{metric: value}`` directly."""
    raw = data.get("claims", data) if isinstance(data, Mapping) else data
    if not isinstance(raw, Mapping):
        raise LedgerError([Problem("claims", "expected an object of metric id → value")], source)
    claims = []
    for metric, item in raw.items():
        if metric == "source" and "claims" not in data:
            continue
        path = f"claims.{metric}"
        if isinstance(item, Mapping):
            unknown = set(item) - {"value", "quote"}
            if unknown:
                raise LedgerError(
                    [Problem(path, f"unknown key(s) {', '.join(sorted(unknown))}")], source
                )
            if "value" not in item:
                raise LedgerError([Problem(f"{path}.value", "required key missing")], source)
            quote = item.get("quote")
            claims.append(Claim(metric, _number(item["value"], f"{path}.value", source), quote))
        else:
            claims.append(Claim(metric, _number(item, path, source)))
    return tuple(claims)


def load_claims(path: str | os.PathLike[str]) -> tuple[Claim, ...]:
    """Read a claims file (JSON)."""
    p = Path(path)
    try:
        data = orjson.loads(p.read_bytes())
    except OSError as exc:
        raise LedgerError([Problem("", f"cannot read: {exc.strerror or exc}")], str(p)) from None
    except orjson.JSONDecodeError as exc:
        raise LedgerError([Problem("", f"not valid JSON: {exc}")], str(p)) from None
    if not isinstance(data, dict):
        raise LedgerError([Problem("", "expected a JSON object")], str(p))
    return parse_claims(data, str(p))


def reconcile(
    ledger: Ledger | MetricContext,
    claims: Mapping[str, Number | str] | tuple[Claim, ...] | list[Claim],
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> list[Discrepancy]:
    """Every claim that differs from the records (an empty list: the draft is right).

    An unknown metric id raises ``KeyError`` naming the campaign type.
    """
    ctx = (
        ledger
        if isinstance(ledger, MetricContext)
        else make_context(ledger, manager=manager, as_of=as_of)
    )
    items = parse_claims(claims) if isinstance(claims, Mapping) else tuple(claims)
    out = []
    for claim in items:
        result = compute(ctx, claim.metric, lang=lang)
        if result.value is None or Decimal(result.value) != claim.value:
            out.append(Discrepancy(claim, result))
    return out
