"""JSON text: decoding it with plain words for what is wrong, and keys that appear twice.

:func:`decode` parses a document with orjson and words its refusals: a byte-order
mark, bytes that are not UTF-8 (where), text that is not JSON (orjson's own
account, with line and column). A number out of the range a value can hold
(``1e400``, an integer of 400 digits) is valid JSON: the document is then read
again with the standard library, every such number kept as a
:class:`~campaignkit.ledgerfile.converter.OutOfRange` that the converter words
plainly where it stands (``issues[3].events[0].deadline.amount: expected an
integer, got an integer too large (the largest is 18446744073709551615)``).

JSON allows an object to name a key twice; every parser then keeps one of the
values and drops the other without a word. campaignkit refuses such a document:

- :func:`duplicate_problems` names every key that appears twice in one object,
  anywhere in a document, by its path (``issues[3].uscc``);
- the quick route of :func:`campaignkit.load` asks, for each chunk of records,
  :func:`members_once`: whether the number of ``:`` in the chunk's text is the
  number of members of the objects structured from it (no key dropped, no colon
  in a string), else whether the ``":`` of the text written compactly are (a
  colon in a string is no longer counted), else asks the standard library, which
  sees every pair. The converter that structures the chunk counts the members as
  it goes (:func:`~campaignkit.ledgerfile.converter.counting_converter`), so the
  check costs one count of a byte and no walk of its own;
  :func:`object_keys_once` checks the document's own keys. A document is accepted
  only when one of these says "no key twice".
"""

from __future__ import annotations

import codecs
import json
import math
import mmap
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import msgspec
import orjson

from campaignkit.errors import LedgerError, Problem
from campaignkit.i18n.catalogue import Phrase, literal
from campaignkit.i18n.shown import path_key
from campaignkit.ledgerfile.converter import LARGEST_INTEGER, SMALLEST_INTEGER, OutOfRange

__all__ = [
    "Text",
    "decode",
    "duplicate_problems",
    "members_once",
    "not_a_ledger",
    "object_keys_once",
    "parsed",
]

_T = TypeVar("_T")

Text = bytes | bytearray | mmap.mmap | str
"""A JSON document as campaignkit reads it: bytes (maybe a memory map) or text."""

_ZIP = b"PK\x03\x04"
"""How a zip file starts: an Excel workbook (``.xlsx``), a Word document, an archive."""


def not_a_ledger(head: bytes, whole: bool) -> Problem | None:
    """What a document that is no JSON is instead, said plainly, from its first bytes
    (``whole``: all of it): a workbook or another zip file, or nothing but white space.
    None when it is neither (then the JSON parser's words say where it stops)."""
    if head.startswith(_ZIP):
        return Problem.of("is-zip", "")
    if whole and not head.strip(b" \t\r\n"):
        return Problem.of("empty-document", "")
    return None


_BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 20
_raw_value = msgspec.json.Decoder(msgspec.Raw).decode
_split_document = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode


def decode(data: Text, source: str | None) -> Any:
    """The JSON value of ``data``; :class:`LedgerError` with one problem when it has none.

    Of a large document that is not JSON only the part up to its first wrong byte
    is handed to orjson (which copies what it parses), so garbage costs no memory:
    a file of NUL bytes is refused at byte 0 with the same words whatever its size.
    """
    prefix = None  # the document up to its first wrong byte, when large and not JSON
    if not isinstance(data, str) and len(data) > _CHUNK:
        wrong = _malformed_at(data)
        if wrong is not None:
            prefix = bytes(memoryview(data)[: wrong + 1])
    try:
        if prefix is not None:
            orjson.loads(prefix)
            prefix = None  # msgspec and orjson disagree (never seen): read it all
        if isinstance(data, bytes | bytearray | str):
            return orjson.loads(data)
        with memoryview(data) as whole:  # a memory map
            return orjson.loads(whole)
    except orjson.JSONDecodeError as exc:
        error = exc
    if isinstance(data, str) and not data.strip(" \t\r\n"):
        raise LedgerError([Problem.of("empty-document", "")], source)
    if not isinstance(data, str):
        short = len(data) <= 4096  # (white space alone is looked for in a short document)
        instead = not_a_ledger(bytes(data[:4]) if not short else bytes(data), short)
        if instead is not None:
            raise LedgerError([instead], source)
        if data[:3] == _BOM:
            raise LedgerError([Problem.of("bom", "")], source)
        if "UTF-8" in str(error):
            bad = first_invalid_utf8(data)
            if bad is not None:
                raise LedgerError([Problem.of("not-utf8", "", byte=bad)], source)
    if prefix is None and "infinity" in str(error):  # valid JSON, a number out of range
        with_numbers = _decode_keeping_numbers(data)
        if with_numbers is not None:
            return with_numbers[0]
    raise LedgerError([not_json(error)], source) from None


