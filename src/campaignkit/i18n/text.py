"""Text for people: display width and line wrapping that know Chinese.

A Chinese character takes two terminal columns (``wcwidth``). :func:`wrap`
breaks lines at spaces and between Chinese characters, never inside a run of
Latin letters, digits and signs, never before closing punctuation and never
after an opening bracket or quotation mark. The command line's help and the
text report both wrap with it.
"""

from __future__ import annotations

import re

from wcwidth import wcwidth

__all__ = ["CLOSING", "OPENING", "display_width", "wrap"]

_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # as argparse collapses it: ASCII whitespace only
CLOSING = frozenset(
    ",.;:!?)]}>%"
    "\u3001\u3002\uff0c\uff1b\uff1a\uff01\uff1f\uff09\u300b\u300d\u300f\u3011\u2026"
    "\u201d\u2019"
)
"""Punctuation no line starts with: it stays with what comes before it."""
OPENING = frozenset("([{<\uff08\u300a\u300c\u300e\u3010\u201c\u2018")
"""Punctuation no line ends with: it stays with what follows it."""


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal (a Chinese character takes two)."""
    return sum(max(wcwidth(char), 0) for char in text)


def _pieces(word: str) -> list[str]:
    """A run without spaces as the pieces a line may break between: each wide (Chinese)
    character on its own, each run of narrow ones whole, a combining mark with the
    character it marks."""
    pieces: list[str] = []
    narrow = False
    for char in word:
        size = wcwidth(char)
        if pieces and (size == 0 or (size == 1 and narrow)):
            pieces[-1] += char
            continue
        pieces.append(char)
        narrow = size != 2
    return pieces


def _tokens(text: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of ``text``, each with True if a space comes before it."""
    tokens: list[tuple[str, bool]] = []
    for index, word in enumerate(w for w in _SPACE.split(text) if w):
        for n, piece in enumerate(_pieces(word)):
            spaced = n == 0 and index > 0
            if tokens and not spaced:
                before = tokens[-1][0]
                if set(piece) <= CLOSING or set(before) <= OPENING:
                    tokens[-1] = (before + piece, tokens[-1][1])
                    continue
            tokens.append((piece, spaced))
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (a Chinese character takes two).

    Lines break at spaces and between Chinese characters, never inside a run
    of Latin letters, digits and signs (a run wider than ``width`` takes a line
    of its own), never before closing punctuation or after an opening bracket
    or quotation mark. Whitespace is collapsed to one space; spaces at a break
    are dropped.
    """
    lines: list[str] = []
    line, used = "", 0
    for token, spaced in _tokens(text):
        size = display_width(token)
        gap = 1 if spaced and line else 0
        if line and used + gap + size > width:
            lines.append(line)
            line, used, gap = "", 0, 0
        line, used = line + " " * gap + token, used + gap + size
    if line:
        lines.append(line)
    return lines
