"""The cattrs converters between JSON values and the model, made by one factory.

They are strict where cattrs is lenient by default: ``"7"`` is not an integer,
``"abc"`` is not a list, ``1.5`` is not an exact amount, unknown keys are
errors. Errors become :class:`~campaignkit.errors.Problem` objects whose paths
look like ``issues[42].enterprise``.

:func:`make_converter` builds both converters from the same hooks, so they
accept exactly the same documents and build equal records:
:data:`quick_converter` (``detailed_validation=False``, the way every document
is decoded first) and :data:`converter` (``detailed_validation=True``, which
names every problem with its path). :func:`structure` uses the quick one and,
when it refuses a document, the detailed one to say why.

Two of the hooks remember what they built, since a large ledger repeats most of
it: each distinct date string is parsed once, and equal events
(:class:`~campaignkit.model.records.IssueEvent`, frozen and compared by value)
are one shared object. Both memories are bounded.
"""

from __future__ import annotations

import enum
import functools
import math
import re
import threading
import types
import typing
from collections.abc import Callable, Hashable, Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from campaignkit.errors import Problem
from campaignkit.i18n.catalogue import Phrase, literal, template
from campaignkit.i18n.shown import path_key
from campaignkit.model.dates import no_such_day, no_such_time
from campaignkit.model.records import (
    EMPTY,
    DeadlineUnit,
    IssueEvent,
    OutcomeStatus,
    RegionLevel,
    Satisfaction,
    TeamKind,
)

__all__ = [
    "COUNTING",
    "LARGEST_INTEGER",
    "SHARED_TEXT",
    "SMALLEST_INTEGER",
    "OutOfRange",
    "StrictValueError",
    "converter",
    "counting_converter",
    "describe",
    "describe_value",
    "entry_problems",
    "exception_problems",
    "forget_texts",
    "make_converter",
    "members_counted",
    "quick_converter",
    "quoted",
    "structure",
]

_T = TypeVar("_T")

_DECIMAL_RE = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_RE = re.compile(r"\d{2}:\d{2}(:\d{2})?")

_MAX_DATES = 100_000
"""Parsed dates remembered at most; beyond it the memory starts again."""
_MAX_SHARED = 200_000
"""Shared records remembered at most (per class and converter), for the same reason."""
_SHARED = (IssueEvent,)
"""Record classes whose equal instances are one object.

Most events of a large ledger repeat exactly (an assignment to the same level
and department on the same day, a standard feedback note): a million issues
carry a couple of million events but only tens of thousands of distinct ones.
Validation checks a shared event once.
"""


_members = [0]
"""Members of the JSON objects the member-counting converter has structured (see
:func:`members_counted`)."""


class _CountingConverter(Converter):
    """A quick converter whose hooks also count the members of the objects they
    structure (made by :func:`make_converter` with ``count_members=True``)."""


def members_counted() -> int:
    """The members of the JSON objects :func:`counting_converter` structured since the
    last call (each object's ``len``, every object of every record), and start again.

    A JSON object that names a key twice is one dictionary with one member for that
    key: :func:`campaignkit.ledgerfile.jsontext.members_once` compares this count
    with the text's colons. Not thread-safe: the caller holds :data:`COUNTING`.
    """
    found = _members[0]
    _members[0] = 0
    return found


class StrictValueError(ValueError):
    """A JSON value of the wrong type or form, raised with the
    :class:`~campaignkit.i18n.catalogue.Phrase` that says so (its text: the English).

    ``where`` is the path of the value below the field the error is about (the keys
    and indexes of ``a[2]`` inside an ``extra`` mapping), empty when it is the field.
    """

    where: tuple[str | int, ...] = ()

    @property
    def phrase(self) -> Phrase:
        first = self.args[0] if self.args else None
        return first if isinstance(first, Phrase) else literal(str(self))


LARGEST_INTEGER = 2**64 - 1
"""The largest integer a document may hold (the largest orjson reads as one)."""
SMALLEST_INTEGER = -(2**63)
"""The smallest integer a document may hold."""