_JSON_REASONS: dict[str, str] = {
    "unexpected end of data": "json.end",
    "trailing comma is not allowed": "json.trailing-comma",
    "invalid literal, expected 'true'": "json.literal-true",
    "invalid literal, expected 'false'": "json.literal-false",
    "invalid literal, expected 'null'": "json.literal-null",
    "unexpected character, expected ':' after key": "json.expected-colon",
    "unexpected character, expected ',' or '}'": "json.expected-comma-brace",
    "unexpected character, expected ',' or ']'": "json.expected-comma-bracket",
    "unexpected character, expected a string key": "json.expected-key",
    "unexpected character, expected a JSON value": "json.expected-value",
    "number with leading zero is not allowed": "json.leading-zero",
    "no digit after decimal point": "json.no-digit-point",
    "no digit after exponent sign": "json.no-digit-exponent",
    "no digit after sign": "json.no-digit-sign",
    "unexpected content after document": "json.after-document",
    "invalid escaped sequence in string": "json.escape",
    "unexpected control character in string": "json.control-character",
    "no low surrogate in string": "json.low-surrogate",
    "invalid high surrogate in string": "json.high-surrogate",
    "invalid low surrogate in string": "json.bad-low-surrogate",
}
"""What the JSON parser says of a document it refuses, by its English words: the catalogue's
code, whose English words are the parser's (a reason not listed here is shown as written)."""

_WHERE = re.compile(r"^(.*): line ([0-9]+) column ([0-9]+) \(char ([0-9]+)\)$", re.S)


def not_json(error: ValueError) -> Problem:
    """The problem of a document the JSON parser refused with ``error``: where (line and
    column) and why, in the catalogue's words where the parser's reason is known."""
    text = str(error)
    found = _WHERE.match(text)
    if found is None:
        return Problem.of("not-json", "", why=text)
    reason, line, column, char = found.groups()
    known = _JSON_REASONS.get(reason)
    words = Phrase(known) if known is not None else literal(reason)
    where = {"line": int(line), "column": int(column), "char": int(char)}
    return Problem.of("not-json", "", why=Phrase("json.at", {"reason": words, **where}))


_AT_BYTE = re.compile(r"\(byte ([0-9]+)\)")


def _malformed_at(data: bytes | bytearray | mmap.mmap) -> int | None:
    """The position of the first byte that makes ``data`` malformed JSON, if msgspec (which
    checks the syntax without building anything) names one."""
    try:
        _raw_value(data)
    except msgspec.DecodeError as exc:
        found = _AT_BYTE.search(str(exc))
        return int(found.group(1)) if found is not None else None
    except RecursionError:
        return None
    return None


