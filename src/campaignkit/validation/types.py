"""The types of a ledger built in code: each field's value against its declared type.

A ledger read from a file was structured by the converter, so its values have the
declared types by construction. One built in code (``attrs.evolve``, the record
classes called directly, ``with_events``) may hold a float where an amount is a
``Decimal``, a string where a date belongs, a list where a tuple is declared, a
plain string where an enumeration is. :func:`type_problems` finds each such value,
located as a file's problems are (``outcomes[0].amount_yuan: expected Decimal | None,
got float 150000000.0``), so :func:`campaignkit.validate <campaignkit.io.validate>` reports them
instead of failing on them, and :func:`campaignkit.dump` never writes a ledger that
:func:`campaignkit.load` would refuse.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from typing import Any

import attrs

from campaignkit.errors import Problem
from campaignkit.i18n.shown import path_key
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import IssueEvent

__all__ = ["record_problems", "type_problems"]

_Check = Callable[[object, str], Iterator[Problem]]

_SHARED = (IssueEvent,)
"""Records a large ledger shares between issues (one object for equal events)."""
_FINE: ContextVar[set[int] | None] = ContextVar("fine", default=None)
"""The ids of the shared records found without a problem in the call under way (they stay
alive meanwhile: the ledger holds them)."""

_LARGEST = 2**63 - 1
_SMALLEST = -(2**63)


def type_problems(ledger: object, limit: int | None = None) -> list[Problem]:
    """Every value of ``ledger`` (a :class:`~campaignkit.model.ledger.Ledger` built in
    code) whose type is not the declared one, at most ``limit`` of them; empty when
    every value has its type."""
    if type(ledger) is not Ledger:
        return [_wrong("", "Ledger", ledger)]
    found: list[Problem] = []
    token = _FINE.set(set())
    try:
        for problem in _record(Ledger)(ledger, ""):
            found.append(problem)
            if limit is not None and len(found) >= limit:
                break
    finally:
        _FINE.reset(token)
    return found


def record_problems(record: object, cls: type, path: str) -> list[Problem]:
    """Every value of ``record`` (which should be a ``cls``, a record class of
    :mod:`campaignkit.model.records`) whose type is not the declared one, at ``path``."""
    return list(_record(cls)(record, path))


def _wrong(path: str, expected: str, value: object) -> Problem:
    got = type(value).__name__
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return Problem.of("wrong-type", path, expected=expected, got=f"{got} {shown}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@cache
def _record(cls: type) -> _Check:
    """The check of a record of ``cls`` (its class, then each field)."""
    hints = typing.get_type_hints(cls)
    fields = [(a.name, _check(hints[a.name])) for a in attrs.fields(cls) if a.init]
    name = cls.__name__

    def check(value: object, path: str) -> Iterator[Problem]:
        if type(value) is not cls:
            yield _wrong(path, name, value)
            return
        for field, of in fields:
            yield from of(getattr(value, field), _join(path, field))

    return check


def _check(t: Any) -> _Check:
    """The check of a value declared as ``t``."""
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        of = _check(inner)
        words = f"{_words(inner)} | None"

        def optional(value: object, path: str) -> Iterator[Problem]:
            if value is None:
                return
            problems = list(of(value, path))
            if len(problems) == 1 and problems[0].path == path:
                yield _wrong(path, words, value)  # its own type: say None would do
            else:
                yield from problems

        return optional
    if origin is tuple:
        item = _check(args[0])
        shared = args[0] in _SHARED

        def items(value: object, path: str) -> Iterator[Problem]:
            if type(value) is not tuple:
                yield _wrong(path, "tuple", value)
                return
            seen = _FINE.get() if shared else None
            for index, entry in enumerate(value):
                if seen is not None:  # events a large ledger shares: checked once a call
                    if id(entry) in seen:
                        continue
                    found = list(item(entry, f"{path}[{index}]"))
                    if not found:
                        seen.add(id(entry))
                    yield from found
                else:
                    yield from item(entry, f"{path}[{index}]")

        return items
    if origin in (Mapping, dict) or t is Mapping:
        values = args[1] if len(args) == 2 else Any
        return _mapping(values)
    if attrs.has(t):
        return _record(t)
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return _plain(lambda v: isinstance(v, t), t.__name__)
    plain: dict[object, tuple[Callable[[object], bool], str]] = {
        str: (_text, "str"),
        bool: (lambda v: type(v) is bool, "bool"),
        int: (lambda v: type(v) is int, "int"),
        Decimal: (lambda v: type(v) is Decimal, "Decimal"),
        dt.date: (lambda v: type(v) is dt.date, "date"),
        dt.time: (_time, _TIME_WORDS),
    }
    test, words = plain[t]
    return _plain(test, words)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: object) -> bool:
    """Text a file can hold: a ``str`` without lone surrogates (which UTF-8 cannot write)."""
    return type(value) is str and (value.isascii() or _SURROGATE.search(value) is None)


def _time(value: object) -> bool:
    """A time of day as the file format writes it: no time zone, no fraction of a second."""
    return type(value) is dt.time and value.tzinfo is None and value.microsecond == 0


def _words(t: Any) -> str:
    if t is dt.time:
        return _TIME_WORDS
    return getattr(t, "__name__", str(t))


_TIME_WORDS = "time (HH:MM or HH:MM:SS, no time zone)"


def _plain(test: Callable[[object], bool], words: str) -> _Check:
    def check(value: object, path: str) -> Iterator[Problem]:
        if not test(value):
            yield _wrong(path, words, value)

    return check


def _mapping(values: Any) -> _Check:
    """A mapping with text keys: of JSON values (``extra``) or of ``values``."""
    of = None if values is Any else _check(values)

    def check(value: object, path: str) -> Iterator[Problem]:
        if not isinstance(value, Mapping):
            yield _wrong(path, "Mapping", value)
            return
        for key, item in value.items():
            if type(key) is not str:
                yield _wrong(path, "str", key)
                continue
            where = path_key(path, key)
            yield from (of(item, where) if of is not None else _json(item, where, 0))

    return check


def _json(value: object, path: str, depth: int) -> Iterator[Problem]:
    """A JSON value as ``extra`` holds it: null, text, a flag, a 64-bit integer, a list or
    a mapping of them (a number with a fraction is written as text)."""
    if value is None or type(value) in (str, bool):
        return
    if type(value) is int:
        if not _SMALLEST <= value <= _LARGEST:
            yield _wrong(path, "int (-2**63 .. 2**63-1)", value)
        return
    if depth > 32:
        yield Problem.of("too-deep", path, depth=32)
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _json(item, f"{path}[{index}]", depth + 1)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if type(key) is not str:
                yield _wrong(path, "str", key)
                continue
            yield from _json(item, path_key(path, key), depth + 1)
        return
    yield _wrong(path, "None | str | bool | int | list | Mapping", value)