@attrs.frozen
class OutOfRange:
    """A number of a document that no number campaignkit reads can hold, as written:
    ``1e400``, an integer of 400 digits. :func:`campaignkit.ledgerfile.jsontext.decode`
    keeps such numbers, so that the converter says plainly where they stand; every
    hook refuses them."""

    literal: str

    @property
    def integer(self) -> bool:
        """Whether it is written as an integer (no fraction, no exponent)."""
        return self.literal.lstrip("-").isdigit()

    def shown(self, limit: int = 24) -> str:
        """The number as written, cut to about ``limit`` characters for a message."""
        if len(self.literal) <= limit:
            return self.literal
        return f"{self.literal[: limit - 4]}… ({len(self.literal)} characters)"


def quoted(text: str, limit: int = 40) -> str:
    """``repr`` of ``text``, cut to its first ``limit`` characters and "…" (for messages)."""
    return f"{text[:limit]!r}" + ("…" if len(text) > limit else "")


def describe(value: object) -> Phrase:
    """What a JSON value is, in words of the catalogue: ``an integer``, ``the string '7万'`` …"""
    if value is None:
        return Phrase("value.null")
    if isinstance(value, bool):
        return Phrase("value.boolean")
    if isinstance(value, int):
        if value > LARGEST_INTEGER:
            return Phrase("value.integer-too-large", {"largest": LARGEST_INTEGER})
        if value < SMALLEST_INTEGER:
            return Phrase("value.integer-too-small", {"smallest": SMALLEST_INTEGER})
        return Phrase("value.integer")
    if isinstance(value, float):
        return _describe_float(value)
    if isinstance(value, OutOfRange):
        if not value.integer:
            return Phrase("value.out-of-range", {"value": value.shown()})
        if value.literal.startswith("-"):
            return Phrase("value.integer-too-small", {"smallest": SMALLEST_INTEGER})
        return Phrase("value.integer-too-large", {"largest": LARGEST_INTEGER})
    if isinstance(value, str):
        return Phrase("value.string", {"value": quoted(value)})
    if isinstance(value, list):
        return Phrase("value.list")
    if isinstance(value, dict):
        return Phrase("value.object")
    return literal(type(value).__name__)


def _describe_float(value: float) -> Phrase:
    """A binary number as read from JSON: an integer out of range reads as one (orjson
    reads integers beyond 64 bits as binary numbers), ``1.0`` and ``1E+2`` say so."""
    if not (math.isfinite(value) and value.is_integer()):
        return Phrase("value.fraction")
    if value > LARGEST_INTEGER:
        return Phrase("value.integer-too-large", {"largest": LARGEST_INTEGER})
    if value <= SMALLEST_INTEGER:  # -2**63 - 1 reads as the binary number -2**63
        return Phrase("value.integer-too-small", {"smallest": SMALLEST_INTEGER})
    return Phrase("value.written-as-decimal", {"value": repr(value)})


def _too_large(value: object) -> bool:
    """Whether ``value`` is an integer, written in JSON, too large for campaignkit to read."""
    if type(value) is OutOfRange:
        return value.integer
    if type(value) is int:
        return not SMALLEST_INTEGER <= value <= LARGEST_INTEGER
    return (
        type(value) is float
        and math.isfinite(value)
        and value.is_integer()
        and (value > LARGEST_INTEGER or value <= SMALLEST_INTEGER)
    )


def describe_value(value: object) -> str:
    """What a JSON value is, as English messages say it: ``an integer``, ``the string '7万'`` …"""
    return describe(value).text("en")


def _str(value: object, _: object) -> str:
    if type(value) is not str:
        raise StrictValueError(Phrase("expected-string", {"got": describe(value)}))
    return value


def _int(value: object, _: object) -> int:
    if type(value) is not int or not SMALLEST_INTEGER <= value <= LARGEST_INTEGER:
        raise StrictValueError(Phrase("expected-integer", {"got": describe(value)}))
    return value


