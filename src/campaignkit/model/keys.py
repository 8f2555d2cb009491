"""Keys a ledger's records must not share: each repeat, located and worded once.

Validation reports repeated ids and codes of every kind of record with
:func:`repeated`; escalation refuses a ledger whose issues share an id with the
same words, since its actions name issues by id.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Sequence
from typing import Any

from campaignkit.errors import Problem
from campaignkit.i18n.catalogue import noun

__all__ = ["repeated"]


def repeated(records: Sequence[Any], attr: str, section: str, what: str) -> Iterator[Problem]:
    """A ``duplicate`` problem for each record of ``section`` whose ``attr`` an earlier one
    holds (``issues[7].id``, naming the first), ``what`` being the key's noun in the
    catalogue (``issue id``). Keys that only grow (ids numbered in order) are answered
    without building a table."""
    keys = list(map(operator.attrgetter(attr), records))
    try:
        if all(map(operator.lt, keys, itertools.islice(keys, 1, None))):
            return  # strictly increasing: no two alike
    except TypeError:  # keys that do not compare (records built by hand): look each one up
        pass
    seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in seen:
            yield Problem.of(
                "duplicate",
                f"{section}[{i}].{attr}",
                what=noun(what),
                key=key,
                first=f"{section}[{seen[key]}]",
            )
        else:
            seen[key] = i
