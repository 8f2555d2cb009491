"""Every hook is documented: a docstring with its arguments and a runnable-looking example,
a section in the hook reference, and a mention in both plugin guides.

Adding a hook to :mod:`campaignkit.hooks.specs` without documenting it fails here.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from pathlib import Path

import pytest

from campaignkit.hooks.manager import RECORD_TYPES, PluginManager
from campaignkit.hooks.specs import event_hooks, hook_specs, registration_hooks

DOCS = Path(__file__).resolve().parents[2] / "docs"
SRC = Path(__file__).resolve().parents[2] / "src" / "campaignkit"
HOOKS = list(hook_specs())
GUIDES = ["writing-a-plugin.md", "writing-a-plugin.en.md"]


def docstring(hook: str) -> str:
    return inspect.getdoc(hook_specs()[hook]) or ""


def example(hook: str) -> str:
    """The indented block after ``Example::`` in the hook's docstring."""
    text = docstring(hook)
    assert "Example::" in text, f"{hook}: the docstring has no 'Example::' block"
    block = text.split("Example::", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line.strip() and not line.startswith("    "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines)).strip()


def section(page: str, hook: str) -> str:
    """The ``### `hook``` section of a docs page."""
    text = (DOCS / page).read_text(encoding="utf-8")
    match = re.search(rf"^### `{hook}`\n(.*?)(?=^##|\Z)", text, re.M | re.S)
    assert match, f"{page} has no section '### `{hook}`'"
    return match.group(1)


def test_there_are_hooks() -> None:
    assert set(HOOKS) == set(registration_hooks()) | set(event_hooks())
    assert "campaignkit_campaign_types" in HOOKS and "campaignkit_ledger_saved" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_docstring_documents_arguments_and_return(hook: str) -> None:
    params = list(inspect.signature(hook_specs()[hook]).parameters)
    documented = re.findall(r":param (\w+):", docstring(hook))
    assert documented == params, f"{hook}: documented {documented}, takes {params}"
    assert ":return:" in docstring(hook)


@pytest.mark.parametrize("hook", HOOKS)
def test_docstring_example_implements_the_hook(hook: str) -> None:
    code = example(hook)
    compile(code, f"<{hook} example>", "exec")  # valid Python
    assert f"@hookimpl\ndef {hook}(" in code
    params = list(inspect.signature(hook_specs()[hook]).parameters)
    assert f"def {hook}({', '.join(params)})" in code


REFERENCES = {"hooks.md": "钩子一览", "hooks.en.md": "Hooks"}


@pytest.mark.parametrize(("page", "heading"), REFERENCES.items())
def test_hook_reference_lists_every_hook_and_nothing_else(page: str, heading: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    listed = re.search(rf"^## {heading}\n(.*?)^## ", text, re.M | re.S)
    assert listed, f"docs/{page} has no '## {heading}' list"
    names = re.findall(r"^- `(campaignkit_\w+)`$", listed.group(1), re.M)
    assert names == HOOKS
    mentioned = set(re.findall(r"\bcampaignkit_[a-z_]+[a-z]\b", text))
    assert mentioned <= set(HOOKS), f"docs/{page} names hooks that do not exist"


@pytest.mark.parametrize("page", REFERENCES)
@pytest.mark.parametrize("hook", HOOKS)
def test_hook_reference_section(page: str, hook: str) -> None:
    body = section(page, hook)
    for param in inspect.signature(hook_specs()[hook]).parameters:
        assert f"`{param}`" in body, f"docs/{page}: {hook} does not describe {param!r}"
    assert f"def {hook}(" in body


@pytest.mark.parametrize("page", GUIDES)
def test_plugin_guides_mention_every_hook(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    missing = [hook for hook in HOOKS if hook not in text]
    assert missing == [], f"docs/{page} does not mention {missing}"
    assert "hooks.md" in text


@pytest.mark.parametrize("hook", registration_hooks())
def test_registration_hook_has_a_record_type_and_a_gatherer(hook: str) -> None:
    assert hook in RECORD_TYPES
    assert callable(getattr(PluginManager, hook.removeprefix("campaignkit_")))
    assert RECORD_TYPES[hook].__name__ in docstring(hook)


@pytest.mark.parametrize("hook", event_hooks())
def test_event_hook_is_fired_by_campaignkit(hook: str) -> None:
    firing = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if path.name != "hookspecs.py" and f'"{hook}"' in path.read_text(encoding="utf-8")
    ]
    assert firing, f"nothing in campaignkit fires {hook}"


EXCERPT = re.compile(r"```(?:python|toml)\n# (examples/henan-wanren-plugin/\S+)\n(.*?)```", re.S)


@pytest.mark.parametrize("page", GUIDES)
def test_guide_excerpts_are_taken_from_the_example_package(page: str) -> None:
    """Code shown as coming from a file of the example package is in that file, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    excerpts = EXCERPT.findall(text)
    assert len(excerpts) >= 10
    for path, body in excerpts:
        source = (DOCS.parent / path).read_text(encoding="utf-8").splitlines()
        position = 0
        for line in body.splitlines():
            if not line.strip() or line.strip() == "...":
                continue
            assert line in source[position:], f"{page}: {path} has no line {line!r} here"
            position = source.index(line, position) + 1
