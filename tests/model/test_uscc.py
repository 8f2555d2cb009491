from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaignkit.model.uscc import ALPHABET, check_character, uscc_problem

# Codes published by their holders (business licences shown on public websites).
PUBLISHED = [
    "91350100M000100Y43",
    "91110108551385082Q",
    "9144030071526726XG",
    "91330100716105852F",
    "91440300192317458F",
    "91110000710925462X",
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", PUBLISHED)
def test_any_other_check_character_is_refused(code: str) -> None:
    for ch in ALPHABET:
        if ch != code[17]:
            assert uscc_problem(code[:17] + ch) == f"check character should be {code[17]!r}"


def test_length_and_alphabet() -> None:
    assert uscc_problem("9135010") == "must be 18 characters, got 7"
    problem = uscc_problem("91350100M000100I43")
    assert problem is not None and "invalid character(s) 'I'" in problem
    assert uscc_problem("91350100m000100y43") is not None  # lower case is not the standard form


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_exactly_one_check_character_fits_any_body(body: str, last: str) -> None:
    right = check_character(body)
    assert (uscc_problem(body + last) is None) == (last == right)


@given(st.text(alphabet=ALPHABET + "IOZSVio ", min_size=18, max_size=18))
def test_a_code_with_a_character_outside_the_alphabet_names_it(code: str) -> None:
    outside = sorted({ch for ch in code if ch not in ALPHABET})
    problem = uscc_problem(code)
    if outside:
        assert problem is not None and f"invalid character(s) {''.join(outside)!r}" in problem
