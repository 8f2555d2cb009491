"""Moved to :mod:`campaignkit.ledgerfile.converter`.

The separate fast path is gone: every document is structured by the quick
converter (:data:`~campaignkit.ledgerfile.converter.quick_converter`), and one
it refuses by the detailed converter (see
:func:`~campaignkit.ledgerfile.converter.structure`). The names of the old fast
path stay importable here for this release, as thin wrappers over that one
path: :func:`fast_structure`, :func:`stream_structure`, :class:`Rejected` and
:data:`EMPTY` (now :data:`campaignkit.model.EMPTY`).
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from cattrs import Converter

from campaignkit.ledgerfile.converter import converter, quick_converter
from campaignkit.model.records import EMPTY

__all__ = ["EMPTY", "Rejected", "fast_structure", "stream_structure"]


class Rejected(Exception):
    """The document is refused; the detailed converter says why."""


def fast_structure(value: Any, cls: type, conv: Converter = converter) -> Any:
    """Structure ``value`` into ``cls`` without detailed errors, or raise :class:`Rejected`.

    With the default ``conv`` this is :data:`~campaignkit.ledgerfile.converter.quick_converter`;
    another converter is used as it is.
    """
    try:
        return (quick_converter if conv is converter else conv).structure(value, cls)
    except Exception as exc:  # noqa: BLE001 - refused, as the old fast path said it
        raise Rejected(f"{type(exc).__name__}: {exc}") from None


def stream_structure(
    data: bytes | bytearray | memoryview | mmap.mmap,
    cls: type,
    skip: Mapping[str, object] | None = None,
    conv: Converter = converter,
    *,
    release: Callable[[], object] | None = None,
) -> Any:
    """Structure the JSON object in ``data`` into ``cls``, or raise :class:`Rejected`.

    Keys in ``skip`` must have exactly the given values and are not structured.
    ``release`` is called once, when ``data`` has been parsed.
    """
    try:
        doc = orjson.loads(data if not isinstance(data, mmap.mmap) else memoryview(data))
    except orjson.JSONDecodeError as exc:
        raise Rejected(f"not valid JSON: {exc}") from None
    if release is not None:
        release()
    if type(doc) is not dict:
        raise Rejected("not a JSON object")
    for key, expected in (skip or {}).items():
        if key not in doc or doc[key] != expected:
            raise Rejected(f"{key}: not {expected!r}")
    body = {k: v for k, v in doc.items() if k not in (skip or {})}
    return fast_structure(body, cls, conv)
