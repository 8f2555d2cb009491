from __future__ import annotations

import pytest

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
