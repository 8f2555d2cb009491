"""One line on standard error: how the command line says a warning or an error."""

from __future__ import annotations

import sys

from campaignkit.errors import MAX_MESSAGE
from campaignkit.i18n.shown import escaped

__all__ = ["say"]


def say(level: str, text: str) -> None:
    """Print ``level: text`` on standard error as exactly one line: every character of
    ``text`` that does not print escaped, the line cut at the length of a problem's message
    (a plugin's exception text, a rule's failure, anything a file put into it)."""
    print(f"{level}: {escaped(text, MAX_MESSAGE)}", file=sys.stderr)
