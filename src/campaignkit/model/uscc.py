"""The unified social credit code (统一社会信用代码, GB 32100-2015).

Eighteen characters from ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, Z, S, V);
the last one is a check character computed modulo 31.
"""

from __future__ import annotations

import operator

from campaignkit.i18n.catalogue import Phrase

__all__ = ["ALPHABET", "check_character", "uscc_fault", "uscc_problem"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a code.

    >>> check_character("91340400MA2TXXXXX"[:17]) in ALPHABET
    True
    """
    if len(first17) != 17:
        raise ValueError(Phrase("uscc-17"))
    total = sum(map(operator.mul, map(_VALUE.__getitem__, first17), _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_fault(code: str) -> Phrase | None:
    """Why ``code`` is not a valid unified social credit code (words of the message
    catalogue, in either language), or None.

    The message is written to follow a path, e.g.
    ``enterprises[3].uscc: check character should be 'Y'``.
    """
    if len(code) != 18:
        return Phrase("uscc-length", {"length": 18, "got": len(code)})
    try:
        values = list(map(_VALUE.__getitem__, code))  # quick where the code is good, as most are
    except KeyError:
        bad = sorted({ch for ch in code if ch not in _VALUE})
        return Phrase("uscc-characters", {"characters": "".join(bad), "allowed": ALPHABET})
    expected = ALPHABET[(31 - sum(map(operator.mul, values, _WEIGHTS)) % 31) % 31]
    if code[17] != expected:
        return Phrase("uscc-check-character", {"expected": expected})
    return None


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, in English, or None
    (see :func:`uscc_fault`)."""
    fault = uscc_fault(code)
    return None if fault is None else fault.text("en")