def first_invalid_utf8(data: bytes | bytearray | mmap.mmap) -> int | None:
    """The position of the first byte of ``data`` that is not UTF-8, read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CHUNK):
            held = len(decoder.getstate()[0])
            try:
                decoder.decode(view[start : start + _CHUNK], final=start + _CHUNK >= len(view))
            except UnicodeDecodeError as exc:
                return start - held + exc.start
        return None
    finally:
        view.release()


def _integer(literal: str) -> int | OutOfRange:
    if len(literal) <= 21:
        number = int(literal)
        if SMALLEST_INTEGER <= number <= LARGEST_INTEGER:
            return number
    return OutOfRange(literal)


def _number(literal: str) -> float | OutOfRange:
    number = float(literal)
    return OutOfRange(literal) if math.isinf(number) else number


def _no_constant(literal: str) -> object:
    raise ValueError(f"not JSON: {literal}")


def _decode_keeping_numbers(data: Text) -> tuple[Any] | None:
    """``data`` decoded by the standard library, out-of-range numbers kept as
    :class:`OutOfRange`; None when it refuses the document too."""
    try:
        text = data if isinstance(data, str) else str(memoryview(data), "utf-8")
        value = json.loads(text, **_NUMBERS)
    except (ValueError, RecursionError):
        return None
    return (value,)


# -- keys that appear twice ---------------------------------------------------------------------


class _Repeated(dict[str, Any]):
    """An object of the document that names some key more than once (``repeats``: how often)."""

    __slots__ = ("repeats",)

    def __init__(self, pairs: list[tuple[str, Any]], repeats: dict[str, int]) -> None:
        super().__init__(pairs)
        self.repeats = repeats


def _marking(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    counts = Counter(key for key, _ in pairs)
    return _Repeated(pairs, {key: n for key, n in counts.items() if n > 1})


class _Twice(Exception):
    """Some object names a key twice."""


def _refusing(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Twice
    return found


_NUMBERS: dict[str, Any] = {
    "parse_int": _integer,
    "parse_float": _number,
    "parse_constant": _no_constant,
}
_marked = json.JSONDecoder(object_pairs_hook=_marking, **_NUMBERS)
_refused = json.JSONDecoder(object_pairs_hook=_refusing, **_NUMBERS)


def _repeat_problems(value: Any, path: str) -> list[Problem]:
    """A problem for each key repeated in an object of ``value`` (decoded by ``_marked``)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            for key, count in getattr(item, "repeats", {}).items():
                at = path_key(where, key)
                if count == 2:
                    problems.append(Problem.of("duplicate-key", at, key=key))
                else:
                    problems.append(Problem.of("duplicate-key-times", at, key=key, count=count))
            stack.extend(
                (v, path_key(where, k))
                for k, v in reversed(item.items())
                if isinstance(v, dict | list)
            )
        elif isinstance(item, list):
            stack.extend(
                (v, f"{where}[{i}]")
                for i, v in reversed(list(enumerate(item)))
                if isinstance(v, dict | list)
            )
    return problems


def _text_problems(text: str | bytes, path: str) -> list[Problem]:
    try:
        value = _marked.decode(text if isinstance(text, str) else text.decode("utf-8"))
    except (ValueError, RecursionError):  # refused for other reasons, said elsewhere
        return []
    return _repeat_problems(value, path)


_split_array = msgspec.json.Decoder(list[msgspec.Raw]).decode


def parsed(data: Text, source: str | None, parse: Callable[[Any], _T]) -> _T:
    """``parse`` of the JSON document in ``data`` (it raises :class:`LedgerError` for what
    it refuses), with every key given twice in one object reported beside its problems:
    the full reading of a file, where the quick one was not enough."""
    doc = decode(data, source)
    twice = duplicate_problems(data) if isinstance(doc, dict) else []
    try:
        found = parse(doc)
    except LedgerError as exc:
        raise LedgerError([*twice, *exc.problems], source) from None
    if twice:
        raise LedgerError(twice, source)
    return found


