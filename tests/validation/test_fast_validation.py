"""The quick checks validation runs first agree with the checks that word the problems."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import campaignkit as ck
from benchmarks.generate import write_ledger
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.model.uscc import ALPHABET, check_character, uscc_problem
from campaignkit.validation.checks import _Clean, _uscc_ok

codes = st.text(alphabet=ALPHABET + "IOZS0", min_size=0, max_size=19)
bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(codes)
def test_uscc_quick_check_agrees_on_any_text(code: str) -> None:
    assert _uscc_ok(code) == (uscc_problem(code) is None)


@given(bodies)
def test_uscc_quick_check_accepts_every_valid_code(body: str) -> None:
    code = body + check_character(body)
    assert _uscc_ok(code)
    wrong = ALPHABET[(ALPHABET.index(code[17]) + 1) % len(ALPHABET)]
    assert not _uscc_ok(body + wrong)


def test_every_record_of_a_valid_province_ledger_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    with path.open("wb") as fh:
        write_ledger(fh, 300, seed=11)
    ledger = ck.load(path)
    clean = _Clean(ledger, get_plugin_manager().campaign_type(ledger.campaign.type))
    assert all(clean.enterprise(e) for e in ledger.enterprises)
    assert all(clean.activity(a) for a in ledger.activities)
    assert all(clean.issue(i) for i in ledger.issues)
    assert all(clean.outcome(o) for o in ledger.outcomes)
