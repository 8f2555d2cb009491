"""The documentation: complete API reference, a strict site build, and pages whose code runs.

- ``docs/api.md`` names every public module and links every name of
  ``campaignkit.__all__`` to the object it is;
- ``mkdocs build --strict`` succeeds (a broken link or reference fails it), and
  the built reference has an entry for every public name and every hook;
- the commands and Python snippets of the getting-started pages and the
  ledger-format page run as written and print what the page shows;
- the ledger-format page describes every record and field of the format;
- the notify example of ``campaignkit_actions_applied`` (hook reference, plugin guides,
  docstring) notifies each red-carded issue's responsible department.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import re
import shlex
import subprocess
import sys
import textwrap
import tomllib
import types
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import campaignkit
from campaignkit.hooks import specs as hookspecs
from campaignkit.ledgerfile.schema import ledger_schema

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
API = DOCS / "api.md"
RUNNABLE_PAGES = (
    "getting-started.md",
    "getting-started.en.md",
    "ledger-format.md",
    "tables.md",
    "tables.en.md",
)
MARKER = "----- end of snippet -----"
DATA_PACKAGES = {
    "campaignkit.data"
}  # shipped data files, read through campaignkit.ledgerfile.regions


# -- the API reference ----------------------------------------------------------------------
def _moved(name: str) -> bool:
    """A module kept under its old name only to re-export its new home."""
    doc = importlib.import_module(name).__doc__ or ""
    return doc.startswith("Moved to ")


def public_modules() -> list[tuple[str, bool]]:
    """Every public module and subpackage directly under campaignkit: (name, is_package),
    old names of moved modules left out."""
    return [
        (f"campaignkit.{info.name}", info.ispkg)
        for info in sorted(pkgutil.iter_modules(campaignkit.__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
        and f"campaignkit.{info.name}" not in DATA_PACKAGES
        and not _moved(f"campaignkit.{info.name}")
    ]


def moved_modules() -> list[str]:
    """Old names of moved modules (and of the modules of a moved package)."""
    out = []
    for info in pkgutil.walk_packages(campaignkit.__path__, "campaignkit."):
        if info.name.startswith("campaignkit.plugins") or info.name.endswith("__main__"):
            continue
        if _moved(info.name):
            out.append(info.name)
    return out


def test_api_reference_names_every_moved_module() -> None:
    text = API.read_text("utf-8")
    moved = moved_modules()
    assert "campaignkit.types" in moved and "campaignkit.hookspecs" in moved
    missing = [name for name in moved if f"| `{name}` |" not in text]
    assert not missing, f"add to the table of old module names in docs/api.md: {missing}"


def documented_modules() -> set[str]:
    """Modules with a ``:::`` block, and the modules of packages shown with their submodules."""
    text = API.read_text("utf-8")
    named = set(re.findall(r"^::: (campaignkit(?:\.\w+)*)\s*$", text, re.M))
    out = set(named)
    for name in named:
        block = text.split(f"::: {name}\n", 1)[1].split(":::", 1)[0]
        package = importlib.import_module(name)
        if "show_submodules: true" in block and hasattr(package, "__path__"):
            out.update(
                info.name
                for info in pkgutil.walk_packages(package.__path__, name + ".")
                if not info.name.endswith("__main__")
            )
    return out


def test_api_reference_lists_every_public_module() -> None:
    documented = documented_modules()
    missing = [name for name, _ in public_modules() if name not in documented]
    assert not missing, f"add to docs/api.md: {', '.join('::: ' + m for m in missing)}"
    assert "campaignkit" in documented
    # subpackages are documented with their submodules
    text = API.read_text("utf-8")
    for name, is_package in public_modules():
        if is_package:
            block = text.split(f"::: {name}\n", 1)[1].split(":::", 1)[0]
            assert "show_submodules: true" in block, name


def test_api_reference_links_every_top_level_name() -> None:
    text = API.read_text("utf-8")
    links = dict(re.findall(r"\[`([\w.]+)`\]\[([\w.]+)\]", text))
    missing = [name for name in campaignkit.__all__ if name not in links]
    assert not missing, f"docs/api.md does not list: {', '.join(missing)}"
    documented = documented_modules()
    for name in campaignkit.__all__:
        target = links[name]
        module_name, _, attribute = target.rpartition(".")
        assert module_name in documented, f"{name} links to {target}, not on the page"
        module = importlib.import_module(module_name)
        assert getattr(module, attribute) is getattr(campaignkit, name), (
            f"{name} links to {target}, which is another object"
        )


# -- the built site -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    problems = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert result.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(
        problems or [result.stderr[-5000:]]
    )
    return out


def _anchors(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text("utf-8")))


def test_site_builds_strictly_in_both_languages(site: Path) -> None:
    for page in ("index.html", "getting-started/index.html", "concepts/index.html"):
        zh = (site / page).read_text("utf-8")
        en = (site / "en" / page).read_text("utf-8")
        assert 'lang="zh"' in zh and 'lang="en"' in en, page
        assert zh != en, page
    assert "Every figure comes from records" in (site / "en" / "index.html").read_text("utf-8")
    # the JSON Schema is published beside the pages
    published = json.loads((site / "ledger.schema.json").read_text("utf-8"))
    assert published == ledger_schema()


def test_reference_has_every_public_name_and_hook(site: Path) -> None:
    anchors = _anchors(site / "api" / "index.html")
    missing = []
    for name, _ in public_modules():
        module = importlib.import_module(name)
        missing += [
            f"{name}.{n}" for n in getattr(module, "__all__", ()) if f"{name}.{n}" not in anchors
        ]
    hooks = [n for n in vars(hookspecs) if n.startswith("campaignkit_")]
    assert len(hooks) >= 8
    missing += [
        f"campaignkit.hooks.specs.{h}"
        for h in hooks
        if f"campaignkit.hooks.specs.{h}" not in anchors
    ]
    assert not missing, f"not in the built API reference: {', '.join(missing)}"


def test_every_page_is_in_the_navigation() -> None:
    nav = re.findall(
        r"^  - [^:\n]+: ([\w./-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M
    )
    pages = sorted(p.name for p in DOCS.glob("*.md") if not p.name.endswith(".en.md"))
    assert sorted(nav) == pages
    for english in DOCS.glob("*.en.md"):
        assert (DOCS / english.name.replace(".en.md", ".md")).exists(), english.name


# -- pages whose code runs --------------------------------------------------------------------
class Step(NamedTuple):
    kind: str  # "python" or "console"
    code: str
    expected: str | None


FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


def page_steps(text: str) -> list[Step]:
    """Python and console blocks in page order; a ``text`` block right after one is its output."""
    found = [(m.group(1), m.group(2), m.start(), m.end()) for m in FENCE.finditer(text)]
    steps: list[Step] = []
    for i, (info, body, _, end) in enumerate(found):
        if info not in ("python", "console"):
            continue
        expected = None
        if (
            i + 1 < len(found)
            and found[i + 1][0] == "text"
            and not text[end : found[i + 1][2]].strip()
        ):
            expected = found[i + 1][1]
        steps.append(Step(info, body, expected))
    return steps


def normalise(output: str) -> list[str]:
    """Lines with runs of spaces collapsed: column alignment may change, content may not."""
    lines = [" ".join(line.split()) for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def console_commands(block: str) -> list[tuple[str, str]]:
    """``$ command`` lines with the output lines that follow each."""
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:].strip(), []))
        else:
            assert commands, f"output before any command: {line!r}"
            commands[-1][1].append(line)
    return [(command, "\n".join(out)) for command, out in commands]


def _extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return set(project["optional-dependencies"])


def check_setup_command(command: str) -> bool:
    """Set-up steps (venv, activate, pip install) are checked, not run; False if not one."""
    argv = shlex.split(command)
    if argv in (["python3", "-m", "venv", ".venv"], [".", ".venv/bin/activate"]):
        return True
    if argv[:4] == ["python", "-m", "pip", "install"]:
        for target in argv[4:]:
            match = re.fullmatch(r"\.(?:\[([\w,-]+)\])?", target)
            assert match, f"pip installs something other than this project: {target!r}"
            unknown = set((match.group(1) or "").split(",")) - _extras() - {""}
            assert not unknown, f"no such extra in pyproject.toml: {', '.join(sorted(unknown))}"
        return True
    return False


def run_console(command: str) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert argv[0] in scripts, f"the page runs {argv[0]!r}, which this project does not install"
    module = scripts[argv[0]].split(":")[0]
    launcher = f"import sys; from {module} import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", launcher, *argv[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


DRIVER = f"""
import json, sys
namespace = {{"__name__": "__main__"}}
for number, code in enumerate(json.load(sys.stdin)):
    exec(compile(code, f"<snippet {{number + 1}}>", "exec"), namespace)
    print({MARKER!r}, flush=True)