def _bool(value: object, _: object) -> bool:
    if type(value) is not bool:
        raise StrictValueError(Phrase("expected-boolean", {"got": describe(value)}))
    return value


def _decimal(value: object, _: object) -> Decimal:
    if type(value) is int and SMALLEST_INTEGER <= value <= LARGEST_INTEGER:
        return Decimal(value)
    if type(value) is str and _DECIMAL_RE.fullmatch(value):
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern excludes it
            pass
    if _too_large(value):  # exact as a string: "18446744073709551616"
        written = value.literal if isinstance(value, OutOfRange) else str(int(cast(float, value)))
        example = f'"{written}"' if len(written) <= 40 else '"1250.50"'
        raise StrictValueError(
            Phrase("expected-amount-string", {"example": example, "got": describe(value)})
        )
    if type(value) is float:
        raise StrictValueError(
            Phrase(
                "expected-amount-string",
                {"example": f'"{value!r}"', "got": Phrase("value.binary")},
            )
        )
    raise StrictValueError(
        Phrase("expected-amount", {"example": '"1250.50"', "got": describe(value)})
    )


_dates: dict[str, date] = {}
"""Each date string parsed so far, and its date (dates are immutable: shared freely)."""


def _date(value: object, _: object) -> date:
    if type(value) is str:
        found = _dates.get(value)
        if found is not None:
            return found
        if _DATE_RE.fullmatch(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                raise StrictValueError(
                    Phrase(
                        "not-a-calendar-date",
                        {"value": value, "why": no_such_day(int(value[:4]), int(value[5:7]))},
                    )
                ) from None
            if len(_dates) >= _MAX_DATES:
                _dates.clear()
            _dates[value] = parsed
            return parsed
    raise StrictValueError(Phrase("expected-date", {"got": describe(value)}))


def _time(value: object, _: object) -> time:
    if type(value) is str and _TIME_RE.fullmatch(value):
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise StrictValueError(
                Phrase(
                    "not-a-time",
                    {"value": value, "why": no_such_time(int(value[:2]), int(value[3:5]))},
                )
            ) from None
    raise StrictValueError(Phrase("expected-time", {"got": describe(value)}))


def _json_value(value: object, depth: int = 0) -> object:
    if depth > 32:
        raise StrictValueError(Phrase("too-deep", {"depth": 32}))
    if value is None or type(value) in (str, bool):
        return value
    if type(value) is int:
        if SMALLEST_INTEGER <= value <= LARGEST_INTEGER:
            return value
        raise _number_error(value)
    if type(value) is float and not _describe_float(value).code.startswith("value.fraction"):
        raise _number_error(value)
    if type(value) is float:
        raise StrictValueError(Phrase("fraction-not-string"))
    if type(value) is OutOfRange:
        raise _number_error(value)
    if type(value) is list:
        out: list[object] = []
        for index, item in enumerate(value):
            try:
                out.append(_json_value(item, depth + 1))
            except StrictValueError as exc:
                if exc.where or _is_number_error(exc):
                    exc.where = (index, *exc.where)
                raise
        return out
    if type(value) is dict:
        for key in value:
            if type(key) is not str:
                raise StrictValueError(Phrase("keys-not-strings"))
        found: dict[str, object] = {}
        for key, item in value.items():
            try:
                found[key] = _json_value(item, depth + 1)
            except StrictValueError as exc:
                if exc.where or _is_number_error(exc):
                    exc.where = (key, *exc.where)
                raise
        return found
    raise StrictValueError(Phrase("not-a-json-value", {"got": describe(value)}))


def _json_members(value: object) -> int:
    """Members of the objects in a JSON value (an ``extra`` mapping and what it holds)."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            count += len(item)
            stack.extend(v for v in item.values() if type(v) is dict or type(v) is list)
        elif type(item) is list:
            stack.extend(v for v in item if type(v) is dict or type(v) is list)
    return count


def _number_error(value: object) -> StrictValueError:
    """The error of a number a JSON value may not hold: located down to the number."""
    return StrictValueError(
        Phrase(
            "extra-number",
            {"smallest": SMALLEST_INTEGER, "largest": LARGEST_INTEGER, "got": describe(value)},
        )
    )


def _is_number_error(exc: StrictValueError) -> bool:
    return exc.phrase.code in ("extra-number", "fraction-not-string")


def _is_mapping(t: Any) -> bool:
    return get_origin(t) in (Mapping, dict) or t is Mapping


def _mapping_factory(t: Any, conv: Converter) -> Callable[[object, object], object]:
    args = get_args(t)
    value_type = args[1] if len(args) == 2 else Any
    counting = isinstance(conv, _CountingConverter)
    if value_type is Any:

        def structure_extra(value: object, _: object) -> dict[str, Any]:
            if type(value) is not dict:
                raise StrictValueError(Phrase("expected-object", {"got": describe(value)}))
            if not value:
                return EMPTY  # type: ignore[return-value]
            found: dict[str, Any] = _json_value(value)  # type: ignore[assignment]
            if counting:
                _members[0] += _json_members(value)
            return found

        return structure_extra
    value_hook = conv.get_structure_hook(value_type)

    def structure_mapping(value: object, _: object) -> Mapping[str, Any]:
        if type(value) is not dict:
            raise StrictValueError(Phrase("expected-object", {"got": describe(value)}))
        if counting:
            _members[0] += len(value)
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
        return out or EMPTY

    return structure_mapping


class _KeyNote(str):
    """Note naming the mapping key an error belongs to (rendered ``.key``)."""

    __slots__ = ()


def _is_tuple(t: Any) -> bool:
    return bool(is_sequence(t)) and get_origin(t) is tuple


def _sequence_factory(t: Any, conv: Converter) -> Callable[[object, object], object]:
    item = get_args(t)[0]
    if conv.detailed_validation and attrs.has(item):  # a null record is worded as one
        hook = conv.get_structure_hook(item)
        null = Phrase("null-entry", {"what": _record_words(item)})

        def structure_records(value: object, tp: object) -> object:
            if type(value) is not list:
                raise StrictValueError(Phrase("expected-list", {"got": describe(value)}))
            out: list[object] = []
            errors: list[Exception] = []
            for index, entry in enumerate(value):
                try:
                    if entry is None:
                        raise StrictValueError(null)
                    out.append(hook(entry, item))
                except Exception as exc:  # noqa: BLE001 - isolated and reported
                    note = IterableValidationNote(f"Structuring {t} @ index {index}", index, item)
                    exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                    errors.append(exc)
            if errors:
                raise IterableValidationError("bad entries", errors, t)
            return tuple(out)

        return structure_records
    if conv.detailed_validation:  # cattrs' own, which notes the index of each bad item
        inner = homogenous_tuple_structure_factory(t, conv)

        def structure_sequence(value: object, tp: object) -> object:
            if type(value) is not list:
                raise StrictValueError(Phrase("expected-list", {"got": describe(value)}))
            return inner(value, tp)

        return structure_sequence
    hook = conv.get_structure_hook(item)

    def structure_items(value: object, _: object) -> object:
        if type(value) is not list:
            raise StrictValueError(Phrase("expected-list", {"got": describe(value)}))
        return tuple([hook(v, item) for v in value])

    return structure_items


def _enum_factory(t: type[enum.Enum], _: Converter) -> Callable[[object, object], object]:
    allowed = ", ".join(repr(m.value) for m in t)
    members = {m.value: m for m in t if type(m.value) is str}

    def structure_enum(value: object, _: object) -> enum.Enum:
        if type(value) is str:
            found = members.get(value)
            if found is not None:
                return found
        raise StrictValueError(
            Phrase("expected-one-of", {"choices": allowed, "got": describe(value)})
        )

    return structure_enum


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return (
        get_origin(t) in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args
    )


def _optional_factory(t: Any, conv: Converter) -> Callable[[object, object], object]:
    """``X | None``: the hook of ``X``, looked up once (cattrs' own looks it up at each call)."""
    inner = next(a for a in get_args(t) if a is not type(None))
    hook = conv.get_structure_hook(inner)
    if hook is _str:  # the most common: one call instead of two

        def structure_optional_str(value: object, _: object) -> object:
            return value if value is None or type(value) is str else _str(value, str)

        return structure_optional_str

    def structure_optional(value: object, _: object) -> object:
        return None if value is None else hook(value, inner)

    return structure_optional


def _unwrap(t: Any) -> Any:
    """``X`` of ``X | None``; anything else as it is."""
    return next(a for a in get_args(t) if a is not type(None)) if _is_optional(t) else t


SHARED_TEXT = frozenset(
    {"kind", "category", "channel", "team", "region", "enterprise", "activity", "level",
     "department", "stage", "by", "rule", "parent", "industry", "role", "classes", "enterprises",
     "regions"}
)  # fmt: skip
"""Text fields whose values a large ledger repeats (kinds, categories, references to
other records): the quick converter keeps one string object per value and load, so a
million issues do not hold a million copies of their team's id."""

_texts: dict[str, str] = {}
"""The strings of :data:`SHARED_TEXT` fields met during the load under way (cleared by
:func:`forget_texts` when it ends)."""


def forget_texts() -> None:
    """Drop the strings kept for sharing (at the end of a load)."""
    _texts.clear()


def _shared_text(value: object, _: object) -> str:
    if type(value) is not str:
        raise StrictValueError(Phrase("expected-string", {"got": describe(value)}))
    return _texts.setdefault(value, value)


def _shared_optional_text(value: object, _: object) -> str | None:
    if value is None:
        return None
    return _shared_text(value, str)


def _shared_texts(value: object, _: object) -> tuple[str, ...]:
    if type(value) is not list:
        raise StrictValueError(Phrase("expected-list", {"got": describe(value)}))
    return tuple([_shared_text(v, str) for v in value])


def _sharing(cls: type) -> dict[str, Any]:
    """cattrs overrides that share the text of :data:`SHARED_TEXT` fields of ``cls``."""
    hooks: dict[Any, Callable[[object, object], object]] = {
        str: _shared_text,
        str | None: _shared_optional_text,
        typing.Optional[str]: _shared_optional_text,  # noqa: UP045 - how some hints spell it
        tuple[str, ...]: _shared_texts,
    }
    hints = typing.get_type_hints(cls)
    found: dict[str, Any] = {}
    for a in attrs.fields(cls):
        hook = hooks.get(hints.get(a.name)) if a.name in SHARED_TEXT else None
        if hook is not None:
            found[a.name] = override(struct_hook=hook)
    return found


def _record_factory(cls: type, conv: Converter) -> Callable[[Any, Any], object]:
    """cattrs' generated structuring of an attrs class, refusing unknown keys.

    The detailed converter lets cattrs refuse them, reported with the record's
    other problems. The quick one, whose errors are never shown, asks the
    cheaper question first (is every key a field?), builds no set per record,
    and shares the strings of :data:`SHARED_TEXT` fields.
    """
    if conv.detailed_validation:
        detailed: Callable[[Any, Any], object] = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True
        )
        what = _record_words(cls)

        def structure_detailed(value: Any, tp: object) -> object:
            if type(value) is not dict:  # cattrs' own words would be Python's
                raise StrictValueError(
                    Phrase("expected-record", {"what": what, "got": describe(value)})
                )
            return detailed(value, tp)

        return structure_detailed
    build: Callable[[Any, Any], object] = make_dict_structure_fn(
        cls, conv, _cattrs_forbid_extra_keys=False, **_sharing(cls)
    )
    keys = frozenset(a.name for a in attrs.fields(cls) if a.init)  # cattrs' keys: the names
    if isinstance(conv, _CountingConverter):
        members = _members

        def structure_counted(value: Any, _: object) -> object:
            if type(value) is not dict or not keys.issuperset(value):
                raise StrictValueError(Phrase("keys-among", {"keys": sorted(keys)}))
            members[0] += len(value)
            return build(value, cls)

        return structure_counted

    def structure_record(value: Any, _: object) -> object:
        if type(value) is not dict or not keys.issuperset(value):
            raise StrictValueError(Phrase("keys-among", {"keys": sorted(keys)}))
        return build(value, cls)

    return structure_record


def entry_problems(value: object, cls: type, path: str) -> list[Problem]:
    """The problems of one entry of a list of records of ``cls`` at ``path``, as the
    detailed converter words them in the list (a null entry as such); empty if it has
    none."""
    if value is None:
        return [Problem(path, Phrase("null-entry", {"what": _record_words(cls)}))]
    try:
        converter.structure(value, cls)
    except (BaseValidationError, TypeError, ValueError, KeyError) as exc:
        return exception_problems(exc, path)
    return []


def _record_words(cls: type) -> Phrase:
    """What a record of ``cls`` is called in messages (``an enterprise``), with its article."""
    code = "record." + re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()
    try:
        template(code)
    except KeyError:
        return literal(f"a {cls.__name__}")
    return Phrase(code)


def _shared_factory(cls: type, conv: Converter) -> Callable[[object, object], object]:
    """Structure ``cls`` records so that equal JSON objects give one shared record.

    A JSON object is found again by its keys and values. Every scalar
    field of ``cls`` must be text (so a number, which compares equal to a
    boolean, never stands where a cached key has one); a nested record is keyed
    by its keys, the type of each value and its values. An object with a list or
    a mapping of its own (``extra``, whose structured value is a dict) is
    structured each time and never shared. Only records
    built without error are remembered, so a bad copy of a shared event is
    refused and located as any other.
    """
    hints = typing.get_type_hints(cls)
    nested: list[str] = []  # the fields that hold a record
    for a in attrs.fields(cls):
        t = _unwrap(hints[a.name])
        if attrs.has(t):
            nested.append(a.name)
        elif not (_is_mapping(t) or t in (str, date, time) or issubclass(t, enum.StrEnum)):
            raise TypeError(f"{cls.__name__}.{a.name}: only text fields can be shared by value")
    build = _record_factory(cls, conv)
    records: dict[Hashable, object] = {}
    counting = isinstance(conv, _CountingConverter)  # a record built counts its own members
    members = _members
    dict_ = dict

    def nested_key(value: dict[str, object]) -> Hashable:
        """The key of an object holding a record: its keys, then its values, each record
        among them as a flat tuple of its keys, its values' types and its values (any
        other object stays a dict, which no key may hold)."""
        return (
            *value,
            *[
                (*v, *map(type, v.values()), *v.values()) if type(v) is dict_ and k in nested else v
                for k, v in value.items()
            ],
        )

    def structure_shared(value: object, _: object) -> object:
        if type(value) is not dict:
            return build(value, cls)
        inner = 0  # the members of its nested records
        for name in nested:
            item = value.get(name)
            if type(item) is dict_:
                key: Hashable | None = nested_key(value)
                inner = sum([len(v) for k, v in value.items() if k in nested and type(v) is dict_])
                break
        else:  # its keys, then its values: one flat tuple, cheaper than a tuple of pairs,
            # and as unambiguous (its first half are the keys)
            key = (*value, *value.values())
        try:
            found = records.get(key)
        except TypeError:  # a list, a mapping, an object within a record: not shared
            key = found = None
        if found is not None:
            if counting:  # as many members as building it would have counted
                members[0] += len(value) + inner
            return found
        record = build(value, cls)
        if key is not None:
            if len(records) >= _MAX_SHARED:
                records.clear()
            records[key] = record
        return record

    return structure_shared


def make_converter(*, detailed_validation: bool = True, count_members: bool = False) -> Converter:
    """Build a strict converter (use :data:`converter` or :data:`quick_converter` instead).

    With ``detailed_validation`` (the default) errors are collected with the
    path of each; without it, structuring stops at the first error, faster.
    Everything else is the same for both. ``count_members`` (without detailed
    validation only) makes the converter of :func:`counting_converter`.
    """
    if count_members and detailed_validation:
        raise ValueError("only a quick converter counts members")
    kind = _CountingConverter if count_members else Converter
    conv = kind(forbid_extra_keys=True, detailed_validation=detailed_validation)
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
    conv.register_structure_hook_factory(_is_optional, _optional_factory)
    conv.register_structure_hook_factory(_is_tuple, _sequence_factory)
    conv.register_structure_hook_factory(_is_mapping, _mapping_factory)
    conv.register_structure_hook_factory(attrs.has, _record_factory)
    for shared in _SHARED:
        conv.register_structure_hook(shared, _shared_factory(shared, conv))
    conv.register_unstructure_hook_factory(
        attrs.has,
        lambda t, c: make_dict_unstructure_fn(t, c, _cattrs_omit_if_default=True),
    )
    return conv


converter: Converter = make_converter()
"""The shared strict converter; its errors name every problem and its path."""

quick_converter: Converter = make_converter(detailed_validation=False)
"""The same converter without detailed validation: it stops at the first error."""


@functools.cache
def counting_converter() -> Converter:
    """The quick converter counting the members of the objects it structures
    (:func:`members_counted`): the quick route of :func:`campaignkit.load` uses it,
    holding :data:`COUNTING`, to find keys given twice. Made on first use (a command
    that reads no ledger does not pay for a third converter)."""
    return make_converter(detailed_validation=False, count_members=True)


COUNTING = threading.Lock()
"""Held while :func:`counting_converter` structures, so that one count is one document's."""


def structure(value: object, cls: type[_T]) -> _T:
    """Structure ``value`` into ``cls`` with :data:`quick_converter`, else with :data:`converter`.

    The quick converter decodes valid documents (most of them); a document it
    refuses is structured again by the detailed converter, whose error
    (a cattrs ``BaseValidationError``) names every problem: pass it to
    :func:`exception_problems`.
    """
    try:
        return quick_converter.structure(value, cls)
    except Exception:  # noqa: BLE001 - refused: the detailed converter says why
        return converter.structure(value, cls)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _leaf_phrase(exc: BaseException) -> Phrase:
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(repr(k) for k in sorted(exc.extra_fields))
        allowed = ", ".join(a.name for a in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ""
        if allowed:
            return Phrase("unknown-keys-allowed", {"keys": keys, "allowed": allowed})
        return Phrase("unknown-keys", {"keys": keys})
    if isinstance(exc, KeyError):
        return Phrase("required-key-missing")
    if isinstance(exc, StrictValueError):
        return exc.phrase
    if isinstance(exc, (ValueError, TypeError)):
        return Phrase("invalid-value", {"why": str(exc)})
    name = type(exc).__name__
    if name.endswith("Error") and name[:1].isupper():
        return Phrase("value-error", {"error": name, "why": str(exc)})
    return literal(f"{name}: {exc}")


def exception_problems(exc: BaseException, path: str = "") -> list[Problem]:
    """Turn a structuring exception into problems with ``issues[42].field`` paths."""
    problems: list[Problem] = []
    if isinstance(exc, IterableValidationError):
        for sub in exc.exceptions:
            notes = getattr(sub, "__notes__", [])
            note = notes[-1] if notes else None
            index = getattr(note, "index", None)
            if isinstance(note, _KeyNote):
                problems.extend(exception_problems(sub, path_key(path, str(note))))
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
        for part in getattr(exc, "where", ()):
            path = f"{path}[{part}]" if isinstance(part, int) else path_key(path, part)
        problems.append(Problem(path, _leaf_phrase(exc)))
    return problems
