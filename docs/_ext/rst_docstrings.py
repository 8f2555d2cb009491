"""A griffe extension: turn the reST bits of campaignkit's docstrings into Markdown.

The docstrings use Sphinx roles (``:class:`~campaignkit.rules.records.Label```),
literal blocks introduced by ``::`` and doctest examples. mkdocstrings renders
Markdown, so before the docstrings are parsed this extension

- resolves each role to the canonical path of the object it names and writes
  an autorefs link (``[`Label`][campaignkit.rules.records.Label]``), so the strict
  build fails when a reference names nothing documented;
- turns ``::`` literal blocks into fenced Python code and ``>>>`` examples
  into fenced ``pycon`` code.

A role naming a ``campaignkit`` object that does not exist is logged as a
warning (which fails ``mkdocs build --strict``); a role naming another
library's object is rendered as plain code.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from typing import Any

from griffe import (
    Extension,
    GriffeLoader,
    Module,
    NameResolutionError,
    Object,
    logger,
)

ROLE = re.compile(r":(?:py:)?(func|meth|class|mod|data|attr|exc|obj|const):`([^`]+)`")
CALLABLE_ROLES = {"func", "meth"}
PACKAGE = "campaignkit"


def _walk(obj: Object) -> Iterator[Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)  # type: ignore[arg-type]


def _scope(obj: Object) -> Object:
    if obj.is_module or obj.is_class or obj.parent is None:
        return obj
    return obj.parent


def _resolve(target: str, obj: Object, loader: GriffeLoader) -> tuple[str | None, bool]:
    """Canonical path of ``target`` seen from ``obj``; and whether it is campaignkit's own."""
    head, _, rest = target.partition(".")
    candidates = []
    scope: Object | None = _scope(obj)
    while scope is not None:
        try:
            base = scope.resolve(head)
        except NameResolutionError:
            scope = scope.parent
            continue
        candidates.append(f"{base}.{rest}" if rest else base)
        break
    resolved_head = bool(candidates)
    candidates.append(target)
    for candidate in candidates:
        if not candidate.startswith(PACKAGE):
            continue
        try:
            found = loader.modules_collection[candidate]
        except (KeyError, ValueError):
            continue
        path = found.final_target.path if found.is_alias else found.path
        return path, True
    # campaignkit's own when it says so, or when it is a bare name nothing resolves
    own = any(c.split(".")[0] == PACKAGE for c in candidates) or (not resolved_head and not rest)
    return None, own


def _roles(text: str, obj: Object, loader: GriffeLoader) -> str:
    def replace(match: re.Match[str]) -> str:
        role, body = match.group(1), match.group(2).strip()
        explicit = re.fullmatch(r"(.+?)\s*<([^>]+)>", body)
        if explicit:
            title, target = explicit.group(1), explicit.group(2)
        else:
            short = body.startswith("~")
            target = body.lstrip("~")
            title = target.rsplit(".", 1)[-1] if short else target
            if role in CALLABLE_ROLES:
                title += "()"
        path, own = _resolve(target, obj, loader)
        if path is None:
            if own:
                logger.warning("%s: reference to %r names nothing in %s", obj.path, target, PACKAGE)
            return f"`{title}`"
        return f"[`{title}`][{path}]"

    return ROLE.sub(replace, text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blocks(text: str) -> str:
    """Fence ``::`` literal blocks and ``>>>`` examples."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(">>>"):
            pad = " " * _indent(line)
            out.append(f"{pad}```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(pad + lines[i][len(pad) :])
                i += 1
            out.append(f"{pad}```")
            continue
        if stripped.endswith("::") and not stripped.startswith(".."):
            base = _indent(line)
            lead = line.rstrip()[:-2].rstrip()
            if lead.strip():
                out.append(lead + ":")
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            block: list[str] = []
            while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > base):
                block.append(lines[j])
                j += 1
            while block and not block[-1].strip():
                block.pop()
            if block:
                pad = " " * base
                out.append("")
                out.append(f"{pad}```python")
                out.extend(
                    pad + code if code.strip() else ""
                    for code in textwrap.dedent("\n".join(block)).split("\n")
                )
                out.append(f"{pad}```")
                out.append("")
                i = j
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


class RstDocstrings(Extension):
    """Rewrite every campaignkit docstring once the package is loaded."""

    def on_package(self, *, pkg: Module, loader: GriffeLoader, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        for obj in _walk(pkg):
            if obj.docstring is not None:
                value = _blocks(obj.docstring.value)
                obj.docstring.value = _roles(value, obj, loader)