"""


def run_python(blocks: list[str]) -> list[str]:
    """Run the snippets one after the other in one fresh interpreter; their outputs."""
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps(blocks),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"a snippet failed:\n{result.stderr[-5000:]}"
    outputs = result.stdout.split(MARKER + "\n")
    assert len(outputs) == len(blocks) + 1
    return outputs[:-1]


@pytest.mark.parametrize("page", RUNNABLE_PAGES)
def test_page_commands_and_snippets_run_as_written(page: str) -> None:
    steps = page_steps((DOCS / page).read_text("utf-8"))
    assert steps, f"{page} has no code"
    ran = 0
    for step in steps:
        if step.kind != "console":
            continue
        for command, expected in console_commands(step.code):
            if check_setup_command(command):
                continue
            result = run_console(command)
            assert result.returncode == 0, f"{page}: `{command}` failed:\n{result.stderr}"
            assert "Traceback" not in result.stderr
            assert normalise(result.stdout) == normalise(expected), (
                f"{page}: `{command}` prints something else now:\n{result.stdout}"
            )
            ran += 1
    python = [step for step in steps if step.kind == "python"]
    outputs = run_python([step.code for step in python])
    for step, output in zip(python, outputs, strict=True):
        if step.expected is not None:
            assert normalise(output) == normalise(step.expected), (
                f"{page}: the snippet\n{step.code}\nnow prints\n{output}"
            )
            ran += 1
    assert ran, f"{page}: nothing was checked"


def test_getting_started_pages_agree() -> None:
    # the two languages walk through the same steps
    zh = page_steps((DOCS / "getting-started.md").read_text("utf-8"))
    en = page_steps((DOCS / "getting-started.en.md").read_text("utf-8"))
    assert [s.kind for s in zh] == [s.kind for s in en]
    commands = [
        [shlex.split(c)[:3] for c, _ in console_commands(s.code)] for s in zh if s.kind == "console"
    ]
    commands_en = [
        [shlex.split(c)[:3] for c, _ in console_commands(s.code)] for s in en if s.kind == "console"
    ]
    assert commands == commands_en


def test_page_steps_reads_outputs() -> None:
    text = "```python\nprint(1)\n```\n\n```text\n1\n```\n\n```python\nx = 2\n```\n\nnot output\n\n```text\nz\n```\n"
    assert page_steps(text) == [
        Step("python", "print(1)\n", "1\n"),
        Step("python", "x = 2\n", None),
    ]
    assert console_commands("$ a b\nout\n$ c\n") == [("a b", "out"), ("c", "")]
    assert normalise("a   b  \n\n") == ["a b"]


# -- the ledger format page -------------------------------------------------------------------
def _sections(text: str) -> dict[str, str]:
    """Level-3 sections keyed by the first `Name` in their heading."""
    out: dict[str, str] = {}
    for match in re.finditer(r"^### [^\n`]*`(\w+)`[^\n]*\n(.*?)(?=^#{1,3} |\Z)", text, re.M | re.S):
        out[match.group(1)] = match.group(2)
    return out


def test_ledger_format_page_describes_every_record_and_field() -> None:
    text = (DOCS / "ledger-format.md").read_text("utf-8")
    sections = _sections(text)
    schema: dict[str, Any] = ledger_schema()
    missing = []
    for name, definition in schema["$defs"].items():
        if "properties" not in definition:
            continue
        if name not in sections:
            missing.append(f"### `{name}`")
            continue
        rows = set(re.findall(r"^\| `(\w+)` \|", sections[name], re.M))
        missing += [f"{name}.{field}" for field in definition["properties"] if field not in rows]
        missing += [
            f"{name}.{field} (not a field)" for field in rows - set(definition["properties"])
        ]
    assert not missing, f"docs/ledger-format.md lacks: {', '.join(missing)}"
    for section in ("regions", "work_groups", "enterprises", "activities", "issues", "outcomes"):
        assert f"`{section}`" in text
    assert f'"version": {campaignkit.FORMAT_VERSION}' in text


# -- the notify example of the actions-applied hook -----------------------------------------
def _actions_applied_examples() -> list[tuple[str, str]]:
    """(where, code) of each example of ``campaignkit_actions_applied``: the hook reference's
    section in both languages, the plugin guides' event-hook example and the hook's docstring."""
    found = []
    for page in ("hooks.md", "hooks.en.md"):
        text = (DOCS / page).read_text("utf-8")
        body = re.search(r"^### `campaignkit_actions_applied`\n(.*?)(?=^##)", text, re.M | re.S)
        assert body, f"docs/{page} has no section on campaignkit_actions_applied"
        found.append((page, re.findall(r"```python\n(.*?)```", body.group(1), re.S)[0]))
    for page in ("writing-a-plugin.md", "writing-a-plugin.en.md"):
        text = (DOCS / page).read_text("utf-8")
        (code,) = [
            block
            for block in re.findall(r"```python\n(.*?)```", text, re.S)
            if "def campaignkit_actions_applied(" in block
        ]
        found.append((page, code))
    doc = hookspecs.campaignkit_actions_applied.__doc__ or ""
    block = doc.split("Example::", 1)[1]
    found.append(("the docstring", textwrap.dedent(block.split('"""', 1)[0]).strip() + "\n"))
    return found


