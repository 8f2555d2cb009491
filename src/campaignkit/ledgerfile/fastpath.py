"""A fast structuring path for valid documents, with the strict converter as its fallback.

:mod:`campaignkit.ledgerfile.converter` reports every problem with its path, which costs
a ``try`` and a hook call per field. Most files are valid, so
:func:`fast_structure` first structures a document with functions generated
once per record class: type checks are inline, dates are parsed once per
distinct string and shared, and repeated short strings (kinds, categories,
references) are shared within one load. It accepts exactly what the strict
converter accepts; at the first thing it does not accept it raises
:class:`Rejected`, and the caller structures the document again with the
strict converter, whose errors name every problem and its path.

:func:`stream_structure` (files read record by record) goes further for the
large sections: issues, activities and enterprises are decoded by ``msgspec``
straight into structs generated from the model, so no dict is built for them,
and their events are found again by raw text. Whatever ``msgspec`` could read
differently from ``orjson`` (numbers beyond 64 bits, escapes, anything it
refuses) takes the ``orjson`` route for that record, so both routes accept and
build the same records.
"""

from __future__ import annotations

import contextlib
import enum
import mmap
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from datetime import date, time
from typing import Any, get_args, get_origin

import attrs
from cattrs import Converter

from campaignkit.ledgerfile.converter import _date, _json_value, converter

__all__ = ["EMPTY", "Rejected", "fast_structure", "stream_structure"]

_INTERNED = frozenset(
    {
        "kind",
        "category",
        "channel",
        "level",
        "department",
        "stage",
        "by",
        "rule",
        "industry",
        "type",
        "role",
        "description",
        "note",
        "title",
        "subject",
    }
)
"""Fields whose values repeat across records (kinds, references, stock phrases).

One string object each per load: a province's million issues repeat a few
hundred descriptions and feedback notes, each otherwise a separate string.
"""

_REFERENCES: dict[str, str] = {
    "team": "team",
    "region": "region",
    "parent": "region",
    "host_region": "region",
    "regions": "region",
    "zones": "region",
    "enterprise": "enterprise",
    "enterprises": "enterprise",
    "activity": "activity",
}
"""Fields that name other records, and the kind of record each names.

Each is one string object per load, the same as the id of the record it names
(its dictionary lookups then match by identity). There is one table per kind
of record, so that the lookups of the few teams and regions stay among a few
entries while a province's enterprises and activities fill large tables. The
tables are not trimmed: each holds one entry per referenced record, as the
ledger's indexes do.
"""
_RECORD_IDS = {
    ("Enterprise", "id"): "enterprise",
    ("Activity", "id"): "activity",
    ("Team", "id"): "team",
    ("Region", "code"): "region",
}
"""The ids of records that others name, by the kind they are named as (see ``_REFERENCES``)."""

_MAX_DATES = 100_000
_MAX_STRINGS = 200_000
"""Interned strings kept at most; beyond it the table starts again (unique texts gain nothing)."""
_MAX_SHARED = 200_000
"""Shared records kept per class at most, for the same reason."""

_FEW = 6
"""Up to this many optional fields, each is looked up; with more, the keys present are walked."""

_BATCH = 1 << 15
"""Records structured between two calls of ``release`` (and trims of the shared tables)."""

_SHARED = frozenset({"IssueEvent", "Deadline"})
"""Record classes whose equal instances one load shares (frozen, compared by value only).

Most events of a large ledger repeat exactly (an assignment to the same level
and department on the same day, a standard feedback note): a million issues
carry a couple of million events but only tens of thousands of distinct ones.
"""


