"""The one cattrs converter between JSON values and the model.

It is strict where cattrs is lenient by default: ``"7"`` is not an integer,
``"abc"`` is not a list, ``1.5`` is not an exact amount, unknown keys are
errors. Errors become :class:`~campaignkit.errors.Problem` objects whose paths
look like ``issues[42].enterprise``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from campaignkit.errors import Problem
from campaignkit.model.records import (
    DeadlineUnit,
    OutcomeStatus,
    RegionLevel,
    Satisfaction,
    TeamKind,
)

__all__ = [
    "StrictValueError",
    "converter",
    "describe_value",
    "exception_problems",
    "make_converter",
    "quoted",
]

_DECIMAL_RE = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_RE = re.compile(r"\d{2}:\d{2}(:\d{2})?")


class StrictValueError(ValueError):
    """A JSON value of the wrong type or form; its message is shown to users as is."""


def quoted(text: str, limit: int = 40) -> str:
    """``repr`` of ``text``, cut to its first ``limit`` characters and "…" (for messages)."""
    return f"{text[:limit]!r}" + ("…" if len(text) > limit else "")


def describe_value(value: object) -> str:
    """What a JSON value is, as messages say it: ``an integer``, ``the string '7万'`` …"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return f"the string {quoted(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _str(value: object, _: object) -> str:
    if type(value) is not str:
        raise StrictValueError(f"expected a string, got {describe_value(value)}")
    return value


def _int(value: object, _: object) -> int:
    if type(value) is not int:
        raise StrictValueError(f"expected an integer, got {describe_value(value)}")
    return value


def _bool(value: object, _: object) -> bool:
    if type(value) is not bool:
        raise StrictValueError(f"expected true or false, got {describe_value(value)}")
    return value


def _decimal(value: object, _: object) -> Decimal:
    if type(value) is int:
        return Decimal(value)
    if type(value) is str and _DECIMAL_RE.fullmatch(value):
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern excludes it
            pass
    if type(value) is float:
        raise StrictValueError(
            f'expected an exact amount as a string (e.g. "{value!r}"), got a binary number'
        )
    raise StrictValueError(
        f'expected an exact amount such as "1250.50", got {describe_value(value)}'
    )


def _date(value: object, _: object) -> date:
    if type(value) is str and _DATE_RE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise StrictValueError(f"not a calendar date: {value!r} ({exc})") from None
    raise StrictValueError(f'expected a date as "YYYY-MM-DD", got {describe_value(value)}')


def _time(value: object, _: object) -> time:
    if type(value) is str and _TIME_RE.fullmatch(value):
        try:
            return time.fromisoformat(value)
        except ValueError as exc:
            raise StrictValueError(f"not a time of day: {value!r} ({exc})") from None
    raise StrictValueError(f'expected a time as "HH:MM", got {describe_value(value)}')


def _json_value(value: object, depth: int = 0) -> object:
    if depth > 32:
        raise StrictValueError("nested more than 32 levels deep")
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is float:
        raise StrictValueError("numbers with a fraction must be written as strings")
    if type(value) is list:
        return [_json_value(v, depth + 1) for v in value]
    if type(value) is dict:
        for key in value:
            if type(key) is not str:
                raise StrictValueError("object keys must be strings")
        return {k: _json_value(v, depth + 1) for k, v in value.items()}
    raise StrictValueError(f"not a JSON value: {describe_value(value)}")


def _is_mapping(t: Any) -> bool:
    return get_origin(t) in (Mapping, dict) or t is Mapping


def _mapping_factory(t: Any, conv: Converter) -> Callable[[object, object], object]:
    args = get_args(t)
    value_type = args[1] if len(args) == 2 else Any
    if value_type is Any:

        def structure_extra(value: object, _: object) -> dict[str, Any]:
            if type(value) is not dict:
                raise StrictValueError(f"expected an object, got {describe_value(value)}")
            return _json_value(value)  # type: ignore[return-value]

        return structure_extra
    value_hook = conv.get_structure_hook(value_type)

    def structure_mapping(value: object, _: object) -> dict[str, Any]:
        if type(value) is not dict:
            raise StrictValueError(f"expected an object, got {describe_value(value)}")
        out: dict[str, Any] = {}
        errors: list[Exception] = []
        for key, item in value.items():
            try:
                out[_str(key, str)] = value_hook(item, value_type)
            except Exception as exc:  # noqa: BLE001 - isolated and reported
                exc.__notes__ = [_KeyNote(str(key))]
                errors.append(exc)
        if errors:
            raise IterableValidationError("bad mapping", errors, t)
        return out

    return structure_mapping


class _KeyNote(str):
    """Note naming the mapping key an error belongs to (rendered ``.key``)."""

    __slots__ = ()


def _is_tuple(t: Any) -> bool:
    return bool(is_sequence(t)) and get_origin(t) is tuple


def _sequence_factory(t: Any, conv: Converter) -> Callable[[object, object], object]:
    inner = homogenous_tuple_structure_factory(t, conv)

    def structure_sequence(value: object, tp: object) -> object:
        if type(value) is not list:
            raise StrictValueError(f"expected a list, got {describe_value(value)}")
        return inner(value, tp)

    return structure_sequence


def _enum_factory(t: type[enum.Enum], _: Converter) -> Callable[[object, object], object]:
    allowed = ", ".join(repr(m.value) for m in t)

    def structure_enum(value: object, _: object) -> enum.Enum:
        if type(value) is str:
            try:
                return t(value)
            except ValueError:
                pass
        raise StrictValueError(f"expected one of {allowed}, got {describe_value(value)}")

    return structure_enum


def make_converter() -> Converter:
    """Build the strict converter (use the shared :data:`converter` instead)."""
    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_structure_hook(date, _date)
    conv.register_structure_hook(time, _time)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(time, lambda t: t.isoformat(timespec="minutes"))
    # StrEnums are str subclasses: register each model enum directly, so the
    # strict str hook does not swallow them
    for enum_type in (RegionLevel, TeamKind, OutcomeStatus, Satisfaction, DeadlineUnit):
        conv.register_structure_hook(enum_type, _enum_factory(enum_type, conv))
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_factory
    )
    conv.register_structure_hook_factory(_is_tuple, _sequence_factory)
    conv.register_structure_hook_factory(_is_mapping, _mapping_factory)
    conv.register_structure_hook_factory(
        attrs.has,
        lambda t, c: make_dict_structure_fn(t, c, _cattrs_forbid_extra_keys=True),
    )
    conv.register_unstructure_hook_factory(
        attrs.has,
        lambda t, c: make_dict_unstructure_fn(t, c, _cattrs_omit_if_default=True),
    )
    return conv


converter: Converter = make_converter()
"""The shared strict converter."""


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _leaf_message(exc: BaseException) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(repr(k) for k in sorted(exc.extra_fields))
        allowed = ", ".join(a.name for a in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ""
        return f"unknown key(s) {keys}" + (f"; allowed: {allowed}" if allowed else "")
    if isinstance(exc, KeyError):
        return "required key missing"
    if isinstance(exc, StrictValueError):
        return str(exc)
    if isinstance(exc, (ValueError, TypeError)):
        return f"invalid value: {exc}"
    return f"{type(exc).__name__}: {exc}"


def exception_problems(exc: BaseException, path: str = "") -> list[Problem]:
    """Turn a structuring exception into problems with ``issues[42].field`` paths."""
    problems: list[Problem] = []
    if isinstance(exc, IterableValidationError):
        for sub in exc.exceptions:
            notes = getattr(sub, "__notes__", [])
            note = notes[-1] if notes else None
            index = getattr(note, "index", None)
            if isinstance(note, _KeyNote):
                problems.extend(exception_problems(sub, _join(path, str(note))))
            elif index is not None:
                problems.extend(exception_problems(sub, f"{path}[{index}]"))
            else:
                problems.extend(exception_problems(sub, path))
    elif isinstance(exc, ClassValidationError):
        for sub in exc.exceptions:
            notes = getattr(sub, "__notes__", [])
            name = getattr(notes[-1], "name", None) if notes else None
            problems.extend(exception_problems(sub, _join(path, name) if name else path))
    else:
        problems.append(Problem(path, _leaf_message(exc)))
    return problems
