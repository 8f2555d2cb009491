"""Validation's quick check of ``extra`` agrees with the check that words each problem."""

from __future__ import annotations

from typing import Any

import attrs
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.io import ledger_from_document
from campaignkit.rules.records import ExtraAttribute, Label
from campaignkit.validation.checks import _Clean, _extra
from tests.validation.test_validation_paths import EXAMPLE

_L = Label("x", "x")
ATTRIBUTES = (
    ExtraAttribute("issue", "s", "str", _L),
    ExtraAttribute("issue", "n", "int", _L, required=True),
    ExtraAttribute("issue", "b", "bool", _L),
    ExtraAttribute("issue", "d", "decimal", _L),
    ExtraAttribute("issue", "day", "date", _L),
    ExtraAttribute("issue", "c", "str", _L, choices=("one", "two")),
    ExtraAttribute("activity", "k", "str", _L, kinds=("symposium",), required=True),
    ExtraAttribute("activity", "k", "int", _L, kinds=("media_report",)),
    ExtraAttribute("activity", "s", "str", _L),
    ExtraAttribute("event", "when", "date", _L, kinds=("feedback",)),
)
RECORDS = [
    ("issue", None),
    ("activity", "symposium"),
    ("activity", "media_report"),
    ("activity", "other"),
    ("event", "feedback"),
    ("event", "resolved"),
    ("outcome", "x"),
]

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=6),
    st.sampled_from(["one", "two", "2024-02-29", "2023-02-29", "1.5", "1e3", "NaN", "x", " 7"]),
    st.lists(st.integers(), max_size=2),
)
extras = st.dictionaries(
    st.sampled_from(["s", "n", "b", "d", "day", "c", "k", "when", "zz"]), values
)


def _clean() -> _Clean:
    ledger = ledger_from_document(orjson.loads(EXAMPLE.read_bytes()))
    ctype = get_plugin_manager().campaign_type(ledger.campaign.type)
    return _Clean(ledger, attrs.evolve(ctype, extra_attributes=ATTRIBUTES))


CLEAN = _clean()


@settings(max_examples=400, deadline=None)
@given(extras, st.sampled_from(RECORDS))
def test_quick_check_agrees(extra: dict[str, Any], where: tuple[str, str | None]) -> None:
    record, kind = where
    wording = _extra(extra, record, kind, ATTRIBUTES, "p", "t")
    assert CLEAN._extra_ok(extra, record, kind) == (next(wording, None) is None)
    assert CLEAN._required[where] == any(
        a.required for a in ATTRIBUTES if a.record == record and (not a.kinds or kind in a.kinds)
    )