class _EmptyMapping(dict[str, Any]):
    """The empty ``extra`` (or ``figures``) that records share when their file leaves it out.

    A million issues with their events would otherwise hold four million empty
    dicts (a quarter of a gigabyte). It is a dict for every reader and
    serialiser, and refuses changes: records are immutable.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("records are immutable: make a new mapping (and record, with attrs.evolve)")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __repr__(self) -> str:
        return "{}"


EMPTY: Mapping[str, Any] = _EmptyMapping()
"""The shared empty mapping of records whose ``extra`` or ``figures`` the file leaves out."""


class Rejected(Exception):
    """The fast path does not accept this document; the strict converter will say why."""


class _Missing:
    __slots__ = ()


_MISSING = _Missing()


class _Builder:
    """Generates and caches one structuring function per attrs class."""

    def __init__(self, conv: Converter) -> None:
        self.conv = conv
        self.functions: dict[type, Callable[[Any], Any]] = {}
        self.dates: dict[str, date] = {}
        self.strings: dict[str, dict[str, str]] = {}
        """One table of shared strings per field name (a field's few values stay among few)."""
        self.ids: dict[str, dict[str, str]] = {}
        """One table of id strings per kind of record named (see ``_REFERENCES``)."""
        self.shared: list[dict[Any, Any]] = []
        self.raw_tables: dict[type, tuple[dict[Any, Any], frozenset[str]]] = {}
        self.unescaped_functions: dict[type, Callable[[Any], Any] | None] = {}
        self.typed_functions: dict[type, Callable[[Any], Any] | None] = {}
        """The tables of shared records (one per class and kind of key), emptied after a load."""

    def clear(self) -> None:
        """Forget the strings and records of one load (the dates are kept: they are few)."""
        for table in self.strings.values():
            table.clear()  # emptied, not replaced: generated functions hold the tables
        for table in self.ids.values():
            table.clear()  # emptied, not replaced: generated functions hold the tables
        for table in self.shared:
            table.clear()

    def trim(self) -> None:
        """Start the tables again when they grow past their limits (called between records)."""
        for table in self.strings.values():
            if len(table) > _MAX_STRINGS:
                table.clear()
        for table in self.shared:
            if len(table) > _MAX_SHARED:
                table.clear()

    def _table(self) -> dict[Any, Any]:
        table: dict[Any, Any] = {}
        self.shared.append(table)
        return table

    def date(self, value: Any) -> date:
        """Parse a date string once; later occurrences share the object."""
        if len(self.dates) >= _MAX_DATES:
            self.dates.clear()
        parsed = _date(value, date)
        self.dates[value] = parsed
        return parsed

    def function(self, cls: type) -> Callable[[Any], Any]:
        found = self.functions.get(cls)
        if found is None:
            # a placeholder breaks cycles between classes; replaced below
            self.functions[cls] = lambda o: self.functions[cls](o)
            found = self._generate(cls)
            self.functions[cls] = found
        return found

    def _intern_call(self, role: str, ns: dict[str, Any], *, share: bool = False) -> str:
        """The name in ``ns`` of the function sharing the strings of a field's role.

        '' if its strings are not shared (unless ``share``): ids and references
        share the id string of the record named, in one table per kind of record;
        the values of other fields are shared in one table per field name.
        """
        kind = _REFERENCES.get(role)
        if kind is None:
            if not (share or role in _INTERNED):
                return ""
            table = self.strings.get(role)
            if table is None:
                table = self.strings[role] = {}
            ns[f"_intern_{role}"] = table.setdefault
            return f"_intern_{role}"
        table = self.ids.get(kind)
        if table is None:
            table = self.ids[kind] = {}
        ns[f"_ref_{kind}"] = table.setdefault
        return f"_ref_{kind}"

    def _value(
        self, t: Any, name: str, ns: dict[str, Any], lines: list[str], indent: str, var: str
    ) -> None:
        """Lines that check ``var`` against type ``t`` and leave the structured value in it."""
        intern = self._intern_call(name, ns)
        origin = get_origin(t)
        args = get_args(t)
        if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
            inner = args[0] if args[1] is type(None) else args[1]
            lines.append(f"{indent}if {var} is not None:")
            self._value(inner, name, ns, lines, indent + "    ", var)
            return
        if t is str:
            lines.append(f"{indent}if type({var}) is not str: raise _R")
            if intern:
                lines.append(f"{indent}{var} = {intern}({var}, {var})")
            return
        if t is int:
            lines.append(f"{indent}if type({var}) is not int: raise _R")
            return
        if t is bool:
            lines.append(f"{indent}if type({var}) is not bool: raise _R")
            return
        if t is date:
            lines.append(f"{indent}{var} = _dates.get({var}) or _date({var})")
            return
        if isinstance(t, type) and issubclass(t, enum.Enum):
            key = f"_enum_{t.__name__}"
            ns[key] = {m.value: m for m in t if isinstance(m.value, str)}
            lines.append(f"{indent}if type({var}) is not str: raise _R")
            lines.append(f"{indent}{var} = {key}[{var}]")
            return
        if attrs.has(t):
            key = f"_s_{t.__name__}"
            ns[key] = self.function(t)
            lines.append(f"{indent}{var} = {key}({var})")
            return
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = args[0]
            lines.append(f"{indent}if type({var}) is not list: raise _R")
            if item is str:
                lines.append(f"{indent}for _e in {var}:")
                lines.append(f"{indent}    if type(_e) is not str: raise _R")
                if intern or name == "classes":
                    call = intern or self._intern_call(name, ns, share=True)
                    lines.append(f"{indent}{var} = tuple([{call}(_e, _e) for _e in {var}])")
                else:
                    lines.append(f"{indent}{var} = tuple({var})")
                return
            if attrs.has(item):
                key = f"_s_{item.__name__}"
                ns[key] = self.function(item)
                raw = self.raw_tables.get(item)
                if raw is None:
                    lines.append(f"{indent}{var} = tuple([{key}(_e) for _e in {var}])")
                    return
                # the shared record of a JSON object seen before, without a call; anything
                # unhashable where text belongs is refused (the strict path locates it)
                ns[f"{key}_raw"], ns[f"{key}_nested"] = raw
                lines.append(f"{indent}{var} = tuple([")
                lines.append(
                    f"{indent}    ({key}_raw.get(tuple(_e.items())) if {key}_nested.isdisjoint(_e)"
                    f" else None) or {key}(_e)"
                )
                lines.append(f"{indent}    for _e in {var}")
                lines.append(f"{indent}])")
                return
        if origin in (Mapping, dict) or t is Mapping:
            value_type = args[1] if len(args) == 2 else Any
            lines.append(f"{indent}if type({var}) is not dict: raise _R")
            if value_type is Any:
                lines.append(f"{indent}{var} = _json_value({var}) if {var} else _empty")
                ns["_empty"] = EMPTY
                return
            if value_type is int:
                lines.append(f"{indent}for _k, _e in {var}.items():")
                lines.append(f"{indent}    if type(_k) is not str or type(_e) is not int: raise _R")
                lines.append(f"{indent}{var} = dict({var})")
                return
        # anything else (Decimal, time, …): the strict converter's own hook
        key = f"_hook_{len(ns)}"
        ns[key] = self.conv.get_structure_hook(t)
        ns[key + "_t"] = t
        lines.append(f"{indent}{var} = {key}({var}, {key}_t)")

    def typed(self, cls: type, *, unescaped: bool = False) -> Callable[[Any], Any] | None:
        """A function structuring the raw JSON text of one ``cls`` record, or None if none fits.

        The record's own fields are decoded and type-checked by ``msgspec``
        into a struct generated from ``cls`` (no dict is built); its shared
        records (events) are found again by their raw text, and only the ones
        not seen before are parsed, by ``orjson`` as on the usual path. Only
        classes whose fields are all text, optional text, flags, dates, tuples
        of shared records or JSON mappings qualify (the values ``msgspec`` and
        ``orjson`` could read differently, numbers, are never read by
        ``msgspec``). A record with a backslash (an escape) in its text, or
        one ``msgspec`` refuses, takes the usual path: ``orjson``, then the
        function of :meth:`function`.

        With ``unescaped`` (for text known to have no backslash anywhere, such
        as a document without one) the function reads the raw text where it is,
        without copying it to look for a backslash first.
        """
        functions = self.unescaped_functions if unescaped else self.typed_functions
        if cls in functions:
            return functions[cls]
        found = functions[cls] = self._generate_typed(cls, unescaped=unescaped)
        return found

    def _generate_typed(self, cls: type, *, unescaped: bool = False) -> Callable[[Any], Any] | None:
        import msgspec
        import orjson

        hints = typing.get_type_hints(cls)
        fields = [a for a in attrs.fields(cls) if a.init]
        unset = msgspec.UNSET
        ns: dict[str, Any] = {
            "_R": Rejected,
            "_U": unset,
            "_dates": self.dates,
            "_date": self.date,
            "_json_value": _json_value,
            "_empty": EMPTY,
            "_loads": orjson.loads,
            "_DecodeError": msgspec.DecodeError,
            "_cls": cls,
            "_usual": self.function(cls),
            "_LO": -(2**63),
            "_HI": 2**64 - 1,
        }
        spec: list[tuple[str, Any, Any]] = []
        lines = [f"def typed_{cls.__name__}(raw):"]
        if unescaped:
            lines.append("    b = raw")  # the raw text itself; copied only to be parsed again
        else:
            lines.append("    b = bytes(raw)")
            lines.append("    if 92 in b: return _usual(_loads(b))")  # a backslash: an escape
        lines.append("    try:")
        lines.append("        s = _decode(b)")
        lines.append("    except _DecodeError:")
        lines.append("        return _usual(_loads(bytes(b)))")
        for a in fields:
            t = hints[a.name]
            inner = _unwrap(t)
            nullable = inner is not t
            required = a.default is attrs.NOTHING
            var = f"v_{a.name}"
            role = _role(cls, a.name)
            intern = self._intern_call(role, ns)
            lines.append(f"    {var} = s.{a.name}")
            body: list[str] = []
            if inner is str:
                mtype: Any = str
                if intern:
                    body.append(f"{var} = {intern}({var}, {var})")
            elif inner is bool and not nullable:
                mtype = bool
            elif inner is int:
                # msgspec reads any integer; orjson (the usual path) only the 64-bit ones
                mtype = int
                body.append(f"if not _LO <= {var} <= _HI: return _usual(_loads(bytes(b)))")
            elif _is_tuple_of(inner, str) and not nullable:
                mtype = list[str]
                call = intern or (
                    self._intern_call(role, ns, share=True) if a.name == "classes" else ""
                )
                if call:
                    body.append(f"{var} = tuple([{call}(_e, _e) for _e in {var}])")
                else:
                    body.append(f"{var} = tuple({var})")
            elif _is_mapping(inner) and get_args(inner)[1:] == (int,) and not nullable:
                mtype = dict[str, int]
                body.append(
                    f"if {var} and not (_LO <= min({var}.values()) and max({var}.values()) <= _HI):"
                    " return _usual(_loads(bytes(b)))"
                )
            elif attrs.has(inner) and inner.__name__ not in _SHARED:
                # a nested record: its raw text parsed by orjson, as on the usual path
                mtype = msgspec.Raw
                key = f"_s_{inner.__name__}"
                ns[key] = self.function(inner)
                body.append(f"{var} = _loads(memoryview({var}))")
                if nullable:
                    body.append(f"if {var} is not None: {var} = {key}({var})")
                    nullable = False  # the raw text of null is not None: checked above
                else:
                    body.append(f"{var} = {key}({var})")
            elif inner is date:
                mtype = str
                body.append(f"{var} = _dates.get({var}) or _date({var})")
            elif (
                _is_tuple_of(inner, None)
                and attrs.has(get_args(inner)[0])
                and get_args(inner)[0].__name__ in _SHARED
                and not nullable
            ):
                item = get_args(inner)[0]
                mtype = list[msgspec.Raw]
                key = f"_s_{item.__name__}"
                ns[key] = self.function(item)
                ns[f"{key}_seen"], ns[f"{key}_first"] = self._first(item)
                body.append(
                    f"{var} = tuple([{key}_seen.get(_e) or {key}_first(_e)"
                    f" for _e in map(bytes, {var})])"
                )
            elif _is_mapping(inner) and get_args(inner)[1:] in ((), (Any,)) and not nullable:
                mtype = msgspec.Raw
                body.append(f"{var} = _loads(memoryview({var}))")
                body.append(f"if type({var}) is not dict: raise _R")
                body.append(f"{var} = _json_value({var}) if {var} else _empty")
            else:
                return None
            if nullable:
                mtype = mtype | None
            if required:
                spec.append((a.name, mtype, msgspec.field(name=a.alias or a.name)))
                indent = "    "
                if nullable and body:
                    lines.append(f"    if {var} is not None:")
                    indent = "        "
                lines.extend(indent + line for line in body)
                continue
            spec.append(
                (
                    a.name,
                    mtype | msgspec.UnsetType,
                    msgspec.field(default=unset, name=a.alias or a.name),
                )
            )
            if isinstance(a.default, attrs.Factory) and _is_mapping(t):  # type: ignore[arg-type]
                default = "_empty"
            elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                return None
            else:
                ns[f"_d_{a.name}"] = a.default
                default = f"_d_{a.name}"
            lines.append(f"    if {var} is _U:")
            lines.append(f"        {var} = {default}")
            if body:
                if nullable:
                    lines.append(f"    elif {var} is not None:")
                else:
                    lines.append("    else:")
                lines.extend("        " + line for line in body)
        args = [f"{a.alias or a.name}=v_{a.name}" if a.kw_only else f"v_{a.name}" for a in fields]
        lines.append(f"    return _cls({', '.join(args)})")
        struct = msgspec.defstruct(f"_Typed{cls.__name__}", spec, forbid_unknown_fields=True)
        ns["_decode"] = msgspec.json.Decoder(struct).decode
        exec("\n".join(lines), ns)  # noqa: S102 - code generated from the model's own fields
        function: Callable[[Any], Any] = ns[f"typed_{cls.__name__}"]
        return function

    def _first(self, cls: type) -> tuple[dict[bytes, Any], Callable[[bytes], Any]]:
        """A table of shared ``cls`` records by raw text, and the function filling it.

        The function structures the raw text of a record not seen before (parsed
        by ``orjson``, as on the usual path) and remembers the record unless it
        has a mapping of its own (those are never shared).
        """
        import orjson

        structure = self.function(cls)
        seen: dict[bytes, Any] = self._table()
        loads = orjson.loads
        hints = typing.get_type_hints(cls)
        mappings = [a.name for a in attrs.fields(cls) if a.init and _is_mapping(hints[a.name])]

        def first(raw: bytes) -> Any:
            record = structure(loads(raw))
            for name in mappings:
                if getattr(record, name) is not EMPTY:
                    return record
            seen[raw] = record
            return record

        return seen, first

    def _share_keys(
        self, cls: type, fields: list[Any], hints: dict[str, Any]
    ) -> tuple[list[str] | None, frozenset[str] | None]:
        """How equal instances of ``cls`` are found again, or (None, None) not to share them.

        The first item lists, per field, the expression of the structured value
        in the key (every value is type-checked by then, so equal keys mean
        equal records; enum members and shared records by identity); records
        with a non-empty mapping are not shared. The second item, when every
        scalar field is a JSON string, names the fields that must be absent for
        the raw ``(key, value)`` pairs of the JSON object to serve as a key
        before anything is structured.
        """
        if cls.__name__ not in _SHARED:
            return None, None
        parts: list[str] = []
        nested: set[str] = set()
        raw_ok = True
        for a in fields:
            t = _unwrap(hints[a.name])
            var = f"v_{a.name}"
            if t in (str, date, time):
                parts.append(var)
            elif t in (int, bool):
                parts.append(var)
                raw_ok = False
            elif isinstance(t, type) and issubclass(t, enum.Enum):
                parts.append(f"id({var})")
            elif attrs.has(t) and t.__name__ in _SHARED:
                parts.append(f"id({var})")
                nested.add(a.alias or a.name)
            elif _is_mapping(t) and get_args(t)[1:] in ((), (Any,)):
                nested.add(a.alias or a.name)  # shared only when empty
            else:
                return None, None
        return parts, (frozenset(nested) if raw_ok else None)

    def _generate(self, cls: type) -> Callable[[Any], Any]:
        hints = typing.get_type_hints(cls)
        ns: dict[str, Any] = {
            "_R": Rejected,
            "_cls": cls,
            "_M": _MISSING,
            "_dates": self.dates,
            "_date": self.date,
            "_json_value": _json_value,
            "_empty": EMPTY,
        }
        lines = [f"def structure_{cls.__name__}(o):", "    if type(o) is not dict: raise _R"]
        fields = [a for a in attrs.fields(cls) if a.init]
        required = [a for a in fields if a.default is attrs.NOTHING]
        optional = [a for a in fields if a.default is not attrs.NOTHING]
        key_parts, nested = self._share_keys(cls, fields, hints)
        if nested is not None:
            # the same JSON object again: the record built the first time
            ns["_raw"] = self._table()
            ns["_nested"] = nested
            self.raw_tables[cls] = (ns["_raw"], nested)
            lines.append("    if _nested.isdisjoint(o):")
            lines.append("        _rk = tuple(o.items())")
            lines.append("        try:")
            lines.append("            _found = _raw.get(_rk)")
            lines.append("        except TypeError:")  # a list or object where text belongs
            lines.append("            raise _R from None")
            lines.append("        if _found is not None: return _found")
            lines.append("    else:")
            lines.append("        _rk = None")
        args = []
        for a in required:
            var = f"v_{a.name}"
            lines.append(f"    {var} = o[{(a.alias or a.name)!r}]")
            self._value(hints[a.name], _role(cls, a.name), ns, lines, "    ", var)
        for a in optional:
            var = f"v_{a.name}"
            t = hints[a.name]
            if isinstance(a.default, attrs.Factory) and (  # type: ignore[arg-type]
                get_origin(t) in (Mapping, dict) or t is Mapping
            ):
                lines.append(f"    {var} = _empty")
            elif isinstance(a.default, attrs.Factory) and not a.default.takes_self:  # type: ignore[arg-type]
                ns[f"_f_{a.name}"] = a.default.factory
                lines.append(f"    {var} = _f_{a.name}()")
            else:
                ns[f"_d_{a.name}"] = a.default
                lines.append(f"    {var} = _d_{a.name}")
        if optional and len(optional) <= _FEW:
            # one lookup per optional field; a key that is no field leaves the count short
            lines.append(f"    _n = {len(required)}")
            for a in optional:
                lines.append(f"    x = o.get({(a.alias or a.name)!r}, _M)")
                lines.append("    if x is not _M:")
                lines.append("        _n += 1")
                self._value(hints[a.name], _role(cls, a.name), ns, lines, "        ", "x")
                lines.append(f"        v_{a.name} = x")
            lines.append("    if len(o) != _n: raise _R")
        elif optional:
            # only the keys present are looked at: most records leave most fields out
            ns["_required"] = frozenset(a.alias or a.name for a in required)
            lines.append(f"    if len(o) != {len(required)}:")
            lines.append("        for k, x in o.items():")
            lines.append("            if k in _required: continue")
            for i, a in enumerate(optional):
                word = "if" if i == 0 else "elif"
                lines.append(f"            {word} k == {(a.alias or a.name)!r}:")
                self._value(hints[a.name], _role(cls, a.name), ns, lines, "                ", "x")
                lines.append(f"                v_{a.name} = x")
            lines.append("            else: raise _R")
        else:
            lines.append(f"    if len(o) != {len(required)}: raise _R")
        for a in fields:
            args.append(f"{a.alias or a.name}=v_{a.name}" if a.kw_only else f"v_{a.name}")
        build = f"_cls({', '.join(args)})"
        if key_parts is None:
            lines.append(f"    return {build}")
        else:
            ns["_post"] = self._table()
            empty = [f"v_{a.name} is _empty" for a in fields if _is_mapping(hints[a.name])]
            lines.append(f"    if {' and '.join(empty) or 'True'}:")
            lines.append(f"        _k = ({', '.join(key_parts)},)")
            lines.append("        _found = _post.get(_k)")
            lines.append("        if _found is None:")
            lines.append(f"            _found = _post[_k] = {build}")
            lines.append("    else:")
            lines.append(f"        _found = {build}")
            if nested is not None:
                lines.append("    if _rk is not None: _raw[_rk] = _found")
            lines.append("    return _found")
        exec("\n".join(lines), ns)  # noqa: S102 - code generated from the model's own fields
        function: Callable[[Any], Any] = ns[f"structure_{cls.__name__}"]
        return function


def _role(cls: type, name: str) -> str:
    """The name a field's values are treated by: the ids other records name as those names."""
    return _RECORD_IDS.get((cls.__name__, name), name)


def _is_mapping(t: Any) -> bool:
    return t is Mapping or get_origin(t) in (Mapping, dict)


def _is_tuple_of(t: Any, item: type | None) -> bool:
    """True if ``t`` is ``tuple[item, ...]`` (of anything if ``item`` is None)."""
    args = get_args(t)
    return (
        get_origin(t) is tuple
        and len(args) == 2
        and args[1] is Ellipsis
        and (item is None or args[0] is item)
    )


def _unwrap(t: Any) -> Any:
    """``X`` of ``X | None``; anything else as it is."""
    args = get_args(t)
    if get_origin(t) in (typing.Union, types.UnionType) and type(None) in args:
        inner = [x for x in args if x is not type(None)]
        if len(inner) == 1:
            return inner[0]
    return t


_BUILDERS: dict[int, _Builder] = {}


def _builder(conv: Converter) -> _Builder:
    builder = _BUILDERS.get(id(conv))
    if builder is None or builder.conv is not conv:
        builder = _BUILDERS[id(conv)] = _Builder(conv)
    return builder


@contextlib.contextmanager
def _refusing(builder: _Builder) -> Iterator[None]:
    """Turn any error but Rejected and MemoryError into Rejected; clear ``builder`` after."""
    try:
        yield
    except (Rejected, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - anything refused goes to the strict path
        raise Rejected(f"{type(exc).__name__}: {exc}") from None
    finally:
        builder.clear()


def fast_structure(value: Any, cls: type, conv: Converter = converter) -> Any:
    """Structure ``value`` into ``cls`` quickly, or raise :class:`Rejected`.

    Any value the strict converter refuses is refused here too (as
    :class:`Rejected`, without detail); what is accepted structures to equal
    records.
    """
    builder = _builder(conv)
    with _refusing(builder):
        return builder.function(cls)(value)


_SECTIONS: dict[tuple[type, tuple[str, ...]], Any] = {}


def _sections(
    cls: type, skip: tuple[str, ...]
) -> tuple[Callable[[Any], Any], list[tuple[str, str]], list[tuple[str, str, Any, bool]]]:
    """How :func:`stream_structure` splits a ``cls`` document.

    Returns the decoding function, the (attribute, key) of each skipped key,
    and the (attribute, key, record class, whether a tuple of them) of each
    section, in the order of ``cls``'s fields. The decoding function gives
    each section that is a tuple of records as the raw text of its records (a
    list), any other section as raw text; a document with a key that is
    neither is refused.
    """
    found = _SECTIONS.get((cls, skip))
    if found is not None:
        return found  # type: ignore[no-any-return]
    import msgspec

    hints = typing.get_type_hints(cls)
    spec: list[tuple[str, Any, Any]] = []
    skipped: list[tuple[str, str]] = []
    sections: list[tuple[str, str, Any, bool]] = []
    unset = msgspec.UNSET
    for key in skip:
        name = f"s{len(spec)}"
        spec.append((name, msgspec.Raw | msgspec.UnsetType, msgspec.field(default=unset, name=key)))
        skipped.append((name, key))
    for a in attrs.fields(cls):
        if not a.init:
            continue
        key = a.alias or a.name
        if key in skip:
            raise Rejected(f"{key}: both skipped and a field")
        t = hints[a.name]
        name = f"s{len(spec)}"
        if attrs.has(t):
            mtype: Any = msgspec.Raw
            sections.append((name, key, t, False))
        elif _is_tuple_of(t, None) and attrs.has(get_args(t)[0]):
            mtype = list[msgspec.Raw]
            sections.append((name, key, get_args(t)[0], True))
        else:
            raise Rejected(f"{key}: not a record or a tuple of records")
        spec.append((name, mtype | msgspec.UnsetType, msgspec.field(default=unset, name=key)))
    top = msgspec.defstruct(f"_Sections{cls.__name__}", spec, forbid_unknown_fields=True)
    found = _SECTIONS[(cls, skip)] = (msgspec.json.Decoder(top).decode, skipped, sections)
    return found


def stream_structure(
    data: bytes | mmap.mmap,
    cls: type,
    skip: Mapping[str, object] | None = None,
    conv: Converter = converter,
    *,
    release: Callable[[], object] | None = None,
) -> Any:
    """Structure the JSON object in ``data`` into ``cls`` one record at a time, or raise Rejected.

    :func:`fast_structure` needs the whole parsed document, several times the
    size of the file for a large ledger. Here the document is only split into
    its sections and each section into the raw text of its records; each record
    is parsed and structured in turn, so what stays in memory is the file and
    the records built. Keys in ``skip`` must have exactly the given values and
    are not structured (the format name and version). The fields of ``cls``
    must be record classes or tuples of them. Any departure from what the
    strict path accepts raises :class:`Rejected`.

    ``release`` is called after each section is split and after each batch of
    records (e.g. to let the system drop the pages of a memory-mapped file
    read so far); the records of a section replace their raw text one batch at
    a time.
    """
    import msgspec
    import orjson

    builder = _builder(conv)
    with _refusing(builder):
        decode, skipped, sections = _sections(cls, tuple(skip or ()))
        unescaped = data.find(b"\\") == -1  # no record's text needs a look for an escape
        top = decode(data)  # the sections split into their records' raw text in one pass
        if release is not None:
            release()
        for name, key in skipped:
            raw = getattr(top, name)
            expected = (skip or {})[key]
            if raw is msgspec.UNSET or orjson.loads(memoryview(raw)) != expected:
                raise Rejected(f"{key}: not {expected!r}")
        loads = orjson.loads
        values: dict[str, Any] = {}
        for name, key, t, many in sections:
            raw = getattr(top, name)
            if raw is msgspec.UNSET:
                continue
            setattr(top, name, msgspec.UNSET)  # the list of records below is the only one
            if not many:
                values[key] = builder.function(t)(loads(memoryview(raw)))
                continue
            function = builder.function(t)
            typed = builder.typed(t, unescaped=unescaped)
            items: list[Any] = raw
            del raw
            for start in range(0, len(items), _BATCH):
                end = start + _BATCH
                if typed is not None:
                    items[start:end] = list(map(typed, items[start:end]))
                else:
                    items[start:end] = [function(loads(memoryview(r))) for r in items[start:end]]
                builder.trim()
                if release is not None:
                    release()
            values[key] = tuple(items)
            del items
        del top
        return cls(**values)
