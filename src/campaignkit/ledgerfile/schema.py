"""The JSON Schema (draft 2020-12) of the ledger file format, generated from the model.

The schema is derived by walking the attrs fields of :class:`~campaignkit.model.ledger.Ledger`
and the records it holds, so it cannot drift from what :func:`campaignkit.load`
accepts: strings, integers (``"7"`` is not one), booleans, exact decimals
(an integer or a string such as ``"1250.50"``, never a binary number), dates as
``"YYYY-MM-DD"``, the model's enumerations, lists, optional fields and the
``extra`` mappings. Every object forbids unknown keys.

The schema checks the *shape* of a file. The rules that need the whole ledger
(references, duplicates, dates inside the campaign period, kinds of the
campaign type, check characters) are checked by :func:`campaignkit.validation.checks`.

Write the published copy with ``python -m campaignkit.ledgerfile.schema docs/ledger.schema.json``.
"""

from __future__ import annotations

import ast
import enum
import inspect
import itertools
import json
import sys
import textwrap
import types
from collections.abc import Mapping, Sequence
from datetime import date, time
from decimal import Decimal
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs

from campaignkit.ledgerfile.converter import LARGEST_INTEGER, SMALLEST_INTEGER
from campaignkit.model.ledger import FORMAT_NAME, FORMAT_VERSION, Ledger
from campaignkit.model.uscc import ALPHABET

__all__ = [
    "DATE_PATTERN",
    "DECIMAL_PATTERN",
    "SCHEMA_DIALECT",
    "SCHEMA_ID",
    "TIME_PATTERN",
    "USCC_PATTERN",
    "ledger_schema",
    "main",
    "schema_json",
]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://campaignkit.readthedocs.io/ledger.schema.json"
"""Identifier of the schema: the address of the published copy."""

DECIMAL_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"
"""An exact decimal written as a string: ``"1250.50"``, ``"-3"``; no exponent, no ``+``."""
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
"""A calendar date as ``YYYY-MM-DD``."""
TIME_PATTERN = r"^[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
"""A time of day as ``HH:MM`` (seconds optional)."""
USCC_PATTERN = f"^[{ALPHABET}]{{18}}$"
"""Eighteen characters of the unified social credit code alphabet (the check is done on load)."""

_FIELD_PATTERNS: Mapping[tuple[str, str], str] = {("Enterprise", "uscc"): USCC_PATTERN}
_INTEGER_RANGE = {"minimum": SMALLEST_INTEGER, "maximum": LARGEST_INTEGER}
"""The integers a document may hold (campaignkit reads no larger ones: see the converter)."""
_JSON_VALUE = "JsonValue"


@cache
def _attribute_docs(cls: type) -> Mapping[str, str]:
    """Attribute docstrings (a string literal right after a field) of an attrs class."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):  # pragma: no cover - source not shipped
        return {}
    tree = ast.parse(source)
    docs: dict[str, str] = {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ").strip()


class _Builder:
    """Collects ``$defs`` while walking the model from :class:`Ledger` down."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self.uses_json_value = False

    def type_schema(self, tp: Any) -> dict[str, Any]:
        origin = get_origin(tp)
        args = get_args(tp)
        if origin in (Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            inner = (
                self.type_schema(members[0])
                if len(members) == 1
                else {"anyOf": [self.type_schema(m) for m in members]}
            )
            if len(members) < len(args):
                return {"anyOf": [inner, {"type": "null"}]}
            return inner
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.type_schema(args[0])}
            return {  # pragma: no cover - the model has no fixed-length tuples
                "type": "array",
                "prefixItems": [self.type_schema(a) for a in args],
                "items": False,
            }
        if origin in (Mapping, dict) or tp is Mapping:
            value_type = args[1] if len(args) == 2 else Any
            return {"type": "object", "additionalProperties": self.type_schema(value_type)}
        if tp is Any:
            self.uses_json_value = True
            return {"$ref": f"#/$defs/{_JSON_VALUE}"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer", **_INTEGER_RANGE}
        if tp is Decimal:
            return {"type": ["string", "integer"], "pattern": DECIMAL_PATTERN, **_INTEGER_RANGE}
        if tp is date:
            return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
        if tp is time:
            return {"type": "string", "pattern": TIME_PATTERN}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            # before str: the model's enumerations are StrEnums
            return {"type": "string", "enum": [m.value for m in tp]}
        if tp is str:
            return {"type": "string"}
        if isinstance(tp, type) and attrs.has(tp):
            self.record(tp)
            return {"$ref": f"#/$defs/{tp.__name__}"}
        raise TypeError(f"no JSON Schema mapping for {tp!r}")

    def record(self, cls: type) -> None:
        if cls.__name__ in self.defs:
            return
        placeholder: dict[str, Any] = {}
        self.defs[cls.__name__] = placeholder  # guards against recursion
        placeholder.update(self.object_schema(cls))

    def object_schema(self, cls: type) -> dict[str, Any]:
        hints = get_type_hints(cls)
        docs = _attribute_docs(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for f in attrs.fields(cls):
            if not f.init:
                continue
            name = f.alias or f.name
            prop = self.type_schema(hints[f.name])
            pattern = _FIELD_PATTERNS.get((cls.__name__, name))
            if pattern is not None:
                prop = {**prop, "pattern": pattern}
            if name in docs:
                prop = {"description": docs[name], **prop}
            properties[name] = prop
            if f.default is attrs.NOTHING:
                required.append(name)
        out: dict[str, Any] = {"type": "object"}
        summary = _summary(cls)
        if summary:
            out["description"] = summary
        out["properties"] = properties
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out


def _json_value_schema() -> dict[str, Any]:
    ref = {"$ref": f"#/$defs/{_JSON_VALUE}"}
    return {
        "description": (
            'A JSON value without binary fractions: write exact numbers such as "12.5" as strings.'
        ),
        "anyOf": [
            {"type": "null"},
            {"type": "boolean"},
            {"type": "integer", **_INTEGER_RANGE},
            {"type": "string"},
            {"type": "array", "items": ref},
            {"type": "object", "additionalProperties": ref},
        ],
    }


def ledger_schema() -> dict[str, Any]:
    """The JSON Schema of a ledger document, as a plain dict (a new copy each call)."""
    builder = _Builder()
    body = builder.object_schema(Ledger)
    properties = {
        "format": {"description": "Always the format name.", "const": FORMAT_NAME},
        "version": {
            "description": "Version of the format this document is written in.",
            "type": "integer",
            "const": FORMAT_VERSION,
        },
        **body["properties"],
    }
    defs = dict(sorted(builder.defs.items()))
    if builder.uses_json_value:
        defs[_JSON_VALUE] = _json_value_schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": f"campaignkit ledger, format version {FORMAT_VERSION}",
        "description": (
            "One campaign edition's records. Shape only: references, duplicates, "
            "periods, kinds and check characters are checked when the file is loaded."
        ),
        "type": "object",
        "properties": properties,
        "required": ["format", "version", *body.get("required", [])],
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_json() -> bytes:
    """The schema as UTF-8 JSON: two-space indent, keys in model order, trailing newline."""
    return (json.dumps(ledger_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Write the schema to the path given (atomically), or to standard output."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m campaignkit.ledgerfile.schema [PATH]", file=sys.stderr)
        return 2
    if not args:
        sys.stdout.buffer.write(schema_json())
        return 0
    from campaignkit.ledgerfile.atomic import atomic_write

    atomic_write(args[0], schema_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
