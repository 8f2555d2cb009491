"""Properties over random valid ledgers and random mutations of valid documents."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import campaignkit as ck
from campaignkit.model.ledger import Ledger
from campaignkit.stats.metrics import breakdown, dimensions_of, make_context
from campaignkit.stats.reconcile import reconcile
from campaignkit.stats.summary import summary, summary_table
from tests.conftest import minimal_document
from tests.strategies import ledgers

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ledgers())
def test_total_row_is_the_sum_of_rows(ledger: Ledger) -> None:
    for by in ("team", "region"):
        table = summary_table(ledger, by=by)
        for col in table.columns:
            rows = sum((Decimal(r.values[col.metric] or 0) for r in table.rows), Decimal(0))
            assert rows == Decimal(table.total.values[col.metric] or 0), (by, col.metric)


@SETTINGS
@given(ledgers(), st.sampled_from(["team", "region", "category", "channel", "level", "month"]))
def test_breakdowns_add_up_and_keep_provenance(ledger: Ledger, by: str) -> None:
    ctx = make_context(ledger)
    for metric in ctx.campaign_type.metrics:
        if metric.is_rate or by not in dimensions_of(ctx.campaign_type, metric.id):
            continue
        bd = breakdown(ctx, metric.id, by)
        assert sum(Decimal(r.result.value or 0) for r in bd.rows) == Decimal(bd.total.value or 0)
        row_records = {rec for r in bd.rows for rec in r.result.provenance}
        assert row_records <= set(bd.total.provenance)


@SETTINGS
@given(ledgers())
def test_reconciling_the_records_own_figures_finds_nothing(ledger: Ledger) -> None:
    figures = summary(ledger)
    claims = {k: str(v) for k, v in figures.items() if v is not None}
    assert reconcile(ledger, claims) == []


@SETTINGS
@given(ledgers())
def test_rates_lie_between_zero_and_one(ledger: Ledger) -> None:
    ctx = make_context(ledger)
    for metric in ctx.campaign_type.metrics:
        if metric.is_rate:
            value = ck.compute(ctx, metric.id).value
            assert value is None or Decimal(0) <= Decimal(value) <= Decimal(1), metric.id


# -- mutations: never an unexpected exception type ------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, (*prefix, i)))
    return out


PATHS = [p for p in _paths(minimal_document()) if p]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(PATHS), json_values, st.booleans()), min_size=1, max_size=4)
)
def test_mutated_documents_fail_only_with_ledger_error(
    mutations: list[tuple[tuple[Any, ...], Any, bool]],
) -> None:
    doc: Any = copy.deepcopy(minimal_document())
    for path, value, delete in mutations:
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            if isinstance(path[-1], int) and not isinstance(parent, list):
                continue  # an earlier mutation made this list something else: not JSON
            if delete and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    try:
        ledger = ck.loads(orjson.dumps(doc))
    except ck.LedgerError as exc:
        assert exc.problems
        assert all(str(p) for p in exc.problems)
        return
    # a mutation that kept the document valid must still compute and round-trip
    summary(ledger)
    assert ck.loads(ck.dumps(ledger)) == ledger