@pytest.mark.parametrize(("where", "code"), _actions_applied_examples())
def test_actions_applied_example_notifies_the_responsible_department(where: str, code: str) -> None:
    """The example notifies each red-carded issue's responsible department, not the
    department of the red card's own event (which has none)."""
    from campaignkit.derive.views import replay
    from campaignkit.escalation.engine import apply, evaluate
    from campaignkit.testing import plugin_manager

    sent: list[tuple[str | None, str]] = []
    plugin = types.ModuleType("notifier")
    plugin.__dict__.update(
        hookimpl=campaignkit.hookimpl,
        notify=lambda department, text: sent.append((department, text)),
        archive=lambda *_: None,
        backup=lambda *_: None,
    )
    exec(compile(code, f"<{where}>", "exec"), plugin.__dict__)
    ledger = campaignkit.load(ROOT / "examples" / "huainan-2020" / "ledger.json")
    actions = evaluate(ledger, dt.date(2020, 5, 12))
    red = [a for a in actions if a.kind == "marked_overdue"]
    assert red and all(a.department is None for a in red)
    with plugin_manager(plugin) as pm:
        after = apply(ledger, actions, manager=pm)
        lifecycle = pm.campaign_type(ledger.campaign.type).lifecycle
    assert not pm.load_errors, pm.load_errors
    expected = [replay(after.issue_index[a.issue], lifecycle).department for a in red]
    assert [department for department, _ in sent] == expected
    assert None not in expected
    assert all(a.issue in text for a, (_, text) in zip(red, sent, strict=True))