def duplicate_problems(data: Text) -> list[Problem]:
    """A problem for every key that appears more than once in one object of ``data``
    (a JSON document), located by path, in the order of the document.

    The document's own keys are followed in its text; its arrays are read one item
    at a time, so a large document never stands in memory twice.
    """
    if isinstance(data, str):
        return _text_problems(data, "")
    try:
        top = _split_document(data)
    except (msgspec.DecodeError, TypeError, ValueError):  # not an object: nothing to name
        return []
    keys = _document_keys(data, top)
    if keys is None:  # an earlier value of a repeated key: read the whole text
        return _text_problems(str(memoryview(data), "utf-8"), "")
    problems: list[Problem] = []
    for key, count in Counter(keys).items():
        if count == 2:
            problems.append(Problem.of("duplicate-key", path_key("", key), key=key))
        elif count > 2:
            problems.append(
                Problem.of("duplicate-key-times", path_key("", key), key=key, count=count)
            )
    for key, raw in top.items():
        text = bytes(raw)
        if text[:1] == b"[":
            for index, item in enumerate(_split_array(text)):
                problems.extend(_text_problems(bytes(item), f"{path_key('', key)}[{index}]"))
        elif text[:1] == b"{":
            problems.extend(_text_problems(text, path_key("", key)))
    return problems


_SPACE = re.compile(rb"[ \t\r\n]*")
_STRING = re.compile(rb'"(?:[^"\\\x00-\x1f]|\\.)*"')


def _document_keys(data: bytes | bytearray | mmap.mmap, top: Mapping[str, Any]) -> list[str] | None:
    """Every key of the document's object in ``data``, in order and with repeats.

    The keys are read from the text; each value is stepped over by the length of
    the value ``top`` (decoded last-wins) keeps for its key, after checking that its
    bytes are those (so each step lands on the next key). None when a value is not
    the kept one: an earlier value of a key given twice, whose end is unknown here.
    """
    position = _SPACE.match(data, 0).end()  # type: ignore[union-attr]
    if data[position : position + 1] != b"{":
        return None
    position = _SPACE.match(data, position + 1).end()  # type: ignore[union-attr]
    keys: list[str] = []
    if data[position : position + 1] == b"}":
        return keys
    while True:
        found = _STRING.match(data, position)
        if found is None:
            return None
        key = json.loads(found.group(0))
        position = _SPACE.match(data, found.end()).end()  # type: ignore[union-attr]
        if data[position : position + 1] != b":":
            return None
        position = _SPACE.match(data, position + 1).end()  # type: ignore[union-attr]
        value = top.get(key)
        if value is None or not _holds(data, position, value):
            return None
        keys.append(key)
        position = _SPACE.match(data, position + len(value)).end()  # type: ignore[union-attr]
        after = data[position : position + 1]
        if after == b"}":
            return keys
        if after != b",":
            return None
        position = _SPACE.match(data, position + 1).end()  # type: ignore[union-attr]


def _holds(data: bytes | bytearray | mmap.mmap, position: int, value: Any) -> bool:
    """Whether ``data`` has the bytes of ``value`` at ``position`` (compared, not copied)."""
    if isinstance(data, bytes | bytearray):
        return data.startswith(value, position)
    return data.find(value, position, position + len(value)) == position  # a memory map


def object_keys_once(data: bytes | bytearray | mmap.mmap, top: Mapping[str, Any]) -> bool:
    """Whether the document in ``data`` names each of its keys once (``top``: its members
    as decoded, the last value of a repeated key kept)."""
    keys = _document_keys(data, top)
    return keys is not None and len(keys) == len(set(keys))


def members_once(text: bytes, members: int) -> bool:
    """Whether no object in ``text`` (JSON whose objects hold ``members`` members in all,
    as decoded) names a key twice.

    Every member of every object has one ``:`` between its key and its value, and an
    object that names a key twice keeps one member for it: the text has more ``:``
    than the objects members, or as many when no string holds a colon. Written
    compactly (:func:`msgspec.json.format`), every such ``:`` follows a ``"``, and a
    ``":`` in a string needs a string that starts with a colon or holds ``\\"``. Only
    when both counts are more than ``members`` is the text parsed again, by the
    standard library, whose decoder sees every pair.
    """
    if text.count(b":") == members:
        return True
    if msgspec.json.format(text, indent=-1).count(b'":') == members:
        return True
    try:
        _refused.decode(text.decode("utf-8"))
    except _Twice:
        return False
    except (ValueError, RecursionError):  # the standard library refuses it: not sure
        return False
    return True
