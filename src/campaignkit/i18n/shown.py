"""How values from a file are shown in a message: escaped, quoted and cut.

A value read from a file (a key, an id, a name, a path built from them) can hold
anything: a newline that would start a second line saying anything, an escape
sequence for the terminal, a bidirectional override that reverses what follows,
a megabyte of text. Everything campaignkit shows of such a value goes through
:func:`escaped`: characters that do not print (control, format and separator
characters: ``str.isprintable``) are written as Python writes them in a literal
(``\\n``, ``\\x1b``, ``\\u202e``), and the text is cut after :data:`MAX_SHOWN`
characters (:data:`MAX_PATH` for a path), with ``…`` to say so. So a problem is
always exactly one line of reasonable length.

In a path, a key that is not a plain name is written in brackets and quotes
(:func:`path_key`): ``issues[3].extra["ticket no"]``.
"""

from __future__ import annotations

__all__ = ["MAX_PATH", "MAX_SHOWN", "Shown", "escaped", "path_key", "shown"]

MAX_SHOWN = 200
"""The most characters of one value a message shows."""

MAX_PATH = 400
"""The most characters of a path (or a file name) a message shows."""


class Shown(str):
    """Escaped text (see :func:`escaped`): quoted by ``repr`` without escaping it again."""

    __slots__ = ()

    def __repr__(self) -> str:
        quote = '"' if "'" in self and '"' not in self else "'"
        return quote + self + quote


def escaped(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` with every character that does not print escaped, cut after ``limit``
    characters (``…`` added). Text that prints and is short enough is returned as is."""
    if len(text) <= limit and text.isprintable():
        return text
    cut = text[:limit]
    if not cut.isprintable():
        cut = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in cut)
    return cut + "…" if len(text) > limit else cut


def shown(value: object) -> object:
    """An argument of a message as it is shown: text (``str`` itself) escaped and cut (a
    :class:`Shown`, which ``!r`` quotes without escaping again), anything else as it is."""
    if type(value) is not str or (len(value) <= MAX_SHOWN and value.isprintable()):
        return value  # text of our own (a subclass of str) is shown as it is
    return Shown(escaped(value))


def path_key(path: str, key: str) -> str:
    """``path`` followed by ``key``: ``path.key`` for a plain name (ASCII letters, digits
    and ``_``, not starting with a digit), else ``path["key"]`` escaped and cut."""
    if key.isascii() and key.isidentifier() and len(key) <= MAX_SHOWN:
        return f"{path}.{key}" if path else key
    return f"{path}[{Shown(escaped(key))!r}]"
