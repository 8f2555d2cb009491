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

__all__ = ["MAX_KEY", "MAX_PATH", "MAX_SHOWN", "Shown", "escaped", "path_key", "shown"]

MAX_SHOWN = 1_000
"""The most characters of one value a message shows (campaignkit's own lists of choices
included: long enough for them, short enough that a megabyte key is not echoed)."""

MAX_PATH = 400
"""The most characters of a path (or a file name) a message shows."""

MAX_KEY = 100
"""The most characters of a key a path shows (so a path of a few keys stays whole)."""


class Shown(str):
    """A value from a file as a message shows it (see :func:`shown`): non-printing
    characters and backslashes escaped, cut if long. ``repr`` quotes it as Python quotes
    text, without escaping it again."""

    __slots__ = ()

    def __repr__(self) -> str:
        if "'" in self and '"' not in self:
            return '"' + self + '"'
        return "'" + self.replace("'", "\\'") + "'"


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
    """An argument of a message as it is shown. Text (``str`` itself) that prints and is
    short is shown as it is (``!r`` quotes it as Python does); other text has its
    backslashes and non-printing characters escaped (so ``\\n`` written in a file and
    a line break read differently) and is cut after :data:`MAX_SHOWN` characters, as a
    :class:`Shown`. Anything else (text of campaignkit's own, a subclass of ``str``,
    included) is shown as it is."""
    if type(value) is not str or (len(value) <= MAX_SHOWN and value.isprintable()):
        return value
    return Shown(escaped(value.replace("\\", "\\\\")))


def path_key(path: str, key: str) -> str:
    """``path`` followed by ``key``: ``path.key`` for a plain name (ASCII letters, digits
    and ``_``, not starting with a digit), else ``path["key"]`` escaped and cut."""
    if key.isascii() and key.isidentifier() and len(key) <= MAX_SHOWN:
        return f"{path}.{key}" if path else key
    inner = Shown(escaped(key.replace("\\", "\\\\"), MAX_KEY))
    return f"{path}[{inner!r}]"
