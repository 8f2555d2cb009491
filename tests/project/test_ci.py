"""The CI entry point runs the README's test command as written, and that command skips nothing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", readme, re.S)
    commands: list[str] = [
        line for block in blocks for line in block.splitlines() if line.endswith("nox")
    ]
    assert len(commands) == 1, commands
    return commands[0]


def test_ci_runs_the_readme_test_command_as_written() -> None:
    command = _readme_test_command()
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    code = [line for line in script if line.strip() and not line.lstrip().startswith("#")]
    assert code[-1] == command, "the last thing .ci/run does is the README's test command"
    assert "set -euo pipefail" in code


def test_a_missing_python_fails_the_nox_run() -> None:
    """No interpreter is silently skipped: every listed Python's tests run or the run fails."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    settings = {
        ast.unparse(target): node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
    }
    value = settings.get("nox.options.error_on_missing_interpreters")
    assert isinstance(value, ast.Constant) and value.value is True
    sessions = settings["nox.options.sessions"]
    assert isinstance(sessions, ast.List)
    assert "tests" in [e.value for e in sessions.elts if isinstance(e, ast.Constant)]
